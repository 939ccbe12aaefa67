//! Landlines (固定电话): area code (`010`, `02x`, or four digits `0[3-9]xx`) + a 7- or 8-digit local number,
//! optionally with an extension (`转123`, `-123`, `ext 123`).
//!
//! The area code length follows from its first digits (`010` and `02x` are three digits, everything from
//! `03xx` to `09xx` is four), so even an unseparated `075582345678` or `01082345678` splits in exactly one
//! way. Unseparated numbers are accepted only with a four-digit code from the table of codes in use: a
//! separator (`0755-…`, `(0755)…`) is evidence in itself, a run of twelve digits is not.
//!
//! [`normalize`] gives `0755-82345678`, or `0755-82345678-123` with an extension.

use super::chars::{self, ascii_str, Digits};
use super::shape::{self, Sep, Shape};

/// Four-digit area codes in use, without the leading `0` (so `755` is 0755). From the national numbering
/// plan as published; codes merged away after 2013 are kept because old customer lists still carry them.
const AREA_CODES_4: [u16; 317] = [
    310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 335, 349, 350, 351, 352, 353, 354, 355, 356,
    357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 391, 392, 393, 394, 395, 396,
    397, 398, 411, 412, 415, 416, 417, 418, 419, 421, 427, 429, 431, 432, 433, 434, 435, 436, 437,
    438, 439, 451, 452, 453, 454, 455, 456, 457, 458, 459, 464, 467, 468, 469, 470, 471, 472, 473,
    474, 475, 476, 477, 478, 479, 482, 483, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519, 523,
    527, 530, 531, 532, 533, 534, 535, 536, 537, 538, 539, 543, 546, 550, 551, 552, 553, 554, 555,
    556, 557, 558, 559, 561, 562, 563, 564, 566, 570, 571, 572, 573, 574, 575, 576, 577, 578, 579,
    580, 591, 592, 593, 594, 595, 596, 597, 598, 599, 631, 632, 633, 635, 660, 662, 663, 668, 691,
    692, 701, 710, 711, 712, 713, 714, 715, 716, 717, 718, 719, 722, 724, 727, 728, 730, 731, 734,
    735, 736, 737, 738, 739, 743, 744, 745, 746, 750, 751, 752, 753, 754, 755, 756, 757, 758, 759,
    760, 762, 763, 766, 768, 769, 770, 771, 772, 773, 774, 775, 776, 777, 778, 779, 790, 791, 792,
    793, 794, 795, 796, 797, 798, 799, 812, 813, 816, 817, 818, 825, 826, 827, 830, 831, 832, 833,
    834, 835, 836, 837, 838, 839, 851, 852, 853, 854, 855, 856, 857, 858, 859, 870, 871, 872, 873,
    874, 875, 876, 877, 878, 879, 883, 886, 887, 888, 890, 891, 892, 893, 894, 895, 896, 897, 898,
    899, 901, 902, 903, 906, 908, 909, 911, 912, 913, 914, 915, 916, 917, 919, 930, 931, 932, 933,
    934, 935, 936, 937, 938, 939, 941, 943, 951, 952, 953, 954, 955, 970, 971, 972, 973, 974, 975,
    976, 977, 979, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999,
];

/// A landline split into its parts; all digits are ASCII.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landline {
    /// Area code with its leading `0`, e.g. `0755`.
    pub area: String,
    /// Local number, 7 or 8 digits.
    pub local: String,
    /// Extension (分机), 1–6 digits.
    pub ext: Option<String>,
}

impl Landline {
    /// `0755-82345678`, or `0755-82345678-123` with an extension.
    pub fn normalized(&self) -> String {
        match &self.ext {
            Some(e) => format!("{}-{}-{}", self.area, self.local, e),
            None => format!("{}-{}", self.area, self.local),
        }
    }
}

/// Whether `d` (ASCII digits starting with `0`) begins with a three-digit area code (`010`, `02x` except
/// the unassigned `026`).
fn three_digit_area(d: &[u8]) -> bool {
    d.len() >= 3
        && d[0] == b'0'
        && ((d[1] == b'1' && d[2] == b'0') || (d[1] == b'2' && d[2] != b'6'))
}

/// Whether the four digits `d` (starting with `0`) are an area code in use.
pub fn is_known_area_code(d: &[u8]) -> bool {
    if d.len() == 3 {
        return three_digit_area(d) && d.iter().all(u8::is_ascii_digit);
    }
    if d.len() != 4 || d[0] != b'0' || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v = (d[1] - b'0') as u16 * 100 + (d[2] - b'0') as u16 * 10 + (d[3] - b'0') as u16;
    AREA_CODES_4.binary_search(&v).is_ok()
}

