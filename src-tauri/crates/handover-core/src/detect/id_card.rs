//! Resident identity card numbers (居民身份证号码), GB 11643-1999.
//!
//! 18 digits: a 6-digit administrative division code (the first two digits are the province), the birth
//! date `YYYYMMDD`, a 3-digit sequence whose last digit is odd for men and even for women, and an ISO 7064
//! MOD 11-2 check digit (`0`–`9` or `X`). First-generation cards had 15 digits: the same area code, the birth
//! date `YYMMDD` in the 1900s, the sequence, and no check digit.
//!
//! A number is counted as an ID only when every part is valid: a known province, a real birth date between
//! 1900 and today, and (18 digits) the right check digit. A number with a wrong check digit is never an ID —
//! it is a typo or something else, and calling it an ID would make the handover report count records that
//! hold no ID at all.
//!
//! The 2023 permanent residence card of foreigners (外国人永久居留身份证) uses the same layout with a leading
//! `9` followed by the issuing province, and is accepted.

use chrono::{Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::chars::ascii_str;
use super::shape::{self, Shape};

/// Sex as encoded in the 17th (15-digit: 15th) digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A valid ID number and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCard {
    /// The number as digits, with an upper-case `X` check digit; 18 or 15 characters.
    pub number: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// A first-generation 15-digit number.
    pub legacy: bool,
}

impl IdCard {
    /// Completed years of age on `on` (0 before the first birthday; also 0 for dates before the birth).
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.birth_date, on)
    }

    /// Under fourteen on `on`: PIPL Art. 31 treats a child's information as sensitive and requires a
    /// guardian's consent, so such a record cannot be handed over on the customer's own consent.
    pub fn is_minor_on(&self, on: NaiveDate) -> bool {
        under_fourteen_on(self.birth_date, on)
    }

    /// The six-digit administrative division code (where the number was first issued).
    pub fn region_code(&self) -> &str {
        &self.number[..6]
    }

    /// The province (or province-level region) of the region code.
    pub fn province(&self) -> Option<&'static str> {
        let d = self.number.as_bytes();
        let code = if d[0] == b'9' { &d[1..3] } else { &d[..2] };
        province_name(code)
    }

    /// The 18-digit form: a 15-digit number gets the century `19` and its check digit.
    pub fn to_18(&self) -> String {
        if !self.legacy {
            return self.number.clone();
        }
        let mut d = [0u8; 18];
        d[..6].copy_from_slice(&self.number.as_bytes()[..6]);
        d[6] = b'1';
        d[7] = b'9';
        d[8..17].copy_from_slice(&self.number.as_bytes()[6..15]);
        d[17] = check_digit(&d[..17]).unwrap_or(b'0');
        ascii_str(&d).to_string()
    }
}

/// Completed years between `birth` and `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Under fourteen on `on` in the law's sense: a person is "under 14" until the day after the 14th birthday
/// (周岁 counted from the day after the birthday; 民法典 Art. 201), so on the birthday itself still under 14.
pub fn under_fourteen_on(birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth, on.pred_opt().unwrap_or(on)) < 14
}

/// Today's date in China (UTC+8), the reference for "birth date not in the future". An import asks for it
/// for every birthday and ID number it checks: the date is worked out again only when the day number
/// (seconds since the epoch in UTC+8, over 86,400) is not the one last seen on this thread.
pub(crate) fn today_cn() -> NaiveDate {
    const CN_OFFSET_SECS: i64 = 8 * 3600;
    thread_local! {
        static LAST: std::cell::Cell<Option<(i64, NaiveDate)>> = const { std::cell::Cell::new(None) };
    }
    let now = Utc::now();
    let day = (now.timestamp() + CN_OFFSET_SECS).div_euclid(86_400);
    LAST.with(|last| match last.get() {
        Some((seen, date)) if seen == day => date,
        _ => {
            let date = (now + chrono::Duration::seconds(CN_OFFSET_SECS)).date_naive();
            last.set(Some((day, date)));
            date
        }
    })
}

