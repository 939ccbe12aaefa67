//! Destruction, backups, returns and receipts on real case files, the CLI run as a process (issue 14).
//!
//! The page reader below is the test's own: it decrypts every page of the case file with the passphrase the
//! way SQLCipher 4 writes them (PBKDF2-HMAC-SHA512 key from the file's salt, AES-256-CBC pages with the IV in
//! each page's reserved tail), free pages included, independent of the product's verifier. A control reads
//! the file before the destruction and must find the numbers there, so a reader that finds nothing proves
//! nothing is never mistaken for a clean file.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use handover_core::destruction;
use handover_core::records::import_file::{self, ImportRequest, ReadChoices};
use handover_core::rules::rulebook;
use handover_core::store::{Actor, Case};
use handover_testkit::values::id_card;
use handover_tests::{decrypted_pages, handover_command, raw_connection, PASSPHRASE};
use serde_json::Value;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------------------
// The test's own page reader.

/// The values found anywhere in the file's pages (live or free).
fn found_on_pages(path: &Path, values: &[String]) -> Vec<String> {
    let pages = decrypted_pages(path, PASSPHRASE);
    let hay: Vec<u8> = pages.concat();
    values
        .iter()
        .filter(|v| hay.windows(v.len()).any(|w| w == v.as_bytes()))
        .cloned()
        .collect()
}

fn side_file_len(path: &Path, suffix: &str) -> Option<u64> {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    std::fs::metadata(PathBuf::from(p)).ok().map(|m| m.len())
}

// ---------------------------------------------------------------------------------------------------------
// The CLI.

fn run(args: &[&str]) -> (i32, Value, String) {
    let out = handover_command().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
    )
}

