//! QQ numbers: 5–11 digits, not starting with `0`.
//!
//! Any 5–11 digit number has that shape — order numbers, amounts in fen, member numbers — so a QQ number
//! is only ever reported with its label in front (`QQ：12345678`, `扣扣 12345678`) or in a column whose
//! header says QQ. [`is_valid`] checks the shape alone, for columns.

use super::chars;

/// Whether the ASCII digits `d` have the shape of a QQ number.
#[inline]
pub fn is_valid_number(d: &[u8]) -> bool {
    (5..=11).contains(&d.len()) && d[0] != b'0' && d.iter().all(u8::is_ascii_digit)
}

/// The digits of a whole cell that has the shape of a QQ number (full-width digits, surrounding spaces
/// and a `QQ` label are allowed: `QQ:12345678`).
pub fn normalize(s: &str) -> Option<String> {
    let mut t = chars::trim(s);
    for label in ["QQ", "qq", "Qq", "ＱＱ"] {
        if let Some(rest) = t.strip_prefix(label) {
            t = chars::trim(rest.trim_start_matches([':', '：', '号']));
            break;
        }
    }
    let mut out = String::with_capacity(11);
    for c in t.chars() {
        out.push((b'0' + chars::digit(c)?) as char);
    }
    is_valid_number(out.as_bytes()).then_some(out)
}

/// Whether the whole cell has the shape of a QQ number.
pub fn is_valid(s: &str) -> bool {
    normalize(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shapes() {
        assert_eq!(normalize("12345").as_deref(), Some("12345"));
        assert_eq!(normalize("QQ:1234567890").as_deref(), Some("1234567890"));
        assert_eq!(normalize("１２３４５６７８").as_deref(), Some("12345678"));
        for s in [
            "",
            "1234",
            "012345",
            "123456789012",
            "12a45",
            "QQ",
            "微信12345",
        ] {
            assert!(normalize(s).is_none(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = normalize(&s);
        }

        #[test]
        fn digits_round_trip(n in 10_000u64..100_000_000_000) {
            let s = n.to_string();
            prop_assert_eq!(normalize(&format!("QQ：{s}")), Some(s));
        }
    }
}
