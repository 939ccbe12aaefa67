//! Prepaid balances (储值余额): money the business owes its customers. Exact decimal arithmetic
//! (`rust_decimal`), never floating point, so totals are right to the fen.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::terms::Outcome;

/// The largest prepaid balance a plan accepts: 10¹⁵ yuan (一千万亿元). No shop owes one customer that much,
/// so a larger balance is a mistake in the data; and below it, sums over any number of records a case can
/// hold stay far inside `Decimal`'s range (about 7.9 × 10²⁸).
pub fn max_balance() -> Decimal {
    Decimal::from(1_000_000_000_000_000_i64)
}

/// [`max_balance`] as the messages write it.
pub const MAX_BALANCE_TEXT: &str = "1000000000000000";

/// A balance above [`max_balance`], or a sum that would leave `Decimal`'s range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountOutOfRange;

/// A balance the plan can add up: `Err` when it is above [`max_balance`].
pub fn check_balance(balance: Decimal) -> Result<Decimal, AmountOutOfRange> {
    if balance.abs() > max_balance() {
        Err(AmountOutOfRange)
    } else {
        Ok(balance)
    }
}

/// A balance as stored by the import (`records.balance`, a normalised decimal string), if it is one.
pub fn parse_balance(stored: Option<&str>) -> Option<Decimal> {
    stored.and_then(|s| s.trim().parse::<Decimal>().ok())
}

/// An amount written with at least two decimals ("1234.50"); more only when the data has more.
pub fn money_string(amount: Decimal) -> String {
    let mut a = amount.normalize();
    if a.scale() < 2 {
        a.rescale(2);
    }
    a.to_string()
}

/// The prepaid balances of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrepaidTotals {
    /// The sum of all positive balances: what the business owes its customers.
    pub total: String,
    /// Records with a positive balance.
    pub records: u64,
    /// Customers with at least one positive balance.
    pub customers: u64,
    /// Of the total, the part refunded according to the customers' statuses.
    pub refunded: String,
    /// The total per outcome (only outcomes that carry a balance).
    pub by_outcome: Vec<PrepaidByOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrepaidByOutcome {
    pub outcome: Outcome,
    pub total: String,
    pub records: u64,
}

/// Adds balances up exactly.
#[derive(Debug, Default, Clone)]
pub struct PrepaidSum {
    total: Decimal,
    refunded: Decimal,
    records: u64,
    /// The customers with a balance, one bit per customer id (ids are numbered from 1 as customers are
    /// met): 0.6 MB for five million customers, where a set of ids took 50 MB and grew with the data.
    customers: CustomerIds,
    by_outcome: std::collections::BTreeMap<Outcome, (Decimal, u64)>,
}

impl PrepaidSum {
    /// Counts one record's balance (only a positive one is owed). Refuses a balance above [`max_balance`]
    /// or one that would take a total out of range, leaving the sum as it was; never panics.
    pub fn add(
        &mut self,
        balance: Decimal,
        customer: Option<i64>,
        outcome: Outcome,
        refunded: bool,
    ) -> Result<(), AmountOutOfRange> {
        if balance <= Decimal::ZERO {
            return Ok(());
        }
        let balance = check_balance(balance)?;
        let add = |a: Decimal| a.checked_add(balance).ok_or(AmountOutOfRange);
        let total = add(self.total)?;
        let refunded_total = if refunded {
            add(self.refunded)?
        } else {
            self.refunded
        };
        let by_outcome = add(self.by_outcome.get(&outcome).map_or(Decimal::ZERO, |e| e.0))?;
        self.total = total;
        self.refunded = refunded_total;
        self.records += 1;
        if let Some(c) = customer {
            self.customers.insert(c);
        }
        let e = self.by_outcome.entry(outcome).or_default();
        e.0 = by_outcome;
        e.1 += 1;
        Ok(())
    }

    pub fn total(&self) -> Decimal {
        self.total
    }

    pub fn totals(&self) -> PrepaidTotals {
        PrepaidTotals {
            total: money_string(self.total),
            records: self.records,
            customers: self.customers.len(),
            refunded: money_string(self.refunded),
            by_outcome: self
                .by_outcome
                .iter()
                .map(|(o, (t, n))| PrepaidByOutcome {
                    outcome: *o,
                    total: money_string(*t),
                    records: *n,
                })
                .collect(),
        }
    }
}

