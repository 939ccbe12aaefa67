//! The rulebook on whole cases: one scenario per business kind and reason, each a small hand-written CSV
//! imported through the real import, with the outcome and the cited articles asserted for every record.
//! Plus: a rulebook copy with another retention period, overrides and their audit entries, a property test
//! over random shop cases, and the shape of `handover plan --json --details`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use handover_core::case::{BusinessKind, CaseDetails, Recipient, Seller, TransferReason};
use handover_core::detect::id_card;
use handover_core::detect::mask::MaskStyle;
use handover_core::field::FieldType;
use handover_core::i18n::{Localize, Message};
use handover_core::records::import_file::{self, ImportRequest, ReadChoices};
use handover_core::rules::plan::{self, PlanRow, PlanSummary};
use handover_core::rules::status::{
    self, OverrideRequest, OverrideTarget, RulesError, StatusChange,
};
use handover_core::rules::{rulebook, Answer, BlockedBy, Outcome, Rulebook, SourceKind};
use handover_core::store::{Actor, Case};
use handover_core::{Error, Lang};
use handover_tests::PASSPHRASE;

fn actor() -> Actor {
    Actor("test:rules".into())
}

fn handover_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
}

fn new_case(dir: &Path, kind: BusinessKind, reason: TransferReason, recipient: bool) -> Case {
    let details = CaseDetails {
        kind,
        reason,
        seller: Seller {
            name: "测试商户".into(),
            contact: "13800000000".into(),
            responsible_person: "王负责".into(),
        },
        recipient: recipient.then(|| Recipient {
            name: "接手有限公司".into(),
            contact: "13900000000".into(),
        }),
        handover_date: Some(handover_day()),
        notes: String::new(),
    };
    Case::create(&dir.join("case.handover"), PASSPHRASE, details, &actor()).unwrap()
}

/// Imports a CSV through the real import with the owner's mapping.
fn import(case: &mut Case, dir: &Path, name: &str, text: &str, fields: &[FieldType]) -> i64 {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let request = ImportRequest {
        path: path.display().to_string(),
        choices: ReadChoices::default(),
        fields: Some(fields.to_vec()),
        allow_duplicate: false,
    };
    let (_, summary) = import_file::run(
        case,
        &request,
        &actor(),
        Lang::ZhCn,
        &AtomicBool::new(false),
        &mut |_| {},
        false,
    )
    .unwrap();
    summary.source_id
}

fn customer(case: &Case, phone: &str) -> i64 {
    case.read(|db| status::find_customer_by_phone(db, phone))
        .unwrap()
}

fn set(case: &Case, phone: &str, change: StatusChange) {
    status::set_customer_status(case, rulebook(), customer(case, phone), &change, &actor())
        .unwrap();
}

fn compute(case: &Case, book: &Rulebook) -> (PlanSummary, BTreeMap<(String, u64), PlanRow>) {
    let summary = plan::compute_plan(case, book, &actor(), &AtomicBool::new(false), &mut |_| {})
        .unwrap()
        .localized(Lang::En);
    let mut rows = BTreeMap::new();
    case.read(|db| {
        plan::for_each_row(db, MaskStyle::Standard, &mut |r| {
            rows.insert((r.source.clone(), r.row), r);
            Ok(())
        })
    })
    .unwrap();
    assert_eq!(rows.len() as u64, summary.records);
    (summary, rows)
}

/// What one record must come out as.
struct Expect<'a> {
    file: &'a str,
    row: u64,
    outcome: Outcome,
    rules: &'a [&'a str],
    /// Citations (English form) that must be among the record's.
    cites: &'a [&'a str],
}

