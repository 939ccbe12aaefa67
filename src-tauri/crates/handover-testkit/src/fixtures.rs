//! Helpers the integration tests share: the test passphrase, sample case details, raw access to a case
//! file, the `handover` CLI as a process, and small input files.

use std::path::Path;

use handover_core::case::{BusinessKind, CaseDetails, Recipient, Seller, TransferReason};

/// A passphrase strong enough for the app's check.
pub const PASSPHRASE: &str = "Correct-Horse-Battery-9";

pub fn sample_details() -> CaseDetails {
    CaseDetails {
        kind: BusinessKind::CourierStation,
        reason: TransferReason::SaleWhole,
        seller: Seller {
            name: "张记驿站".into(),
            contact: "13800001111".into(),
            responsible_person: "张三".into(),
        },
        recipient: Some(Recipient {
            name: "李四便民服务部".into(),
            contact: "13900002222".into(),
        }),
        handover_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
        notes: "随店转让".into(),
    }
}

/// Opens a case file the way a person with a raw SQL tool and the right key would: no app checks.
pub fn raw_connection(path: &Path, passphrase: &str) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "key", passphrase).unwrap();
    // Case files have 16 KiB pages authenticated with HMAC-SHA256 (`CipherFormat::NEW` in the core's store).
    conn.pragma_update(None, "cipher_page_size", 16_384)
        .unwrap();
    conn.pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA256")
        .unwrap();
    conn
}

/// The `handover` CLI built beside the running test (target/<profile>/handover), with the test passphrase and
/// Chinese messages. `cargo build --workspace` builds it before the tests run.
pub fn handover_command() -> std::process::Command {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join(format!("handover{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build --workspace` first",
        bin.display()
    );
    let mut c = std::process::Command::new(bin);
    c.env("HANDOVER_PASSPHRASE", PASSPHRASE)
        .env("HANDOVER_LANG", "zh-CN");
    c
}

/// Creates a shop case (seller 王记便利店, whole business sold) at `path` with the CLI.
pub fn new_shop_case(path: &Path) {
    let out = handover_command()
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "王记便利店",
            "--case",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Creates a shop case sold to a named recipient at `path` with the CLI: seller 王记便利店 (contact
/// 13800001111, responsible person 王五), recipient 李四便民服务部 (13900002222), handover on 2026-12-31, for
/// `reason` (`sale-whole`, `sale-list`, …). The documents and notices tests start from it.
pub fn new_shop_case_sold(path: &Path, reason: &str) {
    let out = handover_command()
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            reason,
            "--seller",
            "王记便利店",
            "--seller-contact",
            "13800001111",
            "--responsible",
            "王五",
            "--buyer",
            "李四便民服务部",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
            "--case",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A small member list for the classification tests (`cli_classification`, the review screen's e2e): an
/// adult with an ID number and a balance, a second card of the same person (same mobile), a customer whose
/// notes hold another phone number and an address, and a child under 14. Written as UTF-8 `会员.csv`.
pub fn members_with_minor_csv(dir: &Path) -> std::path::PathBuf {
    use crate::values::id_card;
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let adult = id_card::compose("110101", date(1980, 5, 17), 123);
    let child = id_card::compose("310104", date(2016, 3, 1), 45);
    assert!(
        handover_core::detect::id_card::is_valid(&adult)
            && handover_core::detect::id_card::is_valid(&child)
    );
    let csv = dir.join("会员.csv");
    std::fs::write(
        &csv,
        format!(
            "姓名,手机号,身份证号,储值余额,备注\n\
             张伟,13812345678,{adult},100.00,喜欢安静\n\
             李娜,13912345678,,,电话13700001111 送货到北京市朝阳区建国路88号\n\
             王小明,13612345678,{child},20,\n\
             张伟,138-1234-5678,,50,第二张卡\n"
        ),
    )
    .unwrap();
    csv
}

/// Runs the command (stdin closed, output captured), killing it (and failing) if it has not ended within
/// `limit`: a regression fails, it does not hang the test run.
pub fn run_within(
    mut cmd: std::process::Command,
    limit: std::time::Duration,
) -> std::process::Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
