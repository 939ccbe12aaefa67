//! Storing one import: a source, its column mapping, every row (original cells and normalised values),
//! the customers the rows are linked to, and every problem, in one transaction.
//!
//! The rows arrive as an iterator from the reader, so memory stays constant however large the file is. The
//! caller owns the transaction (see `Case::import`): everything written here lands whole or not at all.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::customers::{CustomerLinker, CustomerWriter, Link, CUSTOMER_COLUMNS, INSERT_CUSTOMERS};
use super::many_rows::{self, ManyRows, PendingRows};
use super::pii::{self, RowPii};
use super::tally::{self, RecordTally};
use super::{mapping, normalise};
use crate::detect::chars::trim_white;
use crate::detect::minor;
use crate::field::FieldType;
use crate::i18n::{Label, Message};
use crate::import::FileDigest;
use crate::store::Writer;
use crate::{Error, Lang, Result};

/// What is known about a source before its rows are read.
#[derive(Debug, Clone)]
pub struct IngestSource {
    /// The file name as the owner knows it (no folder: folders can name people).
    pub file_name: String,
    /// Known before the rows are read, or learnt from reading them (`RowBatches::content`).
    pub content_sha256: Option<String>,
    pub size_bytes: u64,
    /// The owner confirmed importing content that was imported before (checked here when the hash is learnt
    /// from the read).
    pub allow_duplicate: bool,
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    pub header_row: u64,
    pub headers: Vec<String>,
    pub fields: Vec<FieldType>,
}

/// A problem the reader found in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestProblem {
    /// 0-based column, when the problem is in one cell.
    pub column: Option<usize>,
    /// Stable id of the kind (`too_few_fields`, `undecodable_bytes`, …).
    pub kind: String,
    /// The message for the owner.
    pub detail: String,
}

/// A record's columns as an import writes them (`many_rows`).
const INSERT_RECORDS: &str =
    "INSERT OR FAIL INTO records (id, source_id, row_number, customer_id, raw, flagged, name, \
     mobile, id_number, balance, last_activity, pii_mask) VALUES ";
const RECORD_COLUMNS: usize = 12;

/// One row from the reader.
#[derive(Debug, Clone)]
pub struct IngestRow {
    /// The row number the owner sees in the file or sheet (1-based).
    pub row_number: u64,
    pub cells: Vec<String>,
    pub problems: Vec<IngestProblem>,
    /// The reader could not keep the row whole (too many fields, a cell too long…): it goes to the problem
    /// list with its original cells instead of into the records.
    pub rejected: bool,
}

/// Progress of a running import, sent to the UI about ten times a second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Progress {
    pub rows: u64,
    /// Work done and total, in the reader's unit (bytes of a text file, rows of a sheet).
    pub done: u64,
    pub total: u64,
    pub percent: f64,
    pub rows_per_second: f64,
}

/// One flagged or rejected row, as listed to the owner before committing and in the CLI's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowProblemReport {
    pub row: u64,
    /// 1-based column number, and its header.
    pub column: Option<u32>,
    pub header: Option<String>,
    pub severity: String,
    pub kind: String,
    pub reason: String,
}

/// The result of one import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    pub source_id: i64,
    pub rows_imported: u64,
    pub rows_flagged: u64,
    pub rows_rejected: u64,
    pub customers_created: u64,
    pub records_linked_to_existing: u64,
    /// At most `PROBLEMS_LISTED` problems; all of them are in the case and can be exported.
    pub problems: Vec<RowProblemReport>,
    pub problems_total: u64,
}

/// How many problems a summary carries inline; the rest stay in the case for export.
pub const PROBLEMS_LISTED: usize = 1000;

/// A row made ready for storing: normalised and serialised. This is the CPU-heavy part of an import, so it
/// runs on its own thread while the database thread writes the rows before it.
///
/// The import's reading thread prepares each row into one written before (`prepare_cells_into`): the batches
/// and the rows' places per column are reused; their strings and lists are let go when the row comes back
/// (`shed_room`), so the memory held does not depend on the longest rows seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreparedRow {
    pub row_number: u64,
    pub rejected: bool,
    pub raw_json: String,
    /// Normalised values, one after another: only the ones later steps query (name, mobile, ID number,
    /// balance, last activity, in their own columns: [`KeyColumns`]); the rest can always be derived again
    /// from `raw` and the column's field, so storing them would only make the case file bigger and the import
    /// slower. They are not even written out. [`PreparedRow::value`] reads them.
    norm_text: String,
    /// Where each column's value is in `norm_text`, for the columns that have one.
    norm_at: Vec<Option<(u32, u32)>>,
    /// The reader's problems and then the cells that could not be normalised.
    pub problems: Vec<IngestProblem>,
    /// The personal information the row carries (nothing for a rejected row: it is not a record).
    pub pii: RowPii,
    /// The customer the record belongs to, decided on the linking thread (`link_with`); None for a rejected
    /// row, and until it is linked.
    pub link: Option<Link>,
    /// The date in the source's (first) birthday column, read as the overview reads it.
    pub birth: Option<NaiveDate>,
    /// Whether the record shows a child under 14 by its ID number or its birthday, on the day the import's
    /// tally of the overview counts for (`mark_minor`, on the reading thread).
    pub minor: bool,
}

