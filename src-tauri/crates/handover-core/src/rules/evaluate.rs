//! Combining the rules that apply to one record into one outcome.
//!
//! # Precedence (the same text heads `assets/rulebook/rules.toml`)
//! Every rule whose conditions hold is applied in order of precedence, lowest first (file order among
//! equals, which validation makes irrelevant: equal precedence never carries different outcomes for one
//! record). A rule replaces the outcome so far, unless it has an `only_over` list that does not contain that
//! outcome. The default precedence is the outcome's rank ([`Outcome::rank`]), so where rules disagree the
//! outcome that moves less data wins:
//!
//! `retain 70 > blocked 60 > delete 50 > return 40 > deidentify 30 > keep 20 > transfer 10`
//!
//! - a legal hold beats deletion (retain over delete);
//! - a positive balance blocks deletion (`prepaid-blocks-deletion`: blocked, only over delete);
//! - an objection blocks a transfer (`objection-*`: keep or delete, only over transfer and blocked);
//! - a block that waits for consent applies only over a transfer, so it never turns a deletion into a wait.
//!
//! When the outcome is transfer, the fields stripped are the union of what the applied transfer rules strip:
//! the fields the owner did not choose as needed (`strip_unneeded`, PIPL Art. 6) and the sensitive ones the
//! owner did not choose (`strip_sensitive`: on Art. 22 routes a default the owner may change, not a duty). When several retain rules apply, the latest
//! date wins. A record no rule applies to is kept where it is (nothing moves without a rule saying so).

use chrono::NaiveDate;

use super::book::{Rule, Rulebook};
use super::conditions::{FieldSet, RecordFacts};
use super::terms::{BlockedBy, Outcome};
use crate::detect::category::Sensitivity;
use crate::wizard::Situation;

/// The decision for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// The rules that took part, in the order they were applied; the last one decided.
    pub rules: Vec<String>,
    /// Outcome retain: the last day of the legal hold.
    pub retain_until: Option<NaiveDate>,
    /// Outcome blocked: what it waits for.
    pub blocked_by: Option<BlockedBy>,
    /// Outcome transfer: the fields removed from the transfer.
    pub stripped: FieldSet,
    /// The customer asked for deletion but a legal hold applies: they must be told why and until when.
    pub deletion_refused_by_hold: bool,
    /// The customer asked for deletion or withdrew consent, and the record is not deleted (a hold, a balance,
    /// a parcel to return, the administrator): the customer must be told why (PIPL Art. 50).
    pub deletion_refused: bool,
}

/// The rules of a rulebook in the order they are applied, prepared once for many records.
#[derive(Debug)]
pub struct Evaluator<'a> {
    book: &'a Rulebook,
    ordered: Vec<&'a Rule>,
    /// The rules that keep a record under a legal hold.
    retaining: Vec<&'a Rule>,
    sensitive: FieldSet,
}

impl<'a> Evaluator<'a> {
    pub fn new(book: &'a Rulebook) -> Evaluator<'a> {
        let mut ordered: Vec<&Rule> = book.rules.iter().collect();
        // A stable sort keeps the file order among equal precedence.
        ordered.sort_by_key(|r| r.precedence);
        Evaluator {
            book,
            retaining: ordered
                .iter()
                .copied()
                .filter(|r| r.retain.is_some())
                .collect(),
            ordered,
            sensitive: FieldSet::of_sensitivity(Sensitivity::Sensitive),
        }
    }

    pub fn book(&self) -> &'a Rulebook {
        self.book
    }

