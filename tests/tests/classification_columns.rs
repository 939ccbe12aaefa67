//! Issue 4 acceptance: "column type correct for every column of the generated shop, courier and company
//! files". Each generated file (3,000 rows, the benchmark generators' own code) goes through the real import
//! preview on a real case file, and the field proposed for every column must be the one a person reading the
//! file would pick.

use std::path::Path;

use handover_core::field::FieldType;
use handover_core::records::import_file::{self, ReadChoices};
use handover_core::store::{Actor, Case};
use handover_core::Lang;
use handover_testkit::generate;
use handover_tests::{sample_details, PASSPHRASE};

const ROWS: u64 = 3_000;

/// Generates a file with `generate`, previews it in a fresh case and compares every column's proposed
/// field (by header) with `expected`.
fn assert_columns(
    name: &str,
    generate: fn(&Path, u64, u64) -> std::io::Result<()>,
    expected: &[(&str, FieldType)],
) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join(format!("{name}.csv"));
    generate(&csv, ROWS, 20261123).unwrap();
    let case_path = dir.path().join("case.handover");
    Case::create(
        &case_path,
        PASSPHRASE,
        sample_details(),
        &Actor("test:tester".into()),
    )
    .unwrap()
    .close()
    .unwrap();
    let case = Case::open(&case_path, PASSPHRASE).unwrap();
    let preview = import_file::preview(&case, &csv, &ReadChoices::default(), Lang::ZhCn).unwrap();
    let got: Vec<(String, FieldType)> = preview
        .columns
        .iter()
        .map(|c| (c.header.clone(), c.field))
        .collect();
    let want: Vec<(String, FieldType)> = expected
        .iter()
        .map(|(h, f)| ((*h).to_string(), *f))
        .collect();
    let evidence: Vec<String> = preview
        .columns
        .iter()
        .map(|c| format!("{} → {:?}: {}", c.header, c.field, c.evidence))
        .collect();
    assert_eq!(got, want, "{name}: proposals were {evidence:#?}");
}

#[test]
fn every_column_of_the_generated_shop_file_gets_its_field() {
    assert_columns(
        "shop",
        generate::shop_csv,
        &[
            ("会员卡号", FieldType::MemberNumber),
            ("姓名", FieldType::Name),
            ("手机号", FieldType::Mobile),
            ("性别", FieldType::Gender),
            ("生日", FieldType::Birthday),
            ("储值余额", FieldType::PrepaidBalance),
            ("积分", FieldType::Points),
            ("最近消费", FieldType::LastActivity),
            ("地址", FieldType::Address),
            ("备注", FieldType::Notes),
        ],
    );
}

#[test]
fn every_column_of_the_generated_courier_file_gets_its_field() {
    assert_columns(
        "courier",
        generate::courier_csv,
        &[
            ("运单号", FieldType::Waybill),
            ("快递公司", FieldType::CourierCompany),
            ("收件人", FieldType::Name),
            ("收件人手机", FieldType::Mobile),
            ("取件码", FieldType::PickupCode),
            ("入库时间", FieldType::ParcelArrivalTime),
            ("取件时间", FieldType::PickupTime),
            ("状态", FieldType::Other),
            ("备注", FieldType::Notes),
        ],
    );
}

#[test]
fn every_column_of_the_generated_company_file_gets_its_field() {
    assert_columns(
        "company",
        generate::company_csv,
        &[
            ("客户编号", FieldType::MemberNumber),
            ("客户名称", FieldType::OrganisationName),
            ("联系人", FieldType::ContactPerson),
            ("联系电话", FieldType::Landline),
            ("手机", FieldType::Mobile),
            ("身份证号", FieldType::IdCard),
            ("银行账号", FieldType::BankCard),
            ("电子邮箱", FieldType::Email),
            ("开票地址", FieldType::Address),
            ("最近往来", FieldType::LastActivity),
            ("预付款", FieldType::PrepaidBalance),
            ("备注", FieldType::Notes),
        ],
    );
}