/// Province-level codes (GB/T 2260): the first two digits of every ID.
const PROVINCES: [(u8, &str); 35] = [
    (11, "北京"),
    (12, "天津"),
    (13, "河北"),
    (14, "山西"),
    (15, "内蒙古"),
    (21, "辽宁"),
    (22, "吉林"),
    (23, "黑龙江"),
    (31, "上海"),
    (32, "江苏"),
    (33, "浙江"),
    (34, "安徽"),
    (35, "福建"),
    (36, "江西"),
    (37, "山东"),
    (41, "河南"),
    (42, "湖北"),
    (43, "湖南"),
    (44, "广东"),
    (45, "广西"),
    (46, "海南"),
    (50, "重庆"),
    (51, "四川"),
    (52, "贵州"),
    (53, "云南"),
    (54, "西藏"),
    (61, "陕西"),
    (62, "甘肃"),
    (63, "青海"),
    (64, "宁夏"),
    (65, "新疆"),
    (71, "台湾"),
    // Residence permits for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证) use 81/82/83.
    (81, "香港"),
    (82, "澳门"),
    (83, "台湾"),
];

/// The province name of a two-digit province code (ASCII digits).
pub fn province_name(code: &[u8]) -> Option<&'static str> {
    if code.len() != 2 || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = (code[0] - b'0') * 10 + (code[1] - b'0');
    PROVINCES.iter().find(|&&(c, _)| c == v).map(|&(_, n)| n)
}

/// Whether the leading six digits are a plausible division code: a known province, and a city part
/// (digits 3–4) between 01 and 54 or 90 (省直辖县级). The permits 81/82/83 use `xx0000`.
fn plausible_region(d: &[u8]) -> bool {
    if d[0] == b'9' {
        // Foreigners' permanent residence card: 9 + province + nationality; only the province is checked.
        let prov = &d[1..3];
        return province_name(prov).is_some() && !matches!(prov, b"71" | b"81" | b"82" | b"83");
    }
    let (prov, city) = (&d[..2], &d[2..4]);
    if province_name(prov).is_none() {
        return false;
    }
    if matches!(prov, b"81" | b"82" | b"83") {
        return &d[2..6] == b"0000";
    }
    // Prefecture codes run from 01 to at most 54 (广东 51–53, 新疆 40–43; the 21–3x codes of the former
    // 地区 still appear on older cards), and 90 is a county-level unit directly under the province.
    let city_v = (city[0] - b'0') * 10 + (city[1] - b'0');
    (1..=54).contains(&city_v) || city_v == 90
}

/// ISO 7064 MOD 11-2 over the first 17 digits: `b'0'`–`b'9'` or `b'X'`.
pub fn check_digit(first17: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const MAP: &[u8; 11] = b"10X98765432";
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, w) in first17.iter().zip(WEIGHTS) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(MAP[(sum % 11) as usize])
}

/// The date encoded by `y`, `m`, `d` if it is a real calendar date between 1900-01-01 and `today`.
fn birth(y: i32, m: u32, d: u32, today: NaiveDate) -> Option<NaiveDate> {
    if y < 1900 {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d).filter(|&b| b <= today)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
}

/// The verdict on a run of 18 or 15 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A valid ID.
    Valid,
    /// Structurally an ID (province, region and birth date are valid) but the check digit is wrong: a
    /// mistyped ID. It is not an ID, and it is not a bank card either.
    BadCheckDigit,
    /// Not an ID.
    No,
}

/// Judges `d` (ASCII digits, upper-case `X` allowed last) as an ID number on `today`.
pub(crate) fn judge(d: &[u8], today: NaiveDate) -> (Verdict, Option<IdCard>) {
    match d.len() {
        18 => {
            if !d[..17].iter().all(u8::is_ascii_digit) || !(d[17].is_ascii_digit() || d[17] == b'X')
            {
                return (Verdict::No, None);
            }
            if !plausible_region(d) {
                return (Verdict::No, None);
            }
            let Some(b) = birth(
                num(&d[6..10]) as i32,
                num(&d[10..12]),
                num(&d[12..14]),
                today,
            ) else {
                return (Verdict::No, None);
            };
            if check_digit(&d[..17]) != Some(d[17]) {
                return (Verdict::BadCheckDigit, None);
            }
            let sex = if (d[16] - b'0') % 2 == 1 {
                Sex::Male
            } else {
                Sex::Female
            };
            let card = IdCard {
                number: ascii_str(d).to_string(),
                birth_date: b,
                sex,
                legacy: false,
            };
            (Verdict::Valid, Some(card))
        }
        15 => {
            if !d.iter().all(u8::is_ascii_digit) || d[0] == b'9' || !plausible_region(d) {
                return (Verdict::No, None);
            }
            let Some(b) = birth(
                1900 + num(&d[6..8]) as i32,
                num(&d[8..10]),
                num(&d[10..12]),
                today,
            ) else {
                return (Verdict::No, None);
            };
            let sex = if (d[14] - b'0') % 2 == 1 {
                Sex::Male
            } else {
                Sex::Female
            };
            let card = IdCard {
                number: ascii_str(d).to_string(),
                birth_date: b,
                sex,
                legacy: true,
            };
            (Verdict::Valid, Some(card))
        }
        _ => (Verdict::No, None),
    }
}

