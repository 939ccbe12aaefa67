//! Personal information inside free text (notes, remarks, an "other" column): every mobile, landline,
//! ID number, bank card, e-mail address, licence plate, waybill and address, and — after their labels —
//! QQ numbers, WeChat IDs, pickup codes, birth dates and names.
//!
//! A hand-written scanner, linear in the length of the text:
//!
//! 1. One pass over the bytes cuts the text into *tokens* (maximal runs of ASCII or full-width letters and
//!    digits, folded to upper-case ASCII), and notes every `@` and every label (微信, 生日, 收件人, QQ …).
//! 2. E-mail addresses around each `@`, then the label-driven kinds, claim their spans.
//! 3. Digit tokens joined by single separators (`138 1234 5678`, `(0755)1234-5678`, `+86-138…`) form a
//!    *chain*; each chain is read as a mobile, landline, ID number, bank card or waybill with the grouping
//!    rules of those modules. A chain that is nothing is skipped; a number never starts or ends inside a
//!    longer run of digits (`订单号 2024031513812345678` holds no phone number).
//! 4. Addresses are found around their markers in the text that is left.
//!
//! Nothing in the fast path allocates except the findings' values; a cell without digits, `@`, labels or
//! address markers costs one pass over its bytes.

use std::cell::RefCell;

use chrono::NaiveDate;

use super::chars;
use super::context;
use super::shape::{Sep, Shape};
use super::{
    address, bank_card, birth_date, email, id_card, landline, mobile, name, pickup_code, plate, qq,
    waybill, wechat,
};
use super::{Finding, PiiKind};

/// A run of letters and digits.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    /// Folded, upper-cased ASCII: the text itself when it already is (most tokens are plain digits),
    /// else a range of the scanner's buffer.
    in_text: bool,
    norm_start: usize,
    norm_len: usize,
    /// Letters before the digits, digits, letters after the digits.
    lp: usize,
    nd: usize,
    ls: usize,
    /// Byte offset in the text where the leading letters end.
    lp_end: usize,
    /// Letters and digits alternate more than `letters digits letters`.
    mixed: bool,
}

/// What a label found in the text announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    Qq,
    Wechat,
    Birth,
    Name,
    Pickup,
}

#[derive(Debug, Clone, Copy)]
struct Label {
    kind: LabelKind,
    /// Byte offset just after the label.
    end: usize,
}

/// First characters of the Han labels (微信, 扣扣, 生日, 收件人, 取件码 …).
static LABEL_START: chars::HanSet =
    chars::HanSet::new("微薇威扣企出生姓联收寄客会户持监家取提货柜");
/// Label starts and address marker starts together: most Han characters are neither, and one lookup
/// tells.
static INTERESTING: chars::HanSet = chars::HanSet::union(&LABEL_START, &address::MARKER_START);

/// The Han labels that start with `c`, longest first, and what they announce.
fn han_labels(c: char) -> (LabelKind, &'static [&'static str]) {
    match c {
        '微' => (LabelKind::Wechat, &["微信号", "微信"]),
        '薇' => (LabelKind::Wechat, &["薇信"]),
        '威' => (LabelKind::Wechat, &["威信"]),
        '扣' => (LabelKind::Qq, &["扣扣"]),
        '企' => (LabelKind::Qq, &["企鹅号", "企鹅"]),
        '出' => (
            LabelKind::Birth,
            &["出生日期", "出生年月日", "出生于", "出生"],
        ),
        '生' => (LabelKind::Birth, &["生日", "生于"]),
        '姓' => (LabelKind::Name, &["姓名"]),
        '联' => (LabelKind::Name, &["联系人"]),
        '收' => (LabelKind::Name, &["收件人", "收货人"]),
        '寄' => (LabelKind::Name, &["寄件人"]),
        '客' => (LabelKind::Name, &["客户姓名"]),
        '会' => (LabelKind::Name, &["会员姓名"]),
        '户' => (LabelKind::Name, &["户主"]),
        '持' => (LabelKind::Name, &["持卡人"]),
        '监' => (LabelKind::Name, &["监护人"]),
        '家' => (LabelKind::Name, &["家长"]),
        '取' => (
            LabelKind::Pickup,
            &["取件编号", "取件码", "取件号", "取货码"],
        ),
        '提' => (LabelKind::Pickup, &["提货码"]),
        '货' => (LabelKind::Pickup, &["货架号"]),
        '柜' => (LabelKind::Pickup, &["柜号"]),
        _ => (LabelKind::Name, &[]),
    }
}

/// A reusable scanner; [`scan`] keeps one per thread.
#[derive(Debug, Default)]
pub struct Scanner {
    toks: Vec<Tok>,
    norm: Vec<u8>,
    ats: Vec<(usize, usize)>,
    labels: Vec<Label>,
    claimed: Vec<(usize, usize)>,
    markers: Vec<address::Mark>,
    tok_claimed: Vec<bool>,
    blocks: Vec<(usize, usize)>,
    scans: u32,
    today: Option<NaiveDate>,
    fixed_today: Option<NaiveDate>,
}

thread_local! {
    static SCANNER: RefCell<Scanner> = RefCell::new(Scanner::new());
}

/// Every piece of personal information in `text`, ordered by position.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    scan_into(text, &mut out);
    out
}

/// Like [`scan`], appending to `out` (which is not cleared), so a caller can reuse one vector.
pub fn scan_into(text: &str, out: &mut Vec<Finding>) {
    SCANNER.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => s.scan_into(text, out),
        // Only reachable if a caller scanned from inside a scan; use a fresh scanner then.
        Err(_) => Scanner::new().scan_into(text, out),
    });
}

