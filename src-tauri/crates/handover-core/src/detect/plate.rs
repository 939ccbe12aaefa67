//! Vehicle licence plates (车牌号): province abbreviation + issuing-authority letter + five characters
//! (`粤B12345`), or six for new-energy vehicles (`粤BD12345`, `粤B12345D`).
//!
//! The letters `I` and `O` never appear (they look like 1 and 0); ordinary plates carry at most two letters
//! among the last five, so a run like `京ABCDE` is not a plate. Special series end in a Han character
//! (`挂` trailer, `学` driving school, `警` police, `港`/`澳` cross-border).

use super::chars;

/// Province abbreviations used on plates.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// Han characters that end special-series plates.
const SPECIAL_SUFFIX: &str = "挂学警港澳领使试超";

/// Whether `c` is a plate province abbreviation.
pub fn is_province(c: char) -> bool {
    PROVINCES.contains(c)
}

#[inline]
fn plate_letter(c: char) -> bool {
    c.is_ascii_uppercase() && c != 'I' && c != 'O'
}

/// Parses the characters after the province abbreviation; returns the normalised tail and how many
/// bytes of `rest` it used. Stops at the first character that cannot continue a plate, and fails if the
/// plate is followed directly by another letter or digit.
fn tail(rest: &str) -> Option<(String, usize)> {
    let mut it = rest.char_indices().peekable();
    let (_, letter) = it.next()?;
    let letter = chars::fold(letter).to_ascii_uppercase();
    if !plate_letter(letter) {
        return None;
    }
    let mut out = String::with_capacity(8);
    out.push(letter);
    // One optional separator after the authority letter: `粤B·12345`, `粤B 12345`.
    if let Some(&(_, c)) = it.peek() {
        if matches!(chars::fold(c), '·' | '•' | '・' | '.' | ' ' | '-') {
            it.next();
        }
    }
    let mut used = 0;
    let mut body = [0u8; 6];
    let mut n = 0;
    let mut special = None;
    for (i, c) in it.by_ref() {
        let f = chars::fold(c).to_ascii_uppercase();
        if n < 6 && (f.is_ascii_digit() || plate_letter(f)) && special.is_none() {
            body[n] = f as u8;
            n += 1;
            used = i + c.len_utf8();
        } else if n == 4 && special.is_none() && SPECIAL_SUFFIX.contains(c) {
            special = Some(c);
            used = i + c.len_utf8();
        } else {
            break;
        }
    }
    // Nothing word-like may follow directly.
    if let Some(next) = rest[used..].chars().next() {
        let f = chars::fold(next);
        if f.is_ascii_alphanumeric() {
            return None;
        }
    }
    let body = &body[..n];
    let letters = body.iter().filter(|b| b.is_ascii_uppercase()).count();
    let ok = match (n, special) {
        (4, Some(_)) => letters <= 2,
        (5, None) => letters <= 2,
        // New energy: D/F first then a letter or digit and four digits, or five digits then D/F.
        (6, None) => {
            (matches!(body[0], b'D' | b'F') && body[2..].iter().all(u8::is_ascii_digit))
                || (body[..5].iter().all(u8::is_ascii_digit) && matches!(body[5], b'D' | b'F'))
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    out.push_str(chars::ascii_str(body));
    if let Some(s) = special {
        out.push(s);
    }
    Some((out, used))
}

/// Parses a plate that starts at the beginning of `s`; returns the normalised plate (`粤B12345`) and the
/// number of bytes used.
pub(crate) fn parse_prefix(s: &str) -> Option<(String, usize)> {
    let p = s.chars().next()?;
    if !is_province(p) {
        return None;
    }
    let (t, used) = tail(&s[p.len_utf8()..])?;
    let mut out = String::with_capacity(12);
    out.push(p);
    out.push_str(&t);
    Some((out, p.len_utf8() + used))
}

/// The normalised plate of a whole cell (upper case, separator removed), e.g. `粤b·12345` → `粤B12345`.
pub fn normalize(s: &str) -> Option<String> {
    let t = chars::trim(s);
    let (plate, used) = parse_prefix(t)?;
    (used == t.len()).then_some(plate)
}

/// Whether the whole cell is a licence plate.
pub fn is_valid(s: &str) -> bool {
    normalize(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plates() {
        for (s, want) in [
            ("粤B12345", "粤B12345"),
            ("粤b·12345", "粤B12345"),
            ("京A 8Z88A", "京A8Z88A"),
            ("沪AD12345", "沪AD12345"),
            ("沪A12345F", "沪A12345F"),
            ("苏E1234学", "苏E1234学"),
            ("粤Ｂ１２３４５", "粤B12345"),
        ] {
            assert_eq!(normalize(s).as_deref(), Some(want), "{s:?}");
        }
        for s in [
            "",
            "粤B1234",    // too short
            "粤B1234567", // too long
            "粤I12345",   // no I
            "京ABCDE1",   // too many letters
            "京ABCD1",    // three letters among five
            "港B12345",   // not a province abbreviation
            "粤BX12345",  // six characters but not new-energy
            "粤B12345D9",
            "B12345",
        ] {
            assert!(normalize(s).is_none(), "{s:?}");
        }
        assert_eq!(
            parse_prefix("粤B12345的车"),
            Some(("粤B12345".into(), "粤B12345".len()))
        );
        assert!(
            parse_prefix("粤B12345678").is_none(),
            "a longer run is not a plate"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = normalize(&s);
            let _ = parse_prefix(&s);
        }

        #[test]
        fn generated_plates_round_trip(
            p in prop::sample::select(PROVINCES.chars().collect::<Vec<_>>()),
            l in "[A-HJ-NP-Z]",
            body in "[0-9]{3}[A-HJ-NP-Z0-9]{2}",
        ) {
            let plate = format!("{p}{l}{body}");
            prop_assume!(body.bytes().filter(u8::is_ascii_uppercase).count() <= 2);
            prop_assert_eq!(normalize(&format!("{p}{}·{body}", l.to_lowercase())), Some(plate));
        }
    }
}
