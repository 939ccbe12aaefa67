//! Masking (脱敏): the one place that decides how much of a value may be shown — on screen, in the
//! handover documents, in exports and in the CLI.
//!
//! Two styles:
//!
//! | field | [`MaskStyle::Standard`] | [`MaskStyle::Strict`] |
//! |---|---|---|
//! | name | `张*`, `张*丰`, `欧阳*娜` | `张**` |
//! | mobile | `138****5678` | `*******5678` |
//! | landline | `0755-****5678` | `********5678` |
//! | ID number | `110101********123X` | `**************123X` |
//! | bank card | `**** **** **** 1234` | `****1234` |
//! | e-mail | `z***@qq.com` | `***@***.com` |
//! | address | down to the district | province and city |
//!
//! A value that does not parse as its field type is masked by the fallback ([`mask_unknown`]), which
//! never shows more than the first and last character (standard) or the first one (strict), so a typo
//! can never leak more than a valid value would. The number of stars does not follow the length of the
//! hidden part where the length itself says something (names, cards, e-mail local parts).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::chars;
use super::text;
use super::{address, birth_date, id_card, landline, mobile, name, plate, shape, waybill, PiiKind};
use crate::field::FieldType;

/// How much to hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    /// Enough to recognise a customer (surname, phone prefix and suffix, district).
    #[default]
    Standard,
    /// Only what is needed to tell records apart (surname, last four digits, province and city).
    Strict,
}

impl MaskStyle {
    pub const ALL: [MaskStyle; 2] = [MaskStyle::Standard, MaskStyle::Strict];

    pub fn id(self) -> &'static str {
        match self {
            MaskStyle::Standard => "standard",
            MaskStyle::Strict => "strict",
        }
    }
}

const STARS4: &str = "****";

/// Masks a value of a column of type `field`.
pub fn mask(field: FieldType, value: &str, style: MaskStyle) -> String {
    if chars::trim(value).is_empty() {
        return value.to_string();
    }
    match field {
        FieldType::Name => mask_name(value, style),
        FieldType::Mobile => mask_mobile(value, style),
        FieldType::Landline => mask_landline(value, style),
        FieldType::IdCard => mask_id_card(value, style),
        FieldType::Address => mask_address(value, style),
        FieldType::BankCard => mask_bank_card(value, style),
        FieldType::Email => mask_email(value, style),
        FieldType::Qq => mask_qq(value, style),
        FieldType::Wechat => mask_unknown(chars::trim(value), style),
        FieldType::Plate => mask_plate(value, style),
        FieldType::Waybill => mask_waybill(value, style),
        FieldType::PickupCode => mask_pickup_code(value, style),
        FieldType::MemberNumber => mask_member_number(value, style),
        FieldType::Birthday => mask_birthday(value, style),
        FieldType::LastActivity => mask_last_activity(value, style),
        FieldType::Gender => match style {
            MaskStyle::Standard => value.to_string(),
            MaskStyle::Strict => "*".to_string(),
        },
        // Amounts are needed to settle balances and say nothing about who the customer is on their own;
        // the courier company is not about the customer at all.
        FieldType::PrepaidBalance
        | FieldType::Points
        | FieldType::CourierCompany
        | FieldType::AmountOwed
        | FieldType::TransactionAmount
        | FieldType::TopUpAmount
        | FieldType::ParcelStatus
        | FieldType::OrganisationName
        | FieldType::BankBranch => value.to_string(),
        // A person at a firm: masked as a name.
        FieldType::ContactPerson => mask(FieldType::Name, value, style),
        // Dates of the business's own records, masked as the last activity is.
        FieldType::DocumentDate | FieldType::ParcelArrivalTime | FieldType::PickupTime => {
            mask_last_activity(value, style)
        }
        // Free text: every piece of personal information inside is masked as its kind.
        FieldType::Notes | FieldType::Other => mask_text(value, style),
    }
}

/// Masks a value found by the scanner as `kind`.
pub fn mask_kind(kind: PiiKind, value: &str, style: MaskStyle) -> String {
    mask(kind.field(), value, style)
}

