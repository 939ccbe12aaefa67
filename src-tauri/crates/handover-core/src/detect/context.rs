//! Context words near a value (`顺丰单号 …`, `身份证 …`). Weak patterns — a digit-only waybill series, a
//! 15-digit number that could be a waybill or an old ID — are only reported when their context says what
//! they are. (Labels right in front of a value, such as `QQ：` or `微信号`, are recognised by the scanner
//! itself; see [`super::text`].)
//!
//! Every look is bounded to a small window around the candidate, so context checks keep the scanner
//! linear in the length of the text.

/// Whether any of `words` occurs within `back` bytes before `start` or `fwd` bytes after `end`
/// (windows are widened to character boundaries). Matching is exact except for ASCII case.
pub(crate) fn near(
    text: &str,
    start: usize,
    end: usize,
    back: usize,
    fwd: usize,
    words: &[&str],
) -> bool {
    let mut lo = start.saturating_sub(back);
    while lo > 0 && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (end + fwd).min(text.len());
    while hi < text.len() && !text.is_char_boundary(hi) {
        hi += 1;
    }
    let before = &text[lo..start];
    let after = &text[end..hi];
    words
        .iter()
        .any(|w| contains_ci(before, w) || contains_ci(after, w))
}

/// Substring search, ASCII-case-insensitive when the needle has ASCII letters.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if !needle.bytes().any(|b| b.is_ascii_alphabetic()) {
        return hay.contains(needle);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Words that say a nearby number is an ID number.
pub(crate) const ID_WORDS: &[&str] = &[
    "身份证",
    "证件",
    "身份号",
    "证号",
    "公民号",
    "ID号",
    "ID:",
    "ID：",
    "ID card",
];
/// Words that say a nearby number is a waybill.
pub(crate) const WAYBILL_WORDS: &[&str] = &[
    "单号", "运单", "快递", "包裹", "物流", "寄件", "取件", "件号", "顺丰", "京东", "中通", "圆通",
    "申通", "韵达", "极兔", "邮政", "EMS", "德邦", "百世", "菜鸟", "驿站",
];
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_near_values() {
        let t = "顺丰快递单号 SF1234567890123 明天到";
        let s = t.find("SF").unwrap();
        assert!(near(t, s, s + 15, 24, 12, WAYBILL_WORDS));
        assert!(!near(t, s, s + 15, 24, 12, ID_WORDS));
        let t = "id: 1";
        assert!(near(t, 4, 5, 10, 0, ID_WORDS), "ASCII words ignore case");
        let t = "paid 1";
        assert!(!near(t, 5, 6, 10, 0, ID_WORDS));
        // Windows that fall inside a character are widened, not split.
        let t = "身份证号码是：123";
        let s = t.find('1').unwrap();
        assert!(near(t, s, s + 3, 20, 0, ID_WORDS));
        assert!(near(t, s, s + 3, 19, 0, &["证号"]));
    }
}