fn check_all(rows: &BTreeMap<(String, u64), PlanRow>, expected: &[Expect<'_>]) {
    assert_eq!(
        rows.len(),
        expected.len(),
        "every record must be asserted: {:?}",
        rows.keys().collect::<Vec<_>>()
    );
    for e in expected {
        let r = rows
            .get(&(e.file.to_string(), e.row))
            .unwrap_or_else(|| panic!("no record {} row {}", e.file, e.row));
        assert_eq!(r.outcome, e.outcome, "{} row {}: {:?}", e.file, e.row, r);
        assert_eq!(r.rules, e.rules, "{} row {}", e.file, e.row);
        let cites: Vec<String> = rulebook()
            .citations_of(&r.rules)
            .iter()
            .map(|c| c.message(Lang::En))
            .collect();
        for c in e.cites {
            assert!(
                cites.iter().any(|x| x == c),
                "{} row {}: {c} not among {cites:?}",
                e.file,
                e.row
            );
        }
        // Chinese citations are written in full.
        let zh: Vec<String> = rulebook()
            .citations_of(&r.rules)
            .iter()
            .map(|c| c.message(Lang::ZhCn))
            .collect();
        assert!(
            zh.iter()
                .all(|c| c.contains('第') || c.contains('§') || c.contains("待核实")),
            "{zh:?}"
        );
    }
}

use FieldType as F;

#[test]
fn courier_station_sold() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::CourierStation,
        TransferReason::SaleWhole,
        true,
    );
    let courier = "取件记录.csv";
    let source = import(
        &mut case,
        dir.path(),
        courier,
        "运单号,快递公司,收件人,收件人手机,取件码,入库时间,取件时间,状态\n\
         SF1234567890123,顺丰,张三,13812345678,3-2-1001,2026-11-01 09:00,2026-11-01,已取件\n\
         YT1234567890123,圆通,李四,13912345678,3-2-1002,2026-11-02 10:00,,待取件\n\
         JT1234567890123,极兔,王五,13712345678,3-2-1003,2026-11-03 11:00,2026-11-03,已取件\n",
        &[
            F::Waybill,
            F::CourierCompany,
            F::Name,
            F::Mobile,
            F::PickupCode,
            F::Other,
            F::Other,
            F::Other,
        ],
    );
    let members = "驿站会员.csv";
    import(
        &mut case,
        dir.path(),
        members,
        "姓名,手机号\n张三,13812345678\n赵六,13612345678\n",
        &[F::Name, F::Mobile],
    );
    // The waybill columns are recognised as the courier companies' data.
    let kinds = case.read(status::source_kinds).unwrap();
    assert_eq!(kinds[0].kind, SourceKind::CourierPlatform);
    assert!(!kinds[0].owner_set);
    assert_eq!(kinds[1].kind, SourceKind::CustomerList);
    assert_eq!(kinds[0].source_id, source);
    set(
        &case,
        "13712345678",
        StatusChange {
            deletion_request: Some(true),
            ..Default::default()
        },
    );
    set(
        &case,
        "13612345678",
        StatusChange {
            objection: Some(true),
            ..Default::default()
        },
    );
    let (summary, rows) = compute(&case, rulebook());
    const SALE: &str = "sale-whole-transfer-with-notice";
    check_all(
        &rows,
        &[
            Expect {
                file: courier,
                row: 2,
                outcome: Outcome::Return,
                rules: &[SALE, "courier-data-return"],
                cites: &[
                    "PIPL Art. 21",
                    "Interim Regulations on Express Delivery Art. 34",
                ],
            },
            Expect {
                file: courier,
                row: 3,
                outcome: Outcome::Return,
                rules: &[
                    SALE,
                    "courier-data-return",
                    "courier-uncollected-parcel-return",
                ],
                cites: &[
                    "PIPL Art. 21",
                    "Interim Regulations on Express Delivery Art. 26",
                    "Express Market Measures Art. 29",
                ],
            },
            Expect {
                file: courier,
                row: 4,
                outcome: Outcome::Delete,
                rules: &[SALE, "courier-data-return", "deletion-request"],
                cites: &["PIPL Art. 47"],
            },
            Expect {
                file: members,
                row: 2,
                outcome: Outcome::Transfer,
                rules: &[SALE],
                cites: &["PIPL Art. 22"],
            },
            Expect {
                file: members,
                row: 3,
                outcome: Outcome::Delete,
                rules: &[SALE, "objection-delete"],
                cites: &["PIPL Art. 15", "PIPL Art. 47"],
            },
        ],
    );
    // Uncollected parcels are listed for return by their rule.
    let uncollected = summary
        .rules
        .iter()
        .find(|r| r.rule == "courier-uncollected-parcel-return")
        .unwrap();
    assert_eq!(uncollected.count, 1);
    // Nothing of the courier data goes to the buyer.
    assert!(rows
        .values()
        .filter(|r| r.source == courier)
        .all(|r| r.outcome != Outcome::Transfer));

    // The owner can say a source is not courier data; the plan is marked stale until recomputed.
    status::set_source_kind(&case, source, SourceKind::CustomerList, &actor()).unwrap();
    let stale = case
        .read(|db| plan::summary(db, rulebook()))
        .unwrap()
        .unwrap();
    assert!(stale.stale);
    let (_, rows) = compute(&case, rulebook());
    assert_eq!(rows[&(courier.to_string(), 2)].outcome, Outcome::Transfer);
    let audit = case.audit_entries().unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "rules.source_kind" && e.detail.contains("courier-platform")));
}

fn id_born(y: i32, m: u32, d: u32) -> String {
    handover_testkit::values::id_card::compose(
        "110105",
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        123,
    )
}