/// Where a source's columns are whose values records keep in their own columns (name, mobile and ID number
/// also link records to customers).
#[derive(Debug, Clone, Copy)]
pub struct KeyColumns {
    name: Option<usize>,
    mobile: Option<usize>,
    id_number: Option<usize>,
    balance: Option<usize>,
    last_activity: Option<usize>,
}

impl KeyColumns {
    pub fn of(fields: &[FieldType]) -> KeyColumns {
        let column_of = |f: FieldType| fields.iter().position(|x| *x == f);
        KeyColumns {
            name: name_column(fields),
            mobile: column_of(FieldType::Mobile),
            id_number: column_of(FieldType::IdCard),
            balance: column_of(FieldType::PrepaidBalance),
            last_activity: activity_column(fields),
        }
    }

    /// Whether column `i`'s normalised value is one a record keeps in its own column.
    fn holds(&self, i: usize) -> bool {
        [
            self.name,
            self.mobile,
            self.id_number,
            self.balance,
            self.last_activity,
        ]
        .contains(&Some(i))
    }
}

/// The column that names the customer: their name, or for a firm's record the contact person's.
pub fn name_column(fields: &[FieldType]) -> Option<usize> {
    let column_of = |f: FieldType| fields.iter().position(|x| *x == f);
    column_of(FieldType::Name).or_else(|| column_of(FieldType::ContactPerson))
}

/// The column that dates the customer's last activity: the last-activity column, or else the time a parcel
/// was picked up (a courier log), or else the date of the invoice or transaction (a company ledger, a
/// purchase sheet).
pub fn activity_column(fields: &[FieldType]) -> Option<usize> {
    let column_of = |f: FieldType| fields.iter().position(|x| *x == f);
    column_of(FieldType::LastActivity)
        .or_else(|| column_of(FieldType::PickupTime))
        .or_else(|| column_of(FieldType::DocumentDate))
}

impl PreparedRow {
    /// Column `col`'s normalised value, for the columns records keep ([`KeyColumns`]).
    pub(crate) fn value(&self, col: Option<usize>) -> Option<&str> {
        let (start, end) = (*self.norm_at.get(col?)?)?;
        self.norm_text.get(start as usize..end as usize)
    }

    /// The memory the row holds, about: what a batch of rows is measured by (`import_file::run`).
    pub(crate) fn bytes(&self) -> usize {
        size_of::<Self>()
            + self.raw_json.capacity()
            + self.norm_text.capacity()
            + self.norm_at.capacity() * size_of::<Option<(u32, u32)>>()
            + self.problems.capacity() * size_of::<IngestProblem>()
            + self.problems.iter().map(|p| p.detail.len()).sum::<usize>()
            + self.pii.findings.capacity() * size_of::<pii::TextFinding>()
    }

    /// Lets go of the row's text and lists before it waits to be prepared again. Kept, each slot's room grew
    /// to the longest row it ever held, and with it the import's peak memory with the number of rows (1.4–1.8
    /// MB more for 500,000 shop rows than for 100,000 with 4 KiB kept per string; 0.2–0.8 MB with none).
    /// `norm_at` keeps its room: one place per column.
    pub(crate) fn shed_room(&mut self) {
        self.raw_json = String::new();
        self.norm_text = String::new();
        self.problems = Vec::new();
        self.pii.findings = Vec::new();
    }

    /// Decides the record's customer (no access to the case: see `CustomerLinker::decide`).
    pub fn link_with(&mut self, linker: &mut CustomerLinker, keys: &KeyColumns) -> Result<()> {
        if !self.rejected {
            self.link = Some(linker.decide(self.value(keys.mobile), self.value(keys.id_number))?);
        }
        Ok(())
    }

    /// The ID number the record keeps: its ID column's, or else the first one in its free text.
    fn record_id_number(&self, keys: &KeyColumns) -> Option<&str> {
        self.value(keys.id_number)
            .or(self.pii.text_id_number.as_deref())
    }

    /// Works out whether the record shows a child under 14 on `on`, as the overview's pass over the records
    /// does (its ID number, its birthday).
    pub fn mark_minor(&mut self, on: NaiveDate, keys: &KeyColumns) {
        self.minor = !self.rejected
            && (self
                .record_id_number(keys)
                .is_some_and(|id| minor::minor_by_id_number(id, on))
                || self
                    .birth
                    .is_some_and(|b| minor::minor_by_birth_date(b, on)));
    }
}

