//! Workbooks are parsed in a child process with an address-space limit.
//!
//! calamine sizes buffers from counts a workbook declares (an xls header's sector counts, an xlsx's
//! shared-string count, an ods's repeated rows) and builds whole sheets in memory for xls, xlsb and ods; a
//! few-KB file can make it allocate gigabytes, and an allocation failure aborts the process. That cannot be
//! bounded from outside the library, so the shipped binaries run it in a process of their own:
//!
//! * the binary starts itself with [`SHEET_READER_FLAG`], the format and the sheet wanted; at the very top
//!   of `main`, [`sheet_reader_start_up`] sees the flag, serves the request and exits (before Tauri, GTK or
//!   anything else starts);
//! * the parent hands the child the file's bytes over stdin, hashing them as it reads them (the one pass of
//!   [`super::digest`]); the child limits its address space to what it has mapped at start plus
//!   [`PARSE_BUDGET`] (never above a limit it inherited) and core dumps to nothing, reads the bytes, parses them exactly as the in-process reader
//!   does, and writes rows to stdout as frames;
//! * the parent decodes the frames into the same records, checking every length before it allocates
//!   (cells, rows, the sheet's text budget); if the child dies without its final frame, the import is
//!   refused with [`ReadError::MemoryLimit`].
//!
//! A frame is a tag byte, a little-endian `u32` length and that many bytes. Tags: `I` (sheet info), `R` (one
//! row), `D` (done) and `F` (failed, with the reason); `D` or `F` is the last frame. Strings are a `u32`
//! length and UTF-8 bytes.
//!
//! Where no child can be started (the core's own tests run in a test binary), workbooks are read on a
//! thread of the calling process: that is the default until a binary chooses at start-up, never a silent
//! fallback in the shipped binaries.

use std::ffi::OsStr;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use super::digest::HashingFile;
use super::error::ReadError;
use super::record::Record;
use super::sheet::{self, Bytes, SheetInfo, Sink};
use super::types::{Format, MAX_CELL_BYTES, MAX_COLUMNS, MAX_RECORD_BYTES};

/// The hidden first argument that makes a binary serve one workbook read and exit.
pub const SHEET_READER_FLAG: &str = "--handover-sheet-reader";

/// What the child may map beyond what it has mapped when it starts (the binary and its libraries: a few MB
/// for the CLI, more for the app with WebKit): the workbook's bytes and calamine's structures must fit in it.
pub const PARSE_BUDGET: u64 = 640 << 20;

/// The address-space limit where the mapped size at start cannot be read.
const FALLBACK_ADDRESS_SPACE: u64 = 768 << 20;

/// The largest frame the parent accepts: a row is at most [`MAX_RECORD_BYTES`] of text plus its lengths;
/// the info frame holds sheet names.
const MAX_FRAME: usize = MAX_RECORD_BYTES + (1 << 20);

const INFO: u8 = b'I';
const ROW: u8 = b'R';
const DONE: u8 = b'D';
const FAILED: u8 = b'F';

/// How workbooks are read in this process.
#[derive(Debug)]
pub(crate) enum ReaderMode {
    /// On a thread of this process (the default: tests, tools that choose nothing).
    InProcess,
    /// In a child process started from this executable.
    Child(PathBuf),
    /// The binary chose a child but cannot start one; workbooks are refused with this reason.
    Unavailable(String),
}

static MODE: OnceLock<ReaderMode> = OnceLock::new();
static IN_PROCESS: ReaderMode = ReaderMode::InProcess;

pub(crate) fn mode() -> &'static ReaderMode {
    MODE.get().unwrap_or(&IN_PROCESS)
}

/// Reads workbooks in a child process started from `exe` (which must call [`sheet_reader_start_up`] or
/// [`serve_if_asked`] first thing in `main`). The first choice made in a process stands.
pub fn use_child_reader(exe: PathBuf) {
    let _ = MODE.set(ReaderMode::Child(exe));
}