/// The conservative fallback for anything not recognised: standard keeps the first and the last
/// character (`a****z`), strict only the first when the value has four characters or more.
pub fn mask_unknown(value: &str, style: MaskStyle) -> String {
    let v = chars::trim(value);
    let mut it = v.chars();
    let (Some(first), n) = (it.next(), v.chars().count()) else {
        return String::new();
    };
    match style {
        MaskStyle::Standard => match n {
            1 => "*".to_string(),
            2 => format!("{first}*"),
            _ => format!("{first}{STARS4}{}", v.chars().next_back().unwrap_or('*')),
        },
        MaskStyle::Strict => {
            if n >= 4 {
                format!("{first}{STARS4}")
            } else {
                STARS4.to_string()
            }
        }
    }
}

/// `张*`, `张*丰`, `欧阳*娜` (standard); `张**`, `欧阳**` (strict). Forms of address lose the title
/// (`王女士` → `王*`), which would tell the sex.
pub fn mask_name(value: &str, style: MaskStyle) -> String {
    let Some(n) = name::normalize(value) else {
        return mask_unknown(value, style);
    };
    let Some(p) = name::parse(&n) else {
        return mask_unknown(value, style);
    };
    if p.dotted {
        // Minority names: the first part is usually the given name; keep one character of it.
        return mask_unknown(&n, style);
    }
    let surname = p.surname;
    match style {
        MaskStyle::Strict => format!("{surname}**"),
        MaskStyle::Standard => {
            let given: Vec<char> = p.given.chars().collect();
            match given.len() {
                0 | 1 => format!("{surname}*"),
                k => format!("{surname}{}{}", "*".repeat(k - 1), given[k - 1]),
            }
        }
    }
}

/// `138****5678` (standard), `*******5678` (strict). A landline in a mobile column is masked as a
/// landline.
pub fn mask_mobile(value: &str, style: MaskStyle) -> String {
    match mobile::parse_digits(value) {
        Some(d) => {
            let d = chars::ascii_str(&d);
            match style {
                MaskStyle::Standard => format!("{}{STARS4}{}", &d[..3], &d[7..]),
                MaskStyle::Strict => format!("*******{}", &d[7..]),
            }
        }
        None => match landline::parse(value) {
            Some(_) => mask_landline(value, style),
            None => mask_unknown(value, style),
        },
    }
}

/// `0755-****5678` (standard: area code and the last four digits), `********5678` (strict). An extension
/// is never shown. A mobile in a landline column is masked as a mobile.
pub fn mask_landline(value: &str, style: MaskStyle) -> String {
    match landline::parse(value) {
        Some(l) => {
            let keep = &l.local[l.local.len() - 4..];
            let hidden = l.local.len() - 4;
            let ext = if l.ext.is_some() { "-***" } else { "" };
            match style {
                MaskStyle::Standard => format!("{}-{}{keep}{ext}", l.area, "*".repeat(hidden)),
                MaskStyle::Strict => format!("{}{keep}", "*".repeat(l.area.len() + hidden)),
            }
        }
        None => match mobile::parse_digits(value) {
            Some(_) => mask_mobile(value, style),
            None => mask_unknown(value, style),
        },
    }
}

/// `110101********123X` (standard: region and the last four), `**************123X` (strict). The birth
/// date (digits 7–14; 7–12 of 15-digit numbers) is always hidden, also for numbers that fail validation —
/// a mistyped ID still tells the birthday.
pub fn mask_id_card(value: &str, style: MaskStyle) -> String {
    let Some(sh) = shape::cell_shape(value) else {
        return mask_unknown(value, style);
    };
    let d = chars::ascii_str(sh.digits());
    let (head, birth_end) = match d.len() {
        18 => (6, 14),
        15 => (6, 12),
        _ => return mask_unknown(value, style),
    };
    if sh.plus {
        return mask_unknown(value, style);
    }
    match style {
        MaskStyle::Standard => format!(
            "{}{}{}",
            &d[..head],
            "*".repeat(birth_end - head),
            &d[birth_end..]
        ),
        MaskStyle::Strict => format!("{}{}", "*".repeat(birth_end), &d[birth_end..]),
    }
}

/// `**** **** **** 1234` (standard), `****1234` (strict). The length of the card is not shown.
pub fn mask_bank_card(value: &str, style: MaskStyle) -> String {
    let Some(sh) = shape::cell_shape(value).filter(|s| s.all_digits() && !s.plus) else {
        return mask_unknown(value, style);
    };
    let d = chars::ascii_str(sh.digits());
    if !(12..=19).contains(&d.len()) {
        return mask_unknown(value, style);
    }
    let last = &d[d.len() - 4..];
    match style {
        MaskStyle::Standard => format!("**** **** **** {last}"),
        MaskStyle::Strict => format!("****{last}"),
    }
}