/// Normalises one row's cells by their columns' fields, and finds the personal information in them.
/// `lang`: the language the problem reasons are stored in (see `import_file::preview`).
pub fn prepare(fields: &[FieldType], lang: Lang, row: IngestRow) -> Result<PreparedRow> {
    let mut prepared = PreparedRow::default();
    prepare_cells_into(
        &mut prepared,
        fields,
        &KeyColumns::of(fields),
        lang,
        row.row_number,
        &row.cells,
        row.problems,
        row.rejected,
    )?;
    Ok(prepared)
}

/// [`prepare`], on cells the caller keeps and into a row prepared before, whatever it held: every field is set
/// anew, in the room its strings and vectors already have (see [`PreparedRow`]). The import's reading thread
/// reads every row of the file into the same strings, instead of allocating every cell of every row again
/// (with their frees, a twentieth of that thread's time on a million-row file).
#[allow(clippy::too_many_arguments)] // the row's parts as the reader holds them, and where it goes
pub fn prepare_cells_into(
    into: &mut PreparedRow,
    fields: &[FieldType],
    keys: &KeyColumns,
    lang: Lang,
    row_number: u64,
    cells: &[String],
    problems: impl IntoIterator<Item = IngestProblem>,
    rejected: bool,
) -> Result<()> {
    into.row_number = row_number;
    into.rejected = rejected;
    into.raw_json.clear();
    cells_json_into(cells, &mut into.raw_json)?;
    into.norm_text.clear();
    // Room for the kept values at once (a date may come out a little longer than written): grown value by
    // value, the string was allocated again three or four times a row, since rows coming back let go of it.
    into.norm_text.reserve(
        cells
            .iter()
            .enumerate()
            .filter(|(i, _)| keys.holds(*i))
            .map(|(_, c)| c.len() + 8)
            .sum(),
    );
    into.norm_at.clear();
    into.problems.clear();
    into.problems.extend(problems);
    into.pii.clear();
    into.link = None;
    into.birth = None;
    into.minor = false;
    if rejected {
        return Ok(());
    }
    let mut findings = Vec::new();
    // The date of birth is read from the first birthday column as `minor::birthday_cell_date` reads it: the
    // day of the normalised date when the cell has one (the same parse), else by its looser fallback.
    let birth_column = fields.iter().position(|f| *f == FieldType::Birthday);
    for (i, field) in fields.iter().enumerate() {
        let raw = cells.get(i).map(String::as_str).unwrap_or("");
        // Only the values records keep are written out.
        let start = into.norm_text.len();
        let checked =
            normalise::cell_into(*field, raw, keys.holds(i).then_some(&mut into.norm_text));
        if birth_column == Some(i) {
            into.birth = match &checked {
                Ok(n) => n.day,
                Err(_) => minor::birthday_cell_date(raw),
            };
        }
        match checked {
            Ok(n) => {
                let has_text = !trim_white(raw).is_empty();
                if pii::marks_category(*field) && has_text {
                    into.pii.mark(*field);
                }
                if let Some(kind) = n.valid_as {
                    into.pii.count_cell(kind);
                } else if has_text {
                    if pii::is_free_text(*field) {
                        into.pii.scan_text(i, raw, &mut findings);
                    } else if pii::cell_is_valid(*field, raw) == Some(true) {
                        into.pii.count_cell(*field);
                    }
                }
                // A row's text is far below 4 GiB: the reader refuses longer cells.
                into.norm_at.push(
                    n.written
                        .then_some((start as u32, into.norm_text.len() as u32)),
                );
            }
            // An invalid cell is kept as written and flagged; it counts as no personal information of its
            // column's kind.
            Err(problem) => {
                into.norm_at.push(None);
                into.problems.push(IngestProblem {
                    column: Some(i),
                    kind: problem.id().to_string(),
                    detail: problem.message(lang),
                });
            }
        }
    }
    Ok(())
}

/// Appends the cells as a JSON array of strings, exactly as `serde_json::to_string(cells)` writes it. A cell without
/// a quote, backslash or control character is written as it is — nearly every cell of a real file; serde_json
/// looks each byte up in its escape table, 6 % of the reading thread an import waits on — and serde_json
/// writes the others.
fn cells_json_into(cells: &[String], out: &mut String) -> Result<()> {
    out.reserve(2 + cells.iter().map(|c| c.len() + 3).sum::<usize>());
    out.push('[');
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // A fold rather than `any`: no early exit, so the compiler checks many bytes at a time.
        let needs_escape = cell.bytes().fold(false, |seen, b| {
            seen | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if needs_escape {
            out.push_str(&serde_json::to_string(cell)?);
        } else {
            out.push('"');
            out.push_str(cell);
            out.push('"');
        }
    }
    out.push(']');
    Ok(())
}

/// The source imported earlier with the same content, if any. For a workbook the sheet counts too: each
/// sheet of one file is a source of its own, so importing the second sheet is no duplicate of the first.
pub fn find_duplicate(
    conn: &Connection,
    sha256: &str,
    sheet: Option<&str>,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT label, created_at FROM sources WHERE content_sha256 = ?1 AND sheet IS ?2
             ORDER BY id LIMIT 1",
            params![sha256, sheet],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether the case has a source of exactly `size` bytes: the only kind another file's content can be the
/// same as.
pub fn any_source_of_size(conn: &Connection, size: u64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sources WHERE size_bytes = ?1)",
        [size as i64],
        |r| r.get(0),
    )?)
}

