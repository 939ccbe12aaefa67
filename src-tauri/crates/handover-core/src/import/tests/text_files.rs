//! Text exports: encodings, delimiters, headers, ragged rows, quoting.

use super::*;
use crate::i18n::Lang;
use crate::i18n::Message;

#[test]
fn gbk_csv_as_excel_writes_it_with_a_title_and_a_blank_line() {
    let d = Dir::new();
    let text = "某某驿站客户列表 导出时间2024-03-05\r\n\r\n姓名,手机号,地址,备注\r\n张三,13812345678,北京市朝阳区建国路1号,老客户\r\n李四,13912345678,上海市浦东新区世纪大道2号,\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let p = d.file("客户.csv", &bytes);
    let (pv, rows) = detect(&p);
    assert_eq!(pv.format, Format::Csv);
    assert_eq!(pv.encoding, "GB18030");
    assert_eq!(pv.delimiter, Some(b','));
    assert_eq!(pv.header_row, 3);
    assert_eq!(pv.headers, ["姓名", "手机号", "地址", "备注"]);
    assert_eq!(pv.total_bytes, bytes.len() as u64);
    assert_eq!(
        pv.notes,
        [PreviewNote::RowsAboveHeaderSkipped { rows: vec![1] }]
    );
    assert_eq!(
        pv.notes[0].message(Lang::ZhCn),
        "表头上方的第 1 行（标题、说明或分组行）不作为数据导入。"
    );
    assert_eq!(
        table(&rows),
        [
            (
                4,
                vec!["张三", "13812345678", "北京市朝阳区建国路1号", "老客户"]
            ),
            (
                5,
                vec!["李四", "13912345678", "上海市浦东新区世纪大道2号", ""]
            ),
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
    // The preview crosses to the UI as JSON.
    let json = serde_json::to_value(&pv).unwrap();
    assert_eq!(json["format"], "csv");
    assert_eq!(json["notes"][0]["code"], "rows_above_header_skipped");
    assert_eq!(serde_json::from_value::<TablePreview>(json).unwrap(), pv);

    // Read as UTF-8 on the owner's request, the Chinese is garbled: every such cell is flagged, the row
    // kept, the replacement characters kept.
    let forced = ReadOptions {
        encoding: Some("UTF-8".into()),
        header_row: Some(3),
        ..Default::default()
    };
    let (pv, rows) = read_all(&p, &forced);
    assert_eq!(pv.encoding, "UTF-8");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        kinds(&rows[0]),
        [
            "undecodable_bytes",
            "undecodable_bytes",
            "undecodable_bytes"
        ]
    );
    let columns: Vec<Option<usize>> = rows[0].problems.iter().map(|p| p.column).collect();
    assert_eq!(columns, [Some(0), Some(2), Some(3)]);
    assert!(!rows[0].is_rejected());
    assert!(rows[0].cells[0].contains('\u{FFFD}'));
    assert_eq!(rows[0].cells[1], "13812345678");
    assert_eq!(
        rows[0].problems[0].message(Lang::ZhCn),
        "第 1 列有无法按所选编码识别的字符（显示为 �），请核对文件编码"
    );
    assert_eq!(
        rows[0].problems[0].message(Lang::En),
        "column 1 has bytes that are not text in the chosen encoding (shown as �); check the file's encoding"
    );
}

#[test]
fn utf8_with_bom_semicolons_and_pipes() {
    let d = Dir::new();
    let p = d.file(
        "bom.csv",
        "\u{feff}姓名;手机;余额\n王五;13700000000;12,50\n赵六;13600000000;3\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.encoding, "UTF-8 (BOM)");
    assert_eq!(pv.delimiter, Some(b';'));
    assert_eq!(
        pv.headers,
        ["姓名", "手机", "余额"],
        "no BOM in the first name"
    );
    assert_eq!(
        table(&rows),
        [
            (2, vec!["王五", "13700000000", "12,50"]),
            (3, vec!["赵六", "13600000000", "3"]),
        ]
    );

    let p = d.file(
        "pipe.txt",
        "姓名|手机|备注\n王五|13700000000|a,b\n赵六|13600000000|\"x|y\"\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!((pv.encoding.as_str(), pv.delimiter), ("UTF-8", Some(b'|')));
    assert_eq!(
        table(&rows),
        [
            (2, vec!["王五", "13700000000", "a,b"]),
            (3, vec!["赵六", "13600000000", "x|y"]),
        ]
    );

    let p = d.file("tabs.tsv", "姓名\t地址\n王五\t北京市, 朝阳区\n".as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!(pv.delimiter, Some(b'\t'));
    assert_eq!(table(&rows), [(2, vec!["王五", "北京市, 朝阳区"])]);
}

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if bom {
        bytes.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in text.encode_utf16() {
        bytes.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn excel_unicode_text_is_utf16_tab_separated() {
    let d = Dir::new();
    // What Excel's "Unicode text" writes: UTF-16LE with BOM, tabs, CRLF, and quotes around a cell with a
    // line break.
    let text =
        "姓名\t手机\t备注\r\n赵六\t13600000000\t\"第一行\r\n第二行\"\r\n钱七\t13500000000\t\r\n";
    let expected = [
        (2, vec!["赵六", "13600000000", "第一行\r\n第二行"]),
        (4, vec!["钱七", "13500000000", ""]),
    ];
    for (name, little, bom, enc) in [
        ("unicode.txt", true, true, "UTF-16LE"),
        ("nobom.txt", true, false, "UTF-16LE"),
        ("bigendian.txt", false, true, "UTF-16BE"),
    ] {
        let p = d.file(name, &utf16(text, little, bom));
        let (pv, rows) = detect(&p);
        assert_eq!(pv.format, Format::Utf16Text, "{name}");
        assert_eq!(pv.encoding, enc, "{name}");
        assert_eq!(pv.delimiter, Some(b'\t'), "{name}");
        assert_eq!(pv.headers, ["姓名", "手机", "备注"], "{name}");
        assert_eq!(table(&rows), expected, "{name}");
        assert!(rows.iter().all(|r| r.problems.is_empty()), "{name}");
    }
}

#[test]
fn two_row_header_takes_the_lower_complete_row() {
    let d = Dir::new();
    let p = d.file(
        "two.csv",
        "客户信息,,,联系方式,,\n姓名,性别,生日,手机,固话,地址\n张三,男,1990-01-01,13812345678,010-12345678,北京\n李四,女,1991-02-02,13912345678,,上海\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.header_row, 2);
    assert_eq!(pv.headers, ["姓名", "性别", "生日", "手机", "固话", "地址"]);
    assert_eq!(
        pv.notes,
        [PreviewNote::RowsAboveHeaderSkipped { rows: vec![1] }]
    );
    assert_eq!(
        table(&rows),
        [
            (
                3,
                vec![
                    "张三",
                    "男",
                    "1990-01-01",
                    "13812345678",
                    "010-12345678",
                    "北京"
                ]
            ),
            (
                4,
                vec!["李四", "女", "1991-02-02", "13912345678", "", "上海"]
            ),
        ]
    );
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
        "姓名,手机,备注\n张三,13812345678,好\n李四,13912345678\n王五,13712345678,备注,多出来\n赵六,13612345678,x,,\n孙七\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "手机", "备注"]);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678", "好"]),
            (3, vec!["李四", "13912345678", ""]),
            (4, vec!["王五", "13712345678", "备注", "多出来"]),
            (5, vec!["赵六", "13612345678", "x"]),
            (6, vec!["孙七", "", ""]),
        ]
    );
    // Too few: kept, padded, flagged.
    assert_eq!(
        rows[1].problems,
        [RowProblem {
            column: None,
            kind: RowProblemKind::TooFewFields,
            found: 2,
            expected: 3
        }]
    );
    assert!(!rows[1].is_rejected());
    assert_eq!(
        rows[1].problems[0].message(Lang::ZhCn),
        "只有 2 个字段，表头有 3 列；缺少的列按空白导入"
    );
    // Too many, with text in the extra cell: rejected, every cell kept for the problem list.
    assert_eq!(
        rows[2].problems,
        [RowProblem {
            column: None,
            kind: RowProblemKind::TooManyFields,
            found: 4,
            expected: 3
        }]
    );
    assert!(rows[2].is_rejected());
    assert_eq!(
        rows[2].problems[0].message(Lang::En),
        "4 fields, more than the header's 3; the extra cells have no column, so the row was not imported"
    );
    // Extra cells that are all empty (Excel's trailing commas) are dropped silently.
    assert!(rows[3].problems.is_empty());
    assert_eq!(kinds(&rows[4]), ["too_few_fields"]);
    assert_eq!(rows[4].problems[0].found, 1);
    assert!(rows[0].problems.is_empty());
}

#[test]
fn quoted_multiline_notes_and_formula_cells_stay_text() {
    let d = Dir::new();
    let p = d.file(
        "notes.csv",
        concat!(
            "姓名,备注,金额,其他\n",
            "张三,\"第一行\n第二行，电话13812345678\",=SUM(A1:A9),+861381234\n",
            "李四,\"说\"\"你好\"\"\",-12.00,@cmd\n",
            "王五,\"=HYPERLINK(\"\"http://x\"\")\",'0012,\"a\n\nb\"\n",
            "赵六,=1+1,-,=\n",
        )
        .as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.header_row, 1);
    assert_eq!(
        table(&rows),
        [
            (
                2,
                vec![
                    "张三",
                    "第一行\n第二行，电话13812345678",
                    "=SUM(A1:A9)",
                    "+861381234"
                ]
            ),
            (4, vec!["李四", "说\"你好\"", "-12.00", "@cmd"]),
            (
                5,
                // Excel's text apostrophe before a number is not part of it (issue 16).
                vec!["王五", "=HYPERLINK(\"http://x\")", "0012", "a\n\nb"]
            ),
            (8, vec!["赵六", "=1+1", "-", "="]),
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
}

#[test]
fn row_numbers_are_the_lines_the_owner_sees() {
    let d = Dir::new();
    // Blank CRLF lines, a row of empty cells, and no line break at the end.
    let p = d.file(
        "gaps.csv",
        b"\xEF\xBB\xBF\r\n\xE5\xA7\x93\xE5\x90\x8D,x\r\n\r\n\xE5\xBC\xA0,1\r\n\r\n\r\n\xE6\x9D\x8E,2\r\n,,\r\n\xE7\x8E\x8B,3",
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.header_row, 2);
    assert_eq!(pv.headers, ["姓名", "x"]);
    assert_eq!(
        table(&rows),
        [
            (4, vec!["张", "1"]),
            (7, vec!["李", "2"]),
            (9, vec!["王", "3"]),
        ]
    );
    // Old Mac line ends (CR only) split rows too.
    let p = d.file("cr.csv", b"a,b\r1,2\r3,4\r");
    let (_, rows) = detect(&p);
    assert_eq!(table(&rows), [(2, vec!["1", "2"]), (3, vec!["3", "4"])]);
}

#[test]
fn duplicate_and_empty_header_names_become_distinct() {
    let d = Dir::new();
    let p = d.file(
        "dups.csv",
        "电话,姓名,电话,,电话\n1,张三,2,x,3\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["电话", "姓名", "电话 (2)", "列4", "电话 (3)"]);
    assert_eq!(table(&rows), [(2, vec!["1", "张三", "2", "x", "3"])]);
    let en = ReadOptions {
        lang: Lang::En,
        ..Default::default()
    };
    let (pv, _) = read_all(&p, &en);
    assert_eq!(
        pv.headers,
        ["电话", "姓名", "电话 (2)", "Column 4", "电话 (3)"]
    );

    // Columns the data fills but the header does not name get names too.
    let p = d.file(
        "wider.csv",
        "姓名,手机\n张三,13812345678,备注1\n李四,13912345678,备注2\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "手机", "列3"]);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678", "备注1"]),
            (3, vec!["李四", "13912345678", "备注2"]),
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
}

#[test]
fn the_owner_can_choose_header_row_delimiter_and_encoding() {
    let d = Dir::new();
    let p = d.file(
        "pick.csv",
        "说明,这是备注\n姓名,手机\n张三,13812345678\n".as_bytes(),
    );
    let (pv, rows) = detect(&p);
    assert_eq!(pv.header_row, 1, "a two-cell note reads like a header");
    assert_eq!(rows.len(), 2);
    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            header_row: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(pv.headers, ["姓名", "手机"]);
    assert_eq!(table(&rows), [(3, vec!["张三", "13812345678"])]);
    assert_eq!(
        pv.notes,
        [PreviewNote::RowsAboveHeaderSkipped { rows: vec![1] }]
    );
    for row in [9, 0] {
        let e = refusal(
            &p,
            &ReadOptions {
                header_row: Some(row),
                ..Default::default()
            },
        );
        assert_eq!(e, ReadError::HeaderRowOutOfRange { row });
    }
    // A blank line cannot be the header.
    let p = d.file("blank.csv", "标题\n\n姓名,手机\n张三,1\n".as_bytes());
    let e = refusal(
        &p,
        &ReadOptions {
            header_row: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(e, ReadError::HeaderRowOutOfRange { row: 2 });
    assert_eq!(
        e.message(Lang::ZhCn),
        "第 2 行不存在或是空行，不能作为表头。"
    );

    // The delimiter the owner names wins over the sniffed one.
    let p = d.file("semi.csv", "姓名;备注\n张三;a,b\n".as_bytes());
    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            delimiter: Some(b','),
            header_row: Some(1),
            ..Default::default()
        },
    );
    assert_eq!(pv.delimiter, Some(b','));
    assert_eq!(pv.headers, ["姓名;备注", "列2"]);
    assert_eq!(table(&rows), [(2, vec!["张三;a", "b"])]);
    assert!(rows[0].problems.is_empty());

    // GBK named by the owner, and an encoding nobody knows.
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,手机\n张三,1\n");
    let p = d.file("gbk.csv", &gbk);
    let (pv, rows) = read_all(
        &p,
        &ReadOptions {
            encoding: Some("GBK".into()),
            ..Default::default()
        },
    );
    assert_eq!(pv.encoding, "GB18030");
    assert_eq!(table(&rows), [(2, vec!["张三", "1"])]);
    let e = refusal(
        &p,
        &ReadOptions {
            encoding: Some("klingon".into()),
            ..Default::default()
        },
    );
    assert_eq!(e.code(), "unknown_encoding");
    assert_eq!(super::super::delimiter_from_label("tab"), Some(b'\t'));
    assert_eq!(super::super::delimiter_from_label("\\t"), Some(b'\t'));
    assert_eq!(super::super::delimiter_from_label(";"), Some(b';'));
    assert_eq!(super::super::delimiter_from_label("\""), None);
    assert_eq!(super::super::delimiter_from_label(";;"), None);
}

#[test]
fn read_row_reuses_memory_and_yields_what_the_iterator_yields() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机,备注\n");
    for i in 0..500 {
        match i % 3 {
            0 => text.push_str(&format!("顾客{i},138{i:08},备注{i}\n")),
            1 => text.push_str(&format!("顾客{i},139{i:08}\n")),
            _ => text.push_str(&format!("顾客{i},137{i:08},x,多{i}\n")),
        }
    }
    let p = d.file("reuse.csv", text.as_bytes());
    let (_, expected) = detect(&p);
    assert_eq!(expected.len(), 500);
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let mut row = RawRow::default();
    let mut got = Vec::new();
    while reader.read_row(&mut row).unwrap() {
        got.push(row.clone());
    }
    assert_eq!(got, expected);
    assert!(!reader.read_row(&mut row).unwrap(), "stays at the end");
    assert_eq!(kinds(&got[1]), ["too_few_fields"]);
    assert_eq!(kinds(&got[2]), ["too_many_fields"]);
    assert_eq!(got[499].row_number, 501);
}

#[test]
fn a_reader_can_move_to_the_import_thread() {
    fn send<T: Send>(_: &T) {}
    let d = Dir::new();
    let p = d.file("t.csv", "姓名,手机\n张三,1\n".as_bytes());
    let reader = open(&p, &ReadOptions::default()).unwrap();
    send(&reader);
    let rows = std::thread::spawn(move || reader.map(|r| r.unwrap()).collect::<Vec<_>>())
        .join()
        .unwrap();
    assert_eq!(table(&rows), [(2, vec!["张三", "1"])]);
}

#[test]
fn progress_counts_bytes_to_the_total() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机\n");
    for i in 0..50_000 {
        text.push_str(&format!("顾客{i},138{i:08}\n"));
    }
    let p = d.file("many.csv", text.as_bytes());
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let handle = reader.progress_handle();
    assert_eq!(reader.total_units(), text.len() as u64);
    assert_eq!(handle.progress().unit, ProgressUnit::Bytes);
    assert!(
        handle.done() < text.len() as u64,
        "not read ahead to the end"
    );
    let n = reader.by_ref().count();
    assert_eq!(n, 50_000);
    assert_eq!(
        handle.progress(),
        Progress {
            done: text.len() as u64,
            total: text.len() as u64,
            unit: ProgressUnit::Bytes
        }
    );
}