#[test]
fn shop_sold_with_prepaid_balances_and_a_minor() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Shop,
        TransferReason::SaleWhole,
        true,
    );
    let file = "会员.csv";
    let child = id_born(2015, 6, 1);
    let adult = id_born(1990, 3, 8);
    assert!(id_card::parse(&child).unwrap().is_minor_on(handover_day()));
    import(
        &mut case,
        dir.path(),
        file,
        &format!(
            "会员号,姓名,手机号,身份证号,储值余额,最近消费\n\
             V1,张三,13812345678,,0,2026-10-01\n\
             V2,李四,13912345678,,300.50,2026-10-02\n\
             V3,王五,13712345678,,88.00,2026-10-03\n\
             V4,小明,13612345678,{child},0,2026-10-04\n\
             V5,赵六,13512345678,,500.00,2019-01-01\n\
             V6,孙七,13412345678,,120.01,2026-09-01\n\
             V7,周八,13312345678,{adult},0,2026-09-02\n"
        ),
        &[
            F::MemberNumber,
            F::Name,
            F::Mobile,
            F::IdCard,
            F::PrepaidBalance,
            F::LastActivity,
        ],
    );
    set(
        &case,
        "13712345678",
        StatusChange {
            consent: Some(Answer::Yes),
            ..Default::default()
        },
    );
    set(
        &case,
        "13412345678",
        StatusChange {
            refunded: Some(true),
            ..Default::default()
        },
    );
    let (summary, rows) = compute(&case, rulebook());
    const SALE: &str = "sale-whole-transfer-with-notice";
    check_all(
        &rows,
        &[
            Expect {
                file,
                row: 2,
                outcome: Outcome::Transfer,
                rules: &[SALE],
                cites: &["PIPL Art. 22"],
            },
            Expect {
                file,
                row: 3,
                outcome: Outcome::Blocked,
                rules: &[SALE, "prepaid-needs-consent-or-refund"],
                cites: &[
                    "Civil Code Art. 555",
                    "SPC Prepaid Interpretation 2025 Art. 13",
                ],
            },
            Expect {
                file,
                row: 4,
                outcome: Outcome::Transfer,
                rules: &[SALE],
                cites: &["PIPL Art. 22"],
            },
            Expect {
                file,
                row: 5,
                outcome: Outcome::Blocked,
                rules: &[SALE, "minor-needs-guardian-consent"],
                cites: &["PIPL Art. 31"],
            },
            Expect {
                file,
                row: 6,
                outcome: Outcome::Blocked,
                rules: &[SALE, "inactive-customer-delete", "prepaid-blocks-deletion"],
                cites: &["PIPL Art. 19", "SPC Prepaid Interpretation 2025 Art. 15"],
            },
            Expect {
                file,
                row: 7,
                outcome: Outcome::Transfer,
                rules: &[SALE],
                cites: &["PIPL Art. 22"],
            },
            Expect {
                file,
                row: 8,
                outcome: Outcome::Transfer,
                rules: &[SALE, "sensitive-fields-stripped"],
                cites: &["PIPL Art. 6", "PIPL Art. 28"],
            },
        ],
    );
    let r = |row: u64| &rows[&(file.to_string(), row)];
    assert_eq!(r(3).blocked_by, Some(BlockedBy::RefundOrConsent));
    assert_eq!(r(5).blocked_by, Some(BlockedBy::GuardianConsent));
    assert_eq!(r(6).blocked_by, Some(BlockedBy::Refund));
    // A balance is not sensitive (law-notes N): it is the evidence of what is owed and moves with the
    // record, consent or not; the ID number without separate consent stays behind.
    assert_eq!(r(4).stripped_fields, Vec::<FieldType>::new());
    assert_eq!(r(7).stripped_fields, Vec::<FieldType>::new());
    assert_eq!(r(2).stripped_fields, Vec::<FieldType>::new());
    assert_eq!(r(8).stripped_fields, [F::IdCard]);
    // Exact totals: 300.50 + 88.00 + 500.00 + 120.01.
    assert_eq!(summary.prepaid.total, "1008.51");
    assert_eq!(summary.prepaid.customers, 4);
    assert_eq!(summary.prepaid.refunded, "120.01");
    let count = |o: Outcome| {
        summary
            .outcomes
            .iter()
            .find(|c| c.outcome == o)
            .unwrap()
            .count
    };
    assert_eq!(count(Outcome::Transfer), 4);
    assert_eq!(count(Outcome::Blocked), 3);
    assert_eq!(count(Outcome::Delete), 0);
    assert_eq!(summary.exposure.records_without_basis, 0);

    // The guardian consents: the child's record moves. For a child under 14 the guardian's yes is the consent
    // (PIPL Art. 31), so the balance is not stripped for want of it; the ID number is not among the fields the
    // recipient needs, so minimisation (Art. 6) still leaves it behind.
    set(
        &case,
        "13612345678",
        StatusChange {
            guardian_consent: Some(Answer::Yes),
            ..Default::default()
        },
    );
    let row = case
        .read(|db| {
            plan::page(
                db,
                &plan::PlanQuery {
                    customer_id: Some(customer(&case, "13612345678")),
                    limit: 10,
                    ..Default::default()
                },
                MaskStyle::Standard,
            )
        })
        .unwrap();
    assert_eq!(row.rows[0].outcome, Outcome::Transfer);
    assert_eq!(row.rows[0].stripped_fields, [F::IdCard]);
    assert_eq!(row.rows[0].mobile.as_deref(), Some("136****5678"));
}

