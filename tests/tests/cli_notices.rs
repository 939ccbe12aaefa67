//! `handover notices` and `handover replies` as a real process on real case files: the notices a list sale
//! needs, their files with SHA-256, formula-safe platform files with hostile names, and a reply file that
//! changes outcomes in `handover plan`, with audit entries.
//! The binary must be built first (`cargo build -p handover-cli`).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use handover_core::output::is_formula_safe;
use handover_tests::PASSPHRASE;
use serde_json::Value;

fn handover() -> Command {
    let mut cmd = Command::from_std(handover_tests::handover_command());
    cmd.env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .env("HANDOVER_LANG", "zh-CN");
    cmd
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn run_json(args: &[&str], case: &Path) -> Value {
    let out = handover()
        .args(args)
        .arg("--case")
        .arg(case)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&out.stdout)
}

/// A shop selling only its customer list (PIPL Art. 23), with members whose names try formula injection.
fn list_sale_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    handover_tests::new_shop_case_sold(&case, "sale-list");
    let members = dir.join("会员.csv");
    std::fs::write(
        &members,
        "会员卡号,姓名,手机号,储值余额\n\
         VIP001,张伟,13812345678,100.00\n\
         VIP002,李娜,13912345678,\n\
         VIP003,\"=cmd|' /C calc'!A0\",13612345678,20.50\n\
         VIP004,@SUM(1+1),13712345678,\n\
         VIP005,赵六,13512345678,\n\
         VIP006,孙七,,\n",
    )
    .unwrap();
    handover()
        .args(["import", "--case"])
        .arg(&case)
        .arg(&members)
        .assert()
        .success();
    case
}

/// Outcome per source row from `plan --json --details`.
fn outcomes(case: &Path) -> Vec<(u64, String)> {
    let v = run_json(&["plan", "--details"], case);
    let mut out: Vec<(u64, String)> = v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn outcome_of(o: &[(u64, String)], row: u64) -> &str {
    &o.iter().find(|(r, _)| *r == row).unwrap().1
}

#[test]
fn notices_files_are_listed_with_their_sha256_and_every_csv_cell_is_formula_safe() {
    let dir = tempfile::tempdir().unwrap();
    let case = list_sale_case(dir.path());
    // Without a plan there is nothing to choose the customers from.
    let out = handover()
        .args(["notices", "--json", "--case"])
        .arg(&case)
        .arg("--out")
        .arg(dir.path().join("early"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json_of(&out.stdout)["error"]["code"], "notices_need_plan");

    run_json(&["plan"], &case);
    let out_dir = dir.path().join("通知");
    let v = run_json(&["notices", "--out", out_dir.to_str().unwrap()], &case);
    let notices: Vec<&str> = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["notice"].as_str().unwrap())
        .collect();
    assert_eq!(notices, ["art23", "creditor-sale"]);
    let art23 = &v["notices"][0];
    assert_eq!(art23["customers"], 6);
    assert_eq!(art23["with_phone"], 5, "孙七 left no mobile number");
    let creditor = &v["notices"][1];
    assert_eq!(creditor["customers"], 2, "two members have a balance");
    let files = v["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        11,
        "4 forms × 2 notices, 2 posters as PDF, the letters PDF of art23 (孙七 has no mobile; both members \
         with a balance have one)"
    );
    assert_eq!(v["skipped"], serde_json::json!([]));
    for f in files {
        let path = Path::new(f["path"].as_str().unwrap());
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(f["bytes"].as_u64().unwrap(), bytes.len() as u64);
        assert_eq!(f["sha256"].as_str().unwrap(), sha256_hex(&bytes));
        let text = if path.extension().is_some_and(|e| e == "pdf") {
            assert!(bytes.starts_with(b"%PDF"));
            handover_tests::pdf_text(path)
        } else {
            String::from_utf8(bytes).unwrap()
        };
        // No full phone number of a customer in anything but the platform file.
        if f["form"] != "csv" {
            for phone in ["13812345678", "13912345678", "13612345678"] {
                assert!(!text.contains(phone), "{} has {phone}", path.display());
            }
        }
        // The poster names nobody.
        if f["form"] == "poster" {
            assert!(!text.contains("张伟") && !text.contains("张*"));
        }
        if f["form"] == "csv" {
            assert!(text.starts_with('\u{feff}'));
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let mut rows = 0;
            for record in reader.records() {
                let record = record.unwrap();
                for cell in record.iter() {
                    assert!(is_formula_safe(cell), "unsafe cell {cell:?}");
                }
                rows += 1;
                // The SMS text carries the signature and fits its declared parts.
                let sms = &record[2];
                assert!(sms.starts_with("【王记便利店】"), "{sms}");
                let units: u32 = record[3].parse().unwrap();
                assert_eq!(units as usize, sms.encode_utf16().count());
            }
            assert_eq!(rows, f["customers"].as_u64().unwrap());
        }
    }
    let csv = std::fs::read_to_string(out_dir.join("art23-sms.csv")).unwrap();
    assert!(
        csv.contains("13612345678"),
        "the platform needs the real number"
    );
    assert!(!csv.contains("张伟"), "names are masked: {csv}");
    assert!(csv.contains("张*"), "{csv}");
    let creditor_csv = std::fs::read_to_string(out_dir.join("creditor-sale-sms.csv")).unwrap();
    assert!(creditor_csv.contains("100.00元"), "{creditor_csv}");
    // The letters PDF: one letter, to the member without a mobile number, addressed by a masked name.
    let letters_pdf = files
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("art23-letters.pdf"))
        .expect("art23-letters.pdf");
    assert_eq!(letters_pdf["customers"], 1);
    let text = handover_tests::pdf_text(&out_dir.join("art23-letters.pdf"));
    assert!(text.contains("孙*") && !text.contains("孙七"), "{text}");
    assert!(text.contains("第 1 页，共 1 页"), "{text}");
    assert!(!out_dir.join("creditor-sale-letters.pdf").exists());
    let poster = handover_tests::pdf_text(&out_dir.join("art23-poster.pdf"));
    assert!(poster.contains("王记便利店"), "{poster}");
    let letters = std::fs::read_to_string(out_dir.join("art23-letters.jsonl")).unwrap();
    assert_eq!(letters.lines().count(), 6);
    let first: Value = serde_json::from_str(letters.lines().next().unwrap()).unwrap();
    assert_eq!(first["notice"], "art23");
    assert_eq!(first["mask_style"], "standard");
    assert!(first["paragraphs"].as_array().unwrap().len() > 3);
    // Audited with the template's hash and every file's hash.
    let audit = run_json(&["audit"], &case);
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "notices.generate")
        .expect("notices.generate entry");
    let detail = entry["detail"].as_str().unwrap();
    assert!(detail.contains(v["template_sha256"].as_str().unwrap()));
    assert!(detail.contains(files[0]["sha256"].as_str().unwrap()));
}

