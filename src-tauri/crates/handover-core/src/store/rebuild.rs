//! Rebuilding a case into a fresh file and putting that file's pages in place of the case's, in one
//! transaction: how a destruction removes rows without writing the whole file twice.
//!
//! Deleting a fifth of a million records in place touched every page of the file (a deleted record sits
//! between kept ones on nearly every page), wrote each into the log, and then `VACUUM` rebuilt the file in
//! memory (SQLCipher is built to keep temporary databases in memory: 455 MB) and copied it back: 24.6 s and
//! 455 MB on the million-row case. Here the change copies only what stays into a fresh file beside the case
//! ([`Case::rebuild`]), keyed with the case's own key and salt; SQLite's backup API then writes the fresh file's
//! pages over the case's through the case's write-ahead log — one transaction: a kill before its commit leaves
//! the case as it was, after it the case is the rebuilt one. The next checkpoint copies the pages into the
//! file and cuts it to its new length, so no page of the old file stays in it, live or free.
//!
//! While the fresh file is filled the case's write lock is held (`BEGIN IMMEDIATE`), so no other connection
//! changes the case under the copy; between the copy's end and the backup taking the lock again, another
//! connection could commit. The audit log's head is compared before the backup: any change writes an audit
//! entry, so a change that came in between stops the rebuild ([`Error::Busy`]: the case is in use by another program) rather than
//! being lost.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use crate::audit::{self, Actor, AuditEntry};
use crate::clock;
use crate::error::{Error, Result};

/// The name the fresh file is attached under while it is filled.
pub(crate) const REBUILT: &str = "rebuilt";

/// A rebuild in progress: the case's connection with the fresh file attached as [`REBUILT`], inside a
/// transaction that holds the case's write lock. The change reads the case (`main`) and writes `rebuilt`.
pub(crate) struct Rebuild<'c> {
    conn: &'c Connection,
    actor: &'c Actor,
    now: String,
}

impl<'c> Rebuild<'c> {
    pub(crate) fn conn(&self) -> &'c Connection {
        self.conn
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
    let name = case
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    case.with_file_name(format!(".{name}.rebuild"))
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
    raw_key: &str,
    sha256_pages: bool,
    application_id: i32,
    actor: &Actor,
    fill: impl FnOnce(&Rebuild<'_>) -> Result<T>,
) -> Result<(T, Option<String>)> {
    let fresh_text = fresh
        .to_str()
        .ok_or_else(|| Error::Internal(format!("{} is not UTF-8", fresh.display())))?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {REBUILT} KEY ?2"),
        rusqlite::params![fresh_text, raw_key],
    )?;
    let filled = (|| -> Result<(T, Option<String>)> {
        if sha256_pages {
            conn.execute_batch(&format!(
                "PRAGMA {REBUILT}.cipher_hmac_algorithm = HMAC_SHA256"
            ))?;
        }
        // The fresh file is scratch until the backup copies it: no log, no syncs (a kill leaves the case
        // untouched, and this file is removed by the next rebuild).
        conn.execute_batch(&format!(
            "PRAGMA {REBUILT}.journal_mode = OFF; PRAGMA {REBUILT}.synchronous = OFF;
             PRAGMA {REBUILT}.cache_size = -65536; PRAGMA foreign_keys = OFF;"
        ))?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let in_transaction = (|| -> Result<(T, Option<String>)> {
            let head = audit_head(conn)?;
            let value = fill(&Rebuild {
                conn,
                actor,
                now: clock::now(),
            })?;
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