    /// The decision for one record. `needed` are the fields the owner chose as needed by the recipient.
    pub fn evaluate(
        &self,
        situation: &Situation,
        handover: NaiveDate,
        facts: &RecordFacts,
        needed: FieldSet,
    ) -> Decision {
        // A retention period runs from the record's own date (its document date, else its last activity;
        // without either, the handover date) and ends: a hold whose last day is before the handover is over
        // and its rule is not applied; when every hold that applies has ended, the record is
        // `retention_expired` (PIPL Art. 19, 47: then it is deleted).
        let record_date = facts.document_date.or(facts.last_activity);
        let ended = |rule: &Rule| {
            rule.retain
                .as_ref()
                .is_some_and(|spec| spec.until(record_date, handover) < handover)
        };
        let (mut live_hold, mut ended_hold) = (false, false);
        for rule in &self.retaining {
            if rule.when.holds(situation, handover, facts) {
                if ended(rule) {
                    ended_hold = true;
                } else {
                    live_hold = true;
                }
            }
        }
        let expired_facts;
        let facts = if ended_hold && !live_hold {
            expired_facts = RecordFacts {
                retention_expired: true,
                ..facts.clone()
            };
            &expired_facts
        } else {
            facts
        };
        let mut outcome: Option<Outcome> = None;
        let mut applied: Vec<&Rule> = Vec::new();
        for rule in &self.ordered {
            if !rule.when.holds(situation, handover, facts) || ended(rule) {
                continue;
            }
            if !rule.only_over.is_empty() && !outcome.is_some_and(|o| rule.only_over.contains(&o)) {
                continue;
            }
            outcome = Some(rule.outcome);
            applied.push(rule);
        }
        let outcome = outcome.unwrap_or(Outcome::Keep);
        let mut stripped = FieldSet::default();
        let mut listed = Vec::with_capacity(applied.len());
        for rule in applied.iter().copied() {
            if rule.outcome != Outcome::Transfer {
                // A transfer decided over another outcome (the archives going to the surviving company over
                // their hold) is a transfer of its own: the earlier transfer rules' stripping is not its.
                stripped = FieldSet::default();
            }
            if rule.outcome == Outcome::Transfer && outcome == Outcome::Transfer {
                let mut removes = FieldSet::default();
                if rule.strip_unneeded {
                    removes.0 |= facts.fields.0 & !needed.0;
                }
                if rule.strip_sensitive {
                    // A minimisation default the owner may change: a sensitive field chosen as needed moves.
                    removes.0 |= facts.fields.0 & self.sensitive.0 & !needed.0;
                }
                stripped.0 |= removes.0;
                if rule.is_strip_modifier() && removes.is_empty() {
                    continue;
                }
            } else if rule.is_strip_modifier() {
                // Stripping fields means nothing when the record is not transferred.
                continue;
            }
            listed.push(rule.id.clone());
        }
        // A record kept under a hold, or transferred with it (archives to the surviving company, everything
        // to a bankruptcy administrator), carries the last day of its hold.
        let retain_until = matches!(outcome, Outcome::Retain | Outcome::Transfer)
            .then(|| {
                applied
                    .iter()
                    .filter_map(|r| r.retain.as_ref())
                    .map(|spec| spec.until(record_date, handover))
                    .max()
            })
            .flatten();
        let blocked_by = (outcome == Outcome::Blocked)
            .then(|| applied.iter().rev().find_map(|r| r.blocked_by))
            .flatten();
        Decision {
            outcome,
            rules: listed,
            retain_until,
            blocked_by,
            stripped,
            deletion_refused_by_hold: facts.deletion_request && retain_until.is_some(),
            deletion_refused: (facts.deletion_request || facts.consent_withdrawn)
                && outcome != Outcome::Delete,
        }
    }
}

