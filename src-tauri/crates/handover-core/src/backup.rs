//! Encrypted backups of a case and restoring them.
//!
//! [`backup`] writes a consistent copy of the open case (`sqlcipher_export`, one statement, so the copy is the
//! case as of one moment), encrypted under the case's passphrase in the case's cipher format, with its schema
//! version and application id. It is written under a temporary name beside the target, verified — it opens
//! as a case, its audit chain verifies, its counts equal the case's, its pages use the case's format — and
//! only then renamed into place and recorded in the case (path, time, SHA-256; `backup.create` in the audit
//! log), so the destruction step can list the copies that still hold what it deletes.
//!
//! [`restore`] makes a new case file from a backup the same way, verified the same way; the restored case is a
//! full case (the same case id, its whole audit log, `case.restore` appended).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::Actor;
use crate::destruction::{self, BackupRecord, PageKey};
use crate::error::{Error, Result};
use crate::store::Case;

/// What is compared between a case and its copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CopyCounts {
    pub case_id: String,
    pub schema_version: u32,
    pub sources: u64,
    pub customers: u64,
    pub records: u64,
    pub audit_entries: u64,
}

fn counts(case: &Case) -> Result<CopyCounts> {
    let o = case.overview()?;
    Ok(CopyCounts {
        case_id: o.case_id,
        schema_version: o.schema_version,
        sources: o.sources,
        customers: o.customers,
        records: o.records,
        audit_entries: o.audit_entries,
    })
}

/// The result of a backup or a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CopyReport {
    pub path: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub counts: CopyCounts,
    /// The copy's audit chain verified.
    pub audit_ok: bool,
}

fn sha256_of(path: &Path) -> Result<(String, u64)> {
    let mut f = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "case".into());
    path.with_file_name(format!(".{name}.{}.copy.tmp", std::process::id()))
}

fn remove_with_sides(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = fs::remove_file(PathBuf::from(side));
    }
}

/// Copies `case` to `dest` (must not exist), verified; returns the copy's counts and hash. `expected` are the
/// counts the copy must have; `audit_extra` is appended to the copy's audit log (restore) before it is checked.
fn copy_verified(
    case: &Case,
    dest: &Path,
    passphrase: &str,
    expected: &CopyCounts,
    restored_from: Option<(&str, &Actor)>,
) -> Result<CopyReport> {
    if dest.exists() {
        return Err(Error::FileExists(dest.to_path_buf()));
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let key = PageKey::derive(case.path(), passphrase)?;
    let tmp = temp_beside(dest);
    remove_with_sides(&tmp);
    let result = (|| -> Result<CopyReport> {
        // The case's connection may not create files (it was opened without SQLITE_OPEN_CREATE, and ATTACH
        // inherits that); an empty file is an empty database to SQLite.
        fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        case.export_encrypted(&tmp, passphrase, key.format())?;
        let mismatch = |what: String| Error::BackupMismatch {
            path: dest.to_path_buf(),
            what,
        };
        if PageKey::derive(&tmp, passphrase)?.format() != key.format() {
            return Err(mismatch("cipher format".into()));
        }
        let copy = Case::open(&tmp, passphrase)?;
        if let Some((sha, actor)) = restored_from {
            copy.write(actor, |w| {
                w.audit(
                    "case.restore",
                    serde_json::json!({ "from_sha256": sha, "from_case": case.path().display().to_string() }),
                )?;
                Ok(())
            })?;
        }
        let report = copy.verify_audit()?;
        let mut got = counts(&copy)?;
        copy.close()?;
        if !report.ok {
            return Err(mismatch("audit chain".into()));
        }
        if restored_from.is_some() {
            got.audit_entries -= 1;
        }
        if &got != expected {
            return Err(mismatch(format!("{got:?} ≠ {expected:?}")));
        }
        fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e))?;
        let (sha256, size_bytes) = sha256_of(dest)?;
        if restored_from.is_some() {
            got.audit_entries += 1;
        }
        Ok(CopyReport {
            path: dest.display().to_string(),
            sha256,
            size_bytes,
            counts: got,
            audit_ok: report.ok,
        })
    })();
    if result.is_err() {
        remove_with_sides(&tmp);
    }
    result
}

/// Backs the open case up to `dest` (see the module's documentation) and records the backup in the case.
pub fn backup(case: &Case, passphrase: &str, dest: &Path, actor: &Actor) -> Result<CopyReport> {
    if case.import_pending() {
        return Err(Error::ImportPending);
    }
    let expected = counts(case)?;
    let report = copy_verified(case, dest, passphrase, &expected, None)?;
    let absolute = fs::canonicalize(dest).unwrap_or_else(|_| dest.to_path_buf());
    destruction::record_backup(case, &absolute, &report.sha256, report.size_bytes, actor)?;
    Ok(report)
}

/// Makes a new case at `new_case` (must not exist) from the backup at `backup`, verified. The backup is opened
/// as a case first (wrong passphrase, damage and a newer version are told apart as for any case).
pub fn restore(
    backup: &Path,
    new_case: &Path,
    passphrase: &str,
    actor: &Actor,
) -> Result<CopyReport> {
    if new_case.exists() {
        return Err(Error::FileExists(new_case.to_path_buf()));
    }
    let (sha, _) = sha256_of(backup)?;
    let source = Case::open(backup, passphrase)?;
    let report = source.verify_audit()?;
    if !report.ok {
        return Err(Error::BackupMismatch {
            path: backup.to_path_buf(),
            what: "audit chain".into(),
        });
    }
    let expected = counts(&source)?;
    let result = copy_verified(
        &source,
        new_case,
        passphrase,
        &expected,
        Some((&sha, actor)),
    );
    source.close()?;
    result
}

/// Every backup the app made of this case, oldest first.
pub fn list(case: &Case) -> Result<Vec<BackupRecord>> {
    case.read(destruction::backups)
}