#[test]
fn customer_list_alone_sold() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Shop,
        TransferReason::SaleList,
        true,
    );
    let file = "客户名单.csv";
    import(
        &mut case,
        dir.path(),
        file,
        "姓名,手机号\n甲一,13812340001\n乙二,13812340002\n丙三,13812340003\n丁四,13812340004\n戊五,13812340005\n",
        &[F::Name, F::Mobile],
    );
    set(
        &case,
        "13812340001",
        StatusChange {
            consent: Some(Answer::Yes),
            ..Default::default()
        },
    );
    set(
        &case,
        "13812340002",
        StatusChange {
            consent: Some(Answer::No),
            ..Default::default()
        },
    );
    set(
        &case,
        "13812340004",
        StatusChange {
            objection: Some(true),
            ..Default::default()
        },
    );
    set(
        &case,
        "13812340005",
        StatusChange {
            deletion_request: Some(true),
            ..Default::default()
        },
    );
    let (summary, rows) = compute(&case, rulebook());
    const WAIT: &str = "sale-list-awaiting-consent";
    check_all(
        &rows,
        &[
            Expect {
                file,
                row: 2,
                outcome: Outcome::Transfer,
                rules: &["sale-list-transfer-with-consent"],
                cites: &["PIPL Art. 23"],
            },
            Expect {
                file,
                row: 3,
                outcome: Outcome::Keep,
                rules: &["sale-list-no-consent-keep"],
                cites: &["PIPL Art. 23", "Consumer Rights Protection Law Art. 29"],
            },
            Expect {
                file,
                row: 4,
                outcome: Outcome::Blocked,
                rules: &[WAIT],
                cites: &["PIPL Art. 23"],
            },
            Expect {
                file,
                row: 5,
                outcome: Outcome::Keep,
                rules: &[WAIT, "objection-stays-with-seller"],
                cites: &["PIPL Art. 15"],
            },
            Expect {
                file,
                row: 6,
                outcome: Outcome::Delete,
                rules: &[WAIT, "deletion-request"],
                cites: &["PIPL Art. 47"],
            },
        ],
    );
    assert_eq!(
        rows[&(file.to_string(), 4)].blocked_by,
        Some(BlockedBy::SeparateConsent)
    );
    // Filtering by outcome and by rule, with SQL.
    let blocked = case
        .read(|db| {
            plan::page(
                db,
                &plan::PlanQuery {
                    outcome: Some(Outcome::Blocked),
                    limit: 50,
                    ..Default::default()
                },
                MaskStyle::Standard,
            )
        })
        .unwrap();
    assert_eq!(blocked.total, 1);
    let by_rule = case
        .read(|db| {
            plan::page(
                db,
                &plan::PlanQuery {
                    rule: Some(WAIT.into()),
                    limit: 2,
                    ..Default::default()
                },
                MaskStyle::Standard,
            )
        })
        .unwrap();
    assert_eq!(by_rule.total, 3);
    assert_eq!(by_rule.rows.len(), 2);
    let rest = case
        .read(|db| {
            plan::page(
                db,
                &plan::PlanQuery {
                    rule: Some(WAIT.into()),
                    limit: 2,
                    after_record_id: by_rule.next_after,
                    ..Default::default()
                },
                MaskStyle::Standard,
            )
        })
        .unwrap();
    assert_eq!(rest.rows.len(), 1);
    assert_eq!(
        summary
            .outcomes
            .iter()
            .find(|o| o.outcome == Outcome::Keep)
            .unwrap()
            .reasons
            .len(),
        2
    );
}

/// A valid bank card number (Luhn) with a UnionPay prefix.
fn bank_card() -> String {
    let body = "621700000000123456";
    let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

#[test]
fn sanitary_equipment_company_merged() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Company,
        TransferReason::Merger,
        true,
    );
    let file = "洁具客户.csv";
    let card = bank_card();
    import(
        &mut case,
        dir.path(),
        file,
        &format!(
            "联系人,手机,地址,银行卡号,最近下单\n\
             陈一,13812340011,广东省佛山市南海区建设路1号,,2026-08-01\n\
             林二,13812340012,,{card},2026-07-01\n\
             黄三,13812340013,,,2020-01-01\n\
             吴四,13812340014,,,2026-05-01\n"
        ),
        &[F::Name, F::Mobile, F::Address, F::BankCard, F::LastActivity],
    );
    set(
        &case,
        "13812340014",
        StatusChange {
            objection: Some(true),
            ..Default::default()
        },
    );
    let (_, rows) = compute(&case, rulebook());
    const ART22: &str = "art22-transfer-with-notice";
    check_all(
        &rows,
        &[
            Expect {
                file,
                row: 2,
                outcome: Outcome::Transfer,
                rules: &[ART22],
                cites: &["PIPL Art. 22", "NDSR Art. 14"],
            },
            Expect {
                file,
                row: 3,
                outcome: Outcome::Transfer,
                rules: &[ART22, "sensitive-fields-stripped"],
                cites: &["PIPL Art. 6", "PIPL Art. 28"],
            },
            Expect {
                file,
                row: 4,
                outcome: Outcome::Delete,
                rules: &[ART22, "inactive-customer-delete"],
                cites: &["PIPL Art. 19"],
            },
            Expect {
                file,
                row: 5,
                outcome: Outcome::Delete,
                rules: &[ART22, "objection-delete"],
                cites: &["PIPL Art. 15"],
            },
        ],
    );
    // Minimisation: by default the address is not handed over; once the owner says the recipient needs it
    // (deliveries), it is.
    assert_eq!(rows[&(file.to_string(), 2)].stripped_fields, [F::Address]);
    assert_eq!(rows[&(file.to_string(), 3)].stripped_fields, [F::BankCard]);
    status::set_minimisation(
        &case,
        &[F::Name, F::Mobile, F::Address, F::LastActivity],
        &actor(),
    )
    .unwrap();
    let (summary, rows) = compute(&case, rulebook());
    assert!(summary.minimisation.chosen);
    assert!(rows[&(file.to_string(), 2)].stripped_fields.is_empty());
    assert!(case
        .audit_entries()
        .unwrap()
        .iter()
        .any(|e| e.action == "rules.minimisation"));
}

