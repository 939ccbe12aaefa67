//! Nothing may exhaust memory: long cells, wide rows, and broken files that are one endless record.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::*;
use crate::i18n::Lang;
use crate::i18n::Message;
use crate::import::text::TextRecords;

#[test]
fn a_cell_of_exactly_one_mebibyte_is_kept_one_byte_more_rejects_its_row() {
    let d = Dir::new();
    let exact = "a".repeat(MAX_CELL_BYTES);
    let over = "a".repeat(MAX_CELL_BYTES + 1);
    let chinese = "长".repeat(400_000); // 1,200,000 bytes in UTF-8
    let p = d.file(
        "big.csv",
        format!("姓名,备注\n张三,{exact}\n李四,{over}\n王五,{chinese}\n赵六,短\n").as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "备注"]);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows.iter().map(|r| r.row_number).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    // At the limit: kept whole.
    assert!(rows[0].problems.is_empty());
    assert_eq!(rows[0].cells[1], exact);
    // One byte over: the row is rejected, the cell cut to a 1 KiB excerpt marked with "…".
    assert_eq!(
        rows[1].problems,
        [RowProblem {
            column: Some(1),
            kind: RowProblemKind::CellTooLong,
            found: MAX_CELL_BYTES as u64 + 1,
            expected: MAX_CELL_BYTES as u64
        }]
    );
    assert!(rows[1].is_rejected());
    assert_eq!(
        rows[1].cells,
        [String::from("李四"), format!("{}…", "a".repeat(1024))]
    );
    assert_eq!(
        rows[1].problems[0].message(Lang::ZhCn),
        "第 2 列的内容有 1048577 字节，超过 1048576 字节（1 MB）的上限，此行未导入"
    );
    assert_eq!(
        rows[1].problems[0].message(Lang::En),
        "column 2 holds 1048577 bytes, over the limit of 1048576 bytes (1 MB), so the row was not imported"
    );
    // The excerpt of multi-byte text ends on a character boundary.
    assert_eq!(kinds(&rows[2]), ["cell_too_long"]);
    assert_eq!(rows[2].problems[0].found, 1_200_000);
    assert_eq!(rows[2].cells[1], format!("{}…", "长".repeat(341)));
    // The rest of the file imports.
    assert_eq!(cells(&rows[3]), ["赵六", "短"]);
    assert!(rows[3].problems.is_empty());
}

#[test]
fn ten_thousand_columns_in_the_header_refuse_the_file() {
    let d = Dir::new();
    let header: Vec<String> = (0..10_000).map(|i| format!("列名{i}")).collect();
    let row: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
    let p = d.file(
        "wide.csv",
        format!("{}\n{}\n", header.join(","), row.join(",")).as_bytes(),
    );
    let e = refusal(&p, &ReadOptions::default());
    assert_eq!(
        e,
        ReadError::TooManyColumns {
            row: 1,
            columns: 10_000
        }
    );
    assert_eq!(e.code(), "too_many_columns");
    assert_eq!(
        e.message(Lang::ZhCn),
        "第 1 行有 10000 列，超过 2000 列的上限，这不像客户名单。请检查分隔符，或只导出需要的列。"
    );
}

#[test]
fn a_ten_thousand_column_data_row_is_rejected_alone() {
    let d = Dir::new();
    let wild: Vec<String> = (0..10_000).map(|i| format!("v{i}")).collect();
    // A row of 10,000 fields whose extra ones are all empty is just trailing commas.
    let trailing = format!("孙七,13512345678,{}", ",".repeat(9_997));
    let p = d.file(
        "wild.csv",
        format!(
            "姓名,手机,备注\n张三,13812345678,好\n{}\n李四,13912345678,\n{trailing}\n王五,13712345678,x\n",
            wild.join(",")
        )
        .as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "手机", "备注"]);
    assert_eq!(
        rows.iter().map(|r| r.row_number).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6]
    );
    assert_eq!(
        rows[1].problems,
        [RowProblem {
            column: None,
            kind: RowProblemKind::TooManyFields,
            found: 10_000,
            expected: 3
        }]
    );
    // Only the first MAX_COLUMNS fields are kept of a row that wide.
    assert_eq!(rows[1].cells.len(), MAX_COLUMNS);
    assert_eq!(rows[1].cells[..2], strings(&["v0", "v1"]));
    assert_eq!(rows[1].cells[MAX_COLUMNS - 1], "v1999");
    assert!(rows[3].problems.is_empty());
    assert_eq!(cells(&rows[3]), ["孙七", "13512345678", ""]);
    for i in [0, 2, 4] {
        assert!(rows[i].problems.is_empty(), "row {}", rows[i].row_number);
        assert_eq!(rows[i].cells.len(), 3);
    }
}

