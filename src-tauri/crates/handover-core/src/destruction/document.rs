//! The destruction certificate as the documents crate prints it: [`CertificateDocument`], the stored
//! [`CertificateModel`] with its SHA-256, the audit entry that recorded it, field labels in the document's
//! language and the yes/no switches the templates (`assets/documents/certificate.*.toml`) show blocks by. The
//! words are the templates'; this model carries values, labels of field types and flags only.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::certificate::{Advice, BackupLine, CertificateModel, HeldLine, Method};
use crate::error::Result;
use crate::i18n::{Label, Lang};

/// A certificate the case stored, with the audit entry that recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    pub certificate: CertificateModel,
    pub sha256: String,
    /// The `destruction.certificate` entry: its number and hash (the audit head right after the destruction).
    pub audit_seq: i64,
    pub audit_hash: String,
}

/// The certificate stored under `reference`, or the newest one when `None`; `None` when the case has none.
pub fn stored(conn: &Connection, reference: Option<&str>) -> Result<Option<StoredCertificate>> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT reference, certificate, certificate_sha256 FROM destructions
             WHERE ?1 IS NULL OR reference = ?1 ORDER BY id DESC LIMIT 1",
            [reference],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((reference, json, sha256)) = row else {
        return Ok(None);
    };
    let certificate: CertificateModel = serde_json::from_str(&json)?;
    // The entry's detail is JSON written by `destroy`; matching the quoted reference finds exactly it.
    let (audit_seq, audit_hash): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log WHERE action = 'destruction.certificate'
             AND instr(detail, ?1) > 0 ORDER BY seq DESC LIMIT 1",
            [format!("\"{reference}\"")],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_default();
    Ok(Some(StoredCertificate {
        certificate,
        sha256,
        audit_seq,
        audit_hash,
    }))
}

/// What the certificate templates print.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateDocument {
    /// `zh-CN` or `en`.
    pub lang: String,
    pub reference: String,
    pub case_id: String,
    pub seller: String,
    pub responsible_person: String,
    pub operator: String,
    pub performed_at: String,
    pub method: Method,
    pub destroyed: DestroyedFigures,
    pub by_source: Vec<SourceFigures>,
    pub stripped_fields: Vec<FieldFigures>,
    pub verification: VerificationFigures,
    pub paper: Vec<PaperFigures>,
    pub kept: KeptFigures,
    pub backups_before: Vec<BackupLine>,
    pub advice: AdviceFlags,
    /// A witness signs when paper was (or is to be) destroyed by hand.
    pub witness_signs: bool,
    pub certificate_sha256: String,
    pub audit: AuditFigures,
}

#[derive(Debug, Clone, Serialize)]
pub struct DestroyedFigures {
    pub records: u64,
    pub transferred_copies: u64,
    pub customers: u64,
    pub deidentified_records: u64,
    pub stripped_records: u64,
    pub import_problems: u64,
    pub evidence_files: u64,
    pub deleted_ids_sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceFigures {
    pub label: String,
    pub deleted: u64,
    pub transferred_copies: u64,
    pub deidentified: u64,
    pub stripped: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldFigures {
    pub label: String,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerificationFigures {
    pub pages_read: u64,
    pub free_pages: u64,
    pub canaries: u64,
    pub canaries_found: u64,
    /// Bytes; 0 when the file is absent.
    pub wal_bytes: u64,
    pub journal_bytes: u64,
    pub integrity_ok: bool,
    pub passed: bool,
    pub failed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaperFigures {
    pub label: String,
    /// Empty while still to be destroyed.
    pub witness: String,
    pub destroyed_on: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeptFigures {
    pub held: Vec<HeldLine>,
    pub blocked: u64,
    pub keep: u64,
    pub returned: u64,
    pub deidentify: u64,
    pub transfer_awaiting_receipt: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdviceFlags {
    pub change_passphrase: bool,
    pub delete_old_copies: bool,
    pub backups_hold_deleted_data: bool,
    pub paper_pending: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditFigures {
    pub seq: i64,
    pub hash: String,
}

impl CertificateDocument {
    /// The certificate in `lang` (field types named in that language).
    pub fn new(stored: &StoredCertificate, lang: Lang) -> CertificateDocument {
        let c = &stored.certificate;
        let d = &c.destroyed;
        let v = &c.verification;
        let has = |a: Advice| c.advice.contains(&a);
        CertificateDocument {
            lang: lang.pick("zh-CN", "en").into(),
            reference: c.reference.clone(),
            case_id: c.case_id.clone(),
            seller: c.seller.clone(),
            responsible_person: c.responsible_person.clone(),
            operator: c.operator.clone(),
            performed_at: c.performed_at.clone(),
            method: c.method.clone(),
            destroyed: DestroyedFigures {
                records: d.records,
                transferred_copies: d.transferred_copies,
                customers: d.customers,
                deidentified_records: d.deidentified_records,
                stripped_records: d.stripped_records,
                import_problems: d.import_problems,
                evidence_files: d.evidence_files,
                deleted_ids_sha256: d.deleted_ids_sha256.clone(),
            },
            by_source: d
                .by_source
                .iter()
                .map(|s| SourceFigures {
                    label: s.label.clone(),
                    deleted: s.deleted,
                    transferred_copies: s.transferred_copies,
                    deidentified: s.deidentified,
                    stripped: s.stripped,
                })
                .collect(),
            stripped_fields: d
                .stripped_fields
                .iter()
                .map(|f| FieldFigures {
                    label: f.field.label(lang).to_string(),
                    records: f.records,
                })
                .collect(),
            verification: VerificationFigures {
                pages_read: v.pages_read,
                free_pages: v.free_pages,
                canaries: v.canaries,
                canaries_found: v.canaries_found,
                wal_bytes: v.wal_bytes.unwrap_or(0),
                journal_bytes: v.journal_bytes.unwrap_or(0),
                integrity_ok: v.integrity_ok,
                passed: v.passed,
                failed: !v.passed,
            },
            paper: c
                .paper
                .iter()
                .map(|p| PaperFigures {
                    label: p.label.clone(),
                    witness: p.witness.clone().unwrap_or_default(),
                    destroyed_on: p.destroyed_on.clone().unwrap_or_default(),
                })
                .collect(),
            kept: KeptFigures {
                held: c.kept.held.clone(),
                blocked: c.kept.blocked,
                keep: c.kept.keep,
                returned: c.kept.returned,
                deidentify: c.kept.deidentify,
                transfer_awaiting_receipt: c.kept.transfer_awaiting_receipt,
            },
            backups_before: c.backups_before.clone(),
            advice: AdviceFlags {
                change_passphrase: has(Advice::ChangePassphrase),
                delete_old_copies: has(Advice::DeleteOldCopies),
                backups_hold_deleted_data: has(Advice::BackupsHoldDeletedData),
                paper_pending: has(Advice::PaperPending),
            },
            witness_signs: c
                .signatures
                .contains(&super::certificate::SignatureRole::Witness),
            certificate_sha256: stored.sha256.clone(),
            audit: AuditFigures {
                seq: stored.audit_seq,
                hash: stored.audit_hash.clone(),
            },
        }
    }
}
