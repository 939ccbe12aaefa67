//! An import lands whole or not at all: killing the CLI with SIGKILL in the middle of a 1,000,000-row import
//! leaves a case that opens, passes its checks, and holds none of that import's rows. The import is killed
//! with the customer linker's keys past its budget (shrunk for the test), so its scratch file is left behind
//! too, and the next import removes it (one that needs no scratch file: the left one can be large).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use handover_core::store::Case;
use handover_tests::PASSPHRASE;

fn handover() -> Command {
    let mut c = handover_tests::handover_command();
    c.env("HANDOVER_LANG", "en");
    c
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn sigkill_during_a_million_row_import_leaves_the_case_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    handover_testkit::generate::shop_csv(&csv, 1_000_000, 7).unwrap();
    let case = dir.path().join("kill.handover");
    handover_tests::new_shop_case(&case);

    let mut child = handover()
        // Debug builds only: the linker holds 50,000 keys in memory, the rest go to its scratch file.
        .env("HANDOVER_TEST_LINKER_KEYS", "50000")
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until rows are being written into the files. The import writes through a rollback journal: once
    // its pages overflow the cache they go straight into the case file, which grows, while the journal
    // beside it holds what is needed to undo them. (Had the import stayed in write-ahead-log mode, the log
    // would grow instead.)
    let wal = dir.path().join("kill.handover-wal");
    let journal = dir.path().join("kill.handover-journal");
    let linker_keys = dir.path().join(".kill.handover.linker");
    let initial = size(&case);
    let started = Instant::now();
    while (size(&wal) < 4 << 20 && size(&case) < initial + (4 << 20)) || !linker_keys.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import finished before it could be killed; make the file bigger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        size(&wal) >= 4 << 20 || journal.exists(),
        "killed with half an import in the case file and no journal to undo it"
    );

    assert!(linker_keys.exists(), "the linker's scratch file is left");

    let opened = Case::open(&case, PASSPHRASE).expect("the case opens after the kill");
    let o = opened.overview().unwrap();
    assert_eq!((o.sources, o.customers, o.records), (0, 0, 0));
    assert!(opened.verify_audit().unwrap().ok);
    assert_eq!(o.audit_entries, 1, "only the case's creation is in the log");
    opened.close().unwrap();

    // And the same file imports cleanly afterwards (no half-written state in the way).
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let imported = v["sources"][0]["rows_imported"].as_u64().unwrap();
    let rejected = v["sources"][0]["rows_rejected"].as_u64().unwrap();
    assert_eq!(imported + rejected, 1_000_000);
    assert!(
        !linker_keys.exists(),
        "the import removed the scratch file the killed one left"
    );
    let listed: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        listed.iter().all(|n| !n.contains("linker")),
        "left beside the case: {listed:?}"
    );
}
