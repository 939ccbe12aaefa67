//! Importing one file into a case, start to finish: preview with a proposed mapping, then the streamed,
//! all-or-nothing import. The CLI and the app both go through here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::customers::CustomerLinker;
use super::ingest::{self, ImportSummary, IngestProblem, IngestSource, PreparedRow, Progress};
use super::mapping;
use crate::detect::classify;
use crate::field::FieldType;
use crate::i18n::Message;
use crate::import;
use crate::store::{Actor, Case};
use crate::{Error, Lang, Result};

/// How the owner wants the file read; every field left empty is detected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReadChoices {
    /// An encoding label such as `UTF-8`, `GB18030`, `UTF-16LE`.
    pub encoding: Option<String>,
    /// `,` `\t` `;` or `|`.
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    /// 1-based row number of the header.
    pub header_row: Option<u64>,
}

/// The field proposed for one column, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ColumnProposal {
    pub index: u32,
    pub header: String,
    pub field: FieldType,
    pub confidence: f32,
    /// Why this field, in the owner's language ("表头“联系电话”；抽样 20 个值中 20 个是有效手机号").
    pub evidence: String,
    /// True when the field comes from the mapping the owner confirmed for this layout before.
    pub remembered: bool,
}

/// Why a column's proposal is the remembered mapping (worded in `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RememberedMapping;

/// An earlier import of the same content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EarlierImport {
    pub label: String,
    pub imported_at: String,
}

/// What the preview screen and `handover import` show before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportPreview {
    pub path: String,
    pub file_name: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub header_row: u64,
    pub columns: Vec<ColumnProposal>,
    /// The first data rows, as read (row number and cells).
    pub rows: Vec<PreviewRow>,
    pub size_bytes: u64,
    pub content_sha256: String,
    pub duplicate_of: Option<EarlierImport>,
    /// What the reader did on its own (rows above the header skipped, empty sheets passed over, the other
    /// sheets of a workbook not imported with this one…), in the owner's language.
    pub notes: Vec<String>,
    /// The sheets of a workbook that this import leaves out (each is imported on its own by choosing it);
    /// empty sheets before the one read and text files: none.
    pub sheets_not_imported: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewRow {
    pub row_number: u64,
    pub cells: Vec<String>,
    /// Problems the reader already sees in this row.
    pub problems: Vec<String>,
}

/// Everything needed to run an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRequest {
    pub path: String,
    pub choices: ReadChoices,
    /// The owner's mapping, one field per column; `None` takes the proposal.
    pub fields: Option<Vec<FieldType>>,
    /// The owner confirmed importing content that was imported before.
    pub allow_duplicate: bool,
}

fn read_options(c: &ReadChoices, lang: Lang) -> import::ReadOptions {
    import::ReadOptions {
        encoding: c.encoding.clone().filter(|e| !e.trim().is_empty()),
        delimiter: c
            .delimiter
            .as_deref()
            .and_then(import::delimiter_from_label),
        sheet: c.sheet.clone().filter(|s| !s.is_empty()),
        header_row: c.header_row.filter(|r| *r >= 1),
        lang,
    }
}

/// The files last hashed for an import in this process, and what identified each then (the newest last, at
/// most [`HASHES_REMEMBERED`]). A file is hashed when previewed (to tell whether it was imported before), and
/// the app previews before it imports: the same unchanged file is then not read and hashed a second time on
/// the way in. Several, because an owner may preview more than one file before importing them. The import
/// still hashes every byte it reads and is refused when they differ from the remembered hash, which also
/// forgets it.
static HASHED: std::sync::Mutex<Vec<(FileIdentity, String, u64)>> =
    std::sync::Mutex::new(Vec::new());
const HASHES_REMEMBERED: usize = 8;

/// Path, size and modification time: what a changed file changes.
#[derive(Debug, Clone, PartialEq)]
struct FileIdentity {
    path: PathBuf,
    len: u64,
    modified: std::time::SystemTime,
}

fn identity(path: &Path) -> Option<FileIdentity> {
    let meta = std::fs::metadata(path).ok()?;
    Some(FileIdentity {
        path: std::path::absolute(path).ok()?,
        len: meta.len(),
        modified: meta.modified().ok()?,
    })
}

