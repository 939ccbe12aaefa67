//! Text tables (CSV/TXT/TSV, UTF-16 text) as a stream of records, in constant memory.
//!
//! The file is decoded to UTF-8 by a streaming decoder (`encoding_rs_io`) and split by `csv_core`, whose
//! record parser writes into buffers this module owns. The `csv` crate's own reader would buffer a whole
//! record however large it grows (a 2 GB file with an unclosed quote is one record), so the buffers here
//! are capped: a record whose text passes [`MAX_RECORD_BYTES`] stops the read with
//! [`ReadError::TooLargeRow`], and fields beyond [`MAX_COLUMNS`] are counted, not kept.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv_core::ReadRecordResult;
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::error::ReadError;
use super::record::Record;
use super::types::{MAX_COLUMNS, MAX_RECORD_BYTES};

/// Text re-read after open quotes, over the whole file: past this, a further quote left open is flagged
/// with the rest of the file in its row (rejected) instead of being recovered, so that a file of nothing
/// but open quotes cannot make the read quadratic.
const REPLAY_BUDGET: usize = 64 << 20;

/// A record's bytes kept for reading them again (a quote left open in the middle of a file usually
/// closes at the next quote, a few lines on); a longer record is not re-read.
const RAW_CAP: usize = 1 << 20;

/// Bytes read from the file (and decoded) at a time.
const CHUNK: usize = 64 << 10;

/// Counts the bytes taken from the file, for progress.
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

/// Where a text file's bytes come from: the file, or the start already read for sniffing and then the rest.
pub(crate) type Input = Box<dyn Read + Send>;

/// Records of a text file, one at a time.
pub(crate) struct TextRecords {
    input: DecodeReaderBytes<Counting<io::Take<Input>>, Vec<u8>>,
    core: csv_core::Reader,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    /// The current record's field bytes and field end offsets, as `csv_core` writes them.
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    nends: usize,
    /// Fields past [`MAX_COLUMNS`]: their ends go to this scratch slot and are only counted.
    scratch_end: [usize; 1],
    dropped_fields: usize,
    /// The byte that ends a line: `\n`, or `\r` in a file with old Mac line ends (csv_core splits records
    /// at either, but counts only `\n` as a line).
    line_end: u8,
    /// Line ends consumed so far.
    lines: u64,
    delimiter: u8,
    /// Fields of the last record read (the header's, then each row's): a line inside a quoted field with
    /// as many is a record the quote swallowed.
    prev_fields: usize,
    /// The bytes of the current record that came from earlier buffer fills (up to [`RAW_CAP`]), and where
    /// it starts in `buf`; kept so that lines swallowed by an open quote can be read again.
    raw: Vec<u8>,
    raw_lost: bool,
    rec_pos: usize,
    /// Bytes still allowed to be re-read after recovering from open quotes ([`REPLAY_BUDGET`]).
    replay_budget: usize,
    done: bool,
}

impl std::fmt::Debug for TextRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextRecords")
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

impl TextRecords {
    /// Opens `file` (positioned at its start) for reading as text in `enc`, split at `delimiter`, lines
    /// numbered by `line_end`. Bytes taken from the file are added to `progress`.
    #[cfg(test)]
    pub(crate) fn new(
        file: std::fs::File,
        enc: &'static Encoding,
        delimiter: u8,
        line_end: u8,
        progress: Arc<AtomicU64>,
    ) -> TextRecords {
        Self::with_limit(Box::new(file), u64::MAX, enc, delimiter, line_end, progress)
    }

