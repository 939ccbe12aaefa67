//! Normalising dates and amounts as small businesses write them. Money never passes through a float.

use std::str::FromStr;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

/// A date, or a date with a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl std::fmt::Display for DateValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateValue::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            DateValue::DateTime(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S")),
        }
    }
}

/// Full-width digits and punctuation to ASCII, so "２０２４／３／５" reads like "2024/3/5".
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | '．' | '，' | '－' | '／' | '：' | '＋' | '（' | '）' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// Excel's day 0 is 1899-12-30 once its 1900-02-29 bug is accounted for (serials from 61 on).
fn from_excel_serial(serial: f64) -> Option<DateValue> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.trunc() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Serials 1–59 are before the phantom 1900-02-29, so they are one day later than the formula says.
    let date = if days < 60 {
        base + Duration::days(days + 1)
    } else {
        base + Duration::days(days)
    };
    let secs = ((serial.fract()) * 86_400.0).round() as i64;
    if secs == 0 {
        Some(DateValue::Date(date))
    } else {
        Some(DateValue::DateTime(
            date.and_time(NaiveTime::MIN) + Duration::seconds(secs),
        ))
    }
}

/// Reads a date: `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305`, with an optional time
/// (`12:00`, `12:00:00`, `12时30分`), or an Excel serial (`45356`, `45356.5`). Impossible dates are refused.
pub fn date(s: &str) -> Result<DateValue, &'static str> {
    let t = half_width(s.trim());
    if t.is_empty() {
        return Err("empty");
    }
    // An Excel serial: five digits (1927–2173; four would be confused with a year), maybe with a time fraction.
    if t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !t.starts_with('.') {
        let digits = t.split('.').next().unwrap_or("");
        if digits.len() == 8 && !t.contains('.') {
            // 20240305
            let (y, m, d) = (&t[..4], &t[4..6], &t[6..8]);
            return ymd(y, m, d).map(DateValue::Date);
        }
        if digits.len() == 5 && t.matches('.').count() <= 1 {
            let serial: f64 = t.parse().map_err(|_| "not a date")?;
            return from_excel_serial(serial).ok_or("not a date");
        }
    }
    // Split date and time at the first space or 'T'.
    let (date_part, time_part) = match t.find([' ', 'T']) {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t.as_str(), ""),
    };
    let unified: String = date_part
        .replace(['年', '月'], "-")
        .replace(['日', '号'], "")
        .replace(['/', '.'], "-");
    let mut parts = unified.split('-').filter(|p| !p.is_empty());
    let (y, m, d) = (
        parts.next().ok_or("not a date")?,
        parts.next().ok_or("not a date")?,
        parts.next().ok_or("not a date")?,
    );
    if parts.next().is_some() {
        return Err("not a date");
    }
    let day = ymd(y, m, d)?;
    if time_part.is_empty() {
        return Ok(DateValue::Date(day));
    }
    let time = time_of_day(time_part)?;
    Ok(DateValue::DateTime(day.and_time(time)))
}

fn ymd(y: &str, m: &str, d: &str) -> Result<NaiveDate, &'static str> {
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4
        || !all_digits(y)
        || !all_digits(m)
        || !all_digits(d)
        || m.len() > 2
        || d.len() > 2
    {
        return Err("not a date");
    }
    let (y, m, d): (i32, u32, u32) = (
        y.parse().map_err(|_| "not a date")?,
        m.parse().map_err(|_| "not a date")?,
        d.parse().map_err(|_| "not a date")?,
    );
    if !(1900..=2200).contains(&y) {
        return Err("year out of range");
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or("no such date")
}

fn time_of_day(t: &str) -> Result<NaiveTime, &'static str> {
    let unified = t
        .replace(['时', '点', '分'], ":")
        .replace('秒', "")
        .trim_end_matches(':')
        .to_string();
    let nums: Vec<&str> = unified.split(':').collect();
    let num = |s: Option<&&str>| -> Result<u32, &'static str> {
        match s {
            None => Ok(0),
            Some(s) => s
                .trim()
                .split('.')
                .next()
                .unwrap_or("")
                .parse()
                .map_err(|_| "not a time"),
        }
    };
    if nums.len() > 3 {
        return Err("not a time");
    }
    NaiveTime::from_hms_opt(num(nums.first())?, num(nums.get(1))?, num(nums.get(2))?)
        .ok_or("not a time")
}

