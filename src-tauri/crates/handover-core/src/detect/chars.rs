//! Character helpers shared by the detectors: full-width folding, Han test, and the separators people put
//! between digit groups.
//!
//! Chinese input methods switch between half-width and full-width forms, so `１３８－１２３４` and `138-1234`
//! are the same number typed in two modes. Every detector folds the full-width ASCII block (U+FF01–U+FF5E)
//! and the ideographic space onto ASCII before it looks at a character.

/// Writes `v` into `out` as zero-padded decimal digits, one per byte (the last `out.len()` digits). For values
/// written millions of times an import (dates, customers' keys), without the formatter's padding.
#[inline]
pub(crate) fn write_digits(out: &mut [u8], mut v: u64) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// Folds full-width ASCII variants, the ideographic space and the common dash look-alikes onto ASCII.
/// Every other character is returned unchanged.
#[inline]
pub(crate) fn fold(c: char) -> char {
    match c {
        // The full-width block mirrors printable ASCII at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        // Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// The value of an ASCII or full-width decimal digit.
#[inline]
pub(crate) fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{FF10}'..='\u{FF19}' => Some((c as u32 - 0xFF10) as u8),
        _ => None,
    }
}

/// Whether `c` is an ASCII or full-width decimal digit.
#[inline]
pub(crate) fn is_digit(c: char) -> bool {
    digit(c).is_some()
}

/// A CJK ideograph (the basic block, extension A and the compatibility block; extension B and later are
/// in names only rarely but are accepted too).
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Whitespace including the ideographic space and the no-break space that spreadsheets like to export.
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}' || c == '\u{FEFF}'
}

/// Trims whitespace (including ideographic space and a BOM) from both ends.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    if ends_cannot_be_space(s) {
        s
    } else {
        s.trim_matches(is_space)
    }
}

/// `s.trim()` (Unicode whitespace), the same result found faster: nearly every cell of a file starts and
/// ends with a character no lead byte of which can be whitespace, and then nothing needs decoding. The
/// standard library's double-ended search was 8 % of an import's reading thread, called a dozen times per
/// row.
#[inline]
pub(crate) fn trim_white(s: &str) -> &str {
    if ends_cannot_be_space(s) {
        s
    } else {
        s.trim()
    }
}

/// Whether neither the first nor the last character of non-empty `s` can be whitespace or a BOM, judged by
/// their first bytes alone: below `!` are ASCII whitespace and control characters; the others are
/// U+0085 and U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3) and the BOM U+FEFF (EF). A byte
/// in that list only means "look closer".
#[inline]
fn ends_cannot_be_space(s: &str) -> bool {
    fn may_be_space(lead: u8) -> bool {
        matches!(lead, 0x00..=0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
    }
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    // The last character's first byte: back over its continuation bytes (0b10xx_xxxx), three at most in
    // valid UTF-8.
    let mut last = b.len() - 1;
    while last > 0 && b[last] & 0xC0 == 0x80 {
        last -= 1;
    }
    !may_be_space(first) && !may_be_space(b[last])
}

/// Number of bytes of the UTF-8 sequence that starts with `lead` (1 for continuation bytes, so a scanner
/// that lands on one still advances).
#[inline]
pub(crate) fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

/// The character that ends just before byte `i` of `s` (which must be a char boundary).
#[inline]
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    s.get(..i).and_then(|t| t.chars().next_back())
}

/// A set of CJK ideographs of the basic block (U+4E00–U+9FFF) as a bitmap built at compile time, so the
/// scanner tests a character against a list with one memory access instead of a chain of comparisons.
#[derive(Debug)]
pub(crate) struct HanSet([u64; HanSet::WORDS]);

impl HanSet {
    const FIRST: u32 = 0x4E00;
    const LEN: usize = 0xA000 - 0x4E00;
    const WORDS: usize = HanSet::LEN / 64;

    /// Builds the set from a string of basic-block ideographs (anything else fails the build).
    pub(crate) const fn new(list: &str) -> HanSet {
        let b = list.as_bytes();
        let mut bits = [0u64; HanSet::WORDS];
        let mut i = 0;
        while i < b.len() {
            assert!(
                b[i] >= 0xE0 && b[i] < 0xF0 && i + 2 < b.len(),
                "only three-byte characters"
            );
            let cp = decode3(b[i], b[i + 1], b[i + 2]);
            assert!(
                cp >= HanSet::FIRST && cp < 0xA000,
                "only basic-block ideographs"
            );
            let k = (cp - HanSet::FIRST) as usize;
            bits[k / 64] |= 1u64 << (k % 64);
            i += 3;
        }
        HanSet(bits)
    }

    /// The union of two sets.
    pub(crate) const fn union(a: &HanSet, b: &HanSet) -> HanSet {
        let mut bits = [0u64; HanSet::WORDS];
        let mut i = 0;
        while i < HanSet::WORDS {
            bits[i] = a.0[i] | b.0[i];
            i += 1;
        }
        HanSet(bits)
    }

    /// Whether the code point is in the set.
    #[inline]
    pub(crate) fn contains(&self, cp: u32) -> bool {
        let k = cp.wrapping_sub(HanSet::FIRST) as usize;
        k < HanSet::LEN && (self.0[k / 64] >> (k % 64)) & 1 == 1
    }
}

