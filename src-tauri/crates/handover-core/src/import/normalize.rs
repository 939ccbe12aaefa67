//! Per-cell normalisation the storing side calls: dates and amounts as small businesses write them, and ID
//! numbers. Pure functions, no I/O. Money never passes through a float. (Phone numbers are normalised by
//! `crate::detect::mobile`, not here.)

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use crate::detect::chars::{trim_white, write_digits};

/// Years accepted in a date: earlier or later is a typo or not a date at all.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A date, or a date with a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateValue {
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl DateValue {
    pub fn date(self) -> NaiveDate {
        match self {
            DateValue::Date(d) => d,
            DateValue::DateTime(t) => t.date(),
        }
    }
}

impl DateValue {
    /// Appends the date as [`Display`](std::fmt::Display) writes it, without the formatter `to_string` goes
    /// through (an import writes up to three dates a row, into one buffer per row: `normalise::cell_into`).
    pub fn push_to(&self, out: &mut String) {
        let (buf, len) = self.digits();
        // Digits and separators: always ASCII, so always UTF-8.
        out.push_str(std::str::from_utf8(&buf[..len]).unwrap_or_default());
    }

    /// `2024-03-05` or `2024-03-05 12:00:00` as ASCII bytes, and how many of them are used.
    fn digits(&self) -> ([u8; 19], usize) {
        // Written digit by digit: chrono's `format` parses its pattern on every call, and a million-row import
        // formats a million dates (YEARS keeps the year at four digits).
        use chrono::{Datelike, Timelike};
        let digits = |out: &mut [u8], v: u32| write_digits(out, v.into());
        let mut buf = *b"0000-00-00 00:00:00";
        let (date, time) = match self {
            DateValue::Date(d) => (*d, None),
            DateValue::DateTime(t) => (t.date(), Some(t.time())),
        };
        digits(&mut buf[0..4], date.year().clamp(0, 9999) as u32);
        digits(&mut buf[5..7], date.month());
        digits(&mut buf[8..10], date.day());
        let len = match time {
            None => 10,
            Some(t) => {
                digits(&mut buf[11..13], t.hour());
                digits(&mut buf[14..16], t.minute());
                digits(&mut buf[17..19], t.second());
                19
            }
        };
        (buf, len)
    }
}

impl std::fmt::Display for DateValue {
    /// `2024-03-05` or `2024-03-05 12:00:00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (buf, len) = self.digits();
        f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| std::fmt::Error)?)
    }
}

/// Why a cell could not be normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueProblem {
    Empty,
    /// Not in any date form this reads.
    NotADate,
    /// A date form, but no such day (2024-02-30, 2023-02-29, month 13).
    NoSuchDate,
    /// A year outside [`YEARS`].
    YearOutOfRange,
    /// The date is fine, the time of day is not (25:00, 12:61).
    NotATime,
    NotAnAmount,
    /// More digits than an exact decimal holds (28).
    AmountOutOfRange,
}

impl ValueProblem {
    pub fn code(self) -> &'static str {
        match self {
            ValueProblem::Empty => "empty",
            ValueProblem::NotADate => "not_a_date",
            ValueProblem::NoSuchDate => "no_such_date",
            ValueProblem::YearOutOfRange => "year_out_of_range",
            ValueProblem::NotATime => "not_a_time",
            ValueProblem::NotAnAmount => "not_an_amount",
            ValueProblem::AmountOutOfRange => "amount_out_of_range",
        }
    }
}

/// Full-width ASCII (digits, punctuation, letters) to half-width and the ideographic space to a space, so
/// "２０２４／３／５" reads like "2024/3/5". Other characters (￥, 年) are kept.
pub fn half_width(s: &str) -> std::borrow::Cow<'_, str> {
    // Most cells are plain ASCII, and most others (2023年5月25日, ￥ before an amount) have no full-width
    // letter, digit or space either: nothing to convert, nothing to allocate.
    if s.is_ascii()
        || !s
            .chars()
            .any(|c| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}'))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The day of an Excel serial in the 1900 date system: day 1 is 1900-01-01, and Excel counts a