/// What every binary calls first thing in `main`: serves a child's request and exits if this process is
/// one, else chooses to read workbooks in children of this executable.
pub fn sheet_reader_start_up() {
    serve_if_asked();
    let mode = match std::env::current_exe() {
        Ok(exe) => ReaderMode::Child(exe),
        Err(e) => ReaderMode::Unavailable(format!("the workbook reader cannot be started: {e}")),
    };
    let _ = MODE.set(mode);
}

/// If this process was started as a workbook reader, serves the request and exits.
pub fn serve_if_asked() {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(OsStr::new(SHEET_READER_FLAG)) {
        return;
    }
    let format = args.next();
    let sheet = args.next().map(|s| s.to_string_lossy().into_owned());
    let code = serve(
        format
            .as_deref()
            .and_then(OsStr::to_str)
            .and_then(format_of),
        sheet.as_deref(),
    );
    std::process::exit(code);
}

fn format_of(id: &str) -> Option<Format> {
    [Format::Xlsx, Format::Xlsb, Format::Xls, Format::Ods]
        .into_iter()
        .find(|f| f.id() == id)
}

/// Limits this process's address space (never above what it inherited) and turns core dumps off (a dump
/// of a reader that ran out of memory would be customers' data on disk).
#[cfg(unix)]
fn limit_resources() -> io::Result<()> {
    use rlimit::Resource;
    let (_, core_hard) = Resource::CORE.get()?;
    Resource::CORE.set(0, core_hard)?;
    let (soft, hard) = Resource::AS.get()?;
    let limit = mapped_now().map_or(FALLBACK_ADDRESS_SPACE, |m| m.saturating_add(PARSE_BUDGET));
    Resource::AS.set(limit.min(soft).min(hard), hard)
}

/// This process's address-space size (VmSize), where the system says it.
#[cfg(unix)]
fn mapped_now() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    let kb: u64 = line
        .trim_start_matches("VmSize:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb << 10)
}

#[cfg(not(unix))]
fn limit_resources() -> io::Result<()> {
    Ok(())
}

/// The child's side: reads the workbook from stdin and writes its rows to stdout as frames.
fn serve(format: Option<Format>, sheet: Option<&str>) -> i32 {
    let stdout = io::stdout().lock();
    let mut sink = FrameSink {
        out: BufWriter::with_capacity(1 << 16, stdout),
        buf: Vec::new(),
        ok: true,
    };
    let result = match (limit_resources(), format) {
        (Err(e), _) => Err(ReadError::UnreadableSpreadsheet(format!(
            "the workbook reader cannot limit its memory: {e}"
        ))),
        (Ok(()), None) => Err(ReadError::UnreadableSpreadsheet(
            "the workbook reader was started without a format".into(),
        )),
        (Ok(()), Some(format)) => {
            let mut bytes = Vec::new();
            match io::stdin().lock().read_to_end(&mut bytes) {
                Err(e) => Err(ReadError::Io(e.to_string())),
                // A panic in the library on a damaged file is a refusal like any other.
                Ok(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    sheet::produce(Bytes::new(bytes), format, sheet, &mut sink)
                }))
                .unwrap_or_else(|_| {
                    Err(ReadError::UnreadableSpreadsheet(
                        "the spreadsheet library stopped on this file".into(),
                    ))
                }),
            }
        }
    };
    match result {
        Ok(()) => sink.frame(DONE),
        Err(e) => {
            encode_error(&e, &mut sink.buf);
            sink.frame(FAILED)
        }
    };
    if sink.out.flush().is_err() || !sink.ok {
        return 1;
    }
    0
}

struct FrameSink<W: Write> {
    out: W,
    /// The payload of the frame being built.
    buf: Vec<u8>,
    ok: bool,
}