/// A 24 MiB file whose quote opened on line 2 never closes: one record to the end of the file.
fn unclosed_quote_file(d: &Dir) -> (PathBuf, u64) {
    let mut text = String::from("姓名,备注\n张三,\"从这里开始引号没有闭合\n");
    let line = "这一行仍在引号里，文件就这样一直到结尾,,,\n";
    while text.len() < 24 << 20 {
        text.push_str(line);
    }
    (d.file("unclosed.csv", text.as_bytes()), text.len() as u64)
}

#[test]
fn an_unclosed_quote_at_the_start_of_a_large_file_is_refused_naming_the_row() {
    let d = Dir::new();
    let (p, _) = unclosed_quote_file(&d);
    let e = refusal(&p, &ReadOptions::default());
    assert_eq!(e, ReadError::TooLargeRow { row: 2 });
    assert_eq!(e.code(), "too_large_row");
    assert_eq!(
        e.message(Lang::ZhCn),
        "从第 2 行开始的一行超过 8 MB，通常是引号没有闭合或文件没有换行。文件已损坏，无法导入；请从系统中重新导出。"
    );
}

#[test]
fn an_unclosed_quote_is_refused_without_reading_the_file_or_growing_past_the_limit() {
    let d = Dir::new();
    let (p, size) = unclosed_quote_file(&d);
    let consumed = Arc::new(AtomicU64::new(0));
    let mut records = TextRecords::new(
        std::fs::File::open(&p).unwrap(),
        encoding_rs::UTF_8,
        b',',
        b'\n',
        consumed.clone(),
    );
    let mut rec = super::super::record::Record::default();
    assert!(records.next_record(&mut rec).unwrap(), "the header");
    assert_eq!(rec.row, 1);
    assert_eq!(
        records.next_record(&mut rec),
        Err(ReadError::TooLargeRow { row: 2 })
    );
    let read = consumed.load(Ordering::Relaxed);
    assert!(
        read <= (MAX_RECORD_BYTES + (256 << 10)) as u64,
        "read {read} of {size} bytes"
    );
    let held = records.buffer_bytes();
    assert!(held <= MAX_RECORD_BYTES + (512 << 10), "{held} bytes held");
    // Refused once, the reader stays at its end.
    assert_eq!(records.next_record(&mut rec), Ok(false));
}

#[test]
fn a_file_without_line_breaks_is_refused() {
    let d = Dir::new();
    let p = d.file("oneline.csv", "姓名".repeat(2 << 20).as_bytes());
    assert_eq!(
        refusal(&p, &ReadOptions::default()),
        ReadError::TooLargeRow { row: 1 }
    );
    // Endless separators count too: one byte per field.
    let p = d.file("commas.csv", ",".repeat(9 << 20).as_bytes());
    assert_eq!(
        refusal(&p, &ReadOptions::default()),
        ReadError::TooLargeRow { row: 1 }
    );
}

#[test]
fn a_broken_row_after_the_preview_stops_the_stream_there() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机\n");
    for i in 0..40 {
        text.push_str(&format!("顾客{i},138{i:08}\n"));
    }
    text.push_str("坏,\"引号没有闭合\n");
    while text.len() < 10 << 20 {
        text.push_str("一直在引号里\n");
    }
    let p = d.file("late.csv", text.as_bytes());
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    assert_eq!(reader.preview().rows.len(), PREVIEW_ROWS);
    let mut ok = 0;
    let mut failure = None;
    for r in reader.by_ref() {
        match r {
            Ok(row) => {
                ok += 1;
                assert_eq!(row.row_number, ok + 1);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    assert_eq!(ok, 40);
    assert_eq!(failure, Some(ReadError::TooLargeRow { row: 42 }));
    assert!(reader.next().is_none(), "nothing after the refusal");
}