/// 1900-02-29 that never was (day 60), so days from 61 on are one more than the calendar's.
pub fn excel_serial_date(days: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    match days {
        1..=59 => epoch.checked_add_signed(Duration::days(days + 1)),
        61..=2_958_465 => epoch.checked_add_signed(Duration::days(days)),
        _ => None,
    }
}

/// Reads a date: `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305`, each with an optional time
/// (`12:00`, `12:00:00`, `12时`, `12时30分`, `12点`), ISO `2024-03-05T12:00:00`, or an Excel serial as text
/// (`45356`, `45356.5`; five digits, 1927–2173, so a bare year or a count is not taken for a date).
/// Full-width digits are read too. Impossible dates (2024-02-30) are refused with the reason.
pub fn date(s: &str) -> Result<DateValue, ValueProblem> {
    let t = half_width(trim_white(s));
    let t = trim_white(&t);
    if t.is_empty() {
        return Err(ValueProblem::Empty);
    }
    // The commonest form, 2024-03-05, read directly (what `ymd_text` below would do with it).
    if let [_, _, _, _, b'-', _, _, b'-', _, _] = t.as_bytes() {
        if let Ok(day) = ymd(&t[..4], &t[5..7], &t[8..]) {
            return Ok(DateValue::Date(day));
        }
    }
    // Digits with at most one point: 20240305 or an Excel serial (2024.3.5 is read as text below).
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && t.matches('.').count() <= 1 {
        return numeric_date(t);
    }
    // Date and time are split after 日/号, else at the first space or 'T'.
    let (date_part, time_part) = match t.find(['日', '号']) {
        Some(i) => {
            let end = i + '日'.len_utf8();
            (&t[..end], trim_white(&t[end..]))
        }
        None => match t.find([' ', 'T']) {
            Some(i) => (&t[..i], trim_white(&t[i + 1..])),
            None => (t, ""),
        },
    };
    let day = ymd_text(date_part)?;
    if time_part.is_empty() {
        return Ok(DateValue::Date(day));
    }
    Ok(DateValue::DateTime(day.and_time(time_of_day(time_part)?)))
}

/// Digits only: `20240305` or an Excel serial.
fn numeric_date(t: &str) -> Result<DateValue, ValueProblem> {
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if frac.is_some_and(str::is_empty) {
        return Err(ValueProblem::NotADate);
    }
    match (int.len(), frac) {
        (8, None) => ymd(&int[..4], &int[4..6], &int[6..]).map(DateValue::Date),
        (5, _) => {
            let days: i64 = int.parse().map_err(|_| ValueProblem::NotADate)?;
            let day = excel_serial_date(days).ok_or(ValueProblem::NoSuchDate)?;
            // The fraction is the time of day; parsed as digits, so "45356.5" is exactly noon.
            let secs = match frac {
                None => 0,
                Some(f) => {
                    let digits = &f[..f.len().min(12)];
                    let num: u64 = digits.parse().map_err(|_| ValueProblem::NotADate)?;
                    let den = 10u64.pow(digits.len() as u32);
                    ((u128::from(num) * 86_400 + u128::from(den) / 2) / u128::from(den)) as i64
                }
            };
            if secs == 0 {
                Ok(DateValue::Date(day))
            } else {
                Ok(DateValue::DateTime(
                    day.and_time(NaiveTime::MIN) + Duration::seconds(secs),
                ))
            }
        }
        _ => Err(ValueProblem::NotADate),
    }
}

/// `2024-3-5`, `2024/03/05`, `2024.3.5`, `2024年3月5日` (also `号` for `日`).
fn ymd_text(part: &str) -> Result<NaiveDate, ValueProblem> {
    // 日 or 号 only at the end (all but odd cells): split where the separators are, without a copy.
    let body = part.trim_end_matches(['日', '号']);
    if !body.contains(['日', '号']) {
        let mut it = body.split(['年', '月', '/', '.', '-']);
        let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(ValueProblem::NotADate);
        };
        return ymd(trim_white(y), trim_white(m), trim_white(d));
    }
    let unified: String = part
        .chars()
        .filter(|&c| c != '日' && c != '号')
        .map(|c| match c {
            '年' | '月' | '/' | '.' => '-',
            c => c,
        })
        .collect();
    let mut it = unified.split('-');
    let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(ValueProblem::NotADate);
    };
    ymd(trim_white(y), trim_white(m), trim_white(d))
}

