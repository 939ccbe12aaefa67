//! Import fidelity (issue 16): files as owners really export them, read and classified, with exact
//! expectations for the rows and the field of each column.

use std::path::{Path, PathBuf};

use crate::detect::bank_card::luhn_check_digit;
use crate::detect::classify::{classify_column, refine_with_sheet};
use crate::detect::id_card::compose;
use crate::field::FieldType;
use crate::import::{open, RawRow, ReadOptions, TablePreview};

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn detect(path: &Path) -> (TablePreview, Vec<RawRow>) {
    let reader = open(path, &ReadOptions::default()).unwrap();
    let preview = reader.preview().clone();
    let rows: Vec<RawRow> = reader.map(|r| r.unwrap()).collect();
    (preview, rows)
}

fn cells(row: &RawRow) -> Vec<&str> {
    row.cells.iter().map(String::as_str).collect()
}

/// The field proposed for each column from its header and all its values, and the sheet as a whole.
fn fields(pv: &TablePreview, rows: &[RawRow]) -> Vec<FieldType> {
    let mut guesses: Vec<_> = (0..pv.headers.len())
        .map(|c| {
            let samples: Vec<&str> = rows
                .iter()
                .map(|r| r.cells.get(c).map_or("", String::as_str))
                .collect();
            classify_column(&pv.headers[c], &samples)
        })
        .collect();
    refine_with_sheet(&pv.headers, &mut guesses);
    guesses.into_iter().map(|g| g.field).collect()
}

fn card(payload: &str) -> String {
    let d = luhn_check_digit(payload.as_bytes());
    format!("{payload}{}", d as char)
}

#[test]
fn apostrophes_formula_wrappers_and_tabs_around_numbers_are_removed_and_the_columns_found() {
    let d = Dir::new();
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let cards: Vec<String> = (0..4)
        .map(|i| card(&format!("62170000100012{i:04}")))
        .collect();
    let ids: Vec<String> = (0..4).map(|i| compose("420106", birth, i + 1)).collect();
    let mut text = String::from("姓名,银行卡,证件,电话\n");
    let names = ["张三", "李四", "王五", "赵六"];
    for i in 0..4 {
        text.push_str(&format!(
            "{},'{},\"=\"\"{}\"\"\",138{:08}\t\n",
            names[i], cards[i], ids[i], i
        ));
    }
    let p = d.file("excel.csv", text.as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "银行卡", "证件", "电话"]);
    assert_eq!(rows.len(), 4);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            cells(r),
            [
                names[i],
                cards[i].as_str(),
                ids[i].as_str(),
                format!("138{i:08}").as_str()
            ]
        );
        assert!(r.problems.is_empty());
    }
    assert_eq!(
        fields(&pv, &rows),
        [
            FieldType::Name,
            FieldType::BankCard,
            FieldType::IdCard,
            FieldType::Mobile
        ]
    );
}

#[test]
fn excel_serial_numbers_under_a_date_header_are_read_as_dates() {
    let d = Dir::new();
    let p = d.file(
        "serial.csv",
        "姓名,手机,最近消费\n张三,13812345678,45980\n李四,13912345678,45356\n王五,13712345678,45356.5\n"
            .as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(
        fields(&pv, &rows),
        [FieldType::Name, FieldType::Mobile, FieldType::LastActivity]
    );
    let dates: Vec<Option<String>> = rows
        .iter()
        .map(|r| super::normalise::cell(FieldType::LastActivity, &r.cells[2]).unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            Some("2025-11-19".to_string()),
            Some("2024-03-05".to_string()),
            Some("2024-03-05 12:00:00".to_string())
        ]
    );
    // The same serials under the new date fields read the same way.
    for f in [
        FieldType::DocumentDate,
        FieldType::ParcelArrivalTime,
        FieldType::PickupTime,
    ] {
        assert_eq!(
            super::normalise::cell(f, "45356").unwrap(),
            Some("2024-03-05".to_string())
        );
    }
}

