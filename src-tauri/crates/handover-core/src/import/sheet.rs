//! Workbooks (xlsx, xlsb, xls, ods) as a stream of records.
//!
//! calamine reads the workbook on a thread of its own and hands rows over a small bounded channel, so
//! the reader holds only a few hundred rows at a time whatever the sheet's size. (calamine's xlsx cell
//! reader borrows the workbook, which a struct could not hold beside it without unsafe code; a thread owns
//! both.) An xlsx sheet streams cell by cell; xls, xlsb and ods are read sheet-wise by calamine, so their
//! memory is bounded by the workbook, as in Excel itself.
//!
//! Values come out as the owner sees them in Excel: whole numbers without ".0" (a phone stored as the
//! number 13812345678 stays "13812345678"), other numbers by their shortest form at Excel's 15 significant
//! digits, date cells (and numbers in date-formatted cells) as ISO dates "2024-03-05" or
//! "2024-03-05 12:00:00", formulas by the value Excel stored, errors as Excel shows them ("#DIV/0!").

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use calamine::{
    open_workbook_from_rs, CellErrorType, Data, DataRef, ExcelDateTime, Ods, Reader, SheetType,
    Xls, Xlsb, Xlsx, XlsxError,
};

use super::error::ReadError;
use super::record::Record;
use super::types::Format;

/// Rows handed over at a time, and batches in flight: a few hundred rows in memory at most.
const BATCH_ROWS: usize = 256;
const BATCHES_IN_FLIGHT: usize = 2;

type Input = BufReader<File>;

/// What the workbook says before any row is read.
#[derive(Debug)]
pub(crate) struct SheetInfo {
    /// The format that opened it (a zip named like xlsx may turn out to be ods).
    pub(crate) format: Format,
    pub(crate) sheets: Vec<String>,
    pub(crate) sheet: String,
    /// 1 + the last row of the sheet's used range; 0 when the workbook does not say.
    pub(crate) total_rows: u64,
    /// Empty sheets passed over before the one chosen.
    pub(crate) skipped_empty: Vec<String>,
}

enum Message {
    Info(SheetInfo),
    Rows(Vec<Record>),
    Failed(ReadError),
}

/// The records of one sheet, as the workbook thread sends them.
pub(crate) struct SheetRecords {
    rx: Receiver<Message>,
    batch: std::vec::IntoIter<Record>,
    done: bool,
}

impl std::fmt::Debug for SheetRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetRecords")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl SheetRecords {
    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        loop {
            if let Some(r) = self.batch.next() {
                *rec = r;
                return Ok(true);
            }
            if self.done {
                return Ok(false);
            }
            match self.rx.recv() {
                Ok(Message::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Message::Failed(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Ok(Message::Info(_)) => {}
                // The thread ends its channel when the sheet is done.
                Err(_) => {
                    self.done = true;
                    return Ok(false);
                }
            }
        }
    }
}

/// Opens the workbook at `path` (recognised as `format`) on its own thread and chooses the sheet: the one
/// named, or else the first worksheet with any data.
pub(crate) fn open(
    path: &Path,
    format: Format,
    sheet: Option<&str>,
) -> Result<(SheetInfo, SheetRecords), ReadError> {
    let (tx, rx) = sync_channel(BATCHES_IN_FLIGHT);
    let path = path.to_path_buf();
    let wanted = sheet.map(str::to_string);
    std::thread::Builder::new()
        .name("handover-sheet-reader".into())
        .spawn(move || {
            if let Err(e) = produce(&path, format, wanted.as_deref(), &tx) {
                // The reader may be gone already; then nobody needs the error.
                let _ = tx.send(Message::Failed(e));
            }
        })
        .map_err(|e| ReadError::Io(e.to_string()))?;
    match rx.recv() {
        Ok(Message::Info(info)) => Ok((
            info,
            SheetRecords {
                rx,
                batch: Vec::new().into_iter(),
                done: false,
            },
        )),
        Ok(Message::Failed(e)) => Err(e),
        Ok(Message::Rows(_)) | Err(_) => Err(ReadError::UnreadableSpreadsheet(
            "the workbook reader stopped".into(),
        )),
    }
}

fn input(path: &Path) -> Result<Input, ReadError> {
    Ok(BufReader::new(ReadError::open_regular(path)?))
}

