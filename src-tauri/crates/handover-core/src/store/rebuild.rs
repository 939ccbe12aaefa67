//! Rebuilding a case into a fresh file that takes the case's place: how a destruction removes rows without
//! writing the whole file more than once.
//!
//! Deleting a fifth of a million records in place touched every page of the file (a deleted record sits
//! between kept ones on nearly every page), wrote each into the log, and then `VACUUM` rebuilt the file in
//! memory (SQLCipher is built to keep temporary databases in memory: 455 MB) and copied it back: 24.6 s and
//! 455 MB on the million-row case. Here the change copies only what stays into a fresh file beside the case
//! ([`Case::rebuild`]), keyed with the case's own key and salt, in one transaction that holds the case's write
//! lock (`BEGIN IMMEDIATE`), so no other connection changes the case under the copy.
//!
//! The fresh file then takes the case's place by a rename — one write of what stays — which is safe only when
//! no other program has the case open: every opening holds a shared `flock` on the case file
//! ([`lock_shared`]) and the rebuild needs it exclusively ([`lock_exclusive`], else [`Error::Busy`]). The fresh
//! file is synced and locked, the case's connection closed (its log checkpointed and removed: a log of the old
//! file must never meet the new one), the fresh file renamed over the case and the folder synced, the
//! connection reopened, and the old file's bytes overwritten with zeros and synced before the file system
//! releases them ([`Superseded`]). A kill before the rename leaves the case as it was; after it, the case is
//! the rebuilt one. Where the file system cannot lock files, SQLite's backup API writes the fresh file's pages
//! over the case's through the case's log instead ([`copy_pages`]: three writes, one transaction); the audit
//! log's head is compared first, since another connection could have committed between the copy and the
//! backup ([`Error::Busy`] rather than a lost change).
//!
//! SQLite lets one connection at a time write a file, so the rebuilt file is written by one core: the work the
//! copy needs worked out first runs on a second connection ([`SideCopy`]), which reads the case and writes
//! what it works out into a second fresh file (beside the case like the first and removed the same way); the
//! rebuild's connection copies what needs nothing worked out meanwhile, then reads the side file's tables.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use super::cipher_pages::CipherFormat;
use crate::audit::{self, Actor, AuditEntry};
use crate::clock;
use crate::error::{Error, Result};

/// The name the fresh file is attached under while it is filled.
pub(crate) const REBUILT: &str = "rebuilt";

/// The name a [`SideCopy`]'s file is attached under, on its own connection and then on the rebuild's.
pub(crate) const SIDE: &str = "side";

/// A rebuild in progress: the case's connection with the fresh file attached as [`REBUILT`], inside a
/// transaction that holds the case's write lock. The change reads the case (`main`) and writes `rebuilt`.
pub(crate) struct Rebuild<'c> {
    conn: &'c Connection,
    actor: &'c Actor,
    now: String,
    keying: &'c Keying<'c>,
    side_attached: std::cell::Cell<bool>,
}

/// What a second connection to the case needs: how to open it, and the key and page format of the files a
/// rebuild writes.
pub(super) struct Keying<'k> {
    pub(super) raw_key: &'k str,
    pub(super) format: CipherFormat,
    pub(super) side: PathBuf,
    pub(super) open_case: &'k dyn Fn() -> Result<Connection>,
}

/// Part of a rebuild done on another core: a second connection to the case, with a second fresh file
/// attached as [`SIDE`]. It reads the case as the rebuild's transaction sees it (the rebuild holds the case's
/// write lock from before this connection's first read, so nothing can change in between) and writes only
/// its own file, which the rebuild's connection (where it is attached under the same name) reads once the
/// first part of [`SideCopy::fill_then_read`] has committed.
pub(crate) struct SideCopy {
    conn: Connection,
}