/// The sheets already imported from the file whose content hash is `sha256`.
pub fn imported_sheets(conn: &Connection, sha256: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT sheet FROM sources WHERE content_sha256 = ?1 AND sheet IS NOT NULL",
    )?;
    let sheets = stmt
        .query_map(params![sha256], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(sheets)
}

/// Batches of prepared rows, and where a written batch goes to be freed.
///
/// Rows are prepared on the reading thread and linked on another (see `PreparedRow::link_with`); a batch that
/// has been written is handed back through `done` to be filled again on the reading thread (see
/// `PreparedRow`): its memory is never freed on the writing thread (that was a twentieth of the writer's time).
#[allow(missing_debug_implementations)] // closures and an iterator: nothing to show
pub struct RowBatches<'a> {
    /// Batches of rows, or the error that ends the import.
    pub batches: &'a mut dyn Iterator<Item = Result<Vec<PreparedRow>>>,
    pub done: &'a dyn Fn(Vec<PreparedRow>),
    /// Called once all batches are read: the linker that decided the links, whose new keys `ingest` writes.
    pub linker: &'a mut dyn FnMut() -> Result<CustomerLinker>,
    /// Called after `linker` (the file has then been read to its end): the hash and size of what was read,
    /// or the error that refuses it (a file changed while being read).
    pub content: &'a dyn Fn() -> Result<FileDigest>,
    /// The day the rows' `minor` was worked out for (`PreparedRow::mark_minor`): the overview's tally kept for
    /// that day gets the import's records.
    pub minors_on: NaiveDate,
}

/// Grows the import's page cache while most records belong to customers already seen (a courier station's
/// regular recipients): each such record goes into the middle of `records_customer` (the index by customer)
/// rather than at its end, so the whole index is in use at once. With the import's starting 32 MiB, five
/// million courier records pushed the index's pages out of the cache and read them back again (each page
/// written encrypted, read back, authenticated and decrypted): 39.7 s against 3.9 s for a million. A cache
/// the size of the index: 23.1 s. Files whose records are mostly new customers (a membership list) add to the
/// index at its end and keep the small cache, and the memory the customer linker needs for them.
struct CacheForRepeatCustomers {
    /// Records in the case, those of earlier imports included (entries of `records_customer`).
    records: u64,
    window: u64,
    repeats: u64,
    kib: u64,
}

impl CacheForRepeatCustomers {
    /// Records per decision.
    const WINDOW: u64 = 65_536;
    /// What an index entry takes in the cache, pages partly filled by inserts in the middle included.
    const BYTES_PER_RECORD: u64 = 24;
    const MAX_KIB: u64 = 128 * 1024;

    fn new(conn: &Connection) -> Result<CacheForRepeatCustomers> {
        let records: Option<i64> =
            conn.query_row("SELECT max(id) FROM records", [], |r| r.get(0))?;
        Ok(CacheForRepeatCustomers {
            records: records.unwrap_or(0).max(0) as u64,
            window: 0,
            repeats: 0,
            kib: crate::store::import_cache_kib(crate::store::IMPORT_CACHE_KIB),
        })
    }

    fn saw(&mut self, conn: &Connection, new_customer: bool) -> Result<()> {
        self.records += 1;
        self.window += 1;
        self.repeats += u64::from(!new_customer);
        if self.window < Self::WINDOW {
            return Ok(());
        }
        if self.repeats * 2 >= self.window {
            let wanted = crate::store::import_cache_kib(
                (self.records * Self::BYTES_PER_RECORD / 1024).min(Self::MAX_KIB),
            );
            if wanted > self.kib {
                conn.pragma_update(None, "cache_size", -(wanted as i64))?;
                self.kib = wanted;
            }
        }
        self.window = 0;
        self.repeats = 0;
        Ok(())
    }
}

