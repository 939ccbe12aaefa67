//! `handover-bench detect`: detection accuracy on the generated corpus (1,000,000 cells, ground truth
//! known), and scanning speed on phone and notes cells beside jionlp's `extract_phone_number` +
//! `extract_id_card` on the very same cells, run in the same invocation (scripts/bench/jionlp_baseline.py).

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use handover_core::detect::PiiKind;
use handover_testkit::corpus::{self, Generator, LabelledCell};

/// Cells per kind for the speed comparison: jionlp takes a few seconds per 100,000.
const SPEED_CELLS: usize = 100_000;

pub fn run(dir: &Path, workspace: &Path) {
    let t0 = Instant::now();
    let (report, failures) = corpus::acceptance_1m();
    println!(
        "## Accuracy: {} generated cells (seed 0x5EED2026), {:.1} s\n",
        report.cells,
        t0.elapsed().as_secs_f64()
    );
    println!("| kind | in truth | reported | correct | precision | recall |");
    println!("|---|---|---|---|---|---|");
    for kind in PiiKind::ALL {
        let s = report.stats(kind);
        if s.truth == 0 && s.found == 0 {
            continue;
        }
        println!(
            "| {} | {} | {} | {} | {:.4} % | {:.4} % |",
            kind.id(),
            s.truth,
            s.found,
            s.true_positives,
            s.precision() * 100.0,
            s.recall() * 100.0
        );
    }
    println!(
        "\nID numbers with a wrong check digit: {} in the corpus, {} reported as IDs.",
        report.invalid_ids, report.invalid_ids_detected
    );
    if failures.is_empty() {
        println!("Acceptance thresholds: all met.\n");
    } else {
        println!("Acceptance thresholds NOT met: {}\n", failures.join("; "));
    }

    // Speed: the same phone and notes cells for both tools.
    let mut g = Generator::new(20261202);
    let mut cells: Vec<LabelledCell> = Vec::with_capacity(2 * SPEED_CELLS);
    for _ in 0..SPEED_CELLS {
        cells.push(g.phone_cell());
        cells.push(g.notes_cell());
    }
    let texts: Vec<String> = cells.iter().map(|c| c.text.clone()).collect();
    let ours = (0..3)
        .map(|_| corpus::measure_throughput(&texts))
        .max_by(|a, b| a.cells_per_sec.total_cmp(&b.cells_per_sec))
        .unwrap();
    let ours_accuracy = corpus::evaluate(&cells);
    let jsonl = dir.join("detect-cells.jsonl");
    write_cells(&jsonl, &cells);

    println!(
        "## Speed: {} phone cells and {} notes cells, best of 3\n",
        SPEED_CELLS, SPEED_CELLS
    );
    println!("| tool | cells/s | mobile recall | mobile precision | ID recall | ID precision |");
    println!("|---|---|---|---|---|---|");
    let m = ours_accuracy.stats(PiiKind::Mobile);
    let i = ours_accuracy.stats(PiiKind::IdCard);
    println!(
        "| handover (every kind) | {:.0} | {:.4} | {:.4} | {:.4} | {:.4} |",
        ours.cells_per_sec,
        m.recall(),
        m.precision(),
        i.recall(),
        i.precision()
    );
    let script = workspace.join("scripts/bench/jionlp_baseline.py");
    match Command::new("python3").arg(&script).arg(&jsonl).output() {
        Ok(out) if out.status.success() => {
            // jionlp prints a greeting of its own on import; the report is the last line.
            let stdout = String::from_utf8_lossy(&out.stdout);
            let v: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
                .unwrap_or_else(|e| panic!("the baseline printed no JSON ({e})"));
            let theirs = v["cells_per_sec"].as_f64().unwrap_or(f64::NAN);
            let f = |k: &str| v[k].as_f64().map(|x| format!("{x:.4}")).unwrap_or_else(|| "—".into());
            println!(
                "| {} (phone + ID only) | {:.0} | {} | {} | {} | {} |",
                v["tool"].as_str().unwrap_or("jionlp"),
                theirs,
                f("mobile_recall"),
                f("mobile_precision"),
                f("id_card_recall"),
                f("id_card_precision")
            );
            println!("\nRatio: handover scans {:.1}× as many cells per second as jionlp.", ours.cells_per_sec / theirs);
        }
        Ok(out) => println!(
            "\njionlp baseline not run: {}(install it with `pip install -r scripts/bench/requirements.txt`)",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
        ),
        Err(e) => println!("\njionlp baseline not run: python3: {e}"),
    }
}

/// One JSON line per cell with the true, normalised values jionlp is scored on.
fn write_cells(path: &Path, cells: &[LabelledCell]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for c in cells {
        let values = |k: PiiKind| -> Vec<&str> {
            c.truth
                .iter()
                .filter(|t| t.kind == k)
                .map(|t| t.value.as_str())
                .collect()
        };
        let line = serde_json::json!({
            "text": c.text,
            "mobiles": values(PiiKind::Mobile),
            "ids": values(PiiKind::IdCard),
        });
        writeln!(f, "{line}").unwrap();
    }
}
