//! `open` and `preview`: recognise a file, find its header, and stream the rows below it.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::digest::{DigestHandle, HashingFile};
use super::error::ReadError;
use super::header::{detect_header, header_names, looks_like_prose};
use super::record::{has_replacement_character, Record};
use super::sniff;
use super::text::TextRecords;
use super::types::{
    Format, PreviewNote, Progress, ProgressUnit, RawRow, ReadOptions, RowProblem, RowProblemKind,
    TablePreview, HEADER_SEARCH_ROWS, MAX_CELL_BYTES, MAX_COLUMNS, PREVIEW_ROWS, SNIFF_BYTES,
};
use super::workbook::SheetRecords;
use crate::detect::chars::trim_white;

/// Text held while looking for the header and filling the preview: beyond this, fewer rows are looked
/// at rather than more memory used (30 rows of up to 8 MiB each would otherwise be 240 MiB).
const LOOKAHEAD_BYTES: usize = 16 << 20;

enum Source {
    Text(Box<TextRecords>),
    Sheet(SheetRecords),
}

impl Source {
    /// The next non-blank record, or `false` at the end.
    fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        loop {
            let more = match self {
                Source::Text(t) => t.next_record(rec)?,
                Source::Sheet(s) => s.next_record(rec)?,
            };
            if !more {
                return Ok(false);
            }
            rec.finish();
            if !rec.is_blank() {
                return Ok(true);
            }
        }
    }
}

/// How far a read has got, shareable with a thread that reports progress.
#[derive(Debug, Clone)]
pub struct ProgressHandle {
    done: Arc<AtomicU64>,
    total: u64,
    unit: ProgressUnit,
}

impl ProgressHandle {
    /// Work done, in the reader's unit: bytes of a text file, rows of a sheet.
    pub fn done(&self) -> u64 {
        let done = self.done.load(Ordering::Relaxed);
        if self.total == 0 {
            done
        } else {
            done.min(self.total)
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done(),
            total: self.total,
            unit: self.unit,
        }
    }
}

/// The rows below the header, one at a time, in constant memory.
///
/// As an iterator it yields owned rows; [`TableReader::read_row`] fills a row the caller keeps, reusing
/// its memory, which is what a million-row import wants. After an error the reader yields nothing more.
pub struct TableReader {
    source: Source,
    /// Records read ahead while looking for the header, served first.
    pending: VecDeque<Record>,
    spare: Record,
    width: usize,
    /// Text files have a field count per row; sheets do not store trailing empty cells, so a short
    /// row is normal there and not flagged.
    text: bool,
    progress: ProgressHandle,
    finished: bool,
    preview: TablePreview,
    /// The header's cells as written, to recognise it when an export repeats it between pages.
    raw_header: Vec<String>,
    /// The file, hashed as it is read; and where the digest goes once the read ends with the file unchanged.
    file: HashingFile,
    digest: DigestHandle,
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("format", &self.preview.format)
            .field("width", &self.width)
            .field("progress", &self.progress.progress())
            .finish_non_exhaustive()
    }
}

impl TableReader {
    /// What the preview shows: format, encoding, delimiter, sheets, header, the first rows.
    pub fn preview(&self) -> &TablePreview {
        &self.preview
    }

    pub fn into_preview(self) -> TablePreview {
        self.preview
    }

    /// The column names (one per column of every row).
    pub fn headers(&self) -> &[String] {
        &self.preview.headers
    }

    /// All the work, in the unit of [`ProgressHandle::done`].
    pub fn total_units(&self) -> u64 {
        self.progress.total
    }

    pub fn progress_handle(&self) -> ProgressHandle {
        self.progress.clone()
    }

    pub fn progress(&self) -> Progress {
        self.progress.progress()
    }

    /// Where the SHA-256 and size of exactly the bytes this reader read appear once it has read the last
    /// row and found the file unchanged (same size and modification time as when it was opened). A read
    /// that ends otherwise leaves it empty.
    pub fn digest_handle(&self) -> DigestHandle {
        self.digest.clone()
    }

