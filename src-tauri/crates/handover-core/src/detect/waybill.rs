//! Courier waybill numbers (运单号) and the carrier they belong to.
//!
//! Letter-prefixed numbers identify their carrier by themselves (`SF…`, `JD…`, `YT…`, `JT…`, `DPK…`, and
//! the UPU S10 form `XX123456789CN` of China Post/EMS with its check digit). Digit-only numbers are the
//! carriers' known series by prefix and length; they overlap each other and other numbers (a 15-digit Yunda
//! number starting `43` has the shape of an old Hunan ID number), so in free text a digit-only waybill is
//! only reported next to a courier word (快递, 单号, 顺丰 …) or when it fills the whole cell.
//!
//! Patterns follow the carriers' published formats as collected by tracking services; carriers change
//! series over time, so the carrier is a best guess, not a promise.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::chars;

/// A courier company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 顺丰速运
    Sf,
    /// 京东物流
    Jd,
    /// 中国邮政 EMS
    Ems,
    /// 中通快递
    Zto,
    /// 圆通速递
    Yto,
    /// 申通快递
    Sto,
    /// 韵达快递
    Yunda,
    /// 极兔速递
    Jt,
    /// 德邦快递
    Deppon,
    /// A foreign postal operator (UPU S10 number not ending in `CN`).
    Postal,
}

impl Carrier {
    pub const ALL: [Carrier; 10] = [
        Carrier::Sf,
        Carrier::Jd,
        Carrier::Ems,
        Carrier::Zto,
        Carrier::Yto,
        Carrier::Sto,
        Carrier::Yunda,
        Carrier::Jt,
        Carrier::Deppon,
        Carrier::Postal,
    ];

    /// Names under which the carrier appears in a courier-company column.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Carrier::Sf => &["顺丰", "顺丰速运", "顺丰快递", "SF", "SF Express"],
            Carrier::Jd => &["京东", "京东物流", "京东快递", "JD"],
            Carrier::Ems => &[
                "邮政",
                "EMS",
                "中国邮政",
                "邮政EMS",
                "邮政快递包裹",
                "China Post",
            ],
            Carrier::Zto => &["中通", "中通快递", "ZTO"],
            Carrier::Yto => &["圆通", "圆通速递", "圆通快递", "YTO"],
            Carrier::Sto => &["申通", "申通快递", "STO"],
            Carrier::Yunda => &["韵达", "韵达快递", "韵达速递", "Yunda"],
            Carrier::Jt => &["极兔", "极兔速递", "极兔快递", "J&T", "JT"],
            Carrier::Deppon => &["德邦", "德邦快递", "德邦物流", "Deppon"],
            Carrier::Postal => &[],
        }
    }

    /// The carrier named by a cell of a courier-company column (`顺丰`, `中通快递`, `EMS`).
    pub fn from_name(s: &str) -> Option<Carrier> {
        let t = chars::trim(s);
        Carrier::ALL
            .into_iter()
            .find(|c| c.names().iter().any(|n| n.eq_ignore_ascii_case(t)))
    }
}

/// A waybill number and its probable carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waybill {
    /// Upper-case letters and digits.
    pub number: String,
    pub carrier: Carrier,
    /// The number identifies its carrier by a letter prefix or a check digit; digit-only numbers are weak.
    pub strong: bool,
}

fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// The UPU S10 check digit over eight digits.
fn s10_check(d: &[u8]) -> u8 {
    const W: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = d.iter().zip(W).map(|(&b, w)| u32::from(b - b'0') * w).sum();
    match 11 - sum % 11 {
        10 => b'0',
        11 => b'5',
        v => b'0' + v as u8,
    }
}

/// Classifies an upper-case ASCII run of letters and digits; `(carrier, strong)`.
pub(crate) fn classify(n: &[u8]) -> Option<(Carrier, bool)> {
    let len = n.len();
    // Letter-prefixed numbers.
    if let Some(rest) = n.strip_prefix(b"SF") {
        return ((12..=13).contains(&rest.len()) && all_digits(rest))
            .then_some((Carrier::Sf, true));
    }
    if let Some(rest) = n.strip_prefix(b"JD") {
        // `JD` + two letters or digits + eleven digits: JDVA…, JDX0…, JD00….
        return (rest.len() == 13
            && rest[..2].iter().all(u8::is_ascii_alphanumeric)
            && all_digits(&rest[2..]))
        .then_some((Carrier::Jd, true));
    }
    if let Some(rest) = n.strip_prefix(b"YT") {
        return ((13..=15).contains(&rest.len()) && all_digits(rest))
            .then_some((Carrier::Yto, true));
    }
    if let Some(rest) = n.strip_prefix(b"JT") {
        return (rest.len() == 13 && all_digits(rest)).then_some((Carrier::Jt, true));
    }
    if let Some(rest) = n.strip_prefix(b"DPK") {
        return (rest.len() == 12 && all_digits(rest)).then_some((Carrier::Deppon, true));
    }
    if len == 13
        && n[..2].iter().all(u8::is_ascii_uppercase)
        && all_digits(&n[2..11])
        && n[11..].iter().all(u8::is_ascii_uppercase)
    {
        // UPU S10: service letters, eight digits, check digit, country.
        if s10_check(&n[2..10]) != n[10] {
            return None;
        }
        let carrier = if &n[11..] == b"CN" {
            Carrier::Ems
        } else {
            Carrier::Postal
        };
        return Some((carrier, true));
    }
    if !all_digits(n) {
        return None;
    }
    // Digit-only series, most specific first.
    let p2 = &n[..2.min(len)];
    let carrier = match (len, p2) {
        (12..=15, b"77" | b"88" | b"55") => Carrier::Sto,
        (13..=15, b"31" | b"43" | b"46") => Carrier::Yunda,
        (15, [b'3' | b'4', _]) => Carrier::Yunda,
        (13, [b'5', _]) => Carrier::Yunda,
        (14, b"73" | b"74" | b"75" | b"76" | b"78") => Carrier::Zto,
        (12, [b'7', _]) => Carrier::Zto,
        // EMS domestic: 1[0-3]… and 9[5-9]…; 1[4-9]… is left out because thirteen digits starting 14–19
        // are millisecond timestamps (2014–2030) far more often than parcels.
        (13, [b'1', b'0'..=b'3']) | (13, [b'9', b'5'..=b'9']) => Carrier::Ems,
        _ => return None,
    };
    Some((carrier, false))
}

