//! Workbooks: xlsx made with rust_xlsxwriter, ods made with zip, read back cell by cell.

use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Formula, Workbook};

use super::*;
use crate::i18n::Lang;
use crate::i18n::Message;

/// A member list as a shop's till exports it: a title, a blank row, the header on row 3, numbers stored as
/// numbers, dates as dates and as serials in date-formatted cells; and a second sheet.
fn two_sheet_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let datetime = XFormat::new().set_num_format("yyyy-mm-dd hh:mm");
    let time = XFormat::new().set_num_format("hh:mm");
    let s1 = wb.add_worksheet().set_name("会员").unwrap();
    s1.write_string(0, 0, "会员列表 导出时间2024-03-05")
        .unwrap();
    for (c, h) in ["姓名", "手机", "生日", "余额", "登记时间", "备注"]
        .iter()
        .enumerate()
    {
        s1.write_string(2, c as u16, *h).unwrap();
    }
    s1.write_string(3, 0, "张三").unwrap();
    s1.write_number(3, 1, 13812345678.0).unwrap();
    s1.write_datetime_with_format(3, 2, ExcelDateTime::from_ymd(1990, 3, 5).unwrap(), &date)
        .unwrap();
    s1.write_number(3, 3, 12.5).unwrap();
    s1.write_datetime_with_format(
        3,
        4,
        ExcelDateTime::from_ymd(2024, 3, 5)
            .unwrap()
            .and_hms(12, 0, 0)
            .unwrap(),
        &datetime,
    )
    .unwrap();
    s1.write_string(3, 5, "=SUM(A1)").unwrap();
    s1.write_string(4, 0, "李四").unwrap();
    s1.write_string(4, 1, "13912345678").unwrap();
    // A serial number in a date-formatted cell is a date.
    s1.write_number_with_format(4, 2, 45356.0, &date).unwrap();
    s1.write_number(4, 3, 0.1 + 0.2).unwrap();
    s1.write_number_with_format(4, 4, 0.5, &time).unwrap();
    s1.write_formula(4, 5, Formula::new("=1+1").set_result("2"))
        .unwrap();
    s1.write_string(5, 0, "王五").unwrap();
    s1.write_number(5, 1, 13712345678.0).unwrap();
    s1.write_number(5, 3, -12.0).unwrap();
    s1.write_boolean(5, 5, true).unwrap();
    let s2 = wb.add_worksheet().set_name("消费记录").unwrap();
    s2.write_string(0, 0, "手机").unwrap();
    s2.write_string(0, 1, "金额").unwrap();
    s2.write_string(0, 2, "日期").unwrap();
    s2.write_string(1, 0, "13812345678").unwrap();
    s2.write_number(1, 1, 30.0).unwrap();
    s2.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(2024, 3, 1).unwrap(), &date)
        .unwrap();
    wb.save(path).unwrap();
}

fn expected_members() -> Vec<(u64, Vec<&'static str>)> {
    vec![
        (
            4,
            vec![
                "张三",
                "13812345678",
                "1990-03-05",
                "12.5",
                "2024-03-05 12:00:00",
                "=SUM(A1)",
            ],
        ),
        (
            5,
            vec!["李四", "13912345678", "2024-03-05", "0.3", "12:00:00", "2"],
        ),
        // Short rows are normal in a sheet (trailing empty cells are not stored): padded, not flagged.
        (6, vec!["王五", "13712345678", "", "-12", "", "TRUE"]),
    ]
}

