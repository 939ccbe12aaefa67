//! The case file: one SQLCipher-encrypted SQLite database per case.
//!
//! Everything about opening a case lives here, in one place: recognising what a file is, the key, the
//! pragmas, the migrations, the integrity check and the mapping of SQLite's errors to messages an owner
//! understands.

mod background_sync;
mod cipher_pages;
pub(crate) mod migrations;
pub(crate) use cipher_pages::{read_page_at, verify_pages, CipherFormat, PageKey};
mod rebuild;
mod scratch;
mod secure;
mod write;

pub(crate) use rebuild::{Rebuild, Superseded, REBUILT, SIDE};
pub(crate) use scratch::ScratchDb;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use std::cell::Cell;

use chrono::NaiveDate;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, AuditEntry, AuditProblem, AuditReport};
// `Actor` lives with the audit log it is written into; re-exported here, where callers have always found it.
pub use crate::audit::Actor;
use crate::case::{
    BusinessKind, CaseDetails, CaseFacts, CrossBorderMechanism, DetailProblem, LegalForm,
    Recipient, Seller, TransferReason,
};
use crate::error::{Error, Result};
use crate::passphrase;

pub use migrations::latest_version;
pub(crate) use secure::Compaction;
pub use write::Writer;
pub(crate) use write::{OVERVIEW_KIND, TALLY_KIND};

/// The file extension of case files.
pub const EXTENSION: &str = "handover";
/// `PRAGMA application_id` of every case file ("HNDV"), so another program's database is told apart.
pub const APPLICATION_ID: i32 = 0x484E_4456;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Page cache during an import, in KiB. An import whose records mostly belong to customers already seen
/// grows it (`records::ingest`).
pub(crate) const IMPORT_CACHE_KIB: u64 = 32_768;
/// Page cache otherwise (negative: KiB; SQLite's default).
const DEFAULT_CACHE_KIB: i64 = -2_000;

/// The size of a page cache an import wants, in KiB: `wanted`. Debug builds take another size from
/// `HANDOVER_TEST_IMPORT_CACHE_KIB` for every cache of an import (the case's, which otherwise grows with
/// repeat customers, and the customer linker's overflow), so a test can fill them on a few hundred thousand
/// rows and show that the importer's memory past them does not grow with the data.
pub(crate) fn import_cache_kib(wanted: u64) -> u64 {
    crate::budgets::budget("HANDOVER_TEST_IMPORT_CACHE_KIB", wanted)
}

/// An open case.
#[derive(Debug)]
pub struct Case {
    /// Declared first so it is dropped first: see `background_sync`.
    conn: Connection,
    path: PathBuf,
    /// An import's transaction is open, waiting for the owner to commit or discard it.
    import_open: bool,
    /// Syncs the file while an import writes into it (rollback mode only).
    import_sync: Option<background_sync::BackgroundSync>,
    /// A [`Case::read`] is running (the connection is query-only until it ends).
    reading: Cell<bool>,
    /// The file's key, derived once at opening: a second connection for a read beside this one opens with it
    /// without deriving it again ([`Case::second_reader`]). Wiped when the case is dropped.
    key: PageKey,
    /// The case file, locked shared (`flock`) for as long as the case is open, so a destruction can tell that
    /// no other program has it open before it puts a rebuilt file in its place (`Case::rebuild`). `None`
    /// where the file system cannot lock files.
    lock: Option<fs::File>,
    /// The first break in the audit chain, found when the case was opened (`None`: the chain verified).
    audit_break: Option<AuditProblem>,
    /// The owner saw the break and chose to go on (this opening only: each opening tells them again).
    audit_break_acknowledged: Cell<bool>,
}

/// Everything the case overview shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CaseOverview {
    pub path: String,
    pub file_name: String,
    pub case_id: String,
    pub created_at: String,
    pub schema_version: u32,
    pub details: CaseDetails,
    /// Open items in the case details (missing recipient contact…).
    pub problems: Vec<DetailProblem>,
    pub sources: u64,
    pub customers: u64,
    pub records: u64,
    pub audit_entries: u64,
    /// The hash of the audit log's last entry: printed on paper (status, summary, package) so a later
    /// rewrite of the log — even one with the passphrase and every hash recomputed — contradicts it.
    pub audit_head_hash: Option<String>,
    /// The first break in the audit chain found when the case was opened; `None` when it verified.
    pub audit_break: Option<AuditProblem>,
}

impl Case {
    /// Creates a new case file. The file appears under its final name only once it is complete, so a crash
    /// during creation never leaves a half-made case behind.
    pub fn create(
        path: &Path,
        passphrase: &str,
        details: CaseDetails,
        actor: &Actor,
    ) -> Result<Case> {
        Case::create_with(path, passphrase, details, actor, |_| Ok(()))
    }