/// The code point and byte length of the character at byte `i` of `b` (valid UTF-8, `i` a character
/// boundary); `(0xFFFD, 1)` past the end or on a broken sequence.
#[inline]
pub(crate) fn decode_at(b: &[u8], i: usize) -> (u32, usize) {
    let Some(&c) = b.get(i) else {
        return (0xFFFD, 1);
    };
    let cont = |k: usize| b.get(i + k).map_or(0, |&x| u32::from(x & 0x3F));
    match c {
        0x00..=0x7F => (u32::from(c), 1),
        0xC0..=0xDF => ((u32::from(c & 0x1F) << 6) | cont(1), 2),
        0xE0..=0xEF => ((u32::from(c & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3),
        0xF0..=0xF7 => (
            (u32::from(c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
        _ => (0xFFFD, 1),
    }
}

/// [`is_han`] on a code point.
#[inline]
pub(crate) fn is_han_cp(cp: u32) -> bool {
    matches!(cp, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The code point of a three-byte UTF-8 sequence.
#[inline]
pub(crate) const fn decode3(b0: u8, b1: u8, b2: u8) -> u32 {
    ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F)
}

/// A cheap fixed-capacity buffer of ASCII digits, so the validators never allocate on the fast path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Digits<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Digits<N> {
    pub(crate) fn new() -> Self {
        Digits {
            buf: [0; N],
            len: 0,
        }
    }

    /// Appends one ASCII byte; `false` when the buffer is full.
    #[inline]
    pub(crate) fn push(&mut self, b: u8) -> bool {
        if self.len == N {
            return false;
        }
        self.buf[self.len] = b;
        self.len += 1;
        true
    }

    /// Appends a slice; `false` (and nothing appended) when it does not fit.
    #[inline]
    pub(crate) fn extend(&mut self, bytes: &[u8]) -> bool {
        let end = self.len + bytes.len();
        if end > N {
            return false;
        }
        self.buf[self.len..end].copy_from_slice(bytes);
        self.len = end;
        true
    }

    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// `hay` starts with `needle`, compared byte by byte: for the short words of the detectors this is
/// faster than the library call `starts_with` makes.
#[inline]
pub(crate) fn starts_with_bytes(hay: &[u8], needle: &[u8]) -> bool {
    if hay.len() < needle.len() {
        return false;
    }
    // Words that share a beginning (取件码, 取件号) differ at the end: look there first.
    if let Some(&last) = needle.last() {
        if hay[needle.len() - 1] != last {
            return false;
        }
    }
    let mut i = 0;
    while i < needle.len() {
        if hay[i] != needle[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The bytes as a `&str`; the detectors only ever store ASCII in them.
#[inline]
pub(crate) fn ascii_str(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The quick look at both ends trims exactly as the standard library's search does.
        #[test]
        fn trims_as_the_standard_library_does(
            s in prop_oneof![
                any::<String>(),
                "[ \t\r\n\u{b}\u{c}\u{1}\u{1f}\u{85}\u{a0}\u{a9}\u{1680}\u{1681}\u{2000}\u{200a}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{feff}\u{fffd}a张😀]{0,8}",
            ]
        ) {
            prop_assert_eq!(trim_white(&s), s.trim());
            prop_assert_eq!(trim(&s), s.trim_matches(is_space));
        }
    }

    #[test]
    fn folds_full_width_forms() {
        assert_eq!(fold('１'), '1');
        assert_eq!(fold('＋'), '+');
        assert_eq!(fold('－'), '-');
        assert_eq!(fold('Ａ'), 'A');
        assert_eq!(fold('ｚ'), 'z');
        assert_eq!(fold('\u{3000}'), ' ');
        assert_eq!(fold('—'), '-');
        assert_eq!(fold('张'), '张');
        assert_eq!(digit('９'), Some(9));
        assert_eq!(digit('a'), None);
        assert!(is_han('张') && is_han('𠀀') && !is_han('A') && !is_han('，'));
    }

    #[test]
    fn decoding_matches_the_standard_library() {
        let t = "a张é😀１";
        for (i, c) in t.char_indices() {
            assert_eq!(decode_at(t.as_bytes(), i), (c as u32, c.len_utf8()), "{c}");
        }
        assert_eq!(decode_at(b"", 0), (0xFFFD, 1));
        assert!(is_han_cp('张' as u32) && !is_han_cp('a' as u32));
        for c in ['a', 'é', '张', '😀', '１'] {
            let mut b = [0u8; 4];
            let s = c.encode_utf8(&mut b);
            assert_eq!(utf8_len(s.as_bytes()[0]), s.len());
        }
        assert_eq!(utf8_len(0x80), 1, "a continuation byte still advances");
    }

    #[test]
    fn han_sets() {
        const SET: HanSet = HanSet::new("省市区");
        assert!(SET.contains('市' as u32) && SET.contains('区' as u32));
        assert!(!SET.contains('路' as u32) && !SET.contains('a' as u32) && !SET.contains(0x10FFFF));
        let b = "张".as_bytes();
        assert_eq!(decode3(b[0], b[1], b[2]), '张' as u32);
    }

    #[test]
    fn digit_buffer_stops_at_capacity() {
        let mut d = Digits::<2>::new();
        assert!(d.push(b'1') && d.push(b'2'));
        assert!(!d.push(b'3'));
        assert_eq!(d.as_bytes(), b"12");
        assert_eq!(d.len(), 2);
        assert_eq!(trim("\u{3000} 12 \u{FEFF}"), "12");
        assert_eq!(char_before("a张", 4), Some('张'));
        assert_eq!(ascii_str(b"12"), "12");
        assert!(is_space('\u{3000}'));
    }
}