/// The length of the area code at the start of `d` (ASCII digits): 3, 4, or `None` when `d` does not
/// start like an area code at all (`00…`, `01` other than `010`, `026`).
pub fn area_code_len(d: &[u8]) -> Option<usize> {
    if d.len() < 3 || d[0] != b'0' {
        return None;
    }
    if three_digit_area(d) {
        return Some(3);
    }
    if (b'3'..=b'9').contains(&d[1]) && d.len() >= 4 {
        return Some(4);
    }
    None
}

/// Whether the whole cell is one landline.
pub fn is_landline(s: &str) -> bool {
    parse(s).is_some()
}

/// The normalised landline of a whole cell, e.g. `"(0755)8234 5678 转 123"` → `"0755-82345678-123"`.
pub fn normalize(s: &str) -> Option<String> {
    parse(s).map(|l| l.normalized())
}

/// Splits off an extension written with a marker (`转`, `分机`, `ext`, `x`, `#`), returning the number part
/// and the extension digits.
fn split_extension(s: &str) -> (&str, Option<Digits<8>>) {
    const MARKERS: [&str; 8] = ["转", "分机", "ext.", "ext", "EXT", "Ext", "x", "#"];
    for m in MARKERS {
        if let Some(pos) = s.rfind(m) {
            let (head, tail) = (&s[..pos], &s[pos + m.len()..]);
            if head.is_empty() {
                continue;
            }
            let mut ext = Digits::<8>::new();
            let mut ok = true;
            for c in chars::trim(tail.trim_start_matches([':', '：', '.'])).chars() {
                match chars::digit(c) {
                    Some(v) if ext.push(b'0' + v) => {}
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && (1..=6).contains(&ext.len()) {
                return (head, Some(ext));
            }
        }
    }
    (s, None)
}

/// Parses a whole cell.
pub fn parse(s: &str) -> Option<Landline> {
    let (number, ext) = split_extension(chars::trim(s));
    let sh = shape::cell_shape(number)?;
    let mut l = from_shape(&sh, false)?;
    if let Some(e) = ext {
        if l.ext.is_some() {
            return None;
        }
        l.ext = Some(ascii_str(e.as_bytes()).to_string());
    }
    Some(l)
}

/// Reads a landline out of a [`Shape`]. `strict` (free text) requires the area code to stand as its own
/// group or, when glued to the local number, to be a known code and the whole number to be one group;
/// local groups of 7/8 or 3–4 + 4 digits; one kind of separator; and a dash before a trailing extension.
pub(crate) fn from_shape(sh: &Shape, strict: bool) -> Option<Landline> {
    if !sh.all_digits() {
        return None;
    }
    let d = sh.digits();
    let groups = sh.groups();
    let seps = sh.seps();
    // Country code `+86 755 …`, `0086-21-…`, `86 10 …`: it must stand as its own group.
    let plen = if d.starts_with(b"0086") && sh.groups_after(4).is_some() {
        4
    } else if d.starts_with(b"86") && sh.groups_after(2).is_some() {
        2
    } else if sh.plus || d.first() != Some(&b'0') {
        return None;
    } else {
        0
    };
    if sh.plus && plen != 2 {
        return None;
    }
    let first = if plen == 0 { 0 } else { sh.groups_after(plen)? };
    if seps[..first].contains(&Sep::Dot) {
        return None;
    }
    // The national digits with their trunk zero (`+86 755…` is written without it).
    let written = &d[plen..];
    let has_zero = written.first() == Some(&b'0');
    let mut nat = Digits::<24>::new();
    if !has_zero {
        nat.push(b'0');
    }
    for &b in written {
        if !nat.push(b) {
            return None;
        }
    }
    let nat = nat.as_bytes();
    let alen = area_code_len(nat)?;
    let written_area = alen - usize::from(!has_zero);
    let (area, rest) = nat.split_at(alen);

    let ng = &groups[first..];
    let ns = &seps[first.min(seps.len())..];
    let g0 = ng[0] as usize;
    let area_separate = g0 == written_area;
    if !area_separate && (g0 < written_area || !is_known_area_code(area)) {
        return None;
    }
    // Lengths of the groups after the area code (the first may be glued to the area code).
    let mut local_groups = Digits::<{ shape::MAX_GROUPS }>::new();
    if !area_separate {
        local_groups.push((g0 - written_area) as u8);
    }
    for &g in &ng[1..] {
        local_groups.push(g);
    }
    let lg = local_groups.as_bytes();
    if lg.is_empty() {
        return None;
    }
    // Seps between the local groups; when the area is separate, ns[0] joins area and local.
    let lsep: &[Sep] = if area_separate { &ns[1..] } else { ns };

    // An extension is a short last group set off by a dash, when the rest is a valid local number.
    let mut ext_len = 0;
    if rest.len() > 8 {
        let last = *lg.last()? as usize;
        if lg.len() >= 2 && (1..=6).contains(&last) && lsep.last() == Some(&Sep::Dash) {
            ext_len = last;
        } else {
            return None;
        }
    }
    let local = &rest[..rest.len() - ext_len];
    if !(7..=8).contains(&local.len()) || !(b'2'..=b'9').contains(&local[0]) {
        return None;
    }
    if strict {
        let n_local = lg.len() - usize::from(ext_len > 0);
        let local_only = &lg[..n_local];
        let inner = &lsep[..n_local - 1];
        match local_only {
            [n] if *n as usize == local.len() => {}
            [a, 4] if area_separate && (3..=4).contains(a) => {}
            _ => return None,
        }
        if !area_separate && n_local != 1 {
            return None;
        }
        if inner.contains(&Sep::Paren) {
            return None;
        }
        // Between area and local: a parenthesis, or the same separator as inside the local number.
        if area_separate {
            let join = ns[0];
            if join != Sep::Paren && inner.first().is_some_and(|&s| s != join) {
                return None;
            }
            if join == Sep::Dot && ext_len > 0 {
                return None;
            }
        }
    }
    Some(Landline {
        area: ascii_str(area).to_string(),
        local: ascii_str(local).to_string(),
        ext: (ext_len > 0).then(|| ascii_str(&rest[rest.len() - ext_len..]).to_string()),
    })
}

/// The ways a landline is written, for this crate's tests (`handover_testkit::values` has the same builders
/// for the other tests and the generated data).
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LandlineFormat {
    /// `0755-82345678`
    Dashed,
    /// `0755 82345678`
    Spaced,
    /// `075582345678`
    Tight,
    /// `(0755)82345678`
    Paren,
    /// `（０７５５）１２３４５６７８`
    FullWidthParen,
    /// `0755-1234-5678` (8-digit locals) or `0755-123-4567`
    Grouped,
    /// `+86-755-82345678`
    Plus86,
    /// `0755-82345678转123` (a made-up extension is added)
    WithExtension,
}

#[cfg(test)]
impl LandlineFormat {
    pub(crate) const ALL: [LandlineFormat; 8] = [
        LandlineFormat::Dashed,
        LandlineFormat::Spaced,
        LandlineFormat::Tight,
        LandlineFormat::Paren,
        LandlineFormat::FullWidthParen,
        LandlineFormat::Grouped,
        LandlineFormat::Plus86,
        LandlineFormat::WithExtension,
    ];
}

/// Writes a landline in the given format (the extension, if any, only in `WithExtension`, which uses the
/// landline's own extension or `123`).
#[cfg(test)]
pub(crate) fn format(l: &Landline, f: LandlineFormat) -> String {
    let (a, n) = (&l.area, &l.local);
    match f {
        LandlineFormat::Dashed => format!("{a}-{n}"),
        LandlineFormat::Spaced => format!("{a} {n}"),
        LandlineFormat::Tight => format!("{a}{n}"),
        LandlineFormat::Paren => format!("({a}){n}"),
        LandlineFormat::FullWidthParen => super::mobile::full_width(&format!("({a}){n}")),
        LandlineFormat::Grouped => {
            let split = n.len() - 4;
            format!("{a}-{}-{}", &n[..split], &n[split..])
        }
        LandlineFormat::Plus86 => format!("+86-{}-{n}", &a[1..]),
        LandlineFormat::WithExtension => {
            format!("{a}-{n}转{}", l.ext.as_deref().unwrap_or("123"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> Option<String> {
        normalize(s)
    }

    #[test]
    fn accepts_written_forms() {
        for (s, want) in [
            ("0755-82345678", "0755-82345678"),
            ("0755 82345678", "0755-82345678"),
            ("075582345678", "0755-82345678"),
            ("(0755)82345678", "0755-82345678"),
            ("（０７５５）８２３４５６７８", "0755-82345678"),
            ("0755-8234-5678", "0755-82345678"),
            ("010-87654321", "010-87654321"),
            ("01087654321", "010-87654321"),
            ("021 6123 4567", "021-61234567"),
            ("0571-8765432", "0571-8765432"),
            ("+86-755-82345678", "0755-82345678"),
            ("+86 10 87654321", "010-87654321"),
            ("0086-21-61234567", "021-61234567"),
            ("0755-82345678转123", "0755-82345678-123"),
            ("0755-82345678 转 8001", "0755-82345678-8001"),
            ("0755-82345678-123", "0755-82345678-123"),
            ("0755-82345678 ext. 12", "0755-82345678-12"),
            ("0755-82345678分机6", "0755-82345678-6"),
            // A separated four-digit code is accepted even when the table does not know it.
            ("0349-2234567", "0349-2234567"),
            ("0888-2345678", "0888-2345678"),
            ("0399-2345678", "0399-2345678"),
        ] {
            assert_eq!(norm(s).as_deref(), Some(want), "{s:?}");
        }
    }

    #[test]
    fn rejects_non_landlines() {
        for s in [
            "",
            "13882345678",     // a mobile
            "82345678",        // no area code
            "0755-8234567890", // local too long
            "0755-123456",     // local too short
            "0755-02345678",   // local starts with 0
            "0755-82345678转", // dangling extension marker
            "039982345678",    // glued to an unknown code
            "026-82345678",    // 026 is not assigned
            "0123-4567890",    // 01x other than 010
            "+852-82345678",
            "400-123-4567", // a service number, not a landline of a person
            "0755-1234567a",
            "95555",
        ] {
            assert_eq!(norm(s), None, "{s:?}");
        }
    }

    #[test]
    fn strict_grouping_in_text() {
        let strict =
            |s: &str| from_shape(&shape::cell_shape(s).unwrap(), true).map(|l| l.normalized());
        assert_eq!(strict("0755-82345678").as_deref(), Some("0755-82345678"));
        assert_eq!(strict("(0755) 8234 5678").as_deref(), Some("0755-82345678"));
        assert_eq!(
            strict("0755-82345678-123").as_deref(),
            Some("0755-82345678-123")
        );
        assert_eq!(strict("075582345678").as_deref(), Some("0755-82345678"));
        assert_eq!(strict("0755 12 345 678"), None);
        assert_eq!(strict("0755-8234 5678"), None, "mixed separators");
        assert_eq!(strict("0755.82345678.12"), None);
    }

    #[test]
    fn area_codes() {
        assert!(is_known_area_code(b"0755"));
        assert!(is_known_area_code(b"010"));
        assert!(is_known_area_code(b"029"));
        assert!(!is_known_area_code(b"026"));
        assert!(!is_known_area_code(b"0399"));
        assert!(!is_known_area_code(b"075"));
        assert_eq!(area_code_len(b"01082345678"), Some(3));
        assert_eq!(area_code_len(b"02182345678"), Some(3));
        assert_eq!(area_code_len(b"075582345678"), Some(4));
        assert_eq!(area_code_len(b"0123"), None);
        assert!(
            AREA_CODES_4.windows(2).all(|w| w[0] < w[1]),
            "table sorted for binary search"
        );
    }

    fn valid_landline() -> impl Strategy<Value = Landline> {
        (
            prop::sample::select(AREA_CODES_4.to_vec()),
            prop::bool::ANY,
            prop::bool::ANY,
            2u32..=9,
            0u32..10_000_000,
            prop::option::of(1u32..100_000),
        )
            .prop_map(|(code, three, eight, lead, rest, ext)| {
                let area = if three {
                    "021".to_string()
                } else {
                    format!("0{code}")
                };
                let local = if eight || three {
                    format!("{lead}{rest:07}")
                } else {
                    format!("{lead}{:06}", rest % 1_000_000)
                };
                Landline {
                    area,
                    local,
                    ext: ext.map(|e| e.to_string()),
                }
            })
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = normalize(&s);
        }

        #[test]
        fn never_panics_on_phone_noise(s in "[0-9０-９+()（） .\\-转ext]{0,30}") {
            if let Some(n) = normalize(&s) {
                prop_assert!(n.starts_with('0'));
            }
        }

        #[test]
        fn normalize_inverts_format(l in valid_landline(), f in prop::sample::select(LandlineFormat::ALL.to_vec())) {
            let written = format(&l, f);
            let mut want = Landline { ext: None, ..l.clone() };
            if f == LandlineFormat::WithExtension {
                want.ext = Some(l.ext.clone().unwrap_or_else(|| "123".into()));
            }
            prop_assert_eq!(normalize(&written), Some(want.normalized()), "{}", written);
        }
    }
}
