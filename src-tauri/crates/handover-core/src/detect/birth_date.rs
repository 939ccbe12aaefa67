//! Dates of birth (生日/出生日期) in the ways customer lists write them: `1990-03-07`, `1990/3/7`,
//! `1990.3.7`, `19900307`, `1990年3月7日`, and — since shops record birthdays for greetings — month and day
//! only: `03-07`, `3/7`, `3月7日`, `3月7号`.
//!
//! A date is a birth date only when it exists in the calendar (29 February only in leap years, or without
//! a year), the year is between 1900 and today, and it is not in the future. In free text a date counts as
//! a birth date only after a label (生日, 出生, 出生日期 …); any other date is a date.

use chrono::{Datelike, NaiveDate};

use super::chars;
use super::id_card::today_cn;

/// A birth date, possibly without the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl BirthDate {
    /// `1990-03-07`, or `--03-07` (ISO 8601 without year) when the year is unknown.
    pub fn normalized(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }

    /// The full date, when the year is known.
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }
}

/// Days in a month; February has 29 when the year is unknown.
fn valid_md(year: Option<i32>, m: u32, d: u32) -> bool {
    match year {
        Some(y) => NaiveDate::from_ymd_opt(y, m, d).is_some(),
        None => NaiveDate::from_ymd_opt(2000, m, d).is_some(),
    }
}

/// A small cursor over folded characters.
struct Cur<'a> {
    s: &'a str,
    pos: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Reads up to `max` digits; returns (value, count).
    fn number(&mut self, max: usize) -> (u32, usize) {
        let mut v = 0u32;
        let mut n = 0;
        while n < max {
            match self.peek().and_then(chars::digit) {
                Some(d) => {
                    v = v * 10 + u32::from(d);
                    n += 1;
                    self.bump();
                }
                None => break,
            }
        }
        (v, n)
    }

    fn eat(&mut self, pred: impl Fn(char) -> bool) -> Option<char> {
        let c = self.peek()?;
        if pred(chars::fold(c)) {
            self.bump();
            Some(c)
        } else {
            None
        }
    }
}

fn is_sep(c: char) -> bool {
    matches!(c, '-' | '/' | '.')
}

/// Parses a date at the start of `s`; returns it and the bytes used. The next character must not be a
/// digit (so `1990-03-071` is not a date).
pub(crate) fn parse_prefix(s: &str, today: NaiveDate) -> Option<(BirthDate, usize)> {
    let mut c = Cur { s, pos: 0 };
    let (first, n1) = c.number(8);
    let result = if n1 == 8 {
        // 19900307
        let (y, m, d) = (first / 10000, first / 100 % 100, first % 100);
        BirthDate {
            year: Some(y as i32),
            month: m,
            day: d,
        }
    } else if n1 == 4 {
        // 1990-03-07 / 1990年3月7日
        let sep = c.eat(|ch| is_sep(ch) || ch == '年')?;
        let (m, nm) = c.number(2);
        if nm == 0 {
            return None;
        }
        let want_day_sep = |ch: char| {
            if sep == '年' {
                ch == '月'
            } else {
                chars::fold(sep) == ch
            }
        };
        c.eat(want_day_sep)?;
        let (d, nd) = c.number(2);
        if nd == 0 {
            return None;
        }
        if sep == '年' {
            c.eat(|ch| ch == '日' || ch == '号');
        }
        BirthDate {
            year: Some(first as i32),
            month: m,
            day: d,
        }
    } else if (1..=2).contains(&n1) {
        // 03-07 / 3月7日
        let sep = c.eat(|ch| matches!(ch, '-' | '/' | '.' | '月'))?;
        let (d, nd) = c.number(2);
        if nd == 0 {
            return None;
        }
        if sep == '月' {
            c.eat(|ch| ch == '日' || ch == '号');
        } else if c.peek().map(chars::fold).is_some_and(is_sep) {
            // `3/7/1990` and other day-month-year orders are ambiguous; not accepted.
            return None;
        }
        BirthDate {
            year: None,
            month: first,
            day: d,
        }
    } else {
        return None;
    };
    if c.peek().is_some_and(chars::is_digit) {
        return None;
    }
    if !valid_md(result.year, result.month, result.day) {
        return None;
    }
    if let Some(y) = result.year {
        if y < 1900 || result.date().is_none_or(|d| d > today) {
            return None;
        }
    }
    Some((result, c.pos))
}