impl<W: Write> FrameSink<W> {
    /// Writes `buf` as a frame with `tag`; `false` once the parent is gone.
    fn frame(&mut self, tag: u8) -> bool {
        if self.ok {
            let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
            self.ok = self.out.write_all(&[tag]).is_ok()
                && self.out.write_all(&len.to_le_bytes()).is_ok()
                && self.out.write_all(&self.buf).is_ok();
        }
        self.buf.clear();
        self.ok
    }
}

impl<W: Write> Sink for FrameSink<W> {
    fn info(&mut self, info: SheetInfo) -> bool {
        self.buf.clear();
        put_str(&mut self.buf, info.format.id());
        put_u64(&mut self.buf, info.total_rows);
        put_str(&mut self.buf, &info.sheet);
        put_list(&mut self.buf, &info.sheets);
        put_list(&mut self.buf, &info.skipped_empty);
        self.frame(INFO)
    }

    fn rows(&mut self, rows: Vec<Record>) -> bool {
        for rec in rows {
            self.buf.clear();
            put_u64(&mut self.buf, rec.row);
            put_u64(&mut self.buf, rec.fields as u64);
            self.buf.push(u8::from(rec.dropped_text));
            put_u32(&mut self.buf, rec.oversize.len() as u32);
            for &(col, size) in &rec.oversize {
                put_u32(&mut self.buf, col as u32);
                put_u64(&mut self.buf, size);
            }
            put_list(&mut self.buf, &rec.cells);
            if !self.frame(ROW) {
                return false;
            }
        }
        true
    }
}

fn put_u32(buf: &mut Vec<u8>, v: u32) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(buf: &mut Vec<u8>, v: u64) {
    buf.extend_from_slice(&v.to_le_bytes());
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_u32(buf, s.len() as u32);
    buf.extend_from_slice(s.as_bytes());
}

fn put_list(buf: &mut Vec<u8>, items: &[String]) {
    put_u32(buf, items.len() as u32);
    for s in items {
        put_str(buf, s);
    }
}

fn encode_error(e: &ReadError, buf: &mut Vec<u8>) {
    buf.clear();
    match e {
        ReadError::MemoryLimit => buf.push(1),
        ReadError::PasswordProtected => buf.push(2),
        ReadError::NoSuchSheet { sheet, sheets } => {
            buf.push(3);
            put_str(buf, sheet);
            put_list(buf, sheets);
        }
        ReadError::TooLargeRow { row } => {
            buf.push(4);
            put_u64(buf, *row);
        }
        ReadError::UnreadableSpreadsheet(text) => {
            buf.push(5);
            put_str(buf, text);
        }
        other => {
            buf.push(5);
            put_str(buf, &other.to_string());
        }
    }
}

/// Reads a frame's payload, checking every length against what is left.
struct Decoder<'a> {
    buf: &'a [u8],
}

/// A frame that does not decode: the child is not the reader it should be.
#[derive(Debug)]
struct Garbled;

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Garbled> {
        if n > self.buf.len() {
            return Err(Garbled);
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, Garbled> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, Garbled> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, Garbled> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    fn str(&mut self) -> Result<&'a str, Garbled> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| Garbled)
    }

    fn list(&mut self) -> Result<Vec<String>, Garbled> {
        let n = self.u32()? as usize;
        // Each string takes at least its 4-byte length: a count beyond that is a lie, refused before
        // anything is allocated for it.
        if n > self.buf.len() / 4 {
            return Err(Garbled);
        }
        (0..n).map(|_| self.str().map(str::to_string)).collect()
    }
}

fn decode_error(payload: &[u8]) -> Result<ReadError, Garbled> {
    let mut d = Decoder { buf: payload };
    Ok(match d.u8()? {
        1 => ReadError::MemoryLimit,
        2 => ReadError::PasswordProtected,
        3 => ReadError::NoSuchSheet {
            sheet: d.str()?.to_string(),
            sheets: d.list()?,
        },
        4 => ReadError::TooLargeRow { row: d.u64()? },
        5 => ReadError::UnreadableSpreadsheet(d.str()?.to_string()),
        _ => return Err(Garbled),
    })
}

