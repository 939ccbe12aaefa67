//! The shape of a written number: its digits, how they are grouped, and what separates the groups.
//!
//! A phone, an ID number and a bank card are all "digits with optional separators", and the grouping is
//! half of the evidence: `138 1234 5678` is a mobile, `1381 2345 678` is more likely the middle of something
//! else. Both front ends build a [`Shape`] — the lenient cell parser here (a whole spreadsheet cell that the
//! column already says is a phone number) and the free-text scanner in [`super::text`] (a run of digit
//! groups inside a sentence) — and the validators in `mobile`, `landline`, `id_card` and `bank_card` read
//! the same structure, so the two front ends can never disagree about what a number is.

use super::chars::{self, Digits};

/// Most groups a number is allowed to have (`+86 138 1234 5678` has four; a 19-digit card five).
pub(crate) const MAX_GROUPS: usize = 8;
/// Most digits kept; the longest thing we recognise is a 19-digit card behind a `0086` prefix.
pub(crate) const MAX_DIGITS: usize = 32;

/// The separator between two digit groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    Space,
    Dash,
    Dot,
    /// A closing parenthesis, as in `(0755)12345678` or `(+86) 138…`.
    Paren,
}

/// Digits (ASCII, possibly ending in `X` for an ID number) with their grouping.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    digits: Digits<MAX_DIGITS>,
    groups: [u8; MAX_GROUPS],
    seps: [Sep; MAX_GROUPS],
    ngroups: usize,
    /// A `+` stood right before the first digit (possibly inside the opening parenthesis).
    pub(crate) plus: bool,
}

impl Shape {
    pub(crate) fn new() -> Shape {
        Shape {
            digits: Digits::new(),
            groups: [0; MAX_GROUPS],
            seps: [Sep::Space; MAX_GROUPS],
            ngroups: 0,
            plus: false,
        }
    }

    /// Adds a group of ASCII digits (and possibly a final `X`), joined to the previous group by `sep`
    /// (ignored for the first group). `false` when the shape is full.
    pub(crate) fn push_group(&mut self, bytes: &[u8], sep: Sep) -> bool {
        if self.ngroups == MAX_GROUPS || bytes.is_empty() || bytes.len() > u8::MAX as usize {
            return false;
        }
        if !self.digits.extend(bytes) {
            return false;
        }
        if self.ngroups > 0 {
            self.seps[self.ngroups - 1] = sep;
        }
        self.groups[self.ngroups] = bytes.len() as u8;
        self.ngroups += 1;
        true
    }

    /// All digits, concatenated.
    #[inline]
    pub(crate) fn digits(&self) -> &[u8] {
        self.digits.as_bytes()
    }

    /// The group lengths.
    #[inline]
    pub(crate) fn groups(&self) -> &[u8] {
        &self.groups[..self.ngroups]
    }

    /// The separators: `seps()[i]` joins group `i` and group `i + 1`.
    #[inline]
    pub(crate) fn seps(&self) -> &[Sep] {
        &self.seps[..self.ngroups.saturating_sub(1)]
    }

    /// Whether every digit is `0`–`9` (no trailing `X`).
    #[inline]
    pub(crate) fn all_digits(&self) -> bool {
        self.digits().iter().all(u8::is_ascii_digit)
    }

    /// The groups from index `from` on, when the digits before them are exactly `prefix_len` long, i.e.
    /// a prefix such as `86` or `0086` stands as its own group(s). `None` when the prefix is glued to the
    /// number (then the caller decides whether a tight prefix is acceptable).
    pub(crate) fn groups_after(&self, prefix_len: usize) -> Option<usize> {
        let mut acc = 0usize;
        for (i, &g) in self.groups().iter().enumerate() {
            if acc == prefix_len {
                return Some(i);
            }
            acc += g as usize;
            if acc > prefix_len {
                return None;
            }
        }
        None
    }

    /// Whether the separators between groups `from..` are all the same, ignoring groups before `from`.
    pub(crate) fn uniform_from(&self, from: usize) -> bool {
        let seps = self.seps();
        if from + 1 >= self.ngroups {
            return true;
        }
        let first = seps[from];
        first != Sep::Paren && seps[from..].iter().all(|&s| s == first)
    }
}