fn ok(args: &[&str]) -> Value {
    let (code, json, text) = run(args);
    assert_eq!(code, 0, "{args:?}: {text}");
    json
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn sha256_file(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// A shop sold whole: two members transferred with their ID numbers stripped, one blocked by a prepaid
/// balance, three deleted (two inactive, one objected; one of them with an ID number), one invoice under the
/// tax-records hold.
struct Shop {
    case: PathBuf,
    deleted: Vec<String>,
    stripped_ids: Vec<String>,
    blocked_phone: String,
    held_phone: String,
}

fn shop_case(dir: &Path) -> Shop {
    let case = dir.join("王记便利店.handover");
    ok(&[
        "new",
        "--case",
        p(&case),
        "--kind",
        "shop",
        "--reason",
        "sale-whole",
        "--seller",
        "王记便利店",
        "--responsible",
        "王五",
        "--buyer",
        "李四商行",
        "--buyer-contact",
        "13900002222",
        "--handover-date",
        "2026-12-31",
    ]);
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let id1 = id_card::compose("110101", d(1980, 5, 17), 123);
    let id4 = id_card::compose("310104", d(1975, 3, 1), 45);
    let id6 = id_card::compose("440301", d(1990, 7, 7), 88);
    let members = dir.join("会员.csv");
    std::fs::write(
        &members,
        format!(
            "会员号,姓名,手机号,身份证号,储值余额,最近消费\n\
             V1,张三,13812345671,{id1},0,2026-10-01\n\
             V2,李四,13812345672,,300.50,2026-10-02\n\
             V3,王五,13812345673,,,2019-01-01\n\
             V4,赵六,13812345674,{id4},,2019-02-01\n\
             V5,孙七,13812345675,,,2026-10-05\n\
             V6,周八,13812345676,{id6},,2026-10-06\n"
        ),
    )
    .unwrap();
    let invoices = dir.join("发票存根.csv");
    std::fs::write(
        &invoices,
        "发票号码,购买方,手机号,开票日期\n04400001,钱九,13812345679,2025-03-05\n",
    )
    .unwrap();
    ok(&[
        "import",
        "--case",
        p(&case),
        p(&members),
        p(&invoices),
        "--json",
    ]);
    ok(&[
        "set",
        "--case",
        p(&case),
        "--phone",
        "13812345675",
        "--objection",
        "yes",
        "--json",
    ]);
    Shop {
        case,
        deleted: vec![
            "13812345673".into(),
            "13812345674".into(),
            "13812345675".into(),
            id4,
        ],
        stripped_ids: vec![id1, id6],
        blocked_phone: "13812345672".into(),
        held_phone: "13812345679".into(),
    }
}

fn outcome_count(plan: &Value, outcome: &str) -> u64 {
    plan["outcomes"][outcome].as_u64().unwrap()
}

// ---------------------------------------------------------------------------------------------------------

#[test]
fn destroy_leaves_no_deleted_number_on_any_page_and_keeps_held_and_blocked_records() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let case = p(&shop.case).to_string();

    // Refused without a plan, and without --confirm; nothing changes.
    let (code, json, _) = run(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("plan_missing"))
    );
    let plan = ok(&["plan", "--case", &case, "--json"]);
    let before = sha256_file(&shop.case);
    let (code, json, _) = run(&["destroy", "--case", &case, "--json"]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("destroy_not_confirmed"))
    );
    assert_eq!(
        sha256_file(&shop.case),
        before,
        "a refused destruction writes nothing"
    );

    // A stale plan (new records since) is refused too; recomputing it lets the destruction go ahead.
    let extra = dir.path().join("新会员.csv");
    std::fs::write(&extra, "姓名,手机号\n吴十,13812345680\n").unwrap();
    ok(&["import", "--case", &case, p(&extra), "--json"]);
    let (code, json, _) = run(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("plan_stale"))
    );
    let plan2 = ok(&["plan", "--case", &case, "--json"]);
    assert_eq!(
        outcome_count(&plan2, "delete"),
        outcome_count(&plan, "delete")
    );
    let deletes = outcome_count(&plan2, "delete");
    assert_eq!(deletes, 3);

    // The control: before the destruction the reader finds every number in the file.
    let mut canaries = shop.deleted.clone();
    canaries.extend(shop.stripped_ids.iter().cloned());
    assert_eq!(found_on_pages(&shop.case, &canaries), canaries);

    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    // The certificate's counts equal the plan's delete counts.
    assert_eq!(out["counts"]["records"], deletes);
    assert_eq!(out["certificate"]["destroyed"]["records"], deletes);
    assert_eq!(out["counts"]["customers"], 3);
    assert_eq!(out["counts"]["stripped_records"], 2);
    assert_eq!(out["counts"]["transferred_copies"], 0);
    let v = &out["verification"];
    assert_eq!(v["passed"], true, "{v}");
    assert_eq!(v["canaries_found"], 0);
    assert_eq!(v["free_pages"], 0);
    assert!(v["canaries"].as_u64().unwrap() >= 6, "{v}");
    assert!(v["pages_read"].as_u64().unwrap() > 10);
    // No personal data in the certificate: none of the case's numbers, no customer's name.
    let cert = out["certificate"].to_string();
    for v in canaries
        .iter()
        .chain([&shop.blocked_phone, &shop.held_phone])
    {
        assert!(!cert.contains(v.as_str()), "{v} in the certificate");
    }
    for name in ["张三", "李四", "王五", "赵六", "孙七", "周八", "钱九"] {
        assert!(
            !cert.contains(name) || name == "王五",
            "{name} in the certificate"
        );
    }
    assert_eq!(out["certificate"]["kept"]["held"][0]["records"], 1);
    assert_eq!(out["certificate"]["kept"]["blocked"], 1);
    // The hash over the sorted internal ids of the deleted records.
    let ids: String = [3, 4, 5].iter().map(|i| format!("{i}\n")).collect();
    assert_eq!(
        out["counts"]["by_source"][0]["deleted"], 3,
        "{}",
        out["counts"]
    );
    assert_eq!(
        out["certificate"]["destroyed"]["deleted_ids_sha256"],
        hex::encode(Sha256::digest(ids.as_bytes()))
    );

    // The test's own reading of every page, free pages included: none of the deleted numbers.
    assert_eq!(found_on_pages(&shop.case, &canaries), Vec::<String>::new());
    assert!(side_file_len(&shop.case, "-wal").unwrap_or(0) == 0);
    assert!(side_file_len(&shop.case, "-journal").unwrap_or(0) == 0);

    // Held and blocked records are all still there, whole; transferred ones lost only their ID numbers.
    let db = raw_connection(&shop.case, PASSPHRASE);
    // The case was rebuilt without reference checks: every reference still points at a row that is there,
    // and nothing is left on the free list.
    let dangling: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
    let free: i64 = db
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0);
    let phones: Vec<String> = db
        .prepare("SELECT mobile FROM records WHERE mobile IS NOT NULL ORDER BY mobile")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        phones,
        [
            "13812345671",
            "13812345672",
            "13812345676",
            "13812345679",
            "13812345680"
        ]
    );
    let held: (String, String) = db
        .query_row(
            "SELECT r.raw, p.outcome FROM records r JOIN plan p ON p.record_id = r.id WHERE r.mobile = ?1",
            [&shop.held_phone],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(held.1, "retain");
    assert!(held.0.contains("04400001") && held.0.contains("钱九"));
    let blocked: (String, String) = db
        .query_row(
            "SELECT r.raw, r.balance FROM records r WHERE r.mobile = ?1",
            [&shop.blocked_phone],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(blocked.0.contains("300.50") && blocked.1 == "300.50");
    let ids_left: i64 = db
        .query_row(
            "SELECT count(*) FROM records WHERE id_number IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ids_left, 0);
    // The plan (its lines copied while what goes is worked out on a second connection) has a line for each
    // record that stayed and none for one that went; its indexes agree with its rows.
    let (plan_lines, without_line): (i64, i64) = db
        .query_row(
            "SELECT (SELECT count(*) FROM plan),
                    (SELECT count(*) FROM records r WHERE NOT EXISTS
                        (SELECT 1 FROM plan p WHERE p.record_id = r.id))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((plan_lines, without_line), (5, 0));
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(db);

    // The audit chain verifies, and holds the certificate's reference and hash.
    ok(&["audit", "--verify", "--case", &case, "--json"]);
    let audit = ok(&["audit", "--case", &case, "--json"]);
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "destruction.certificate")
        .expect("the certificate is audited")
        .clone();
    let detail = entry["detail"].to_string();
    assert!(detail.contains(out["certificate"]["reference"].as_str().unwrap()));
    assert!(detail.contains(out["certificate_sha256"].as_str().unwrap()));
    // The plan is still current after the destruction.
    let status = ok(&["status", "--case", &case, "--json"]);
    assert_eq!(status["records"], 5);
}

/// A destruction stopped after its deletions were committed and before its certificate (a shutdown, a
/// kill) gets its certificate from the next `destroy`, with the counts of what it deleted — not a certificate
/// that says nothing was deleted.
#[test]
fn a_destruction_stopped_before_its_certificate_is_certified_by_the_next_destroy() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let case = p(&shop.case).to_string();
    let plan = ok(&["plan", "--case", &case, "--json"]);
    let deletes = outcome_count(&plan, "delete");
    assert_eq!(deletes, 3);

    let stopped = handover_command()
        .args(["destroy", "--case", &case, "--confirm", "--json"])
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .env("HANDOVER_TEST_STOP_AFTER_CARRY_OUT", "1")
        .output()
        .unwrap();
    assert_eq!(
        stopped.status.code(),
        Some(99),
        "stopped after the deletions"
    );
    let audit = |case: &str| -> Vec<(String, Value)> {
        let c = Case::open(Path::new(case), PASSPHRASE).unwrap();
        let e = c.audit_entries().unwrap();
        c.close().unwrap();
        e.into_iter()
            .filter(|e| e.action.starts_with("destruction."))
            .map(|e| (e.action, serde_json::from_str(&e.detail).unwrap()))
            .collect()
    };
    let entries = audit(&case);
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].0, "destruction.carry_out");

    // The next destroy certifies those deletions and does nothing else.
    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(out["counts"]["records"], deletes, "{out}");
    assert_eq!(out["certificate"]["destroyed"]["records"], deletes);
    assert_eq!(out["counts"]["customers"], 3);
    assert_eq!(out["counts"]["stripped_records"], 2);
    assert_eq!(out["verification"]["passed"], true);
    assert_eq!(
        out["verification"]["canaries"], 0,
        "the deleted values are gone"
    );
    let entries = audit(&case);
    assert_eq!(
        entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["destruction.carry_out", "destruction.certificate"]
    );
    assert_eq!(entries[1].1["finishes_an_interrupted_destruction"], true);
    // The deleted numbers are on no page of the file.
    assert!(found_on_pages(&shop.case, &shop.deleted).is_empty());

    // One more destroy is an ordinary one: nothing left to delete.
    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(out["counts"]["records"], 0, "{out}");
    let entries = audit(&case);
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[3].1["finishes_an_interrupted_destruction"], false);
}

