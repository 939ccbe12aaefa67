//! Mainland China mobile numbers: `1[3-9]` followed by nine digits.
//!
//! Written with or without the country code (`+86`, `0086`, `86`, or the old trunk `0` some people still
//! dial before a mobile), with spaces, dashes or dots between the groups, in half-width or full-width
//! digits. [`normalize`] returns the bare 11 digits, the form stored and compared everywhere else.
//!
//! The second digit is checked against `3`–`9` only, not against the operators' allocation tables: the
//! tables change every year (new 16x/19x segments, IoT ranges), and an outdated table would silently drop
//! real customers' numbers. The grouping rules in [`from_shape`] do the disambiguation instead.

use super::chars::ascii_str;
use super::shape::{self, Sep, Shape};

/// Whether `d` is exactly 11 ASCII digits starting with `1[3-9]`.
#[inline]
pub fn is_valid_number(d: &[u8]) -> bool {
    d.len() == 11
        && d[0] == b'1'
        && (b'3'..=b'9').contains(&d[1])
        && d.iter().all(u8::is_ascii_digit)
}

/// Whether the whole cell is one mobile number in any accepted writing. Allocation-free.
#[inline]
pub fn is_mobile(s: &str) -> bool {
    parse_digits(s).is_some()
}

/// The 11 digits of the mobile number the whole cell holds, without allocating.
pub fn parse_digits(s: &str) -> Option<[u8; 11]> {
    // The fast path: a cell of exactly 11 ASCII digits is by far the most common form in exports.
    let b = s.as_bytes();
    if b.len() == 11 {
        return if is_valid_number(b) {
            let mut out = [0u8; 11];
            out.copy_from_slice(b);
            Some(out)
        } else if b.iter().all(u8::is_ascii_digit) {
            None
        } else {
            from_shape(&shape::cell_shape(s)?, false)
        };
    }
    from_shape(&shape::cell_shape(s)?, false)
}

/// The bare 11-digit number, e.g. `"+86 138-1234-5678"` → `"13812345678"`.
pub fn normalize(s: &str) -> Option<String> {
    parse_digits(s).map(|d| ascii_str(&d).to_string())
}

/// Groupings of the 11 national digits that people actually write. In free text only these count, so a
/// mobile is not read into the middle of a longer run of digit groups.
const GROUPINGS: [&[u8]; 5] = [&[11], &[3, 4, 4], &[4, 3, 4], &[3, 8], &[7, 4]];

/// Reads a mobile number out of a [`Shape`]. `strict` (free text) also requires one of the usual groupings
/// with one kind of separator, and a `+` only before a country code.
pub(crate) fn from_shape(sh: &Shape, strict: bool) -> Option<[u8; 11]> {
    let d = sh.digits();
    // The prefix in front of the 11 national digits, and whether it may be glued to them.
    let (plen, tight_ok) = match d.len() {
        11 => (0, true),
        // `+8613812345678` is common; a bare `8613812345678` in a sentence could be anything.
        13 if d.starts_with(b"86") => (2, sh.plus || !strict),
        15 if d.starts_with(b"0086") => (4, !sh.plus),
        // The trunk prefix: `013812345678`.
        12 if d[0] == b'0' => (1, !sh.plus),
        _ => return None,
    };
    let national = &d[plen..];
    if !is_valid_number(national) {
        return None;
    }
    if plen == 0 && sh.plus && strict {
        return None;
    }
    if plen == 1 && sh.plus {
        return None;
    }
    if strict {
        let groups = sh.groups();
        let first = if plen == 0 {
            0
        } else if let Some(i) = sh.groups_after(plen) {
            i
        } else if tight_ok && groups.len() == 1 {
            // The prefix is glued to the number: only the fully tight form is accepted.
            0
        } else {
            return None;
        };
        if plen > 0 && first == 0 {
            // Tight prefix, one group in all.
        } else {
            let national_groups = &groups[first..];
            if !GROUPINGS.contains(&national_groups) || !sh.uniform_from(first) {
                return None;
            }
            if first > 0 && sh.seps()[..first].contains(&Sep::Dot) {
                // `86.138…` is not how a country code is written.
                return None;
            }
        }
    } else if !tight_ok && sh.groups().len() == 1 {
        return None;
    }
    let mut out = [0u8; 11];
    out.copy_from_slice(national);
    Some(out)
}

/// The ways people write a mobile number, for this crate's tests (`handover_testkit::values` has the same
/// builders for the other tests and the generated data).
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MobileFormat {
    /// `13812345678`
    Plain,
    /// `138 1234 5678`
    Spaced,
    /// `138-1234-5678`
    Dashed,
    /// `138.1234.5678`
    Dotted,
    /// `138 12345678`
    Split38,
    /// `+8613812345678`
    Plus86,
    /// `+86 138 1234 5678`
    Plus86Spaced,
    /// `+86-138-1234-5678`
    Plus86Dashed,
    /// `008613812345678`
    Prefix0086,
    /// `86 13812345678`
    Prefix86Spaced,
    /// `(+86)13812345678`
    Paren86,
    /// `１３８１２３４５６７８`
    FullWidth,
    /// `＋８６ １３８ １２３４ ５６７８`
    FullWidthPlus86,
    /// `１３８－１２３４－５６７８`
    FullWidthDashed,
    /// `013812345678`
    Trunk0,
}

