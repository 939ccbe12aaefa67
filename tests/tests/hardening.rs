//! Crafted inputs (issue 18) answered with a plain refusal, never a panic or a hang, and the case intact after.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use handover_core::store::Case;
use handover_tests::{run_within, PASSPHRASE};
use serde_json::Value;

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    handover_tests::new_shop_case(&case);
    case
}

fn audit_actions(case: &Path) -> Vec<String> {
    let opened = Case::open(case, PASSPHRASE).unwrap();
    let report = opened.verify_audit().unwrap();
    assert!(report.ok, "{report:?}");
    let actions = opened
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    opened.close().unwrap();
    actions
}

#[test]
fn balances_beyond_the_bound_are_flagged_at_import_and_refuse_the_plan_before_anything_is_written()
{
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = dir.path().join("会员.csv");
    std::fs::write(
        &csv,
        "会员号,姓名,手机号,储值余额\n\
         V1,张三,13812345678,12.50\n\
         V2,李四,13912345678,79228162514264337593543950335\n\
         V3,王五,13712345678,79228162514264337593543950335\n",
    )
    .unwrap();
    let out = run_within(
        {
            let mut c = handover_tests::handover_command();
            c.args(["import", "--json", "--case"]).arg(&case).arg(&csv);
            c
        },
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    // The import flags such an amount (no shop holds 10¹⁵ yuan) and does not store it as a balance.
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["sources"][0]["rows_flagged"], 2, "{v}");
    assert_eq!(stdout.matches("amount_beyond_bound").count(), 2, "{v}");
    let balances = || -> Vec<Option<String>> {
        let opened = Case::open(&case, PASSPHRASE).unwrap();
        let b = opened
            .read(|conn| {
                let mut stmt = conn.prepare("SELECT balance FROM records ORDER BY id")?;
                let v = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(v)
            })
            .unwrap();
        opened.close().unwrap();
        b
    };
    assert_eq!(balances(), [Some("12.50".to_string()), None, None]);

    // The plan checks again (a case written by an older version, or changed outside the app, may hold
    // them): with the balances put into the file directly, it refuses before writing anything.
    let raw = handover_tests::raw_connection(&case, PASSPHRASE);
    raw.execute(
        "UPDATE records SET balance = '79228162514264337593543950335' WHERE id IN (2, 3)",
        [],
    )
    .unwrap();
    drop(raw);
    assert_eq!(
        balances(),
        [
            Some("12.50".to_string()),
            Some("79228162514264337593543950335".to_string()),
            Some("79228162514264337593543950335".to_string()),
        ]
    );
    let before = audit_actions(&case);

    // Chinese by default, on stderr; exit 2, not a panic (101).
    let out = run_within(
        {
            let mut c = handover_tests::handover_command();
            c.args(["plan", "--case"]).arg(&case);
            c
        },
        Duration::from_secs(60),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("“会员.csv”第 3 行"), "{stderr}");
    assert!(stderr.contains("79228162514264337593543950335"), "{stderr}");
    assert!(stderr.contains("未生成处理方案"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The code and the English words in --json.
    let out = run_within(
        {
            let mut c = handover_tests::handover_command();
            c.args(["--lang", "en", "plan", "--json", "--case"])
                .arg(&case);
            c
        },
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "amount_out_of_range", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("(“会员.csv”, row 3, customer 2"),
        "{message}"
    );
    assert!(message.contains("No plan was made"), "{message}");

    // The case opens, its chain verifies, and no plan and no plan entry were committed.
    let after = audit_actions(&case);
    assert_eq!(before, after);
    assert!(!after.iter().any(|a| a == "rules.plan"));
    let opened = Case::open(&case, PASSPHRASE).unwrap();
    let plan_lines: i64 = opened
        .read(|conn| Ok(conn.query_row("SELECT count(*) FROM plan", [], |r| r.get(0))?))
        .unwrap();
    let metas: i64 = opened
        .read(|conn| Ok(conn.query_row("SELECT count(*) FROM plan_meta", [], |r| r.get(0))?))
        .unwrap();
    opened.close().unwrap();
    assert_eq!((plan_lines, metas), (0, 0));
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_is_refused_at_once_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let fifo = dir.path().join("会员.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let folder = dir.path().join("导出.csv");
    std::fs::create_dir(&folder).unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "姓名,手机\n张三,13812345678\n").unwrap();

    // Nobody ever writes to the pipe: a reader that opens it waits forever.
    let out = run_within(
        {
            let mut c = handover_tests::handover_command();
            c.args(["import", "--json", "--case"])
                .arg(&case)
                .arg(&fifo)
                .arg(&folder)
                .arg(&good);
            c
        },
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = v["sources"].as_array().unwrap();
    assert_eq!(
        s[0]["error"],
        "无法导入“会员.csv”：这是一个命名管道（FIFO），不是普通文件，因此不会读取。请选择导出的文件本身（CSV 或 Excel 文件）。",
        "{v}"
    );
    assert!(
        s[1]["error"]
            .as_str()
            .unwrap()
            .contains("无法导入“导出.csv”：这是一个文件夹"),
        "{v}"
    );
    assert_eq!(s[2]["rows_imported"], 1, "{v}");

    // In English, without --json: the message on stderr names the file.
    let out = run_within(
        {
            let mut c = handover_tests::handover_command();
            c.args(["--lang", "en", "import", "--case"])
                .arg(&case)
                .arg(&fifo);
            c
        },
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("“会员.csv” cannot be imported: This is a named pipe (FIFO), not a file"),
        "{all}"
    );

    let actions = audit_actions(&case);
    assert_eq!(
        actions.iter().filter(|a| a.starts_with("import")).count(),
        1,
        "{actions:?}"
    );
}

fn cli_json(args: &[&str], case: &Path) -> (i32, Value) {
    let out = handover_tests::handover_command()
        .args(args)
        .arg("--json")
        .arg("--case")
        .arg(case)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), v)
}

/// Edits the log the way someone with the passphrase and a raw SQL tool would: the app's triggers dropped.
fn rewrite_audit(case: &Path, sql: &str) {
    let conn = handover_tests::raw_connection(case, PASSPHRASE);
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
}

#[test]
fn a_broken_audit_chain_is_reported_on_open_and_holds_changes_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    rewrite_audit(&case, "UPDATE audit_log SET detail = '{}' WHERE seq = 1");

    let (code, status) = cli_json(&["status"], &case);
    assert_eq!(code, 0);
    assert_eq!(status["audit"]["verified"], false, "{status}");
    assert_eq!(status["audit"]["first_problem"]["seq"], 1);
    assert_eq!(status["audit"]["first_problem"]["kind"], "altered");
    let text = handover_tests::handover_command()
        .args(["status", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("审计日志校验失败"));

    // A change is refused: appending would bury the break under entries that verify from there on.
    let (code, refused) = cli_json(&["plan"], &case);
    assert_eq!(code, 2);
    assert_eq!(refused["error"]["code"], "audit_broken", "{refused}");
    let entries_before = status["audit"]["entries"].as_u64().unwrap();
    let (_, after) = cli_json(&["status"], &case);
    assert_eq!(after["audit"]["entries"].as_u64().unwrap(), entries_before);

    // Acknowledged, the change goes through, and the acknowledgement is in the log; the break stays visible.
    let (code, _) = cli_json(&["plan", "--accept-broken-audit"], &case);
    assert_eq!(code, 0);
    let opened = Case::open(&case, PASSPHRASE).unwrap();
    assert_eq!(opened.audit_break().map(|p| p.seq), Some(1));
    let actions: Vec<String> = opened
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.iter().any(|a| a == "audit.break.acknowledged"),
        "{actions:?}"
    );
    assert!(opened
        .write(&handover_core::store::Actor("test".into()), |_| Ok(()))
        .is_err());
}