/// Whether `text` holds any personal information at all.
pub fn contains_pii(text: &str) -> bool {
    let mut out = Vec::new();
    scan_into(text, &mut out);
    !out.is_empty()
}

/// Letter prefixes that may stand right before a number: `Tel13812345678`, `wx13812345678`.
fn is_context_prefix(letters: &[u8]) -> bool {
    matches!(
        letters,
        b"TEL"
            | b"PHONE"
            | b"MOBILE"
            | b"MOB"
            | b"CELL"
            | b"SJ"
            | b"DH"
            | b"WX"
            | b"VX"
            | b"ID"
            | b"NO"
            | b"WEIXIN"
            | b"WECHAT"
            | b"T"
            | b"M"
            | b"CALL"
    )
}

impl Scanner {
    pub fn new() -> Scanner {
        Scanner::default()
    }

    /// A scanner that judges ID numbers and birth dates against a fixed date (tests, reproducible runs).
    pub fn with_today(today: NaiveDate) -> Scanner {
        Scanner {
            fixed_today: Some(today),
            ..Scanner::default()
        }
    }

    fn today(&mut self) -> NaiveDate {
        if let Some(t) = self.fixed_today {
            return t;
        }
        *self.today.get_or_insert_with(id_card::today_cn)
    }

    /// Scans `text`, appending findings ordered by position to `out`.
    pub fn scan_into(&mut self, text: &str, out: &mut Vec<Finding>) {
        self.toks.clear();
        self.norm.clear();
        self.ats.clear();
        self.labels.clear();
        self.claimed.clear();
        self.markers.clear();
        // The date only moves forward; looking it up again every 2^16 scans keeps long runs correct
        // without a clock read per cell.
        self.scans = self.scans.wrapping_add(1);
        if self.scans.is_multiple_of(65_536) {
            self.today = None;
        }
        let first_out = out.len();

        self.tokenize(text);
        // An address has at least two markers.
        let has_marker = self.markers.len() >= 2;
        if self.toks.is_empty() && self.ats.is_empty() && self.labels.is_empty() && !has_marker {
            return;
        }
        self.emails(text, out);
        self.labelled(text, out);
        self.claimed.sort_unstable();
        self.numbers(text, out);
        if has_marker {
            self.addresses(text, out, first_out);
        }
        out[first_out..].sort_unstable_by_key(|f| (f.start, f.end));
    }