/// Parses a whole cell as a birth date, judged on today's date in China.
pub fn parse(s: &str) -> Option<BirthDate> {
    parse_on(s, today_cn())
}

/// Parses a whole cell as a birth date that is not after `today`.
pub fn parse_on(s: &str, today: NaiveDate) -> Option<BirthDate> {
    let t = chars::trim(s);
    let (b, used) = parse_prefix(t, today)?;
    (used == t.len()).then_some(b)
}

/// The normalised date of a whole cell (`1990-03-07` or `--03-07`).
pub fn normalize(s: &str) -> Option<String> {
    parse(s).map(|b| b.normalized())
}

/// Whether the cell holds a date with a year, optionally followed by a time (`2024-03-15 14:30`), for
/// counting the values of date columns (last activity, birthday).
pub fn looks_like_date(s: &str) -> bool {
    let t = chars::trim(s);
    let today = today_cn();
    // Dates of last activity may be today; allow a day of clock skew.
    let tomorrow = today.succ_opt().unwrap_or(today);
    match parse_prefix(t, tomorrow) {
        Some((b, used)) if b.year.is_some() => {
            let rest = chars::trim(&t[used..]);
            rest.is_empty()
                || (rest.len() <= 12
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ' ')))
        }
        _ => false,
    }
}

/// The year of `today` for callers that want a range check.
pub fn current_year() -> i32 {
    today_cn().year()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
    }

    fn norm(s: &str) -> Option<String> {
        parse_on(s, today()).map(|b| b.normalized())
    }

    #[test]
    fn formats() {
        for (s, want) in [
            ("1990-03-07", "1990-03-07"),
            ("1990/3/7", "1990-03-07"),
            ("1990.3.7", "1990-03-07"),
            ("19900307", "1990-03-07"),
            ("1990年3月7日", "1990-03-07"),
            ("１９９０年３月７日", "1990-03-07"),
            ("2000-02-29", "2000-02-29"),
            ("03-07", "--03-07"),
            ("3/7", "--03-07"),
            ("3月7日", "--03-07"),
            ("2月29号", "--02-29"),
        ] {
            assert_eq!(norm(s).as_deref(), Some(want), "{s:?}");
        }
    }

    #[test]
    fn non_dates() {
        for s in [
            "",
            "1990-13-07",
            "1990-02-30",
            "1900-02-29", // not a leap year
            "1899-12-31",
            "2030-01-01", // future
            "19900332",
            "1990-03-071",
            "3/7/1990",
            "1990-3",
            "生日",
            "1990-03/07",
            "13812345678",
        ] {
            assert_eq!(norm(s), None, "{s:?}");
        }
        let (b, used) = parse_prefix("1990年3月7日生", today()).unwrap();
        assert_eq!(
            (b.normalized().as_str(), used),
            ("1990-03-07", "1990年3月7日".len())
        );
        assert!(looks_like_date("2024-03-15 14:30"));
        assert!(!looks_like_date("03-15"));
        assert!(!looks_like_date("2024-03-15 下午"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse(&s);
            let _ = looks_like_date(&s);
        }

        #[test]
        fn dates_round_trip(y in 1900i32..=2024, m in 1u32..=12, d in 1u32..=28, style in 0usize..5) {
            let s = match style {
                0 => format!("{y}-{m:02}-{d:02}"),
                1 => format!("{y}/{m}/{d}"),
                2 => format!("{y}.{m}.{d}"),
                3 => format!("{y}{m:02}{d:02}"),
                _ => format!("{y}年{m}月{d}日"),
            };
            prop_assert_eq!(norm(&s), Some(format!("{y:04}-{m:02}-{d:02}")));
        }
    }
}
