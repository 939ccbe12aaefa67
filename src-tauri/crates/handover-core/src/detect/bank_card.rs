//! Bank card numbers (银行卡号): 16–19 digits with a valid Luhn check digit.
//!
//! [`normalize`] accepts any Luhn-valid 16–19 digit number: when the column already says "bank card", an
//! unusual issuer is still a card. Recognising a card *without* that context (free text, column guessing)
//! also needs an issuer prefix seen on cards issued in China ([`Network`] other than `Other`), with the
//! lengths that network uses — a 19-digit order number that happens to pass Luhn (one in ten do) and
//! starts with `4` is not a Visa card, because Visa cards issued in China have 16 digits.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::chars::ascii_str;
use super::shape::{self, Shape};

/// The card network, from the issuer identification number (the leading digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// 银联: `62`, 16–19 digits (also `60`, the prefix of some older domestic cards such as 长城卡).
    UnionPay,
    /// Visa co-branded cards: `4`, 16 digits.
    Visa,
    /// Mastercard co-branded cards: `51`–`55`, 16 digits.
    Mastercard,
    /// JCB co-branded cards: `35`, 16 digits.
    Jcb,
    /// Older domestic debit cards, e.g. `95599` (农业银行), 19 digits (some 16).
    DomesticDebit,
    /// Luhn-valid but with a prefix not seen on cards issued in China.
    Other,
}

/// A valid card number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankCard {
    /// Digits only.
    pub number: String,
    pub network: Network,
}

