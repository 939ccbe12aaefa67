//! `handover import` on real files: what it prints, what lands in the case, and what is refused.

use std::path::{Path, PathBuf};
use std::process::Command;

use handover_core::store::Case;
use handover_core::Lang;
use handover_tests::PASSPHRASE;
use serde_json::Value;

fn handover() -> Command {
    handover_tests::handover_command()
}

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    handover_tests::new_shop_case(&case);
    case
}

fn import(case: &Path, files: &[&Path], extra: &[&str]) -> (i32, Value) {
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(case)
        .args(files)
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), v)
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the fixture has characters GBK cannot hold");
    bytes.into_owned()
}

#[test]
fn gbk_list_with_title_flags_and_rejects_exactly_and_links_customers() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = dir.path().join("会员.csv");
    std::fs::write(
        &csv,
        gbk(
            "王记便利店会员 2026年11月\r\n会员号,姓名,手机号,储值余额,最近消费,备注\r\n\
             V1,张三,138 1234 5678,\"￥1,234.50\",2024/3/5,\r\n\
             V2,李四,+86 139-1234-5678,0,2024年3月6日,老顾客\r\n\
             V3,张三,13812345678,12,20240307,第二张卡\r\n\
             V4,王五,1381234567,待核对,去年,\r\n\
             V5,赵六,13712345678,5,2024-03-08,多,出,来\r\n\
             V6,孙七,13612345678\r\n",
        ),
    )
    .unwrap();
    let (code, v) = import(&case, &[&csv], &[]);
    assert_eq!(code, 0, "{v}");
    let s = &v["sources"][0];
    assert_eq!(s["encoding"], "GB18030");
    assert_eq!(s["delimiter"], ",");
    assert_eq!(s["header_row"], 2);
    let fields: Vec<&str> = s["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "member_number",
            "name",
            "mobile",
            "prepaid_balance",
            "last_activity",
            "notes"
        ]
    );
    assert_eq!(
        (
            s["rows_imported"].as_u64(),
            s["rows_flagged"].as_u64(),
            s["rows_rejected"].as_u64()
        ),
        (Some(5), Some(2), Some(1))
    );
    let problems: Vec<(u64, Option<u64>, &str, &str)> = s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["column"].as_u64(),
                p["severity"].as_str().unwrap(),
                p["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (6, Some(3), "flagged", "invalid_mobile"),
            (6, Some(4), "flagged", "unparseable_amount"),
            (6, Some(5), "flagged", "unparseable_date"),
            (7, None, "rejected", "too_many_fields"),
            (8, None, "flagged", "too_few_fields"),
        ]
    );
    let reason = s["problems"][3]["reason"].as_str().unwrap();
    assert_eq!(
        reason,
        "有 8 个字段，比表头的 6 列多，多出的内容没有对应的列，此行未导入"
    );

    // 张三's two cards are one customer; the invalid mobile makes 王五 a customer of his own.
    let opened = Case::open(&case, PASSPHRASE).unwrap();
    let o = opened.overview().unwrap();
    assert_eq!((o.sources, o.customers, o.records), (1, 4, 5));
    opened
        .read(|conn| {
            // Imports write with foreign-key checks off (for speed); every reference they wrote must still hold.
            let broken: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(broken, 0, "the import left a dangling reference");
            let fk_on: i64 = conn
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap();
            assert_eq!(fk_on, 1);
            let (raw, last_activity, balance, mobile): (
                String,
                Option<String>,
                Option<String>,
                Option<String>,
            ) = conn
                .query_row(
                    "SELECT raw, last_activity, balance, mobile FROM records WHERE row_number = 3",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .unwrap();
            assert_eq!(
                raw, r#"["V1","张三","138 1234 5678","￥1,234.50","2024/3/5",""]"#,
                "the original cells are kept"
            );
            assert_eq!(last_activity.as_deref(), Some("2024-03-05"));
            assert_eq!(balance.as_deref(), Some("1234.50"), "exact, never a float");
            assert_eq!(mobile.as_deref(), Some("13812345678"));
            let rejected_raw: String = conn
                .query_row(
                    "SELECT raw FROM import_problems WHERE severity = 'rejected'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(
                rejected_raw.contains("多") && rejected_raw.contains("来"),
                "a rejected row is kept in the problem list"
            );
            // The owner can export the problem list: UTF-8 with BOM for Excel, one line per problem.
            let export = dir.path().join("问题行.csv");
            handover_core::records::ingest::export_problems_csv(conn, 1, &export, Lang::ZhCn)
                .unwrap();
            let text = std::fs::read_to_string(&export).unwrap();
            assert!(text.starts_with('\u{feff}'));
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), 6, "{text}");
            assert_eq!(
                lines[1],
                "会员.csv,6,3,手机号,已导入，需核对,invalid_mobile,不是有效的手机号"
            );
            let audit = opened.audit_entries().unwrap();
            assert_eq!(audit.last().unwrap().action, "import");
            assert!(
                !audit.last().unwrap().detail.contains("张三"),
                "the audit log names no customer"
            );
            Ok(())
        })
        .unwrap();
    opened.close().unwrap();
}

