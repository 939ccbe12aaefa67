//! `handover-bench plan`: `handover plan` on the 1,000,000-row shop case against that file's import, and the
//! prepaid total checked against the exact sum of the imported balances; `handover status` (opening the case
//! to its overview) the first time after the import, with the overview kept, and after a consent.

use std::path::Path;
use std::process::Command;

use handover_core::rules::prepaid;
use handover_core::store::Case;
use handover_testkit::generate;
use rust_decimal::Decimal;

use crate::{handover, handover_bin, measure, remove_case, PASSPHRASE};

pub fn run(dir: &Path, rows: u64) {
    let csv = dir.join(format!("shop-{rows}.csv"));
    if !csv.exists() {
        generate::shop_csv(&csv, rows, 20261123).unwrap();
    }
    let case = dir.join("shop-plan.handover");
    remove_case(&case);
    new_sale_case(&case);
    let import = measure(
        handover()
            .args(["import", "--json", "--case"])
            .arg(&case)
            .arg(&csv),
    );
    // Opening the case to its overview (`handover status`): the first time after the import counts every
    // record; then the overview is kept (issue 17: under 1 s at 1,000,000 rows, under 2 s at 5,000,000).
    let status = || measure(handover().args(["status", "--json", "--case"]).arg(&case));
    let first_status = status();
    let kept_status = status();
    let out = dir.join("plan.json");
    let plan = measure(
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "\"{}\" plan --json --case \"{}\" > \"{}\"",
                handover_bin().display(),
                case.display(),
                out.display()
            ))
            .env("HANDOVER_PASSPHRASE", PASSPHRASE),
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // The exact sum of what the import stored, read straight from the records (not from the plan).
    let opened = Case::open(&case, PASSPHRASE).unwrap();
    let mut sum = Decimal::ZERO;
    let mut positive = 0u64;
    opened
        .read(|conn| {
            let mut stmt = conn.prepare("SELECT balance FROM records WHERE balance IS NOT NULL")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let b: String = r.get(0)?;
                if let Some(b) = prepaid::parse_balance(Some(&b)).filter(|b| *b > Decimal::ZERO) {
                    sum += b;
                    positive += 1;
                }
            }
            Ok(())
        })
        .unwrap();
    opened.close().unwrap();
    let reported = json["prepaid_total"].as_str().unwrap_or("?");
    let exact = prepaid::money_string(sum);
    println!("| rows | handover import (s) | import peak RSS (MB) | handover plan (s) | plan peak RSS (MB) | plan / import | prepaid total | records with balance | exact |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {rows} | {:.2} | {:.0} | {:.2} | {:.0} | {:.2}× | {reported} | {positive} | {} |",
        import.seconds,
        import.peak_rss_mb,
        plan.seconds,
        plan.peak_rss_mb,
        plan.seconds / import.seconds,
        if reported == exact { "yes" } else { "NO" }
    );
    println!("outcomes: {}", json["outcomes"]);
    // The handover summary of the planned case as PDF, with its per-customer prepaid annex (issue 13: at
    // most 5 s and 300 MB).
    let pdf = dir.join("summary.pdf");
    let summary = measure(
        handover()
            .args(["summary", "--case"])
            .arg(&case)
            .arg("--pdf")
            .arg(&pdf),
    );
    let annex = dir.join("summary-prepaid-annex.csv");
    let annex_rows = std::fs::read_to_string(&annex)
        .map(|t| t.lines().count().saturating_sub(1))
        .unwrap_or(0);
    println!(
        "handover summary --pdf: {:.2} s, peak RSS {:.0} MB; PDF {} KB, annex {} rows ({} MB)",
        summary.seconds,
        summary.peak_rss_mb,
        std::fs::metadata(&pdf).map(|m| m.len() / 1024).unwrap_or(0),
        annex_rows,
        std::fs::metadata(&annex)
            .map(|m| m.len() / 1_000_000)
            .unwrap_or(0),
    );
    // A change that leaves the records alone (a customer's consent) keeps the overview: the next opening
    // reads it back.
    let consent = handover()
        .args([
            "set",
            "--json",
            "--customer",
            "1",
            "--consent",
            "yes",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert!(consent.status.success(), "handover set failed");
    let after_consent = status();
    println!(
        "handover status: {:.2} s ({:.0} MB) the first time after the import, {:.2} s with the overview kept, \
         {:.2} s after a consent (target: under 1 s at 1,000,000 rows, under 2 s at 5,000,000)",
        first_status.seconds,
        first_status.peak_rss_mb,
        kept_status.seconds,
        after_consent.seconds
    );
    assert_eq!(
        reported, exact,
        "the plan's prepaid total differs from the imported balances"
    );
}

/// The benchmarks' case: a shop sold whole, with a recipient and a handover date (so the plan decides).
pub(crate) fn new_sale_case(case: &Path) {
    let created = handover()
        .args([
            "new",
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "bench",
            "--buyer",
            "接手方",
            "--buyer-contact",
            "13900000000",
            "--handover-date",
            "2026-12-31",
            "--case",
        ])
        .arg(case)
        .output()
        .unwrap();
    assert!(created.status.success(), "handover new failed");
}