    /// Pass 1: tokens, `@` signs, labels and the positions where an address marker may start.
    fn tokenize(&mut self, text: &str) {
        let b = text.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    i = self.token(text, i);
                    continue;
                }
                if c == b'@' {
                    self.ats.push((i, 1));
                }
                i += 1;
                continue;
            }
            if (0xE4..=0xE9).contains(&c) && i + 2 < n {
                // A run of basic-block Han characters (U+4E00–U+9FFF): the common case, in a tight loop
                // that only stops for the few characters that start a label or an address marker.
                let cp = chars::decode3(c, b[i + 1], b[i + 2]);
                if INTERESTING.contains(cp) {
                    if LABEL_START.contains(cp) {
                        self.label_at(text, i);
                    }
                    if address::MARKER_START.contains(cp) {
                        if let Some(m) = address::mark_at(text, i) {
                            self.markers.push(m);
                        }
                    }
                }
                i += 3;
                continue;
            }
            if (0xE0..0xF0).contains(&c) && i + 2 < n {
                // CJK punctuation and the full-width forms are three bytes long too.
                let cp = chars::decode3(c, b[i + 1], b[i + 2]);
                match cp {
                    // Full-width forms all start with the byte EF; Han characters never do.
                    _ if c != 0xEF && INTERESTING.contains(cp) => {
                        if LABEL_START.contains(cp) {
                            self.label_at(text, i);
                        }
                        if address::MARKER_START.contains(cp) {
                            if let Some(m) = address::mark_at(text, i) {
                                self.markers.push(m);
                            }
                        }
                    }
                    _ if c != 0xEF => {}
                    0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
                        i = self.token(text, i);
                        continue;
                    }
                    0xFF20 => self.ats.push((i, 3)),
                    _ => {}
                }
                i += 3;
                continue;
            }
            i += chars::utf8_len(c);
        }
    }

    /// Records a label starting at byte `i`, if one does.
    fn label_at(&mut self, text: &str, i: usize) {
        let rest = &text[i..];
        let Some(first) = rest.chars().next() else {
            return;
        };
        let (kind, list) = han_labels(first);
        let rb = rest.as_bytes();
        if let Some(l) = list
            .iter()
            .find(|l| chars::starts_with_bytes(rb, l.as_bytes()))
        {
            self.labels.push(Label {
                kind,
                end: i + l.len(),
            });
        }
    }

    /// Reads one token starting at byte `i`; returns the byte after it.
    fn token(&mut self, text: &str, start: usize) -> usize {
        let b = text.as_bytes();
        let (mut lp, mut nd, mut ls) = (0usize, 0usize, 0usize);
        let mut mixed = false;
        // Fast path: ASCII digits and capitals need no normalisation, so the token is its own text.
        let mut end = start;
        while let Some(&c) = b.get(end) {
            if c.is_ascii_digit() {
                mixed |= ls > 0;
                nd += 1;
            } else if c.is_ascii_uppercase() {
                if nd == 0 {
                    lp += 1;
                } else {
                    ls += 1;
                }
            } else {
                break;
            }
            end += 1;
        }
        let continues = match b.get(end) {
            Some(c) if c.is_ascii_lowercase() => true,
            Some(0xEF) => matches!(
                (b.get(end + 1), b.get(end + 2)),
                (Some(0xBC), Some(0x90..=0x99 | 0xA1..=0xBA)) | (Some(0xBD), Some(0x81..=0x9A))
            ),
            _ => false,
        };
        let mut lp_end = start + lp;
        let norm_start = self.norm.len();
        let in_text = !continues;
        let mut i = start;
        if in_text {
            i = end;
        } else {
            (lp, nd, ls, mixed, lp_end) = (0, 0, 0, false, start);
            while let Some(&c) = b.get(i) {
                let (folded, len) = if c < 0x80 {
                    if !c.is_ascii_alphanumeric() {
                        break;
                    }
                    (c.to_ascii_uppercase(), 1)
                } else if c == 0xEF && i + 2 < b.len() {
                    // Full-width digits U+FF10–FF19 (EF BC 90–99), A–Z U+FF21–FF3A (EF BC A1–BA),
                    // a–z U+FF41–FF5A (EF BD 81–9A).
                    let (b1, b2) = (b[i + 1], b[i + 2]);
                    match (b1, b2) {
                        (0xBC, 0x90..=0x99) => (b'0' + (b2 - 0x90), 3),
                        (0xBC, 0xA1..=0xBA) => (b'A' + (b2 - 0xA1), 3),
                        (0xBD, 0x81..=0x9A) => (b'A' + (b2 - 0x81), 3),
                        _ => break,
                    }
                } else {
                    break;
                };
                if folded.is_ascii_digit() {
                    mixed |= ls > 0;
                    nd += 1;
                } else if nd == 0 {
                    lp += 1;
                    lp_end = i + len;
                } else {
                    ls += 1;
                }
                self.norm.push(folded);
                i += len;
            }
        }
        let norm_len = if in_text {
            i - start
        } else {
            self.norm.len() - norm_start
        };
        let w: &[u8] = if in_text {
            &b[start..i]
        } else {
            &self.norm[norm_start..]
        };
        if nd > 0 && lp == 2 && &w[..2] == b"QQ" {
            // `qq12345678`: the label is glued to the number.
            self.labels.push(Label {
                kind: LabelKind::Qq,
                end: lp_end,
            });
        }
        if nd == 0 {
            // A word: it may be a label (wx, vx, QQ, wechat) for what follows.
            let kind = match w {
                b"QQ" => Some(LabelKind::Qq),
                b"WX" | b"VX" | b"WECHAT" | b"WEIXIN" => Some(LabelKind::Wechat),
                b"V" if text[i..].starts_with('信') => Some(LabelKind::Wechat),
                b"DOB" | b"BIRTHDAY" => Some(LabelKind::Birth),
                _ => None,
            };
            if let Some(kind) = kind {
                let end = if kind == LabelKind::Wechat && w == b"V" {
                    i + '信'.len_utf8()
                } else {
                    i
                };
                self.labels.push(Label { kind, end });
            } else if !matches!(w, b"EXT" | b"X")
                && !chars::char_before(text, start).is_some_and(plate::is_province)
            {
                // An ordinary word (`Tom`, `email`, `after`) plays no part in any number: not kept.
                self.norm.truncate(norm_start);
                return i;
            }
        }
        self.toks.push(Tok {
            start,
            end: i,
            in_text,
            norm_start: if in_text { start } else { norm_start },
            norm_len,
            lp,
            nd,
            ls,
            lp_end,
            mixed,
        });
        i
    }

    fn norm<'a>(&'a self, text: &'a str, t: &Tok) -> &'a [u8] {
        let range = t.norm_start..t.norm_start + t.norm_len;
        if t.in_text {
            &text.as_bytes()[range]
        } else {
            &self.norm[range]
        }
    }

    fn claim(&mut self, start: usize, end: usize) {
        self.claimed.push((start, end));
    }

    /// Whether `start..end` overlaps a claimed span. `claimed` is sorted and its spans are disjoint, so
    /// a binary search finds the only candidate (the scan stays linear however many spans there are).
    fn is_claimed(&self, start: usize, end: usize) -> bool {
        let k = self.claimed.partition_point(|&(_, e)| e <= start);
        self.claimed.get(k).is_some_and(|&(s, _)| s < end)
    }

    /// Pass 2a: e-mail addresses.
    fn emails(&mut self, text: &str, out: &mut Vec<Finding>) {
        let mut floor = 0;
        for k in 0..self.ats.len() {
            let (at, at_len) = self.ats[k];
            if at < floor {
                continue;
            }
            if let Some((s, e)) = email::find_around(text, at, at_len, floor) {
                out.push(Finding::new(
                    PiiKind::Email,
                    s,
                    e,
                    email::normalize_span(&text[s..e]),
                ));
                self.claim(s, e);
                floor = e;
            }
        }
    }

    /// Pass 2b: values announced by a label. Labels come in text order, so their spans do too; each is
    /// checked against the e-mail spans (sorted) and the previous label's span.
    fn labelled(&mut self, text: &str, out: &mut Vec<Finding>) {
        let emails = self.claimed.len();
        let mut last_end = 0;
        for k in 0..self.labels.len() {
            let Label { kind, end } = self.labels[k];
            let found = match kind {
                LabelKind::Wechat => wechat::id_after(text, end)
                    // A WeChat ID that is a phone number is reported as the number, by the number pass.
                    .filter(|&(s, e)| !text[s..e].bytes().all(|b| b.is_ascii_digit()))
                    .map(|(s, e)| (PiiKind::Wechat, s, e, text[s..e].to_string())),
                LabelKind::Qq => digits_after(text, end, 4)
                    .filter(|&(s, e)| qq::is_valid_number(&text.as_bytes()[s..e]))
                    .map(|(s, e)| (PiiKind::Qq, s, e, text[s..e].to_string())),
                LabelKind::Birth => {
                    let today = self.today();
                    let s = skip_filler(text, end, 4);
                    birth_date::parse_prefix(&text[s..], today)
                        .map(|(b, used)| (PiiKind::BirthDate, s, s + used, b.normalized()))
                }
                LabelKind::Name => name::after_label(text, skip_filler(text, end, 4))
                    .map(|(s, e)| (PiiKind::Name, s, e, text[s..e].to_string())),
                LabelKind::Pickup => {
                    let s = skip_filler(text, end, 4);
                    // A code is short: at most 16 letters, digits and dashes are looked at.
                    let mut e = s;
                    for c in text[s..].chars().take(16) {
                        let f = chars::fold(c);
                        if !(f.is_ascii_alphanumeric() || f == '-') {
                            break;
                        }
                        e += c.len_utf8();
                    }
                    let continues = text[e..]
                        .chars()
                        .next()
                        .is_some_and(|c| chars::fold(c).is_ascii_alphanumeric());
                    pickup_code::normalize(&text[s..e])
                        .filter(|_| !continues)
                        .map(|v| (PiiKind::PickupCode, s, e, v))
                }
            };
            if let Some((kind, s, e, value)) = found {
                let by_email = {
                    let em = &self.claimed[..emails];
                    let i = em.partition_point(|&(_, end)| end <= s);
                    em.get(i).is_some_and(|&(start, _)| start < e)
                };
                if !by_email && s >= last_end {
                    out.push(Finding::new(kind, s, e, value));
                    self.claim(s, e);
                    last_end = e;
                }
            }
        }
    }

    /// The separator between token `j - 1` and token `j`, when it joins them into one number.
    fn join(&self, text: &str, j: usize) -> Option<Sep> {
        let (a, b) = (self.toks[j - 1], self.toks[j]);
        let gap = &text[a.end..b.start];
        if gap.len() == 1 {
            // The common case, one ASCII character.
            return match gap.as_bytes()[0] {
                b' ' | b'\t' => Some(Sep::Space),
                b'-' => Some(Sep::Dash),
                b'.' => Some(Sep::Dot),
                b')' => opened_before(text, a.start).then_some(Sep::Paren),
                _ => None,
            };
        }
        if gap.len() > 9 {
            return None;
        }
        let mut sep = None;
        let mut spaces = 0;
        for c in gap.chars() {
            let f = chars::fold(c);
            match (f, sep) {
                (' ' | '\t', _) => {
                    spaces += 1;
                    if spaces > 2 {
                        return None;
                    }
                }
                ('-', None) => sep = Some(Sep::Dash),
                ('.', None) if gap.len() <= 3 => sep = Some(Sep::Dot),
                (')', None) => sep = Some(Sep::Paren),
                ('-', Some(Sep::Paren)) => {}
                _ => return None,
            }
        }
        match sep {
            Some(Sep::Dot) if spaces > 0 => None,
            Some(Sep::Paren) => opened_before(text, a.start).then_some(Sep::Paren),
            Some(s) => Some(s),
            None if spaces > 0 => Some(Sep::Space),
            None => None,
        }
    }

    /// Pass 3: numbers.
    fn numbers(&mut self, text: &str, out: &mut Vec<Finding>) {
        let ntoks = self.toks.len();
        // Which tokens lie in claimed spans: one merge of two sorted lists.
        self.tok_claimed.clear();
        let mut ci = 0;
        for t in &self.toks {
            while ci < self.claimed.len() && self.claimed[ci].1 <= t.start {
                ci += 1;
            }
            self.tok_claimed
                .push(self.claimed.get(ci).is_some_and(|&(s, _)| s < t.end));
        }
        let mut i = 0;
        while i < ntoks {
            let t = self.toks[i];
            if self.tok_claimed[i] {
                i += 1;
                continue;
            }
            // Plates: a province abbreviation right before a letter-first token.
            if t.lp > 0 {
                if let Some(p) =
                    chars::char_before(text, t.start).filter(|&c| plate::is_province(c))
                {
                    let ps = t.start - p.len_utf8();
                    if let Some((value, used)) = plate::parse_prefix(&text[ps..]) {
                        let pe = ps + used;
                        if !self.is_claimed(ps, pe) {
                            out.push(Finding::new(PiiKind::Plate, ps, pe, value));
                            while i < ntoks && self.toks[i].start < pe {
                                i += 1;
                            }
                            continue;
                        }
                    }
                }
            }
            if t.mixed || t.nd == 0 {
                i += 1;
                continue;
            }
            let norm = self.norm(text, &t);
            // Letter-prefixed waybills and S10 numbers.
            if t.lp > 0 || t.ls > 0 {
                if let Some((_, true)) = waybill::classify(norm) {
                    let value = chars::ascii_str(norm).to_string();
                    out.push(Finding::new(PiiKind::Waybill, t.start, t.end, value));
                    i += 1;
                    continue;
                }
            }
            let x_suffix = t.ls == 1 && norm[norm.len() - 1] == b'X';
            let prefix_ok = t.lp == 0 || is_context_prefix(&norm[..t.lp]);
            if !prefix_ok || (t.ls > 0 && !x_suffix) {
                i += 1;
                continue;
            }
            // A number continued from a dash- or dot-joined group before it is not a new number.
            let prev_is_number = i > 0 && self.toks[i - 1].nd > 0 && self.toks[i - 1].ls == 0;
            if prev_is_number
                && t.lp == 0
                && matches!(self.join(text, i), Some(Sep::Dash | Sep::Dot))
            {
                i += 1;
                continue;
            }
            i = self.chain(text, i, out);
        }
    }

    /// Reads the chain of digit groups starting at token `i`; returns the index of the next token to look
    /// at.
    fn chain(&mut self, text: &str, i: usize, out: &mut Vec<Finding>) -> usize {
        const MAX_UNITS: usize = 6;
        let ntoks = self.toks.len();
        let mut units = 1;
        let mut seps = [Sep::Space; MAX_UNITS];
        // The first unit may carry a context prefix (`Tel…`) or an X suffix (then it is alone).
        if self.toks[i].ls == 0 {
            while units < MAX_UNITS && i + units < ntoks {
                let j = i + units;
                let u = self.toks[j];
                if u.lp > 0
                    || u.mixed
                    || u.nd == 0
                    || (u.ls > 0 && !(u.ls == 1 && self.norm(text, &u).last() == Some(&b'X')))
                {
                    break;
                }
                if self.tok_claimed[j] {
                    break;
                }
                match self.join(text, j) {
                    Some(Sep::Paren) if units > 1 => break,
                    Some(s) => seps[units - 1] = s,
                    None => break,
                }
                units += 1;
                if u.ls > 0 {
                    break;
                }
            }
        }
        // Nothing we recognise in a chain has fewer than ten digits (the shortest is a landline with a
        // three-digit area code and seven digits): amounts, dates and counts end here.
        let total: usize = (0..units)
            .map(|u| self.toks[i + u].nd + usize::from(self.toks[i + u].ls > 0))
            .sum();
        if total < 10 {
            return i + units;
        }
        // Groups of four (`6222 0212 3456 7890 123`) are one card number or nothing: a Luhn-broken card
        // must not be read as a shorter card or a landline in its middle.
        let card_grouped = units >= 4
            && (0..units - 1).all(|u| self.toks[i + u].nd == 4 && self.toks[i + u].lp == 0)
            && self.toks[i + units - 1].nd <= 4
            && seps[..units - 1].iter().all(|&s| s == seps[0]);
        let first = self.toks[i];
        let num_start = first.lp_end.max(first.start);
        let plus = first.lp == 0
            && chars::char_before(text, num_start).is_some_and(|c| chars::fold(c) == '+');
        for k in (1..=units).rev() {
            // Right boundary: a longer number may not continue past a dash or dot.
            if k < units && (seps[k - 1] != Sep::Space || card_grouped) {
                continue;
            }
            let mut sh = Shape::new();
            sh.plus = plus;
            let mut ok = true;
            for u in 0..k {
                let t = self.toks[i + u];
                let norm = self.norm(text, &t);
                let digits = &norm[t.lp..];
                let sep = if u == 0 { Sep::Space } else { seps[u - 1] };
                if !sh.push_group(digits, sep) {
                    ok = false;
                    break;
                }
            }
            if !ok {
                continue;
            }
            let last = self.toks[i + k - 1];
            let (s, e) = (num_start, last.end);
            let mut span_start = if plus {
                s - chars::char_before(text, s).map_or(0, char::len_utf8)
            } else {
                s
            };
            if k >= 2 && seps[0] == Sep::Paren {
                // Include the opening parenthesis, so masking the span leaves no stray `(`.
                span_start -= chars::char_before(text, span_start).map_or(0, char::len_utf8);
            }
            if let Some(found) = self.interpret(text, &sh, span_start, e, i + k, k) {
                let (kind, fs, fe, value, extra) = found;
                out.push(Finding::new(kind, fs, fe, value));
                return i + k + extra;
            }
        }
        // Nothing: go on after the last unit joined by a dash or dot to the first (space-joined groups may
        // still start a number of their own).
        if card_grouped {
            return i + units;
        }
        let mut next = i + 1;
        while next < i + units && seps[next - i - 1] != Sep::Space {
            next += 1;
        }
        next
    }

    /// Reads a shape as a number; returns (kind, start, end, value, extra tokens consumed).
    fn interpret(
        &mut self,
        text: &str,
        sh: &Shape,
        s: usize,
        e: usize,
        next_tok: usize,
        k: usize,
    ) -> Option<(PiiKind, usize, usize, String, usize)> {
        let len = sh.digits().len();
        if len < 10 {
            return None;
        }
        if matches!(len, 11 | 12 | 13 | 15) {
            if let Some(m) = mobile::from_shape(sh, true) {
                return Some((PiiKind::Mobile, s, e, chars::ascii_str(&m).to_string(), 0));
            }
        }
        // A landline starts with the trunk 0 or a country code.
        let d0 = sh.digits()[0];
        let may_be_landline = len <= 20 && (d0 == b'0' || d0 == b'8' || sh.plus);
        if let Some(mut l) = may_be_landline
            .then(|| landline::from_shape(sh, true))
            .flatten()
        {
            let (mut end, mut extra) = (e, 0);
            if l.ext.is_none() {
                if let Some((ext, ext_end, consumed)) = self.extension(text, e, next_tok) {
                    l.ext = Some(ext);
                    end = ext_end;
                    extra = consumed;
                }
            }
            return Some((PiiKind::Landline, s, end, l.normalized(), extra));
        }
        let d = sh.digits();
        if d.len() == 18 || d.len() == 15 {
            let today = self.today();
            match id_card::from_shape(sh, true, today) {
                (id_card::Verdict::Valid, Some(card)) => {
                    // A 15-digit number next to courier words is the carrier's, not an old ID.
                    let waybill = card.legacy
                        && k == 1
                        && waybill::classify(d).is_some()
                        && !context::near(text, s, e, 30, 15, context::ID_WORDS)
                        && context::near(text, s, e, 30, 15, context::WAYBILL_WORDS);
                    if !waybill {
                        return Some((PiiKind::IdCard, s, e, card.number, 0));
                    }
                }
                // A mistyped ID is neither an ID nor a card.
                (id_card::Verdict::BadCheckDigit, _) => return None,
                _ => {}
            }
        }
        if !(12..=19).contains(&len) {
            return None;
        }
        if let Some(card) = bank_card::from_shape(sh, true).filter(|_| len >= 16) {
            return Some((PiiKind::BankCard, s, e, card.number, 0));
        }
        if k == 1 && !sh.plus {
            if let Some((_, false)) = waybill::classify(d) {
                // The number fills the whole cell (surrounding spaces aside).
                let alone = text[..s].chars().all(chars::is_space)
                    && text[e..].chars().all(chars::is_space);
                if alone || context::near(text, s, e, 30, 15, context::WAYBILL_WORDS) {
                    return Some((PiiKind::Waybill, s, e, chars::ascii_str(d).to_string(), 0));
                }
            }
        }
        None
    }

    /// An extension written after a landline: `转123`, `分机 123`, `ext.123`, `EXT 123`, `x123`. Returns
    /// the digits, the end byte and how many tokens it used; `idx` is the token after the number.
    fn extension(&self, text: &str, e: usize, idx: usize) -> Option<(String, usize, usize)> {
        let t = *self.toks.get(idx)?;
        let gap = chars::trim(text.get(e..t.start)?);
        if gap.chars().count() > 3 || t.mixed || t.ls > 0 {
            return None;
        }
        let norm = self.norm(text, &t);
        let is_ext_word = |w: &[u8]| matches!(w, b"EXT" | b"X");
        let (digits, end, used) = if t.lp == 0 && matches!(gap, "转" | "分机" | "转分机") {
            // 转123
            (norm, t.end, 1)
        } else if t.nd > 0 && is_ext_word(&norm[..t.lp]) && gap.is_empty() {
            // ext123, x123
            (&norm[t.lp..], t.end, 1)
        } else if t.nd == 0 && norm == b"EXT" && gap.is_empty() {
            // ext 123, ext.123, EXT:123
            let d = *self.toks.get(idx + 1)?;
            let gap2 = chars::trim(text.get(t.end..d.start)?);
            if !matches!(gap2, "" | "." | ":" | "：") || d.lp > 0 || d.ls > 0 || d.mixed {
                return None;
            }
            (self.norm(text, &d), d.end, 2)
        } else {
            return None;
        };
        ((1..=6).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit))
            .then(|| (chars::ascii_str(digits).to_string(), end, used))
    }

    /// Pass 4: addresses, in the stretches between claimed spans and number findings.
    fn addresses(&mut self, text: &str, out: &mut Vec<Finding>, first_out: usize) {
        self.blocks.clear();
        self.blocks.extend_from_slice(&self.claimed);
        self.blocks
            .extend(out[first_out..].iter().map(|f| (f.start, f.end)));
        self.blocks.sort_unstable();
        self.blocks.push((text.len(), text.len()));
        let mut from = 0;
        for k in 0..self.blocks.len() {
            let (s, e) = self.blocks[k];
            if s > from {
                address::find_at(text, &self.markers, from, s, &mut |a, b| {
                    out.push(Finding::new(PiiKind::Address, a, b, text[a..b].to_string()));
                });
            }
            from = from.max(e);
        }
    }
}