fn actor() -> Actor {
    Actor("test:destruction".into())
}

#[test]
fn destroy_is_refused_while_an_import_is_pending_and_with_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    ok(&["plan", "--case", p(&shop.case), "--json"]);
    let mut case = Case::open(&shop.case, PASSPHRASE).unwrap();
    let err = destruction::destroy(
        &mut case,
        "Wrong-Horse-Battery-1",
        true,
        rulebook(),
        &actor(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "wrong_passphrase");
    let extra = dir.path().join("新会员.csv");
    std::fs::write(&extra, "姓名,手机号\n吴十,13812345680\n").unwrap();
    let request = ImportRequest {
        path: extra.display().to_string(),
        choices: ReadChoices::default(),
        fields: None,
        allow_duplicate: false,
    };
    import_file::run(
        &mut case,
        &request,
        &actor(),
        handover_core::Lang::ZhCn,
        &AtomicBool::new(false),
        &mut |_| {},
        true,
    )
    .unwrap();
    assert!(case.import_pending());
    let err = destruction::destroy(&mut case, PASSPHRASE, true, rulebook(), &actor()).unwrap_err();
    assert_eq!(err.code(), "import_pending");
    case.discard_import().unwrap();
    let records: u64 = case.overview().unwrap().records;
    assert_eq!(records, 7, "nothing was deleted");
}