#[test]
fn same_content_twice_is_refused_unless_allowed_and_the_mapping_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let a = dir.path().join("a.csv");
    std::fs::write(&a, "姓名,联系\n张三,13812345678\n李四,13912345678\n").unwrap();
    let (code, _) = import(&case, &[&a], &[]);
    assert_eq!(code, 0);
    let (code, v) = import(&case, &[&a], &[]);
    assert_eq!(code, 2);
    assert_eq!(v["sources"][0]["code"], "duplicate_import");
    assert!(v["sources"][0]["error"].as_str().unwrap().contains("已在"));
    let (code, v) = import(&case, &[&a], &["--allow-duplicate"]);
    assert_eq!(code, 0);
    assert_eq!(v["sources"][0]["rows_imported"], 2);
    // Another file with the same layout reuses the mapping confirmed for it.
    let b = dir.path().join("b.csv");
    std::fs::write(&b, "姓名,联系\n王五,13712345678\n").unwrap();
    let (_, v) = import(&case, &[&b], &[]);
    assert_eq!(v["sources"][0]["columns"][1]["field"], "mobile");
    assert!(v["sources"][0]["columns"][1]["evidence"]
        .as_str()
        .unwrap()
        .contains("上次"));
}

#[test]
fn files_that_are_not_tables_are_refused_with_exit_2_and_the_rest_still_imports() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    let header_only = dir.path().join("header.csv");
    std::fs::write(&header_only, "姓名,手机\n").unwrap();
    let png = dir.path().join("photo.csv");
    std::fs::write(
        &png,
        [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
        ],
    )
    .unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "姓名,手机\n张三,13812345678\n").unwrap();
    let (code, v) = import(&case, &[&empty, &header_only, &png, &good], &[]);
    assert_eq!(code, 2);
    let s = v["sources"].as_array().unwrap();
    assert_eq!(
        s[0]["error"],
        "无法导入“empty.csv”：文件是空的，没有任何内容。请确认导出时选择了数据。"
    );
    assert_eq!(
        s[1]["error"],
        "无法导入“header.csv”：文件只有表头（第 1 行），下面没有客户数据。"
    );
    assert!(s[2]["error"].as_str().unwrap().contains("不是表格文件"));
    assert_eq!(s[3]["rows_imported"], 1);
    let opened = Case::open(&case, PASSPHRASE).unwrap();
    assert_eq!(opened.overview().unwrap().records, 1);
    opened.close().unwrap();
}