#[test]
fn company_deregistered_with_invoices_and_vouchers() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Company,
        TransferReason::Dissolution,
        false,
    );
    let clients = "客户.csv";
    import(
        &mut case,
        dir.path(),
        clients,
        "客户名称,手机号\n甲公司联系人,13812340021\n乙公司联系人,13812340022\n",
        &[F::Name, F::Mobile],
    );
    let invoices = "发票存根.csv";
    import(
        &mut case,
        dir.path(),
        invoices,
        "发票号码,购买方,手机号,开票日期\n04400001,甲公司联系人,13812340021,2024-03-05\n04400002,丙,13812340023,2025-12-31\n",
        &[F::Other, F::Name, F::Mobile, F::LastActivity],
    );
    let vouchers = "记账凭证.csv";
    import(
        &mut case,
        dir.path(),
        vouchers,
        "凭证号,往来单位联系人,日期\n记-001,乙公司联系人,2023-06-30\n",
        &[F::Other, F::Name, F::LastActivity],
    );
    let kinds: Vec<SourceKind> = case
        .read(status::source_kinds)
        .unwrap()
        .iter()
        .map(|k| k.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            SourceKind::CustomerList,
            SourceKind::TaxInvoice,
            SourceKind::AccountingVoucher
        ]
    );
    // The first client asks for deletion: the client list entry goes, the invoice stays (and they are told).
    set(
        &case,
        "13812340021",
        StatusChange {
            deletion_request: Some(true),
            ..Default::default()
        },
    );
    let (summary, rows) = compute(&case, rulebook());
    const DEL: &str = "no-recipient-delete";
    check_all(
        &rows,
        &[
            Expect {
                file: clients,
                row: 2,
                outcome: Outcome::Delete,
                rules: &[DEL, "deletion-request"],
                cites: &["PIPL Art. 47"],
            },
            Expect {
                file: clients,
                row: 3,
                outcome: Outcome::Delete,
                rules: &[DEL],
                cites: &["PIPL Art. 47", "GB/T 35273-2020 §9.3 (to be verified)"],
            },
            Expect {
                file: invoices,
                row: 2,
                outcome: Outcome::Retain,
                // In a company's books an invoice is an original voucher: 30 years (law-notes N).
                rules: &[
                    DEL,
                    "deletion-request",
                    "retain-tax-records",
                    "retain-invoices-company-books",
                ],
                cites: &[
                    "Tax Collection Implementing Rules Art. 29",
                    "Invoice Measures Art. 28",
                ],
            },
            Expect {
                file: invoices,
                row: 3,
                outcome: Outcome::Retain,
                rules: &[DEL, "retain-tax-records", "retain-invoices-company-books"],
                cites: &[
                    "Tax Collection Implementing Rules Art. 29",
                    "Accounting Law Art. 23",
                ],
            },
            Expect {
                file: vouchers,
                row: 2,
                outcome: Outcome::Retain,
                rules: &[DEL, "retain-accounting-vouchers"],
                cites: &["Accounting Archives Measures Art. 14 (to be verified)"],
            },
        ],
    );
    let until = |f: &str, row: u64| rows[&(f.to_string(), row)].retain_until.clone();
    assert_eq!(until(invoices, 2).as_deref(), Some("2054-12-31"));
    assert_eq!(until(invoices, 3).as_deref(), Some("2055-12-31"));
    assert_eq!(until(vouchers, 2).as_deref(), Some("2053-12-31"));
    assert_eq!(summary.hold_notices, 1);
    let held = rows[&(invoices.to_string(), 2)].record_id;
    let why = case
        .read(|db| plan::explain(db, rulebook(), held, MaskStyle::Standard))
        .unwrap();
    assert!(
        why.notices[0].zh.contains("2054-12-31"),
        "{:?}",
        why.notices
    );
    let tax = why
        .rules
        .iter()
        .find(|r| r.rule == "retain-tax-records")
        .unwrap();
    assert!(tax
        .citations
        .iter()
        .any(|c| c.text.zh == "税收征收管理法实施细则 第二十九条"));
    let vouchers_rule = case
        .read(|db| {
            plan::explain(
                db,
                rulebook(),
                rows[&(vouchers.to_string(), 2)].record_id,
                MaskStyle::Standard,
            )
        })
        .unwrap();
    let c = &vouchers_rule.rules.last().unwrap().citations[0];
    assert!(
        c.needs_verification,
        "the accounting-archive figures are from secondary sources"
    );
}