/// The rebuilt file takes the case's place only when no other program has the case open (each opening holds
/// a shared lock on the file): with the app holding it, `destroy` is refused as busy and changes nothing;
/// once the app closed it, the destruction goes ahead, and the case is whole and opens again.
#[test]
fn destroy_is_refused_while_another_program_has_the_case_open() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let case = p(&shop.case).to_string();
    let plan = ok(&["plan", "--case", &case, "--json"]);
    let deletes = outcome_count(&plan, "delete");
    assert!(deletes > 0);
    let app = Case::open(&shop.case, PASSPHRASE).unwrap();
    let records = app.overview().unwrap().records;
    let before = sha256_file(&shop.case);
    let (code, json, _) = run(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!((code, json["error"]["code"].as_str()), (2, Some("busy")));
    assert_eq!(
        sha256_file(&shop.case),
        before,
        "a refused destruction writes nothing"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".rebuild"))
        .collect();
    assert!(leftovers.is_empty(), "no rebuilt file is left behind");
    assert_eq!(app.overview().unwrap().records, records);
    drop(app);

    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(out["certificate"]["destroyed"]["records"], deletes);
    assert_eq!(out["verification"]["passed"], true);
    let scratch: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".rebuild"))
        .collect();
    assert!(
        scratch.is_empty(),
        "neither the rebuilt file nor the side copy of the plan is left behind: {scratch:?}"
    );
    let reopened = Case::open(&shop.case, PASSPHRASE).unwrap();
    assert_eq!(reopened.overview().unwrap().records, records - deletes);
}

