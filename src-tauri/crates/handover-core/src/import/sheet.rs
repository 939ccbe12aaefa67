//! Workbooks (xlsx, xlsb, xls, ods) as a stream of records.
//!
//! The workbook's bytes are read once (hashed as they are read, [`super::digest`]) and parsed by calamine
//! from memory. In the shipped binaries that happens in a child process with an address-space limit
//! (the `child` module), because calamine sizes buffers from counts the file declares and builds whole sheets
//! for xls, xlsb and ods; elsewhere on a thread of its own, handing rows over a small bounded channel.
//! Either way [`produce`] caps what comes out: a row's text at `MAX_RECORD_BYTES`, the sheet's at
//! [`text_budget`]. (calamine's xlsx cell reader borrows the workbook, which a struct could not hold beside it
//! without unsafe code; a thread or a process owns both.)
//!
//! Values come out as the owner sees them in Excel: whole numbers without ".0" (a phone stored as the
//! number 13812345678 stays "13812345678"), other numbers by their shortest form at Excel's 15 significant
//! digits, date cells (and numbers in date-formatted cells) as ISO dates "2024-03-05" or
//! "2024-03-05 12:00:00", formulas by the value Excel stored, errors as Excel shows them ("#DIV/0!").

use std::io::{Cursor, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use calamine::{
    open_workbook_from_rs, CellErrorType, Data, DataRef, ExcelDateTime, Ods, Reader, SheetType,
    Xls, Xlsb, Xlsx, XlsxError,
};

use super::digest::HashingFile;
use super::error::ReadError;
use super::record::Record;
use super::types::{Format, EXCERPT_BYTES, MAX_CELL_BYTES, MAX_RECORD_BYTES};

/// Rows handed over at a time, and batches in flight: a few hundred rows in memory at most.
const BATCH_ROWS: usize = 256;
const BATCHES_IN_FLIGHT: usize = 2;

/// The workbook's bytes, read once (and hashed as they were read); calamine reads them from memory.
#[derive(Debug, Clone)]
pub(crate) struct Bytes(Arc<Vec<u8>>);

impl Bytes {
    pub(crate) fn new(bytes: Vec<u8>) -> Bytes {
        Bytes(Arc::new(bytes))
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

type Input = Cursor<Bytes>;

/// Text a workbook may expand to, whatever it declares: 64 times the file's size, and at least 256 MiB.
/// (A 43 KB xlsx whose cells all point at one 1 MB shared string would otherwise expand to gigabytes of
/// rows; real exports hold less text than their file size once unzipped and de-duplicated.)
pub(crate) fn text_budget(file_len: u64) -> u64 {
    file_len.saturating_mul(64).max(256 << 20)
}

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

/// Where the workbook's rows go: over a channel to the table reader (in-process), or framed to stdout (the
/// child process that reads workbooks). Each returns `false` once nobody reads any more.
pub(crate) trait Sink {
    fn info(&mut self, info: SheetInfo) -> bool;
    fn rows(&mut self, rows: Vec<Record>) -> bool;
}

pub(crate) enum Message {
    Info(SheetInfo),
    Rows(Vec<Record>),
    Failed(ReadError),
}

struct ChannelSink(SyncSender<Message>);

impl Sink for ChannelSink {
    fn info(&mut self, info: SheetInfo) -> bool {
        self.0.send(Message::Info(info)).is_ok()
    }

    fn rows(&mut self, rows: Vec<Record>) -> bool {
        self.0.send(Message::Rows(rows)).is_ok()
    }
}

/// The records of one sheet read on a thread of this process (tests, the fuzz harness).
pub(crate) struct ThreadRecords {
    rx: Receiver<Message>,
    batch: std::vec::IntoIter<Record>,
    done: bool,
}

impl std::fmt::Debug for ThreadRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadRecords").finish_non_exhaustive()
    }
}

impl ThreadRecords {
    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        let ThreadRecords { rx, batch, done } = self;
        loop {
            if let Some(r) = batch.next() {
                *rec = r;
                return Ok(true);
            }
            if *done {
                return Ok(false);
            }
            match rx.recv() {
                Ok(Message::Rows(rows)) => *batch = rows.into_iter(),
                Ok(Message::Failed(e)) => {
                    *done = true;
                    return Err(e);
                }
                Ok(Message::Info(_)) => {}
                // The thread ends its channel when the sheet is done.
                Err(_) => {
                    *done = true;
                    return Ok(false);
                }
            }
        }
    }
}

