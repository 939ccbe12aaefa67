//! Text tables (CSV/TXT/TSV, UTF-16 text) as a stream of records, in constant memory.
//!
//! The file is decoded to UTF-8 by a streaming decoder (`encoding_rs_io`) and split by `csv_core`, whose
//! record parser writes into buffers this module owns. The `csv` crate's own reader would buffer a whole
//! record however large it grows (a 2 GB file with an unclosed quote is one record), so the buffers here
//! are capped: a record whose text passes [`MAX_RECORD_BYTES`] stops the read with
//! [`ReadError::TooLargeRow`], and fields beyond [`MAX_COLUMNS`] are counted, not kept.

use std::fs::File;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv_core::ReadRecordResult;
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::error::ReadError;
use super::record::Record;
use super::types::{MAX_COLUMNS, MAX_RECORD_BYTES};

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

/// Records of a text file, one at a time.
pub(crate) struct TextRecords {
    input: DecodeReaderBytes<Counting<File>, Vec<u8>>,
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
    pub(crate) fn new(
        file: File,
        enc: &'static Encoding,
        delimiter: u8,
        line_end: u8,
        progress: Arc<AtomicU64>,
    ) -> TextRecords {
        let counting = Counting {
            inner: file,
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
                self.len = read_full(&mut self.input, &mut self.buf).map_err(ReadError::io)?;
                self.pos = 0;
                self.eof = self.len == 0;
            }
            let input = &self.buf[self.pos..self.len];
            let capped = self.nends >= self.ends.len();
            let ends: &mut [usize] = if capped {
                &mut self.scratch_end
            } else {
                &mut self.ends[self.nends..]
            };
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[self.out_len..], ends);
            let last_byte = (nin > 0).then(|| self.buf[self.pos + nin - 1]);
            self.lines += count(&self.buf[self.pos..self.pos + nin], self.line_end);
            self.pos += nin;
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
                    let row = self.start_line(last_byte == Some(self.line_end));
                    let blank = self.fill(rec, row);
                    self.out_len = 0;
                    self.nends = 0;
                    self.dropped_fields = 0;
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

    /// Copies the finished record into `rec` (reusing its strings); returns whether every cell is blank.
    fn fill(&mut self, rec: &mut Record, row: u64) -> bool {
        let kept = self.nends.min(MAX_COLUMNS);
        let text = &self.out[..self.out_len];
        // The decoder emits valid UTF-8 and csv_core splits only at ASCII bytes, so this never fails; if it
        // ever did, the lossy conversion below still keeps every other character.
        let valid = std::str::from_utf8(text).ok();
        rec.begin(row);
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