    /// Creates a new case file and fills it in the same transaction as its creation (`fill` runs after the
    /// case details and the `case.create` audit entry are written): receiving a package makes the
    /// recipient's case this way, so a case is either complete or absent. When `fill` fails, nothing is left
    /// behind — the temporary file is removed and no file appears under `path`.
    pub fn create_with(
        path: &Path,
        passphrase: &str,
        details: CaseDetails,
        actor: &Actor,
        fill: impl FnOnce(&Writer<'_>) -> Result<()>,
    ) -> Result<Case> {
        let details = details.normalized();
        let context = [
            details.seller.name.as_str(),
            details.seller.responsible_person.as_str(),
        ];
        if let Some(w) = passphrase::weakness(passphrase, &context) {
            return Err(Error::WeakPassphrase(w));
        }
        let blocking = details.blocking_problems();
        if !blocking.is_empty() {
            return Err(Error::InvalidDetails(blocking));
        }
        if path.exists() {
            return Err(Error::FileExists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let tmp = temp_path_for(path);
        let result = (|| {
            let mut conn = Connection::open_with_flags(
                &tmp,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            apply_new_key(&conn, passphrase)?;
            apply_pragmas(&conn)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            migrations::migrations()
                .to_latest(&mut conn)
                .map_err(|e| Error::Internal(format!("migration: {e}")))?;
            write::write_on(&conn, actor, |w| {
                let case_id: String =
                    w.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?;
                w.execute(
                    "INSERT INTO case_meta (id, case_id, created_at, app_version) VALUES (1, ?1, ?2, ?3)",
                    params![case_id, w.now(), env!("CARGO_PKG_VERSION")],
                )?;
                write_details(w, &details, w.now())?;
                w.audit(
                    "case.create",
                    serde_json::json!({ "details": details_audit_view(&details) }),
                )?;
                fill(w)
            })?;
            // Fold the WAL into the main file before it is moved under its final name.
            conn.pragma_update(None, "journal_mode", "DELETE")?;
            drop(conn);
            restrict_permissions(&tmp);
            fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            for suffix in ["-wal", "-shm"] {
                let mut side = tmp.clone().into_os_string();
                side.push(suffix);
                let _ = fs::remove_file(side);
            }
            return Err(e);
        }
        Case::open(path, passphrase)
    }

    /// Opens an existing case, telling apart a missing file, a file that is not a case, a wrong
    /// passphrase, a damaged file and a file from a newer app.
    pub fn open(path: &Path, passphrase: &str) -> Result<Case> {
        Case::open_reporting(path, passphrase, &mut |_| {})
    }

    /// [`Case::open`], telling `on_progress` how far the check of the file's pages has got: a few seconds on
    /// a five-million-row case, which the window shows instead of seeming to hang.
    pub fn open_reporting(
        path: &Path,
        passphrase: &str,
        on_progress: &mut dyn FnMut(OpeningProgress),
    ) -> Result<Case> {
        recognise_file(path)?;
        let lock = rebuild::lock_shared(path)?;
        // The key is derived once, here, and given to SQLCipher raw; a wrong passphrase (or a file in neither
        // cipher format) fails on page 1's header.
        let key = PageKey::derive(path, passphrase)?;
        let conn = open_keyed(path, &key).map_err(|e| match e.sqlite_error_code() {
            // The key decrypted page 1's header, so "not a database" means page 1 fails its HMAC.
            Some(ErrorCode::NotADatabase) => {
                Error::Corrupted(path.to_path_buf(), "page 1 fails its check (HMAC)".into())
            }
            _ => map_open_error(path, e),
        })?;
        apply_pragmas(&conn).map_err(|e| match e {
            Error::Database(db) => map_open_error(path, db),
            other => other,
        })?;
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id != APPLICATION_ID {
            return Err(Error::NotACase(path.to_path_buf(), "foreign-database"));
        }
        // A process killed in the middle of a checkpoint leaves page 1 (copied first) saying more pages than
        // the file holds yet; the rest are whole in the write-ahead log. Finishing that checkpoint first lets
        // the check below tell such a case from a copy that was really cut off. A checkpoint copies the log's
        // pages as they are, encrypted and authenticated, so the check still sees every page's own HMAC.
        // Passive: it never waits for another connection reading the case.
        if wal_has_frames(path) {
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                .map_err(|e| map_open_error(path, e))?;
        }
        // Every page, so a damaged file is reported when it is opened, not halfway through a handover.
        // SQLite's own `quick_check` of the b-tree structure is not run: it read the whole file a second time
        // and finds only damage SQLite itself would have had to write.
        cipher_pages::verify_pages_reporting(path, &key, &mut |done, total| {
            on_progress(OpeningProgress {
                stage: OpeningStage::CheckingPages,
                done,
                total,
            })
        })?;
        on_progress(OpeningProgress {
            stage: OpeningStage::CheckingHistory,
            done: 0,
            total: 0,
        });
        let mut case = Case {
            conn,
            key,
            path: path.to_path_buf(),
            import_open: false,
            import_sync: None,
            reading: Cell::new(false),
            lock,
            audit_break: None,
            audit_break_acknowledged: Cell::new(false),
        };
        case.migrate()?;
        // Verified on every opening, before anything can append to it: appending to a broken chain would
        // bury the break under entries that verify from there on.
        case.audit_break = audit::verify(&case.conn)?.first_problem;
        Ok(case)
    }

    fn migrate(&mut self) -> Result<()> {
        let found: u32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = latest_version();
        if found > known {
            return Err(Error::NewerVersion {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found < known {
            migrations::migrations()
                .to_latest(&mut self.conn)
                .map_err(|e| Error::Internal(format!("migration: {e}")))?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's keys, as derived when the case was opened.
    pub(crate) fn page_key(&self) -> &PageKey {
        &self.key
    }

    /// [`Error::WrongPassphrase`] unless `passphrase` is the one the case was opened with (typed again to
    /// confirm something that cannot be undone), checked without deriving the key again.
    pub fn check_passphrase(&self, passphrase: &str) -> Result<()> {
        if self.key.is_passphrase(passphrase) {
            Ok(())
        } else {
            Err(Error::WrongPassphrase(self.path.clone()))
        }
    }

    /// Opens the transaction an import writes into. Nothing else may write until it is committed or
    /// discarded; if the process dies first, SQLite rolls it back on the next open.
    pub fn begin_import(&mut self) -> Result<()> {
        if self.import_open {
            return Err(Error::ImportPending);
        }
        self.check_audit_acknowledged()?;
        // A large import touches many pages; with SQLCipher every page that leaves the cache is encrypted and
        // authenticated, and decrypted again when it comes back, so a roomy cache is what makes imports fast.
        self.conn.pragma_update(
            None,
            "cache_size",
            -(import_cache_kib(IMPORT_CACHE_KIB) as i64),
        )?;
        // Through the write-ahead log every page of an import is written twice (into the log, then copied into
        // the file at the checkpoint). A rollback journal writes each new page once, straight into the file,
        // and journals only the few existing pages the import changes; if the process dies, the journal left
        // behind rolls the import back when the case is next opened, as an unfinished log would be ignored.
        // FULL sync, because with a rollback journal NORMAL could lose the journal on a power cut. The
        // connection stays in this mode until the case is closed (switching back to WAL on this connection
        // leaves SQLCipher's b-tree holding a transaction, and every later checkpoint fails with "database
        // table is locked"); the next open returns to WAL. Leaving WAL needs the file to ourselves: when another
        // connection has it open, the import simply runs in WAL.
        let mode: rusqlite::Result<String> =
            self.conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
        let rollback_mode = matches!(&mode, Ok(m) if m.eq_ignore_ascii_case("delete"));
        if rollback_mode {
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        // Foreign keys are not checked row by row during an import (two b-tree lookups for each of a million
        // records): the import writes the source, the customers and the records itself, in this transaction,
        // and refers only to rows it has just written; the import tests run `PRAGMA foreign_key_check` on the
        // result. The pragma must be set outside a transaction; `after_import` turns checking back on.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            self.after_import()?;
            return Err(e.into());
        }
        // Inside the import's transaction: a discarded import brings the derived figures back with the rest.
        // The overview's tally stays for the import to add its records to (`records::ingest`).
        if let Err(e) = self
            .conn
            .execute("DELETE FROM derived_cache WHERE kind <> ?1", [TALLY_KIND])
        {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.after_import()?;
            return Err(e.into());
        }
        self.import_open = true;
        if rollback_mode {
            self.import_sync = background_sync::BackgroundSync::start(&self.path);
        }
        Ok(())
    }

    /// Whether an import waits for the owner's decision.
    pub fn import_pending(&self) -> bool {
        self.import_open
    }

    pub fn commit_import(&mut self) -> Result<()> {
        if !self.import_open {
            return Err(Error::Internal("no import to commit".into()));
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            // A commit that fails (a full disk) leaves nothing half-kept: the import is rolled back whole,
            // the connection's settings restored, and the commit's own error is what the owner sees.
            let _ = self.discard_import();
            return Err(e.into());
        }
        self.import_open = false;
        self.after_import()
    }

    /// Rolls the import back. SQLite may already have done so itself (after a full disk, an I/O error):
    /// then there is no transaction left to roll back, and that is not a second error. The connection's
    /// settings are restored whatever happened, so a failed import never leaves foreign keys off.
    pub fn discard_import(&mut self) -> Result<()> {
        if self.import_open {
            self.import_open = false;
            let rolled_back = if self.conn.is_autocommit() {
                Ok(())
            } else {
                self.conn.execute_batch("ROLLBACK")
            };
            let restored = self.after_import();
            rolled_back?;
            restored?;
        }
        Ok(())
    }

    /// A derived figure kept by [`Case::keep_derived`], if it is still there (no change since) and was kept
    /// under `key`, as text (JSON) or bytes. Never while an import is pending: its rows are not in the figure.
    pub(crate) fn derived<T: rusqlite::types::FromSql>(&self, kind: &str, key: &str) -> Option<T> {
        if self.import_open {
            return None;
        }
        self.conn
            .query_row(
                "SELECT value FROM derived_cache WHERE kind = ?1 AND key = ?2",
                [kind, key],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
    }

    /// A second, query-only connection to the case, for a long read run beside one on this connection (the
    /// summary reads the overview on it while this one writes the annex). `None` while an import is pending:
    /// its rows are only visible on this connection. Pair it with [`Case::data_version`] before and after to
    /// know that both read the same case.
    pub(crate) fn second_reader(&self) -> Result<Option<Connection>> {
        if self.import_open {
            return Ok(None);
        }
        let conn = open_keyed(&self.path, &self.key).map_err(|e| map_open_error(&self.path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Some(conn))
    }

    /// SQLite's `data_version`: it changes when another connection commits. Read before working out a derived
    /// figure, and given to [`Case::keep_derived`].
    pub(crate) fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Keeps a derived figure (not a change to the case: it is not audited, and every change deletes it). Kept
    /// only if no other connection committed since `data_version_before` (the figure could then miss that
    /// change); a failure (a read-only file, a busy case) only means it is worked out again next time. The
    /// value is text (JSON) or bytes (`records::tally`).
    pub(crate) fn keep_derived(
        &self,
        kind: &str,
        key: &str,
        value: impl rusqlite::ToSql,
        data_version_before: i64,
    ) {
        if self.import_open || self.reading.get() {
            return;
        }
        // The write lock first, so no other connection can commit between the check and the insert.
        if self.conn.execute_batch("BEGIN IMMEDIATE").is_err() {
            return;
        }
        let kept = (|| -> Result<()> {
            if self.data_version()? == data_version_before {
                self.conn.execute(
                    "INSERT OR REPLACE INTO derived_cache (kind, key, value) VALUES (?1, ?2, ?3)",
                    params![kind, key, value],
                )?;
            }
            Ok(())
        })();
        let _ = self
            .conn
            .execute_batch(if kept.is_ok() { "COMMIT" } else { "ROLLBACK" });
    }

    /// Returns the page cache to its default size after a long pass that enlarged it (`rules::plan`).
    pub(crate) fn reset_page_cache(&self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_KIB)?;
        Ok(())
    }

    /// After the import's transaction has ended (committed or rolled back), or failed to begin.
    fn after_import(&mut self) -> Result<()> {
        if let Some(sync) = self.import_sync.take() {
            sync.stop();
        }
        self.conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_KIB)?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(())
    }

    /// Makes one change to the case, audited, all or nothing (see `store::write`). Refused with
    /// [`Error::ImportPending`] while an import's transaction waits for the owner's decision: the change
    /// would land inside it, and a discarded import would take it along.
    pub fn write<T>(&self, actor: &Actor, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        self.may_write()?;
        write::write_on(&self.conn, actor, f)
    }

    /// Every change is refused while an import waits for the owner's decision (it would land inside the
    /// import's transaction) and while a broken audit log is not acknowledged.
    fn may_write(&self) -> Result<()> {
        if self.import_pending() {
            return Err(Error::ImportPending);
        }
        self.check_audit_acknowledged()
    }

    /// [`Case::write`] for a bulk change that writes only references it has just read from the case (the
    /// plan's line per record): SQLite's per-row reference checks are off for its length. With them on, each
    /// line cost two b-tree lookups, and emptying the table could not use SQLite's whole-table clear but
    /// listed every row id in memory first — 80 MB on a five-million-row case, growing with the data.
    pub(crate) fn write_without_reference_checks<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.may_write()?;
        // The pragma has no effect inside a transaction: set before the change begins, restored after it.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let out = write::write_on(&self.conn, actor, f);
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        out
    }

    /// [`Case::write`] for the wizard's own answers (an item's state or note, evidence, the current step),
    /// which no derived figure reads: the kept figures (the overview, the checklist's plan figures) stay, so
    /// ticking an item of a million-row case does not make the next review read every record again. Only
    /// `wizard::state` uses it, and only for its own tables.
    pub(crate) fn write_answer<T>(
        &self,
        actor: &Actor,
        f: impl FnOnce(&Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.may_write()?;
        write::write_on_keeping(&self.conn, actor, true, f)
    }

    /// Reads from the case. The connection is query-only for the duration: writing needs [`Case::write`].
    /// Reads may nest, and may run while an import is pending (they see the import's rows).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.reading.get() {
            return f(&self.conn);
        }
        self.conn.pragma_update(None, "query_only", true)?;
        self.reading.set(true);
        // Reset on every way out, a panic included: the shell keeps using a case after a panicked command.
        struct Reset<'a>(&'a Case);
        impl Drop for Reset<'_> {
            fn drop(&mut self) {
                self.0.reading.set(false);
                let _ = self.0.conn.pragma_update(None, "query_only", false);
            }
        }
        let _reset = Reset(self);
        f(&self.conn)
    }

    /// The writer of the import's open transaction: its timestamp and its audit entry go through the same
    /// [`Writer`] as every other change. Only while an import is pending (`Case::begin_import`).
    pub(crate) fn import_writer<'c>(&'c self, actor: &'c Actor) -> Result<Writer<'c>> {
        if !self.import_pending() {
            return Err(Error::Internal("no import is open".into()));
        }
        Ok(Writer::new(&self.conn, actor))
    }

    /// The raw connection, for the core's own unit tests that set up rows by hand. Everything else reads
    /// through [`Case::read`] and writes through [`Case::write`].
    #[cfg(test)]
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn details(&self) -> Result<CaseDetails> {
        read_details(&self.conn)
    }

    /// Saves new case details. Nothing is written (and nothing audited) when nothing changed; otherwise
    /// the change and the audit entry naming each changed field are committed together.
    pub fn update_details(&mut self, details: CaseDetails, actor: &Actor) -> Result<CaseDetails> {
        let details = details.normalized();
        let blocking = details.blocking_problems();
        if !blocking.is_empty() {
            return Err(Error::InvalidDetails(blocking));
        }
        self.write(actor, |w| {
            let blocking = read_facts(w)?.problems(details.reason);
            if !blocking.is_empty() {
                return Err(Error::InvalidDetails(blocking));
            }
            let old = read_details(w)?;
            let changes = detail_changes(&old, &details);
            if !changes.is_empty() {
                write_details(w, &details, w.now())?;
                w.audit(
                    "case.details.update",
                    serde_json::json!({ "changes": changes }),
                )?;
            }
            Ok(())
        })?;
        Ok(details)
    }

    /// The facts beside the details (the seller's legal form).
    pub fn facts(&self) -> Result<CaseFacts> {
        read_facts(&self.conn)
    }

    /// Saves the facts; refused (nothing written) when they contradict the details, e.g. a sole proprietor in
    /// bankruptcy. Audited as `case.facts.update` when something changed.
    pub fn set_facts(&self, facts: CaseFacts, actor: &Actor) -> Result<CaseFacts> {
        self.write(actor, |w| {
            let blocking = facts.problems(read_details(w)?.reason);
            if !blocking.is_empty() {
                return Err(Error::InvalidDetails(blocking));
            }
            let old = read_facts(w)?;
            if old != facts {
                w.execute(
                    "UPDATE case_details SET legal_form = ?1, purpose_change = ?2, cross_border = ?3,
                         cross_border_mechanism = ?4, list_price = ?5
                     WHERE id = 1",
                    rusqlite::params![
                        facts.legal_form.map(LegalForm::id),
                        facts.purpose_change,
                        facts.cross_border,
                        facts.cross_border_mechanism.map(CrossBorderMechanism::id),
                        facts.list_price.map(|p| p.min(i64::MAX as u64) as i64),
                    ],
                )?;
                w.audit(
                    "case.facts.update",
                    serde_json::json!({
                        "legal_form": facts.legal_form.map(LegalForm::id),
                        "purpose_change": facts.purpose_change,
                        "cross_border": facts.cross_border,
                        "cross_border_mechanism": facts.cross_border_mechanism.map(CrossBorderMechanism::id),
                        "list_price": facts.list_price,
                    }),
                )?;
            }
            Ok(facts)
        })
    }

    /// The case at a glance. The problems' messages are filled by the edge (`crate::i18n::Localize`).
    pub fn overview(&self) -> Result<CaseOverview> {
        let (case_id, created_at): (String, String) = self.conn.query_row(
            "SELECT case_id, created_at FROM case_meta WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let details = self.details()?;
        let count = |table: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    r.get::<_, i64>(0)
                })? as u64)
        };
        Ok(CaseOverview {
            path: self.path.display().to_string(),
            file_name: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            case_id,
            created_at,
            schema_version: self
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0))?,
            problems: details.problems(),
            details,
            sources: count("sources")?,
            customers: count("customers")?,
            records: count("records")?,
            audit_entries: count("audit_log")?,
            audit_head_hash: audit::head_hash(&self.conn)?,
            audit_break: self.audit_break.clone(),
        })
    }

    /// The break in the audit chain found when this case was opened, if any.
    pub fn audit_break(&self) -> Option<&AuditProblem> {
        self.audit_break.as_ref()
    }

    /// The owner has seen the audit log's break and goes on: changes are allowed again for this opening, and
    /// the acknowledgement itself is the next audit entry (naming the break), so the log says who went on
    /// past it and when. Does nothing when the chain verified.
    pub fn acknowledge_audit_break(&self, actor: &Actor) -> Result<()> {
        let Some(problem) = &self.audit_break else {
            return Ok(());
        };
        if self.audit_break_acknowledged.get() {
            return Ok(());
        }
        self.audit_break_acknowledged.set(true);
        let written = self.write(actor, |w| {
            w.audit(
                "audit.break.acknowledged",
                serde_json::json!({ "seq": problem.seq, "kind": problem.kind }),
            )
        });
        if written.is_err() {
            self.audit_break_acknowledged.set(false);
        }
        written.map(|_| ())
    }

    fn check_audit_acknowledged(&self) -> Result<()> {
        match &self.audit_break {
            Some(p) if !self.audit_break_acknowledged.get() => Err(Error::AuditBroken(p.seq)),
            _ => Ok(()),
        }
    }

    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        audit::entries(&self.conn)
    }