/// A maintainer changes a retention period in the rulebook file: the dates change, no code does.
#[test]
fn retention_periods_come_from_the_rulebook_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Company,
        TransferReason::Dissolution,
        false,
    );
    import(
        &mut case,
        dir.path(),
        "记账凭证.csv",
        "凭证号,联系人,日期\n记-001,甲,2023-06-30\n",
        &[F::Other, F::Name, F::LastActivity],
    );
    let (_, rows) = compute(&case, rulebook());
    assert_eq!(
        rows.values().next().unwrap().retain_until.as_deref(),
        Some("2053-12-31")
    );
    let original = handover_core::rules::book::builtin_toml();
    let edited = original.replacen(
        "retain = { years = 30, from = \"fiscal-year-end\" }",
        "retain = { years = 45, from = \"fiscal-year-end\" }",
        1,
    );
    assert_ne!(edited, original);
    let copy = dir.path().join("rules.toml");
    std::fs::write(&copy, edited).unwrap();
    let book = Rulebook::load(&copy).unwrap();
    let (summary, rows) = compute(&case, &book);
    assert_eq!(
        rows.values().next().unwrap().retain_until.as_deref(),
        Some("2068-12-31")
    );
    assert_eq!(summary.rulebook_sha256, book.sha256);
    assert!(!summary.stale);
    assert_ne!(book.sha256, rulebook().sha256);
    // Seen with the built-in rulebook, that plan is stale; so is a plan after the case details change.
    let seen = case
        .read(|db| plan::summary(db, rulebook()))
        .unwrap()
        .unwrap();
    assert!(seen.stale);
    let (fresh, _) = compute(&case, rulebook());
    assert!(!fresh.stale);
    let mut details = case.details().unwrap();
    details.handover_date = NaiveDate::from_ymd_opt(2027, 1, 15);
    case.update_details(details, &actor()).unwrap();
    assert!(
        case.read(|db| plan::summary(db, rulebook()))
            .unwrap()
            .unwrap()
            .stale
    );
}

