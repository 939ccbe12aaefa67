//! The destruction certificate (销毁证明) as data, in the spirit of NIST SP 800-88's certificate of
//! sanitization: who, when, the method and the tool, what was destroyed (counts and a hash over the internal
//! ids — never a customer's data), the verification and its result, the paper destroyed by hand and its
//! witness, what was kept and until when, the advice that follows, and the signature lines. The documents crate
//! renders it (PDF, DOCX); the core stores it as JSON with its SHA-256 and writes both into the audit log.
//!
//! It promises only what the app can prove: the deleted values are absent from the case file. Copies made
//! before (backups, old copies of the file, the disk's own leftovers) are outside its reach, and it says so.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::field::FieldType;

/// How the destruction was done, for the certificate's "method" line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Method {
    /// `sqlcipher-rebuild`: what stays copied into a fresh file keyed like the case, which then takes the
    /// case file's place (renamed over it, the old file overwritten with zeros; where files cannot be locked,
    /// its pages written over the case's in one transaction), no free page left (certificates before
    /// 2026-12-06 say `sqlcipher-secure-delete-vacuum`: deleted in place, then `VACUUM`).
    pub code: String,
    pub tool: String,
    pub tool_version: String,
    /// SQLCipher's version (`PRAGMA cipher_version`).
    pub cipher_version: String,
}

/// Records of one source that were destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceCount {
    pub source_id: i64,
    /// The source's label (the imported file's name), never a customer's data.
    pub label: String,
    /// Records the plan decided to delete.
    pub deleted: u64,
    /// The seller's copies of transferred records, deleted after the recipient's receipt.
    pub transferred_copies: u64,
    /// Records that stay (transferred, awaiting the receipt) with fields the recipient does not get removed.
    pub stripped: u64,
    /// Records whose outcome was de-identify: their identifying fields removed, the rest kept.
    #[serde(default)]
    pub deidentified: u64,
}

/// A field type removed from records that stay, and from how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldCount {
    pub field: FieldType,
    pub records: u64,
}

/// What was destroyed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Destroyed {
    /// Records whose outcome was delete.
    pub records: u64,
    /// The seller's copies of transferred records (only once the recipient's receipt is recorded).
    pub transferred_copies: u64,
    /// Customers none of whose records remain (with their keys and what they said).
    pub customers: u64,
    /// Import problems that held a deleted record's cells.
    pub import_problems: u64,
    /// Records that stay with some fields removed.
    pub stripped_records: u64,
    pub stripped_fields: Vec<FieldCount>,
    pub by_source: Vec<SourceCount>,
    /// Records whose outcome was de-identify: every identifying field removed (cells blanked, normalised
    /// values and findings in free text gone), the rest (amounts, dates) kept.
    #[serde(default)]
    pub deidentified_records: u64,
    /// Attached evidence files (wizard evidence) that held a deleted phone or ID number, deleted whole.
    #[serde(default)]
    pub evidence_files: u64,
    /// SHA-256 over the sorted internal ids of the deleted records, one decimal id and a newline each: lets an
    /// auditor check a list of ids without the certificate naming anyone.
    pub deleted_ids_sha256: String,
}

/// The check the app ran on the file after the destruction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Verification {
    /// Every page of the file decrypted with the case's key and read, free pages included.
    pub pages_read: u64,
    /// `PRAGMA freelist_count` after the rebuild.
    pub free_pages: u64,
    /// Deleted phone and ID numbers looked for on every page, also those a remaining record still holds.
    pub canaries: u64,
    /// How many of them were found where no live row is (free pages, free space on a page) and no
    /// remaining record holds them (0 when the destruction worked).
    pub canaries_found: u64,
    /// Size of the -wal file (`None`: absent).
    pub wal_bytes: Option<u64>,
    /// Size of the -journal file (`None`: absent).
    pub journal_bytes: Option<u64>,
    /// `PRAGMA cipher_integrity_check` found nothing.
    pub integrity_ok: bool,
    /// All of the above as they should be.
    pub passed: bool,
}

/// A registered paper (or other non-file) source the owner destroyed by hand before a witness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaperLine {
    pub source_id: i64,
    pub label: String,
    /// `None`: still to be destroyed and confirmed.
    pub witness: Option<String>,
    pub destroyed_on: Option<String>,
}

/// Records kept under a legal hold until a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HeldLine {
    pub until: String,
    pub records: u64,
}

/// Records left as they were, per outcome (holds, blocks, keep, return, de-identify, transfers awaiting the
/// receipt).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Kept {
    pub held: Vec<HeldLine>,
    pub blocked: u64,
    pub keep: u64,
    pub returned: u64,
    pub deidentify: u64,
    /// Transferred records whose seller copy stays until the recipient's receipt is recorded.
    pub transfer_awaiting_receipt: u64,
}

/// A backup the app made before this destruction: it still holds what was deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupLine {
    pub path: String,
    pub at: String,
    pub sha256: String,
}

/// Advice the certificate gives (worded by the documents and the edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Advice {
    /// Change the case passphrase: copies of the file made before still open with the old one.
    ChangePassphrase,
    /// Delete old copies of the case file (downloads, USB sticks, cloud folders).
    DeleteOldCopies,
    /// The backups listed were made before the destruction and still hold the deleted data.
    BackupsHoldDeletedData,
    /// Some paper sources still wait to be destroyed and confirmed with a witness.
    PaperPending,
}

/// Who signs the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureRole {
    /// 执行人
    Operator,
    /// 个人信息保护负责人
    ResponsiblePerson,
    /// 见证人
    Witness,
}

/// The destruction certificate's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateModel {
    /// Short reference printed on the certificate and written into the audit log, e.g. `XH-20261205-1a2b3c4d`.
    pub reference: String,
    pub case_id: String,
    /// The business (seller) and its responsible person: the controller, not a customer.
    pub seller: String,
    pub responsible_person: String,
    /// Who ran the destruction (the audit log's actor).
    pub operator: String,
    pub performed_at: String,
    pub method: Method,
    pub destroyed: Destroyed,
    pub verification: Verification,
    pub paper: Vec<PaperLine>,
    pub kept: Kept,
    pub backups_before: Vec<BackupLine>,
    pub advice: Vec<Advice>,
    pub signatures: Vec<SignatureRole>,
}

impl CertificateModel {
    /// SHA-256 of the certificate's JSON (the exact bytes stored in the case).
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.to_json().as_bytes()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