    /// Walks the audit chain; the report's message is filled by the edge (`crate::i18n::Localize`).
    pub fn verify_audit(&self) -> Result<AuditReport> {
        audit::verify(&self.conn)
    }

    /// Folds the write-ahead log back into the case file and closes it, so the case is one file again.
    /// Closes the case. An import still waiting for the owner's decision is discarded, never half-kept.
    pub fn close(mut self) -> Result<()> {
        self.discard_import()?;
        self.conn
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        self.conn.close().map_err(|(_, e)| Error::Database(e))
    }
}

/// How far the opening of a case has got, for the window's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpeningProgress {
    pub stage: OpeningStage,
    /// Work done and total in the stage's unit (pages); both 0 when the stage cannot say.
    pub done: u64,
    pub total: u64,
}

/// The stages of opening a case, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OpeningStage {
    /// Every page's check (HMAC): the file is whole and was not changed from outside.
    CheckingPages,
    /// The audit log's chain and any update of the file's layout.
    CheckingHistory,
    /// Counting customers and records for the overview.
    Counting,
}

/// Compaction and encrypted copies (`secure`), for destruction and backups; each refused while an import is
/// pending.
impl Case {
    pub(crate) fn compact(&self) -> Result<Compaction> {
        self.not_importing()?;
        secure::compact(&self.conn)
    }