fn hashed() -> std::sync::MutexGuard<'static, Vec<(FileIdentity, String, u64)>> {
    HASHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forgets what was remembered for the file at `path`.
fn forget_hash(path: &Path) {
    if let Ok(path) = std::path::absolute(path) {
        hashed().retain(|(known, ..)| known.path != path);
    }
}

/// [`sha256_of`] for a file about to be imported, remembered for the import that follows (see [`HASHED`]).
fn hash_for_import(path: &Path) -> Result<(String, u64)> {
    if let Some(known) = remembered_hash(path) {
        return Ok(known);
    }
    let id = identity(path);
    let (sha, size) = sha256_of(path)?;
    // Kept only when the file still looks as it did before the read.
    if let Some(id) = id.filter(|id| id.len == size && identity(path).as_ref() == Some(id)) {
        let mut hashed = hashed();
        hashed.retain(|(known, ..)| known.path != id.path);
        if hashed.len() == HASHES_REMEMBERED {
            hashed.remove(0);
        }
        hashed.push((id, sha.clone(), size));
    }
    Ok((sha, size))
}

/// The hash [`hash_for_import`] remembered for this file, if it still looks as it did then.
fn remembered_hash(path: &Path) -> Option<(String, u64)> {
    let id = identity(path)?;
    hashed()
        .iter()
        .find(|(known, ..)| *known == id)
        .map(|(_, sha, size)| (sha.clone(), *size))
}

/// What an import knows of the file's content before reading its rows: the hash remembered from its preview;
/// else the file is hashed first only when the case has a source of the same size, the only one it could
/// duplicate; else none: the import learns the hash from its own read (which hashes every byte it takes) and
/// checks for a duplicate with it before committing. A second full read of a five-million-row file before the
/// first row could be written took 0.6 s, most of it after the case's key was ready.
/// The hash (when known) and the size.
fn hash_before_read(case: &Case, path: &Path) -> Result<(Option<String>, u64)> {
    if let Some((sha, size)) = remembered_hash(path) {
        return Ok((Some(sha), size));
    }
    let size = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    if case.read(|conn| ingest::any_source_of_size(conn, size))? {
        let (sha, size) = hash_for_import(path)?;
        return Ok((Some(sha), size));
    }
    Ok((None, size))
}