#[test]
fn after_the_receipt_the_sellers_copies_of_transferred_records_go_too() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let case = p(&shop.case).to_string();
    ok(&["plan", "--case", &case, "--json"]);
    let (code, json, _) = run(&[
        "receipt",
        "--case",
        &case,
        "--package-sha256",
        "not-a-hash",
        "--signed-on",
        "2026-12-31",
        "--json",
    ]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("invalid_sha256"))
    );
    let sha = "AB".repeat(32);
    let r = ok(&[
        "receipt",
        "--case",
        &case,
        "--package-sha256",
        &sha,
        "--signed-on",
        "2026-12-31",
        "--json",
    ]);
    assert_eq!(r["receipt"]["package_sha256"], sha.to_lowercase());
    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    assert_eq!(out["counts"]["records"], 3);
    assert_eq!(out["counts"]["transferred_copies"], 2);
    assert_eq!(out["counts"]["stripped_records"], 0);
    assert_eq!(out["verification"]["passed"], true);
    let gone = [
        "13812345671".to_string(),
        "13812345676".into(),
        shop.stripped_ids[0].clone(),
    ];
    assert_eq!(found_on_pages(&shop.case, &gone), Vec::<String>::new());
    // Held and blocked stay.
    assert_eq!(
        found_on_pages(
            &shop.case,
            &[shop.blocked_phone.clone(), shop.held_phone.clone()]
        )
        .len(),
        2
    );
}

#[test]
fn backup_then_restore_gives_a_case_that_opens_verifies_and_has_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let case = p(&shop.case).to_string();
    ok(&["plan", "--case", &case, "--json"]);
    let status = ok(&["status", "--case", &case, "--json"]);
    let backup = dir.path().join("备份").join("王记-备份.handover");
    let b = ok(&["backup", "--case", &case, "--out", p(&backup), "--json"]);
    assert_eq!(b["audit_ok"], true);
    assert_eq!(b["sha256"], sha256_file(&backup));
    assert_eq!(b["counts"]["records"], status["records"]);
    assert_eq!(b["backups"].as_array().unwrap().len(), 1);
    // The copy is encrypted with the case's passphrase and format: the test's reader decrypts it, and its
    // pages hold the members' numbers (it is a full copy).
    assert_eq!(
        found_on_pages(&backup, &shop.deleted).len(),
        shop.deleted.len()
    );
    assert!(!std::fs::read(&backup)
        .unwrap()
        .windows(11)
        .any(|w| w == b"13812345671"));
    // A second backup to the same path is refused.
    let (code, json, _) = run(&["backup", "--case", &case, "--out", p(&backup), "--json"]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("file_exists"))
    );

    let restored = dir.path().join("恢复.handover");
    let r = ok(&["restore", p(&backup), "--case", p(&restored), "--json"]);
    assert_eq!(r["audit_ok"], true);
    let s2 = ok(&["status", "--case", p(&restored), "--json"]);
    for k in [
        "case_id",
        "sources",
        "customers",
        "records",
        "schema_version",
        "pii",
    ] {
        assert_eq!(s2[k], status[k], "{k}");
    }
    ok(&["audit", "--verify", "--case", p(&restored), "--json"]);
    // The restored case is a full case: its plan works and it can be destroyed.
    ok(&["plan", "--case", p(&restored), "--json"]);
    let out = ok(&["destroy", "--case", p(&restored), "--confirm", "--json"]);
    assert_eq!(out["verification"]["passed"], true);
    // A wrong passphrase on the backup is refused, and leaves no file behind.
    let other = dir.path().join("另一个.handover");
    let (code, json, _) = {
        let out = handover_command()
            .env("HANDOVER_PASSPHRASE", "Wrong-Horse-Battery-1")
            .args(["restore", p(&backup), "--case", p(&other), "--json"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            (),
        )
    };
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (2, Some("wrong_passphrase"))
    );
    assert!(!other.exists());

    // The destruction of the original says the backup still holds the deleted data.
    let out = ok(&["destroy", "--case", &case, "--confirm", "--json"]);
    let cert = &out["certificate"];
    assert_eq!(cert["backups_before"][0]["sha256"], b["sha256"]);
    assert!(cert["advice"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "backups-hold-deleted-data"));
    assert_eq!(
        found_on_pages(&backup, &shop.deleted).len(),
        shop.deleted.len()
    );
}