    pub(crate) fn checkpoint_truncate(&self) -> Result<bool> {
        secure::checkpoint_truncate(&self.conn)
    }

    pub(crate) fn free_pages(&self) -> Result<u64> {
        secure::free_pages(&self.conn)
    }

    pub(crate) fn export_encrypted(
        &self,
        dest: &Path,
        passphrase: &str,
        format: CipherFormat,
    ) -> Result<()> {
        self.not_importing()?;
        secure::export_encrypted(&self.conn, dest, passphrase, format, APPLICATION_ID)?;
        restrict_permissions(dest);
        Ok(())
    }

    fn not_importing(&self) -> Result<()> {
        if self.import_pending() {
            return Err(Error::ImportPending);
        }
        Ok(())
    }
}

impl Case {
    /// Runs `fill` to copy what stays of the case into a fresh file (attached as [`REBUILT`]: the change
    /// creates its tables and fills them), then puts the fresh file's pages in place of the case's in one
    /// transaction (see `store::rebuild`). Reference checks are off while the fresh file is filled (it is
    /// filled table by table). Refused while an import is pending or the audit log's break is not
    /// acknowledged; [`Error::Busy`] if another program changed the case meanwhile (nothing is replaced).
    pub(crate) fn rebuild<T>(
        &mut self,
        actor: &Actor,
        fill: impl FnOnce(&Rebuild<'_>) -> Result<T>,
    ) -> Result<(T, Option<Superseded>)> {
        self.may_write()?;
        // With the case to ourselves (no other program holds its lock) the rebuilt file takes the case's
        // place whole; where files cannot be locked, its pages are copied over the case's through the log.
        let alone = match &self.lock {
            Some(lock) => rebuild::lock_exclusive(lock, &self.path)?,
            None => false,
        };
        let fresh = rebuild::rebuilt_path(&self.path);
        let side = rebuild::side_path(&self.path);
        rebuild::create_scratch(&fresh)?;
        let result = (|| -> Result<(T, Option<Superseded>)> {
            let raw_key = self.key.raw_key_literal();
            let open_case = || -> Result<Connection> {
                let conn =
                    open_keyed(&self.path, &self.key).map_err(|e| map_open_error(&self.path, e))?;
                conn.busy_timeout(BUSY_TIMEOUT)?;
                Ok(conn)
            };
            let keying = rebuild::Keying {
                raw_key: &raw_key,
                format: self.key.format(),
                side: side.clone(),
                open_case: &open_case,
            };
            let filled =
                rebuild::fill_rebuilt(&self.conn, &fresh, &keying, APPLICATION_ID, actor, fill);
            // Gone before the fresh file is synced: its pages were never synced, and on a journalling file
            // system syncing one file writes out every file's pending data (the side file's ~100 MB on the
            // million-row case: 3 s more).
            let _ = fs::remove_file(&side);
            let (value, head) = filled?;
            // Every change writes an audit entry: a change that came in after the copy moved the head.
            if rebuild::audit_head(&self.conn)? != head {
                return Err(Error::Busy(self.path.clone()));
            }
            if alone {
                let superseded = self.swap_in(&fresh)?;
                return Ok((value, superseded));
            }
            let source = open_keyed(&fresh, &self.key).map_err(|e| map_open_error(&fresh, e))?;
            if !rebuild::copy_pages(&source, &mut self.conn)? {
                return Err(Error::Busy(self.path.clone()));
            }
            Ok((value, None))
        })();
        // The fresh file holds only what stayed, under the case's key; it goes either way (after the swap it
        // is the case, under the case's name).
        let _ = fs::remove_file(&fresh);
        let _ = fs::remove_file(&side);
        if alone {
            if let Some(lock) = &self.lock {
                let _ = lock.lock_shared();
            }
        }
        result
    }

    /// Puts the rebuilt file `fresh` in the case's place: it is synced, the case's connection is closed (its
    /// log checkpointed into the old file and removed, so no log of the old file meets the new one), `fresh`
    /// is renamed over the case and the connection reopened on it. The old file is returned still open, for
    /// its bytes to be overwritten ([`Superseded`]). A kill before the rename leaves the case as it was;
    /// after it, the case is the rebuilt one. The new file is locked exclusively before it takes the name,
    /// so no other program can open it until this one has reopened it.
    fn swap_in(&mut self, fresh: &Path) -> Result<Option<Superseded>> {
        let new_lock = rebuild::sync_and_lock(fresh)?;
        let closing = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        let closed = closing.close().map_err(|(_, e)| Error::Database(e));
        let swapped = (|| -> Result<Option<fs::File>> {
            closed?;
            rebuild::no_log_left(&self.path)?;
            rebuild::rename_over(fresh, &self.path)
        })();
        // Reopened whatever happened: on the rebuilt file after the rename, on the untouched case otherwise.
        let reopened = open_keyed(&self.path, &self.key)
            .map_err(|e| map_open_error(&self.path, e))
            .and_then(|c| apply_pragmas(&c).map(|_| c));
        match reopened {
            Ok(conn) => self.conn = conn,
            Err(e) => return Err(swapped.err().unwrap_or(e)),
        }
        let old = swapped?;
        self.lock = Some(new_lock);
        Ok(old.map(|file| Superseded::new(file, &self.path)))
    }
}

fn temp_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Owner-only: the file is encrypted, but there is no reason for other accounts to read it.
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}