/// Writes the source and all its rows, through the writer of the import's open transaction
/// (`Case::import_writer`), which the caller commits or rolls back: the source is stamped with the writer's
/// timestamp and the audit entry goes through it. Stops with `Error::Cancelled` as soon as `cancel` is set.
pub fn ingest(
    conn: &Writer<'_>,
    source: &IngestSource,
    rows: RowBatches<'_>,
    total_units: u64,
    done_units: &dyn Fn() -> u64,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<ImportSummary> {
    conn.execute(
        "INSERT INTO sources (kind, label, created_at, file_name, content_sha256, size_bytes, format, encoding,
                              delimiter, sheet, header_row, layout_key)
         VALUES ('file', ?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            source.file_name,
            conn.now(),
            source.content_sha256,
            source.size_bytes as i64,
            source.format,
            source.encoding,
            source.delimiter,
            source.sheet,
            source.header_row as i64,
            mapping::layout_key(&source.headers),
        ],
    )?;
    let source_id = conn.last_insert_rowid();
    for (i, (header, field)) in source.headers.iter().zip(&source.fields).enumerate() {
        conn.execute(
            "INSERT INTO source_columns (source_id, col_index, header, field) VALUES (?1, ?2, ?3, ?4)",
            params![source_id, i as i64, header, field.id()],
        )?;
    }
    mapping::remember(conn, &source.headers, &source.fields, conn.now())?;

    let keys = KeyColumns::of(&source.fields);
    let mut customers = CustomerWriter::new(conn)?;
    // Records and new customers are written many to a statement (`many_rows`). A record gets the id SQLite
    // would give it, the next after the largest, so its findings can name it before its statement runs.
    let mut records = ManyRows::new(conn, INSERT_RECORDS, RECORD_COLUMNS)?;
    let mut new_customers = ManyRows::new(conn, INSERT_CUSTOMERS, CUSTOMER_COLUMNS)?;
    let mut next_record_id: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM records", [], |r| {
            r.get(0)
        })?;
    let mut insert_finding = conn.prepare(
        "INSERT INTO text_findings (record_id, col_index, kind, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    // Per kind (indexed by `pii::slot`): valid cells in mapped columns, findings in free text.
    let mut column_cells = [0u64; pii::KINDS];
    let mut text_findings = [0u64; pii::KINDS];
    let mut insert_problem = conn.prepare(
        "INSERT INTO import_problems (source_id, row_number, col_index, severity, kind, detail, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;

    let mut summary = ImportSummary {
        source_id,
        rows_imported: 0,
        rows_flagged: 0,
        rows_rejected: 0,
        customers_created: 0,
        records_linked_to_existing: 0,
        problems: Vec::new(),
        problems_total: 0,
    };
    let started = Instant::now();
    let mut last_report = Instant::now();
    let mut rows_seen: u64 = 0;
    let mut cache = CacheForRepeatCustomers::new(conn)?;
    let mut overview = ImportTally::start(conn, rows.minors_on)?;

    let mut report = |summary: &mut ImportSummary,
                      row: u64,
                      severity: &str,
                      p: &IngestProblem,
                      raw: Option<&str>|
     -> Result<()> {
        insert_problem.execute(params![
            source_id,
            row as i64,
            p.column.map(|c| c as i64),
            severity,
            p.kind,
            p.detail,
            raw
        ])?;
        summary.problems_total += 1;
        if summary.problems.len() < PROBLEMS_LISTED {
            summary.problems.push(RowProblemReport {
                row,
                column: p.column.map(|c| c as u32 + 1),
                header: p.column.and_then(|c| source.headers.get(c).cloned()),
                severity: severity.to_string(),
                kind: p.kind.clone(),
                reason: p.detail.clone(),
            });
        }
        Ok(())
    };

    for batch in rows.batches {
        // A row the reader could not read ends the import (its transaction is rolled back).
        let batch = batch?;
        let mut record_values = PendingRows::new(RECORD_COLUMNS);
        let mut customer_values = PendingRows::new(CUSTOMER_COLUMNS);
        for row in &batch {
            rows_seen += 1;
            if rows_seen.is_multiple_of(1024) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                if last_report.elapsed() >= Duration::from_millis(100) {
                    last_report = Instant::now();
                    on_progress(progress(rows_seen, done_units(), total_units, started));
                }
            }
            if row.rejected {
                summary.rows_rejected += 1;
                for p in &row.problems {
                    report(
                        &mut summary,
                        row.row_number,
                        "rejected",
                        p,
                        Some(&row.raw_json),
                    )?;
                }
                continue;
            }
            let Some(link) = row.link else {
                return Err(Error::Internal(format!(
                    "row {} was not linked",
                    row.row_number
                )));
            };
            let (name, mobile, id_number) = (
                row.value(keys.name),
                row.value(keys.mobile),
                row.value(keys.id_number),
            );
            if link.new_customer {
                customer_values.push(
                    &mut new_customers,
                    [
                        ValueRef::Integer(link.customer_id),
                        many_rows::text(mobile.filter(|_| link.write_mobile)),
                        many_rows::text(id_number.filter(|_| link.write_id_number)),
                        many_rows::text(name),
                    ],
                )?;
            } else {
                summary.records_linked_to_existing += 1;
                if link.write_mobile || link.write_id_number {
                    // The customer may be among those still waiting to be inserted.
                    customer_values.flush(&mut new_customers)?;
                    customers.apply(&link, mobile, id_number, name)?;
                }
            }
            cache.saw(conn, link.new_customer)?;
            let flagged = !row.problems.is_empty();
            let record_id = next_record_id;
            next_record_id += 1;
            record_values.push(
                &mut records,
                [
                    ValueRef::Integer(record_id),
                    ValueRef::Integer(source_id),
                    ValueRef::Integer(row.row_number as i64),
                    ValueRef::Integer(link.customer_id),
                    ValueRef::Text(row.raw_json.as_bytes()),
                    ValueRef::Integer(i64::from(flagged)),
                    many_rows::text(name),
                    many_rows::text(mobile),
                    many_rows::text(row.record_id_number(&keys)),
                    many_rows::text(row.value(keys.balance)),
                    many_rows::text(row.value(keys.last_activity)),
                    ValueRef::Integer(i64::from(row.pii.mask)),
                ],
            )?;
            if let Some(t) = overview.tally.as_mut() {
                t.add(Some(link.customer_id), row.pii.mask, row.minor);
            }
            for (total, count) in column_cells.iter_mut().zip(row.pii.column_cells) {
                *total += u64::from(count);
            }
            for f in &row.pii.findings {
                text_findings[pii::slot(f.kind)] += 1;
                insert_finding.execute(params![
                    record_id,
                    f.col as i64,
                    f.kind.id(),
                    f.start as i64,
                    f.end as i64
                ])?;
            }
            summary.rows_imported += 1;
            if flagged {
                summary.rows_flagged += 1;
                for p in &row.problems {
                    report(&mut summary, row.row_number, "flagged", p, None)?;
                }
            }
        }
        // The values borrow from the batch, which goes back to the reading thread next.
        record_values.flush(&mut records)?;
        customer_values.flush(&mut new_customers)?;
        (rows.done)(batch);
    }
    drop((records, new_customers, insert_finding, customers));
    let linker = (rows.linker)()?;
    // Before the keys are written: a file that changed while being read, or a duplicate, is refused first.
    let content = (rows.content)()?;
    if source.content_sha256.is_none() && !source.allow_duplicate {
        // Not hashed before the read (no earlier source had this size, see `import_file`): the duplicate
        // check the preview could not make. Not this source's own row: its hash is not written yet.
        if let Some((previous_label, imported_at)) =
            find_duplicate(conn, &content.sha256, source.sheet.as_deref())?
        {
            return Err(Error::DuplicateImport {
                file: source.file_name.clone(),
                previous_label,
                imported_at,
            });
        }
    }
    let created = linker.finish(conn)?;
    write_source_pii(
        conn,
        source_id,
        &source.fields,
        &column_cells,
        &text_findings,
    )?;
    overview.keep(conn)?;
    on_progress(progress(rows_seen, total_units, total_units, started));
    summary.customers_created = created;

    conn.execute(
        "UPDATE sources SET rows_imported = ?2, rows_flagged = ?3, rows_rejected = ?4, content_sha256 = ?5,
                            size_bytes = ?6
         WHERE id = ?1",
        params![
            source_id,
            summary.rows_imported as i64,
            summary.rows_flagged as i64,
            summary.rows_rejected as i64,
            content.sha256,
            content.size as i64,
        ],
    )?;
    // The audit entry names the file and the counts, never a customer's data.
    conn.audit(
        "import",
        serde_json::json!({
            "source_id": source_id,
            "file": source.file_name,
            "sha256": content.sha256,
            "encoding": source.encoding,
            "header_row": source.header_row,
            "mapping": source.headers.iter().zip(&source.fields)
                .map(|(h, f)| serde_json::json!({"header": h, "field": f.id()})).collect::<Vec<_>>(),
            "rows_imported": summary.rows_imported,
            "rows_flagged": summary.rows_flagged,
            "rows_rejected": summary.rows_rejected,
        }),
    )?;
    Ok(summary)
}