    /// Reads the next row into `row`, reusing its memory; `Ok(false)` at the end of the file.
    pub fn read_row(&mut self, row: &mut RawRow) -> Result<bool, ReadError> {
        if self.finished {
            return Ok(false);
        }
        let got = match self.pending.pop_front() {
            Some(mut rec) => {
                // The pending record's strings are moved into `row`; the spare keeps the row's old ones.
                std::mem::swap(&mut rec.cells, &mut self.spare.cells);
                self.spare.row = rec.row;
                self.spare.fields = rec.fields;
                self.spare.dropped_text = rec.dropped_text;
                self.spare.oversize.clear();
                self.spare.oversize.append(&mut rec.oversize);
                self.spare.open_quote = rec.open_quote;
                true
            }
            None => match self.source.next_record(&mut self.spare) {
                Ok(more) => more,
                Err(e) => {
                    self.finished = true;
                    return Err(e);
                }
            },
        };
        if !got {
            self.finished = true;
            // The rest of the file (bytes no reader needed) is hashed too; a file that changed is refused.
            let digest = self.file.finish()?;
            let _ = self.digest.set(digest);
            self.progress
                .done
                .store(self.progress.total, Ordering::Relaxed);
            return Ok(false);
        }
        if !self.text {
            self.progress.done.store(self.spare.row, Ordering::Relaxed);
        }
        shape(&mut self.spare, row, self.width, self.text);
        mark_summary(row, &self.raw_header);
        Ok(true)
    }
}

