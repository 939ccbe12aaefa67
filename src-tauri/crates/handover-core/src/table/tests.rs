//! Fixtures as small businesses produce them, each made here and read back with exact expectations.

use std::path::PathBuf;

use super::*;

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

fn read_all(path: &std::path::Path, options: &ReadOptions) -> (TablePreview, Vec<RawRow>) {
    let reader = open(path, options).unwrap();
    let preview = reader.preview.clone();
    let rows: Vec<RawRow> = reader.map(|r| r.unwrap()).collect();
    (preview, rows)
}

fn kinds(row: &RawRow) -> Vec<&'static str> {
    row.problems.iter().map(|p| p.kind.id()).collect()
}

#[test]
fn gbk_from_excel_with_a_title_line() {
    let d = Dir::new();
    let text = "某某驿站客户列表 导出时间2024-03-05\r\n\r\n姓名,手机号,地址\r\n张三,13812345678,北京市朝阳区建国路1号\r\n李四,13912345678,上海市浦东新区世纪大道2号\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let p = d.file("客户.csv", &bytes);
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.format, Format::Csv);
    assert_eq!(pv.encoding, "GB18030");
    assert_eq!(pv.delimiter, Some(b','));
    assert_eq!(pv.header_row, 3);
    assert_eq!(pv.headers, ["姓名", "手机号", "地址"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row_number, 4);
    assert_eq!(
        rows[0].cells,
        ["张三", "13812345678", "北京市朝阳区建国路1号"]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
    // Read as UTF-8 on the owner's request, the Chinese is garbled and every such cell is flagged.
    let forced = ReadOptions {
        encoding: Some("UTF-8".into()),
        header_row: Some(3),
        ..Default::default()
    };
    let (pv, rows) = read_all(&p, &forced);
    assert_eq!(pv.encoding, "UTF-8");
    assert_eq!(kinds(&rows[0]), ["undecodable_bytes", "undecodable_bytes"]);
}

#[test]
fn utf8_with_bom_and_semicolons_and_pipes() {
    let d = Dir::new();
    let p = d.file(
        "bom.csv",
        "\u{feff}姓名;手机\n王五;13700000000\n".as_bytes(),
    );
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(
        (pv.encoding.as_str(), pv.delimiter),
        ("UTF-8 (BOM)", Some(b';'))
    );
    assert_eq!(pv.headers, ["姓名", "手机"]);
    assert_eq!(rows[0].cells, ["王五", "13700000000"]);
    let p = d.file(
        "pipe.txt",
        "姓名|手机|备注\n王五|13700000000|a,b\n".as_bytes(),
    );
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.delimiter, Some(b'|'));
    assert_eq!(rows[0].cells, ["王五", "13700000000", "a,b"]);
}

#[test]
fn excel_unicode_text_is_utf16le_tab_separated() {
    let d = Dir::new();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "姓名\t手机\r\n赵六\t13600000000\r\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let p = d.file("unicode.txt", &bytes);
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.format, Format::Utf16Text);
    assert_eq!(
        (pv.encoding.as_str(), pv.delimiter),
        ("UTF-16LE", Some(b'\t'))
    );
    assert_eq!(rows[0].cells, ["赵六", "13600000000"]);
    // Without the byte-order mark too.
    let p = d.file("nobom.txt", &bytes[2..]);
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.encoding, "UTF-16LE");
    assert_eq!(rows.len(), 1);
}

#[test]
fn two_row_header_takes_the_complete_row() {
    let d = Dir::new();
    let p = d.file(
        "two.csv",
        "客户信息,,,联系方式,,\n姓名,性别,生日,手机,固话,地址\n张三,男,1990-01-01,13812345678,010-12345678,北京\n李四,女,1991-02-02,13912345678,,上海\n".as_bytes(),
    );
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.header_row, 2);
    assert_eq!(pv.headers, ["姓名", "性别", "生日", "手机", "固话", "地址"]);
    assert_eq!(rows.len(), 2);
    assert!(
        rows[1].problems.is_empty(),
        "an empty cell is not a missing field"
    );
}

