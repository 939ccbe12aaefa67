//! A kill at any moment leaves the case consistent (issue 18): the CLI is killed with SIGKILL at random
//! moments during imports, plans and recorded answers, and after every kill the case must open, its audit
//! chain verify, and every change be either wholly there (with its audit entry) or wholly absent.
//!
//! `make test` runs 50 kills. The long run (200 or more, on an optimised build):
//! `HANDOVER_KILLS=200 cargo test --release -p handover-tests --test kill -- --nocapture`
//! (`HANDOVER_KILL_SEED=n` repeats a run; the seed is printed).

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use handover_core::store::Case;
use handover_tests::PASSPHRASE;
use sha2::Digest;

/// A small deterministic generator (xorshift64*), so a failing run can be repeated from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Import,
    Plan,
    Set,
    Override,
    Export,
    Destroy,
}

fn command(op: Op, case: &Path, csv: &Path, rng: &mut Rng) -> Command {
    let mut c = handover_tests::handover_command();
    c.env("HANDOVER_LANG", "en")
        .env("HANDOVER_PACKAGE_PASSPHRASE", "kill test package words");
    match op {
        Op::Import => {
            c.args(["import", "--allow-duplicate", "--case"])
                .arg(case)
                .arg(csv);
        }
        Op::Plan => {
            c.args(["plan", "--case"]).arg(case);
        }
        Op::Set => {
            let customer = 1 + rng.below(500);
            let answer = ["--consent", "--objection", "--guardian-consent"][rng.below(3) as usize];
            let yes_no = ["yes", "no"][rng.below(2) as usize];
            c.args(["set", "--case"]).arg(case).args([
                "--customer",
                &customer.to_string(),
                answer,
                yes_no,
            ]);
        }
        Op::Override => {
            let record = 1 + rng.below(3_000);
            let outcome = ["keep", "delete", "transfer"][rng.below(3) as usize];
            c.args(["override", "--case"]).arg(case).args([
                "--record",
                &record.to_string(),
                "--outcome",
                outcome,
                "--reason",
                "kill test",
                "--acknowledge",
            ]);
        }
        Op::Export => {
            // A new name each time: a package never overwrites another.
            let out = packages_dir(case).join(format!("p{}.hopkg", rng.next()));
            c.args(["export", "--case"]).arg(case).arg("--out").arg(out);
        }
        Op::Destroy => {
            c.args(["destroy", "--confirm", "--case"]).arg(case);
        }
    }
    c.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn packages_dir(case: &Path) -> std::path::PathBuf {
    case.parent().unwrap().join("packages")
}

/// Runs `op` to its end and returns how long it took (the window the kills are spread over).
fn timed(op: Op, case: &Path, csv: &Path, rng: &mut Rng) -> Duration {
    let started = Instant::now();
    let status = command(op, case, csv, rng).status().unwrap();
    assert!(status.success(), "{op:?} failed without a kill: {status}");
    started.elapsed()
}

/// Everything that must hold after any kill.
fn check_consistent(case_path: &Path, context: &str) {
    let case = Case::open(case_path, PASSPHRASE)
        .unwrap_or_else(|e| panic!("{context}: the case does not open: {e:?}"));
    let report = case.verify_audit().unwrap();
    assert!(report.ok, "{context}: audit chain broken: {report:?}");
    let entries = case.audit_entries().unwrap();
    let stamps = |action: &str| -> HashSet<String> {
        entries
            .iter()
            .filter(|e| e.action == action)
            .map(|e| e.at.clone())
            .collect()
    };
    let imports = stamps("import");
    let plans: Vec<&handover_core::audit::AuditEntry> = entries
        .iter()
        .filter(|e| e.action == "rules.plan")
        .collect();
    let statuses = stamps("rules.customer_status");
    case.read(|c| {
        let fk: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        assert_eq!(fk, 0, "{context}: rows point at rows that are not there");

        // Every imported source is whole (flagged rows are among the imported ones) and has its audit entry,
        // stamped with the same moment.
        let mut sources = c.prepare(
            "SELECT s.id, s.created_at, s.rows_imported,
                    (SELECT count(*) FROM records r WHERE r.source_id = s.id)
             FROM sources s",
        )?;
        let rows: Vec<(i64, String, i64, i64)> = sources
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(rows.len(), imports.len(), "{context}: sources vs import entries");
        // Destruction removes whole records in the transaction of its `destruction.carry_out` entry, so
        // every source is whole up to what those entries counted.
        let destroyed: i64 = entries
            .iter()
            .filter(|e| e.action == "destruction.carry_out")
            .map(|e| {
                let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
                d["records"].as_i64().unwrap() + d["transferred_copies"].as_i64().unwrap()
            })
            .sum();
        let mut missing = 0;
        for (id, at, counted, records) in rows {
            assert!(imports.contains(&at), "{context}: source {id} has no audit entry");
            assert!(records <= counted, "{context}: source {id} has rows it never imported");
            missing += counted - records;
        }
        assert_eq!(missing, destroyed, "{context}: records gone without a destruction entry");
        let orphans: i64 = c.query_row(
            "SELECT count(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM records WHERE customer_id IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(orphans, 0, "{context}: customers without records");

        // The plan is replaced whole: its row count and time are those of the last plan entry.
        let meta: Option<String> = c
            .query_row("SELECT computed_at FROM plan_meta WHERE id = 1", [], |r| r.get(0))
            .ok();
        let plan_rows: i64 = c.query_row("SELECT count(*) FROM plan", [], |r| r.get(0))?;
        match (meta, plans.last()) {
            (None, None) => assert_eq!(plan_rows, 0, "{context}: plan rows without a plan"),
            (Some(at), Some(last)) => {
                assert_eq!(at, last.at, "{context}: plan time vs its audit entry");
                let detail: serde_json::Value = serde_json::from_str(&last.detail).unwrap();
                // A recorded answer re-decides that customer's records, also those imported since the
                // plan, so the plan may have grown since — but never shrunk below what was computed.
                let records: i64 = c.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
                let computed = detail["records"].as_i64().unwrap();
                // A destruction since removes the plan lines of the records it deleted, with them.
                let destroyed_since: i64 = entries
                    .iter()
                    .filter(|e| e.seq > last.seq && e.action == "destruction.carry_out")
                    .map(|e| {
                        let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
                        d["records"].as_i64().unwrap() + d["transferred_copies"].as_i64().unwrap()
                    })
                    .sum();
                assert!(
                    computed <= plan_rows + destroyed_since && plan_rows <= records,
                    "{context}: half a plan ({plan_rows} rows; {computed} computed, {destroyed_since} destroyed since, {records} records)"
                );
                // The totals are sums of whole rows: every positive balance is a valid decimal.
                let bad: i64 = c.query_row(
                    "SELECT count(*) FROM plan WHERE balance IS NOT NULL AND (balance = '' OR balance GLOB '*[^0-9.]*')",
                    [],
                    |r| r.get(0),
                )?;
                assert_eq!(bad, 0, "{context}: a balance that is not an amount");
            }
            (meta, last) => panic!("{context}: plan_meta {meta:?} but last plan entry {last:?}"),
        }

        // Every recorded answer came with its audit entry, stamped with the same moment.
        let mut answers = c.prepare(
            "SELECT consent_at FROM customer_status WHERE consent_at IS NOT NULL
             UNION SELECT guardian_consent_at FROM customer_status WHERE guardian_consent_at IS NOT NULL
             UNION SELECT objection_at FROM customer_status WHERE objection_at IS NOT NULL",
        )?;
        let stamped: Vec<String> = answers
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for at in stamped {
            assert!(statuses.contains(&at), "{context}: an answer at {at} without its audit entry");
        }
        Ok(())
    })
    .unwrap();
    case.close().unwrap();

    // A package is either absent or whole and audited with its SHA-256 (the entry is committed before the
    // file appears under its name).
    let exported: HashSet<String> = entries
        .iter()
        .filter(|e| e.action == "package.export")
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
            d["package_sha256"].as_str().unwrap().to_string()
        })
        .collect();
    if let Ok(dir) = std::fs::read_dir(packages_dir(case_path)) {
        for f in dir {
            let path = f.unwrap().path();
            if path.extension().is_some_and(|e| e == "hopkg") {
                let bytes = std::fs::read(&path).unwrap();
                let sha = hex::encode(sha2::Sha256::digest(&bytes));
                assert!(
                    exported.contains(&sha),
                    "{context}: {} is not a whole, audited package",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_half_change() {
    let kills: u64 = std::env::var("HANDOVER_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seed: u64 = std::env::var("HANDOVER_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test: {kills} kills, HANDOVER_KILL_SEED={seed}");
    let mut rng = Rng(seed);

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    handover_testkit::generate::shop_csv(&csv, 3_000, 11).unwrap();
    let case = dir.path().join("kill.handover");
    handover_tests::new_shop_case(&case);

    // One finished run of each gives the window each kind of kill is spread over (with a margin, so some
    // kills land after the end: a finished change must be whole too).
    std::fs::create_dir_all(packages_dir(&case)).unwrap();
    let windows = [
        (Op::Import, timed(Op::Import, &case, &csv, &mut rng)),
        (Op::Plan, timed(Op::Plan, &case, &csv, &mut rng)),
        (Op::Set, timed(Op::Set, &case, &csv, &mut rng)),
        (Op::Override, timed(Op::Override, &case, &csv, &mut rng)),
        (Op::Plan, timed(Op::Plan, &case, &csv, &mut rng)),
        (Op::Export, timed(Op::Export, &case, &csv, &mut rng)),
        (Op::Destroy, timed(Op::Destroy, &case, &csv, &mut rng)),
    ];
    check_consistent(&case, "after the calibration runs");

    let mut killed_running = 0;
    for i in 0..kills {
        let (op, window) = windows[rng.below(windows.len() as u64) as usize];
        let delay = Duration::from_micros(rng.below(window.as_micros() as u64 * 6 / 5 + 1));
        let mut child = command(op, &case, &csv, &mut rng).spawn().unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        check_consistent(
            &case,
            &format!("kill {i} ({op:?} after {delay:?}, seed {seed})"),
        );
    }
    eprintln!("kill test: {killed_running} of {kills} kills landed while the command was running");

    // A destroy killed between its deletions and its certificate is finished by the next one: after one
    // more `destroy`, every `destruction.carry_out` is followed by its certificate.
    let _ = command(Op::Destroy, &case, &csv, &mut rng)
        .status()
        .unwrap();
    let case_file = Case::open(&case, PASSPHRASE).unwrap();
    let entries = case_file.audit_entries().unwrap();
    case_file.close().unwrap();
    let mut open_carry_out: Option<i64> = None;
    let mut finished_later = 0;
    for e in &entries {
        match e.action.as_str() {
            "destruction.carry_out" => {
                assert!(
                    open_carry_out.is_none(),
                    "carry-out {open_carry_out:?} has no certificate before the next (seed {seed})"
                );
                open_carry_out = Some(e.seq);
            }
            "destruction.certificate" => {
                assert!(
                    open_carry_out.take().is_some(),
                    "a certificate without its carry-out (seed {seed})"
                );
                let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
                if d["finishes_an_interrupted_destruction"] == true {
                    finished_later += 1;
                }
            }
            _ => {}
        }
    }
    assert!(
        open_carry_out.is_none(),
        "the last carry-out has no certificate (seed {seed})"
    );
    eprintln!(
        "kill test: {finished_later} interrupted destructions were certified by the next destroy"
    );
    assert!(
        killed_running * 2 >= kills,
        "most kills should land mid-change ({killed_running} of {kills})"
    );
}