fn ymd(y: &str, m: &str, d: &str) -> Result<NaiveDate, ValueProblem> {
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return Err(ValueProblem::NotADate);
    }
    let year: i32 = y.parse().map_err(|_| ValueProblem::NotADate)?;
    let month: u32 = m.parse().map_err(|_| ValueProblem::NotADate)?;
    let day: u32 = d.parse().map_err(|_| ValueProblem::NotADate)?;
    if !YEARS.contains(&year) {
        return Err(ValueProblem::YearOutOfRange);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(ValueProblem::NoSuchDate)
}

/// `12:00`, `12:00:00`, `12:00:00.250` (the fraction is dropped), `12时`, `12时30分`, `12点30分15秒`.
fn time_of_day(t: &str) -> Result<NaiveTime, ValueProblem> {
    let chinese = t.contains(['时', '点']);
    if !chinese && !t.contains(':') {
        return Err(ValueProblem::NotATime);
    }
    let unified: String = t
        .chars()
        .filter(|&c| c != '秒')
        .map(|c| match c {
            '时' | '点' | '分' => ':',
            c => c,
        })
        .collect();
    let unified = trim_white(&unified).trim_end_matches(':');
    let parts: Vec<&str> = unified.split(':').map(str::trim).collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(ValueProblem::NotATime);
    }
    let mut hms = [0u32; 3];
    for (i, p) in parts.iter().enumerate() {
        // Only the seconds may carry a fraction.
        let p = if i == 2 {
            p.split_once('.').map_or(*p, |(w, f)| {
                if f.bytes().all(|b| b.is_ascii_digit()) {
                    w
                } else {
                    p
                }
            })
        } else {
            p
        };
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueProblem::NotATime);
        }
        hms[i] = p.parse().map_err(|_| ValueProblem::NotATime)?;
    }
    NaiveTime::from_hms_opt(hms[0], hms[1], hms[2]).ok_or(ValueProblem::NotATime)
}

/// Reads an amount exactly, keeping the scale written (`12.345` stays 12.345, `1.50` stays 1.50):
/// `¥1,234.50`, `￥1234.5`, `1234.5元`, `-12.00`, `+3`, `RMB 12`, `CNY 12`, `-¥5`, `¥-5`, `（12.00）` and
/// `(12.00)` (accounting negatives), full-width digits and punctuation. Never through a float. Refuses
/// anything else: letters, `1.2.3`, exponents, misplaced thousands separators (`1,23.00`).
pub fn money(s: &str) -> Result<Decimal, ValueProblem> {
    let t = half_width(trim_white(s));
    let mut body = trim_white(&t);
    if body.is_empty() {
        return Err(ValueProblem::Empty);
    }
    let mut negative = false;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = trim_white(inner);
    }
    let mut signed = false;
    body = strip_currency_prefix(body);
    if let Some(rest) = body.strip_prefix('-') {
        negative = !negative;
        signed = true;
        body = rest.trim_start();
    } else if let Some(rest) = body.strip_prefix('+') {
        signed = true;
        body = rest.trim_start();
    }
    if signed {
        // "-¥5" has its sign before the currency, "¥-5" after it; both are read.
        body = strip_currency_prefix(body);
    }
    for suffix in ["元", "RMB", "CNY", "rmb", "cny"] {
        if let Some(rest) = body.strip_suffix(suffix) {
            body = rest.trim_end();
            break;
        }
    }
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    // Thousands separators only between groups of three digits.
    let mut digits = String::with_capacity(body.len());
    if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 {
            return Err(ValueProblem::NotAnAmount);
        }
        digits.push_str(first);
        for g in groups {
            if g.len() != 3 {
                return Err(ValueProblem::NotAnAmount);
            }
            digits.push_str(g);
        }
    } else {
        digits.push_str(int_part);
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(&digits) {
        return Err(ValueProblem::NotAnAmount);
    }
    match frac_part {
        Some(f) if f.is_empty() || !all_digits(f) => return Err(ValueProblem::NotAnAmount),
        None if digits.is_empty() => return Err(ValueProblem::NotAnAmount),
        _ => {}
    }
    if digits.is_empty() {
        digits.push('0');
    }
    if let Some(f) = frac_part {
        digits.push('.');
        digits.push_str(f);
    }
    let d = Decimal::from_str_exact(&digits).map_err(|_| ValueProblem::AmountOutOfRange)?;
    // Zero has no sign: "-0.00" is 0.00.
    Ok(if negative && !d.is_zero() { -d } else { d })
}