fn decode_info(payload: &[u8]) -> Result<SheetInfo, Garbled> {
    let mut d = Decoder { buf: payload };
    let format = format_of(d.str()?).ok_or(Garbled)?;
    let total_rows = d.u64()?;
    let sheet = d.str()?.to_string();
    let sheets = d.list()?;
    let skipped_empty = d.list()?;
    Ok(SheetInfo {
        format,
        sheets,
        sheet,
        total_rows,
        skipped_empty,
    })
}

/// The parent's side of one workbook read: the child, its stdout and the thread that feeds it the file.
pub(crate) struct ChildRecords {
    child: Child,
    reaped: bool,
    out: BufReader<ChildStdout>,
    writer: Option<JoinHandle<io::Result<()>>>,
    frame: Vec<u8>,
    finished: bool,
    /// Text received so far and the most the workbook may expand to ([`sheet::text_budget`]).
    text: u64,
    budget: u64,
}

impl std::fmt::Debug for ChildRecords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChildRecords")
            .field("pid", &self.child.id())
            .finish_non_exhaustive()
    }
}

fn start_failed(e: io::Error) -> ReadError {
    ReadError::UnreadableSpreadsheet(format!("the workbook reader cannot be started: {e}"))
}

/// Starts the child on `exe`, feeds it `head` and then the rest of `file`, and reads the sheet's info.
pub(crate) fn spawn(
    exe: &Path,
    file: &HashingFile,
    head: Vec<u8>,
    format: Format,
    sheet: Option<&str>,
) -> Result<(SheetInfo, ChildRecords), ReadError> {
    let mut cmd = Command::new(exe);
    cmd.arg(SHEET_READER_FLAG).arg(format.id());
    if let Some(s) = sheet {
        cmd.arg(s);
    }
    // Nothing of the parent's environment (a passphrase may be in it) and nothing on the terminal: an
    // allocation failure's or a panic's text is no message for the owner, the refusal is.
    cmd.env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().map_err(start_failed)?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(start_failed(io::Error::other("no pipes")));
    };
    let mut src = file.clone();
    let writer = std::thread::Builder::new()
        .name("handover-sheet-feed".into())
        .spawn(move || -> io::Result<()> {
            stdin.write_all(&head)?;
            let mut buf = vec![0u8; 64 << 10];
            loop {
                let n = src.read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                stdin.write_all(&buf[..n])?;
            }
        });
    let writer = match writer {
        Ok(w) => w,
        Err(e) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Io(e.to_string()));
        }
    };
    let mut records = ChildRecords {
        child,
        reaped: false,
        out: BufReader::with_capacity(1 << 16, stdout),
        writer: Some(writer),
        frame: Vec::new(),
        finished: false,
        text: 0,
        budget: sheet::text_budget(file.len()),
    };
    let info = match records.read_frame()? {
        INFO => decode_info(&records.frame).map_err(|_| records.garbled())?,
        FAILED => return Err(records.failed()),
        _ => return Err(records.garbled()),
    };
    Ok((info, records))
}

