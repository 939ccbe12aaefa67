//! `handover-bench transfer`: on the 1,000,000-row shop case, `handover export`, `handover receive` and
//! `handover destroy --confirm` against that file's import, each with its peak RSS (acceptance: export ≤ 1×,
//! receive ≤ 1.5×, destroy (the case rebuilt without what goes) ≤ 2× the import; each under 300 MB).

use std::path::Path;
use std::process::Command;

use handover_testkit::generate;

use crate::{measure, Measured};

const PACKAGE_PASSPHRASE: &str = "1234 5678 9012 3456 7890";

fn cli() -> Command {
    let mut c = crate::handover();
    c.env("HANDOVER_PACKAGE_PASSPHRASE", PACKAGE_PASSPHRASE);
    c
}

fn quiet(c: &mut Command) -> Measured {
    // The CLI's JSON goes to a file so the terminal shows only the table.
    measure(c.arg("--json"))
}

pub fn run(dir: &Path, rows: u64) {
    let csv = dir.join(format!("shop-{rows}.csv"));
    if !csv.exists() {
        generate::shop_csv(&csv, rows, 20261123).unwrap();
    }
    let case = dir.join("shop-transfer.handover");
    let package = dir.join("shop-transfer.hopkg");
    let received = dir.join("shop-received.handover");
    for p in [&case, &package, &received] {
        let _ = std::fs::remove_file(p);
    }
    crate::plan_bench::new_sale_case(&case);
    let import = quiet(cli().args(["import", "--case"]).arg(&case).arg(&csv));
    let plan = cli()
        .args(["plan", "--json", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(plan.status.success(), "handover plan failed");
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let export = quiet(
        cli()
            .args(["export", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&package),
    );
    let receive = quiet(
        cli()
            .args(["receive", "--case"])
            .arg(&received)
            .arg(&package)
            .arg("--pdf")
            .arg(dir.join("shop-receipt.pdf")),
    );
    let destroy = quiet(
        cli()
            .args(["destroy", "--confirm", "--case"])
            .arg(&case)
            .arg("--pdf")
            .arg(dir.join("shop-certificate.pdf")),
    );
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!("outcomes: {}", plan["outcomes"]);
    println!(
        "package {:.1} MB, seller's case after destroy {:.1} MB, received case {:.1} MB",
        size(&package),
        size(&case),
        size(&received)
    );
    println!("| step | rows | time (s) | CPU (s) | peak RSS (MB) | × import | limit | holds |");
    println!("|---|---|---|---|---|---|---|---|");
    let line = |name: &str, m: &Measured, limit: Option<f64>| {
        let ratio = m.seconds / import.seconds;
        let holds = limit.is_none_or(|l| ratio <= l) && m.peak_rss_mb < 300.0;
        println!(
            "| {name} | {rows} | {:.2} | {:.2} | {:.0} | {:.2}× | {} | {} |",
            m.seconds,
            m.cpu_seconds,
            m.peak_rss_mb,
            ratio,
            limit.map_or("RSS < 300 MB".to_string(), |l| format!(
                "≤ {l}×, RSS < 300 MB"
            )),
            if holds { "yes" } else { "NO" }
        );
    };
    line("import", &import, None);
    line("export", &export, Some(1.0));
    line("receive (+ receipt PDF)", &receive, Some(1.5));
    line(
        "destroy (rebuild, page check, certificate PDF)",
        &destroy,
        Some(2.0),
    );
}
