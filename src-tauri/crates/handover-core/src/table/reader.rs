//! The streaming reader behind `preview` and `open`.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use calamine::{Data, Reader};
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::detect;
use super::{
    RawRow, ReadOptions, RowProblem, RowProblemKind, TableError, TablePreview, MAX_CELL_BYTES,
    MAX_COLUMNS, MAX_RECORD_BYTES, PREVIEW_ROWS,
};
use crate::Lang;

/// How far the reader has got, shareable with the thread that reports progress.
#[derive(Debug, Clone, Default)]
pub struct ProgressHandle(Arc<AtomicU64>);

impl ProgressHandle {
    /// Work done, in the reader's unit: bytes of a text file, rows of a sheet.
    pub fn done(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Counts the raw bytes taken from the file, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Byte offsets of the line breaks read ahead of the csv parser, to number rows as the owner sees them.
/// (The csv crate's own line count goes wrong after blank CRLF lines.) Bounded by the read-ahead.
#[derive(Default)]
struct LineLog {
    offsets: VecDeque<u64>,
    lines_before: u64,
}

/// Stops the read when one record grows past `MAX_RECORD_BYTES`: the csv crate buffers a whole record,
/// so a file with an unclosed quote or no line breaks would otherwise be read into memory entirely.
struct RecordGuard<R> {
    inner: R,
    read: u64,
    record_start: Arc<AtomicU64>,
    lines: Arc<std::sync::Mutex<LineLog>>,
}

const GUARD_MESSAGE: &str = "handover: record too large";

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The csv reader's own buffer runs up to 64 KiB ahead of the last record it returned.
        if self.read - self.record_start.load(Ordering::Relaxed) > MAX_RECORD_BYTES + (64 << 10) {
            return Err(io::Error::other(GUARD_MESSAGE));
        }
        let n = self.inner.read(buf)?;
        {
            let mut log = self.lines.lock().unwrap_or_else(|e| e.into_inner());
            for (i, _) in buf[..n].iter().enumerate().filter(|(_, &b)| b == b'\n') {
                log.offsets.push_back(self.read + i as u64);
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

type TextSource = RecordGuard<DecodeReaderBytes<Counting<File>, Vec<u8>>>;

struct TextRows {
    rdr: csv::Reader<TextSource>,
    record: csv::StringRecord,
    record_start: Arc<AtomicU64>,
    lines: Arc<std::sync::Mutex<LineLog>>,
}

impl TextRows {
    /// The next non-blank record as (row number, cells), or `None` at the end.
    fn next_record(&mut self) -> Result<Option<(u64, Vec<String>)>, TableError> {
        loop {
            let line = self.rdr.position().line();
            match self.rdr.read_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    self.record_start
                        .store(self.rdr.position().byte(), Ordering::Relaxed);
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    // The row's number is counted back from where it ends: the line breaks read so far,
                    // minus those inside its quoted cells.
                    let end = self.rdr.position().byte();
                    let row = {
                        let mut log = self.lines.lock().unwrap_or_else(|e| e.into_inner());
                        let mut last = None;
                        while log.offsets.front().is_some_and(|&o| o < end) {
                            last = log.offsets.pop_front();
                            log.lines_before += 1;
                        }
                        let terminated = last.is_some_and(|o| o + 1 == end);
                        let inside: u64 = self
                            .record
                            .iter()
                            .map(|c| c.bytes().filter(|&b| b == b'\n').count() as u64)
                            .sum();
                        let last_line = log.lines_before + u64::from(!terminated);
                        last_line.saturating_sub(inside).max(1)
                    };
                    return Ok(Some((row, self.record.iter().map(str::to_owned).collect())));
                }
                Err(e) => {
                    if let csv::ErrorKind::Io(io) = e.kind() {
                        if io.to_string().contains(GUARD_MESSAGE) {
                            return Err(TableError::RecordTooLarge(line));
                        }
                        return Err(TableError::Io(io.to_string()));
                    }
                    // With `flexible`, the csv crate reports only I/O and UTF-8 problems; the decoder
                    // already produced valid UTF-8, so this is unexpected.
                    return Err(TableError::Io(e.to_string()));
                }
            }
        }
    }
}

enum Rows {
    Text(Box<TextRows>),
    Sheet(std::vec::IntoIter<(u64, Vec<String>)>),
}

impl Rows {
    fn next_record(&mut self) -> Result<Option<(u64, Vec<String>)>, TableError> {
        match self {
            Rows::Text(t) => t.next_record(),
            Rows::Sheet(it) => Ok(it.next()),
        }
    }
}

/// Rows after the header, one at a time.
pub struct TableReader {
    rows: Rows,
    /// Records read ahead while looking for the header, served first.
    pending: VecDeque<(u64, Vec<String>)>,
    width: usize,
    total: u64,
    progress: ProgressHandle,
    sheet_rows_done: bool,
    pub preview: TablePreview,
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("width", &self.width)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl TableReader {
    /// The total work, in the unit of `ProgressHandle::done`.
    pub fn total_units(&self) -> u64 {
        self.total
    }

    pub fn progress_handle(&self) -> ProgressHandle {
        self.progress.clone()
    }

    fn shape(&self, row_number: u64, mut cells: Vec<String>) -> RawRow {
        let mut problems = Vec::new();
        let found = cells.len();
        if found > self.width {
            if cells[self.width..].iter().all(|c| c.trim().is_empty()) {
                cells.truncate(self.width);
            } else {
                problems.push(RowProblem {
                    column: None,
                    kind: RowProblemKind::TooManyFields,
                    found,
                    expected: self.width,
                });
            }
        } else if found < self.width {
            problems.push(RowProblem {
                column: None,
                kind: RowProblemKind::TooFewFields,
                found,
                expected: self.width,
            });
            cells.resize(self.width, String::new());
        }
        for (i, c) in cells.iter_mut().enumerate() {
            if c.len() > MAX_CELL_BYTES {
                problems.push(RowProblem {
                    column: Some(i),
                    kind: RowProblemKind::CellTooLong,
                    found: c.len(),
                    expected: MAX_CELL_BYTES,
                });
                // The row is rejected; keep the start of the cell so the problem list stays readable.
                let mut cut = 1024;
                while !c.is_char_boundary(cut) {
                    cut -= 1;
                }
                c.truncate(cut);
                c.push('…');
            } else if c.contains('\u{FFFD}') {
                problems.push(RowProblem {
                    column: Some(i),
                    kind: RowProblemKind::UndecodableBytes,
                    found: 0,
                    expected: 0,
                });
            }
        }
        RawRow {
            row_number,
            cells,
            problems,
        }
    }
}

impl Iterator for TableReader {
    type Item = Result<RawRow, TableError>;

    fn next(&mut self) -> Option<Self::Item> {
        let next = match self.pending.pop_front() {
            Some(r) => Ok(Some(r)),
            None => self.rows.next_record(),
        };
        match next {
            Ok(Some((row, cells))) => {
                if let Rows::Sheet(_) = self.rows {
                    self.progress.0.fetch_add(1, Ordering::Relaxed);
                }
                Some(Ok(self.shape(row, cells)))
            }
            Ok(None) => {
                if !self.sheet_rows_done {
                    self.sheet_rows_done = true;
                    self.progress.0.store(self.total, Ordering::Relaxed);
                }
                None
            }
            Err(e) => Some(Err(e)),
        }
    }
}

fn io_err(e: io::Error) -> TableError {
    TableError::Io(e.to_string())
}

/// Reads the first 64 KiB (or all of a smaller file).
fn head_of(path: &Path) -> Result<(Vec<u8>, u64), TableError> {
    let mut f = File::open(path).map_err(io_err)?;
    let size = f.metadata().map_err(io_err)?.len();
    let mut head = Vec::with_capacity(64 << 10);
    (&mut f)
        .take(64 << 10)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    Ok((head, size))
}

/// Opens a file and positions the reader after the header.
pub fn open(path: &Path, options: &ReadOptions) -> Result<TableReader, TableError> {
    let (head, size) = head_of(path)?;
    let format = detect::format_of(&head)?;
    let progress = ProgressHandle::default();
    let (mut rows, encoding, delimiter, sheets, sheet, total) = if format.is_spreadsheet() {
        let (sheets, sheet, rows) = read_sheet(path, size, options)?;
        let total = rows.len() as u64;
        (
            Rows::Sheet(rows.into_iter()),
            format.id().to_string(),
            None,
            sheets,
            Some(sheet),
            total,
        )
    } else {
        let (enc, name) = detect::encoding_of(&head, options.encoding.as_deref())?;
        let delimiter = match options.delimiter {
            Some(d) => d,
            None => {
                let (sample, _) = enc.decode_with_bom_removal(&head);
                // Drop the last, possibly cut, line of the sample.
                let cut = sample.rfind('\n').unwrap_or(sample.len());
                detect::delimiter_of(&sample[..cut])
            }
        };
        let rows = text_rows(path, enc, delimiter, &progress)?;
        (
            Rows::Text(Box::new(rows)),
            name,
            Some(delimiter),
            Vec::new(),
            None,
            size,
        )
    };

    // Look at the first rows to find the header (or go to the one the owner chose).
    let mut ahead: VecDeque<(u64, Vec<String>)> = VecDeque::new();
    let header_at = match options.header_row {
        Some(n) => {
            loop {
                match rows.next_record()? {
                    Some((row, cells)) if row >= n => {
                        if row != n {
                            return Err(TableError::HeaderRowOutOfRange(n));
                        }
                        ahead.push_back((row, cells));
                        break;
                    }
                    Some(_) => continue,
                    None => return Err(TableError::HeaderRowOutOfRange(n)),
                }
            }
            while ahead.len() < 30 {
                match rows.next_record()? {
                    Some(r) => ahead.push_back(r),
                    None => break,
                }
            }
            0
        }
        None => {
            while ahead.len() < 30 {
                match rows.next_record()? {
                    Some(r) => ahead.push_back(r),
                    None => break,
                }
            }
            if ahead.is_empty() {
                return Err(TableError::Empty);
            }
            let sample: Vec<Vec<String>> = ahead.iter().map(|(_, c)| c.clone()).collect();
            detect::header_index(&sample)
        }
    };
    for _ in 0..header_at {
        ahead.pop_front();
    }
    let (header_row, header_cells) = ahead.pop_front().ok_or(TableError::Empty)?;
    // Trailing empty header cells are not columns unless data fills them.
    let filled_len = header_cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    let data_widths: Vec<usize> = ahead
        .iter()
        .map(|(_, c)| {
            c.iter()
                .rposition(|x| !x.trim().is_empty())
                .map_or(0, |i| i + 1)
        })
        .collect();
    let width = filled_len.max(detect::modal(&data_widths).0).max(1);
    if width > MAX_COLUMNS || header_cells.len() > MAX_COLUMNS && filled_len > MAX_COLUMNS {
        return Err(TableError::TooManyColumns(width.max(filled_len)));
    }
    if ahead.is_empty() {
        return Err(TableError::HeaderOnly);
    }
    let mut raw_names = header_cells;
    raw_names.resize(width, String::new());
    // Names are for people; the language of generated names follows the app's default (Chinese).
    let headers = detect::distinct_names(&raw_names, Lang::ZhCn);
    let mut reader = TableReader {
        rows,
        pending: ahead,
        width,
        total,
        progress,
        sheet_rows_done: false,
        preview: TablePreview {
            format,
            encoding,
            delimiter,
            sheets,
            sheet,
            header_row,
            headers,
            rows: Vec::new(),
            total_bytes: size,
        },
    };
    let preview_rows: Vec<RawRow> = reader
        .pending
        .iter()
        .take(PREVIEW_ROWS)
        .map(|(row, cells)| reader.shape(*row, cells.clone()))
        .collect();
    reader.preview.rows = preview_rows;
    Ok(reader)
}

/// The start of the file, understood: what the preview screen shows.
pub fn preview(path: &Path, options: &ReadOptions) -> Result<TablePreview, TableError> {
    open(path, options).map(|r| r.preview)
}

fn text_rows(
    path: &Path,
    enc: &'static Encoding,
    delimiter: u8,
    progress: &ProgressHandle,
) -> Result<TextRows, TableError> {
    let file = File::open(path).map_err(io_err)?;
    let counting = Counting {
        inner: file,
        count: progress.0.clone(),
    };
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(enc))
        .bom_override(true)
        .build(counting);
    let record_start = Arc::new(AtomicU64::new(0));
    let lines = Arc::new(std::sync::Mutex::new(LineLog::default()));
    let guarded = RecordGuard {
        inner: decoded,
        read: 0,
        record_start: record_start.clone(),
        lines: lines.clone(),
    };
    let rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(64 << 10)
        .from_reader(guarded);
    Ok(TextRows {
        rdr,
        record: csv::StringRecord::new(),
        record_start,
        lines,
    })
}

/// Reads one sheet of a workbook into rows of text. Workbooks are compressed and capped by Excel at about a
/// million rows, so a sheet is read whole; files above 512 MB are refused.
#[allow(clippy::type_complexity)]
fn read_sheet(
    path: &Path,
    size: u64,
    options: &ReadOptions,
) -> Result<(Vec<String>, String, Vec<(u64, Vec<String>)>), TableError> {
    if size > 512 << 20 {
        return Err(TableError::Spreadsheet("larger than 512 MB".into()));
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    let mut book = calamine::open_workbook_auto_from_rs(io::Cursor::new(bytes))
        .map_err(|e| TableError::Spreadsheet(e.to_string()))?;
    let sheets = book.sheet_names();
    let sheet = match &options.sheet {
        Some(s) if sheets.contains(s) => s.clone(),
        Some(s) => return Err(TableError::NoSuchSheet(s.clone())),
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| TableError::Spreadsheet("no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| TableError::Spreadsheet(e.to_string()))?;
    if range.width() > MAX_COLUMNS {
        return Err(TableError::TooManyColumns(range.width()));
    }
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let rows = range
        .rows()
        .enumerate()
        .filter_map(|(i, r)| {
            let mut cells: Vec<String> = vec![String::new(); first_col];
            cells.extend(r.iter().map(cell_text));
            if cells.iter().all(|c| c.trim().is_empty()) {
                None
            } else {
                Some((first_row + i as u64 + 1, cells))
            }
        })
        .collect();
    Ok((sheets, sheet, rows))
}

/// A spreadsheet cell as the owner would read it: whole numbers without ".0" (a phone stored as a number
/// stays 13812345678), dates as ISO dates, errors as Excel shows them.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e16 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