impl Iterator for TableReader {
    type Item = Result<RawRow, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut row = RawRow::default();
        match self.read_row(&mut row) {
            Ok(true) => Some(Ok(row)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Gives a record the header's width and lists what is wrong with it. The record's cells are swapped into
/// `row` (and `row`'s old strings into the record, for reuse).
fn shape(rec: &mut Record, row: &mut RawRow, width: usize, text: bool) {
    row.row_number = rec.row;
    row.problems.clear();
    // The row's old strings stay in the record, to be overwritten by the next one.
    std::mem::swap(&mut row.cells, &mut rec.cells);
    let found = rec.fields.max(row.cells.len()) as u64;
    let extra_text = rec.dropped_text
        || row
            .cells
            .iter()
            .skip(width)
            .any(|c| !trim_white(c).is_empty());
    if rec.open_quote.is_some() {
        // Rejected for the open quote, which is the one problem named; the line keeps all its text.
        if !extra_text {
            row.cells.truncate(width);
            row.cells.resize(width, String::new());
        }
    } else if extra_text {
        // Rejected: every field is kept for the problem list.
        row.problems.push(RowProblem {
            column: None,
            kind: RowProblemKind::TooManyFields,
            found,
            expected: width as u64,
        });
    } else {
        if text && found < width as u64 {
            row.problems.push(RowProblem {
                column: None,
                kind: RowProblemKind::TooFewFields,
                found,
                expected: width as u64,
            });
        }
        row.cells.truncate(width);
        row.cells.resize(width, String::new());
    }
    let mut cell_problems: Vec<RowProblem> = rec
        .oversize
        .iter()
        .map(|&(col, size)| RowProblem {
            column: Some(col),
            kind: RowProblemKind::CellTooLong,
            found: size,
            expected: MAX_CELL_BYTES as u64,
        })
        .collect();
    if let Some((col, line)) = rec.open_quote {
        cell_problems.push(RowProblem {
            column: Some(col),
            kind: RowProblemKind::OpenQuote,
            found: line,
            expected: 0,
        });
    }
    let checked_whole = rec.no_replacement;
    for (col, c) in row.cells.iter().enumerate() {
        if !checked_whole && has_replacement_character(c.as_bytes()) {
            cell_problems.push(RowProblem {
                column: Some(col),
                kind: RowProblemKind::UndecodableBytes,
                found: 0,
                expected: 0,
            });
        }
    }
    cell_problems.sort_by_key(|p| p.column);
    row.problems.extend(cell_problems);
}

/// Words that open a footer or subtotal row.
const TOTAL_WORDS: [&str; 8] = [
    "合计", "总计", "小计", "总共", "统计", "共计", "累计", "total",
];

/// Flags a footer or subtotal row and the header repeated between pages ([`RowProblemKind::TotalRow`],
/// [`RowProblemKind::RepeatedHeader`]); both are rejected, so they go to the problem list, never become a
/// customer. Only the first cell with text is looked at for a total (a row that holds a name or a phone
/// first is data); the header comparison stops at the first cell that differs.
fn mark_summary(row: &mut RawRow, header: &[String]) {
    if row.is_rejected() {
        return;
    }
    let Some((col, first)) = row
        .cells
        .iter()
        .enumerate()
        .find(|(_, c)| !trim_white(c).is_empty())
    else {
        return;
    };
    let first = trim_white(first);
    let kind = if is_total_label(first) {
        Some(RowProblemKind::TotalRow)
    } else if !header.is_empty()
        && header.len() == row.cells.len()
        && header
            .iter()
            .zip(&row.cells)
            .all(|(h, c)| trim_white(h) == trim_white(c))
    {
        Some(RowProblemKind::RepeatedHeader)
    } else {
        None
    };
    if let Some(kind) = kind {
        row.problems.push(RowProblem {
            column: Some(col),
            kind,
            found: 0,
            expected: 0,
        });
    }
}

/// 合计, 总计：, 小计(元), 共 25 件, 共25条记录, Total: the label of a footer row.
fn is_total_label(s: &str) -> bool {
    if s.len() > 60 {
        return false;
    }
    if TOTAL_WORDS
        .iter()
        .any(|w| s.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
    {
        return true;
    }
    // 共 25 件 / 共25条 / 共 3 页: 共, a number, a counting word.
    if let Some(rest) = s.strip_prefix('共') {
        let rest = rest.trim_start();
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            let after = rest[digits..].trim_start();
            return ["件", "条", "人", "位", "笔", "行", "个", "单", "页", "名"]
                .iter()
                .any(|w| after.starts_with(w));
        }
    }
    false
}

/// Reads the first bytes of the file, for sniffing.
fn head_of(file: &mut HashingFile) -> Result<Vec<u8>, ReadError> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(ReadError::io)?;
    Ok(head)
}

/// The note for a file whose name says another format than its bytes.
fn name_note(path: &Path, format: Format) -> Option<PreviewNote> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let expected: &[Format] = match ext.as_str() {
        "csv" | "txt" | "tsv" | "tab" => &[Format::Csv, Format::Utf16Text],
        "xlsx" | "xlsm" => &[Format::Xlsx],
        "xlsb" => &[Format::Xlsb],
        "xls" => &[Format::Xls],
        "ods" => &[Format::Ods],
        _ => return None,
    };
    (!expected.contains(&format)).then_some(PreviewNote::FormatDiffersFromName {
        extension: ext,
        format,
    })
}

/// Decoded start of a text file for delimiter sniffing; a line cut off at the end is dropped.
fn delimiter_sample(head: &[u8], enc: &'static encoding_rs::Encoding, complete: bool) -> String {
    let (text, _) = enc.decode_without_bom_handling(head);
    let text = text.trim_start_matches('\u{FEFF}');
    let end = if complete {
        text.len()
    } else {
        text.rfind('\n').unwrap_or(text.len())
    };
    text[..end].to_string()
}

/// The byte that ends lines in a text file: `\r` only in a file with old Mac line ends (no `\n` at all in
/// its start). UTF-16 keeps the ASCII byte in one of each pair, so the raw bytes tell as well.
fn line_end_of(head: &[u8]) -> u8 {
    if !head.contains(&b'\n') && head.contains(&b'\r') {
        b'\r'
    } else {
        b'\n'
    }
}

/// Opens a file: recognises it, finds the header (or goes to the one the owner chose) and positions the
/// reader on the first data row. The preview ([`TableReader::preview`]) is ready at once.
pub fn open(path: &Path, options: &ReadOptions) -> Result<TableReader, ReadError> {
    // One pass: the bytes are hashed as they are read, and the start read for sniffing is not read again
    // from the file but handed on from memory.
    let mut file = HashingFile::new(ReadError::open_regular(path)?, path)?;
    let total_bytes = file.len();
    let head = head_of(&mut file)?;
    let mut format = sniff::format_of(&head)?;
    let done = Arc::new(AtomicU64::new(0));
    let mut notes = Vec::new();

    let (source, encoding, delimiter, sheets, sheet, total, unit) = if format.is_text() {
        let complete = head.len() as u64 == total_bytes;
        let (enc, name) = sniff::encoding_of(&head, options.encoding.as_deref(), complete)?;
        let delimiter = match options.delimiter {
            Some(d) => d,
            None => sniff::delimiter_of(&delimiter_sample(&head, enc, complete)),
        };
        // UTF-16 has two bytes per unit: a lone byte at the end is no character, and decoded it would be a
        // junk row of one �. It is left out, and the preview says so.
        let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
        let limit = if utf16 && total_bytes % 2 == 1 {
            notes.push(PreviewNote::OddTrailingByte {
                offset: total_bytes - 1,
            });
            total_bytes - 1
        } else {
            u64::MAX
        };
        let line_end = line_end_of(&head);
        let input = Box::new(Cursor::new(head).chain(file.clone()));
        let records = TextRecords::with_limit(input, limit, enc, delimiter, line_end, done.clone());
        (
            Source::Text(Box::new(records)),
            name,
            Some(delimiter),
            Vec::new(),
            None,
            total_bytes,
            ProgressUnit::Bytes,
        )
    } else {
        let (info, records) = super::workbook::open(&file, head, format, options.sheet.as_deref())?;
        format = info.format;
        // Never a silent first sheet: the sheets not read now are named, so the owner can import them too.
        let others: Vec<String> = info
            .sheets
            .iter()
            .filter(|s| **s != info.sheet && !info.skipped_empty.contains(s))
            .cloned()
            .collect();
        if !info.skipped_empty.is_empty() {
            notes.push(PreviewNote::EmptySheetsSkipped {
                sheets: info.skipped_empty,
            });
        }
        if !others.is_empty() {
            notes.push(PreviewNote::OtherSheetsNotImported { sheets: others });
        }
        (
            Source::Sheet(records),
            format.id().to_string(),
            None,
            info.sheets,
            Some(info.sheet),
            info.total_rows,
            ProgressUnit::Rows,
        )
    };
    if let Some(note) = name_note(path, format) {
        notes.insert(0, note);
    }
    let mut reader = TableReader {
        source,
        pending: VecDeque::new(),
        spare: Record::default(),
        width: 0,
        text: format.is_text(),
        progress: ProgressHandle { done, total, unit },
        finished: false,
        raw_header: Vec::new(),
        file,
        digest: DigestHandle::default(),
        preview: TablePreview {
            format,
            encoding,
            delimiter,
            sheets,
            sheet,
            header_row: 0,
            headers: Vec::new(),
            rows: Vec::new(),
            total_bytes,
            notes,
        },
    };
    reader.find_header(options)?;
    Ok(reader)
}

impl TableReader {
    /// Reads records into `pending` until it holds `n` or the look-ahead budget is spent.
    fn read_ahead(&mut self, n: usize, bytes: &mut usize) -> Result<(), ReadError> {
        while self.pending.len() < n && *bytes < LOOKAHEAD_BYTES {
            let mut rec = Record::default();
            if !self.source.next_record(&mut rec)? {
                break;
            }
            *bytes += rec.text_bytes();
            self.pending.push_back(rec);
        }
        Ok(())
    }