/// `z***@qq.com` (standard), `***@***.com` (strict).
pub fn mask_email(value: &str, style: MaskStyle) -> String {
    let v: String = chars::trim(value).chars().map(chars::fold).collect();
    let Some((local, domain)) = v.split_once('@') else {
        return mask_unknown(value, style);
    };
    let Some(first) = local.chars().next() else {
        return mask_unknown(value, style);
    };
    match style {
        MaskStyle::Standard => format!("{first}***@{domain}"),
        MaskStyle::Strict => {
            let tld = domain
                .rsplit('.')
                .next()
                .filter(|t| !t.is_empty() && *t != domain);
            match tld {
                Some(t) => format!("***@***.{t}"),
                None => "***@***".to_string(),
            }
        }
    }
}

/// `12****78` (standard), `****78` (strict).
pub fn mask_qq(value: &str, style: MaskStyle) -> String {
    let Some(d) = super::qq::normalize(value) else {
        return mask_unknown(value, style);
    };
    let n = d.len();
    match style {
        MaskStyle::Standard => format!("{}{STARS4}{}", &d[..2], &d[n - 2..]),
        MaskStyle::Strict => format!("{STARS4}{}", &d[n - 2..]),
    }
}

/// `粤B***45` (standard: province, authority and the last two), `粤B*****` (strict).
pub fn mask_plate(value: &str, style: MaskStyle) -> String {
    let Some(p) = plate::normalize(value) else {
        return mask_unknown(value, style);
    };
    let c: Vec<char> = p.chars().collect();
    let head: String = c[..2].iter().collect();
    let rest = c.len() - 2;
    match style {
        MaskStyle::Standard => {
            let tail: String = c[c.len() - 2..].iter().collect();
            format!("{head}{}{tail}", "*".repeat(rest - 2))
        }
        MaskStyle::Strict => format!("{head}{}", "*".repeat(rest)),
    }
}

/// `SF12****0123` (standard: first four and last four), `****0123` (strict).
pub fn mask_waybill(value: &str, style: MaskStyle) -> String {
    let Some(w) = waybill::normalize(value) else {
        return mask_unknown(value, style);
    };
    let n = w.len();
    match style {
        MaskStyle::Standard => format!("{}{STARS4}{}", &w[..4], &w[n - 4..]),
        MaskStyle::Strict => format!("{STARS4}{}", &w[n - 4..]),
    }
}

/// A pickup code opens someone's parcel: standard keeps the shelf and layer and the last digit
/// (`3-2-***4`), strict shows nothing (`****`).
pub fn mask_pickup_code(value: &str, style: MaskStyle) -> String {
    let Some(c) = super::pickup_code::normalize(value) else {
        return mask_unknown(value, style);
    };
    match style {
        MaskStyle::Strict => STARS4.to_string(),
        MaskStyle::Standard => {
            let (head, last) = match c.rfind('-') {
                Some(i) => (&c[..=i], &c[i + 1..]),
                None => ("", c.as_str()),
            };
            format!(
                "{head}{}{}",
                "*".repeat(last.len() - 1),
                &last[last.len() - 1..]
            )
        }
    }
}

/// Down to the district (standard) or the city (strict), then `****`; an address without recognisable
/// administrative parts shows nothing.
pub fn mask_address(value: &str, style: MaskStyle) -> String {
    let prefix = match style {
        MaskStyle::Standard => address::district_prefix(value),
        MaskStyle::Strict => address::city_prefix(value),
    };
    match prefix {
        Some(p) => format!("{p}{STARS4}"),
        None => STARS4.to_string(),
    }
}

/// Member numbers are often the customer's mobile; otherwise the last four (standard) or two (strict).
pub fn mask_member_number(value: &str, style: MaskStyle) -> String {
    if mobile::is_mobile(value) {
        return mask_mobile(value, style);
    }
    let v: Vec<char> = chars::trim(value).chars().collect();
    let keep = match style {
        MaskStyle::Standard => 4,
        MaskStyle::Strict => 2,
    };
    if v.len() <= keep + 2 {
        return mask_unknown(value, style);
    }
    let tail: String = v[v.len() - keep..].iter().collect();
    format!("{STARS4}{tail}")
}