#[test]
fn a_company_ledger_and_a_courier_log_get_the_new_field_types() {
    let d = Dir::new();
    let ledger = "客户名称,联系人,联系电话,开户行,欠款,消费金额,充值金额,开票日期\n\
        北京华信商贸有限公司,张伟,010-62345678,中国工商银行北京海淀支行,1200.00,350.00,500,2025-03-01\n\
        成都鑫源建材经营部,李秀英,028-86543210,中国建设银行成都高新支行,0,88.50,0,2025-04-12\n\
        杭州东方科技有限公司,王芳,13812345678,招商银行杭州分行,300,1,200,2025-05-20\n";
    let p = d.file("ledger.csv", ledger.as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        fields(&pv, &rows),
        [
            FieldType::OrganisationName,
            FieldType::ContactPerson,
            FieldType::Landline,
            FieldType::BankBranch,
            FieldType::AmountOwed,
            FieldType::TransactionAmount,
            FieldType::TopUpAmount,
            FieldType::DocumentDate,
        ]
    );
    assert_eq!(
        super::normalise::cell(FieldType::AmountOwed, "¥1,200.00").unwrap(),
        Some("1200.00".to_string())
    );
    let log = "运单号,收件人,手机,入库时间,取件时间,取件状态\n\
        YT1234567890123,张三,13812345678,2025-11-01 09:30,,待取件\n\
        YT1234567890124,李四,13912345678,2025-11-01 10:05,2025-11-02 18:00,已取件\n\
        YT1234567890125,王五,13712345678,2025-10-20 16:45,,滞留件\n\
        YT1234567890126,赵六,13612345678,2025-10-02 08:00,,退回\n";
    let p = d.file("log.csv", log.as_bytes());
    let (pv, rows) = detect(&p);
    let got = fields(&pv, &rows);
    assert_eq!(
        got[1..],
        [
            FieldType::Name,
            FieldType::Mobile,
            FieldType::ParcelArrivalTime,
            FieldType::PickupTime,
            FieldType::ParcelStatus,
        ]
    );
    for status in ["待取件", "已取件", "滞留件", "退回"] {
        assert!(crate::detect::classify::value_matches(
            FieldType::ParcelStatus,
            status
        ));
    }
}

#[test]
fn contact_person_only_beside_a_customer_name_and_the_owner_still_decides() {
    let d = Dir::new();
    // 联系人 alone names the customer (a list of people); beside 客户名称 or 单位名称 it is the contact.
    let people = "联系人,手机\n张伟,13812345678\n李秀英,13912345678\n";
    let (pv, rows) = detect(&d.file("people.csv", people.as_bytes()));
    assert_eq!(fields(&pv, &rows), [FieldType::Name, FieldType::Mobile]);
    let firms = "单位名称,联系人姓名,手机\n华信商贸有限公司,张伟,13812345678\n老王五金店,李秀英,13912345678\n";
    let (pv, rows) = detect(&d.file("firms.csv", firms.as_bytes()));
    assert_eq!(
        fields(&pv, &rows),
        [
            FieldType::OrganisationName,
            FieldType::ContactPerson,
            FieldType::Mobile
        ]
    );
    // A person's name column beside a contact column (客户姓名 + 联系人): the contact is not the customer.
    let both = "客户姓名,联系人,电话\n王小明,王大明,13812345678\n";
    let (pv, rows) = detect(&d.file("both.csv", both.as_bytes()));
    assert_eq!(
        fields(&pv, &rows),
        [FieldType::Name, FieldType::ContactPerson, FieldType::Mobile]
    );
}

#[test]
fn new_header_synonyms_name_their_fields() {
    use crate::detect::classify::match_header;
    for (header, field) in [
        ("取件时间", FieldType::PickupTime),
        ("签收日期", FieldType::PickupTime),
        ("最近取件时间", FieldType::LastActivity),
        ("上次消费时间", FieldType::LastActivity),
        ("到件日期", FieldType::ParcelArrivalTime),
        ("快递状态", FieldType::ParcelStatus),
        ("发票日期", FieldType::DocumentDate),
        ("付款时间", FieldType::DocumentDate),
        ("充值日期", FieldType::DocumentDate),
        ("充值额", FieldType::TopUpAmount),
        ("付款金额", FieldType::TransactionAmount),
        ("成交金额(元)", FieldType::TransactionAmount),
        ("欠费", FieldType::AmountOwed),
        ("应收余额", FieldType::AmountOwed),
        ("未收金额", FieldType::AmountOwed),
        ("开户行名称", FieldType::BankBranch),
        ("往来单位名称", FieldType::OrganisationName),
        ("负责人", FieldType::ContactPerson),
    ] {
        assert_eq!(
            match_header(header).map(|m| m.field),
            Some(field),
            "{header}"
        );
    }
}

#[test]
fn a_phone_column_counts_each_number_as_what_it_is() {
    use super::normalise::{cell_checked, CellProblem, Normalised};
    assert_eq!(
        cell_checked(FieldType::Mobile, "138 1234 5678"),
        Ok(Normalised {
            value: Some("13812345678".into()),
            valid_as: Some(FieldType::Mobile),
            day: None,
        })
    );
    // A landline in a mobile column is a landline: counted as one, not stored as the record's mobile.
    for landline in ["010-62345678", "(0755)26543210", "028 8654 3210"] {
        assert_eq!(
            cell_checked(FieldType::Mobile, landline),
            Ok(Normalised {
                value: None,
                valid_as: Some(FieldType::Landline),
                day: None,
            }),
            "{landline}"
        );
    }
    assert_eq!(
        cell_checked(FieldType::Mobile, "1381234567"),
        Err(CellProblem::InvalidMobile)
    );
    // And the other way round, as before: a mobile in a landline column is a mobile.
    assert_eq!(
        cell_checked(FieldType::Landline, "13812345678").map(|n| n.valid_as),
        Ok(Some(FieldType::Mobile))
    );
}
