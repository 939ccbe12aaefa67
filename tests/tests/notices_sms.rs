//! Every SMS of the 1,000,000-row shop case fits its declared parts, and every cell of the SMS platform file
//! is formula-safe whatever the names (property test).
//!
//! Why the SMS test covers every SMS: a notice's SMS is its template filled with case-wide values (parties,
//! date, reason, categories, signature) and, for the creditor notices only, the customer's balance; it never
//! carries a name (see `notices::model`). So within one case the texts differ only by the balance string.
//! The test generates the million-row shop file, sums every customer's balances as the plan does (customers
//! are linked by mobile number), and composes the SMS of every customer for the case's own situation (a
//! sale of the whole shop: the Art. 22 notice and the creditor notice) in both languages. For the other
//! situations (merger, list sale, closing, bankruptcy…) it composes, for every length of balance string the
//! case holds, the SMS of the largest balance of that length — the SMS length depends on the balance string
//! only through its length, since digits and the point are one UTF-16 unit each.

use std::collections::{BTreeMap, HashMap};

use handover_core::case::{BusinessKind, TransferReason};
use handover_core::detect::mask::{mask_name, MaskStyle};
use handover_core::detect::mobile;
use handover_core::field::FieldType;
use handover_core::import::normalize;
use handover_core::notices::generate::platform_row;
use handover_core::notices::kinds::{kinds_for, NoticeKind};
use handover_core::notices::model::{sms_for, widest_balance, NoticeContext, NoticeCustomer};
use handover_core::notices::sms::capacity;
use handover_core::output::{is_formula_safe, SafeCsvWriter};
use handover_core::rules::prepaid::money_string;
use handover_core::Lang;
use handover_testkit::generate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn context(reason: TransferReason, has_recipient: bool) -> NoticeContext {
    NoticeContext {
        kind: BusinessKind::Shop,
        reason,
        seller: "王记便利店".into(),
        seller_contact: "13800001111".into(),
        responsible_person: "王五".into(),
        recipient: has_recipient.then(|| "李四便民服务部".into()),
        recipient_contact: has_recipient.then(|| "13900002222".into()),
        handover_date: "2026-12-31".into(),
        // The default minimisation: the most categories a shop's notice lists.
        categories: vec![
            FieldType::Name,
            FieldType::Mobile,
            FieldType::Landline,
            FieldType::MemberNumber,
            FieldType::PrepaidBalance,
            FieldType::Points,
            FieldType::LastActivity,
        ],
        signature: "王记便利店".into(),
        mask_style: MaskStyle::Standard,
        notices: kinds_for(BusinessKind::Shop, reason, has_recipient),
    }
}

/// The balance of every customer of the generated shop file, keyed by normalised mobile (as the import
/// links them); rows without a readable mobile are customers of their own.
fn balances(rows: u64) -> Vec<Decimal> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.csv");
    generate::shop_csv(&path, rows, 20261123).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut by_mobile: HashMap<String, Decimal> = HashMap::with_capacity(rows as usize);
    let mut alone = Vec::new();
    let mut read = 0u64;
    for line in text.lines().skip(2) {
        // 会员卡号,姓名,手机号,性别,生日,储值余额,… — only the balance can be quoted ("¥1,234.56").
        let cells: Vec<&str> = line.splitn(6, ',').collect();
        let rest = cells[5];
        let balance_cell = if let Some(q) = rest.strip_prefix('"') {
            &q[..q.find('"').unwrap()]
        } else {
            rest.split(',').next().unwrap()
        };
        read += 1;
        let balance = normalize::money(balance_cell)
            .ok()
            .filter(|b| *b > Decimal::ZERO)
            .unwrap_or_default();
        match mobile::normalize(cells[2]) {
            Some(m) => *by_mobile.entry(m).or_default() += balance,
            None => alone.push(balance),
        }
    }
    assert_eq!(read, rows);
    by_mobile.into_values().chain(alone).collect()
}