    /// As [`TextRecords::new`], reading no more than the first `limit` bytes of the file (a UTF-16 file with
    /// an odd byte at its end is read without it).
    pub(crate) fn with_limit(
        file: Input,
        limit: u64,
        enc: &'static Encoding,
        delimiter: u8,
        line_end: u8,
        progress: Arc<AtomicU64>,
    ) -> TextRecords {
        let counting = Counting {
            inner: file.take(limit),
            count: progress,
        };
        // The encoding is always explicit (detected or the owner's), so the decoder never guesses; a byte
        // order mark is dropped whatever it says, so it never ends up in the first column's name.
        let input = DecodeReaderBytesBuilder::new()
            .encoding(Some(enc))
            .strip_bom(true)
            .build_with_buffer(counting, vec![0; CHUNK])
            .expect("the buffer is larger than the decoder's minimum");
        let core = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            .double_quote(true)
            .build();
        TextRecords {
            input,
            core,
            buf: vec![0; CHUNK],
            pos: 0,
            len: 0,
            eof: false,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 64],
            nends: 0,
            scratch_end: [0],
            dropped_fields: 0,
            line_end,
            lines: 0,
            delimiter,
            prev_fields: 0,
            raw: Vec::new(),
            raw_lost: false,
            rec_pos: 0,
            replay_budget: REPLAY_BUDGET,
            done: false,
        }
    }

    /// The 1-based line a record starts on, given the newlines inside its fields and whether its
    /// terminating newline has been consumed. Counting back from the end keeps quoted cells that span
    /// lines right and needs no state across records.
    fn start_line(&self, terminated: bool) -> u64 {
        let last_line = self.lines + u64::from(!terminated);
        let inside = count(&self.out[..self.out_len], self.line_end);
        last_line.saturating_sub(inside).max(1)
    }

    /// Reads the next record that has any non-blank cell into `rec`; `false` at the end of the file.
    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if self.done {
            return Ok(false);
        }
        loop {
            if self.pos == self.len && !self.eof {
                if self.buf.len() > CHUNK {
                    // Back from re-reading after an open quote (only at the end of the file, so rare).
                    self.buf = vec![0; CHUNK];
                }
                // The part of a record under way that is in this buffer is kept (small: a record is
                // rarely cut by a buffer's end), unless the record is too long to be read again.
                let part = &self.buf[self.rec_pos.min(self.len)..self.len];
                if !self.raw_lost && self.raw.len() + part.len() <= RAW_CAP {
                    self.raw.extend_from_slice(part);
                } else {
                    self.raw_lost = true;
                    self.raw = Vec::new();
                }
                self.rec_pos = 0;
                self.len = read_full(&mut self.input, &mut self.buf).map_err(ReadError::io)?;
                self.pos = 0;
                self.eof = self.len == 0;
            }
            // At the end of the file with a record under way, the parser is given one line end more: outside
            // quotes that ends the record as the end of the file would, inside a quoted field it does not,
            // which says the quote never closed.
            let at_end = self.pos == self.len && self.eof && (self.out_len > 0 || self.nends > 0);
            let input: &[u8] = if at_end {
                b"\n"
            } else {
                &self.buf[self.pos..self.len]
            };
            let capped = self.nends >= self.ends.len();
            let ends: &mut [usize] = if capped {
                &mut self.scratch_end
            } else {
                &mut self.ends[self.nends..]
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[self.out_len..], ends);
            let last_byte = if at_end {
                None
            } else {
                let last_byte = (nin > 0).then(|| self.buf[self.pos + nin - 1]);
                self.lines += count(&self.buf[self.pos..self.pos + nin], self.line_end);
                self.pos += nin;
                last_byte
            };
            if at_end && res == ReadRecordResult::InputEmpty {
                // The line end went into a quoted field: the quote is open at the end of the file.
                return Ok(self.recover_open_quote(rec));
            }
            self.out_len += nout;
            if capped {
                self.dropped_fields += nend;
            } else {
                self.nends += nend;
            }
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    // Exact growth: an amortised doubling past the cap would allocate 16 MiB.
                    let grown = (self.out.len() * 2).min(MAX_RECORD_BYTES + 1);
                    self.out.reserve_exact(grown - self.out.len());
                    self.out.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() <= MAX_COLUMNS {
                        let grown = (self.ends.len() * 2).min(MAX_COLUMNS + 1);
                        self.ends.resize(grown, 0);
                    }
                }
                ReadRecordResult::Record => {
                    let terminated = last_byte == Some(self.line_end);
                    let inside = count(&self.out[..self.out_len], self.line_end);
                    let row = (self.lines + u64::from(!terminated))
                        .saturating_sub(inside)
                        .max(1);
                    if inside > 0 && self.swallowed_records(rec, row) {
                        return Ok(true);
                    }
                    let blank = self.fill(rec, row);
                    if !blank {
                        self.prev_fields = self.nends + self.dropped_fields;
                    }
                    self.out_len = 0;
                    self.nends = 0;
                    self.dropped_fields = 0;
                    self.raw.clear();
                    self.raw_lost = false;
                    self.rec_pos = self.pos;
                    if !blank {
                        return Ok(true);
                    }
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(false);
                }
            }
            // The record's text plus one byte per field separator: past the limit the file is refused,
            // before the buffers grow any further.
            if self.out_len + self.nends + self.dropped_fields > MAX_RECORD_BYTES {
                self.done = true;
                return Err(ReadError::TooLargeRow {
                    row: self.start_line(false),
                });
            }
        }
    }

    /// Fills `rec` with the line on which field `k` opened its quote: the fields before it as parsed, then
    /// field `k` up to its first line end (all of it when `whole`), split at the delimiter as it stands, the
    /// quote shown where it was. The row is marked with the open quote ([`Record::open_quote`]). Returns the
    /// line where the quote opened and the offset in `out` just past that line's end, if it has one.
    fn fill_open_line(
        &self,
        rec: &mut Record,
        k: usize,
        whole: bool,
        start: u64,
    ) -> (u64, Option<usize>) {
        let field_start = if k == 0 {
            0
        } else {
            self.ends[k - 1].min(self.out_len)
        };
        let field_end = self.ends[..self.nends.min(self.ends.len())]
            .get(k)
            .map_or(self.out_len, |&e| e.min(self.out_len));
        let quote_line = start + count(&self.out[..field_start], self.line_end);
        let field = &self.out[field_start..field_end];
        let first_end = field.iter().position(|&b| b == self.line_end);
        let line_part = match first_end {
            Some(i) if !whole => &field[..i],
            _ => field,
        };
        let line_part = line_part.strip_suffix(b"\r").unwrap_or(line_part);
        rec.begin(start);
        let mut from = 0;
        for &end in &self.ends[..k] {
            let end = end.min(self.out_len);
            rec.push(&String::from_utf8_lossy(&self.out[from..end]));
            from = end;
        }
        for (i, piece) in line_part.split(|&b| b == self.delimiter).enumerate() {
            let lossy = String::from_utf8_lossy(piece);
            if i == 0 {
                rec.push(&format!("\"{lossy}"));
            } else {
                rec.push(&lossy);
            }
        }
        rec.open_quote = Some((k, quote_line));
        (quote_line, first_end.map(|i| field_start + i + 1))
    }

    /// The file ended inside a quoted field, so everything from its opening quote on was read as one cell.
    /// The line that opened the quote becomes a row marked with it ([`TextRecords::fill_open_line`]); the
    /// lines after it are read again as records of their own. Inside a quote that never closed every quote
    /// character was doubled, so doubling them back gives exactly the text of the file.
    fn recover_open_quote(&mut self, rec: &mut Record) -> bool {
        let k = self.nends.min(self.ends.len());
        let start = self.start_line(false);
        let (quote_line, cut) = self.fill_open_line(rec, k, false, start);
        let rest_len = cut.map_or(0, |c| self.out_len - c);
        if rest_len > 0 && rest_len <= self.replay_budget {
            let rest = &self.out[cut.unwrap_or(self.out_len)..self.out_len];
            let mut again = Vec::with_capacity(rest.len() + rest.len() / 16 + 1);
            for &b in rest {
                again.push(b);
                if b == b'"' {
                    again.push(b'"');
                }
            }
            self.replay(again, quote_line);
        } else {
            if rest_len > 0 {
                // Past the budget: the row keeps the rest of the file, flagged, rather than re-reading it.
                self.fill_open_line(rec, k, true, start);
            }
            self.done = true;
        }
        self.reset_record();
        true
    }

    /// After a record that spans lines: whether a quoted field swallowed lines that are records of their
    /// own (a line inside it holds as many delimiters as the record before had fields, less one), so the
    /// quote that opened it was left open and closed only at some later quote. If so the line that opened
    /// it becomes a row marked with the open quote, and the lines after it are read again. Needs the
    /// record's bytes as read ([`TextRecords::raw`]); a record above [`RAW_CAP`] is left as it is.
    fn swallowed_records(&mut self, rec: &mut Record, start: u64) -> bool {
        if self.prev_fields < 2 || self.raw_lost {
            return false;
        }
        let kept = self.nends.min(self.ends.len());
        let Some(k) = (0..kept).find(|&i| {
            let from = if i == 0 { 0 } else { self.ends[i - 1] };
            self.out[from..self.ends[i].min(self.out_len)].contains(&self.line_end)
        }) else {
            return false;
        };
        let from = if k == 0 { 0 } else { self.ends[k - 1] };
        let field = &self.out[from..self.ends[k].min(self.out_len)];
        let after = (kept - 1 - k) as u64;
        let mut lines = field.split(|&b| b == self.line_end).skip(1).peekable();
        let mut swallowed = false;
        while let Some(line) = lines.next() {
            let last = lines.peek().is_none();
            let delimiters = count(line, self.delimiter) + if last { after } else { 0 };
            if delimiters + 1 >= self.prev_fields as u64 {
                swallowed = true;
                break;
            }
        }
        if !swallowed {
            return false;
        }
        // The bytes of this record as read, then what is left of the buffer.
        let mut bytes = std::mem::take(&mut self.raw);
        bytes.extend_from_slice(&self.buf[self.rec_pos..self.pos]);
        let inside_before = count(&self.out[..from], self.line_end) as usize;
        let lead = bytes
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .unwrap_or(bytes.len());
        let Some(cut) = bytes[lead..]
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == self.line_end)
            .nth(inside_before)
            .map(|(i, _)| lead + i + 1)
        else {
            return false;
        };
        let again_len = bytes.len() - cut + (self.len - self.pos);
        if again_len > self.replay_budget {
            return false;
        }
        let (quote_line, _) = self.fill_open_line(rec, k, false, start);
        let mut again = Vec::with_capacity(again_len);
        again.extend_from_slice(&bytes[cut..]);
        again.extend_from_slice(&self.buf[self.pos..self.len]);
        self.replay(again, quote_line);
        self.reset_record();
        true
    }

    /// Reads `again` before the rest of the file, as lines after `line`.
    fn replay(&mut self, again: Vec<u8>, line: u64) {
        self.replay_budget = self.replay_budget.saturating_sub(again.len());
        self.lines = line;
        self.buf = again;
        self.pos = 0;
        self.len = self.buf.len();
        self.rec_pos = 0;
    }

    /// Starts the next record afresh.
    fn reset_record(&mut self) {
        self.core.reset();
        self.out_len = 0;
        self.nends = 0;
        self.dropped_fields = 0;
        self.raw.clear();
        self.raw_lost = false;
        self.rec_pos = self.pos;
    }

    /// Copies the finished record into `rec` (reusing its strings); returns whether every cell is blank.
    fn fill(&mut self, rec: &mut Record, row: u64) -> bool {
        let kept = self.nends.min(MAX_COLUMNS);
        let text = &self.out[..self.out_len];
        // The decoder emits valid UTF-8 and csv_core splits only at ASCII bytes, so this never fails; if it
        // ever did, the lossy conversion below still keeps every other character. Checked with SIMD: the
        // standard library's check goes a byte at a time through Chinese text, 5 % of the reading thread.
        let valid = simdutf8::basic::from_utf8(text).ok();
        rec.begin(row);
        // One look for U+FFFD over the whole record instead of one per cell (`reader::shape`).
        rec.no_replacement = valid.is_some() && !super::record::has_replacement_character(text);
        let mut start = 0;
        let mut blank = true;
        for &end in &self.ends[..kept] {
            let end = end.min(self.out_len);
            let field = &text[start..end];
            match valid {
                Some(s) => rec.push(&s[start..end]),
                None => rec.push(&String::from_utf8_lossy(field)),
            }
            if blank && !field.trim_ascii().is_empty() {
                blank = false;
            }
            start = end;
        }
        let total = self.nends + self.dropped_fields;
        rec.fields = total;
        if total > kept {
            // Fields past the limit were not kept; any text after the last kept field is theirs.
            rec.dropped_text = start < self.out_len;
            if rec.dropped_text {
                blank = false;
            }
        }
        blank
    }
}

#[cfg(test)]
impl TextRecords {
    /// Bytes held in this reader's buffers (the decoder's is of the same size as `buf`).
    pub(crate) fn buffer_bytes(&self) -> usize {
        self.buf.capacity() * 2
            + self.out.capacity()
            + self.raw.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

fn count(bytes: &[u8], b: u8) -> u64 {
    bytes.iter().filter(|&&x| x == b).count() as u64
}

/// Fills `buf` as far as the reader goes (a decoder may return a few bytes at a time); 0 means the end.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() / 2 {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
