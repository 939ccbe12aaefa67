//! Memory that does not grow with the data (issue 17): the plan of a case five times larger peaks within a
//! few megabytes of the smaller one's. Not timed: peak resident memory of the `handover plan` process, read
//! by GNU time (`scripts/setup` installs it). The plan's page cache is a fixed 128 MiB, which a case of a few
//! hundred thousand rows fits in whole; the test gives it 2 MiB (`HANDOVER_TEST_PLAN_CACHE_KIB`, debug
//! builds only) so both cases fill it and the difference is what else the plan holds. (The records are read on
//! a second connection, so the cache holds only the plan's own lines: about 4 MB at 40,000 rows.)

use std::path::Path;
use std::process::Command;

use handover_testkit::fixtures::{handover_command, new_shop_case};
use handover_testkit::generate;

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

fn case_of(dir: &Path, rows: u64) -> std::path::PathBuf {
    let csv = dir.join(format!("shop-{rows}.csv"));
    generate::shop_csv(&csv, rows, 20261206).unwrap();
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