    fn find_header(&mut self, options: &ReadOptions) -> Result<(), ReadError> {
        let mut bytes = 0usize;
        let mut skipped = Vec::new();
        let header = match options.header_row {
            Some(n) => loop {
                let mut rec = Record::default();
                if !self.source.next_record(&mut rec)? || rec.row > n {
                    return Err(ReadError::HeaderRowOutOfRange { row: n });
                }
                if rec.row == n {
                    break rec;
                }
                // Rows above the chosen header are not data; only their numbers are kept for the note.
                if skipped.len() < HEADER_SEARCH_ROWS {
                    skipped.push(rec.row);
                }
            },
            None => {
                self.read_ahead(HEADER_SEARCH_ROWS, &mut bytes)?;
                if self.pending.is_empty() {
                    return Err(ReadError::Empty);
                }
                let sample: Vec<Vec<String>> =
                    self.pending.iter().map(|r| r.cells.clone()).collect();
                if looks_like_prose(&sample) {
                    return Err(ReadError::NotATable);
                }
                let at = detect_header(&sample);
                for _ in 0..at {
                    if let Some(r) = self.pending.pop_front() {
                        skipped.push(r.row);
                    }
                }
                self.pending.pop_front().ok_or(ReadError::Empty)?
            }
        };
        bytes = self.pending.iter().map(Record::text_bytes).sum();
        self.read_ahead(PREVIEW_ROWS.max(HEADER_SEARCH_ROWS), &mut bytes)?;

        let header_width = header.used_width();
        if header_width > MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                row: header.row,
                columns: header_width as u64,
            });
        }
        if self.pending.is_empty() {
            return Err(ReadError::HeaderOnly {
                header_row: header.row,
            });
        }
        // Columns that most data rows fill but the header leaves unnamed still count (they get "列N"
        // names); a stray extra cell in some rows does not widen the table, it rejects those rows. Rows
        // too wide to be kept are left out of the count: they are rejected whatever the width.
        let data_widths: Vec<usize> = self
            .pending
            .iter()
            .map(Record::used_width)
            .filter(|&w| w <= MAX_COLUMNS)
            .collect();
        let (usual, count) = sniff::modal(&data_widths);
        let width = if usual > header_width && count * 2 > data_widths.len() {
            usual
        } else {
            header_width.max(1)
        };
        let mut raw = header.cells;
        raw.resize(width, String::new());
        self.raw_header = raw.clone();
        self.width = width;
        self.preview.header_row = header.row;
        self.preview.headers = header_names(&raw, options.lang);
        if !skipped.is_empty() {
            self.preview
                .notes
                .push(PreviewNote::RowsAboveHeaderSkipped { rows: skipped });
        }
        let rows = self
            .pending
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| {
                let mut rec = r.clone();
                let mut row = RawRow::default();
                shape(&mut rec, &mut row, width, self.text);
                mark_summary(&mut row, &self.raw_header);
                row
            })
            .collect();
        self.preview.rows = rows;
        Ok(())
    }
}

/// The start of the file, understood: what the preview screen shows. Reads only the first rows.
pub fn preview(path: &Path, options: &ReadOptions) -> Result<TablePreview, ReadError> {
    open(path, options).map(TableReader::into_preview)
}