/// Parses a whole cell as an ID number, judged on today's date in China.
pub fn parse(s: &str) -> Option<IdCard> {
    parse_on(s, today_cn())
}

/// Parses a whole cell as an ID number; the birth date must not be after `today`. Spaces and dashes
/// between groups and full-width digits are accepted; a lower-case `x` becomes `X`.
pub fn parse_on(s: &str, today: NaiveDate) -> Option<IdCard> {
    from_shape(&shape::cell_shape(s)?, false, today).1
}

/// Whether the whole cell is a valid ID number today.
pub fn is_valid(s: &str) -> bool {
    parse(s).is_some()
}

/// The normalised number (upper-case `X`), or `None`.
pub fn normalize(s: &str) -> Option<String> {
    parse(s).map(|c| c.number)
}

/// Groupings accepted in free text: tight, 6-8-4, 6-4-4-4 (18 digits); tight or 6-6-3 (15 digits).
const GROUPINGS: [&[u8]; 5] = [&[18], &[6, 8, 4], &[6, 4, 4, 4], &[15], &[6, 6, 3]];

pub(crate) fn from_shape(sh: &Shape, strict: bool, today: NaiveDate) -> (Verdict, Option<IdCard>) {
    if sh.plus || (strict && (!GROUPINGS.contains(&sh.groups()) || !sh.uniform_from(0))) {
        return (Verdict::No, None);
    }
    judge(sh.digits(), today)
}