/// The Luhn (mod 10) check over ASCII digits.
pub fn luhn_valid(d: &[u8]) -> bool {
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in d.iter().rev().enumerate() {
        let mut v = u32::from(b - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// The Luhn check digit that completes `payload` (ASCII digits), for this crate's tests
/// (`handover_testkit::values` has the same builders for the other tests and the generated data).
#[cfg(test)]
pub(crate) fn luhn_check_digit(payload: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &b) in payload.iter().rev().enumerate() {
        let mut v = u32::from(b.wrapping_sub(b'0') % 10);
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    b'0' + ((10 - sum % 10) % 10) as u8
}

/// The network by prefix and length; `Other` when neither fits a card issued in China.
pub fn network(d: &[u8]) -> Network {
    let n = d.len();
    match d {
        [b'6', b'2', ..] | [b'6', b'0', ..] if (16..=19).contains(&n) => Network::UnionPay,
        [b'4', ..] if n == 16 => Network::Visa,
        [b'5', b'1'..=b'5', ..] if n == 16 => Network::Mastercard,
        [b'3', b'5', ..] if n == 16 => Network::Jcb,
        [b'9', ..] if n == 19 || n == 16 => Network::DomesticDebit,
        _ => Network::Other,
    }
}

/// Judges ASCII digits: a card when 16–19 long, Luhn-valid and not all one digit.
fn judge(d: &[u8]) -> Option<BankCard> {
    if !(16..=19).contains(&d.len()) || !luhn_valid(d) || d.iter().all(|&b| b == d[0]) {
        return None;
    }
    Some(BankCard {
        number: ascii_str(d).to_string(),
        network: network(d),
    })
}

/// Parses a whole cell (spaces and dashes between groups, full-width digits accepted).
pub fn parse(s: &str) -> Option<BankCard> {
    let sh = shape::cell_shape(s)?;
    if sh.plus || !sh.all_digits() {
        return None;
    }
    judge(sh.digits())
}

/// The digits of a Luhn-valid 16–19 digit card number in the cell.
pub fn normalize(s: &str) -> Option<String> {
    parse(s).map(|c| c.number)
}

/// Whether the cell is a card number with an issuer prefix used in China (the test used without context).
pub fn is_bank_card(s: &str) -> bool {
    parse(s).is_some_and(|c| c.network != Network::Other)
}

/// Reads a card in free text: the usual groupings (tight, or groups of four with a shorter last group),
/// one kind of separator, and a known network.
pub(crate) fn from_shape(sh: &Shape, strict: bool) -> Option<BankCard> {
    if sh.plus || !sh.all_digits() {
        return None;
    }
    if strict {
        let g = sh.groups();
        let fours = g.len() >= 4
            && g[..g.len() - 1].iter().all(|&x| x == 4)
            && (1..=4).contains(&g[g.len() - 1]);
        if !(g.len() == 1 || fours) || !sh.uniform_from(0) {
            return None;
        }
    }
    // Without context only the networks issued here count; their prefixes are cheaper to test than Luhn.
    if strict && network(sh.digits()) == Network::Other {
        return None;
    }
    judge(sh.digits())
}

/// Groups of four, `6222 0212 3456 7890 123`, for this crate's tests.
#[cfg(test)]
pub(crate) fn format_grouped(number: &str) -> String {
    let mut out = String::with_capacity(number.len() + number.len() / 4);
    for (i, c) in number.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn luhn_examples() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(luhn_valid(b"79927398713"), "the textbook example");
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(!luhn_valid(b""));
        assert!(!luhn_valid(b"41x1"));
        assert_eq!(luhn_check_digit(b"411111111111111"), b'1');
    }

    #[test]
    fn parses_cards_in_common_writing() {
        let n = {
            let mut p = b"622202123456789012".to_vec();
            p.push(luhn_check_digit(&p));
            String::from_utf8(p).unwrap()
        };
        assert_eq!(normalize(&n).as_deref(), Some(n.as_str()));
        assert_eq!(normalize(&format_grouped(&n)).as_deref(), Some(n.as_str()));
        assert_eq!(parse(&n).unwrap().network, Network::UnionPay);
        assert_eq!(parse("4111 1111 1111 1111").unwrap().network, Network::Visa);
        assert_eq!(
            parse("5500-0000-0000-0004").unwrap().network,
            Network::Mastercard
        );
        assert!(is_bank_card("4111111111111111"));
        // Luhn-valid but with an issuer we do not expect: a card when the column says so, not otherwise.
        let other = {
            let mut p = b"123456789012345".to_vec();
            p.push(luhn_check_digit(&p));
            String::from_utf8(p).unwrap()
        };
        assert!(normalize(&other).is_some());
        assert!(!is_bank_card(&other));
    }

    #[test]
    fn rejects_non_cards() {
        for s in [
            "",
            "4111111111111112",     // Luhn fails
            "411111111111111",      // 15 digits
            "41111111111111111111", // 20 digits
            "0000000000000000",     // all zeros pass Luhn but are not a card
            "+4111111111111111",
            "4111 1111 1111 111X",
            "卡号4111111111111111",
        ] {
            assert!(normalize(s).is_none(), "{s:?}");
        }
    }

    #[test]
    fn networks_need_their_lengths() {
        assert_eq!(
            network(b"4111111111111111111"),
            Network::Other,
            "19-digit 4… is no Visa issued here"
        );
        assert_eq!(network(b"9559980012345678901"), Network::DomesticDebit);
        assert_eq!(network(b"6011000000000004"), Network::UnionPay);
        assert_eq!(network(b"3530111333300000"), Network::Jcb);
        assert_eq!(network(b"2221000000000009"), Network::Other);
    }

    fn card() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["62", "60", "4", "51", "55", "35", "9"]),
            16usize..=19,
        )
            .prop_flat_map(|(prefix, len)| {
                let len = match prefix {
                    "4" | "51" | "55" | "35" => 16,
                    "9" => 19,
                    _ => len,
                };
                prop::collection::vec(0u8..10, len - 1 - prefix.len()).prop_map(move |body| {
                    let mut p: Vec<u8> = prefix
                        .bytes()
                        .chain(body.into_iter().map(|d| b'0' + d))
                        .collect();
                    p.push(luhn_check_digit(&p));
                    String::from_utf8(p).unwrap()
                })
            })
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn normalize_inverts_grouping(n in card()) {
            prop_assume!(!n.bytes().all(|b| b == n.as_bytes()[0]));
            prop_assert_eq!(normalize(&format_grouped(&n)), Some(n.clone()));
            prop_assert_eq!(normalize(&n.replace(' ', "-")), Some(n.clone()));
            prop_assert!(is_bank_card(&n));
            let sh = shape::cell_shape(&format_grouped(&n)).unwrap();
            prop_assert!(from_shape(&sh, true).is_some());
        }

        #[test]
        fn one_changed_digit_breaks_luhn(n in card(), pos in 0usize..16, delta in 1u8..10) {
            let mut d = n.into_bytes();
            d[pos] = b'0' + (d[pos] - b'0' + delta) % 10;
            prop_assert!(!luhn_valid(&d));
        }
    }
}