/// Parses the workbook on a thread of this process (the workbook module decides which way).
pub(crate) fn open_in_process(
    file: &HashingFile,
    head: Vec<u8>,
    format: Format,
    sheet: Option<&str>,
) -> Result<(SheetInfo, ThreadRecords), ReadError> {
    let mut bytes = head;
    file.clone()
        .read_to_end(&mut bytes)
        .map_err(ReadError::io)?;
    let bytes = Bytes::new(bytes);
    let (tx, rx) = sync_channel(BATCHES_IN_FLIGHT);
    let wanted = sheet.map(str::to_string);
    std::thread::Builder::new()
        .name("handover-sheet-reader".into())
        .spawn(move || {
            let mut sink = ChannelSink(tx);
            if let Err(e) = produce(bytes, format, wanted.as_deref(), &mut sink) {
                // The reader may be gone already; then nobody needs the error.
                let _ = sink.0.send(Message::Failed(e));
            }
        })
        .map_err(|e| ReadError::Io(e.to_string()))?;
    match rx.recv() {
        Ok(Message::Info(info)) => Ok((
            info,
            ThreadRecords {
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

fn unreadable(e: impl std::fmt::Display) -> ReadError {
    ReadError::UnreadableSpreadsheet(e.to_string())
}

/// Reads the workbook in `bytes`: opens it, chooses the sheet, hands its info to `sink`, then its rows in
/// batches. Cells, rows and the whole sheet's text are capped as they are produced.
pub(crate) fn produce(
    bytes: Bytes,
    format: Format,
    wanted: Option<&str>,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let budget = text_budget(bytes.as_ref().len() as u64);
    let input = || Cursor::new(bytes.clone());
    match format {
        Format::Xlsx => match open_workbook_from_rs::<Xlsx<Input>, Input>(input()) {
            Ok(mut wb) => produce_xlsx(&mut wb, wanted, sink, budget),
            Err(XlsxError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => {
                // A zip whose first entry is not ODS's mimetype may still be ODS, or xlsb.
                if let Ok(wb) = open_workbook_from_rs::<Ods<Input>, Input>(input()) {
                    return produce_ranges(wb, Format::Ods, wanted, sink, budget);
                }
                if let Ok(wb) = open_workbook_from_rs::<Xlsb<Input>, Input>(input()) {
                    return produce_ranges(wb, Format::Xlsb, wanted, sink, budget);
                }
                Err(unreadable(e))
            }
        },
        Format::Xlsb => {
            let wb = open_workbook_from_rs::<Xlsb<Input>, Input>(input()).map_err(unreadable)?;
            produce_ranges(wb, Format::Xlsb, wanted, sink, budget)
        }
        Format::Ods => match open_workbook_from_rs::<Ods<Input>, Input>(input()) {
            Ok(wb) => produce_ranges(wb, Format::Ods, wanted, sink, budget),
            Err(calamine::OdsError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => Err(unreadable(e)),
        },
        Format::Xls => match open_workbook_from_rs::<Xls<Input>, Input>(input()) {
            Ok(wb) => produce_ranges(wb, Format::Xls, wanted, sink, budget),
            Err(calamine::XlsError::Password) => Err(ReadError::PasswordProtected),
            Err(e) => {
                // An encrypted xlsx is an OLE file too; calamine's xlsx reader recognises it.
                match open_workbook_from_rs::<Xlsx<Input>, Input>(input()) {
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

/// Collects cells into records and hands them on in batches, capping each row's text at
/// [`MAX_RECORD_BYTES`] and the sheet's at the budget.
struct Batcher<'a> {
    sink: &'a mut dyn Sink,
    current: Option<Record>,
    batch: Vec<Record>,
    text: String,
    row_bytes: usize,
    total_bytes: u64,
    budget: u64,
}

impl<'a> Batcher<'a> {
    fn new(sink: &'a mut dyn Sink, budget: u64) -> Batcher<'a> {
        Batcher {
            sink,
            current: None,
            batch: Vec::with_capacity(BATCH_ROWS),
            text: String::new(),
            row_bytes: 0,
            total_bytes: 0,
            budget,
        }
    }

    /// Adds the cell at 0-based (row, col); `Ok(false)` when the reader has gone.
    fn cell(&mut self, row: u32, col: u32, value: Value<'_>) -> Result<bool, ReadError> {
        self.text.clear();
        value.write(&mut self.text);
        if self.text.is_empty() {
            return Ok(true);
        }
        let row_number = u64::from(row) + 1;
        if self.current.as_ref().is_some_and(|r| r.row != row_number) && !self.flush_row() {
            return Ok(false);
        }
        // A cell above the cap is kept as an excerpt; what counts is what is kept.
        let kept = if self.text.len() > MAX_CELL_BYTES {
            EXCERPT_BYTES + 4
        } else {
            self.text.len() + 1
        };
        self.row_bytes += kept;
        self.total_bytes += kept as u64;
        if self.row_bytes > MAX_RECORD_BYTES {
            return Err(ReadError::TooLargeRow { row: row_number });
        }
        if self.total_bytes > self.budget {
            return Err(ReadError::MemoryLimit);
        }
        let rec = self.current.get_or_insert_with(|| {
            let mut r = Record::default();
            r.begin(row_number);
            r
        });
        rec.set(col as usize, &self.text);
        Ok(true)
    }

    fn flush_row(&mut self) -> bool {
        self.row_bytes = 0;
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
        rows.is_empty() || self.sink.rows(rows)
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
    sink: &mut dyn Sink,
    budget: u64,
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
    if !sink.info(info) {
        return Ok(());
    }
    let mut batcher = Batcher::new(sink, budget);
    while let Some(c) = cells.next_cell().map_err(unreadable)? {
        let (row, col) = c.get_position();
        if !batcher.cell(row, col, Value::from_ref(c.get_value()))? {
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
    sink: &mut dyn Sink,
    budget: u64,
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
    if !sink.info(info) {
        return Ok(());
    }
    let mut batcher = Batcher::new(sink, budget);
    for (r, c, value) in range.used_cells() {
        if !batcher.cell(row0 + r as u32, col0 + c as u32, Value::from_data(value))? {
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