fn strip_currency_prefix(body: &str) -> &str {
    for prefix in ["RMB", "CNY", "rmb", "cny", "¥", "￥"] {
        if let Some(rest) = body.strip_prefix(prefix) {
            return rest.trim_start();
        }
    }
    body
}

/// An ID number as stored: spaces removed, full-width characters half-width, the check letter upper-case
/// (`11010519491231002x` → `11010519491231002X`). Validation is the detector's job.
pub fn id_number_upper(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Message};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(y: i32, m: u32, dd: u32) -> DateValue {
        DateValue::Date(NaiveDate::from_ymd_opt(y, m, dd).unwrap())
    }

    fn dt(s: &str) -> String {
        date(s).unwrap().to_string()
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    proptest! {
        /// The hand-written formatting says exactly what chrono's `format` says, for every year we read.
        #[test]
        fn dates_are_formatted_as_chrono_formats_them(
            days in 0i64..(300 * 366), secs in 0u32..86_400, with_time: bool
        ) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assume!(YEARS.contains(&chrono::Datelike::year(&date)));
            let (value, expected) = if with_time {
                let t = date.and_time(chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap());
                (DateValue::DateTime(t), t.format("%Y-%m-%d %H:%M:%S").to_string())
            } else {
                (DateValue::Date(date), date.format("%Y-%m-%d").to_string())
            };
            let mut written = "kept ".to_string();
            value.push_to(&mut written);
            prop_assert_eq!(written, format!("kept {expected}"));
            prop_assert_eq!(value.to_string(), expected);
        }
    }

    /// What `ymd_text` did before its split without a copy: the same answer for every text.
    fn ymd_text_by_copy(part: &str) -> Result<NaiveDate, ValueProblem> {
        let unified: String = part
            .chars()
            .filter(|&c| c != '日' && c != '号')
            .map(|c| match c {
                '年' | '月' | '/' | '.' => '-',
                c => c,
            })
            .collect();
        let mut it = unified.split('-');
        let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(ValueProblem::NotADate);
        };
        ymd(trim_white(y), trim_white(m), trim_white(d))
    }

    proptest! {
        #[test]
        fn dates_split_without_a_copy_read_as_before(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("2024".to_string()), Just("3".to_string()), Just("05".to_string()),
                    Just("31".to_string()), Just("1899".to_string()), "[0-9]{1,5}",
                    Just("年".to_string()), Just("月".to_string()), Just("日".to_string()),
                    Just("号".to_string()), Just("/".to_string()), Just(".".to_string()),
                    Just("-".to_string()), Just(" ".to_string()), Just("x".to_string()),
                ],
                0..9,
            )
        ) {
            let text = parts.concat();
            prop_assert_eq!(ymd_text(&text), ymd_text_by_copy(&text), "{}", text);
        }

        #[test]
        fn half_width_converts_exactly_the_full_width_forms(text in "[0-9a-zA-Z年月日￥，。 　０-９Ａ-Ｚ：]{0,12}") {
            let expected: String = text
                .chars()
                .map(|c| match c {
                    '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    '\u{3000}' => ' ',
                    _ => c,
                })
                .collect();
            prop_assert_eq!(half_width(&text), expected);
        }
    }

    #[test]
    fn dates_in_every_common_form() {
        for s in [
            "2024-03-05",
            "2024/3/5",
            "2024/03/05",
            "2024.3.5",
            "2024-3-5",
            "2024年3月5日",
            "2024年03月05号",
            "20240305",
            "２０２４／３／５",
            "45356",
            " 2024-3-5 ",
        ] {
            assert_eq!(date(s), Ok(d(2024, 3, 5)), "{s}");
        }
        assert_eq!(dt("2024-03-05 12:00"), "2024-03-05 12:00:00");
        assert_eq!(dt("2024-03-05 12:00:00"), "2024-03-05 12:00:00");
        assert_eq!(dt("2024-03-05T08:30:15"), "2024-03-05 08:30:15");
        assert_eq!(dt("2024/3/5 9:05"), "2024-03-05 09:05:00");
        assert_eq!(dt("2024-03-05 12:00:00.750"), "2024-03-05 12:00:00");
        assert_eq!(dt("2024年3月5日 12时"), "2024-03-05 12:00:00");
        assert_eq!(dt("2024年3月5日12时30分"), "2024-03-05 12:30:00");
        assert_eq!(dt("2024年3月5日 8点30分15秒"), "2024-03-05 08:30:15");
        assert_eq!(dt("45356.5"), "2024-03-05 12:00:00");
        assert_eq!(dt("45356.25"), "2024-03-05 06:00:00");
        assert_eq!(dt("45356.0"), "2024-03-05");
    }

    #[test]
    fn excel_serials_count_the_phantom_leap_day() {
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(excel_serial_date(1), day(1900, 1, 1));
        assert_eq!(excel_serial_date(59), day(1900, 2, 28));
        assert_eq!(excel_serial_date(60), None, "1900-02-29 never was");
        assert_eq!(excel_serial_date(61), day(1900, 3, 1));
        assert_eq!(excel_serial_date(45356), day(2024, 3, 5));
        assert_eq!(excel_serial_date(2_958_465), day(9999, 12, 31));
        assert_eq!(excel_serial_date(0), None);
        assert_eq!(excel_serial_date(2_958_466), None);
    }

    #[test]
    fn impossible_and_unreadable_dates_are_refused_with_the_reason() {
        use ValueProblem::*;
        for (s, why) in [
            ("2024-02-30", NoSuchDate),
            ("2023-02-29", NoSuchDate),
            ("2024-13-01", NoSuchDate),
            ("2024年2月30日", NoSuchDate),
            ("20241301", NoSuchDate),
            ("0024-03-05", YearOutOfRange),
            ("2300-01-01", YearOutOfRange),
            ("2024-03-05 25:00", NotATime),
            ("2024-03-05 12:60", NotATime),
            ("2024-03-05 12", NotATime),
            ("2024-03-05 noon", NotATime),
            ("去年", NotADate),
            ("", Empty),
            ("   ", Empty),
            ("2024", NotADate),
            ("59", NotADate),
            ("202403", NotADate),
            ("1.2.3.4", NotADate),
            ("45356.", NotADate),
            ("3/5/2024", NotADate),
            ("24/3/5", NotADate),
            ("abc-de-fg", NotADate),
            ("2024-03", NotADate),
            ("2024-03-05-01", NotADate),
        ] {
            assert_eq!(date(s), Err(why), "{s}");
        }
        assert_eq!(date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(
            ValueProblem::NoSuchDate.message(Lang::ZhCn),
            "日期不存在（例如 2 月 30 日）"
        );
        assert_eq!(ValueProblem::NoSuchDate.code(), "no_such_date");
    }

    #[test]
    fn amounts_exactly_with_their_scale() {
        for (s, want) in [
            ("¥1,234.50", "1234.50"),
            ("￥1234.5", "1234.5"),
            ("1234.5元", "1234.5"),
            ("-12.00", "-12.00"),
            ("RMB 12", "12"),
            ("CNY12.5", "12.5"),
            ("12.345", "12.345"),
            ("（12.00）", "-12.00"),
            ("(1,000)", "-1000"),
            ("１２３．４", "123.4"),
            ("￥１，２３４．５０", "1234.50"),
            ("-¥5", "-5"),
            ("¥-5", "-5"),
            ("+3", "3"),
            ("0.1", "0.1"),
            (".5", "0.5"),
            ("1,234,567.89元", "1234567.89"),
            ("  88  ", "88"),
            ("-0.00", "0.00"),
        ] {
            let got = money(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
            assert_eq!(got, dec(want), "{s}");
            assert_eq!(got.to_string(), want, "{s} keeps its scale");
        }
        for bad in [
            "abc",
            "1.2.3",
            "¥",
            "1,23.00",
            "12,3456",
            ",123",
            "1e5",
            "--1",
            "12.",
            "待核对",
            "12 34",
            "NaN",
            "1.5万",
            "$12",
            "(12",
            "12)",
            "¥¥12",
            "0x1F",
            "١٢",
        ] {
            assert_eq!(money(bad), Err(ValueProblem::NotAnAmount), "{bad}");
        }
        assert_eq!(money(""), Err(ValueProblem::Empty));
        assert_eq!(
            money("123456789012345678901234567890"),
            Err(ValueProblem::AmountOutOfRange)
        );
    }

    #[test]
    fn id_numbers_upper_case_and_half_width() {
        assert_eq!(id_number_upper("11010519491231002x"), "11010519491231002X");
        assert_eq!(
            id_number_upper("１１０１０５１９４９１２３１００２ｘ"),
            "11010519491231002X"
        );
        assert_eq!(
            id_number_upper(" 110105 1949 1231 002X "),
            "11010519491231002X"
        );
    }

    /// Writes an amount as a till or a spreadsheet might: with ¥, thousands separators, 元, full width.
    fn written(d: Decimal, style: u8) -> String {
        let plain = d.abs().to_string();
        let (int, frac) = match plain.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (plain.clone(), None),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let body = match &frac {
            Some(f) => format!("{grouped}.{f}"),
            None => grouped,
        };
        let sign = if d.is_sign_negative() && !d.is_zero() {
            "-"
        } else {
            ""
        };
        match style % 5 {
            0 => d.to_string(),
            1 => format!("{sign}¥{body}"),
            2 => format!("{sign}{body}元"),
            3 => half_to_full(&format!("{sign}{body}")),
            _ => {
                if sign.is_empty() {
                    format!("RMB {body}")
                } else {
                    format!("({body})")
                }
            }
        }
    }

    fn half_to_full(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                c => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = date(&s);
            let _ = money(&s);
            let _ = id_number_upper(&s);
        }

        #[test]
        fn never_panics_on_near_misses(s in "[0-9０-９.,，．¥￥元年月日号时点分秒:：/\\- ()（）+RMBT]{0,24}") {
            let _ = date(&s);
            let _ = money(&s);
        }

        #[test]
        fn money_reads_back_what_was_written(
            mantissa in -9_999_999_999_999i64..9_999_999_999_999i64,
            scale in 0u32..6,
            style in 0u8..5,
        ) {
            let d = Decimal::new(mantissa, scale);
            let text = written(d, style);
            let got = money(&text);
            prop_assert_eq!(got, Ok(d), "{}", text);
            prop_assert_eq!(got.unwrap().scale(), d.scale(), "{}", text);
        }

        #[test]
        fn dates_read_back_in_every_form(days in 0i64..109_572, secs in 0u32..86_400) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            for text in [
                day.format("%Y-%m-%d").to_string(),
                day.format("%Y/%-m/%-d").to_string(),
                day.format("%Y.%-m.%-d").to_string(),
                day.format("%Y年%-m月%-d日").to_string(),
                day.format("%Y%m%d").to_string(),
            ] {
                prop_assert_eq!(date(&text), Ok(DateValue::Date(day)), "{}", text);
            }
            let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap();
            let text = format!("{} {}", day.format("%Y-%m-%d"), time.format("%H:%M:%S"));
            prop_assert_eq!(date(&text), Ok(DateValue::DateTime(day.and_time(time))), "{}", text);
        }
    }
}