/// Keys a new case file with its passphrase, in [`CipherFormat::NEW`]: 16 KiB pages authenticated with
/// HMAC-SHA256, both chosen for the time of an import, which encrypts and authenticates every page it writes.
/// Files in the earlier formats still open ([`PageKey::derive`] tells them apart).
fn apply_new_key(conn: &Connection, passphrase: &str) -> rusqlite::Result<()> {
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    // The statement is built here, in memory that is wiped when dropped, rather than by `pragma_update`,
    // whose copies of the passphrase would stay in freed memory. (SQLite keeps its own copy of the SQL text
    // until the statement is finalised, moments later; SQLCipher's `cipher_memory_security` would wipe
    // that too, at a cost on every page — see docs/security.md.)
    let statement =
        zeroize::Zeroizing::new(format!("PRAGMA key = '{}'", passphrase.replace('\'', "''")));
    conn.execute_batch(&statement)?;
    conn.execute_batch(&CipherFormat::NEW.pragmas("main"))?;
    Ok(())
}

/// The key must be the first statement on a SQLCipher connection, and the cipher settings must follow it
/// before the first page is read. The key is the derived one (see [`PageKey::raw_key_statement`]).
fn apply_key(conn: &Connection, key: &PageKey) -> rusqlite::Result<()> {
    // SQLCipher logs a failed key to stderr; the app reports it itself, in the owner's language.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    conn.execute_batch(&key.raw_key_statement())?;
    conn.execute_batch(&key.format().pragmas("main"))?;
    Ok(())
}