/// Hashes the file in a streaming pass (a 2 GB file costs seconds, not memory).
pub fn sha256_of(path: &Path) -> Result<(String, u64)> {
    let mut f = import::ReadError::open_regular(path).map_err(|e| match e {
        import::ReadError::FileNotFound => Error::FileNotFound(path.to_path_buf()),
        e => Error::Import {
            file: file_name(path),
            code: e.code(),
            reason: e,
        },
    })?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(|e| io_error(path, e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex::encode(h.finalize()), size))
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::FileNotFound(path.to_path_buf())
    } else {
        Error::io(path, e)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads the start of the file, detects how to read it, and proposes a field for each column.
///
/// `lang` is the language of the text an import writes into the case (names of unnamed columns, the
/// reasons in the problem list), which is stored as text and read back as stored; the words themselves
/// come from `crate::messages`. It is the one place the core still takes a language.
pub fn preview(
    case: &Case,
    path: &Path,
    choices: &ReadChoices,
    lang: Lang,
) -> Result<ImportPreview> {
    preview_with(case, path, choices, lang, |_| {
        hash_for_import(path).map(|(sha, size)| (Some(sha), size))
    })
}

/// [`preview`], with the file's hash and size from `hash` (no hash: not known before the rows are read, and no
/// earlier source can have it; `content_sha256` stays empty until the import sets it).
fn preview_with(
    case: &Case,
    path: &Path,
    choices: &ReadChoices,
    lang: Lang,
    hash: impl FnOnce(&Case) -> Result<(Option<String>, u64)>,
) -> Result<ImportPreview> {
    let options = read_options(choices, lang);
    let mut table = import::preview(path, &options).map_err(|e| Error::Import {
        file: file_name(path),
        code: e.code(),
        reason: e,
    })?;
    let (content_sha256, size_bytes) = hash(case)?;
    let (duplicate_of, imported) = match &content_sha256 {
        Some(sha) => (
            case.read(|conn| ingest::find_duplicate(conn, sha, table.sheet.as_deref()))?
                .map(|(label, imported_at)| EarlierImport { label, imported_at }),
            // Sheets of this very file already imported are not "left out": the note names only those still
            // to do (after the first sheet, the owner is told what remains, not what was just imported).
            case.read(|conn| ingest::imported_sheets(conn, sha))?,
        ),
        None => (None, Vec::new()),
    };
    let content_sha256 = content_sha256.unwrap_or_default();
    table.notes.retain_mut(|n| match n {
        import::PreviewNote::OtherSheetsNotImported { sheets } => {
            sheets.retain(|s| !imported.contains(s));
            !sheets.is_empty()
        }
        _ => true,
    });
    let remembered = case.read(|conn| mapping::remembered(conn, &table.headers))?;
    let mut guesses: Vec<classify::ColumnGuess> = (0..table.headers.len())
        .map(|i| {
            let samples: Vec<&str> = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(String::as_str))
                .collect();
            classify::classify_column(&table.headers[i], &samples)
        })
        .collect();
    classify::refine_with_sheet(&table.headers, &mut guesses);
    let columns = table
        .headers
        .iter()
        .zip(guesses)
        .enumerate()
        .map(
            |(i, (header, guess))| match remembered.as_ref().and_then(|r| r.get(i)) {
                Some(field) => ColumnProposal {
                    index: i as u32,
                    header: header.clone(),
                    field: *field,
                    confidence: 1.0,
                    evidence: RememberedMapping.message(lang),
                    remembered: true,
                },
                None => ColumnProposal {
                    index: i as u32,
                    header: header.clone(),
                    field: guess.field,
                    confidence: guess.confidence,
                    evidence: guess.evidence.message(lang),
                    remembered: false,
                },
            },
        )
        .collect();
    Ok(ImportPreview {
        path: path.display().to_string(),
        file_name: file_name(path),
        format: table.format.id().to_string(),
        encoding: table.encoding.clone(),
        delimiter: table.delimiter.map(|d| (d as char).to_string()),
        sheets: table.sheets.clone(),
        sheet: table.sheet.clone(),
        header_row: table.header_row,
        columns,
        rows: table
            .rows
            .iter()
            .map(|r| PreviewRow {
                row_number: r.row_number,
                cells: r.cells.clone(),
                problems: r.problems.iter().map(|p| p.message(lang)).collect(),
            })
            .collect(),
        size_bytes,
        content_sha256,
        duplicate_of,
        notes: table.notes.iter().map(|n| n.message(lang)).collect(),
        sheets_not_imported: table
            .notes
            .iter()
            .find_map(|n| match n {
                import::PreviewNote::OtherSheetsNotImported { sheets } => Some(sheets.clone()),
                _ => None,
            })
            .unwrap_or_default(),
    })
}