fn sha256_hex(bytes: &[u8]) -> String {
    // The CLI's figure, checked against the system's sha256sum.
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), bytes).unwrap();
    let out = std::process::Command::new("sha256sum")
        .arg(tmp.path())
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn a_reply_file_changes_outcomes_in_the_plan_with_audit_entries() {
    let dir = tempfile::tempdir().unwrap();
    let case = list_sale_case(dir.path());
    run_json(&["plan"], &case);
    let before = outcomes(&case);
    for row in 2..=6 {
        assert_eq!(outcome_of(&before, row), "blocked", "{before:?}");
    }
    // The SMS platform's result file and the owner's reply sheet, as an owner would fill it: phones written
    // any way, Chinese words, an unknown customer and an unreadable status.
    let replies = dir.path().join("回复.csv");
    std::fs::write(
        &replies,
        "手机号码,回复内容\n\
         138 1234 5678,同意\n\
         +86 139-1234-5678,反对\n\
         13512345678,不同意\n\
         13012345678,同意\n\
         13712345678,稍后再说\n",
    )
    .unwrap();
    let v = run_json(&["replies", replies.to_str().unwrap()], &case);
    let c = &v["file"]["counts"];
    assert_eq!(c["rows"], 5);
    assert_eq!(c["consented"], 1);
    assert_eq!(c["objected"], 1);
    assert_eq!(c["refused"], 1);
    assert_eq!(c["changed"], 3);
    assert_eq!(c["unknown_customer"], 1);
    assert_eq!(c["unknown_status"], 1);
    assert_eq!(v["file"]["skipped_rows"], serde_json::json!([5, 6]));

    let after = outcomes(&case);
    assert_eq!(outcome_of(&after, 2), "transfer", "consented: {after:?}");
    for row in [3, 6] {
        let o = outcome_of(&after, row);
        assert!(
            o != "blocked" && o != "transfer",
            "objected/refused row {row}: {o}"
        );
    }
    assert_eq!(outcome_of(&after, 4), "blocked", "no answer: still waiting");
    assert_eq!(
        outcome_of(&after, 5),
        "blocked",
        "unreadable answer: still waiting"
    );

    // By hand: the hostile-named member consents.
    let v = run_json(&["replies", "--set", "13612345678=consented"], &case);
    assert_eq!(v["set"]["changed"], 1);
    let after = outcomes(&case);
    assert_eq!(outcome_of(&after, 4), "transfer");

    let audit = run_json(&["audit"], &case);
    let entries = audit["entries"].as_array().unwrap();
    let import: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "notices.replies.import")
        .collect();
    assert_eq!(import.len(), 1);
    let detail: Value = serde_json::from_str(import[0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["counts"]["changed"], 3);
    assert_eq!(detail["file"], "回复.csv");
    assert!(entries.iter().any(|e| e["action"] == "notices.reply"));
    // No phone number in the audit log.
    assert!(!audit.to_string().contains("13812345678"));
    handover()
        .args(["audit", "--verify", "--case"])
        .arg(&case)
        .assert()
        .success();
    // The same file again changes nothing.
    let v = run_json(&["replies", replies.to_str().unwrap()], &case);
    assert_eq!(v["file"]["counts"]["changed"], 0);
    assert_eq!(v["file"]["counts"]["unchanged"], 3);
}

#[test]
fn a_reply_file_without_the_columns_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let case = list_sale_case(dir.path());
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n").unwrap();
    let out = handover()
        .args(["replies", "--json", "--case"])
        .arg(&case)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        json_of(&out.stdout)["error"]["code"],
        "reply_columns_missing"
    );
}