/// Parses a whole cell that should hold one number: digits (ASCII or full-width), one `+` before the first
/// digit, parentheses, the usual separators, and a final `X`/`x` (ID numbers). Any other character — a
/// letter, a Han character, a second `+` — means the cell is not just a number and gives `None`.
///
/// Allocation-free; the validators call it on every cell.
pub(crate) fn cell_shape(s: &str) -> Option<Shape> {
    let mut sh = Shape::new();
    let mut group = Digits::<MAX_DIGITS>::new();
    let mut pending_sep: Option<Sep> = None;
    let mut seen_digit = false;
    let mut seen_x = false;
    for c in chars::trim(s).chars() {
        let c = chars::fold(c);
        if seen_x && !chars::is_space(c) {
            // Nothing may follow the X of an ID number.
            return None;
        }
        match c {
            '0'..='9' => {
                if !group.push(c as u8) {
                    return None;
                }
                seen_digit = true;
            }
            'X' | 'x' if group.len() > 0 => {
                if !group.push(b'X') {
                    return None;
                }
                seen_x = true;
            }
            '+' if !seen_digit && !sh.plus => sh.plus = true,
            '(' => {
                if group.len() > 0 {
                    // `138(1234)5678` style: treat as a plain separator.
                    close_group(&mut sh, &mut group, &mut pending_sep)?;
                    pending_sep = Some(Sep::Space);
                }
            }
            ')' => {
                if group.len() > 0 {
                    close_group(&mut sh, &mut group, &mut pending_sep)?;
                }
                pending_sep = Some(Sep::Paren);
            }
            ' ' | '\t' | '-' | '.' | '/' => {
                if group.len() > 0 {
                    close_group(&mut sh, &mut group, &mut pending_sep)?;
                }
                let this = match c {
                    '-' | '/' => Sep::Dash,
                    '.' => Sep::Dot,
                    _ => Sep::Space,
                };
                // In a run like " - " the dash is what the writer meant.
                pending_sep = Some(match (pending_sep, this) {
                    (Some(Sep::Paren), _) => Sep::Paren,
                    (Some(Sep::Dash), _) | (_, Sep::Dash) => Sep::Dash,
                    (Some(Sep::Dot), _) | (_, Sep::Dot) => Sep::Dot,
                    _ => Sep::Space,
                });
            }
            c if chars::is_space(c) => {
                if group.len() > 0 {
                    close_group(&mut sh, &mut group, &mut pending_sep)?;
                }
                pending_sep.get_or_insert(Sep::Space);
            }
            _ => return None,
        }
    }
    if group.len() > 0 {
        close_group(&mut sh, &mut group, &mut pending_sep)?;
    }
    if sh.digits().is_empty() {
        None
    } else {
        Some(sh)
    }
}

fn close_group(
    sh: &mut Shape,
    group: &mut Digits<MAX_DIGITS>,
    pending: &mut Option<Sep>,
) -> Option<()> {
    let sep = pending.take().unwrap_or(Sep::Space);
    if !sh.push_group(group.as_bytes(), sep) {
        return None;
    }
    *group = Digits::new();
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_and_separators() {
        let sh = cell_shape("+86 138-1234-5678").unwrap();
        assert!(sh.plus);
        assert_eq!(sh.digits(), b"8613812345678");
        assert_eq!(sh.groups(), &[2, 3, 4, 4]);
        assert_eq!(sh.seps(), &[Sep::Space, Sep::Dash, Sep::Dash]);
        assert_eq!(sh.groups_after(2), Some(1));
        assert_eq!(sh.groups_after(3), None);
        assert!(sh.uniform_from(1));
        assert!(!sh.uniform_from(0));

        let sh = cell_shape("（０７５５）１２３４５６７８").unwrap();
        assert_eq!(sh.groups(), &[4, 8]);
        assert_eq!(sh.seps(), &[Sep::Paren]);

        let sh = cell_shape("11010519491231002x").unwrap();
        assert_eq!(sh.digits(), b"11010519491231002X");
        assert!(!sh.all_digits());
    }

    #[test]
    fn rejects_anything_but_a_number() {
        for s in [
            "",
            "   ",
            "abc",
            "138x1234",
            "电话13812345678",
            "1+1",
            "12X3",
            "++86",
        ] {
            assert!(cell_shape(s).is_none(), "{s:?}");
        }
        // More digits than any number we know is not a number either.
        assert!(cell_shape(&"1".repeat(40)).is_none());
        assert!(cell_shape(&"1 ".repeat(20)).is_none());
    }
}