#[test]
fn ragged_rows_are_flagged_or_rejected_exactly() {
    let d = Dir::new();
    let p = d.file(
        "ragged.csv",
        "姓名,手机,备注\n张三,13812345678,好\n李四,13912345678\n王五,13712345678,备注,多出来\n赵六,13612345678,x,,\n".as_bytes(),
    );
    let (_, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(rows.len(), 4);
    assert!(rows[0].problems.is_empty());
    assert_eq!(rows[1].row_number, 3);
    assert_eq!(kinds(&rows[1]), ["too_few_fields"]);
    assert_eq!(rows[1].cells, ["李四", "13912345678", ""]);
    assert!(!rows[1].is_rejected());
    assert_eq!(kinds(&rows[2]), ["too_many_fields"]);
    assert!(rows[2].is_rejected());
    assert_eq!(rows[2].cells.len(), 4, "a rejected row keeps every cell");
    assert!(
        rows[3].problems.is_empty(),
        "trailing empty cells are not extra fields"
    );
    assert_eq!(rows[3].cells.len(), 3);
    let msg = rows[2].problems[0].message(crate::Lang::ZhCn);
    assert!(msg.contains("4 个字段") && msg.contains("3 列"), "{msg}");
}

#[test]
fn quoted_multiline_notes_and_formula_cells_stay_text() {
    let d = Dir::new();
    let p = d.file(
        "notes.csv",
        "姓名,备注,金额\n张三,\"第一行\n第二行，电话13812345678\",=SUM(A1:A9)\n李四,+861381234,@cmd\n王五,-12.00,\"=HYPERLINK(\"\"http://x\"\")\"\n".as_bytes(),
    );
    let (_, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].cells[1], "第一行\n第二行，电话13812345678");
    assert_eq!(rows[0].cells[2], "=SUM(A1:A9)");
    assert_eq!(
        rows[1].row_number, 4,
        "the row after a two-line cell starts on line 4"
    );
    assert_eq!(rows[1].cells, ["李四", "+861381234", "@cmd"]);
    assert_eq!(
        rows[2].cells,
        ["王五", "-12.00", "=HYPERLINK(\"http://x\")"]
    );
}

#[test]
fn a_one_megabyte_cell_rejects_its_row_and_the_rest_imports() {
    let d = Dir::new();
    let big = "长".repeat(400_000); // 1.2 MB in UTF-8
    let p = d.file(
        "big.csv",
        format!("姓名,备注\n张三,{big}\n李四,短\n").as_bytes(),
    );
    let (_, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(rows.len(), 2);
    assert_eq!(kinds(&rows[0]), ["cell_too_long"]);
    assert!(rows[0].is_rejected());
    assert_eq!(rows[0].problems[0].found, 1_200_000);
    assert!(rows[0].cells[1].len() < 2000, "the kept excerpt is short");
    assert!(rows[1].problems.is_empty());
}

#[test]
fn ten_thousand_columns_are_refused() {
    let d = Dir::new();
    let header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    let row: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
    let p = d.file(
        "wide.csv",
        format!("{}\n{}\n", header.join(","), row.join(",")).as_bytes(),
    );
    let e = open(&p, &ReadOptions::default()).unwrap_err();
    assert_eq!(e, TableError::TooManyColumns(10_000));
    assert!(e.message(crate::Lang::ZhCn).contains("10000 列"));
}

#[test]
fn an_unclosed_quote_in_a_large_file_is_refused_without_reading_it_all() {
    let d = Dir::new();
    let mut text = String::from("姓名,备注\n张三,\"从这里开始引号没有闭合\n");
    let line = "这一行仍在引号里，文件就这样一直到结尾,,,\n";
    while text.len() < 24 << 20 {
        text.push_str(line);
    }
    let p = d.file("unclosed.csv", text.as_bytes());
    let mut reader = open(&p, &ReadOptions::default());
    // The guard trips while looking for the header or on the first data row; either way: a plain refusal.
    let e = match reader.as_mut() {
        Ok(r) => r.find_map(|x| x.err()).expect("refused"),
        Err(e) => e.clone(),
    };
    assert_eq!(e, TableError::RecordTooLarge(2));
}

#[test]
fn not_tables_get_one_plain_message() {
    let d = Dir::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", vec![], "empty"),
        ("blank.csv", b" \r\n\r\n".to_vec(), "empty"),
        (
            "header.csv",
            "姓名,手机\n".as_bytes().to_vec(),
            "header_only",
        ),
        (
            "photo.csv",
            vec![
                0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D',
                b'R', 1, 2, 3, 0, 0, 5,
            ],
            "binary",
        ),
        (
            "garbage.csv",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
            "binary",
        ),
    ];
    for (name, bytes, code) in cases {
        let p = d.file(name, &bytes);
        let e = open(&p, &ReadOptions::default()).unwrap_err();
        assert_eq!(e.code(), code, "{name}");
        assert!(!e.message(crate::Lang::ZhCn).is_empty());
    }
}