/// The decision for one record under a rulebook (prepares the rule order each call; for many records use
/// [`Evaluator`]).
pub fn evaluate(
    book: &Rulebook,
    situation: &Situation,
    handover: NaiveDate,
    facts: &RecordFacts,
    needed: FieldSet,
) -> Decision {
    Evaluator::new(book).evaluate(situation, handover, facts, needed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{BusinessKind, TransferReason};
    use crate::field::FieldType;
    use crate::rules::status::default_needed_fields;
    use crate::rules::{rulebook, Answer, SourceKind};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
    }

    fn member(fields: &[FieldType]) -> RecordFacts {
        RecordFacts {
            fields: FieldSet::of(fields),
            last_activity: NaiveDate::from_ymd_opt(2026, 6, 1),
            ..RecordFacts::default()
        }
    }

    fn decide(kind: BusinessKind, reason: TransferReason, f: &RecordFacts) -> Decision {
        evaluate(
            rulebook(),
            &Situation::new(kind, reason),
            day(),
            f,
            default_needed_fields(),
        )
    }

    use BusinessKind::*;
    use TransferReason::*;

    #[test]
    fn legal_hold_beats_deletion_and_the_customer_is_told() {
        let mut f = member(&[FieldType::Name]);
        f.source_kind = SourceKind::AccountingVoucher;
        f.deletion_request = true;
        let d = decide(Company, Dissolution, &f);
        assert_eq!(d.outcome, Outcome::Retain);
        assert!(d.rules.contains(&"deletion-request".to_string()));
        assert_eq!(d.rules.last().unwrap(), "retain-accounting-vouchers");
        assert_eq!(d.retain_until, NaiveDate::from_ymd_opt(2056, 12, 31));
        assert!(d.deletion_refused_by_hold);
    }

    #[test]
    fn a_positive_balance_blocks_deletion() {
        let mut f = member(&[FieldType::Name, FieldType::PrepaidBalance]);
        f.prepaid_positive = true;
        f.deletion_request = true;
        let d = decide(Shop, SaleWhole, &f);
        assert_eq!(d.outcome, Outcome::Blocked);
        assert_eq!(d.blocked_by, Some(BlockedBy::Refund));
        // Dissolution without a recipient: deletion is blocked too.
        let d = decide(Shop, Dissolution, &f);
        assert_eq!(d.outcome, Outcome::Blocked);
        f.refunded = true;
        assert_eq!(decide(Shop, Dissolution, &f).outcome, Outcome::Delete);
    }

    #[test]
    fn an_objection_blocks_transfer() {
        let mut f = member(&[FieldType::Name, FieldType::Mobile]);
        assert_eq!(decide(Shop, SaleWhole, &f).outcome, Outcome::Transfer);
        f.objection = true;
        assert_eq!(decide(Shop, SaleWhole, &f).outcome, Outcome::Delete);
        assert_eq!(decide(Company, Merger, &f).outcome, Outcome::Delete);
        // Even with consent given earlier, an objection wins; the seller going on keeps the record.
        f.consent = Answer::Yes;
        assert_eq!(decide(Shop, SaleList, &f).outcome, Outcome::Keep);
        f.consent = Answer::Unknown;
        assert_eq!(decide(Shop, SaleList, &f).outcome, Outcome::Keep);
    }

    #[test]
    fn where_rules_disagree_less_data_moves() {
        // Courier data in a sale: the transfer route and the return rule both apply; return wins.
        let mut f = member(&[FieldType::Waybill, FieldType::Mobile]);
        f.source_kind = SourceKind::CourierPlatform;
        let d = decide(CourierStation, SaleWhole, &f);
        assert_eq!(d.outcome, Outcome::Return);
        assert_eq!(
            d.rules,
            ["sale-whole-transfer-with-notice", "courier-data-return"]
        );
        // And a deletion request moves even less.
        f.deletion_request = true;
        assert_eq!(
            decide(CourierStation, SaleWhole, &f).outcome,
            Outcome::Delete
        );
        // A consent block never turns a deletion into a wait.
        let mut g = member(&[FieldType::Name]);
        g.deletion_request = true;
        assert_eq!(decide(Shop, SaleList, &g).outcome, Outcome::Delete);
        g.minor = true;
        assert_eq!(decide(Shop, SaleWhole, &g).outcome, Outcome::Delete);
    }

    /// The order written in rules.toml: parcels on the shelf, then (bankruptcy) the administrator, legal
    /// hold, unsettled balances, refusal, the route's default.
    #[test]
    fn precedence_follows_the_order_the_law_sets() {
        let refused = |f: RecordFacts| f.with_answers(Answer::No, Answer::Unknown);
        // 1. A parcel on the shelf goes back, over a deletion request, a legal hold and the administrator.
        let mut parcel = member(&[FieldType::Waybill, FieldType::Mobile]);
        parcel.source_kind = SourceKind::CourierPlatform;
        parcel.uncollected = true;
        parcel.deletion_request = true;
        for reason in [SaleWhole, Dissolution, Bankruptcy] {
            let d = decide(CourierStation, reason, &parcel);
            assert_eq!(d.outcome, Outcome::Return, "{reason:?}");
            // The return decides; the deletion request goes with it to the courier company.
            let n = d.rules.len();
            assert_eq!(
                d.rules[n - 2..],
                [
                    "courier-uncollected-parcel-return",
                    "uncollected-deletion-request-to-courier"
                ]
            );
        }
        // 3. A legal hold beats a balance and a refusal.
        let mut voucher = refused(member(&[FieldType::Name]));
        voucher.source_kind = SourceKind::AccountingVoucher;
        voucher.prepaid_positive = true;
        assert_eq!(
            decide(Company, SaleWhole, &voucher).outcome,
            Outcome::Retain
        );
        // 2. … except in bankruptcy: the administrator takes it.
        let d = decide(Company, Bankruptcy, &voucher);
        assert_eq!(d.outcome, Outcome::Transfer);
        assert_eq!(
            d.rules.last().unwrap(),
            "bankruptcy-administrator-takes-all"
        );
        // 4. An unsettled balance beats a refusal: the deletion waits for the refund.
        let mut owed = refused(member(&[FieldType::Name, FieldType::PrepaidBalance]));
        owed.prepaid_positive = true;
        let d = decide(Shop, SaleWhole, &owed);
        assert_eq!(
            (d.outcome, d.blocked_by),
            (Outcome::Blocked, Some(BlockedBy::Refund))
        );
        // 5. A refusal beats the route's default.
        let no = refused(member(&[FieldType::Name]));
        assert_eq!(decide(Shop, SaleWhole, &no).outcome, Outcome::Delete);
        assert_eq!(decide(Shop, SaleList, &no).outcome, Outcome::Keep);
        // 6. The route's default.
        let plain = member(&[FieldType::Name]);
        assert_eq!(decide(Shop, SaleWhole, &plain).outcome, Outcome::Transfer);
        assert_eq!(decide(Shop, SaleList, &plain).outcome, Outcome::Blocked);
    }

    #[test]
    fn minimisation_and_sensitive_fields_are_stripped() {
        let f = member(&[
            FieldType::Name,
            FieldType::Mobile,
            FieldType::IdCard,
            FieldType::Address,
        ]);
        let d = decide(Company, Merger, &f);
        assert_eq!(d.outcome, Outcome::Transfer);
        assert_eq!(d.stripped.fields(), [FieldType::IdCard, FieldType::Address]);
        assert_eq!(
            d.rules,
            ["art22-transfer-with-notice", "sensitive-fields-stripped"]
        );
        let mut g = f.clone();
        g.consent = Answer::Yes;
        let needed = FieldSet::of(&[FieldType::Name, FieldType::Mobile, FieldType::IdCard]);
        let d = evaluate(
            rulebook(),
            &Situation::new(Company, Merger),
            day(),
            &g,
            needed,
        );
        assert_eq!(d.stripped.fields(), [FieldType::Address]);
        assert_eq!(d.rules, ["art22-transfer-with-notice"]);
    }

    #[test]
    fn every_situation_and_status_gets_a_rule() {
        for situation in Situation::all() {
            for consent in Answer::ALL {
                for objection in [false, true] {
                    for prepaid in [false, true] {
                        for source_kind in SourceKind::ALL {
                            let f = RecordFacts {
                                consent,
                                objection,
                                prepaid_positive: prepaid,
                                source_kind,
                                ..member(&[FieldType::Name, FieldType::Mobile])
                            };
                            let d = Evaluator::new(rulebook()).evaluate(
                                &situation,
                                day(),
                                &f,
                                default_needed_fields(),
                            );
                            assert!(!d.rules.is_empty(), "{situation:?} {f:?}");
                            if prepaid && !f.refunded {
                                assert_ne!(d.outcome, Outcome::Delete, "{situation:?} {f:?}");
                            }
                            // In bankruptcy everything goes to the administrator, objections included
                            // (企业破产法 Art. 25); in a merger the accounting archives under a hold go to
                            // the surviving company with their date (民法典 67); everywhere else an
                            // objection stops a transfer.
                            let archives_in_merger =
                                situation.reason == Merger && d.retain_until.is_some();
                            if objection && situation.reason != Bankruptcy && !archives_in_merger {
                                assert_ne!(d.outcome, Outcome::Transfer, "{situation:?} {f:?}");
                            }
                            if situation.reason == Bankruptcy {
                                assert_eq!(d.outcome, Outcome::Transfer, "{situation:?} {f:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