fn unreadable(e: impl std::fmt::Display) -> ReadError {
    ReadError::UnreadableSpreadsheet(e.to_string())
}

/// The workbook thread: opens, chooses the sheet, sends its info, then its rows in batches.
fn produce(
    path: &Path,
    format: Format,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) -> Result<(), ReadError> {
    match format {
        Format::Xlsx => match open_workbook_from_rs::<Xlsx<Input>, Input>(input(path)?) {
            Ok(mut wb) => produce_xlsx(&mut wb, wanted, tx),
            Err(XlsxError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => {
                // A zip whose first entry is not ODS's mimetype may still be ODS, or xlsb.
                if let Ok(wb) = open_workbook_from_rs::<Ods<Input>, Input>(input(path)?) {
                    return produce_ranges(wb, Format::Ods, wanted, tx);
                }
                if let Ok(wb) = open_workbook_from_rs::<Xlsb<Input>, Input>(input(path)?) {
                    return produce_ranges(wb, Format::Xlsb, wanted, tx);
                }
                Err(unreadable(e))
            }
        },
        Format::Xlsb => {
            let wb =
                open_workbook_from_rs::<Xlsb<Input>, Input>(input(path)?).map_err(unreadable)?;
            produce_ranges(wb, Format::Xlsb, wanted, tx)
        }
        Format::Ods => match open_workbook_from_rs::<Ods<Input>, Input>(input(path)?) {
            Ok(wb) => produce_ranges(wb, Format::Ods, wanted, tx),
            Err(calamine::OdsError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => Err(unreadable(e)),
        },
        Format::Xls => match open_workbook_from_rs::<Xls<Input>, Input>(input(path)?) {
            Ok(wb) => produce_ranges(wb, Format::Xls, wanted, tx),
            Err(calamine::XlsError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => {
                // An encrypted xlsx is an OLE file too; calamine's xlsx reader recognises it.
                match open_workbook_from_rs::<Xlsx<Input>, Input>(input(path)?) {
                    Err(XlsxError::Password) => Err(ReadError::PasswordProtected),
                    _ => Err(unreadable(e)),
                }
            }
        },
        Format::Csv | Format::Utf16Text => Err(unreadable("not a workbook")),
    }
}

/// Sheets in the order to try when none is named: visible worksheets first, then hidden ones.
fn candidates(meta: &[calamine::Sheet]) -> Vec<String> {
    let worksheets = meta.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let (visible, hidden): (Vec<_>, Vec<_>) =
        worksheets.partition(|s| s.visible == calamine::SheetVisible::Visible);
    visible
        .into_iter()
        .chain(hidden)
        .map(|s| s.name.clone())
        .collect()
}

fn no_such_sheet(name: &str, sheets: &[String]) -> ReadError {
    ReadError::NoSuchSheet {
        sheet: name.to_string(),
        sheets: sheets.to_vec(),
    }
}

/// Collects cells into records and sends them in batches. Returns `false` once the reader is gone.
struct Batcher<'a> {
    tx: &'a SyncSender<Message>,
    current: Option<Record>,
    batch: Vec<Record>,
    text: String,
}

impl<'a> Batcher<'a> {
    fn new(tx: &'a SyncSender<Message>) -> Batcher<'a> {
        Batcher {
            tx,
            current: None,
            batch: Vec::with_capacity(BATCH_ROWS),
            text: String::new(),
        }
    }

    /// Adds the cell at 0-based (row, col); returns `false` when the reader has gone.
    fn cell(&mut self, row: u32, col: u32, value: Value<'_>) -> bool {
        self.text.clear();
        value.write(&mut self.text);
        if self.text.is_empty() {
            return true;
        }
        let row_number = u64::from(row) + 1;
        if self.current.as_ref().is_some_and(|r| r.row != row_number) && !self.flush_row() {
            return false;
        }
        let rec = self.current.get_or_insert_with(|| {
            let mut r = Record::default();
            r.begin(row_number);
            r
        });
        rec.set(col as usize, &self.text);
        true
    }

    fn flush_row(&mut self) -> bool {
        if let Some(mut rec) = self.current.take() {
            rec.finish();
            self.batch.push(rec);
            if self.batch.len() >= BATCH_ROWS {
                return self.send();
            }
        }
        true
    }

    fn send(&mut self) -> bool {
        let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        rows.is_empty() || self.tx.send(Message::Rows(rows)).is_ok()
    }

    fn finish(mut self) {
        if self.flush_row() {
            self.send();
        }
    }
}

fn produce_xlsx(
    wb: &mut Xlsx<Input>,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) -> Result<(), ReadError> {
    let sheets = wb.sheet_names();
    let mut skipped = Vec::new();
    let sheet = match wanted {
        Some(name) if sheets.iter().any(|s| s == name) => name.to_string(),
        Some(name) => return Err(no_such_sheet(name, &sheets)),
        None => {
            let mut chosen = None;
            for name in candidates(wb.sheets_metadata()) {
                let mut cells = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
                let mut has_data = false;
                while let Some(c) = cells.next_cell().map_err(unreadable)? {
                    if !matches!(c.get_value(), DataRef::Empty) {
                        has_data = true;
                        break;
                    }
                }
                if has_data {
                    chosen = Some(name);
                    break;
                }
                skipped.push(name);
            }
            match chosen {
                Some(name) => name,
                None => {
                    // Nothing anywhere: read the first sheet, which yields no rows ("empty").
                    skipped.clear();
                    sheets
                        .first()
                        .cloned()
                        .ok_or_else(|| unreadable("no sheets"))?
                }
            }
        }
    };
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let dims = cells.dimensions();
    let total_rows = if dims == calamine::Dimensions::default() {
        0
    } else {
        u64::from(dims.end.0) + 1
    };
    let info = SheetInfo {
        format: Format::Xlsx,
        sheets,
        sheet,
        total_rows,
        skipped_empty: skipped,
    };
    if tx.send(Message::Info(info)).is_err() {
        return Ok(());
    }
    let mut batcher = Batcher::new(tx);
    while let Some(c) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = c.get_position();
        if !batcher.cell(row, col, Value::from_ref(c.get_value())) {
            return Ok(());
        }
    }
    batcher.finish();
    Ok(())
}

fn produce_ranges<R>(
    mut wb: R,
    format: Format,
    wanted: Option<&str>,
    tx: &SyncSender<Message>,
) -> Result<(), ReadError>
where
    R: Reader<Input>,
    R::Error: std::fmt::Display,
{
    let sheets = wb.sheet_names();
    let mut skipped = Vec::new();
    let (sheet, range) = match wanted {
        Some(name) if sheets.iter().any(|s| s == name) => {
            let range = wb.worksheet_range(name).map_err(unreadable)?;
            (name.to_string(), range)
        }
        Some(name) => return Err(no_such_sheet(name, &sheets)),
        None => {
            let mut chosen = None;
            for name in candidates(wb.sheets_metadata()) {
                let range = wb.worksheet_range(&name).map_err(unreadable)?;
                if range.used_cells().next().is_some() {
                    chosen = Some((name, range));
                    break;
                }
                skipped.push(name);
            }
            match chosen {
                Some(c) => c,
                None => {
                    skipped.clear();
                    let first = sheets
                        .first()
                        .cloned()
                        .ok_or_else(|| unreadable("no sheets"))?;
                    let range = wb.worksheet_range(&first).map_err(unreadable)?;
                    (first, range)
                }
            }
        }
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let total_rows = range.end().map_or(0, |(r, _)| u64::from(r) + 1);
    let info = SheetInfo {
        format,
        sheets,
        sheet,
        total_rows,
        skipped_empty: skipped,
    };
    if tx.send(Message::Info(info)).is_err() {
        return Ok(());
    }
    let mut batcher = Batcher::new(tx);
    for (r, c, value) in range.used_cells() {
        if !batcher.cell(row0 + r as u32, col0 + c as u32, Value::from_data(value)) {
            return Ok(());
        }
    }
    batcher.finish();
    Ok(())
}

/// A cell's value, whichever calamine type it came in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(ExcelDateTime),
    /// ODS dates and times, already ISO 8601 (`2024-03-05`, `2024-03-05T12:00:00`).
    Iso(&'a str),
    /// ODS durations and times of day, ISO 8601 (`PT12H30M00S`).
    Duration(&'a str),
    Error(&'a CellErrorType),
}

impl<'a> Value<'a> {
    fn from_ref(d: &'a DataRef<'a>) -> Value<'a> {
        match d {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(dt) => Value::DateTime(*dt),
            DataRef::DateTimeIso(s) => Value::Iso(s),
            DataRef::DurationIso(s) => Value::Duration(s),
            DataRef::Error(e) => Value::Error(e),
        }
    }

    fn from_data(d: &'a Data) -> Value<'a> {
        match d {
            Data::Empty => Value::Empty,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(dt) => Value::DateTime(*dt),
            Data::DateTimeIso(s) => Value::Iso(s),
            Data::DurationIso(s) => Value::Duration(s),
            Data::Error(e) => Value::Error(e),
        }
    }

    /// Writes the value as the owner reads it in Excel.
    pub(crate) fn write(self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Empty => {}
            Value::Text(s) => out.push_str(s),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => out.push_str(&number_text(f)),
            Value::Bool(b) => out.push_str(if b { "TRUE" } else { "FALSE" }),
            Value::DateTime(dt) => out.push_str(&datetime_text(&dt)),
            Value::Iso(s) => out.push_str(&s.replacen('T', " ", 1)),
            Value::Duration(s) => {
                out.push_str(&iso_duration_text(s).unwrap_or_else(|| s.to_string()))
            }
            Value::Error(e) => {
                let _ = write!(out, "{e}");
            }
        }
    }
}

/// A number as Excel shows it in a General cell: whole numbers without ".0" or exponent (13812345678),
/// others by their shortest form once rounded to Excel's 15 significant digits (0.1+0.2 shows 0.3).
pub(crate) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".into();
    }
    // Rust's `Display` for f64 is the shortest text that reads back as the same number, never with an
    // exponent; rounding first drops the binary noise past the 15 digits Excel keeps.
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    format!("{rounded}")
}

/// An ISO 8601 duration of hours, minutes and seconds (`PT12H30M05S`, ODS's time cells) as `12:30:05`.
fn iso_duration_text(s: &str) -> Option<String> {
    let mut rest = s.strip_prefix("PT")?;
    let mut parts = [0u64; 3];
    for (i, unit) in ['H', 'M', 'S'].into_iter().enumerate() {
        if let Some((n, r)) = rest.split_once(unit) {
            // Seconds may carry a fraction; Excel shows whole seconds.
            let whole = n.split('.').next()?;
            parts[i] = whole.parse().ok()?;
            rest = r;
        }
    }
    rest.is_empty()
        .then(|| format!("{:02}:{:02}:{:02}", parts[0], parts[1], parts[2]))
}

/// A date cell as an ISO date, with the time of day when there is one; a time-only cell as its time; a
/// duration as hours:minutes:seconds.
pub(crate) fn datetime_text(dt: &ExcelDateTime) -> String {
    let v = dt.as_f64();
    if dt.is_duration() || (0.0..1.0).contains(&v) {
        let secs = (v * 86_400.0).round() as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let secs = secs.abs();
        return format!(
            "{sign}{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
    }
    // calamine knows the 1900 and 1904 date systems and Excel's phantom 1900-02-29.
    let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
    let mut secs = u32::from(hh) * 3600 + u32::from(mm) * 60 + u32::from(ss);
    if ms >= 500 && secs < 86_399 {
        secs += 1;
    }
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_as_excel_shows_them() {
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(30.0), "30");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(-12.0), "-12");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1234.56), "1234.56");
        assert_eq!(number_text(0.000001), "0.000001");
        assert_eq!(number_text(110105194912310000.0), "110105194912310000");
        assert_eq!(number_text(-0.0), "0");
    }

    #[test]
    fn dates_as_iso() {
        let dt = |v: f64| ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&dt(45356.0)), "2024-03-05");
        assert_eq!(datetime_text(&dt(45356.5)), "2024-03-05 12:00:00");
        assert_eq!(datetime_text(&dt(0.5)), "12:00:00");
        assert_eq!(datetime_text(&dt(61.0)), "1900-03-01");
        let d1904 = ExcelDateTime::new(43894.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(datetime_text(&d1904), "2024-03-05");
        let dur = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&dur), "36:00:00");
        assert_eq!(
            iso_duration_text("PT12H30M05.5S").as_deref(),
            Some("12:30:05")
        );
        assert_eq!(iso_duration_text("P1D"), None);
    }
}
