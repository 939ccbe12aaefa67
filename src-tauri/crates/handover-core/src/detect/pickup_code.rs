//! Pickup codes (取件码) of courier stations: shelf–layer–number (`3-2-1024`, `12-5-3011`), a letter zone
//! with a number (`A12-3456`), or plain digits (`123456`).
//!
//! The hyphenated forms are distinctive enough to count a column's values; plain digits are accepted
//! only when the column or a label (取件码/提货码) says so, because any short number has that shape.

use super::chars;

/// Normalises a hyphenated code: upper case, ASCII, `-` between parts. `None` for other shapes.
fn hyphenated(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut parts = [0usize; 4];
    let mut np = 0;
    let mut cur = 0;
    let mut lead_letter = false;
    for (i, c) in chars::trim(s).chars().enumerate() {
        let f = chars::fold(c).to_ascii_uppercase();
        if f.is_ascii_digit() {
            cur += 1;
            out.push(f);
        } else if f.is_ascii_uppercase() && i == 0 {
            lead_letter = true;
            out.push(f);
        } else if matches!(f, '-' | '_') && cur > 0 {
            if np == 3 {
                return None;
            }
            parts[np] = cur;
            np += 1;
            cur = 0;
            out.push('-');
        } else {
            return None;
        }
    }
    if cur == 0 || np == 0 {
        return None;
    }
    parts[np] = cur;
    np += 1;
    let p = &parts[..np];
    let last_ok = (3..=5).contains(&p[np - 1]);
    let ok = match p {
        // 3-2-1024, 12-5-3011
        [a, b, _] => !lead_letter && (1..=2).contains(a) && (1..=2).contains(b) && last_ok,
        // A12-3456, 12-3456
        [a, _] => (1..=3).contains(a) && last_ok,
        _ => false,
    };
    ok.then_some(out)
}

/// Whether the whole cell has a distinctive pickup-code shape (hyphenated). Used to count a column.
pub fn looks_like(s: &str) -> bool {
    hyphenated(s).is_some()
}

/// The normalised code of a whole cell in a pickup-code column: hyphenated forms, or 4–8 plain digits.
pub fn normalize(s: &str) -> Option<String> {
    if let Some(h) = hyphenated(s) {
        return Some(h);
    }
    let mut out = String::with_capacity(8);
    for c in chars::trim(s).chars() {
        out.push((b'0' + chars::digit(c)?) as char);
    }
    (4..=8).contains(&out.len()).then_some(out)
}

/// Whether the whole cell is a pickup code in a pickup-code column.
pub fn is_valid(s: &str) -> bool {
    normalize(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes() {
        for (s, want) in [
            ("3-2-1024", "3-2-1024"),
            ("12-5-3011", "12-5-3011"),
            ("a12-3456", "A12-3456"),
            ("３－２－１０２４", "3-2-1024"),
            ("123456", "123456"),
            ("8-1234", "8-1234"),
        ] {
            assert_eq!(normalize(s).as_deref(), Some(want), "{s:?}");
        }
        assert!(looks_like("3-2-1024"));
        assert!(!looks_like("123456"), "plain digits only with context");
        for s in [
            "",
            "1-2",
            "2024-03-15",
            "A-1234",
            "123-4567-89",
            "12",
            "1-2-3-4567",
            "AB12-3456",
        ] {
            assert!(!looks_like(s), "{s:?}");
        }
        assert!(normalize("123").is_none());
        assert!(normalize("123456789").is_none());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = normalize(&s);
        }

        #[test]
        fn generated_codes_round_trip(a in 1u32..30, b in 1u32..10, c in 100u32..100_000) {
            let s = format!("{a}-{b}-{c}");
            prop_assert_eq!(normalize(&s), Some(s));
        }
    }
}