/// The overview's tally (`records::tally`) with this import's records added as they are written: kept for the
/// import's day when the case had one for that day, or had no records yet; otherwise the overview counts every
/// record at the next opening, as after any other change.
struct ImportTally {
    key: String,
    tally: Option<RecordTally>,
}

impl ImportTally {
    fn start(conn: &Connection, on: NaiveDate) -> Result<ImportTally> {
        let key = tally::kept_key(on);
        let mut kept = tally::read_kept(conn, &key)?;
        if kept.is_none() {
            let (any_record, last_customer): (bool, Option<i64>) = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM records), (SELECT max(id) FROM customers)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if !any_record {
                kept = Some(RecordTally::up_to(last_customer.unwrap_or(0)));
            }
        }
        Ok(ImportTally { key, tally: kept })
    }

    /// In the import's transaction; a tally kept for another day (or none) is dropped.
    fn keep(&self, conn: &Connection) -> Result<()> {
        match &self.tally {
            Some(t) => tally::keep(conn, &self.key, t),
            None => {
                conn.execute(
                    "DELETE FROM derived_cache WHERE kind = ?1",
                    [tally::TALLY_KIND],
                )?;
                Ok(())
            }
        }
    }
}

/// Writes a source's per-kind counts. Every kind a column is mapped to gets a row, also when none of its
/// cells is valid (that is worth seeing), and every kind found in free text.
pub(crate) fn write_source_pii(
    conn: &Connection,
    source_id: i64,
    fields: &[FieldType],
    column_cells: &[u64; pii::KINDS],
    text_findings: &[u64; pii::KINDS],
) -> Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO source_pii (source_id, kind, column_cells, text_findings) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for kind in FieldType::ALL {
        let s = pii::slot(kind);
        let mapped = fields.contains(&kind) && crate::detect::PiiKind::of_field(kind).is_some();
        if mapped || column_cells[s] > 0 || text_findings[s] > 0 {
            insert.execute(params![
                source_id,
                kind.id(),
                column_cells[s] as i64,
                text_findings[s] as i64
            ])?;
        }
    }
    Ok(())
}

