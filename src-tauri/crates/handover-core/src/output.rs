//! Files that leave the app: every CSV the app writes, and every file it writes, goes through here.
//!
//! - [`SafeCsvWriter`]: UTF-8 with a byte-order mark and CRLF line ends (Excel in China opens such a file as
//!   UTF-8; without the BOM it guesses GBK and shows mojibake), every cell made formula-safe by
//!   [`safe_cell`] (OWASP's CSV-injection rule: a cell that starts with `=`, `+`, `-`, `@`, TAB, CR or NUL gets
//!   a leading `'`, so a spreadsheet shows it as text instead of running it).
//! - [`write_atomic`]: writes beside the target and renames over it, so a reader (or a crash) never sees half a
//!   file, and an older file of that name stays whole until the new one is complete.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// UTF-8's byte-order mark, the first bytes of every CSV the app writes.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The characters that make a spreadsheet read a cell as a formula (or, for TAB/CR, that some spreadsheets
/// strip before doing so).
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// The cell as it is safe to write: unchanged unless it starts with a formula character, then with a leading
/// apostrophe. Phones and amounts the app writes are normalised (digits, a decimal point) and need none; a
/// negative amount is written with the apostrophe, which Excel shows as text — the honest choice for a file
/// meant to be read, not recalculated.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// True if a spreadsheet would read this cell as text: it does not start with a formula character.
pub fn is_formula_safe(cell: &str) -> bool {
    !cell.starts_with(FORMULA_STARTS)
}

/// A CSV writer that can only write formula-safe cells, in UTF-8 with BOM and CRLF line ends.
#[derive(Debug)]
pub struct SafeCsvWriter<W: Write> {
    inner: csv::Writer<W>,
    rows: u64,
}

impl<W: Write> SafeCsvWriter<W> {
    /// Starts the file: writes the BOM. Rows may have different lengths (a header and its rows usually don't).
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(out);
        Ok(SafeCsvWriter { inner, rows: 0 })
    }

    /// Writes one row (a header counts as a row), each cell through [`safe_cell`].
    pub fn write_row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<S> = cells.into_iter().collect();
        self.inner
            .write_record(cells.iter().map(|c| safe_cell(c.as_ref()).into_owned()))
            .map_err(csv_to_io)?;
        self.rows += 1;
        Ok(())
    }

    /// How many rows (header included) were written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and hands back the underlying writer.
    pub fn finish(self) -> io::Result<W> {
        self.inner
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

fn csv_to_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes `path` through `fill` atomically: into a hidden temporary file in the same folder (so the rename
/// cannot cross file systems), synced to disk, then renamed over `path`. On any error the temporary file is
/// removed and `path` is untouched. Returns what `fill` returned.
pub fn write_atomic<T>(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<T>,
) -> io::Result<T> {
    let tmp = temporary_beside(path);
    let result = (|| {
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut out = BufWriter::new(file);
        let value = fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = format!(
        ".{name}.{}.{}.part",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    path.with_file_name(unique)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(rows: &[Vec<&str>]) -> Vec<u8> {
        let mut w = SafeCsvWriter::new(Vec::new()).unwrap();
        for r in rows {
            w.write_row(r.iter().copied()).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn starts_with_the_bom_and_ends_lines_with_crlf() {
        let bytes = written(&[vec!["手机号", "姓名"], vec!["13800138000", "张三"]]);
        assert!(bytes.starts_with(UTF8_BOM));
        assert_eq!(
            std::str::from_utf8(&bytes[3..]).unwrap(),
            "手机号,姓名\r\n13800138000,张三\r\n"
        );
    }

    #[test]
    fn formula_cells_get_an_apostrophe_and_others_are_unchanged() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+86 138"), "'+86 138");
        assert_eq!(safe_cell("-12.50"), "'-12.50");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("\tcmd"), "'\tcmd");
        assert_eq!(safe_cell("a=b"), "a=b");
        assert_eq!(safe_cell(""), "");
        let bytes = written(&[vec!["=1+1", "a,b", "say \"hi\""]]);
        assert_eq!(
            std::str::from_utf8(&bytes[3..]).unwrap(),
            "'=1+1,\"a,b\",\"say \"\"hi\"\"\"\r\n"
        );
    }

    #[test]
    fn an_atomic_write_replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        let failed: io::Result<()> = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    proptest! {
        /// Whatever the cells, every field read back from the file is formula-safe, and reads back as the
        /// cell itself (with the apostrophe only where one was needed).
        #[test]
        fn every_cell_read_back_is_formula_safe(rows in proptest::collection::vec(
            proptest::collection::vec(any::<String>(), 1..5), 1..8)) {
            let mut w = SafeCsvWriter::new(Vec::new()).unwrap();
            for r in &rows {
                w.write_row(r).unwrap();
            }
            let bytes = w.finish().unwrap();
            prop_assert!(bytes.starts_with(UTF8_BOM));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[3..]);
            let back: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
            // (A row of one empty cell is written as `""`, so it reads back as a row too.)
            prop_assert_eq!(back.len(), rows.len());
            for (got, want) in back.iter().zip(&rows) {
                prop_assert_eq!(got.len(), want.len());
                for (g, w) in got.iter().zip(want) {
                    prop_assert!(is_formula_safe(g), "unsafe cell {:?}", g);
                    let safe = safe_cell(w);
                    prop_assert_eq!(g, safe.as_ref());
                }
            }
        }
    }
}