/// The pragmas every connection runs with, once the key is set.
fn apply_pragmas(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL keeps the file consistent if the app is killed mid-write; NORMAL sync is safe with WAL.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Internal(format!(
            "journal_mode is {mode}, expected wal"
        )));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// Opens the file with the key in one cipher format and reads page 1: a wrong key (or the other format)
/// fails here with "not a database".
fn open_keyed(path: &Path, key: &PageKey) -> rusqlite::Result<Connection> {
    // NO_MUTEX: a rusqlite Connection is never shared between threads (it is not Sync), so SQLite's
    // per-connection mutex only cost time — it was taken on every bound parameter of an import.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    apply_key(&conn, key)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// Whether the case's write-ahead log holds anything beyond its 32-byte header.
fn wal_has_frames(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    fs::metadata(wal).is_ok_and(|m| m.len() > 32)
}

/// Looks at the first bytes of a file to say what it is before any passphrase is tried.
fn recognise_file(path: &Path) -> Result<()> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::FileNotFound(path.to_path_buf()),
        _ => Error::io(path, e),
    })?;
    if meta.is_dir() {
        return Err(Error::NotACase(path.to_path_buf(), "directory"));
    }
    if meta.len() == 0 {
        return Err(Error::NotACase(path.to_path_buf(), "empty"));
    }
    let mut head = Vec::with_capacity(4096);
    fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .map_err(|e| Error::io(path, e))?;
    if head.starts_with(b"SQLite format 3\0") {
        return Err(Error::NotACase(path.to_path_buf(), "plain-sqlite"));
    }
    const MAGICS: [&[u8]; 10] = [
        b"PK\x03\x04",
        b"%PDF",
        b"\xD0\xCF\x11\xE0",
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"\x1F\x8B",
        b"7z\xBC\xAF",
        b"Rar!",
        b"\x7FELF",
    ];
    if MAGICS.iter().any(|m| head.starts_with(m)) {
        return Err(Error::NotACase(path.to_path_buf(), "known-format"));
    }
    let looks_like_text = std::str::from_utf8(&head)
        .map(|s| {
            s.chars()
                .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        })
        .unwrap_or(false);
    if looks_like_text {
        return Err(Error::NotACase(path.to_path_buf(), "text"));
    }
    // An encrypted case is a whole number of pages of 16 KiB (4 KiB in files created before 2026-12-07), so
    // of 4 KiB; anything shorter than the smallest page cannot be one. The page check tells the rest.
    if meta.len() < 4096 {
        return Err(Error::NotACase(path.to_path_buf(), "too-short"));
    }
    if meta.len() % 4096 != 0 {
        return Err(Error::Corrupted(
            path.to_path_buf(),
            "the file was cut off (its length is not a whole number of pages)".into(),
        ));
    }
    Ok(())
}