/// Reads an amount exactly: `¥1,234.50`, `￥1234.5`, `1234.5元`, `-12.00`, `RMB 12`, `（12.00）`
/// (an accounting negative), full-width digits. The scale written is kept (`12.345` stays 12.345).
pub fn money(s: &str) -> Result<Decimal, &'static str> {
    let t = half_width(s.trim());
    let mut body = t.as_str().trim();
    let mut negative = false;
    if body.starts_with('(') && body.ends_with(')') {
        negative = true;
        body = body[1..body.len() - 1].trim();
    }
    for prefix in ["RMB", "CNY", "rmb", "¥", "￥"] {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest.trim_start();
        }
    }
    for suffix in ["元", "RMB", "CNY"] {
        if let Some(rest) = body.strip_suffix(suffix) {
            body = rest.trim_end();
        }
    }
    if let Some(rest) = body.strip_prefix('-') {
        negative = !negative;
        body = rest.trim_start();
    } else if let Some(rest) = body.strip_prefix('+') {
        body = rest.trim_start();
    }
    for prefix in ["¥", "￥"] {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest.trim_start();
        }
    }
    // Thousands separators only between groups of three digits before the decimal point.
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let int_digits: String = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err("not an amount");
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int_digits.is_empty() && frac_part.is_none_or(str::is_empty) {
        return Err("not an amount");
    }
    if !valid(&int_digits) || !frac_part.is_none_or(|f| !f.is_empty() && valid(f)) {
        return Err("not an amount");
    }
    let text = match frac_part {
        Some(f) => format!(
            "{}.{f}",
            if int_digits.is_empty() {
                "0"
            } else {
                &int_digits
            }
        ),
        None => int_digits,
    };
    let d = Decimal::from_str(&text).map_err(|_| "amount too large")?;
    Ok(if negative { -d } else { d })
}

/// An ID number with its letter upper-cased and full-width characters made half-width.
pub fn id_number_upper(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            'x' | 'ｘ' | 'Ｘ' => 'X',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, dd: u32) -> DateValue {
        DateValue::Date(NaiveDate::from_ymd_opt(y, m, dd).unwrap())
    }

    #[test]
    fn dates_in_every_common_form() {
        for s in [
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "2024年3月5日",
            "20240305",
            "２０２４／３／５",
            "45356",
            " 2024-3-5 ",
        ] {
            assert_eq!(date(s), Ok(d(2024, 3, 5)), "{s}");
        }
        assert_eq!(
            date("2024-03-05 12:00").unwrap().to_string(),
            "2024-03-05 12:00:00"
        );
        assert_eq!(
            date("2024-03-05 12:00:30").unwrap().to_string(),
            "2024-03-05 12:00:30"
        );
        assert_eq!(
            date("2024年3月5日 12时30分").unwrap().to_string(),
            "2024-03-05 12:30:00"
        );
        assert_eq!(date("45356.5").unwrap().to_string(), "2024-03-05 12:00:00");
        // Excel's phantom 1900-02-29: serial 59 is 1900-02-28, 61 is 1900-03-01.
        assert_eq!(date("59").ok(), None, "four or five digits only");
        assert_eq!(from_excel_serial(59.0), Some(d(1900, 2, 28)));
        assert_eq!(from_excel_serial(61.0), Some(d(1900, 3, 1)));
        assert_eq!(from_excel_serial(1.0), Some(d(1900, 1, 1)));
    }

    #[test]
    fn impossible_and_unreadable_dates_are_refused() {
        for s in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "去年",
            "",
            "2024",
            "1.2.3.4",
            "3/5/2024",
            "20241301",
            "abc-de-fg",
        ] {
            assert!(date(s).is_err(), "{s}");
        }
        assert_eq!(date("2024-02-29"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn amounts_exactly() {
        let dec = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(money("¥1,234.50"), Ok(dec("1234.50")));
        assert_eq!(money("￥1234.5"), Ok(dec("1234.5")));
        assert_eq!(money("1234.5元"), Ok(dec("1234.5")));
        assert_eq!(money("-12.00"), Ok(dec("-12.00")));
        assert_eq!(money("RMB 12"), Ok(dec("12")));
        assert_eq!(money("12.345"), Ok(dec("12.345")));
        assert_eq!(money("（12.00）"), Ok(dec("-12.00")));
        assert_eq!(money("１２３．４"), Ok(dec("123.4")));
        assert_eq!(money("-¥5"), Ok(dec("-5")));
        assert_eq!(money("0.1"), Ok(dec("0.1")));
        assert_eq!(money(".5"), Ok(dec("0.5")));
        for bad in [
            "abc",
            "1.2.3",
            "",
            "¥",
            "1,23.00",
            "12,3456",
            "1e5",
            "--1",
            "12.",
            "待核对",
        ] {
            assert!(money(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn id_letters() {
        assert_eq!(id_number_upper("11010519491231002x"), "11010519491231002X");
        assert_eq!(
            id_number_upper("１１０１０５１９４９１２３１００２ｘ"),
            "11010519491231002X"
        );
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = date(&s);
            let _ = money(&s);
            let _ = id_number_upper(&s);
        }

        #[test]
        fn money_round_trips(units in -10_000_000_000i64..10_000_000_000i64, scale in 0u32..4) {
            let d = Decimal::new(units, scale);
            prop_assert_eq!(money(&d.to_string()), Ok(d));
            prop_assert_eq!(money(&format!("¥{d}")), Ok(d));
            prop_assert_eq!(money(&format!("{d}元")), Ok(d));
        }

        #[test]
        fn dates_round_trip(days in 0i64..100_000) {
            let day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(date(&day.format("%Y-%m-%d").to_string()), Ok(DateValue::Date(day)));
            prop_assert_eq!(date(&day.format("%Y年%-m月%-d日").to_string()), Ok(DateValue::Date(day)));
        }
    }
}
