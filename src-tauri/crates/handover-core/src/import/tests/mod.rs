//! Fixtures as small businesses produce them, each made here and read back with exact expectations: the
//! rows yielded (count and cells), which are flagged or rejected, and the problem kinds, row numbers and
//! messages.

mod limits;
mod one_pass;
mod open_quotes;
mod refusals;
mod sheets;
mod text_files;

use std::path::{Path, PathBuf};

use super::*;

pub(super) struct Dir(tempfile::TempDir);

impl Dir {
    pub(super) fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }

    pub(super) fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub(super) fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

/// Opens with `options` and reads every row, asserting there is no file-level error.
pub(super) fn read_all(path: &Path, options: &ReadOptions) -> (TablePreview, Vec<RawRow>) {
    let reader = open(path, options).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let preview = reader.preview().clone();
    let rows: Vec<RawRow> = reader.map(|r| r.unwrap()).collect();
    // The preview shows exactly what the full read yields first.
    assert_eq!(preview.rows[..], rows[..preview.rows.len()]);
    (preview, rows)
}

pub(super) fn detect(path: &Path) -> (TablePreview, Vec<RawRow>) {
    read_all(path, &ReadOptions::default())
}

/// The problem kinds of a row, in order.
pub(super) fn kinds(row: &RawRow) -> Vec<&'static str> {
    row.problems.iter().map(|p| p.kind.id()).collect()
}

pub(super) fn cells(row: &RawRow) -> Vec<&str> {
    row.cells.iter().map(String::as_str).collect()
}

/// Row numbers and cells of every row, for one exact comparison.
pub(super) fn table(rows: &[RawRow]) -> Vec<(u64, Vec<&str>)> {
    rows.iter().map(|r| (r.row_number, cells(r))).collect()
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The error `open` gives.
pub(super) fn refusal(path: &Path, options: &ReadOptions) -> ReadError {
    open(path, options).expect_err("the file should be refused")
}
