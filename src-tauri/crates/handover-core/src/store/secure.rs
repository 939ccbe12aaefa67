//! What destruction and backups need from the connection itself, kept in the store beside the key and the
//! pragmas: folding the log back and rebuilding the file so no freed page remains, and an encrypted copy of
//! the whole case in the case's own cipher format. (The destruction itself rebuilds the case without what goes:
//! `store::rebuild`; nothing is deleted in place.)

use std::fs;
use std::path::Path;

use rusqlite::{params, Connection};

use super::cipher_pages::CipherFormat;
use crate::error::{Error, Result};

/// What the file looked like after `Case::compact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compaction {
    /// `PRAGMA freelist_count` after the rebuild: pages that are part of the file but hold nothing live.
    pub free_pages: u64,
    /// `PRAGMA page_count` after the rebuild.
    pub pages: u64,
    /// A checkpoint could not finish because another connection was reading (its log is then not empty).
    pub checkpoint_blocked: bool,
}

// The connection-level steps; `Case` (in the parent module) wraps each, refusing while an import is pending.

/// Folds the write-ahead log into the file and empties it (the file is cut to its length, so pages beyond it
/// are gone); if free pages remain, rebuilds the file (`VACUUM`: every live row written afresh, free pages
/// dropped) and empties the log again. After it the file holds no free page and the log (if any) is zero bytes
/// long. A file whose pages were just replaced by a rebuilt one (`Case::rebuild`) has no free page: it is not
/// copied a second time (`VACUUM` builds its copy in memory, 455 MB on a million-row case).
pub(super) fn compact(conn: &Connection) -> Result<Compaction> {
    let mut blocked = checkpoint_truncate(conn)?;
    if free_pages(conn)? > 0 {
        conn.execute_batch("VACUUM")?;
        blocked |= checkpoint_truncate(conn)?;
    }
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    Ok(Compaction {
        free_pages: free as u64,
        pages: pages as u64,
        checkpoint_blocked: blocked,
    })
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`; true when another connection kept it from finishing. In rollback
/// mode (after an import on this connection) there is no log and the pragma does nothing.
pub(super) fn checkpoint_truncate(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(busy != 0)
}

/// The number of free pages now (`PRAGMA freelist_count`).
pub(super) fn free_pages(conn: &Connection) -> Result<u64> {
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    Ok(free as u64)
}

/// Writes a consistent, encrypted copy of the whole case to `dest` under
/// `passphrase`, in the cipher format of the case (`format`); `dest` must not exist or be empty (the
/// connection cannot create files: the caller creates it empty): `sqlcipher_export` reads the case in
/// one statement, so the copy is the case as of one moment even while the app has it open. The export
/// leaves `user_version` and `application_id` at 0 in the copy; they are copied by hand, so the copy is a
/// case of the same schema. Nothing unencrypted touches the disk.
pub(super) fn export_encrypted(
    conn: &Connection,
    dest: &Path,
    passphrase: &str,
    format: CipherFormat,
    application_id: i32,
) -> Result<()> {
    if fs::metadata(dest).is_ok_and(|m| m.len() > 0) {
        return Err(Error::FileExists(dest.to_path_buf()));
    }
    let dest_text = dest
        .to_str()
        .ok_or_else(|| Error::Internal(format!("{} is not UTF-8", dest.display())))?;
    conn.execute(
        "ATTACH DATABASE ?1 AS handover_copy KEY ?2",
        params![dest_text, passphrase],
    )?;
    let result = (|| -> Result<()> {
        conn.execute_batch(&format.pragmas("handover_copy"))?;
        conn.query_row("SELECT sqlcipher_export('handover_copy')", [], |_| Ok(()))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        conn.execute_batch(&format!(
            "PRAGMA handover_copy.user_version = {version};
                 PRAGMA handover_copy.application_id = {application_id};"
        ))?;
        Ok(())
    })();
    let detached = conn.execute_batch("DETACH DATABASE handover_copy");
    result?;
    detached?;
    Ok(())
}