#[test]
fn a_two_sheet_xlsx_with_dates_every_sheet_listed() {
    let d = Dir::new();
    let p = d.path("会员.xlsx");
    two_sheet_workbook(&p);
    let (pv, rows) = detect(&p);
    assert_eq!(pv.format, Format::Xlsx);
    assert_eq!(pv.encoding, "xlsx");
    assert_eq!(pv.delimiter, None);
    assert_eq!(pv.sheets, ["会员", "消费记录"]);
    assert_eq!(pv.sheet.as_deref(), Some("会员"));
    assert_eq!(pv.header_row, 3);
    assert_eq!(
        pv.headers,
        ["姓名", "手机", "生日", "余额", "登记时间", "备注"]
    );
    // Never a silent first sheet: the other one is named.
    assert_eq!(
        pv.notes,
        [
            PreviewNote::OtherSheetsNotImported {
                sheets: vec!["消费记录".to_string()]
            },
            PreviewNote::RowsAboveHeaderSkipped { rows: vec![1] }
        ]
    );
    assert_eq!(table(&rows), expected_members());
    assert!(rows.iter().all(|r| r.problems.is_empty()));

    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            sheet: Some("消费记录".into()),
            ..Default::default()
        },
    );
    assert_eq!(pv.sheet.as_deref(), Some("消费记录"));
    assert_eq!(pv.headers, ["手机", "金额", "日期"]);
    assert_eq!(table(&rows), [(2, vec!["13812345678", "30", "2024-03-01"])]);

    let e = refusal(
        &p,
        &ReadOptions {
            sheet: Some("汇总".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        e,
        ReadError::NoSuchSheet {
            sheet: "汇总".into(),
            sheets: strings(&["会员", "消费记录"])
        }
    );
}

#[test]
fn a_workbook_renamed_to_csv_is_read_as_the_workbook_it_is() {
    let d = Dir::new();
    let real = d.path("会员.xlsx");
    two_sheet_workbook(&real);
    let renamed = d.path("会员.csv");
    std::fs::copy(&real, &renamed).unwrap();
    let (pv, rows) = detect(&renamed);
    assert_eq!(pv.format, Format::Xlsx);
    assert_eq!(
        pv.notes[0],
        PreviewNote::FormatDiffersFromName {
            extension: "csv".into(),
            format: Format::Xlsx
        }
    );
    assert_eq!(
        pv.notes[0].message(Lang::ZhCn),
        "文件名是 .csv，但内容其实是Excel (.xlsx)，已按实际格式读取。"
    );
    assert_eq!(table(&rows), expected_members());

    // And text saved under a workbook's name is read as text.
    let p = d.file("客户.xls", "姓名\t手机\n张三\t13812345678\n".as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!((pv.format, pv.delimiter), (Format::Csv, Some(b'\t')));
    assert_eq!(pv.notes[0].code(), "format_differs_from_name");
    assert_eq!(table(&rows), [(2, vec!["张三", "13812345678"])]);
}

#[test]
fn empty_sheets_are_passed_over_and_stray_cells_reject_their_row() {
    let d = Dir::new();
    let p = d.path("客户.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet(); // "Sheet1", left empty as Excel creates it
    let s = wb.add_worksheet().set_name("客户").unwrap();
    for (c, h) in ["姓名", "手机"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    s.write_string(1, 0, "张三").unwrap();
    s.write_string(1, 1, "13812345678").unwrap();
    s.write_string(2, 0, "李四").unwrap();
    s.write_string(2, 1, "13912345678").unwrap();
    // A note typed beside the table, in a column without a header.
    s.write_string(2, 4, "欠款未还").unwrap();
    s.write_string(3, 1, "13712345678").unwrap();
    wb.save(&p).unwrap();
    let (pv, rows) = detect(&p);
    assert_eq!(pv.sheets, ["Sheet1", "客户"]);
    assert_eq!(pv.sheet.as_deref(), Some("客户"));
    assert_eq!(
        pv.notes,
        [PreviewNote::EmptySheetsSkipped {
            sheets: strings(&["Sheet1"])
        }]
    );
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678"]),
            (3, vec!["李四", "13912345678", "", "", "欠款未还"]),
            (4, vec!["", "13712345678"]),
        ]
    );
    assert_eq!(
        rows[1].problems,
        [RowProblem {
            column: None,
            kind: RowProblemKind::TooManyFields,
            found: 5,
            expected: 2
        }]
    );
    assert!(rows[0].problems.is_empty() && rows[2].problems.is_empty());
}

#[test]
fn a_long_sheet_streams_with_progress_in_rows() {
    let d = Dir::new();
    let p = d.path("long.xlsx");
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.write_string(0, 0, "姓名").unwrap();
    s.write_string(0, 1, "手机").unwrap();
    for i in 1..=3000u32 {
        s.write_string(i, 0, format!("顾客{i}")).unwrap();
        s.write_number(i, 1, 13800000000.0 + f64::from(i)).unwrap();
    }
    wb.save(&p).unwrap();
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let handle = reader.progress_handle();
    assert_eq!(handle.progress().unit, ProgressUnit::Rows);
    assert_eq!(reader.total_units(), 3001);
    let mut n = 0u64;
    let mut row = RawRow::default();
    while reader.read_row(&mut row).unwrap() {
        n += 1;
        assert_eq!(row.row_number, n + 1);
        assert_eq!(
            row.cells,
            [format!("顾客{n}"), (13_800_000_000 + n).to_string()]
        );
        assert_eq!(handle.done(), n + 1);
    }
    assert_eq!(n, 3000);
    assert_eq!(handle.done(), 3001);
}

#[test]
fn an_empty_workbook_is_empty() {
    let d = Dir::new();
    let p = d.path("空.xlsx");
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save(&p).unwrap();
    assert_eq!(refusal(&p, &ReadOptions::default()), ReadError::Empty);
}

/// A minimal OpenDocument spreadsheet, as LibreOffice or WPS would save it.
fn ods(path: &Path) {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="客户">
<table:table-row><table:table-cell office:value-type="string"><text:p>客户名单</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>手机</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>生日</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>余额</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="13812345678"><text:p>13812345678</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="1990-03-05"><text:p>1990-03-05</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12.5</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>李四</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>13912345678</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2024-03-05T12:00:00"><text:p>2024-03-05 12:00</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="-3"><text:p>-3</text:p></table:table-cell></table:table-row>
</table:table>
<table:table table:name="说明"><table:table-row><table:table-cell office:value-type="string"><text:p>无</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    // The mimetype comes first and uncompressed, so a reader recognises the file from its first bytes.
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default();
    w.start_file("META-INF/manifest.xml", deflated).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    w.start_file("content.xml", deflated).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.finish().unwrap();
}

#[test]
fn an_ods_workbook_reads_like_xlsx() {
    let d = Dir::new();
    let p = d.path("客户.ods");
    ods(&p);
    let (pv, rows) = detect(&p);
    assert_eq!(pv.format, Format::Ods);
    assert_eq!(pv.sheets, ["客户", "说明"]);
    assert_eq!(pv.header_row, 2);
    assert_eq!(pv.headers, ["姓名", "手机", "生日", "余额"]);
    assert_eq!(
        table(&rows),
        [
            (3, vec!["张三", "13812345678", "1990-03-05", "12.5"]),
            (4, vec!["李四", "13912345678", "2024-03-05 12:00:00", "-3"]),
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
}
