//! Memory that does not grow with the data (issue 17). Not timed: peak resident memory of the `handover`
//! process, read by GNU time (`scripts/setup` installs it).
//!
//! - The plan of a case five times larger peaks within a few megabytes of the smaller one's. The plan's page
//!   cache is a fixed 128 MiB, which a case of a few hundred thousand rows fits in whole; the test gives it
//!   2 MiB (`HANDOVER_TEST_PLAN_CACHE_KIB`, debug builds only) so both cases fill it and the difference is
//!   what else the plan holds. (The records are read on a second connection, so the cache holds only the
//!   plan's own lines: about 4 MB at 40,000 rows.)
//! - The import of a file five times larger, likewise. Its fixed budgets are larger than such a file needs
//!   (seven million customer keys in memory, a 32 MiB cache growing to 128 MiB with repeat customers), so the
//!   test shrinks them (`HANDOVER_TEST_LINKER_KEYS`, `HANDOVER_TEST_IMPORT_CACHE_KIB`, debug builds only) and
//!   both imports go past them.

use std::path::Path;
use std::process::Command;

use handover_testkit::fixtures::{handover_command, new_shop_case};
use handover_testkit::generate;

/// One test at a time: an import's two threads, sharing the two cores with another test's process, leave
/// more rows waiting between them (up to 16 batches: several megabytes more at its peak).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn alone() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Peak resident memory of `cmd`, in KiB.
fn peak_kib(cmd: &mut Command) -> u64 {
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(report.path())
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    let out = timed
        .output()
        .expect("/usr/bin/time is missing: apt-get install time (scripts/setup does)");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(report.path())
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

fn shop_csv(dir: &Path, rows: u64) -> std::path::PathBuf {
    let csv = dir.join(format!("shop-{rows}.csv"));
    generate::shop_csv(&csv, rows, 20261206).unwrap();
    csv
}

fn case_of(dir: &Path, rows: u64) -> std::path::PathBuf {
    let csv = shop_csv(dir, rows);
    let case = dir.join(format!("shop-{rows}.handover"));
    new_shop_case(&case);
    handover_tests::run_ok(
        handover_command()
            .args(["import", "--case"])
            .arg(&case)
            .arg(&csv),
    );
    case
}

fn plan_peak_kib(case: &Path) -> u64 {
    peak_kib(
        handover_command()
            .env("HANDOVER_TEST_PLAN_CACHE_KIB", "2048")
            .args(["plan", "--json", "--case"])
            .arg(case),
    )
}

#[test]
fn the_plans_memory_does_not_grow_with_the_customers() {
    let _alone = alone();
    let dir = tempfile::tempdir().unwrap();
    let small = case_of(dir.path(), 40_000);
    let large = case_of(dir.path(), 200_000);
    // Twice each: the second plan of a case also empties the first's lines.
    let small_peak = plan_peak_kib(&small).max(plan_peak_kib(&small));
    let large_peak = plan_peak_kib(&large).max(plan_peak_kib(&large));
    println!("plan peak RSS: 40,000 rows {small_peak} KiB, 200,000 rows {large_peak} KiB");
    // 160,000 more customers: a set of their ids alone would be 2.5 MB, the plan's index sort 10 MB.
    assert!(
        large_peak <= small_peak + 2 * 1024,
        "the plan's peak memory grew from {small_peak} KiB (40,000 rows) to {large_peak} KiB (200,000 rows)"
    );
}

/// Peak memory of importing `csv` into a new case, with the import's budgets shrunk (see the module's doc).
fn import_peak_kib(dir: &Path, csv: &Path) -> u64 {
    let case = dir.join("import.handover");
    let _ = std::fs::remove_file(&case);
    new_shop_case(&case);
    let peak = peak_kib(
        handover_command()
            .env("HANDOVER_TEST_LINKER_KEYS", "10000")
            .env("HANDOVER_TEST_IMPORT_CACHE_KIB", "1024")
            .args(["import", "--case"])
            .arg(&case)
            .arg(csv),
    );
    std::fs::remove_file(&case).unwrap();
    peak
}

/// The lower of two imports' peaks: a run's peak is raised by a few megabytes when its reading thread gets
/// ahead of its writing one (batches waiting between them, up to a fixed number), never lowered.
fn lower_import_peak_kib(dir: &Path, csv: &Path) -> u64 {
    import_peak_kib(dir, csv).min(import_peak_kib(dir, csv))
}

#[test]
fn the_imports_memory_does_not_grow_with_the_customers() {
    let _alone = alone();
    let dir = tempfile::tempdir().unwrap();
    let small = shop_csv(dir.path(), 100_000);
    let large = shop_csv(dir.path(), 500_000);
    let small_peak = lower_import_peak_kib(dir.path(), &small);
    let large_peak = lower_import_peak_kib(dir.path(), &large);
    println!("import peak RSS: 100,000 rows {small_peak} KiB, 500,000 rows {large_peak} KiB");
    // About 370,000 more customers. Keeping their keys in memory cost 13 MB more (45-48 MB against 35 MB);
    // what the import still keeps per customer is the overview's tally, a byte each (0.4 MB here).
    assert!(
        large_peak <= small_peak + 2 * 1024,
        "the import's peak memory grew from {small_peak} KiB (100,000 rows) to {large_peak} KiB (500,000 rows)"
    );
}

/// A file of `rows` rows, each with a note of 128 KiB (no personal information in it).
fn long_notes_csv(dir: &Path, rows: usize) -> std::path::PathBuf {
    let csv = dir.join(format!("notes-{rows}.csv"));
    let note = "老会员每周来买菜喜欢称散装的".repeat(128 * 1024 / 42);
    let mut text = String::from("姓名,手机,备注\n");
    for i in 0..rows {
        text.push_str(&format!("客户{i},139{i:08},{note}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    csv
}

#[test]
fn the_imports_memory_does_not_grow_with_long_rows() {
    let _alone = alone();
    let dir = tempfile::tempdir().unwrap();
    let small = long_notes_csv(dir.path(), 64);
    let large = long_notes_csv(dir.path(), 256);
    let small_peak = lower_import_peak_kib(dir.path(), &small);
    let large_peak = lower_import_peak_kib(dir.path(), &large);
    println!(
        "import peak RSS: 64 rows of 128 KiB notes {small_peak} KiB, 256 rows {large_peak} KiB"
    );
    // Batches counted in rows only held every row of these files between the two threads (24 MiB of notes
    // more, each as its cells and its JSON); a batch ends at a mebibyte of rows too.
    assert!(
        large_peak <= small_peak + 8 * 1024,
        "the import's peak memory grew from {small_peak} KiB (64 long rows) to {large_peak} KiB (256 long rows)"
    );
}