#[test]
fn the_personal_information_found_at_import_is_stored_per_record_source_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = dir.path().join("会员.csv");
    // Row 2: a phone and an ID inside the notes. Row 3: an invalid mobile (flagged, still imported). Row
    // 4: an ID with a wrong check digit (flagged; never counted as an ID). Row 5: no name.
    std::fs::write(
        &csv,
        "会员号,姓名,手机号,身份证号,备注\n\
         V1,张三,13812345678,11010519491231002X,备用电话13912345678，身份证11010519491231002X\n\
         V2,李四,1381234567,,老顾客\n\
         V3,王五,13712345678,110105194912310039,\n\
         V4,,13612345678,44030519900101123X,\n",
    )
    .unwrap();
    let (code, v) = import(&case, &[&csv], &[]);
    assert_eq!(code, 0, "{v}");
    let s = &v["sources"][0];
    let fields: Vec<&str> = s["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["member_number", "name", "mobile", "id_card", "notes"]
    );
    assert_eq!(
        (s["rows_imported"].as_u64(), s["rows_flagged"].as_u64()),
        (Some(4), Some(2)),
        "flagged rows are imported, not lost"
    );

    let opened = Case::open(&case, PASSPHRASE).unwrap();
    opened.read(|conn| {
    let per_kind: Vec<(String, i64, i64)> = conn
        .prepare(
            "SELECT kind, column_cells, text_findings FROM source_pii WHERE source_id = 1 ORDER BY kind",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        per_kind,
        [
            ("id_card".to_string(), 2, 1),
            ("mobile".to_string(), 3, 1),
            ("name".to_string(), 3, 0),
        ]
    );

    let notes = "备用电话13912345678，身份证11010519491231002X";
    let findings: Vec<(i64, i64, String, i64, i64)> = conn
        .prepare(
            "SELECT r.row_number, f.col_index, f.kind, f.start, f.end
             FROM text_findings f JOIN records r ON r.id = f.record_id ORDER BY f.start",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        findings,
        [
            (2, 4, "mobile".to_string(), 12, 23),
            (2, 4, "id_card".to_string(), 35, 53),
        ]
    );
    assert_eq!(&notes[12..23], "13912345678");
    assert_eq!(&notes[35..53], "11010519491231002X");

    use handover_core::field::FieldType;
    let masks: Vec<(i64, u32, bool)> = conn
        .prepare("SELECT row_number, pii_mask, flagged FROM records ORDER BY row_number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (name, mobile, id) = (
        FieldType::Name.bit(),
        FieldType::Mobile.bit(),
        FieldType::IdCard.bit(),
    );
    // Member numbers and notes are not personal information of their own kind, but a non-empty cell marks
    // the record's categories (transaction, preference).
    let (member, notes) = (FieldType::MemberNumber.bit(), FieldType::Notes.bit());
    assert_eq!(
        masks,
        [
            (2, member | name | mobile | id | notes, false),
            (3, member | name | notes, true),
            (4, member | name | mobile, true),
            (5, member | mobile | id, false),
        ]
    );
    assert_eq!(
        masks[0].1, 0b1000_0010_0000_0000_1011,
        "the stored bits are the pinned ones"
    );
    Ok(())
    })
    .unwrap();
    opened.close().unwrap();
}

#[test]
fn an_import_held_for_review_can_be_discarded_or_committed_and_the_case_stays_usable() {
    use handover_core::records::import_file::{self, ImportRequest, ReadChoices};
    use handover_core::store::Actor;
    use std::sync::atomic::AtomicBool;

    let dir = tempfile::tempdir().unwrap();
    let case_path = new_case(dir.path());
    let first = dir.path().join("a.csv");
    std::fs::write(&first, "姓名,手机\n张三,13812345678\n李四,13912345678\n").unwrap();
    let second = dir.path().join("b.csv");
    std::fs::write(&second, "姓名,手机\n王五,13712345678\n").unwrap();
    let request = |p: &Path| ImportRequest {
        path: p.display().to_string(),
        choices: ReadChoices::default(),
        fields: None,
        allow_duplicate: true,
    };
    let actor = Actor("test:held".into());
    let cancel = AtomicBool::new(false);
    let mut case = Case::open(&case_path, PASSPHRASE).unwrap();
    let records = |case: &Case| case.overview().unwrap().records;

    // Held, then discarded: nothing of it stays.
    import_file::run(
        &mut case,
        &request(&first),
        &actor,
        Lang::ZhCn,
        &cancel,
        &mut |_| {},
        true,
    )
    .unwrap();
    assert!(case.import_pending());
    assert_eq!(
        records(&case),
        2,
        "the owner reviews the rows before deciding"
    );
    case.discard_import().unwrap();
    assert_eq!(records(&case), 0);

    // Held, then committed; then another import on the same open case, committed at once.
    import_file::run(
        &mut case,
        &request(&first),
        &actor,
        Lang::ZhCn,
        &cancel,
        &mut |_| {},
        true,
    )
    .unwrap();
    case.commit_import().unwrap();
    import_file::run(
        &mut case,
        &request(&second),
        &actor,
        Lang::ZhCn,
        &cancel,
        &mut |_| {},
        false,
    )
    .unwrap();
    assert_eq!(records(&case), 3);
    case.close().unwrap();

    // Closed cleanly: one file again, no journal or log beside it, and it opens with all rows.
    for side in ["-journal", "-wal"] {
        let mut p = case_path.clone().into_os_string();
        p.push(side);
        assert!(!Path::new(&p).exists(), "{side} left behind");
    }
    let reopened = Case::open(&case_path, PASSPHRASE).unwrap();
    assert_eq!(records(&reopened), 3);
    assert!(reopened.verify_audit().unwrap().ok);
    reopened.close().unwrap();
}
