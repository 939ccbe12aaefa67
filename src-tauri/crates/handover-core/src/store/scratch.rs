//! A scratch database: a file beside the case for work that must not hold all its data in memory (the
//! customer linker's keys past its budget), encrypted with a random key that only this process ever knows and
//! removed when dropped. A kill leaves the file behind, unreadable (its key died with the process); the work
//! that makes one removes a left one when it starts ([`ScratchDb::remove_left`]), and creating one replaces it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::error::Result;

#[derive(Debug)]
pub(crate) struct ScratchDb {
    // Declared before the file so that it is closed before the file is removed.
    conn: Connection,
    _file: RemovedOnDrop,
}

impl ScratchDb {
    /// Creates the scratch database `.<case name>.<suffix>` beside `case` (in the temporary folder for a
    /// case in memory): owner-only, no log and no syncs (nothing in it outlives the process), `cache_kib` of
    /// page cache.
    pub(crate) fn create(case: Option<&Path>, suffix: &str, cache_kib: u64) -> Result<ScratchDb> {
        let path = match real_file(case) {
            Some(case) => super::rebuild::hidden_beside(case, suffix),
            None => {
                static NEXT: AtomicU64 = AtomicU64::new(0);
                std::env::temp_dir().join(format!(
                    ".handover-{}-{}.{suffix}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                ))
            }
        };
        super::rebuild::create_scratch(&path)?;
        let file = RemovedOnDrop(path);
        let conn = Connection::open(&file.0)?;
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
        conn.execute_batch(&random_key_statement()?)?;
        // SHA-256 is the faster page MAC on this hardware (see `CipherFormat::NEW`). The pages stay 4 KiB, not
        // the case's 16: the linker's keys land in random places of its b-tree, and each page the cache lets
        // go is encrypted and written whole.
        conn.pragma_update(None, "cipher_hmac_algorithm", "HMAC_SHA256")?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -{cache_kib};"
        ))?;
        Ok(ScratchDb { conn, _file: file })
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Removes a scratch database of this kind that a killed process left beside `case` (called when the
    /// work that makes one starts, whether or not it will need one: the left file can be large).
    pub(crate) fn remove_left(case: Option<&Path>, suffix: &str) {
        if let Some(case) = real_file(case) {
            let _ = std::fs::remove_file(super::rebuild::hidden_beside(case, suffix));
        }
    }
}

/// The case's path, unless the case is in memory (SQLite names it "").
fn real_file(case: Option<&Path>) -> Option<&Path> {
    case.filter(|p| !p.as_os_str().is_empty())
}

/// `PRAGMA key` with 32 random bytes as SQLCipher's raw key (no key derivation: nothing to derive from).
fn random_key_statement() -> Result<Zeroizing<String>> {
    // SQLite's randomness is seeded by the operating system; a database in memory needs no key to ask it.
    let random: Zeroizing<String> = Zeroizing::new(Connection::open_in_memory()?.query_row(
        "SELECT hex(randomblob(32))",
        [],
        |r| r.get(0),
    )?);
    Ok(Zeroizing::new(format!("PRAGMA key = \"x'{}'\"", *random)))
}

#[derive(Debug)]
struct RemovedOnDrop(PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_database_is_encrypted_private_and_removed_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("shop.handover");
        let scratch = ScratchDb::create(Some(&case), "linker", 1024).unwrap();
        let path = dir.path().join(".shop.handover.linker");
        scratch
            .conn()
            .execute_batch(
                "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('13812345678'), ('13812345678');",
            )
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() >= 4096, "written: {} bytes", bytes.len());
        assert!(!bytes.starts_with(b"SQLite format 3"));
        assert!(!bytes.windows(11).any(|w| w == b"13812345678"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No one else can read it, this process included, without the key it forgot.
        let other = Connection::open(&path).unwrap();
        assert!(other
            .query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
            .is_err());
        drop(other);
        drop(scratch);
        assert!(!path.exists());
    }

    #[test]
    fn a_scratch_file_a_killed_process_left_is_removed_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("shop.handover");
        let left = dir.path().join(".shop.handover.linker");
        let other = dir.path().join(".shop.handover.rebuild");
        std::fs::write(&left, b"left by a kill").unwrap();
        std::fs::write(&other, b"another kind").unwrap();
        ScratchDb::remove_left(Some(&case), "linker");
        assert!(!left.exists());
        assert!(other.exists(), "only the kind asked for");
        // A case in memory has nothing beside it.
        ScratchDb::remove_left(Some(Path::new("")), "linker");
        ScratchDb::remove_left(None, "linker");
    }
}
