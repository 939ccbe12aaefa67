//! WeChat IDs (微信号): 6–20 characters, a letter first, then letters, digits, `_` and `-`; and the
//! internal `wxid_…` form that exports of chat tools contain.
//!
//! A custom WeChat ID looks like any user name, so outside a WeChat column it is only reported after a
//! label (`微信：zhang_san88`, `wx zhangsan88`, `VX：…`). Many people use their phone number as WeChat ID;
//! `微信 13812345678` is reported as the mobile number it is.

use super::chars;

#[inline]
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Whether `s` (exactly, no trimming) is a WeChat ID.
pub fn is_valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    if let Some(rest) = s.strip_prefix("wxid_") {
        // Internal IDs: `wxid_` and 10–20 lower-case letters and digits.
        return (10..=20).contains(&rest.len())
            && rest
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    }
    (6..=20).contains(&b.len()) && b[0].is_ascii_alphabetic() && s.chars().all(is_id_char)
}

/// A whole cell that is a WeChat ID (surrounding spaces, full-width letters and a `微信：` label allowed).
pub fn normalize(s: &str) -> Option<String> {
    let mut t = chars::trim(s);
    for label in ["微信号", "微信", "wechat", "WeChat", "wx", "WX", "vx", "VX"] {
        if let Some(rest) = t.strip_prefix(label) {
            let rest = chars::trim(rest.trim_start_matches([':', '：']));
            if !rest.is_empty() {
                t = rest;
                break;
            }
        }
    }
    let folded: String = t.chars().map(chars::fold).collect();
    is_valid_id(&folded).then_some(folded)
}

/// Whether a whole cell is a WeChat ID.
pub fn is_valid(s: &str) -> bool {
    normalize(s).is_some()
}

/// Finds a WeChat ID starting at or after byte `from` (after a label): skips filler, then reads a run of
/// ID characters. Returns the byte span when the run is a valid ID and is not followed by more word
/// characters (a Han character may follow: `微信zhangsan88加我`).
pub(crate) fn id_after(text: &str, from: usize) -> Option<(usize, usize)> {
    let rest = text.get(from..)?;
    let mut start = from;
    let mut skipped = 0;
    for c in rest.chars() {
        if skipped < 4
            && (matches!(chars::fold(c), ':' | '=' | '号' | '是' | '为' | '-')
                || chars::is_space(c))
        {
            start += c.len_utf8();
            skipped += 1;
        } else {
            break;
        }
    }
    let mut end = start;
    for c in text[start..].chars() {
        if c.is_ascii() && is_id_char(c) {
            end += 1;
            if end - start > 24 {
                return None;
            }
        } else {
            break;
        }
    }
    let id = &text[start..end];
    (end > start && is_valid_id(id)).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids() {
        for s in ["zhangsan88", "Li_Si-2020", "abcdef", "wxid_abc123def456"] {
            assert!(is_valid_id(s), "{s}");
        }
        for s in [
            "",
            "abc",
            "1zhangsan",
            "zhang san",
            "张三abcdef",
            "a".repeat(21).as_str(),
            "wxid_ABC",
        ] {
            assert!(!is_valid_id(s), "{s:?}");
        }
        assert_eq!(normalize("微信：zhangsan88").as_deref(), Some("zhangsan88"));
        assert_eq!(
            normalize("ｚｈａｎｇｓａｎ８８").as_deref(),
            Some("zhangsan88")
        );
        assert_eq!(
            normalize("13812345678"),
            None,
            "a phone number is a mobile, not a custom ID"
        );
    }

    #[test]
    fn ids_after_labels() {
        let t = "微信：zhang_san88加我";
        let from = t.find('：').unwrap();
        let (s, e) = id_after(t, from).unwrap();
        assert_eq!(&t[s..e], "zhang_san88");
        let t = "wx zhangsan";
        assert_eq!(id_after(t, 2).map(|(s, e)| &t[s..e]), Some("zhangsan"));
        assert!(id_after("微信 abc", 6).is_none(), "too short");
        assert!(
            id_after(&format!("微信 a{}", "b".repeat(30)), 6).is_none(),
            "too long"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}", from in 0usize..40) {
            let _ = normalize(&s);
            let _ = id_after(&s, from);
        }

        #[test]
        fn generated_ids_round_trip(id in "[a-zA-Z][a-zA-Z0-9_-]{5,19}") {
            prop_assert_eq!(normalize(&format!("微信：{id}")), Some(id.clone()));
        }
    }
}
