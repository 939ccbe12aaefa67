//! The `handover` command-line interface, run as a real process on real case files.
//! The binary must be built first (`cargo build --workspace`; the Makefile does it).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use handover_tests::{raw_connection, PASSPHRASE};
use predicates::prelude::*;
use serde_json::Value;

fn handover() -> Command {
    // The testkit's CLI, without its passphrase and language: these tests set or leave out each one.
    let mut cmd = Command::from_std(handover_tests::handover_command());
    cmd.env_remove("HANDOVER_PASSPHRASE")
        .env_remove("HANDOVER_LANG")
        .env("LANG", "C.UTF-8");
    cmd
}

fn new_case(dir: &Path) -> PathBuf {
    let path = dir.join("张记驿站.handover");
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["new", "--case"])
        .arg(&path)
        .args([
            "--kind",
            "courier-station",
            "--reason",
            "sale-whole",
            "--seller",
            "张记驿站",
            "--seller-contact",
            "13800001111",
            "--responsible",
            "张三",
            "--buyer",
            "李四便民服务部",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
        ])
        .assert()
        .success();
    path
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

#[test]
fn new_then_status_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    let out = handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["status", "--json", "--case"])
        .arg(&path)
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["details"]["kind"], "courier-station");
    assert_eq!(v["details"]["reason"], "sale-whole");
    assert_eq!(v["details"]["seller"]["name"], "张记驿站");
    assert_eq!(v["details"]["recipient"]["contact"], "13900002222");
    assert_eq!(v["details"]["handover_date"], "2026-12-31");
    assert_eq!(v["schema_version"], handover_core::store::latest_version());
    assert_eq!(
        (
            v["customers"].as_u64(),
            v["records"].as_u64(),
            v["sources"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(v["audit_entries"], 1);
    assert_eq!(v["open_items"], serde_json::json!([]));
}

#[test]
fn human_status_is_chinese_by_default_and_english_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["status", "--case"])
        .arg(&path)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("转让方: 张记驿站").and(predicate::str::contains("快递驿站")),
        );
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["--lang", "en", "status", "--case"])
        .arg(&path)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Seller: 张记驿站")
                .and(predicate::str::contains("Courier pickup station")),
        );
}

#[test]
fn wrong_passphrase_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    handover()
        .env("HANDOVER_PASSPHRASE", "Wrong-Horse-Battery-9")
        .args(["status", "--case"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("密码不正确"));
    let out = handover()
        .env("HANDOVER_PASSPHRASE", "Wrong-Horse-Battery-9")
        .args(["status", "--json", "--case"])
        .arg(&path)
        .assert()
        .code(2);
    assert_eq!(
        json_of(&out.get_output().stdout)["error"]["code"],
        "wrong_passphrase"
    );
}

#[test]
fn no_passphrase_and_no_terminal_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    handover()
        .args(["status", "--case"])
        .arg(&path)
        .write_stdin("")
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(predicate::str::contains("HANDOVER_PASSPHRASE"));
}

#[test]
fn weak_passphrase_and_missing_buyer_contact_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.handover");
    handover()
        .env("HANDOVER_PASSPHRASE", "12345678")
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "王记",
            "--case",
        ])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("密码太容易被猜到"));
    assert!(!path.exists());
    // PIPL Art. 22: a recipient's name without its contact is refused by the argument parser.
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args([
            "new", "--kind", "shop", "--reason", "merger", "--seller", "王记", "--buyer", "赵六",
            "--case",
        ])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--buyer-contact"));
    assert!(!path.exists());
}

#[test]
fn audit_verify_passes_then_names_the_first_broken_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["audit", "--verify", "--case"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("审计日志完整"));
    let conn = raw_connection(&path, PASSPHRASE);
    conn.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1;").unwrap();
    drop(conn);
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["audit", "--verify", "--case"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("第 1 条").and(predicate::str::contains("case.create")));
    let out = handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["audit", "--verify", "--json", "--case"])
        .arg(&path)
        .assert()
        .code(1);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_problem"]["seq"], 1);
    assert_eq!(v["first_problem"]["kind"], "altered");
}