#[test]
fn duplicate_and_empty_header_names_become_distinct() {
    let d = Dir::new();
    let p = d.file(
        "dups.csv",
        "电话,姓名,电话,,电话\n1,张三,2,x,3\n".as_bytes(),
    );
    let (pv, _) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.headers, ["电话", "姓名", "电话 (2)", "列4", "电话 (3)"]);
}

fn two_sheet_workbook(path: &std::path::Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let s1 = wb.add_worksheet().set_name("会员").unwrap();
    s1.write_string(0, 0, "会员列表").unwrap();
    for (c, h) in ["姓名", "手机", "生日", "余额"].iter().enumerate() {
        s1.write_string(2, c as u16, *h).unwrap();
    }
    s1.write_string(3, 0, "张三").unwrap();
    s1.write_number(3, 1, 13812345678.0).unwrap();
    s1.write_datetime_with_format(3, 2, ExcelDateTime::from_ymd(1990, 3, 5).unwrap(), &date)
        .unwrap();
    s1.write_number(3, 3, 12.5).unwrap();
    s1.write_string(4, 0, "李四").unwrap();
    s1.write_string(4, 1, "13912345678").unwrap();
    // A serial number in a date-formatted cell.
    s1.write_number_with_format(4, 2, 45356.0, &date).unwrap();
    s1.write_formula(4, 3, "=1+1").unwrap();
    let s2 = wb.add_worksheet().set_name("消费记录").unwrap();
    s2.write_string(0, 0, "手机").unwrap();
    s2.write_string(0, 1, "金额").unwrap();
    s2.write_string(1, 0, "13812345678").unwrap();
    s2.write_number(1, 1, 30.0).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_two_sheet_xlsx_with_dates_every_sheet_offered() {
    let d = Dir::new();
    let p = d.0.path().join("会员.xlsx");
    two_sheet_workbook(&p);
    let (pv, rows) = read_all(&p, &ReadOptions::default());
    assert_eq!(pv.format, Format::Xlsx);
    assert_eq!(pv.sheets, ["会员", "消费记录"]);
    assert_eq!(pv.sheet.as_deref(), Some("会员"));
    assert_eq!(pv.header_row, 3);
    assert_eq!(pv.headers, ["姓名", "手机", "生日", "余额"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row_number, 4);
    assert_eq!(rows[0].cells, ["张三", "13812345678", "1990-03-05", "12.5"]);
    assert_eq!(rows[1].cells[2], "2024-03-05");
    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            sheet: Some("消费记录".into()),
            ..Default::default()
        },
    );
    assert_eq!(pv.headers, ["手机", "金额"]);
    assert_eq!(rows[0].cells, ["13812345678", "30"]);
    // The same workbook renamed to .csv is still read as a workbook.
    let renamed = d.0.path().join("会员.csv");
    std::fs::copy(&p, &renamed).unwrap();
    let (pv, rows) = read_all(&renamed, &ReadOptions::default());
    assert_eq!(pv.format, Format::Xlsx);
    assert_eq!(rows.len(), 2);
}

#[test]
fn the_owner_can_pick_another_header_row() {
    let d = Dir::new();
    let p = d.file(
        "pick.csv",
        "说明,这是备注\n姓名,手机\n张三,13812345678\n".as_bytes(),
    );
    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            header_row: Some(1),
            ..Default::default()
        },
    );
    assert_eq!(pv.headers, ["说明", "这是备注"]);
    assert_eq!(rows.len(), 2);
    let e = open(
        &p,
        &ReadOptions {
            header_row: Some(9),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e, TableError::HeaderRowOutOfRange(9));
}

#[test]
fn progress_reaches_the_total() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机\n");
    for i in 0..50_000 {
        text.push_str(&format!("顾客{i},138{i:08}\n"));
    }
    let p = d.file("many.csv", text.as_bytes());
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let handle = reader.progress_handle();
    let total = reader.total_units();
    assert_eq!(total, text.len() as u64);
    let n = reader.by_ref().count();
    assert_eq!(n, 50_000);
    assert_eq!(handle.done(), total);
}
