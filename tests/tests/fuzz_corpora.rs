//! Every input saved under `fuzz/corpus/<target>/` (the seeds, and whatever a fuzzing run found worth
//! keeping, crashes included once fixed) runs through the same function as its fuzz target, so a fixed
//! crash stays fixed. How to fuzz for longer: docs/security.md.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no inputs", dir.display());
    files
}

fn replay<T>(target: &str, run: fn(&[u8]) -> T) -> Vec<(String, T)> {
    corpus(target)
        .into_iter()
        .map(|file| {
            let data = std::fs::read(&file).unwrap();
            // A panic names the input, so the failing file is found at once.
            let outcome = std::panic::catch_unwind(|| run(&data));
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            match outcome {
                Ok(v) => (name, v),
                Err(_) => panic!("{target}: {} panicked", file.display()),
            }
        })
        .collect()
}

/// The seeds are read, not refused at the door: a reader that refused everything would replay "fine".
fn assert_seeds_read(rows: &[(String, u64)], seeds: &[&str]) {
    for seed in seeds {
        let (_, n) = rows
            .iter()
            .find(|(name, _)| name == seed)
            .unwrap_or_else(|| panic!("seed {seed} is missing"));
        assert!(*n >= 1, "seed {seed}: no row read");
    }
}

#[test]
fn the_text_reader_corpus_replays() {
    let rows = replay("text_reader", handover_testkit::fuzz::read_file);
    assert_seeds_read(
        &rows,
        &["utf8_bom.csv", "gbk.csv", "utf16le.txt", "semicolon.csv"],
    );
}

#[test]
fn the_sheet_reader_corpus_replays() {
    let rows = replay("sheet_reader", handover_testkit::fuzz::read_file);
    assert_seeds_read(&rows, &["two_sheets.xlsx", "members.xls", "repeated.ods"]);
}

#[test]
fn the_detectors_corpus_replays() {
    replay("detectors", handover_testkit::fuzz::detect_text);
}

#[test]
fn the_package_reader_corpus_replays() {
    let verified = replay("package_reader", handover_testkit::fuzz::read_package);
    for seed in ["export.tar", "export.hopkg"] {
        let (_, ok) = verified
            .iter()
            .find(|(name, _)| name == seed)
            .unwrap_or_else(|| panic!("seed {seed} is missing"));
        assert!(*ok, "the seed {seed} does not verify");
    }
}