/// Builds a valid 18-digit number from its parts, for this crate's tests (`handover_testkit::values` has
/// the same builder for the other tests and the generated data).
#[cfg(test)]
pub(crate) fn compose(region: &str, birth: NaiveDate, sequence: u16) -> String {
    let mut s = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        sequence % 1000
    );
    let c = check_digit(s.as_bytes()).unwrap_or(b'0');
    s.push(c as char);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The date kept between calls is the one worked out afresh.
    #[test]
    fn today_is_todays_date_in_china_every_time() {
        for _ in 0..3 {
            let before = (Utc::now() + chrono::Duration::hours(8)).date_naive();
            let today = today_cn();
            let after = (Utc::now() + chrono::Duration::hours(8)).date_naive();
            assert!(
                today == before || today == after,
                "{today} not {before} / {after}"
            );
        }
    }

    #[test]
    fn the_standard_example_is_valid() {
        // The worked example of GB 11643-1999.
        let id = parse_on("11010519491231002X", day(2025, 1, 1)).unwrap();
        assert_eq!(id.number, "11010519491231002X");
        assert_eq!(id.birth_date, day(1949, 12, 31));
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.province(), Some("北京"));
        assert_eq!(id.region_code(), "110105");
        assert!(!id.legacy);
        assert_eq!(check_digit(b"11010519491231002"), Some(b'X'));
    }

    #[test]
    fn lower_case_x_spaces_and_full_width_are_normalised() {
        let t = day(2025, 1, 1);
        for s in [
            "11010519491231002x",
            "110105 19491231 002X",
            "110105-1949-1231-002x",
            "１１０１０５１９４９１２３１００２Ｘ",
        ] {
            assert_eq!(
                parse_on(s, t).map(|c| c.number).as_deref(),
                Some("11010519491231002X"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn invalid_numbers_are_rejected() {
        let t = day(2025, 1, 1);
        let good = compose("440305", day(1990, 3, 7), 123);
        assert!(parse_on(&good, t).is_some());
        // Every wrong check digit.
        for c in b"0123456789X" {
            let mut bad = good.as_bytes().to_vec();
            if bad[17] == *c {
                continue;
            }
            bad[17] = *c;
            let bad = String::from_utf8(bad).unwrap();
            assert!(parse_on(&bad, t).is_none(), "{bad}");
            assert_eq!(judge(bad.as_bytes(), t).0, Verdict::BadCheckDigit);
        }
        for s in [
            "",
            "11010519491231002",   // 17 digits
            "110105194912310021X", // 19
            "99010519491231002X",  // no province 99
            "20010519491231002X",  // no province 20
            "110005194912310028",  // city 00
            "110105194902300021",  // 30 February
            "110105189912310021",  // before 1900
            "11010519491231002Y",
            "X10105194912310021",
            "1101051949123100２X-",
        ] {
            assert!(parse_on(s, t).is_none(), "{s:?}");
        }
        // Born after the reference date.
        let future = compose("440305", day(2030, 1, 1), 1);
        assert!(parse_on(&future, t).is_none());
        assert!(parse_on(&future, day(2031, 1, 1)).is_some());
    }

    #[test]
    fn fifteen_digit_numbers() {
        let t = day(2025, 1, 1);
        let id = parse_on("110105491231002", t).unwrap();
        assert!(id.legacy);
        assert_eq!(id.birth_date, day(1949, 12, 31));
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.to_18(), "11010519491231002X");
        assert!(parse_on("110105491331002", t).is_none(), "month 13");
        assert!(parse_on("110105 491231 002", t).is_some());
    }

    #[test]
    fn permits_and_foreigners() {
        let t = day(2025, 1, 1);
        let hk = compose("810000", day(1985, 6, 1), 11);
        assert!(parse_on(&hk, t).is_some());
        let hk_bad_region = compose("810101", day(1985, 6, 1), 11);
        assert!(parse_on(&hk_bad_region, t).is_none());
        let foreigner = compose("911156", day(1980, 2, 29), 31);
        assert_eq!(parse_on(&foreigner, t).unwrap().province(), Some("北京"));
    }

    #[test]
    fn ages_and_minors() {
        let id = parse_on(&compose("440305", day(2012, 6, 15), 2), day(2026, 1, 1)).unwrap();
        assert_eq!(id.age_on(day(2026, 6, 14)), 13);
        assert!(id.is_minor_on(day(2026, 6, 14)));
        assert_eq!(id.age_on(day(2026, 6, 15)), 14);
        // Under 14 until the day after the 14th birthday.
        assert!(id.is_minor_on(day(2026, 6, 15)));
        assert!(!id.is_minor_on(day(2026, 6, 16)));
        assert!(under_fourteen_on(day(2012, 2, 29), day(2026, 2, 28)));
        assert!(under_fourteen_on(day(2012, 2, 29), day(2026, 3, 1)));
        assert!(!under_fourteen_on(day(2012, 2, 29), day(2026, 3, 2)));
        assert_eq!(id.age_on(day(2000, 1, 1)), 0, "a date before the birth");
        assert_eq!(age_on(day(2000, 2, 29), day(2001, 2, 28)), 0);
        assert_eq!(age_on(day(2000, 2, 29), day(2001, 3, 1)), 1);
    }

    fn valid_parts() -> impl Strategy<Value = (String, NaiveDate, u16)> {
        let provinces: Vec<u8> = PROVINCES.iter().map(|p| p.0).filter(|&c| c < 80).collect();
        (
            prop::sample::select(provinces),
            1u8..=54,
            1u8..=99,
            1900i32..=2024,
            1u32..=12,
            1u32..=28,
            0u16..1000,
        )
            .prop_map(|(p, c, k, y, m, d, seq)| (format!("{p:02}{c:02}{k:02}"), day(y, m, d), seq))
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn never_panics_on_digit_noise(s in "[0-9xX ０-９-]{0,24}") {
            if let Some(id) = parse_on(&s, day(2025, 1, 1)) {
                prop_assert!(id.number.len() == 18 || id.number.len() == 15);
            }
        }

        #[test]
        fn composed_numbers_parse_back((region, b, seq) in valid_parts()) {
            let n = compose(&region, b, seq);
            let id = parse_on(&n, day(2025, 1, 1)).unwrap();
            prop_assert_eq!(&id.number, &n);
            prop_assert_eq!(id.birth_date, b);
            let spaced = format!("{} {} {}", &n[..6], &n[6..14], &n[14..].to_lowercase());
            prop_assert_eq!(normalize_on(&spaced), Some(n.clone()));
        }

        #[test]
        fn a_changed_digit_is_always_caught((region, b, seq) in valid_parts(), pos in 0usize..17, delta in 1u8..10) {
            // MOD 11-2 detects every single-digit substitution.
            let n = compose(&region, b, seq);
            let mut d = n.into_bytes();
            d[pos] = b'0' + (d[pos] - b'0' + delta) % 10;
            prop_assert_ne!(judge(&d, day(2025, 1, 1)).0, Verdict::Valid);
        }
    }

    fn normalize_on(s: &str) -> Option<String> {
        parse_on(s, day(2025, 1, 1)).map(|c| c.number)
    }
}