/// The original cells of a stored record (`records.raw`), exactly as read.
pub fn raw_cells(raw: &str) -> Result<Vec<String>> {
    Ok(serde_json::from_str(raw)?)
}

fn progress(rows: u64, done: u64, total: u64, started: Instant) -> Progress {
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    Progress {
        rows,
        done,
        total,
        percent: if total == 0 {
            100.0
        } else {
            (done as f64 / total as f64 * 100.0).min(100.0)
        },
        rows_per_second: rows as f64 / secs,
    }
}

/// All problems of a source, for export (CSV) and for the review list.
pub fn problems_of(conn: &Connection, source_id: i64) -> Result<Vec<RowProblemReport>> {
    let mut stmt = conn.prepare(
        "SELECT p.row_number, p.col_index, c.header, p.severity, p.kind, p.detail
         FROM import_problems p
         LEFT JOIN source_columns c ON c.source_id = p.source_id AND c.col_index = p.col_index
         WHERE p.source_id = ?1 ORDER BY p.row_number, p.id",
    )?;
    let rows = stmt.query_map([source_id], |r| {
        Ok(RowProblemReport {
            row: r.get::<_, i64>(0)? as u64,
            column: r.get::<_, Option<i64>>(1)?.map(|c| c as u32 + 1),
            header: r.get(2)?,
            severity: r.get(3)?,
            kind: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The words of the problem list's CSV export (in `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemsCsv {
    File,
    Row,
    Column,
    ColumnName,
    Outcome,
    Kind,
    Reason,
    NotImported,
    ImportedToCheck,
}

/// Writes all problems of a source as CSV through the app's one CSV writer (UTF-8 with BOM, CRLF, every cell
/// formula-safe), atomically: the file appears whole or not at all.
pub fn export_problems_csv(
    conn: &Connection,
    source_id: i64,
    path: &std::path::Path,
    lang: Lang,
) -> Result<()> {
    let problems = problems_of(conn, source_id)?;
    let file_name: String = conn.query_row(
        "SELECT label FROM sources WHERE id = ?1",
        [source_id],
        |r| r.get(0),
    )?;
    let header = [
        ProblemsCsv::File,
        ProblemsCsv::Row,
        ProblemsCsv::Column,
        ProblemsCsv::ColumnName,
        ProblemsCsv::Outcome,
        ProblemsCsv::Kind,
        ProblemsCsv::Reason,
    ]
    .map(|t| t.label(lang));
    crate::output::write_atomic(path, |out| {
        let mut w = crate::output::SafeCsvWriter::new(out)?;
        w.write_row(header)?;
        for p in &problems {
            let severity = match p.severity.as_str() {
                "rejected" => ProblemsCsv::NotImported,
                _ => ProblemsCsv::ImportedToCheck,
            }
            .label(lang);
            w.write_row([
                file_name.as_str(),
                &p.row.to_string(),
                &p.column.map(|c| c.to_string()).unwrap_or_default(),
                p.header.as_deref().unwrap_or(""),
                severity,
                &p.kind,
                &p.reason,
            ])?;
        }
        w.finish()?;
        Ok(())
    })
    .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The hand-written fast path writes what serde_json writes, escapes and all.
        #[test]
        fn cells_json_is_serde_jsons(cells in prop::collection::vec(
            prop_oneof![
                "[a-z0-9 ]{0,12}",
                "[\\u{0}-\\u{7f}]{0,12}",
                "[张王李\\\\\"\\u{1}\\u{1f}\\u{7f}\\u{2028}\\u{3000}😀 ]{0,12}",
                any::<String>(),
            ],
            0..8,
        )) {
            // Appended after what the buffer holds.
            let mut written = "[\"前一行\"]".to_string();
            super::cells_json_into(&cells, &mut written).unwrap();
            prop_assert_eq!(written, format!("[\"前一行\"]{}", serde_json::to_string(&cells).unwrap()));
        }
    }

    /// Rows that leave something in every part of a prepared row: reader problems, a rejection, cells that
    /// do not normalise, findings and an ID number in a note, a birthday, a balance.
    fn rows() -> Vec<super::IngestRow> {
        let problem = |column: Option<usize>| super::IngestProblem {
            column,
            kind: "too_few_fields".into(),
            detail: "少了一列".into(),
        };
        [
            (
                vec![
                    "13812345678",
                    "张三",
                    "2015-03-01",
                    "1,031.41",
                    "身份证110105201503010010，电话13900001111",
                ],
                vec![],
                false,
            ),
            (
                vec!["1381234", "李", "某天", "很多", ""],
                vec![problem(Some(4))],
                false,
            ),
            (vec!["", "", "", "", ""], vec![], false),
            (vec!["x\"y", "\u{1}"], vec![problem(None)], true),
            (
                vec!["139 0000 2222", "王五", "1990/1/2", "0", "老会员"],
                vec![],
                false,
            ),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (cells, problems, rejected))| super::IngestRow {
            row_number: i as u64 + 2,
            cells: cells.into_iter().map(String::from).collect(),
            problems,
            rejected,
        })
        .collect()
    }

    /// The reading thread prepares each row into one written before: nothing of that row may remain.
    #[test]
    fn a_row_prepared_into_another_is_the_row_prepared_afresh() {
        use crate::field::FieldType::*;
        let fields = [Mobile, Name, Birthday, PrepaidBalance, Notes];
        let keys = super::KeyColumns::of(&fields);
        let rows = rows();
        for lang in [crate::Lang::ZhCn, crate::Lang::En] {
            for before in &rows {
                for row in &rows {
                    let afresh = super::prepare(&fields, lang, row.clone()).unwrap();
                    let mut reused = super::prepare(&fields, lang, before.clone()).unwrap();
                    super::prepare_cells_into(
                        &mut reused,
                        &fields,
                        &keys,
                        lang,
                        row.row_number,
                        &row.cells,
                        row.problems.clone(),
                        row.rejected,
                    )
                    .unwrap();
                    assert_eq!(
                        reused, afresh,
                        "row {} after row {}",
                        row.row_number, before.row_number
                    );
                }
            }
        }
        // The rows are what they are meant to be: the first keeps its values, findings and its note's ID.
        let first = super::prepare(&fields, crate::Lang::ZhCn, rows[0].clone()).unwrap();
        assert_eq!(first.value(keys.mobile), Some("13812345678"));
        assert_eq!(first.value(keys.balance), Some("1031.41"));
        assert_eq!(first.value(keys.name), Some("张三"));
        assert_eq!(first.value(Some(2)), None, "a birthday is not kept");
        assert!(first.birth.is_some());
        assert_eq!(first.pii.findings.len(), 2);
        assert_eq!(
            first.pii.text_id_number.as_deref(),
            Some("110105201503010010")
        );
        let second = super::prepare(&fields, crate::Lang::ZhCn, rows[1].clone()).unwrap();
        assert_eq!(second.problems.len(), 4, "{:?}", second.problems);
        assert!(
            super::prepare(&fields, crate::Lang::ZhCn, rows[3].clone())
                .unwrap()
                .rejected
        );
    }

    use super::CacheForRepeatCustomers;
    use rusqlite::Connection;

    fn cache_kib(conn: &Connection) -> i64 {
        -conn
            .pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))
            .unwrap()
    }

    #[test]
    fn the_cache_grows_only_while_records_repeat_customers_and_the_index_outgrows_it() {
        let conn = Connection::open_in_memory().unwrap();
        // Two million records from earlier imports.
        conn.execute_batch(
            "CREATE TABLE records (id INTEGER PRIMARY KEY); INSERT INTO records (id) VALUES (2000000);
             PRAGMA cache_size = -32768;",
        )
        .unwrap();
        let mut cache = CacheForRepeatCustomers::new(&conn).unwrap();
        // A window of mostly new customers (a membership list): the index grows at its end; no change.
        for i in 0..CacheForRepeatCustomers::WINDOW {
            cache.saw(&conn, i % 10 != 0).unwrap();
        }
        assert_eq!(cache_kib(&conn), 32_768);
        // A window of mostly regular customers: the cache is sized to the index of 2,131,072 records.
        for i in 0..CacheForRepeatCustomers::WINDOW {
            cache.saw(&conn, i % 10 == 0).unwrap();
        }
        assert_eq!(cache_kib(&conn), 2_131_072 * 24 / 1024);
        // Never beyond its bound, however large the case.
        cache.records = 100_000_000;
        for _ in 0..CacheForRepeatCustomers::WINDOW {
            cache.saw(&conn, false).unwrap();
        }
        assert_eq!(cache_kib(&conn), 128 * 1024);
    }

    #[test]
    fn a_small_case_keeps_the_imports_cache() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE records (id INTEGER PRIMARY KEY); PRAGMA cache_size = -32768;",
        )
        .unwrap();
        let mut cache = CacheForRepeatCustomers::new(&conn).unwrap();
        for _ in 0..4 * CacheForRepeatCustomers::WINDOW {
            cache.saw(&conn, false).unwrap();
        }
        assert_eq!(cache_kib(&conn), 32_768, "262,144 index entries fit in it");
    }
}