/// Parses a whole cell (spaces and dashes inside are dropped; letters are upper-cased).
pub fn parse(s: &str) -> Option<Waybill> {
    let mut buf = [0u8; 24];
    let mut n = 0;
    for c in chars::trim(s).chars() {
        let f = chars::fold(c).to_ascii_uppercase();
        if f.is_ascii_alphanumeric() {
            if n == buf.len() {
                return None;
            }
            buf[n] = f as u8;
            n += 1;
        } else if !matches!(f, ' ' | '-') {
            return None;
        }
    }
    let (carrier, strong) = classify(&buf[..n])?;
    Some(Waybill {
        number: chars::ascii_str(&buf[..n]).to_string(),
        carrier,
        strong,
    })
}

/// The normalised number of a whole cell.
pub fn normalize(s: &str) -> Option<String> {
    parse(s).map(|w| w.number)
}

/// Whether the whole cell is a waybill number.
pub fn is_valid(s: &str) -> bool {
    parse(s).is_some()
}

/// Builds a valid S10 number (two service letters, eight digits, country), for this crate's tests
/// (`handover_testkit::values` has the same builder for the other tests and the generated data).
#[cfg(test)]
pub(crate) fn compose_s10(service: &str, serial: u32, country: &str) -> String {
    let digits = format!("{:08}", serial % 100_000_000);
    let c = s10_check(digits.as_bytes()) as char;
    format!("{service}{digits}{c}{country}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Label, Lang};
    use proptest::prelude::*;

    #[test]
    fn carriers_by_pattern() {
        for (s, c, strong) in [
            ("SF1234567890123", Carrier::Sf, true),
            ("sf 123456789012", Carrier::Sf, true),
            ("JDVA12345678901", Carrier::Jd, true),
            ("JDX012345678901", Carrier::Jd, true),
            ("JD0012345678901", Carrier::Jd, true),
            ("YT1234567890123", Carrier::Yto, true),
            ("JT0001234567890", Carrier::Jt, true),
            ("DPK123456789012", Carrier::Deppon, true),
            ("773123456789012", Carrier::Sto, false),
            ("462012345678901", Carrier::Yunda, false),
            ("4312345678901", Carrier::Yunda, false),
            ("73100012345678", Carrier::Zto, false),
            ("1012345678901", Carrier::Ems, false),
            ("9871234567890", Carrier::Ems, false),
        ] {
            let w = parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((w.carrier, w.strong), (c, strong), "{s}");
        }
        let s10 = compose_s10("EA", 12345678, "CN");
        assert_eq!(parse(&s10).unwrap().carrier, Carrier::Ems);
        assert_eq!(
            parse(&compose_s10("RR", 1, "DE")).unwrap().carrier,
            Carrier::Postal
        );
    }

    #[test]
    fn look_alikes_are_not_waybills() {
        let mut bad_s10 = compose_s10("EA", 12345678, "CN").into_bytes();
        bad_s10[10] = if bad_s10[10] == b'9' {
            b'0'
        } else {
            bad_s10[10] + 1
        };
        for s in [
            "",
            "SF12345",
            "SF1234567890123456",
            "JD12345",
            "1712345678901", // a millisecond timestamp
            "13812345678",   // a mobile
            "202403151234567890",
            "ABC",
            "顺丰1234567890123",
            std::str::from_utf8(&bad_s10).unwrap(),
        ] {
            assert!(parse(s).is_none(), "{s:?}");
        }
    }

    #[test]
    fn carrier_names() {
        assert_eq!(Carrier::from_name("顺丰"), Some(Carrier::Sf));
        assert_eq!(Carrier::from_name(" 中通快递 "), Some(Carrier::Zto));
        assert_eq!(Carrier::from_name("ems"), Some(Carrier::Ems));
        assert_eq!(Carrier::from_name("快递"), None);
        assert_eq!(Carrier::Jt.label(Lang::En), "J&T Express");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse(&s);
        }

        #[test]
        fn letter_prefixed_round_trip(prefix in prop::sample::select(vec!["SF", "YT", "JT"]), n in 0u64..10_000_000_000_000) {
            let s = format!("{prefix}{n:013}");
            prop_assert_eq!(normalize(&s.to_lowercase()), Some(s));
        }

        #[test]
        fn s10_round_trip(serial in 0u32..100_000_000) {
            let s = compose_s10("EA", serial, "CN");
            prop_assert_eq!(parse(&s).map(|w| w.carrier), Some(Carrier::Ems));
        }
    }
}