#[test]
fn overrides_need_reasons_and_acknowledgements_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Shop,
        TransferReason::SaleList,
        true,
    );
    import(
        &mut case,
        dir.path(),
        "名单.csv",
        "姓名,手机号,储值余额\n甲,13812340031,0\n乙,13812340032,50\n",
        &[F::Name, F::Mobile, F::PrepaidBalance],
    );
    let (_, rows) = compute(&case, rulebook());
    let first = rows[&("名单.csv".to_string(), 2)].record_id;
    let request = |reason: &str, ack: bool| OverrideRequest {
        target: OverrideTarget::Record(first),
        outcome: Outcome::Transfer,
        reason: reason.into(),
        acknowledged: ack,
    };
    let err = |r: handover_core::Result<status::OverrideInfo>| match r {
        Err(Error::Rules(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        err(status::set_override(
            &case,
            rulebook(),
            &request("  ", true),
            &actor()
        )),
        RulesError::ReasonMissing
    );
    // The record is blocked (no consent yet): lifting the block needs the acknowledgement.
    assert_eq!(
        err(status::set_override(
            &case,
            rulebook(),
            &request("客户口头同意", false),
            &actor()
        )),
        RulesError::AcknowledgementRequired {
            outcome: Outcome::Blocked
        }
    );
    let info =
        status::set_override(&case, rulebook(), &request("客户口头同意", true), &actor()).unwrap();
    assert!(info.acknowledged);
    assert_eq!(info.rule_outcomes, [Outcome::Blocked]);
    let summary = case
        .read(|db| plan::summary(db, rulebook()))
        .unwrap()
        .unwrap()
        .localized(Lang::ZhCn);
    // A transfer without consent in a list sale has no legal basis: the exposure check blocks the package.
    assert_eq!(summary.exposure.records_without_basis, 1);
    assert!(summary.exposure.blocks_transfer);
    assert!(
        summary.exposure.explanation.contains("250 条"),
        "{}",
        summary.exposure.explanation
    );
    let row = case
        .read(|db| plan::explain(db, rulebook(), first, MaskStyle::Standard))
        .unwrap();
    assert_eq!(row.row.outcome, Outcome::Transfer);
    assert_eq!(row.row.rules.last().unwrap(), "override");
    assert_eq!(row.override_info.as_ref().unwrap().reason, "客户口头同意");
    // Recomputing keeps the override.
    let (_, rows) = compute(&case, rulebook());
    assert_eq!(
        rows[&("名单.csv".to_string(), 2)].outcome,
        Outcome::Transfer
    );
    // A customer override: keep the second customer's record; then withdrawn, the rules decide again.
    let c2 = customer(&case, "13812340032");
    let info2 = status::set_override(
        &case,
        rulebook(),
        &OverrideRequest {
            target: OverrideTarget::Customer(c2),
            outcome: Outcome::Keep,
            reason: "老客户，自己继续服务".into(),
            acknowledged: true,
        },
        &actor(),
    )
    .unwrap();
    status::withdraw_override(&case, rulebook(), info2.id, "改判有误", &actor()).unwrap();
    let (_, rows) = compute(&case, rulebook());
    assert_eq!(rows[&("名单.csv".to_string(), 3)].outcome, Outcome::Blocked);
    let audit = case.audit_entries().unwrap();
    let overrides: Vec<_> = audit
        .iter()
        .filter(|e| e.action.starts_with("rules.override"))
        .collect();
    assert_eq!(
        overrides.len(),
        3,
        "two overrides and one withdrawal, each audited"
    );
    assert!(
        overrides[0].detail.contains("客户口头同意")
            && overrides[0].detail.contains("\"acknowledged\":true")
    );
    assert!(case.verify_audit().unwrap().ok);
    assert!(audit.iter().any(|e| e.action == "rules.plan"));
}

/// `handover plan --json --details` and `handover set`: the documented shape (docs/cli.md).
#[test]
fn cli_plan_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("店.handover");
    handover_tests::new_shop_case(&case);
    let csv = dir.path().join("会员.csv");
    std::fs::write(
        &csv,
        "姓名,手机号,储值余额,最近消费\n张三,13812345678,0,2026-10-01\n李四,13912345678,300.50,2026-10-02\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = handover_tests::handover_command()
            .args(args)
            .arg("--case")
            .arg(&case)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let _ = run(&["import", "--json", csv.to_str().unwrap()]);
    let set: serde_json::Value = serde_json::from_slice(&run(&[
        "set",
        "--phone",
        "139 1234 5678",
        "--consent",
        "yes",
        "--json",
    ]))
    .unwrap();
    assert_eq!(set["consent"], "yes");
    assert_eq!(set["objection"], false);
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["plan", "--json", "--details"])).unwrap();
    let outcomes = v["outcomes"].as_object().unwrap();
    let keys: Vec<&str> = outcomes.keys().map(String::as_str).collect();
    for k in [
        "transfer",
        "keep",
        "retain",
        "delete",
        "deidentify",
        "return",
        "blocked",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(outcomes["transfer"], 2);
    assert_eq!(v["prepaid_total"], "300.50");
    assert_eq!(v["rules"]["sale-whole-transfer-with-notice"], 2);
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    let r = &records[1];
    for k in [
        "source",
        "row",
        "customer",
        "outcome",
        "retain_until",
        "blocked_by",
        "stripped_fields",
        "rules",
        "citations",
    ] {
        assert!(r.get(k).is_some(), "{k} missing from {r}");
    }
    assert_eq!(r["source"], "会员.csv");
    assert_eq!(r["row"], 3);
    assert_eq!(r["customer"]["name"], "李*");
    assert_eq!(r["customer"]["mobile"], "139****5678");
    assert_eq!(r["outcome"], "transfer");
    assert_eq!(r["stripped_fields"], serde_json::json!([]));
    assert_eq!(r["citations"][0], "个人信息保护法 第二十二条");
    // The first customer has not consented, but a balance is not sensitive (law-notes N): it is the evidence
    // of what is owed and moves with the record.
    assert_eq!(records[0]["stripped_fields"], serde_json::json!([]));
    let out = handover_tests::handover_command()
        .args(["--lang", "en", "plan", "--json", "--details", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    let en: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(en["records"][1]["citations"][0], "PIPL Art. 22");
    // Without --details: no records.
    let short: serde_json::Value = serde_json::from_slice(&run(&["plan", "--json"])).unwrap();
    assert!(short.get("records").is_none());
    // Text output names the outcomes in Chinese.
    let text = String::from_utf8(run(&["plan"])).unwrap();
    assert!(
        text.contains("移交") && text.contains("储值余额合计：300.50"),
        "{text}"
    );
    // An unknown phone is refused with exit code 2.
    let out = handover_tests::handover_command()
        .args([
            "set",
            "--phone",
            "13000000000",
            "--objection",
            "yes",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

mod property {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    #[derive(Debug, Clone)]
    struct Member {
        fen: i64,
        days_ago: i64,
        consent: u8,
        objection: bool,
        deletion: bool,
        refunded: bool,
    }

    fn member() -> impl Strategy<Value = Member> {
        (
            prop_oneof![Just(0i64), -5_000i64..0, 1i64..100_000_000],
            0i64..3_000,
            0u8..3,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(fen, days_ago, consent, objection, deletion, refunded)| Member {
                    fen,
                    days_ago,
                    consent,
                    objection,
                    deletion,
                    refunded,
                },
            )
    }

    fn yuan(fen: i64) -> String {
        let sign = if fen < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]
        /// No record with a positive, unrefunded balance is ever marked for deletion, whatever the business,
        /// reason and statuses; the prepaid total is the exact sum of the positive balances.
        #[test]
        fn balances_are_never_deleted_and_totals_are_exact(
            members in proptest::collection::vec(member(), 1..40),
            kind in 0usize..3,
            reason in 0usize..6,
            recipient in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let reason = TransferReason::ALL[reason];
            let mut case = new_case(dir.path(), BusinessKind::ALL[kind], reason, recipient || reason.needs_recipient());
            let mut text = String::from("姓名,手机号,储值余额,最近消费\n");
            for (i, m) in members.iter().enumerate() {
                let last = handover_day() - chrono::Duration::days(m.days_ago);
                text.push_str(&format!("客户{i},138{i:08},{},{last}\n", yuan(m.fen)));
            }
            import(&mut case, dir.path(), "m.csv", &text, &[F::Name, F::Mobile, F::PrepaidBalance, F::LastActivity]);
            for (i, m) in members.iter().enumerate() {
                let change = StatusChange {
                    consent: Some(Answer::ALL[m.consent as usize]),
                    objection: Some(m.objection),
                    deletion_request: Some(m.deletion),
                    refunded: Some(m.refunded),
                    ..Default::default()
                };
                status::set_customer_status(&case, rulebook(), customer(&case, &format!("138{i:08}")), &change, &actor()).unwrap();
            }
            let (summary, rows) = compute(&case, rulebook());
            let expected: i64 = members.iter().map(|m| m.fen).filter(|f| *f > 0).sum();
            prop_assert_eq!(summary.prepaid.total.parse::<Decimal>().unwrap(), Decimal::new(expected, 2));
            for (i, m) in members.iter().enumerate() {
                let r = &rows[&("m.csv".to_string(), i as u64 + 2)];
                prop_assert!(!r.rules.is_empty());
                if m.fen > 0 && !m.refunded {
                    prop_assert_ne!(r.outcome, Outcome::Delete, "{:?} {:?}", m, r);
                }
                // An objection or a refusal stops a transfer, except in bankruptcy: everything goes to the
                // administrator (企业破产法 Art. 25).
                if (m.objection || m.consent == 1) && reason != TransferReason::Bankruptcy {
                    prop_assert_ne!(r.outcome, Outcome::Transfer, "{:?} {:?}", m, r);
                }
            }
        }
    }
}

/// A child's record with a prepaid balance waits for two things, and both are listed: the refund or the
/// takeover consent (Civil Code Art. 555) and a guardian's consent (PIPL Art. 31); what it waits for last is
/// the guardian.
#[test]
fn a_childs_record_with_a_balance_lists_both_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("王记便利店.handover");
    handover_tests::new_shop_case(&case);
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let out = handover_tests::handover_command()
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = handover_tests::handover_command()
        .args(["plan", "--json", "--details", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let child = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == 4)
        .expect("row 4 is 王小明");
    assert_eq!(child["outcome"], "blocked");
    assert_eq!(child["blocked_by"], "guardian-consent");
    let rules: Vec<&str> = child["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "sale-whole-transfer-with-notice",
            "prepaid-needs-consent-or-refund",
            "minor-needs-guardian-consent"
        ]
    );
    let citations = child["citations"].to_string();
    assert!(
        citations.contains("个人信息保护法 第三十一条")
            && citations.contains("民法典 第五百五十五条"),
        "{citations}"
    );
}

/// The plan reads and decides the records on a second connection while the first writes the lines: every
/// record gets its line, in batches and a last partial one, and a cancelled computation keeps the plan before.
#[test]
fn a_plan_in_batches_covers_every_record_and_a_cancelled_one_keeps_the_last() {
    use FieldType as F;
    let dir = tempfile::tempdir().unwrap();
    let mut case = new_case(
        dir.path(),
        BusinessKind::Shop,
        TransferReason::SaleWhole,
        true,
    );
    // More rows than a few of the plan's batches, and not a multiple of one.
    let rows = 2_000;
    let mut text = String::from("姓名,手机号,余额\n");
    for i in 0..rows {
        text.push_str(&format!("会员{i},139{i:08},{}.50\n", i % 7));
    }
    import(
        &mut case,
        dir.path(),
        "m.csv",
        &text,
        &[F::Name, F::Mobile, F::PrepaidBalance],
    );
    let (first, lines) = compute(&case, rulebook());
    assert_eq!(first.records, rows);
    assert_eq!(lines.len() as u64, rows);
    // Rows are numbered as the spreadsheet shows them: the header is row 1.
    assert!(
        lines.keys().map(|(_, row)| *row).eq(2..=rows + 1),
        "one line per row: {:?}",
        lines.keys().take(3).collect::<Vec<_>>()
    );
    // Every member has a balance (0.50 to 6.50): the prepaid total is their exact sum, over every batch.
    let exact: u64 = (0..rows).map(|i| (i % 7) * 100 + 50).sum();
    assert_eq!(
        first.prepaid.total,
        format!("{}.{:02}", exact / 100, exact % 100),
        "{:?}",
        first.prepaid
    );

    set(
        &case,
        "13900000001",
        StatusChange {
            objection: Some(true),
            ..StatusChange::default()
        },
    );
    let objected = line_of(&case, 3);
    let decided = |l: &PlanRow| (l.outcome, l.blocked_by, l.rules.clone());
    assert_ne!(
        decided(&objected),
        decided(&lines[&("m.csv".to_string(), 3)])
    );
    let cancelled = plan::compute_plan(
        &case,
        rulebook(),
        &actor(),
        &AtomicBool::new(true),
        &mut |_| {},
    );
    assert!(matches!(cancelled, Err(Error::Cancelled)), "{cancelled:?}");
    let kept = case
        .read(|db| plan::summary(db, rulebook()))
        .unwrap()
        .unwrap()
        .localized(Lang::En);
    assert_eq!(
        kept.computed_at, first.computed_at,
        "the cancelled plan left the last one"
    );
    assert_eq!(kept.records, rows);
    // The objection re-decided its member's line when it was recorded; the cancelled run left that line too.
    assert_eq!(decided(&line_of(&case, 3)), decided(&objected));
}

fn line_of(case: &Case, row: u64) -> PlanRow {
    let mut found = None;
    case.read(|db| {
        plan::for_each_row(db, MaskStyle::Standard, &mut |r| {
            if r.row == row {
                found = Some(r);
            }
            Ok(())
        })
    })
    .unwrap();
    found.expect("the row has a line")
}