impl SideCopy {
    /// Stops the side connection's statement in progress (from any thread): its fill fails and rolls back.
    pub(crate) fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Runs `fill` on the side connection in one transaction (the case as `main`, the side file as
    /// [`SIDE`]) and commits it — from then on the rebuild's connection can read what it wrote — then `read_on`
    /// with what `fill` returned, on the same connection, which may read the case and the side file but no
    /// longer write (the rebuild's connection may be reading the side file by then); then closes the connection.
    pub(crate) fn fill_then_read<T, U>(
        self,
        fill: impl FnOnce(&Connection) -> Result<T>,
        read_on: impl FnOnce(&Connection, T) -> Result<U>,
    ) -> Result<U> {
        let conn = self.conn;
        conn.execute_batch("BEGIN")?;
        let value = match fill(&conn) {
            Ok(v) => v,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        conn.execute_batch("COMMIT")?;
        conn.pragma_update(None, "query_only", true)?;
        let read = read_on(&conn, value)?;
        conn.close().map_err(|(_, e)| Error::Database(e))?;
        Ok(read)
    }
}

impl<'c> Rebuild<'c> {
    pub(crate) fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// Opens a [`SideCopy`]: call it inside the rebuild (the case's write lock is held) and fill it on
    /// another thread.
    pub(crate) fn side(&self) -> Result<SideCopy> {
        let k = self.keying;
        create_scratch(&k.side)?;
        // Attached on the rebuild's connection now, while the file is empty: SQLCipher reads an attached file's
        // first page with the cipher settings in force at the ATTACH, and the page format is set after it.
        attach_keyed(self.conn, &k.side, SIDE, k.raw_key, k.format)?;
        self.side_attached.set(true);
        let conn = (k.open_case)()?;
        attach_scratch(&conn, &k.side, SIDE, k.raw_key, k.format, SIDE_CACHE_KIB)?;
        // Its rows refer to rows the rebuild copies on its own connection.
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        Ok(SideCopy { conn })
    }

    /// Appends an audit entry to the rebuilt file's log (a copy of the case's, so the entry continues the
    /// case's chain). It lands with the rebuild or not at all.
    pub(crate) fn audit(&self, action: &str, detail: serde_json::Value) -> Result<AuditEntry> {
        audit::append_in(self.conn, REBUILT, self.actor, &self.now, action, &detail)
    }
}

/// The fresh file beside the case: hidden, one per case (a rebuild stopped by a kill leaves it behind, and
/// the next one starts by removing it).
pub(super) fn rebuilt_path(case: &Path) -> PathBuf {
    hidden_beside(case, "rebuild")
}

/// The [`SideCopy`]'s file beside the case (removed with the rebuilt one).
pub(super) fn side_path(case: &Path) -> PathBuf {
    hidden_beside(case, "rebuild-side")
}

/// Creates `path` empty and owner-only (as the case: it will hold what stays of it, encrypted), replacing
/// what a rebuild stopped by a kill left there.
pub(super) fn create_scratch(path: &Path) -> Result<()> {
    let _ = std::fs::remove_file(path);
    let mut create = OpenOptions::new();
    create.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut create, 0o600);
    create.open(path).map_err(|e| Error::io(path, e))?;
    Ok(())
}

pub(super) fn hidden_beside(case: &Path, suffix: &str) -> PathBuf {
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    case.with_file_name(format!(".{name}.{suffix}"))
}

/// Cache of the rebuilt file and of a side file: both are written once, in order, and their indexes are built
/// from what was just written.
const REBUILT_CACHE_KIB: i64 = -65_536;
const SIDE_CACHE_KIB: i64 = -16_384;

fn path_text(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| Error::Internal(format!("{} is not UTF-8", path.display())))
}

/// Attaches `file` as `schema`, keyed with the case's key in the case's page format.
fn attach_keyed(
    conn: &Connection,
    file: &Path,
    schema: &str,
    raw_key: &str,
    format: CipherFormat,
) -> Result<()> {
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {schema} KEY ?2"),
        rusqlite::params![path_text(file)?, raw_key],
    )?;
    conn.execute_batch(&format.pragmas(schema))?;
    Ok(())
}

/// Attaches `file` as `schema` keyed with the case's key, as scratch: no log, no syncs (a kill leaves the
/// case untouched, and the next rebuild removes the file).
fn attach_scratch(
    conn: &Connection,
    file: &Path,
    schema: &str,
    raw_key: &str,
    format: CipherFormat,
    cache_kib: i64,
) -> Result<()> {
    attach_keyed(conn, file, schema, raw_key, format)?;
    conn.execute_batch(&format!(
        "PRAGMA {schema}.journal_mode = OFF; PRAGMA {schema}.synchronous = OFF;
         PRAGMA {schema}.cache_size = {cache_kib};"
    ))?;
    Ok(())
}