/// SQLCipher cannot tell a wrong key from a damaged first page: both fail the first page's HMAC. The file
/// has already passed [`recognise_file`], so "wrong passphrase" is by far the likelier cause, and the
/// message says what to do if the passphrase is surely right.
fn map_open_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::WrongPassphrase(path.to_path_buf()),
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupted(path.to_path_buf(), e.to_string()),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            Error::Busy(path.to_path_buf())
        }
        Some(ErrorCode::CannotOpen) => Error::FileNotFound(path.to_path_buf()),
        _ => Error::Database(e),
    }
}

fn write_details(conn: &Connection, d: &CaseDetails, now: &str) -> Result<()> {
    let (has_recipient, rn, rc) = match &d.recipient {
        Some(r) => (1, r.name.as_str(), r.contact.as_str()),
        None => (0, "", ""),
    };
    conn.execute(
        "INSERT INTO case_details (id, kind, reason, seller_name, seller_contact, responsible_person,
             has_recipient, recipient_name, recipient_contact, handover_date, notes, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, reason = excluded.reason,
             seller_name = excluded.seller_name, seller_contact = excluded.seller_contact,
             responsible_person = excluded.responsible_person, has_recipient = excluded.has_recipient,
             recipient_name = excluded.recipient_name, recipient_contact = excluded.recipient_contact,
             handover_date = excluded.handover_date, notes = excluded.notes, updated_at = excluded.updated_at",
        params![
            d.kind.id(),
            d.reason.id(),
            d.seller.name,
            d.seller.contact,
            d.seller.responsible_person,
            has_recipient,
            rn,
            rc,
            d.handover_date.map(|x| x.format("%Y-%m-%d").to_string()),
            d.notes,
            now
        ],
    )?;
    Ok(())
}