#[test]
fn not_a_case_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("客户.csv");
    std::fs::write(&path, "姓名,手机号\n张三,13800001111\n").unwrap();
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["--lang", "en", "status", "--case"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a Handover case file"));
}

/// `handover plan --json --details` as JSON.
fn plan_details(case: &Path) -> Value {
    let out = handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["plan", "--json", "--details", "--case"])
        .arg(case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn override_cmd(case: &Path, args: &[&str]) -> (i32, Value) {
    let out = handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["override", "--json", "--case"])
        .arg(case)
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), v)
}

#[test]
fn override_changes_one_outcome_with_a_reason_and_withdrawing_restores_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = dir.path().join("会员.csv");
    std::fs::write(
        &csv,
        "姓名,手机号,储值余额\n张三,13812345678,10.00\n李四,13912345678,0\n",
    )
    .unwrap();
    handover()
        .env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .args(["import", "--case"])
        .arg(&case)
        .arg(&csv)
        .assert()
        .success();
    let before = plan_details(&case);
    let record = |plan: &Value, row: u64| -> Value {
        plan["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["row"] == row)
            .unwrap()
            .clone()
    };
    let li_si = record(&before, 3);
    let zhang_san = record(&before, 2);
    assert_eq!(li_si["outcome"], "transfer");
    assert_eq!(zhang_san["outcome"], "blocked");
    let li_si_id = li_si["record"].as_i64().unwrap().to_string();
    let zhang_san_id = zhang_san["record"].as_i64().unwrap().to_string();

    // A reason is required; lifting a block needs the acknowledgement.
    let (code, v) = override_cmd(
        &case,
        &[
            "--record",
            &li_si_id,
            "--outcome",
            "delete",
            "--reason",
            " ",
        ],
    );
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (2, Some("override_reason_missing"))
    );
    let (code, v) = override_cmd(
        &case,
        &[
            "--record",
            &zhang_san_id,
            "--outcome",
            "delete",
            "--reason",
            "已退款",
        ],
    );
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (2, Some("override_needs_acknowledgement"))
    );
    let (code, v) = override_cmd(
        &case,
        &["--record", "999", "--outcome", "keep", "--reason", "r"],
    );
    assert_eq!(
        (code, v["error"]["code"].as_str()),
        (2, Some("unknown_record"))
    );

    let (code, v) = override_cmd(
        &case,
        &[
            "--record",
            &li_si_id,
            "--outcome",
            "delete",
            "--reason",
            "客户当面要求删除",
        ],
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["override"]["outcome"], "delete");
    assert_eq!(
        v["override"]["rule_outcomes"],
        serde_json::json!(["transfer"])
    );
    let id = v["override"]["id"].as_i64().unwrap().to_string();
    let after = plan_details(&case);
    assert_eq!(record(&after, 3)["outcome"], "delete");
    assert!(record(&after, 3)["rules"]
        .as_array()
        .unwrap()
        .contains(&Value::from("override")));
    assert_eq!(after["overrides"], 1);
    // The other customer is untouched.
    assert_eq!(record(&after, 2)["outcome"], "blocked");

    let (code, v) = override_cmd(&case, &["--withdraw", &id, "--reason", "弄错了"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["withdrawn"].as_i64().unwrap().to_string(), id);
    assert_eq!(record(&plan_details(&case), 3)["outcome"], "transfer");

    // Both are in the audit log with the owner's reasons.
    let log = raw_connection(&case, PASSPHRASE);
    let actions: Vec<String> = log
        .prepare("SELECT action FROM audit_log WHERE action LIKE 'rules.override%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(actions, ["rules.override", "rules.override.withdraw"]);
}
