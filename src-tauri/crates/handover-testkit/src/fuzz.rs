//! What the fuzz targets (`fuzz/`, cargo-fuzz) run, in one place, so that `make test` replays every saved
//! corpus input through exactly the same code (`tests/tests/fuzz_corpora.rs`). Each function must return
//! for any input — a panic, a hang or a runaway allocation is the bug the fuzzer looks for.

use std::io::Write;

use handover_core::detect::{self, mask::MaskStyle};
use handover_core::field::FieldType;
use handover_core::import::{self, normalize, RawRow, ReadOptions};

/// Rows read from one input at most: enough to reach every reader state, few enough that a run stays fast.
const MAX_ROWS: u64 = 10_000;

/// Reads `data` as a file to import (the format is sniffed from its bytes, as for the owner's files):
/// preview, then every row, then each cell through the normalisers. Errors are fine; panics are not.
/// Returns how many rows were read (so the replay can tell a seed that reads from one refused at once).
pub fn read_file(data: &[u8]) -> u64 {
    tolerate_library_panics();
    let mut file = match tempfile::Builder::new().prefix("fuzz-").tempfile() {
        Ok(f) => f,
        Err(_) => return 0,
    };
    if file.write_all(data).and_then(|_| file.flush()).is_err() {
        return 0;
    }
    let Ok(mut reader) = import::open(file.path(), &ReadOptions::default()) else {
        return 0;
    };
    let _ = reader.headers().len();
    let mut row = RawRow::default();
    let mut n = 0;
    while n < MAX_ROWS {
        match reader.read_row(&mut row) {
            Ok(true) => {
                for cell in row.cells.iter().take(64) {
                    normalise_cell(cell);
                }
            }
            Ok(false) | Err(_) => break,
        }
        n += 1;
    }
    n
}

/// A workbook's library (calamine, zip, quick-xml) panics on some damaged files. The product survives
/// that: the workbook is parsed in a child process (or, in tests, on a thread) and a panic there is a plain
/// refusal ("the spreadsheet library stopped on this file"). libFuzzer's hook would abort on any panic, even
/// one that is caught, so the fuzz targets keep its abort only for panics raised in Handover's own code (a
/// panic there is a bug) and let a library's panic be caught as the product catches it. An uncaught panic
/// still ends the run.
pub fn tolerate_library_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ours = info
                .location()
                .is_none_or(|l| l.file().contains("handover-"));
            if ours {
                previous(info);
            }
        }));
    });
}

/// Runs the free-text scanner, the column classifier and every masker on `data` as text.
pub fn detect_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let findings = detect::text::scan(&text);
    for f in &findings {
        let _ = detect::mask::mask_kind(f.kind, &f.value, MaskStyle::Standard);
    }
    let cells: Vec<&str> = text.split('\n').take(200).collect();
    let header = cells.first().copied().unwrap_or("");
    let _ = detect::classify::classify_column(header, &cells);
    for field in FieldType::ALL {
        for style in [MaskStyle::Standard, MaskStyle::Strict] {
            let _ = detect::mask::mask(field, &text, style);
        }
        let _ = detect::classify::value_matches(field, &text);
    }
}

/// Every normaliser the storing side applies to a cell.
pub fn normalise_cell(cell: &str) {
    let _ = normalize::date(cell);
    let _ = normalize::money(cell);
    let _ = normalize::half_width(cell);
    let _ = normalize::id_number_upper(cell);
    let _ = detect::id_card::parse(cell);
    let _ = detect::bank_card::parse(cell);
    let _ = detect::birth_date::parse(cell);
}

/// The passphrase the package target's inputs are sealed with.
pub const PACKAGE_PASSPHRASE: &str = "fuzz-package-passphrase";

/// Reads `data` as a recipient would read a package. An input that starts like an age file is taken as the
/// package file itself (the header and chunk parsing); any other input is the container inside, sealed
/// with age first (work factor 1, so each input stays fast) so that the reader gets past authentication
/// to the tar entries, their names, the manifest and the check of every part against it. Returns whether
/// the package verified (the replay checks that the seeds do, so the target is not refusing everything).
pub fn read_package(data: &[u8]) -> bool {
    let sealed = if data.starts_with(b"age-encryption.org/") {
        data.to_vec()
    } else {
        match handover_package::raw::encrypt(data, PACKAGE_PASSPHRASE, 1) {
            Ok(s) => s,
            Err(_) => return false,
        }
    };
    let mut file = match tempfile::Builder::new().prefix("fuzz-").tempfile() {
        Ok(f) => f,
        Err(_) => return false,
    };
    if file.write_all(&sealed).and_then(|_| file.flush()).is_err() {
        return false;
    }
    handover_package::verify(file.path(), PACKAGE_PASSPHRASE).is_ok()
}