#[test]
fn every_sms_of_the_million_row_shop_case_fits_its_declared_parts() {
    let rows = std::env::var("NOTICES_SMS_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let customers = balances(rows);
    assert!(customers.len() as u64 > rows * 9 / 10);
    let with_balance: Vec<String> = customers
        .iter()
        .filter(|b| **b > Decimal::ZERO)
        .map(|b| money_string(*b))
        .collect();
    assert!(with_balance.len() > 1000);

    // The case's own situation, every customer, both languages.
    let own = context(TransferReason::SaleWhole, true);
    let mut checked = 0u64;
    let mut most_parts: BTreeMap<(&str, NoticeKind), u32> = BTreeMap::new();
    for lang in [Lang::ZhCn, Lang::En] {
        for &kind in &own.notices {
            if kind.is_creditor() {
                for b in &with_balance {
                    let s = sms_for(&own, kind, lang, Some(b)).unwrap();
                    assert!(s.units <= capacity(s.declared_parts), "{}", s.text);
                    assert_eq!(s.units as usize, s.text.encode_utf16().count());
                    assert!(s.text.starts_with("【王记便利店】"));
                    let e = most_parts.entry((lang_id(lang), kind)).or_default();
                    *e = (*e).max(s.parts);
                    checked += 1;
                }
            } else {
                // The same text for every customer.
                let s = sms_for(&own, kind, lang, None).unwrap();
                assert!(s.units <= capacity(s.declared_parts), "{}", s.text);
                most_parts.insert((lang_id(lang), kind), s.parts);
                checked += customers.len() as u64;
            }
        }
    }
    assert!(checked >= 2 * customers.len() as u64);

    // Every other situation: one balance per length class (the largest), and the widest balance any case may
    // hold, so the templates fit whatever the data.
    let mut classes: BTreeMap<usize, Decimal> = BTreeMap::new();
    for b in customers.iter().filter(|b| **b > Decimal::ZERO) {
        let len = money_string(*b).len();
        let e = classes.entry(len).or_default();
        *e = (*e).max(*b);
    }
    let mut shapes: Vec<String> = classes.values().map(|b| money_string(*b)).collect();
    shapes.push(widest_balance());
    for reason in TransferReason::ALL {
        for has in [true, false] {
            if !has && reason.needs_recipient() {
                continue;
            }
            let ctx = context(reason, has);
            for lang in [Lang::ZhCn, Lang::En] {
                for &kind in &ctx.notices {
                    for b in &shapes {
                        let s = sms_for(&ctx, kind, lang, Some(b)).unwrap();
                        assert!(s.units <= capacity(s.declared_parts), "{}", s.text);
                    }
                }
            }
        }
    }
    eprintln!(
        "{} customers, {} with a balance, {} SMS checked; balance length classes {:?}; most parts {most_parts:?}",
        customers.len(),
        with_balance.len(),
        checked,
        classes.keys().collect::<Vec<_>>()
    );
}

fn lang_id(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh",
        Lang::En => "en",
    }
}

/// Names people type, and names that try to be formulas.
fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("=cmd|' /C calc'!A0".to_string()),
        Just("@SUM(1+1)".to_string()),
        Just("+1-1".to_string()),
        Just("-2+3".to_string()),
        Just("\t=1".to_string()),
        Just("\r=1".to_string()),
        Just("张伟".to_string()),
        "[=+@\\-\t\r]?[张王李赵欧阳]{1,3}",
        "[=+@\\-]{0,2}.{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every cell of the SMS platform file is formula-safe, for any name and balance: the rows the generator
    /// builds, through the one CSV writer, read back by a CSV parser.
    #[test]
    fn every_cell_of_the_platform_file_is_formula_safe(
        name in hostile_name(),
        cents in 0i64..1_000_000_000,
        style_strict in any::<bool>(),
        reason in 0usize..6,
    ) {
        let style = if style_strict { MaskStyle::Strict } else { MaskStyle::Standard };
        let reason = TransferReason::ALL[reason];
        let ctx = context(reason, true);
        let customer = NoticeCustomer {
            customer_id: 1,
            phone: Some("13812345678".into()),
            name: mask_name(&name, style),
            balance: (cents > 0).then(|| Decimal::new(cents, 2)),
        };
        let mut out = Vec::new();
        {
            let mut csv = SafeCsvWriter::new(&mut out).unwrap();
            for &kind in &ctx.notices {
                let s = sms_for(&ctx, kind, Lang::ZhCn, customer.balance.map(money_string).as_deref()).unwrap();
                csv.write_row(platform_row(&customer, &s)).unwrap();
            }
            csv.finish().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap();
            prop_assert_eq!(record.len(), 5);
            for cell in record.iter() {
                prop_assert!(is_formula_safe(cell), "unsafe cell {:?}", cell);
            }
            prop_assert_eq!(&record[0], "13812345678");
            rows += 1;
        }
        prop_assert_eq!(rows, ctx.notices.len());
    }
}