impl ChildRecords {
    /// Reads the next frame into `self.frame`; its tag.
    fn read_frame(&mut self) -> Result<u8, ReadError> {
        let mut head = [0u8; 5];
        if self.out.read_exact(&mut head).is_err() {
            return Err(self.died());
        }
        let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > MAX_FRAME {
            return Err(self.garbled());
        }
        self.frame.clear();
        self.frame.resize(len, 0);
        if self.out.read_exact(&mut self.frame).is_err() {
            return Err(self.died());
        }
        Ok(head[0])
    }

    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        if self.finished {
            return Ok(false);
        }
        match self.read_frame()? {
            ROW => match self.decode_row(rec) {
                Ok(Ok(())) => Ok(true),
                Ok(Err(e)) => {
                    self.stop();
                    Err(e)
                }
                Err(Garbled) => Err(self.garbled()),
            },
            DONE => {
                self.finished = true;
                self.end()?;
                Ok(false)
            }
            FAILED => Err(self.failed()),
            _ => Err(self.garbled()),
        }
    }

    /// Decodes a row frame into `rec`, within the caps: columns, the cell and row sizes, the sheet's budget.
    fn decode_row(&mut self, rec: &mut Record) -> Result<Result<(), ReadError>, Garbled> {
        let mut d = Decoder { buf: &self.frame };
        let row = d.u64()?;
        let fields = d.u64()?;
        let dropped_text = d.u8()? != 0;
        let oversize_count = d.u32()? as usize;
        if oversize_count > MAX_COLUMNS {
            return Err(Garbled);
        }
        rec.begin(row);
        for _ in 0..oversize_count {
            let col = d.u32()? as usize;
            let size = d.u64()?;
            rec.oversize.push((col, size));
        }
        let cells = d.u32()? as usize;
        if cells > MAX_COLUMNS {
            return Err(Garbled);
        }
        let mut row_bytes = 0usize;
        for _ in 0..cells {
            let cell = d.str()?;
            // An excerpt ends with "…" (3 bytes) after it was cut.
            if cell.len() > MAX_CELL_BYTES + 3 {
                return Err(Garbled);
            }
            row_bytes += cell.len() + 1;
            rec.push_raw(cell);
        }
        rec.fields = usize::try_from(fields).map_err(|_| Garbled)?.max(cells);
        rec.dropped_text = dropped_text;
        if row_bytes > MAX_RECORD_BYTES {
            return Ok(Err(ReadError::TooLargeRow { row }));
        }
        self.text += row_bytes as u64;
        if self.text > self.budget {
            return Ok(Err(ReadError::MemoryLimit));
        }
        Ok(Ok(()))
    }

    /// The child said why it failed.
    fn failed(&mut self) -> ReadError {
        self.finished = true;
        let e = decode_error(&self.frame).unwrap_or_else(|_| garbled_error());
        self.stop();
        e
    }

    /// The child ended its output without a last frame: it died (an allocation past its limit aborts it).
    fn died(&mut self) -> ReadError {
        self.finished = true;
        self.reaped = true;
        match self.child.wait() {
            Ok(status) if status.success() => ReadError::UnreadableSpreadsheet(
                "the workbook reader stopped without an answer".into(),
            ),
            Ok(_) => ReadError::MemoryLimit,
            Err(e) => ReadError::Io(e.to_string()),
        }
    }

    fn garbled(&mut self) -> ReadError {
        self.finished = true;
        self.stop();
        garbled_error()
    }

    /// Ends the child now (the parent needs nothing more from it).
    fn stop(&mut self) {
        self.finished = true;
        if !self.reaped {
            self.reaped = true;
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// After the last frame: the feeding thread must have handed over the whole file, and the child must
    /// have ended well.
    fn end(&mut self) -> Result<(), ReadError> {
        if let Some(w) = self.writer.take() {
            match w.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    self.stop();
                    return Err(ReadError::io(e));
                }
                Err(_) => {
                    self.stop();
                    return Err(ReadError::Io("the file could not be handed over".into()));
                }
            }
        }
        self.reaped = true;
        match self.child.wait() {
            Ok(status) if status.success() => Ok(()),
            Ok(_) => Err(ReadError::MemoryLimit),
            Err(e) => Err(ReadError::Io(e.to_string())),
        }
    }
}

fn garbled_error() -> ReadError {
    ReadError::UnreadableSpreadsheet("the workbook reader's answer was garbled".into())
}

impl Drop for ChildRecords {
    fn drop(&mut self) {
        // Read no further (a preview, an error): the child is ended and reaped; the feeding thread ends on
        // the closed pipe.
        self.stop();
    }
}