/// A birthday without the year (`****-03-07`), which is what greetings need; strict keeps the month.
pub fn mask_birthday(value: &str, style: MaskStyle) -> String {
    let Some(b) = birth_date::parse(value) else {
        return mask_unknown(value, style);
    };
    match style {
        MaskStyle::Standard => format!("****-{:02}-{:02}", b.month, b.day),
        MaskStyle::Strict => format!("****-{:02}-**", b.month),
    }
}

/// Last activity: shown as is (standard); year and month only (strict).
pub fn mask_last_activity(value: &str, style: MaskStyle) -> String {
    match style {
        MaskStyle::Standard => value.to_string(),
        MaskStyle::Strict => {
            let t = chars::trim(value);
            let tomorrow = id_card::today_cn()
                .succ_opt()
                .unwrap_or_else(id_card::today_cn);
            match birth_date::parse_prefix(t, tomorrow) {
                Some((b, _)) if b.year.is_some() => {
                    format!("{:04}-{:02}", b.year.unwrap_or(0), b.month)
                }
                _ => mask_unknown(value, style),
            }
        }
    }
}

/// Free text with every finding of the scanner replaced by its masked form. Strict also hides every
/// other run of seven or more digits (an unrecognised account or phone number).
pub fn mask_text(value: &str, style: MaskStyle) -> String {
    let findings = text::scan(value);
    let mut out = String::with_capacity(value.len());
    let mut pos = 0;
    for f in &findings {
        if f.start < pos {
            continue;
        }
        push_rest(&mut out, &value[pos..f.start], style);
        out.push_str(&mask_kind(f.kind, &value[f.start..f.end], style));
        pos = f.end;
    }
    push_rest(&mut out, &value[pos..], style);
    out
}

/// Copies text between findings; strict replaces long digit runs by stars.
fn push_rest(out: &mut String, s: &str, style: MaskStyle) {
    if style == MaskStyle::Standard {
        out.push_str(s);
        return;
    }
    let mut run = String::new();
    let mut digits = 0;
    let flush = |out: &mut String, run: &mut String, digits: &mut usize| {
        if *digits >= 7 {
            out.push_str(STARS4);
        } else {
            out.push_str(run);
        }
        run.clear();
        *digits = 0;
    };
    for c in s.chars() {
        if chars::is_digit(c) {
            run.push(c);
            digits += 1;
        } else {
            flush(out, &mut run, &mut digits);
            out.push(c);
        }
    }
    flush(out, &mut run, &mut digits);
}