pub(crate) fn read_facts(conn: &Connection) -> Result<CaseFacts> {
    conn.query_row(
        "SELECT legal_form, purpose_change, cross_border, cross_border_mechanism, list_price
         FROM case_details WHERE id = 1",
        [],
        |r| {
            let form: Option<String> = r.get(0)?;
            let mechanism: Option<String> = r.get(3)?;
            let list_price: Option<i64> = r.get(4)?;
            Ok(CaseFacts {
                legal_form: form.as_deref().and_then(LegalForm::parse),
                purpose_change: r.get(1)?,
                cross_border: r.get(2)?,
                cross_border_mechanism: mechanism.as_deref().and_then(CrossBorderMechanism::parse),
                list_price: list_price.map(|p| p.max(0) as u64),
            })
        },
    )
    .map_err(Into::into)
}

pub(crate) fn read_details(conn: &Connection) -> Result<CaseDetails> {
    let row = conn
        .query_row(
            "SELECT kind, reason, seller_name, seller_contact, responsible_person, has_recipient,
                    recipient_name, recipient_contact, handover_date, notes
             FROM case_details WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    Seller {
                        name: r.get(2)?,
                        contact: r.get(3)?,
                        responsible_person: r.get(4)?,
                    },
                    r.get::<_, bool>(5)?,
                    Recipient {
                        name: r.get(6)?,
                        contact: r.get(7)?,
                    },
                    r.get::<_, Option<String>>(8)?,
                    r.get::<_, String>(9)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::Internal("the case has no details row".into()))?;
    let (kind, reason, seller, has_recipient, recipient, date, notes) = row;
    Ok(CaseDetails {
        kind: BusinessKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("unknown business kind {kind}")))?,
        reason: TransferReason::parse(&reason)
            .ok_or_else(|| Error::Internal(format!("unknown reason {reason}")))?,
        seller,
        recipient: has_recipient.then_some(recipient),
        handover_date: date
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
            .transpose()
            .map_err(|e| Error::Internal(format!("bad handover date: {e}")))?,
        notes,
    })
}

/// The fields of the details as the audit log records them: flat `field → value`.
fn details_audit_view(d: &CaseDetails) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        m.insert(k.to_string(), v);
    };
    put("kind", d.kind.id().into());
    put("reason", d.reason.id().into());
    put("seller.name", d.seller.name.clone().into());
    put("seller.contact", d.seller.contact.clone().into());
    put(
        "seller.responsible_person",
        d.seller.responsible_person.clone().into(),
    );
    put(
        "recipient.name",
        d.recipient.as_ref().map(|r| r.name.clone()).into(),
    );
    put(
        "recipient.contact",
        d.recipient.as_ref().map(|r| r.contact.clone()).into(),
    );
    put(
        "handover_date",
        d.handover_date.map(|x| x.to_string()).into(),
    );
    put("notes", d.notes.clone().into());
    m
}

/// Each changed field with its old and new value, for the audit log.
fn detail_changes(old: &CaseDetails, new: &CaseDetails) -> Vec<serde_json::Value> {
    let (a, b) = (details_audit_view(old), details_audit_view(new));
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, v)| serde_json::json!({ "field": k, "from": v, "to": b[k] }))
        .collect()
}
