//! Files that are not a table get one plain message each, with a stable code.

use std::io::Write;

use super::*;
use crate::i18n::Lang;
use crate::i18n::Message;

/// Random-looking bytes without any structure (a xorshift stream; no test depends on its exact values).
fn noise(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn zip_with(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn each_kind_of_non_table_gets_its_code() {
    let d = Dir::new();
    let png = [
        &[
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
        ][..],
        b"IHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0",
    ]
    .concat();
    let utf16_blank: Vec<u8> = [0xFF, 0xFE, b' ', 0, b'\r', 0, b'\n', 0].to_vec();
    let prose = "尊敬的各位顾客：本店将于下月起停止营业，感谢多年来的支持与厚爱，会员余额可到店退还。\n如有疑问，请拨打店内电话咨询，我们会尽快为您处理，祝您生活愉快，万事如意，阖家幸福。\n";
    let html = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=\"utf-8\"></head><body><table><tr><td>姓名</td></tr><tr><td>张三</td></tr></table></body></html>";
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend(noise(4096));
    let cases: Vec<(&str, Vec<u8>, ReadError)> = vec![
        ("empty.csv", vec![], ReadError::Empty),
        ("blank.csv", b" \r\n\r\n\t".to_vec(), ReadError::Empty),
        ("bom.csv", b"\xEF\xBB\xBF".to_vec(), ReadError::Empty),
        ("commas.csv", b",,,\r\n,,\r\n".to_vec(), ReadError::Empty),
        ("blank16.txt", utf16_blank, ReadError::Empty),
        (
            "header.csv",
            "姓名,手机,地址\r\n".as_bytes().to_vec(),
            ReadError::HeaderOnly { header_row: 1 },
        ),
        (
            "titled-header.csv",
            "客户名单\n\n姓名,手机,地址\n,,\n".as_bytes().to_vec(),
            ReadError::HeaderOnly { header_row: 3 },
        ),
        ("photo.csv", png, ReadError::Binary),
        ("garbage.csv", noise(8192), ReadError::Binary),
        (
            "letter.txt",
            prose.as_bytes().to_vec(),
            ReadError::NotATable,
        ),
        (
            "export.xls",
            html.as_bytes().to_vec(),
            ReadError::MarkupExport,
        ),
    ];
    for (name, bytes, want) in cases {
        let p = d.file(name, &bytes);
        assert_eq!(refusal(&p, &ReadOptions::default()), want, "{name}");
        assert_eq!(preview(&p, &ReadOptions::default()), Err(want), "{name}");
    }
    // A damaged workbook, and zips that are no workbook at all.
    for (name, bytes) in [
        ("old.xls", cfb),
        ("broken.xlsx", [&b"PK\x03\x04"[..], &noise(2048)].concat()),
        (
            "letter.docx.csv",
            zip_with(&[("word/document.xml", "<w:document/>")]),
        ),
    ] {
        let p = d.file(name, &bytes);
        let e = refusal(&p, &ReadOptions::default());
        assert_eq!(e.code(), "unreadable_spreadsheet", "{name}: {e:?}");
    }
    assert_eq!(
        refusal(&d.path("missing.csv"), &ReadOptions::default()),
        ReadError::FileNotFound
    );
}

#[test]
fn messages_are_plain_in_both_languages() {
    let errors = [
        ReadError::Empty,
        ReadError::Binary,
        ReadError::MarkupExport,
        ReadError::HeaderOnly { header_row: 3 },
        ReadError::NotATable,
        ReadError::TooManyColumns {
            row: 1,
            columns: 10_000,
        },
        ReadError::TooLargeRow { row: 2 },
        ReadError::UnknownEncoding("klingon".into()),
        ReadError::NoSuchSheet {
            sheet: "汇总".into(),
            sheets: vec!["会员".into(), "消费记录".into()],
        },
        ReadError::HeaderRowOutOfRange { row: 9 },
        ReadError::PasswordProtected,
        ReadError::UnreadableSpreadsheet("zip".into()),
        ReadError::FileNotFound,
        ReadError::Io("denied".into()),
    ];
    let codes: Vec<&str> = errors.iter().map(ReadError::code).collect();
    assert_eq!(
        codes,
        [
            "empty",
            "binary",
            "markup_export",
            "header_only",
            "not_a_table",
            "too_many_columns",
            "too_large_row",
            "unknown_encoding",
            "no_such_sheet",
            "header_row_out_of_range",
            "password_protected",
            "unreadable_spreadsheet",
            "file_not_found",
            "io",
        ]
    );
    for e in &errors {
        let zh = e.message(Lang::ZhCn);
        let en = e.message(Lang::En);
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh}"
        );
        assert!(en.is_ascii() || en.contains('“'), "{en}");
        assert_ne!(zh, en);
    }
    assert_eq!(
        ReadError::HeaderOnly { header_row: 3 }.message(Lang::ZhCn),
        "文件只有表头（第 3 行），下面没有客户数据。"
    );
    assert_eq!(
        ReadError::NoSuchSheet {
            sheet: "汇总".into(),
            sheets: vec!["会员".into(), "消费记录".into()]
        }
        .message(Lang::ZhCn),
        "表格里没有名为“汇总”的工作表。现有工作表：会员、消费记录。"
    );
    assert_eq!(
        ReadError::Binary.message(Lang::En),
        "This is not a table (it looks like an image, an archive or another program's file). Export a CSV or Excel file from your system and import that."
    );
}