/// How many decimal digits (ASCII or full-width) a masked value shows; used by the property tests and
/// available to callers that want to audit a masking.
pub fn revealed_digits(masked: &str) -> usize {
    masked.chars().filter(|&c| chars::is_digit(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::bank_card;
    use crate::i18n::{Label, Lang, Message};
    use chrono::NaiveDate;
    use proptest::prelude::*;

    const S: MaskStyle = MaskStyle::Standard;
    const X: MaskStyle = MaskStyle::Strict;

    #[test]
    fn names() {
        assert_eq!(mask(FieldType::Name, "张三", S), "张*");
        assert_eq!(mask(FieldType::Name, "张三丰", S), "张*丰");
        assert_eq!(mask(FieldType::Name, "欧阳娜娜", S), "欧阳*娜");
        assert_eq!(mask(FieldType::Name, "欧阳娜", S), "欧阳*");
        assert_eq!(mask(FieldType::Name, "王女士", S), "王*");
        assert_eq!(mask(FieldType::Name, "张三", X), "张**");
        assert_eq!(mask(FieldType::Name, "欧阳娜娜", X), "欧阳**");
        assert_eq!(mask(FieldType::Name, "John Smith", S), "J****h");
        assert_eq!(mask(FieldType::Name, "", S), "");
    }

    #[test]
    fn phones() {
        assert_eq!(
            mask(FieldType::Mobile, "+86 138-1234-5678", S),
            "138****5678"
        );
        assert_eq!(mask(FieldType::Mobile, "13812345678", X), "*******5678");
        assert_eq!(mask(FieldType::Mobile, "0755-82345678", S), "0755-****5678");
        assert_eq!(
            mask(FieldType::Landline, "0755-82345678转123", S),
            "0755-****5678-***"
        );
        assert_eq!(mask(FieldType::Landline, "0571-8765432", X), "*******5432");
        assert_eq!(mask(FieldType::Landline, "13812345678", S), "138****5678");
        assert_eq!(
            mask(FieldType::Mobile, "1381234567", S),
            "1****7",
            "a typo shows no more than two"
        );
    }

    #[test]
    fn ids_and_cards() {
        assert_eq!(
            mask(FieldType::IdCard, "11010519491231002x", S),
            "110105********002X"
        );
        assert_eq!(
            mask(FieldType::IdCard, "11010519491231002X", X),
            "**************002X"
        );
        assert_eq!(
            mask(FieldType::IdCard, "110105491231002", S),
            "110105******002"
        );
        assert_eq!(
            mask(FieldType::IdCard, "110105194912310021", S),
            "110105********0021",
            "bad check digit"
        );
        assert_eq!(
            mask(FieldType::BankCard, "6222 0212 3456 7890 128", S),
            "**** **** **** 0128"
        );
        assert_eq!(
            mask(FieldType::BankCard, "6222021234567890128", X),
            "****0128"
        );
        assert_eq!(mask(FieldType::BankCard, "卡号见背面", S), "卡****面");
    }

    #[test]
    fn other_fields() {
        assert_eq!(mask(FieldType::Email, "Zhang.San@QQ.com", S), "Z***@QQ.com");
        assert_eq!(mask(FieldType::Email, "zhang@qq.com", X), "***@***.com");
        assert_eq!(mask(FieldType::Qq, "12345678", S), "12****78");
        assert_eq!(mask(FieldType::Qq, "12345678", X), "****78");
        assert_eq!(mask(FieldType::Plate, "粤B12345", S), "粤B***45");
        assert_eq!(mask(FieldType::Plate, "粤BD12345", X), "粤B******");
        assert_eq!(
            mask(FieldType::Waybill, "SF1234567890123", S),
            "SF12****0123"
        );
        assert_eq!(mask(FieldType::PickupCode, "3-2-1024", S), "3-2-***4");
        assert_eq!(mask(FieldType::PickupCode, "3-2-1024", X), "****");
        assert_eq!(
            mask(FieldType::Address, "广东省深圳市南山区科技园南路12号", S),
            "广东省深圳市南山区****"
        );
        assert_eq!(
            mask(FieldType::Address, "广东省深圳市南山区科技园南路12号", X),
            "广东省深圳市****"
        );
        assert_eq!(mask(FieldType::Address, "建设路12号", S), "****");
        assert_eq!(mask(FieldType::Birthday, "1990-03-07", S), "****-03-07");
        assert_eq!(mask(FieldType::Birthday, "1990-03-07", X), "****-03-**");
        assert_eq!(
            mask(FieldType::LastActivity, "2024-03-15 14:30", X),
            "2024-03"
        );
        assert_eq!(mask(FieldType::LastActivity, "2024-03-15", S), "2024-03-15");
        assert_eq!(
            mask(FieldType::MemberNumber, "13812345678", S),
            "138****5678"
        );
        assert_eq!(mask(FieldType::MemberNumber, "VIP0012345", S), "****2345");
        assert_eq!(mask(FieldType::PrepaidBalance, "¥1,280.00", X), "¥1,280.00");
        assert_eq!(mask(FieldType::Gender, "女", X), "*");
        assert_eq!(mask(FieldType::Wechat, "zhangsan88", S), "z****8");
    }

    #[test]
    fn notes() {
        let t = "老客户，电话13812345678，身份证11010519491231002X，住北京市朝阳区建设路12号";
        assert_eq!(
            mask(FieldType::Notes, t, S),
            "老客户，电话138****5678，身份证110105********002X，住北京市朝阳区****"
        );
        assert_eq!(
            mask(FieldType::Notes, "会员号 88886666123 积分 120", X),
            "会员号 **** 积分 120"
        );
        assert_eq!(mask(FieldType::Notes, "没有个人信息", S), "没有个人信息");
    }

    #[test]
    fn styles_describe_themselves() {
        for s in MaskStyle::ALL {
            assert!(!s.message(Lang::ZhCn).is_empty() && !s.message(Lang::En).is_empty());
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.id())
            );
            assert!(!s.label(Lang::En).is_empty());
        }
        assert!(MaskStyle::Standard
            .message(Lang::ZhCn)
            .contains("138****5678"));
    }

    fn valid_mobile() -> impl Strategy<Value = String> {
        (3u8..=9, 0u64..1_000_000_000).prop_map(|(a, b)| format!("1{a}{b:09}"))
    }

    fn valid_id() -> impl Strategy<Value = String> {
        (
            11u8..=65,
            1u8..=30,
            1u8..=30,
            1930i32..=2020,
            1u32..=12,
            1u32..=28,
            0u16..1000,
        )
            .prop_filter_map("province", |(p, c, k, y, m, d, s)| {
                id_card::province_name(format!("{p:02}").as_bytes())?;
                Some(id_card::compose(
                    &format!("{p:02}{c:02}{k:02}"),
                    NaiveDate::from_ymd_opt(y, m, d)?,
                    s,
                ))
            })
    }

    proptest! {
        #[test]
        fn no_panic_for_any_field(v in "\\PC{0,40}", f in prop::sample::select(FieldType::ALL.to_vec())) {
            for s in MaskStyle::ALL {
                let _ = mask(f, &v, s);
            }
        }

        #[test]
        fn unknown_values_show_at_most_first_and_last(v in "\\PC{1,30}") {
            let t = chars::trim(&v);
            prop_assume!(!t.is_empty());
            let first = t.chars().next().unwrap();
            let last = t.chars().next_back().unwrap();
            let m = mask_unknown(&v, S);
            prop_assert!(m.chars().all(|c| c == '*' || c == first || c == last), "{} → {}", v, m);
            let m = mask_unknown(&v, X);
            prop_assert!(m.chars().all(|c| c == '*' || c == first), "{} → {}", v, m);
        }

        #[test]
        fn masked_mobiles_keep_only_allowed_digits(m in valid_mobile(), f in prop::sample::select(mobile::MobileFormat::ALL.to_vec())) {
            let written = mobile::format(&m, f);
            let s = mask(FieldType::Mobile, &written, S);
            prop_assert_eq!(&s, &format!("{}****{}", &m[..3], &m[7..]));
            let x = mask(FieldType::Mobile, &written, X);
            prop_assert_eq!(&x, &format!("*******{}", &m[7..]));
            prop_assert!(revealed_digits(&x) == 4);
        }

        #[test]
        fn masked_ids_never_show_the_birth_date(id in valid_id(), lower in any::<bool>()) {
            let written = if lower { id.to_lowercase() } else { id.clone() };
            let birth = &id[6..14];
            for style in MaskStyle::ALL {
                let m = mask(FieldType::IdCard, &written, style);
                prop_assert_eq!(m.chars().count(), 18);
                prop_assert!(m[6..14].chars().all(|c| c == '*'));
                prop_assert!(!m.contains(birth));
                prop_assert!(m.ends_with(&id[14..]));
            }
            let strict = mask(FieldType::IdCard, &written, X);
            prop_assert!(revealed_digits(&strict) <= 4);
        }

        #[test]
        fn masked_cards_show_only_the_last_four(digits in "[0-9]{16,19}", grouped in any::<bool>()) {
            let written = if grouped { bank_card::format_grouped(&digits) } else { digits.clone() };
            for style in MaskStyle::ALL {
                let m = mask(FieldType::BankCard, &written, style);
                prop_assert_eq!(revealed_digits(&m), 4);
                prop_assert!(m.ends_with(&digits[digits.len() - 4..]));
            }
        }

        #[test]
        fn digit_fields_never_reveal_more_than_their_style(v in "[0-9０-９ +\\-xX]{0,24}") {
            let limits = [
                (FieldType::Mobile, 8, 4),
                (FieldType::Landline, 8, 4),
                (FieldType::IdCard, 10, 4),
                (FieldType::BankCard, 4, 4),
                (FieldType::Qq, 4, 2),
                (FieldType::Waybill, 8, 4),
            ];
            for (f, std_max, strict_max) in limits {
                prop_assert!(revealed_digits(&mask(f, &v, S)) <= std_max, "{:?} {}", f, v);
                prop_assert!(revealed_digits(&mask(f, &v, X)) <= strict_max, "{:?} {}", f, v);
            }
        }

        #[test]
        fn masked_notes_hide_embedded_mobiles(m in valid_mobile(), before in "[\\p{Han}，]{0,8}", after in "[\\p{Han}，。]{0,8}") {
            let t = format!("{before}电话{m}{after}");
            let masked = mask(FieldType::Notes, &t, S);
            prop_assert!(!masked.contains(&m));
            // The middle four digits are starred. (Not "absent from the text": in 13017771777 they equal the
            // last four, which the standard style shows.)
            let shown = format!("{}****{}", &m[..3], &m[7..]);
            prop_assert!(masked.contains(&shown), "{} → {}", t, masked);
        }
    }
}
