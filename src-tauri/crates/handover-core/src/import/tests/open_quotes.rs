//! A quote left open, an odd byte at the end of UTF-16 text, a stray NUL: nothing is silently lost.

use super::*;
use crate::i18n::Lang;
use crate::i18n::Message;

#[test]
fn a_quote_that_never_closes_rejects_its_line_and_the_lines_after_it_are_read() {
    let d = Dir::new();
    let text = "姓名,手机,备注\n张三,13812345678,老客户\n李四,13912345678,\"送货前先打电话,放门口\n王五,13712345678,\n赵六,13612345678,\"\"\"VIP\"\" 客户\"\n钱七,13512345678,\n";
    let p = d.file("open.csv", text.as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!(pv.headers, ["姓名", "手机", "备注"]);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678", "老客户"]),
            (3, vec!["李四", "13912345678", "\"送货前先打电话", "放门口"]),
            (4, vec!["王五", "13712345678", ""]),
            (5, vec!["赵六", "13612345678", "\"VIP\" 客户"]),
            (6, vec!["钱七", "13512345678", ""]),
        ]
    );
    assert!(rows[1].is_rejected());
    assert_eq!(
        rows[1].problems,
        [RowProblem {
            column: Some(2),
            kind: RowProblemKind::OpenQuote,
            found: 3,
            expected: 0,
        }]
    );
    assert_eq!(kinds(&rows[1]), ["open_quote"]);
    assert_eq!(
        rows[1].problems[0].message(Lang::ZhCn),
        "第 3 列在第 3 行打开的引号（\"）一直没有闭合，否则文件余下的内容都会并进这一格；此行未导入，其后各行已照常逐行读取"
    );
    assert_eq!(
        rows[1].problems[0].message(Lang::En),
        "column 3 opens a quote (\") on line 3 that never closes, so the rest of the file would have become one cell; the row was not imported as it stands, the lines after it were read as rows of their own"
    );
    for i in [0, 2, 3, 4] {
        assert!(rows[i].problems.is_empty(), "row {}", rows[i].row_number);
    }
}

#[test]
fn two_open_quotes_and_crlf_line_ends_each_reject_only_their_own_line() {
    let d = Dir::new();
    let text =
        "姓名,手机\r\n\"张三,13812345678\r\n李四,13912345678\r\n王五,\"137\r\n赵六,13612345678";
    let p = d.file("open2.csv", text.as_bytes());
    let (_, rows) = detect(&p);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["\"张三", "13812345678"]),
            (3, vec!["李四", "13912345678"]),
            (4, vec!["王五", "\"137"]),
            (5, vec!["赵六", "13612345678"]),
        ]
    );
    let flagged: Vec<(u64, Vec<&str>, Option<usize>, u64)> = rows
        .iter()
        .flat_map(|r| {
            r.problems
                .iter()
                .map(move |p| (r.row_number, kinds(r), p.column, p.found))
        })
        .collect();
    assert_eq!(
        flagged,
        [
            (2, vec!["open_quote"], Some(0), 2),
            (4, vec!["open_quote"], Some(1), 4)
        ]
    );
}

#[test]
fn a_quote_open_on_the_last_line_rejects_that_line_only() {
    let d = Dir::new();
    let p = d.file(
        "last.csv",
        "姓名,手机\n张三,13812345678\n李四,\"13912345678\n".as_bytes(),
    );
    let (_, rows) = detect(&p);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678"]),
            (3, vec!["李四", "\"13912345678"]),
        ]
    );
    assert_eq!(kinds(&rows[1]), ["open_quote"]);
    assert_eq!(rows[1].problems[0].found, 3);
}

#[test]
fn quoted_cells_that_span_lines_and_close_are_kept_whole() {
    let d = Dir::new();
    let p = d.file(
        "multi.csv",
        "姓名,地址\n张三,\"北京市\n朝阳区\"\n李四,\"上海市\n浦东新区\"".as_bytes(),
    );
    let (_, rows) = detect(&p);
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "北京市\n朝阳区"]),
            (4, vec!["李四", "上海市\n浦东新区"]),
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()));
}

#[test]
fn an_odd_byte_at_the_end_of_utf16_text_is_left_out_with_a_note() {
    let d = Dir::new();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "姓名\t手机\r\n张三\t13812345678\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    bytes.push(0x41);
    let p = d.file("odd.txt", &bytes);
    let (pv, rows) = detect(&p);
    assert_eq!(pv.format, Format::Utf16Text);
    assert_eq!(
        pv.notes,
        [PreviewNote::OddTrailingByte {
            offset: bytes.len() as u64 - 1
        }]
    );
    assert_eq!(table(&rows), [(2, vec!["张三", "13812345678"])]);
    assert!(rows[0].problems.is_empty());
    assert_eq!(
        pv.notes[0].message(Lang::ZhCn),
        format!(
            "文件是 UTF-16 文本（每个字符 2 个字节），末尾却多出 1 个字节（第 {} 字节处）；这半个字符已忽略，其余内容照常读取。",
            bytes.len() - 1
        )
    );
}