#[cfg(test)]
impl MobileFormat {
    pub(crate) const ALL: [MobileFormat; 15] = [
        MobileFormat::Plain,
        MobileFormat::Spaced,
        MobileFormat::Dashed,
        MobileFormat::Dotted,
        MobileFormat::Split38,
        MobileFormat::Plus86,
        MobileFormat::Plus86Spaced,
        MobileFormat::Plus86Dashed,
        MobileFormat::Prefix0086,
        MobileFormat::Prefix86Spaced,
        MobileFormat::Paren86,
        MobileFormat::FullWidth,
        MobileFormat::FullWidthPlus86,
        MobileFormat::FullWidthDashed,
        MobileFormat::Trunk0,
    ];
}

/// Writes an 11-digit number in the given format. Anything that is not 11 ASCII digits is returned as is.
#[cfg(test)]
pub(crate) fn format(number: &str, f: MobileFormat) -> String {
    if number.len() != 11 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let (a, b, c) = (&number[..3], &number[3..7], &number[7..]);
    match f {
        MobileFormat::Plain => number.to_string(),
        MobileFormat::Spaced => format!("{a} {b} {c}"),
        MobileFormat::Dashed => format!("{a}-{b}-{c}"),
        MobileFormat::Dotted => format!("{a}.{b}.{c}"),
        MobileFormat::Split38 => format!("{a} {}", &number[3..]),
        MobileFormat::Plus86 => format!("+86{number}"),
        MobileFormat::Plus86Spaced => format!("+86 {a} {b} {c}"),
        MobileFormat::Plus86Dashed => format!("+86-{a}-{b}-{c}"),
        MobileFormat::Prefix0086 => format!("0086{number}"),
        MobileFormat::Prefix86Spaced => format!("86 {number}"),
        MobileFormat::Paren86 => format!("(+86){number}"),
        MobileFormat::FullWidth => full_width(number),
        MobileFormat::FullWidthPlus86 => full_width(&format!("+86 {a} {b} {c}")),
        MobileFormat::FullWidthDashed => full_width(&format!("{a}-{b}-{c}")),
        MobileFormat::Trunk0 => format!("0{number}"),
    }
}

/// Turns ASCII digits, `+` and `-` into their full-width forms and spaces into the ideographic space.
#[cfg(test)]
pub(crate) fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            ' ' => '\u{3000}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_every_written_form() {
        for s in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "138.1234.5678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "+8613812345678",
            "008613812345678",
            "86 13812345678",
            "8613812345678",
            "(+86)13812345678",
            "（＋８６）１３８１２３４５６７８",
            "１３８１２３４５６７８",
            "＋８６　１３８　１２３４　５６７８",
            " 13812345678 ",
            "013812345678",
            "138 - 1234 - 5678",
        ] {
            assert_eq!(normalize(s).as_deref(), Some("13812345678"), "{s:?}");
            assert!(is_mobile(s));
        }
    }

    #[test]
    fn rejects_non_mobiles() {
        for s in [
            "",
            "12812345678",  // second digit 2
            "10012345678",  // 100…
            "1381234567",   // 10 digits
            "138123456789", // 12 digits
            "23812345678",
            "+85213812345678", // Hong Kong country code
            "+13812345678",    // `+` without a country code is accepted leniently only in cells…
            "075512345678",    // a landline
            "+013812345678",
            "138１２３４567８a",
            "电话13812345678",
            "13812345678X",
            "1381234567８9",
        ] {
            let expect_lenient_plus = s == "+13812345678";
            assert_eq!(
                normalize(s).is_some(),
                expect_lenient_plus,
                "{s:?} gave {:?}",
                normalize(s)
            );
        }
    }

    #[test]
    fn strict_shapes_need_usual_groupings() {
        let strict = |s: &str| from_shape(&shape::cell_shape(s).unwrap(), true).is_some();
        assert!(strict("138 1234 5678"));
        assert!(strict("1381 234 5678"));
        assert!(strict("+86 138-1234-5678"));
        assert!(strict("+8613812345678"));
        assert!(
            !strict("8613812345678"),
            "a bare 86-prefixed run in text is not enough"
        );
        assert!(!strict("13 81 23 45 678"));
        assert!(!strict("138-1234 5678"), "mixed separators");
        assert!(!strict("+13812345678"));
        assert!(!strict("86.138.1234.5678"));
    }

    #[test]
    fn formats_round_trip() {
        for f in MobileFormat::ALL {
            let s = format("13912345678", f);
            assert_eq!(normalize(&s).as_deref(), Some("13912345678"), "{f:?} {s}");
        }
        assert_eq!(format("123", MobileFormat::Spaced), "123");
    }

    fn valid_mobile() -> impl Strategy<Value = String> {
        (3u8..=9, 0u64..1_000_000_000).prop_map(|(second, rest)| format!("1{second}{rest:09}"))
    }

    fn any_format() -> impl Strategy<Value = MobileFormat> {
        prop::sample::select(MobileFormat::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = normalize(&s);
            let _ = is_mobile(&s);
        }

        #[test]
        fn never_panics_on_phone_like_noise(s in "[0-9０-９+＋() .\\-－xX]{0,30}") {
            if let Some(n) = normalize(&s) {
                prop_assert!(is_valid_number(n.as_bytes()));
            }
        }

        #[test]
        fn normalize_inverts_format(m in valid_mobile(), f in any_format()) {
            prop_assert_eq!(normalize(&format(&m, f)), Some(m));
        }

        #[test]
        fn invalid_second_digit_is_never_a_mobile(second in 0u8..=2, rest in 0u64..1_000_000_000) {
            let s = format!("1{second}{rest:09}");
            prop_assert!(normalize(&s).is_none());
        }
    }
}
