//! Import fidelity (issue 16): files as owners really export them, read and classified, with exact
//! expectations for the rows and the field of each column.

use std::path::{Path, PathBuf};

use crate::detect::bank_card::luhn_check_digit;
use crate::detect::classify::classify_column;
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

/// The field proposed for each column from its header and all its values.
fn fields(pv: &TablePreview, rows: &[RawRow]) -> Vec<FieldType> {
    (0..pv.headers.len())
        .map(|c| {
            let samples: Vec<&str> = rows
                .iter()
                .map(|r| r.cells.get(c).map_or("", String::as_str))
                .collect();
            classify_column(&pv.headers[c], &samples).field
        })
        .collect()
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