pub(super) fn audit_head(conn: &Connection) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT hash FROM main.audit_head WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Attaches `fresh` (keyed with `raw_key`, the case's key and salt as SQLCipher's raw-key literal), fills it
/// with `fill` in one transaction that holds the case's write lock, and detaches it. Returns what `fill`
/// returned and the case's audit head as the copy saw it.
pub(super) fn fill_rebuilt<T>(
    conn: &Connection,
    fresh: &Path,
    keying: &Keying<'_>,
    application_id: i32,
    actor: &Actor,
    fill: impl FnOnce(&Rebuild<'_>) -> Result<T>,
) -> Result<(T, Option<String>)> {
    let rebuild = Rebuild {
        conn,
        actor,
        now: clock::now(),
        keying,
        side_attached: std::cell::Cell::new(false),
    };
    let filled = (|| -> Result<(T, Option<String>)> {
        // The fresh file is scratch until it takes the case's place (or its pages are copied over the
        // case's): a kill leaves the case untouched, and this file is removed by the next rebuild.
        attach_scratch(
            conn,
            fresh,
            REBUILT,
            keying.raw_key,
            keying.format,
            REBUILT_CACHE_KIB,
        )?;
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let in_transaction = (|| -> Result<(T, Option<String>)> {
            let head = audit_head(conn)?;
            let value = fill(&rebuild)?;
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            conn.execute_batch(&format!(
                "PRAGMA {REBUILT}.user_version = {version};
                 PRAGMA {REBUILT}.application_id = {application_id};"
            ))?;
            Ok((value, head))
        })();
        match in_transaction {
            Ok(v) => {
                conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    })();
    let restored = conn.execute_batch("PRAGMA foreign_keys = ON");
    // A side file can only be detached once the transaction that read it is over.
    if rebuild.side_attached.get() {
        let _ = conn.execute_batch(&format!("DETACH DATABASE {SIDE}"));
    }
    let detached = conn.execute_batch(&format!("DETACH DATABASE {REBUILT}"));
    let filled = filled?;
    restored?;
    detached?;
    Ok(filled)
}

/// Writes every page of `source` over `dest`'s, in one transaction (through `dest`'s log). `false` if another
/// connection held `dest`.
pub(super) fn copy_pages(source: &Connection, dest: &mut Connection) -> Result<bool> {
    let backup = Backup::new(source, dest)?;
    match backup.step(-1)? {
        StepResult::Done => Ok(true),
        StepResult::Busy | StepResult::Locked => Ok(false),
        other => Err(Error::Internal(format!(
            "the rebuilt case was not copied whole ({other:?})"
        ))),
    }
}

/// Opens the case file and locks it shared for as long as the case is open. [`Error::Busy`] if another
/// program holds it exclusively (a destruction is putting a rebuilt file in its place); `None` where the
/// file system cannot lock files (the destruction then copies pages instead of renaming).
pub(super) fn lock_shared(path: &Path) -> Result<Option<File>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(Error::Busy(path.to_path_buf())),
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

/// Turns the case's shared lock into an exclusive one: `Ok(true)` when no other program has the case open,
/// [`Error::Busy`] when one has (the shared lock is taken again), `Ok(false)` when the file system cannot.
pub(super) fn lock_exclusive(lock: &File, path: &Path) -> Result<bool> {
    match lock.try_lock() {
        Ok(()) => Ok(true),
        Err(TryLockError::WouldBlock) => {
            // Changing a lock's kind may let go of it first: take the shared one back.
            let _ = lock.lock_shared();
            Err(Error::Busy(path.to_path_buf()))
        }
        Err(TryLockError::Error(_)) => {
            let _ = lock.lock_shared();
            Ok(false)
        }
    }
}

/// Syncs the rebuilt file to disk (it was written without syncs) and locks it exclusively, before it takes
/// the case's name.
pub(super) fn sync_and_lock(fresh: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(fresh)
        .map_err(|e| Error::io(fresh, e))?;
    file.sync_all().map_err(|e| Error::io(fresh, e))?;
    file.try_lock()
        .map_err(|_| Error::Busy(fresh.to_path_buf()))?;
    Ok(file)
}

/// The case's write-ahead log and rollback journal are gone or empty once its last connection closed: a log
/// of the old file must never be read against the new one.
pub(super) fn no_log_left(case: &Path) -> Result<()> {
    for suffix in ["-wal", "-journal"] {
        let mut side = case.as_os_str().to_owned();
        side.push(suffix);
        if std::fs::metadata(&side).is_ok_and(|m| m.len() > 0) {
            return Err(Error::Busy(case.to_path_buf()));
        }
    }
    Ok(())
}

/// Renames `fresh` over `case` and syncs the folder, so the new name survives a power cut. Returns the old
/// file, still open, for [`Superseded`] (on Unix; elsewhere an open file cannot be replaced).
pub(super) fn rename_over(fresh: &Path, case: &Path) -> Result<Option<File>> {
    #[cfg(unix)]
    let old = Some(
        OpenOptions::new()
            .write(true)
            .open(case)
            .map_err(|e| Error::io(case, e))?,
    );
    #[cfg(not(unix))]
    let old = None;
    std::fs::rename(fresh, case).map_err(|e| Error::io(case, e))?;
    #[cfg(unix)]
    if let Some(dir) = case.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    Ok(old)
}

/// The case file a rebuild replaced, still open though no longer named: its bytes held the deleted rows,
/// encrypted under the case's key (which a destruction does not change). [`Superseded::overwrite`] overwrites
/// them with zeros and syncs, so the file system releases blocks that hold nothing; a destruction runs it
/// beside its page check. Dropped without it, it overwrites all the same.
pub(crate) struct Superseded {
    file: Option<File>,
    path: PathBuf,
}

impl Superseded {
    pub(super) fn new(file: File, case: &Path) -> Superseded {
        Superseded {
            file: Some(file),
            path: case.to_path_buf(),
        }
    }

    pub(crate) fn overwrite(mut self) -> Result<()> {
        match self.file.take() {
            Some(file) => overwrite(file, &self.path),
            None => Ok(()),
        }
    }
}

impl Drop for Superseded {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = overwrite(file, &self.path);
        }
    }
}

/// Overwrites the old case file with zeros and syncs it, so its blocks are released holding nothing.
fn overwrite(old: File, case: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let mut old = old;
    let len = old.metadata().map_err(|e| Error::io(case, e))?.len();
    let zeros = vec![0u8; 1 << 20];
    old.seek(SeekFrom::Start(0))
        .map_err(|e| Error::io(case, e))?;
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        old.write_all(&zeros[..n]).map_err(|e| Error::io(case, e))?;
        left -= n as u64;
    }
    old.sync_data().map_err(|e| Error::io(case, e))?;
    Ok(())
}