#[test]
fn one_nul_byte_does_not_make_a_text_file_binary_many_do() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机\n");
    for i in 0..50 {
        text.push_str(&format!("顾客{i},138{i:08}\n"));
    }
    let mut bytes = text.clone().into_bytes();
    // A NUL inside one cell (the first "8", in 138…), as a broken export leaves it.
    let at = bytes.iter().position(|&b| b == b'8').unwrap();
    bytes.insert(at, 0);
    let p = d.file("nul.csv", &bytes);
    let (_, rows) = detect(&p);
    assert_eq!(rows.len(), 50);
    assert_eq!(rows[0].cells, ["顾客0", "13\u{0}800000000"]);
    // Binary data is still binary.
    let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let p = d.file("noise.csv", &noise);
    assert_eq!(refusal(&p, &ReadOptions::default()), ReadError::Binary);
    let mut zeros = text.into_bytes();
    zeros.extend(std::iter::repeat_n(0u8, 200));
    let p = d.file("zeros.csv", &zeros);
    assert_eq!(refusal(&p, &ReadOptions::default()), ReadError::Binary);
}

#[test]
fn a_quote_opened_on_the_second_line_of_five_hundred_loses_no_row() {
    let d = Dir::new();
    let mut text = String::from("姓名,手机,备注\n张三,13800000000,\"从这里开始引号没有闭合\n");
    for i in 1..500 {
        text.push_str(&format!("顾客{i},138{i:08},备注{i}\n"));
    }
    let p = d.file("late.csv", text.as_bytes());
    let (_, rows) = detect(&p);
    assert_eq!(rows.len(), 500);
    let rejected: Vec<u64> = rows
        .iter()
        .filter(|r| r.is_rejected())
        .map(|r| r.row_number)
        .collect();
    assert_eq!(rejected, [2]);
    assert_eq!(kinds(&rows[0]), ["open_quote"]);
    assert_eq!(rows[0].problems[0].found, 2);
    assert_eq!(
        cells(&rows[0]),
        ["张三", "13800000000", "\"从这里开始引号没有闭合"]
    );
    assert_eq!(cells(&rows[499]), ["顾客499", "13800000499", "备注499"]);
    assert_eq!(rows[499].row_number, 501);
    assert!(rows[1..].iter().all(|r| r.problems.is_empty()));
}

#[test]
fn a_quote_left_open_that_closes_at_a_later_quote_gives_back_the_lines_between() {
    let d = Dir::new();
    // Tab-separated, as Excel's text export; the quote opened on line 3 closes at the one on line 6.
    let text = "姓名\t手机\t备注\n张三\t13812345678\t\n李四\t13912345678\t\"门口\n王五\t13712345678\t\n赵六\t13612345678\t\n钱七\t13512345678\t\"常客\"\n孙八\t13412345678\t\n";
    let p = d.file("tabs.txt", text.as_bytes());
    let (pv, rows) = detect(&p);
    assert_eq!(pv.delimiter, Some(b'\t'));
    assert_eq!(
        table(&rows),
        [
            (2, vec!["张三", "13812345678", ""]),
            (3, vec!["李四", "13912345678", "\"门口"]),
            (4, vec!["王五", "13712345678", ""]),
            (5, vec!["赵六", "13612345678", ""]),
            (6, vec!["钱七", "13512345678", "常客"]),
            (7, vec!["孙八", "13412345678", ""]),
        ]
    );
    assert_eq!(kinds(&rows[1]), ["open_quote"]);
    assert_eq!(rows[1].problems[0].column, Some(2));
    assert!(rows.iter().filter(|r| r.problems.is_empty()).count() == 5);
}

#[test]
fn footer_total_rows_and_a_repeated_header_are_not_customers() {
    let d = Dir::new();
    let text = "姓名,手机,消费金额\n张三,13812345678,100\n李四,13912345678,200\n姓名,手机,消费金额\n王五,13712345678,50\n\n合计,,350\n,小计：,350\n共 3 人,,\nTotal,,350\n";
    let p = d.file("footer.csv", text.as_bytes());
    let (_, rows) = detect(&p);
    let got: Vec<(u64, Vec<&str>)> = rows.iter().map(|r| (r.row_number, kinds(r))).collect();
    assert_eq!(
        got,
        [
            (2, vec![]),
            (3, vec![]),
            (4, vec!["repeated_header"]),
            (5, vec![]),
            (7, vec!["total_row"]),
            (8, vec!["total_row"]),
            (9, vec!["total_row"]),
            (10, vec!["total_row"]),
        ]
    );
    assert!(rows[2].is_rejected() && rows[4].is_rejected());
    assert_eq!(rows[5].problems[0].column, Some(1));
    assert_eq!(
        rows[4].problems[0].message(Lang::ZhCn),
        "这是合计、小计或“共 N 件”之类的汇总行，不是客户，未导入"
    );
    assert_eq!(
        rows[2].problems[0].message(Lang::En),
        "the header repeated in the middle of the file (a paged export), so it was not imported"
    );
    // A customer whose note mentions a total is a customer.
    let p = d.file(
        "note.csv",
        "姓名,备注\n张三,合计消费 350\n共同账户,\n".as_bytes(),
    );
    let (_, rows) = detect(&p);
    assert!(rows.iter().all(|r| r.problems.is_empty()), "{rows:?}");
}
