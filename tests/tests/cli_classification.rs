//! `handover status --json` after an import: the personal-information counts, categories, sensitive
//! customers, minors and free-text findings, exactly, for a small hand-written shop list.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn handover() -> std::process::Command {
    handover_tests::handover_command()
}

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    let out = handover()
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "王记便利店",
            "--buyer",
            "李四",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    case
}

fn run_json(args: &[&str], case: &Path) -> Value {
    let out = handover().args(args).arg(case).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn status_json_counts_personal_information_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let csv = handover_tests::members_with_minor_csv(dir.path());
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let v = run_json(&["status", "--json", "--case"], &case);
    assert_eq!(v["customers"], 3, "{v:#}");
    assert_eq!(v["records"], 4);
    // Cells per kind: valid values in mapped columns plus finds inside notes.
    assert_eq!(v["pii"]["name"], 4, "{v:#}");
    assert_eq!(v["pii"]["mobile"], 5, "4 in the column, 1 in a note: {v:#}");
    assert_eq!(v["pii_detail"]["mobile"]["column_cells"], 4);
    assert_eq!(v["pii_detail"]["mobile"]["text_findings"], 1);
    assert_eq!(v["pii"]["id_card"], 2);
    assert_eq!(v["pii"]["prepaid_balance"], 3);
    assert_eq!(v["pii_detail"]["address"]["text_findings"], 1, "{v:#}");
    assert!(v["pii"].get("bank_card").is_none(), "{v:#}");
    assert_eq!(v["free_text_findings"], 2);
    assert_eq!(v["records_with_free_text_findings"], 1);
    // Customers: 张伟 (ID number and balance), 李娜 (phone, address in notes), 王小明 (ID number, under 14).
    assert_eq!(v["categories"]["basic"], 3);
    assert_eq!(
        v["categories"]["transaction"], 2,
        "balances of 张伟 and 王小明: {v:#}"
    );
    assert_eq!(
        v["categories"]["preference"], 2,
        "notes of 张伟 and 李娜: {v:#}"
    );
    assert_eq!(v["sensitive_customers"], 2);
    assert_eq!(v["sensitivity"]["sensitive"], 2);
    assert_eq!(v["sensitivity"]["general"], 1);
    assert_eq!(v["minors"], 1);
    assert_eq!(v["minors_counted_on"], "2026-12-31");
    assert_eq!(v["mask_style"], "standard");
}

#[test]
fn a_case_without_imports_reports_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let v = run_json(&["status", "--json", "--case"], &case);
    assert_eq!(v["customers"], 0);
    assert_eq!(v["pii"], serde_json::json!({}));
    assert_eq!(v["sensitive_customers"], 0);
    assert_eq!(v["minors"], 0);
    assert_eq!(v["free_text_findings"], 0);
}