#[test]
fn returns_write_one_safe_csv_per_courier_company_hashed_into_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("张记驿站.handover");
    ok(&[
        "new",
        "--case",
        p(&case),
        "--kind",
        "courier-station",
        "--reason",
        "sale-whole",
        "--seller",
        "张记驿站",
        "--buyer",
        "李四便民服务部",
        "--buyer-contact",
        "13900002222",
        "--handover-date",
        "2026-12-31",
    ]);
    let file = dir.path().join("取件记录.csv");
    std::fs::write(
        &file,
        "运单号,快递公司,收件人,收件人手机,取件码,入库时间,取件时间,状态\n\
         SF1234567890123,顺丰,张三,13812345678,3-2-1001,2026-11-01 09:00,2026-11-01,已取件\n\
         YT1234567890123,圆通,李四,13912345678,3-2-1002,2026-11-02 10:00,,待取件\n\
         SF1234567890124,顺丰,王五,13712345678,=1+2,2026-11-03 11:00,,待取件\n",
    )
    .unwrap();
    ok(&["import", "--case", p(&case), p(&file), "--json"]);
    let plan = ok(&["plan", "--case", p(&case), "--json"]);
    let returns = outcome_count(&plan, "return");
    assert_eq!(returns, 3, "{plan}");
    let out_dir = dir.path().join("退回");
    let out = ok(&[
        "returns",
        "--case",
        p(&case),
        "--out",
        p(&out_dir),
        "--json",
    ]);
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let lines: u64 = files.iter().map(|f| f["lines"].as_u64().unwrap()).sum();
    assert_eq!(lines, returns);
    let sf = files.iter().find(|f| f["company"] == "顺丰").unwrap();
    let path = PathBuf::from(sf["file"].as_str().unwrap());
    assert_eq!(path.file_name().unwrap(), "退回清单-顺丰.csv");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(sf["sha256"], hex::encode(Sha256::digest(&bytes)));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n"));
    assert!(text.contains("SF1234567890123") && text.contains("3-2-1001"));
    assert!(text.contains("2026-11-01 09:00"), "{text}");
    // Recipients masked; a cell that would be a formula is written as text.
    assert!(
        !text.contains("13812345678") && !text.contains("张三"),
        "{text}"
    );
    assert!(text.contains("'=1+2"), "{text}");
    assert!(text.contains("未取件包裹") && text.contains("委托处理记录"));
    let audit = ok(&["audit", "--case", p(&case), "--json"]);
    let detail = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "returns.files")
        .unwrap()["detail"]
        .to_string();
    assert!(detail.contains(sf["sha256"].as_str().unwrap()));
}

#[test]
fn paper_sources_are_confirmed_by_hand_with_a_witness() {
    let dir = tempfile::tempdir().unwrap();
    let shop = shop_case(dir.path());
    let mut case = Case::open(&shop.case, PASSPHRASE).unwrap();
    let source = handover_core::wizard::inventory::register_source(
        &mut case,
        handover_core::wizard::inventory::SourceInput {
            kind: handover_core::wizard::inventory::PlaceKind::Paper,
            label: "纸质会员登记本".into(),
            description: String::new(),
            handling: handover_core::wizard::inventory::SourceHandling::Destroy,
            handling_note: String::new(),
        },
        &actor(),
    )
    .unwrap();
    case.close().unwrap();
    let list = ok(&["paper", "--case", p(&shop.case), "--json"]);
    assert_eq!(list["paper"][0]["witness"], Value::Null);
    let id = list["paper"][0]["source_id"].as_i64().unwrap();
    assert_eq!(id, source.id);
    let (code, _, _) = run(&[
        "paper",
        "--case",
        p(&shop.case),
        "--source",
        &id.to_string(),
        "--witness",
        "  ",
        "--json",
    ]);
    assert_eq!(code, 2);
    let done = ok(&[
        "paper",
        "--case",
        p(&shop.case),
        "--source",
        &id.to_string(),
        "--witness",
        "李见证",
        "--destroyed-on",
        "2026-12-30",
        "--json",
    ]);
    assert_eq!(done["paper"][0]["witness"], "李见证");
    assert_eq!(done["paper"][0]["destroyed_on"], "2026-12-30");
    ok(&["plan", "--case", p(&shop.case), "--json"]);
    let out = ok(&["destroy", "--case", p(&shop.case), "--confirm", "--json"]);
    assert_eq!(out["certificate"]["paper"][0]["witness"], "李见证");
    assert!(out["certificate"]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "witness"));
}