/// The audit entries as `handover audit --json` prints them: (seq, hash).
fn audit_hashes(case: &Path) -> Vec<(i64, String)> {
    let (code, log) = cli_json(&["audit"], case);
    assert_eq!(code, 0, "{log}");
    log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["seq"].as_i64().unwrap(),
                e["hash"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// What the handover summary's PDF says about the log: (entries, head hash), read with `pdftotext`.
fn audit_on_the_summary(pdf: &Path) -> (i64, String) {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    assert!(out.status.success());
    // A 64-digit hash may wrap inside its table cell: read the text without white space.
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let after = |label: &str| -> &str {
        let at = text
            .find(label)
            .unwrap_or_else(|| panic!("the summary has no “{label}”: {text}"));
        &text[at + label.len()..]
    };
    let entries: i64 = after("操作记录条数")
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap();
    let head: String = after("最新记录哈希值")
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(head.len(), 64, "head hash on the summary: {head}");
    (entries, head)
}

#[test]
fn a_rewritten_chain_with_recomputed_hashes_contradicts_the_head_hash_on_paper() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    assert_eq!(cli_json(&["plan"], &case).0, 0);

    // The paper both sides sign: the handover summary, with the log's entry count and head hash.
    let pdf = dir.path().join("交接清单.pdf");
    let out = handover_tests::handover_command()
        .args(["summary", "--operator", "王五", "--case"])
        .arg(&case)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (entries_on_paper, head_on_paper) = audit_on_the_summary(&pdf);
    // The summary names the newest entry when it was made; the log still has that entry with that hash.
    let before = audit_hashes(&case);
    assert!(
        before.contains(&(entries_on_paper, head_on_paper.clone())),
        "entry {entries_on_paper} with {head_on_paper} is not in the log: {before:?}"
    );
    let (_, status) = cli_json(&["status"], &case);
    assert_eq!(status["audit"]["verified"], true);

    // The attacker knows the passphrase and the hash formula (it is in the source): they change the first
    // entry and recompute every hash after it, and the head.
    rewrite_audit(
        &case,
        "UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 1",
    );
    let conn = handover_tests::raw_connection(&case, PASSPHRASE);
    let case_id: String = conn
        .query_row("SELECT case_id FROM case_meta WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut prev = hex::encode(Sha256::digest(format!("handover-audit-v1:{case_id}")));
    let rows: Vec<(i64, String, String, String, String)> = conn
        .prepare("SELECT seq, at, actor, action, detail FROM audit_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (seq, at, actor, action, detail) in rows {
        let hash = hex::encode(Sha256::digest(
            serde_json::json!([seq, at, actor, action, detail, prev]).to_string(),
        ));
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .unwrap();
        conn.execute(
            "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1",
            rusqlite::params![seq, hash],
        )
        .unwrap();
        prev = hash;
    }
    drop(conn);

    // From inside the file the rewrite cannot be seen; against the paper it can: the entry the summary
    // names no longer has the hash printed on it.
    let (_, now) = cli_json(&["status"], &case);
    assert_eq!(now["audit"]["verified"], true, "{now}");
    let after = audit_hashes(&case);
    assert_eq!(after.len(), before.len());
    let (_, hash_now) = after
        .iter()
        .find(|(seq, _)| *seq == entries_on_paper)
        .unwrap();
    assert_ne!(hash_now, &head_on_paper);
}

#[test]
fn escape_sequences_in_a_file_are_printed_escaped_never_raw() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let no_raw_controls = |out: &Output| {
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text
                    .chars()
                    .any(|c| (c.is_control() && c != '\n' && c != '\r') || c == '\u{202E}'),
                "raw control character in: {text:?}"
            );
        }
    };
    let import = |csv: &Path| {
        handover_tests::handover_command()
            .args(["import", "--case"])
            .arg(&case)
            .arg(csv)
            .output()
            .unwrap()
    };

    // Terminal escapes in the content make it "not a table"; the refusal names the file, escaped.
    let escapes = dir.path().join("members\u{1b}[2J.csv");
    std::fs::write(
        &escapes,
        "姓名,手机号\u{1b}]0;pwned\u{7}\n张三,13800138000\u{1b}[31m\n",
    )
    .unwrap();
    let out = import(&escapes);
    assert_eq!(out.status.code(), Some(2));
    no_raw_controls(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("members\\u001b[2J.csv"));

    // A right-to-left override in a header and a cell is imported, and printed escaped.
    let rtl = dir.path().join("rtl.csv");
    std::fs::write(
        &rtl,
        "姓名,手机号\u{202E},备注\n张三,13800138000,红\u{202E}字\n李四,bad\u{202E}phone,x\n",
    )
    .unwrap();
    let out = import(&rtl);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    no_raw_controls(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\\u202e"));
    let status = handover_tests::handover_command()
        .args(["status", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    no_raw_controls(&status);
}

#[test]
fn a_passphrase_with_quotes_keys_the_file_exactly_as_before() {
    // The key statement is now built by the store itself (so it can be wiped); a passphrase with quotes
    // must still give the same key as SQLite's own quoting did, or older files would no longer open.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("引号.handover");
    let passphrase = "店主's \"秘密\" 口令 '' 2026";
    Case::create(
        &path,
        passphrase,
        handover_tests::sample_details(),
        &handover_core::store::Actor("test".into()),
    )
    .unwrap()
    .close()
    .unwrap();
    let raw = handover_tests::raw_connection(&path, passphrase);
    let n: i64 = raw
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    drop(raw);
    assert!(Case::open(&path, passphrase).is_ok());
    assert!(matches!(
        Case::open(&path, "店主's"),
        Err(handover_core::Error::WrongPassphrase(_))
    ));
}

/// A small file system of its own (tmpfs), unmounted when dropped. Mounting needs root (the development
/// machines and CI run as root); where it cannot mount, the test says so on stderr and checks nothing.
struct SmallDisk(PathBuf);
impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        if std::env::var_os("HANDOVER_SKIP_MOUNT_TESTS").is_some() {
            return None;
        }
        let at = dir.join("small-disk");
        std::fs::create_dir(&at).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .status()
            .unwrap();
        if !status.success() {
            eprintln!(
                "SKIPPED: cannot mount a tmpfs here (needs root); the full-disk test did not run"
            );
            return None;
        }
        Some(SmallDisk(at))
    }
}
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_named_leaves_the_case_as_it_was_and_its_settings_restored() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(dir.path(), "3m") else {
        return;
    };
    let case_path = disk.0.join("王记.handover");
    handover_tests::new_shop_case(&case_path);
    let big = dir.path().join("members.csv");
    handover_testkit::generate::shop_csv(&big, 60_000, 5).unwrap();
    let small = dir.path().join("few.csv");
    std::fs::write(&small, "姓名,手机号\n张三,13800138000\n李四,13900139000\n").unwrap();

    // Through the CLI: a plain message and exit 2, not "cannot rollback" and exit 3.
    let out = handover_tests::handover_command()
        .args(["import", "--json", "--case"])
        .arg(&case_path)
        .arg(&big)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(2), "{v}");
    let text = v.to_string();
    assert!(text.contains("disk_full"), "{text}");
    assert!(text.contains("磁盘空间不足"), "{text}");
    assert!(!text.contains("cannot rollback"), "{text}");

    // In one long-lived process, as the app is: the failed import leaves foreign keys on and the
    // connection usable, and the case unchanged.
    let mut case = Case::open(&case_path, PASSPHRASE).unwrap();
    let records_before = case.overview().unwrap().records;
    let actor = handover_core::store::Actor("test".into());
    let request = |p: &Path| handover_core::records::import_file::ImportRequest {
        path: p.display().to_string(),
        choices: Default::default(),
        fields: None,
        allow_duplicate: true,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let err = handover_core::records::import_file::run(
        &mut case,
        &request(&big),
        &actor,
        handover_core::Lang::default(),
        &cancel,
        &mut |_| {},
        false,
    )
    .unwrap_err();
    assert_eq!(err.code(), handover_core::ErrorCode::DiskFull, "{err:?}");
    assert!(!case.import_pending());
    let fk: i64 = case
        .read(|c| Ok(c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys left off after the failed import");
    assert_eq!(case.overview().unwrap().records, records_before);
    // The case still takes a change that fits.
    handover_core::records::import_file::run(
        &mut case,
        &request(&small),
        &actor,
        handover_core::Lang::default(),
        &cancel,
        &mut |_| {},
        false,
    )
    .unwrap();
    assert_eq!(case.overview().unwrap().records, records_before + 2);
    assert!(case.verify_audit().unwrap().ok);
    case.close().unwrap();
    drop(disk);
}