/// Runs the import (`lang`: see [`preview`]). With `hold`, the transaction stays open for the owner to review the problems and then
/// `Case::commit_import` or `Case::discard_import`; without, it is committed here.
#[allow(clippy::too_many_arguments)]
pub fn run(
    case: &mut Case,
    request: &ImportRequest,
    actor: &Actor,
    lang: Lang,
    cancel: &AtomicBool,
    on_progress: &mut dyn FnMut(Progress),
    hold: bool,
) -> Result<(ImportPreview, ImportSummary)> {
    let path = PathBuf::from(&request.path);
    let mut preview = preview_with(case, &path, &request.choices, lang, |case| {
        hash_before_read(case, &path)
    })?;
    let hashed_before = (!preview.content_sha256.is_empty())
        .then(|| (preview.content_sha256.clone(), preview.size_bytes));
    if let (Some(earlier), false) = (&preview.duplicate_of, request.allow_duplicate) {
        return Err(Error::DuplicateImport {
            file: preview.file_name.clone(),
            previous_label: earlier.label.clone(),
            imported_at: earlier.imported_at.clone(),
        });
    }
    let fields = match &request.fields {
        Some(f) if f.len() == preview.columns.len() => f.clone(),
        Some(f) => {
            return Err(Error::Internal(format!(
                "the mapping has {} fields for {} columns",
                f.len(),
                preview.columns.len()
            )))
        }
        None => preview.columns.iter().map(|c| c.field).collect(),
    };
    let mut options = read_options(&request.choices, lang);
    // Read exactly what was previewed, even if detection would differ on a second look.
    options.header_row = Some(preview.header_row);
    options.sheet = preview.sheet.clone();
    let file = preview.file_name.clone();
    let reader = import::open(&path, &options).map_err(|e| Error::Import {
        file: file.clone(),
        code: e.code(),
        reason: e,
    })?;
    let total = reader.total_units();
    let progress_handle = reader.progress_handle();
    // The hash of the bytes this read takes, set when it ends with the file unchanged.
    let digest = reader.digest_handle();
    let source = IngestSource {
        file_name: file.clone(),
        content_sha256: hashed_before.as_ref().map(|(sha, _)| sha.clone()),
        size_bytes: preview.size_bytes,
        allow_duplicate: request.allow_duplicate,
        format: preview.format.clone(),
        encoding: preview.encoding.clone(),
        delimiter: preview.delimiter.clone(),
        sheet: preview.sheet.clone(),
        header_row: preview.header_row,
        headers: preview.columns.iter().map(|c| c.header.clone()).collect(),
        fields,
    };
    // Three threads on these machines' two cores: this one writes to the database while a second reads,
    // normalises and serialises the rows ahead of it and a third links them to customers. The linking has a
    // thread of its own not for its size (a tenth of the reading thread's work) but so that neither core waits:
    // on one reading thread, the writer idled an eighth of the time on a GBK file while the reader was never
    // idle; three threads let the system give both cores work until the rows are written. Rows travel in
    // batches to keep the hand-over cheap; the bounded channels keep memory constant, and written batches
    // travel back to the reading thread to be filled again. When the writer stops early (cancel, error), its
    // channel closes, the linking thread ends at its next send and closes its own, and the reading thread ends
    // at its next.
    const BATCH: usize = 512;
    // A batch also ends at a mebibyte of rows: the channel holds a bounded number of batches, and rows of
    // megabyte notes (a cell may hold 1 MiB, a row 8) counted by the 512 held a gigabyte in flight for a
    // 1.5 GB file — memory that grew with the file.
    const BATCH_BYTES: usize = 1 << 20;
    case.begin_import()?;
    // The customers already in the case, read inside the import's transaction.
    let linker = match case.read(CustomerLinker::load) {
        Ok(l) => l,
        Err(e) => {
            let _ = case.discard_import();
            return Err(e);
        }
    };
    // A batch of rows, or the error that ends the import (the rows read before it are not written: the import
    // is rolled back): prepared, to the linking thread; linked, to the writer.
    let (prepared_tx, prepared_rx) = std::sync::mpsc::sync_channel::<Result<Vec<PreparedRow>>>(8);
    let (linked_tx, linked_rx) = std::sync::mpsc::sync_channel::<Result<Vec<PreparedRow>>>(8);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<PreparedRow>>();
    // The day the overview counts minors on: each record's `minor` is worked out for it on the reading thread,
    // and the import adds its records to the overview's tally kept for that day.
    let minors_on = match case.read(super::tally::reference_date) {
        Ok(on) => on,
        Err(e) => {
            let _ = case.discard_import();
            return Err(e);
        }
    };
    let fields = source.fields.clone();
    let keys = ingest::KeyColumns::of(&fields);
    let reading_thread = std::thread::spawn(move || {
        let tx = prepared_tx;
        let mut reader = reader;
        // One row whose strings every row of the file is read into (see `ingest::prepare_cells_into`).
        let mut row = import::RawRow::default();
        // The batch being filled: its first `filled` rows are this batch's, the rest were written before and
        // are prepared again in place (see `PreparedRow`). Batches the writer has finished with wait in
        // `written`: at most the batches in flight, the channel's and the two ends'.
        let mut batch: Vec<PreparedRow> = Vec::with_capacity(BATCH);
        let mut filled = 0;
        let mut filled_bytes = 0;
        let mut written: Vec<Vec<PreparedRow>> = Vec::new();
        loop {
            let read = match reader.read_row(&mut row) {
                Ok(false) => break,
                Ok(true) => Ok(()),
                Err(e) => Err(Error::Import {
                    file: file.clone(),
                    code: e.code(),
                    reason: e,
                }),
            };
            if filled == batch.len() {
                batch.push(PreparedRow::default());
            }
            let record = &mut batch[filled];
            filled += 1;
            let prepared = read.and_then(|()| {
                let problems = row.problems.iter().map(|p| IngestProblem {
                    column: p.column,
                    kind: p.kind.id().to_string(),
                    detail: p.message(lang),
                });
                ingest::prepare_cells_into(
                    record,
                    &fields,
                    &keys,
                    lang,
                    row.row_number,
                    &row.cells,
                    problems,
                    row.is_rejected(),
                )?;
                record.mark_minor(minors_on, &keys);
                filled_bytes += record.bytes();
                Ok(())
            });
            if let Err(e) = prepared {
                // The writer stops at the error; after it there is nothing more to read.
                let _ = tx.send(Err(e));
                return;
            }
            if filled < BATCH && filled_bytes < BATCH_BYTES {
                continue;
            }
            let next = written.pop().unwrap_or_else(|| Vec::with_capacity(BATCH));
            batch.truncate(filled);
            let full = std::mem::replace(&mut batch, next);
            filled = 0;
            filled_bytes = 0;
            // A failed send means the writer has stopped.
            if tx.send(Ok(full)).is_err() {
                return;
            }
            for mut rows in done_rx.try_iter() {
                rows.iter_mut().for_each(PreparedRow::shed_room);
                written.push(rows);
            }
        }
        batch.truncate(filled);
        let _ = tx.send(Ok(batch));
    });
    // In file order, on one thread: a customer is created by the first row that names them.
    let linking_thread = std::thread::spawn(move || {
        let mut linker = linker;
        for batch in prepared_rx {
            let batch = batch.and_then(|mut rows| {
                for row in &mut rows {
                    row.link_with(&mut linker, &keys)?;
                }
                Ok(rows)
            });
            let failed = batch.is_err();
            // A failed send means the writer has stopped.
            if linked_tx.send(batch).is_err() || failed {
                break;
            }
        }
        linker
    });
    let mut batches = linked_rx.into_iter();
    let mut linking_thread = Some(linking_thread);
    let mut take_linker = || -> Result<CustomerLinker> {
        linking_thread
            .take()
            .ok_or_else(|| Error::Internal("the linking thread was joined twice".into()))?
            .join()
            .map_err(|_| Error::Internal("the linking thread panicked".into()))
    };
    // One pass: what was read, once the reading has ended, must be exactly what was hashed before it, when
    // it was (and the source row records it).
    let file_name = preview.file_name.clone();
    let read_content = || match digest.get() {
        Some(d)
            if hashed_before
                .as_ref()
                .is_none_or(|(sha, size)| *sha == d.sha256 && *size == d.size) =>
        {
            Ok(d.clone())
        }
        _ => {
            forget_hash(&path);
            Err(Error::Import {
                file: file_name.clone(),
                code: import::ReadError::ChangedWhileReading.code(),
                reason: import::ReadError::ChangedWhileReading,
            })
        }
    };
    // The import's one special thing: its transaction outlives this call (with `hold`, the owner commits or
    // discards it later), so it cannot be a `Case::write` closure; its timestamp and audit entry still go
    // through the write path's `Writer`.
    let result = case.import_writer(actor).and_then(|w| {
        ingest::ingest(
            &w,
            &source,
            ingest::RowBatches {
                batches: &mut batches,
                done: &|b| {
                    let _ = done_tx.send(b);
                },
                linker: &mut take_linker,
                content: &read_content,
                minors_on,
            },
            total,
            &|| progress_handle.done(),
            cancel,
            on_progress,
        )
    });
    drop(batches);
    if let Some(t) = linking_thread.take() {
        let _ = t.join();
    }
    let _ = reading_thread.join();
    match result {
        Ok(summary) => {
            if !hold {
                case.commit_import()?;
            }
            if let Some(read) = digest.get() {
                preview.content_sha256.clone_from(&read.sha256);
                preview.size_bytes = read.size;
            }
            Ok((preview, summary))
        }
        Err(e) => {
            // The import's own error is what the owner needs (a full disk, say); the rollback after it
            // restores the connection and has nothing to add.
            let _ = case.discard_import();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{BusinessKind, CaseDetails, Seller, TransferReason};

    fn request(path: &Path) -> ImportRequest {
        ImportRequest {
            path: path.display().to_string(),
            choices: ReadChoices::default(),
            fields: None,
            allow_duplicate: false,
        }
    }

    /// The remembered hash saves a second read of an unchanged file, never stands for a changed one: a file
    /// changed behind its size and modification time is refused by the import's own hash, which forgets it.
    #[test]
    fn a_remembered_hash_never_lets_a_changed_file_in() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("会员.csv");
        std::fs::write(&csv, "手机,姓名\n13800000001,张三\n").unwrap();
        let first = hash_for_import(&csv).unwrap();
        assert_eq!(first, sha256_of(&csv).unwrap());
        assert_eq!(hash_for_import(&csv).unwrap(), first);

        // Another content of the same length with a new modification time: hashed again.
        std::fs::write(&csv, "手机,姓名\n13800000002,李四\n").unwrap();
        let file = std::fs::File::options().write(true).open(&csv).unwrap();
        let then =
            std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        file.set_modified(then).unwrap();
        let second = hash_for_import(&csv).unwrap();
        assert_eq!(second, sha256_of(&csv).unwrap());
        assert_ne!(second, first);

        // Changed again with size and time put back, as a coarse clock could leave them: the preview still
        // names the remembered hash, but the import reads other bytes and is refused.
        std::fs::write(&csv, "手机,姓名\n13800000003,王五\n").unwrap();
        file.set_modified(then).unwrap();
        assert_eq!(hash_for_import(&csv).unwrap(), second, "looks unchanged");
        let (mut case, actor) = new_case(dir.path());
        let refused = import(&mut case, &csv, &actor, false);
        assert!(
            matches!(
                refused,
                Err(Error::Import {
                    reason: import::ReadError::ChangedWhileReading,
                    ..
                })
            ),
            "{refused:?}"
        );
        // Forgotten: the next try reads the file and imports what it holds.
        let (preview, summary) = import(&mut case, &csv, &actor, false).unwrap();
        assert_eq!(preview.content_sha256, sha256_of(&csv).unwrap().0);
        assert_eq!(summary.rows_imported, 1);
    }

    fn new_case(dir: &Path) -> (Case, Actor) {
        let details = CaseDetails {
            kind: BusinessKind::Shop,
            reason: TransferReason::SaleWhole,
            seller: Seller {
                name: "王记便利店".into(),
                ..Seller::default()
            },
            recipient: None,
            handover_date: None,
            notes: String::new(),
        };
        let actor = Actor("test".into());
        let case = Case::create(
            &dir.join("c.handover"),
            "Horse-Battery-Staple-9",
            details,
            &actor,
        )
        .unwrap();
        (case, actor)
    }

    fn import(
        case: &mut Case,
        csv: &Path,
        actor: &Actor,
        allow_duplicate: bool,
    ) -> Result<(ImportPreview, ImportSummary)> {
        let request = ImportRequest {
            allow_duplicate,
            ..request(csv)
        };
        let never = AtomicBool::new(false);
        run(
            case,
            &request,
            actor,
            Lang::ZhCn,
            &never,
            &mut |_| {},
            false,
        )
    }

    /// What the case records of each source: its hash and size, and the hash its audit entry names.
    fn recorded(case: &Case) -> Vec<(String, i64, String)> {
        let sources: Vec<(String, i64)> = case
            .read(|c| {
                let mut stmt =
                    c.prepare("SELECT content_sha256, size_bytes FROM sources ORDER BY id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap();
        let audited: Vec<String> = case
            .audit_entries()
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "import")
            .map(|e| {
                let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap();
                detail["sha256"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(sources.len(), audited.len());
        sources
            .into_iter()
            .zip(audited)
            .map(|((sha, size), audit)| (sha, size, audit))
            .collect()
    }

    /// A file no earlier source has the size of cannot be one imported before: it is not read twice, and its
    /// hash comes from the import's own read, recorded as a previewed file's is. A file of a size seen before is
    /// hashed first, and refused as a duplicate before a row is read when it is one.
    #[test]
    fn a_file_is_hashed_before_its_rows_only_when_it_could_be_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path());
        let first = dir.path().join("会员-一.csv");
        std::fs::write(&first, "手机,姓名\n13800000001,张三\n13800000002,李四\n").unwrap();
        assert!(!case.read(|c| ingest::any_source_of_size(c, 0)).unwrap());

        let (preview, summary) = import(&mut case, &first, &actor, false).unwrap();
        assert!(
            remembered_hash(&first).is_none(),
            "not hashed before its rows"
        );
        let (sha, size) = sha256_of(&first).unwrap();
        assert_eq!(
            (preview.content_sha256.as_str(), preview.size_bytes),
            (sha.as_str(), size)
        );
        assert_eq!(summary.rows_imported, 2);
        assert_eq!(
            recorded(&case),
            vec![(sha.clone(), size as i64, sha.clone())]
        );

        // The same content under another name: a source of its size exists, so it is hashed first and refused
        // before its rows are read; nothing is added.
        let copy = dir.path().join("会员-副本.csv");
        std::fs::copy(&first, &copy).unwrap();
        let refused = import(&mut case, &copy, &actor, false);
        assert!(
            matches!(refused, Err(Error::DuplicateImport { .. })),
            "{refused:?}"
        );
        assert_eq!(
            remembered_hash(&copy),
            Some((sha.clone(), size)),
            "hashed first"
        );
        assert_eq!(recorded(&case).len(), 1);

        // Other content of the same size: hashed first too, and imported.
        let other = dir.path().join("会员-二.csv");
        std::fs::write(&other, "手机,姓名\n13800000003,王五\n13800000004,赵六\n").unwrap();
        let (other_sha, other_size) = sha256_of(&other).unwrap();
        assert_eq!(other_size, size);
        let (preview, _) = import(&mut case, &other, &actor, false).unwrap();
        assert_eq!(preview.content_sha256, other_sha);
        assert_eq!(
            recorded(&case)[1],
            (other_sha.clone(), size as i64, other_sha)
        );
    }

    /// The duplicate check does not rest on sizes alone: content hashed only by its read is checked against
    /// the case's sources before the import is committed (here an earlier source whose size was recorded
    /// otherwise, so no size gave it away), and the import is rolled back whole; the owner can confirm it.
    #[test]
    fn content_hashed_by_its_read_is_still_refused_as_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path());
        let csv = dir.path().join("会员.csv");
        std::fs::write(&csv, "手机,姓名\n13800000001,张三\n").unwrap();
        import(&mut case, &csv, &actor, false).unwrap();
        case.connection()
            .execute("UPDATE sources SET size_bytes = size_bytes + 1", [])
            .unwrap();
        let records = |case: &Case| {
            case.read(|c| {
                Ok(c.query_row("SELECT count(*) FROM records", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap()
        };
        assert_eq!(records(&case), 1);

        let refused = import(&mut case, &csv, &actor, false);
        assert!(
            matches!(refused, Err(Error::DuplicateImport { .. })),
            "{refused:?}"
        );
        assert!(
            remembered_hash(&csv).is_none(),
            "refused after its read, not before"
        );
        assert_eq!(records(&case), 1);
        assert_eq!(recorded(&case).len(), 1);

        let (_, summary) = import(&mut case, &csv, &actor, true).unwrap();
        assert_eq!(summary.rows_imported, 1);
        assert_eq!(records(&case), 2);
        let sha = sha256_of(&csv).unwrap().0;
        assert!(recorded(&case)
            .iter()
            .all(|(s, _, a)| *s == sha && *a == sha));
    }
}