/// A set of customer ids: a bit per id for the ids SQLite gives (1, 2, 3, …), a set for any other.
#[derive(Debug, Default, Clone)]
pub(crate) struct CustomerIds {
    numbered: bit_set::BitSet,
    others: std::collections::HashSet<i64>,
}

impl CustomerIds {
    /// Ids above this go to the set, so one odd id cannot make the bits take gigabytes.
    const MAX_BIT: i64 = 1 << 32;

    pub(crate) fn insert(&mut self, id: i64) {
        if (0..Self::MAX_BIT).contains(&id) {
            self.numbered.insert(id as usize);
        } else {
            self.others.insert(id);
        }
    }

    pub(crate) fn len(&self) -> u64 {
        (self.numbered.len() + self.others.len()) as u64
    }

    /// Adds every id of `other`.
    pub(crate) fn union_with(&mut self, other: &CustomerIds) {
        self.numbered.union_with(&other.numbered);
        self.others.extend(other.others.iter().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_to_the_fen() {
        let mut s = PrepaidSum::default();
        for _ in 0..10 {
            s.add("0.10".parse().unwrap(), Some(1), Outcome::Transfer, false)
                .unwrap();
        }
        s.add("1234.5".parse().unwrap(), Some(2), Outcome::Blocked, true)
            .unwrap();
        s.add(Decimal::ZERO, Some(3), Outcome::Delete, false)
            .unwrap();
        s.add("-5".parse().unwrap(), Some(3), Outcome::Delete, false)
            .unwrap();
        let t = s.totals();
        assert_eq!(t.total, "1235.50");
        assert_eq!(t.refunded, "1234.50");
        assert_eq!(t.records, 11);
        assert_eq!(t.customers, 2);
        assert_eq!(money_string("7".parse().unwrap()), "7.00");
        assert_eq!(money_string("0.125".parse().unwrap()), "0.125");
        assert_eq!(parse_balance(Some("12.30")), Some("12.3".parse().unwrap()));
        assert_eq!(parse_balance(Some("待核对")), None);
    }

    #[test]
    fn balances_near_the_decimal_limit_are_refused_not_summed() {
        let mut s = PrepaidSum::default();
        s.add("12.50".parse().unwrap(), Some(1), Outcome::Transfer, true)
            .unwrap();
        // Two of these overflowed `Decimal` (a panic in `+=`); one alone is already beyond the bound.
        assert_eq!(
            s.add(Decimal::MAX, Some(2), Outcome::Transfer, true),
            Err(AmountOutOfRange)
        );
        assert_eq!(
            s.add(Decimal::MAX, Some(3), Outcome::Transfer, true),
            Err(AmountOutOfRange)
        );
        // The bound itself is accepted, and the sum was left as it was.
        s.add(max_balance(), Some(4), Outcome::Delete, false)
            .unwrap();
        let t = s.totals();
        assert_eq!(t.total, "1000000000000012.50");
        assert_eq!(t.refunded, "12.50");
        assert_eq!((t.records, t.customers), (2, 2));
        assert_eq!(max_balance().to_string(), MAX_BALANCE_TEXT);
        assert_eq!(check_balance(-Decimal::MAX), Err(AmountOutOfRange));
    }

    #[test]
    fn customers_are_counted_once_whatever_their_id() {
        let mut ids = CustomerIds::default();
        for id in [1, 2, 2, 70_000, -5, -5, 1 << 40, 1 << 40, 1] {
            ids.insert(id);
        }
        assert_eq!(ids.len(), 5);
        let mut sum = PrepaidSum::default();
        for (customer, balance) in [
            (Some(7), "10.50"),
            (Some(7), "1"),
            (None, "2"),
            (Some(9), "0"),
        ] {
            sum.add(balance.parse().unwrap(), customer, Outcome::Transfer, false)
                .unwrap();
        }
        let totals = sum.totals();
        assert_eq!((totals.records, totals.customers), (3, 1));
        assert_eq!(totals.total, "13.50");
    }
}