/// Whether a parenthesis opens right before byte `pos`, possibly followed by one `+`: `(0755)…`, `(+86)…`.
fn opened_before(text: &str, pos: usize) -> bool {
    let mut p = pos;
    if let Some(c) = chars::char_before(text, p).filter(|&c| c == '+' || c == '＋') {
        p -= c.len_utf8();
    }
    chars::char_before(text, p).is_some_and(|c| c == '(' || c == '（')
}

/// Skips up to `max` filler characters (spaces, colons, 号, 是 …) after a label.
fn skip_filler(text: &str, from: usize, max: usize) -> usize {
    let mut i = from;
    for (n, c) in text[from..].chars().enumerate() {
        if n < max
            && (matches!(chars::fold(c), ':' | '=' | '号' | '码' | '是' | '为' | '-')
                || chars::is_space(c))
        {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// A run of ASCII or full-width digits right after a label (filler skipped), not followed by another
/// letter or digit.
fn digits_after(text: &str, from: usize, max_filler: usize) -> Option<(usize, usize)> {
    let s = skip_filler(text, from, max_filler);
    let mut e = s;
    for c in text[s..].chars() {
        if chars::is_digit(c) {
            e += c.len_utf8();
        } else {
            break;
        }
    }
    let next = text[e..].chars().next().map(chars::fold);
    (e > s && !next.is_some_and(|c| c.is_ascii_alphanumeric())).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    fn run(t: &str) -> Vec<(PiiKind, String, String)> {
        let mut out = Vec::new();
        Scanner::with_today(day()).scan_into(t, &mut out);
        out.into_iter()
            .map(|f| (f.kind, t[f.start..f.end].to_string(), f.value))
            .collect()
    }

    fn kinds(t: &str) -> Vec<(PiiKind, String)> {
        run(t).into_iter().map(|(k, _, v)| (k, v)).collect()
    }

    fn one(t: &str, kind: PiiKind, value: &str) {
        assert_eq!(kinds(t), vec![(kind, value.to_string())], "{t}");
    }

    #[test]
    fn every_han_label_is_dispatched() {
        let starts = "微薇威扣企出生姓联收寄客会户持监家取提货柜";
        for c in starts.chars() {
            assert!(LABEL_START.contains(c as u32));
            let (_, labels) = han_labels(c);
            assert!(!labels.is_empty(), "{c}");
            assert!(labels.iter().all(|l| l.starts_with(c)), "{c}");
            // Longer labels first, so 微信号 is not read as 微信.
            for w in labels.windows(2) {
                assert!(!w[1].starts_with(w[0]), "{w:?}");
            }
        }
        assert!(han_labels('张').1.is_empty());
    }

    #[test]
    fn mobiles_in_every_writing() {
        for t in [
            "13812345678",
            "电话13812345678",
            "电话：138 1234 5678，谢谢",
            "手机138-1234-5678。",
            "+86 138 1234 5678",
            "联系(+86)13812345678",
            "＋８６　１３８　１２３４　５６７８",
            "Tel13812345678",
            "tel: 13812345678",
            "008613812345678",
            "+8613812345678",
            "86-138-1234-5678",
            "1381 234 5678",
        ] {
            one(t, PiiKind::Mobile, "13812345678");
        }
    }

    #[test]
    fn digit_runs_inside_longer_runs_are_not_phones() {
        for t in [
            "订单号2024031513812345678",
            "13812345678901",
            "1381234567890",
            "流水 613812345678",
            "13812345678.5元",
            "2024-13812345678",
            "A13812345678",
            "13812345678abc",
            "12812345678",
            "价格1,381,234,567.8",
        ] {
            let got = kinds(t);
            assert!(
                got.iter().all(|(k, _)| *k != PiiKind::Mobile),
                "{t}: {got:?}"
            );
        }
    }

    #[test]
    fn several_numbers_in_one_note() {
        let t = "客户张先生，手机13812345678，座机0755-82345678转8001，身份证11010519491231002X，卡号6222 0212 3456 7890 128？";
        let got = kinds(t);
        assert!(
            got.contains(&(PiiKind::Mobile, "13812345678".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(PiiKind::Landline, "0755-82345678-8001".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(PiiKind::IdCard, "11010519491231002X".into())),
            "{got:?}"
        );
        let spaced = run("电话 138 1234 5678 0755 8765 4321");
        assert_eq!(
            spaced
                .iter()
                .map(|(k, s, _)| (*k, s.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (PiiKind::Mobile, "138 1234 5678"),
                (PiiKind::Landline, "0755 8765 4321")
            ]
        );
        let dated = kinds("2024-03-15 138 1234 5678");
        assert_eq!(dated, vec![(PiiKind::Mobile, "13812345678".into())]);
    }

    #[test]
    fn landlines() {
        one("(0755)82345678", PiiKind::Landline, "0755-82345678");
        one(
            "（０７５５）８２３４５６７８",
            PiiKind::Landline,
            "0755-82345678",
        );
        one("075582345678", PiiKind::Landline, "0755-82345678");
        one("座机010-87654321", PiiKind::Landline, "010-87654321");
        one("0755-82345678-123", PiiKind::Landline, "0755-82345678-123");
        one(
            "0755-82345678 ext 12",
            PiiKind::Landline,
            "0755-82345678-12",
        );
        one("(0755) 8234 5678", PiiKind::Landline, "0755-82345678");
    }

    #[test]
    fn ids_and_cards() {
        one(
            "身份证号11010519491231002x",
            PiiKind::IdCard,
            "11010519491231002X",
        );
        one(
            "110105 19491231 002X",
            PiiKind::IdCard,
            "11010519491231002X",
        );
        assert!(kinds("身份证11010519491231002 1")
            .iter()
            .all(|(k, _)| *k != PiiKind::IdCard));
        // A wrong check digit: not an ID, and not a bank card either.
        assert_eq!(kinds("身份证 110105194912310021"), vec![]);
        let card = {
            let mut p = b"621700123456789012".to_vec();
            p.push(bank_card::luhn_check_digit(&p));
            String::from_utf8(p).unwrap()
        };
        one(&format!("工资卡{card}"), PiiKind::BankCard, &card);
        one(&bank_card::format_grouped(&card), PiiKind::BankCard, &card);
        // A 15-digit old ID.
        one("身份证110105491231002", PiiKind::IdCard, "110105491231002");
    }

    #[test]
    fn waybills() {
        one(
            "顺丰SF1234567890123已签收",
            PiiKind::Waybill,
            "SF1234567890123",
        );
        one("单号 773123456789012", PiiKind::Waybill, "773123456789012");
        one("462012345678901", PiiKind::Waybill, "462012345678901");
        one(
            &format!("EMS {}", waybill::compose_s10("EA", 12345678, "CN")),
            PiiKind::Waybill,
            &waybill::compose_s10("EA", 12345678, "CN"),
        );
        // A digit-only series in a sentence without courier words is not claimed.
        assert_eq!(kinds("会员卡773123456789012积分"), vec![]);
        // A millisecond timestamp is not an EMS number.
        assert_eq!(kinds("1712345678901"), vec![]);
        // A 15-digit Yunda number with courier words is a waybill even though it parses as an old ID.
        let t = "韵达快递单号431021870101123";
        assert_eq!(kinds(t), vec![(PiiKind::Waybill, "431021870101123".into())]);
    }

    #[test]
    fn labelled_values() {
        one("QQ：12345678", PiiKind::Qq, "12345678");
        one("qq12345678", PiiKind::Qq, "12345678");
        one("扣扣 88886666", PiiKind::Qq, "88886666");
        assert_eq!(kinds("订单 88886666"), vec![]);
        one("微信：zhang_san88 加我", PiiKind::Wechat, "zhang_san88");
        one("wx zhangsan88", PiiKind::Wechat, "zhangsan88");
        one("微信13812345678", PiiKind::Mobile, "13812345678");
        one("生日：1990年3月7日", PiiKind::BirthDate, "1990-03-07");
        one("生日3月7号", PiiKind::BirthDate, "--03-07");
        one("取件码 3-2-1024", PiiKind::PickupCode, "3-2-1024");
        one("取件码：A12-3456", PiiKind::PickupCode, "A12-3456");
        one("收件人：王小明，", PiiKind::Name, "王小明");
        one("邮箱zhang.san@QQ.com。", PiiKind::Email, "zhang.san@qq.com");
        one("13812345678@163.com", PiiKind::Email, "13812345678@163.com");
        one("车牌粤B·12345", PiiKind::Plate, "粤B12345");
    }

    #[test]
    fn addresses_and_numbers_together() {
        let t = "地址：北京市朝阳区建设路12号3栋401，电话13812345678";
        let got = kinds(t);
        assert_eq!(
            got,
            vec![
                (PiiKind::Address, "北京市朝阳区建设路12号3栋401".into()),
                (PiiKind::Mobile, "13812345678".into())
            ]
        );
        let t = "朝阳区建设路12号13812345678";
        let got = kinds(t);
        assert_eq!(got[1], (PiiKind::Mobile, "13812345678".into()), "{got:?}");
        assert_eq!(got[0].0, PiiKind::Address);
    }

    #[test]
    fn nothing_in_ordinary_text() {
        for t in [
            "",
            "   ",
            "老客户，喜欢周末来取件",
            "价格 128.50 元，2024-03-15 到店",
            "会员等级3，积分12000",
            "hello world",
            "😀😀😀",
        ] {
            assert_eq!(kinds(t), vec![], "{t}");
        }
    }

    #[test]
    fn spans_are_exact() {
        let t = "电话：１３８ １２３４ ５６７８。";
        let got = run(t);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "１３８ １２３４ ５６７８");
        let t = "+86 138 1234 5678";
        assert_eq!(run(t)[0].1, t);
    }

    /// Adversarial inputs (many tiny groups, labels, `@`s, markers, one giant digit run) must scale
    /// linearly: eight times the text may take at most about eight times as long (20× allowed for noise;
    /// a quadratic scan would take 64×).
    #[test]
    fn long_adversarial_texts_scan_in_linear_time() {
        let patterns = [
            "1 ",
            "138-",
            "QQ:12345 ",
            "a@b.cn ",
            "x@",
            "号市区路",
            "北京市朝阳区建设路12号",
            "13812345678",
            "(+",
            "取件码",
            "微信 ab",
            "粤B",
            "收件人张",
            "6222 ",
        ];
        let time = |t: &str| {
            (0..3)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let n = scan(t).len();
                    (start.elapsed().as_secs_f64(), n)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or((0.0, 0))
        };
        for p in patterns {
            let small = p.repeat(20_000 / p.len().max(1));
            let big = p.repeat(160_000 / p.len().max(1));
            let (ts, _) = time(&small);
            let (tb, found) = time(&big);
            assert!(
                tb < ts * 20.0 + 0.05,
                "{p:?}: {ts:.4}s for 20 kB, {tb:.4}s for 160 kB"
            );
            // Repeated labels each find their value; a giant digit run holds no phone number.
            match p {
                "QQ:12345 " => assert_eq!(found, big.len() / p.len()),
                "13812345678" | "1 " => assert_eq!(found, 0),
                _ => {}
            }
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_valid(s in "\\PC{0,80}") {
            let found = scan(&s);
            for f in &found {
                prop_assert!(f.start < f.end && f.end <= s.len());
                prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            }
            for w in found.windows(2) {
                prop_assert!(w[0].start <= w[1].start);
            }
        }

        #[test]
        fn never_panics_on_dense_noise(s in "[0-9０-９ +()（）.\\-@a-zA-Z转号路区市微信QQ身份证：]{0,80}") {
            let found = scan(&s);
            for w in found.windows(2) {
                prop_assert!(w[0].end <= w[1].start, "findings never overlap: {:?}", found);
            }
        }

        #[test]
        fn embedded_mobiles_are_found(
            m in (3u8..=9, 0u64..1_000_000_000).prop_map(|(a, b)| format!("1{a}{b:09}")),
            f in prop::sample::select(mobile::MobileFormat::ALL.to_vec()),
            before in prop::sample::select(vec!["电话", "手机：", "联系 ", "，", "客户说换号了，新号", ""]),
            after in prop::sample::select(vec!["", "。", "，谢谢", " 明天来", "（本人）"]),
        ) {
            let written = mobile::format(&m, f);
            let t = format!("{before}{written}{after}");
            let got: Vec<_> = scan(&t).into_iter().filter(|x| x.kind == PiiKind::Mobile).map(|x| x.value).collect();
            prop_assert_eq!(got, vec![m], "{}", t);
        }
    }
}
