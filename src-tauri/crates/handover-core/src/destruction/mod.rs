//! Destruction: carrying out every deletion the plan decided, so the deleted values are gone from the case
//! file itself, proving it, and the certificate that says so.
//!
//! [`destroy`] rebuilds the case without what goes (`Case::rebuild`: what stays is copied into a fresh file
//! keyed like the case, which then takes the case's place), leaving out:
//! - the records whose outcome is delete;
//! - the seller's copies of transferred records, once the recipient's receipt is recorded ([`record_receipt`]);
//!   until then, only the fields the recipient does not get (the plan's stripped fields) are removed from them;
//! - the customers none of whose records remain (their keys, what they said, the owner's overrides of them,
//!   how their notice was delivered), and of the customers that remain, the phone and ID numbers no remaining
//!   record of theirs holds;
//! - the import problems that held a deleted record's cells, the text findings and plan lines of deleted records,
//!   and attached evidence files that hold a deleted number.
//!
//! Records under a legal hold (`retain_until`) or blocked (`blocked_by`) are never touched, whatever their
//! outcome. Then the log is checkpointed with truncation (a file that still has free pages — one from an
//! older, interrupted destruction — is rebuilt with `VACUUM`), and [`pages`] reads every page with the key,
//! free pages included, looking for the deleted phone and ID numbers wherever no live row is. The certificate
//! ([`certificate::CertificateModel`]) carries the counts and the result; its reference and SHA-256 go into the
//! audit log. A destruction stopped between its rebuild and its certificate is certified by the next
//! [`destroy`] from its `destruction.carry_out` entry (written into the rebuilt file, so it lands with it).
//!
//! Refused without confirmation ([`Error::DestroyNotConfirmed`]), while an import is pending
//! ([`Error::ImportPending`]), without a plan ([`Error::PlanMissing`]) or with an out-of-date one
//! ([`Error::PlanStale`]), and with a passphrase that is not the file's ([`Error::WrongPassphrase`]).
//!
//! Paper sources (registered sources that are not files, handled by destruction) cannot be destroyed by the
//! app: they are listed, and the owner confirms each by hand with a witness ([`confirm_paper_destroyed`]).

pub mod certificate;
pub mod document;
mod flags;
mod pages;
pub mod returns;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::field::FieldType;
use crate::rules::{plan, Rulebook};
use crate::store::{Case, Rebuild, REBUILT, SIDE};
use certificate::{
    Advice, BackupLine, CertificateModel, Destroyed, FieldCount, HeldLine, Kept, Method, PaperLine,
    SignatureRole, SourceCount, Verification,
};
pub(crate) use pages::PageKey;
use pages::{Canaries, PageScan};

/// The method code on the certificate (see [`certificate::Method`]).
pub const METHOD: &str = "sqlcipher-rebuild";

/// The recipient's signed receipt of the package, as the seller recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Receipt {
    pub package_sha256: String,
    pub signed_on: String,
    pub actor: String,
    pub at: String,
}

/// A backup the app made (see `crate::backup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupRecord {
    pub path: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub at: String,
    pub actor: String,
}

/// What a destruction would do now: the destruction step shows it before the owner confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DestructionPreview {
    /// No plan yet, or an out-of-date one: destruction is refused until it is recomputed.
    pub plan_missing: bool,
    pub plan_stale: bool,
    /// Records whose outcome is delete.
    pub records: u64,
    /// The seller's copies of transferred records that go (0 until the receipt is recorded).
    pub transferred_copies: u64,
    /// Transferred records that stay (no receipt yet) and lose the fields the recipient does not get.
    pub stripped_records: u64,
    /// Records whose outcome is de-identify: they lose every identifier ([`DEIDENTIFIED_FIELDS`]).
    pub deidentified_records: u64,
    pub by_source: Vec<SourceCount>,
    pub kept: Kept,
    pub receipt: Option<Receipt>,
    pub paper: Vec<PaperLine>,
    /// Backups the app made: they keep what a destruction deletes.
    pub backups: Vec<BackupRecord>,
}

/// What `destroy` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DestructionReport {
    pub certificate: CertificateModel,
    pub certificate_sha256: String,
    /// The audit entry that records the certificate (`destruction.certificate`): its number and hash.
    #[ts(type = "number")]
    pub audit_seq: i64,
    pub audit_hash: String,
}

impl DestructionReport {
    /// The report as the certificate document reads it.
    pub fn stored(&self) -> document::StoredCertificate {
        document::StoredCertificate {
            certificate: self.certificate.clone(),
            sha256: self.certificate_sha256.clone(),
            audit_seq: self.audit_seq,
            audit_hash: self.audit_hash.clone(),
        }
    }
}

/// The targets of a destruction, worked out on the side connection into tables of its fresh side file
/// (`Rebuild::side`, attached as [`SIDE`] on both connections), where the rebuild's connection then reads them:
/// `side.doomed` (record ids; kind 0 deleted by the plan, 1 a transferred copy after the receipt),
/// `side.stripped` (transferred records that stay and lose fields), `side.deidentified` (records that lose every
/// identifier) — filled by [`targets`] — and, filled by [`walk_targets`], `side.affected` (the customers of all
/// of them), `side.doomed_rows` (the source and row of each record that goes: its import problems go too) and
/// `side.rewritten` (the new values of the records that stay but lose fields, written into the rebuilt file as
/// the records are copied, so no record is written twice: an update in place could leave a freed page). The
/// side file goes with the rebuild.
fn target_tables() -> String {
    format!(
        "CREATE TABLE {SIDE}.doomed (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL);
         CREATE TABLE {SIDE}.stripped (id INTEGER PRIMARY KEY, fields TEXT NOT NULL);
         CREATE TABLE {SIDE}.affected (id INTEGER PRIMARY KEY);
         CREATE TABLE {SIDE}.deidentified (id INTEGER PRIMARY KEY, fields TEXT NOT NULL);
         CREATE TABLE {SIDE}.doomed_rows (source_id INTEGER NOT NULL, row_number INTEGER NOT NULL,
             PRIMARY KEY (source_id, row_number)) WITHOUT ROWID;
         CREATE TABLE {SIDE}.rewritten (id INTEGER PRIMARY KEY, raw TEXT NOT NULL, pii_mask INTEGER NOT NULL,
             cleared INTEGER NOT NULL);"
    )
}

/// What de-identification removes from a record (PIPL Art. 73(3): it can no longer be tied to a person
/// without additional information): every identifier and every free-text cell (which may name anyone). What
/// stays are amounts, dates, states, the courier company and the customer's sex — what the seller keeps the
/// record for. The record's link to its customer stays (a pseudonym: the customer keeps no name, number or
/// ID once no other record holds them), so de-identified data is still personal information and the plan
/// still counts it.
pub const DEIDENTIFIED_FIELDS: &[FieldType] = &[
    FieldType::Name,
    FieldType::Mobile,
    FieldType::Landline,
    FieldType::IdCard,
    FieldType::Address,
    FieldType::BankCard,
    FieldType::Email,
    FieldType::Qq,
    FieldType::Wechat,
    FieldType::Plate,
    FieldType::Waybill,
    FieldType::PickupCode,
    FieldType::MemberNumber,
    FieldType::Birthday,
    FieldType::Notes,
    FieldType::Other,
    FieldType::OrganisationName,
    FieldType::ContactPerson,
];

/// The receipt recorded last, if any.
pub fn receipt(conn: &Connection) -> Result<Option<Receipt>> {
    Ok(conn
        .query_row(
            "SELECT package_sha256, signed_on, actor, at FROM transfer_receipts ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                Ok(Receipt {
                    package_sha256: r.get(0)?,
                    signed_on: r.get(1)?,
                    actor: r.get(2)?,
                    at: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Records that the recipient signed for the package (its SHA-256, the day they signed). From then on a
/// destruction also deletes the seller's copies of the transferred records. Audited (`transfer.receipt`).
pub fn record_receipt(
    case: &Case,
    package_sha256: &str,
    signed_on: NaiveDate,
    actor: &Actor,
) -> Result<Receipt> {
    let sha = package_sha256.trim().to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::InvalidSha256(package_sha256.to_string()));
    }
    let signed_on = signed_on.format("%Y-%m-%d").to_string();
    case.write(actor, |w| {
        w.execute(
            "INSERT INTO transfer_receipts (package_sha256, signed_on, actor, at) VALUES (?1, ?2, ?3, ?4)",
            params![sha, signed_on, w.actor().0, w.now()],
        )?;
        w.audit(
            "transfer.receipt",
            serde_json::json!({ "package_sha256": sha, "signed_on": signed_on }),
        )?;
        Ok(Receipt {
            package_sha256: sha.clone(),
            signed_on: signed_on.clone(),
            actor: w.actor().0.clone(),
            at: w.now().to_string(),
        })
    })
}

/// The registered non-file sources whose handling is destruction, with the confirmation if given.
pub fn paper_to_destroy(conn: &Connection) -> Result<Vec<PaperLine>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.label, p.witness, p.destroyed_on FROM sources s
         LEFT JOIN paper_destroyed p ON p.source_id = s.id
         WHERE s.kind <> 'file' AND s.handling = 'destroy' ORDER BY s.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(PaperLine {
                source_id: r.get(0)?,
                label: r.get(1)?,
                witness: r.get(2)?,
                destroyed_on: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The owner confirms that a paper source was destroyed by hand (shredded) before a witness. Audited
/// (`destruction.paper`, with the witness's name: the witness signs the certificate).
pub fn confirm_paper_destroyed(
    case: &Case,
    source_id: i64,
    witness: &str,
    destroyed_on: NaiveDate,
    actor: &Actor,
) -> Result<PaperLine> {
    let witness = witness.trim();
    if witness.is_empty() {
        return Err(Error::TextRequired { field: "witness" });
    }
    if witness.chars().count() > 100 {
        return Err(Error::TextTooLong {
            field: "witness",
            max: 100,
        });
    }
    let on = destroyed_on.format("%Y-%m-%d").to_string();
    case.write(actor, |w| {
        let label: Option<String> = w
            .query_row(
                "SELECT label FROM sources WHERE id = ?1 AND kind <> 'file' AND handling = 'destroy'",
                [source_id],
                |r| r.get(0),
            )
            .optional()?;
        let label = label.ok_or(Error::NotFound("source"))?;
        w.execute(
            "INSERT INTO paper_destroyed (source_id, witness, destroyed_on, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (source_id) DO UPDATE SET witness = excluded.witness,
                 destroyed_on = excluded.destroyed_on, actor = excluded.actor, at = excluded.at",
            params![source_id, witness, on, w.actor().0, w.now()],
        )?;
        w.audit(
            "destruction.paper",
            serde_json::json!({ "source_id": source_id, "witness": witness, "destroyed_on": on }),
        )?;
        Ok(PaperLine {
            source_id,
            label,
            witness: Some(witness.to_string()),
            destroyed_on: Some(on.clone()),
        })
    })
}

/// Every backup the app made of this case, oldest first.
pub fn backups(conn: &Connection) -> Result<Vec<BackupRecord>> {
    let mut stmt =
        conn.prepare("SELECT path, sha256, size_bytes, at, actor FROM backups ORDER BY id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(BackupRecord {
                path: r.get(0)?,
                sha256: r.get(1)?,
                size_bytes: r.get::<_, i64>(2)? as u64,
                at: r.get(3)?,
                actor: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records a backup the app made (called by `crate::backup` once the copy is verified). Audited.
pub(crate) fn record_backup(
    case: &Case,
    path: &Path,
    sha256: &str,
    size_bytes: u64,
    actor: &Actor,
) -> Result<BackupRecord> {
    let path = path.display().to_string();
    case.write(actor, |w| {
        w.execute(
            "INSERT INTO backups (path, sha256, size_bytes, at, actor) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![path, sha256, size_bytes as i64, w.now(), w.actor().0],
        )?;
        w.audit(
            "backup.create",
            serde_json::json!({ "path": path, "sha256": sha256, "size_bytes": size_bytes }),
        )?;
        Ok(BackupRecord {
            path: path.clone(),
            sha256: sha256.to_string(),
            size_bytes,
            at: w.now().to_string(),
            actor: w.actor().0.clone(),
        })
    })
}

fn plan_state(conn: &Connection, book: &Rulebook) -> Result<(bool, bool)> {
    Ok(match plan::summary(conn, book)? {
        None => (true, false),
        Some(s) => (false, s.stale),
    })
}

/// What a destruction would do now (read only).
pub fn preview(case: &Case, book: &Rulebook) -> Result<DestructionPreview> {
    case.read(|conn| {
        let (plan_missing, plan_stale) = plan_state(conn, book)?;
        let receipt = receipt(conn)?;
        let mut by_source: BTreeMap<i64, SourceCount> = BTreeMap::new();
        let (mut records, mut copies, mut stripped, mut deidentified) = (0u64, 0u64, 0u64, 0u64);
        let mut stmt = conn.prepare(
            "SELECT r.source_id, s.label, p.outcome, p.stripped_fields <> '', count(*)
             FROM plan p JOIN records r ON r.id = p.record_id JOIN sources s ON s.id = r.source_id
             WHERE p.outcome IN ('delete', 'transfer', 'deidentify') AND p.retain_until IS NULL AND p.blocked_by IS NULL
             GROUP BY 1, 2, 3, 4",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (source_id, label, outcome, has_stripped, n): (i64, String, String, bool, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let n = n as u64;
            let e = by_source.entry(source_id).or_insert_with(|| SourceCount {
                source_id,
                label,
                deleted: 0,
                transferred_copies: 0,
                stripped: 0,
                deidentified: 0,
            });
            match (outcome.as_str(), receipt.is_some(), has_stripped) {
                ("delete", ..) => {
                    e.deleted += n;
                    records += n;
                }
                ("transfer", true, _) => {
                    e.transferred_copies += n;
                    copies += n;
                }
                ("transfer", false, true) => {
                    e.stripped += n;
                    stripped += n;
                }
                ("deidentify", ..) => {
                    e.deidentified += n;
                    deidentified += n;
                }
                _ => {}
            }
        }
        let by_source = by_source
            .into_values()
            .filter(|s| s.deleted + s.transferred_copies + s.stripped + s.deidentified > 0)
            .collect();
        Ok(DestructionPreview {
            plan_missing,
            plan_stale,
            records,
            transferred_copies: copies,
            stripped_records: stripped,
            deidentified_records: deidentified,
            by_source,
            kept: kept(conn, receipt.is_some())?,
            receipt,
            paper: paper_to_destroy(conn)?,
            backups: backups(conn)?,
        })
    })
}

/// What stays, per outcome (after a destruction: what the certificate lists as kept).
fn kept(conn: &Connection, receipt: bool) -> Result<Kept> {
    let mut tally = KeptTally::new(receipt);
    let mut stmt = conn.prepare(
        "SELECT outcome, retain_until, blocked_by IS NOT NULL, count(*) FROM plan GROUP BY 1, 2, 3",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (outcome, until, blocked, n): (String, Option<String>, bool, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        tally.add(&outcome, until.as_deref(), blocked, n as u64);
    }
    Ok(tally.finish())
}

/// Counts plan lines into [`Kept`]: a line under a legal hold counts by its date, a blocked one as blocked,
/// the others by outcome. Lines a destruction removes (delete; transfer once the receipt is recorded) count
/// nowhere, so counting before a destruction gives what stays after it.
struct KeptTally {
    kept: Kept,
    held: BTreeMap<String, u64>,
    receipt: bool,
}

impl KeptTally {
    fn new(receipt: bool) -> KeptTally {
        KeptTally {
            kept: Kept::default(),
            held: BTreeMap::new(),
            receipt,
        }
    }

    fn add(&mut self, outcome: &str, until: Option<&str>, blocked: bool, n: u64) {
        let k = &mut self.kept;
        if let Some(until) = until {
            match self.held.get_mut(until) {
                Some(c) => *c += n,
                None => {
                    self.held.insert(until.to_string(), n);
                }
            }
            return;
        }
        if blocked {
            k.blocked += n;
            return;
        }
        match outcome {
            "keep" => k.keep += n,
            "return" => k.returned += n,
            "deidentify" => k.deidentify += n,
            "transfer" if !self.receipt => k.transfer_awaiting_receipt += n,
            "blocked" => k.blocked += n,
            _ => {}
        }
    }

    fn finish(self) -> Kept {
        let mut k = self.kept;
        k.held = self
            .held
            .into_iter()
            .map(|(until, records)| HeldLine { until, records })
            .collect();
        k
    }
}

/// Fills the target tables ([`target_tables`]) in one pass over the plan, in record order, and counts what stays
/// ([`KeptTally`]): records under a legal hold or blocked are never targets, whatever their outcome.
fn targets(c: &Connection, receipt: bool, doomed_ids: &mut flags::IdFlags) -> Result<Kept> {
    c.execute_batch(&target_tables())?;
    let deidentified_fields = DEIDENTIFIED_FIELDS
        .iter()
        .map(|f| f.id())
        .collect::<Vec<_>>()
        .join(",");
    let mut doomed = c.prepare(&format!(
        "INSERT INTO {SIDE}.doomed (id, kind) VALUES (?1, ?2)"
    ))?;
    let mut stripped = c.prepare(&format!(
        "INSERT INTO {SIDE}.stripped (id, fields) VALUES (?1, ?2)"
    ))?;
    let mut deidentified = c.prepare(&format!(
        "INSERT INTO {SIDE}.deidentified (id, fields) VALUES (?1, ?2)"
    ))?;
    let mut tally = KeptTally::new(receipt);
    let mut stmt = c.prepare(
        "SELECT record_id, outcome, retain_until, blocked_by IS NOT NULL, stripped_fields FROM main.plan",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let text = |i: usize| -> Result<Option<&str>> {
            Ok(r.get_ref(i)?.as_str_or_null().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
            })?)
        };
        let outcome = text(1)?.unwrap_or_default();
        let until = text(2)?;
        let blocked: bool = r.get(3)?;
        tally.add(outcome, until, blocked, 1);
        if until.is_some() || blocked {
            continue;
        }
        match outcome {
            "delete" => {
                doomed.execute(params![id, 0])?;
                doomed_ids.set(id, 1);
            }
            "transfer" if receipt => {
                doomed.execute(params![id, 1])?;
                doomed_ids.set(id, 1);
            }
            "transfer" => {
                let fields = text(4)?.unwrap_or_default();
                if !fields.is_empty() {
                    stripped.execute(params![id, fields])?;
                }
            }
            "deidentify" => {
                deidentified.execute(params![id, deidentified_fields])?;
            }
            _ => {}
        }
    }
    Ok(tally.finish())
}

/// The stages of a destruction, in order, as [`destroy_reporting`] tells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestructionStage {
    /// What stays is copied into a fresh file that then takes the case's place.
    Copying,
    /// The fresh file's pages are read and checked, and the certificate is recorded. The heavy work is done:
    /// a caller can get the certificate's document ready meanwhile.
    Checking,
}

/// Carries out every deletion the plan decided, proves the values are gone from the file, and returns the
/// certificate's data (see the module's documentation). `passphrase` is the case's, typed again to confirm
/// what cannot be undone (checked against the key the case was opened with).
pub fn destroy(
    case: &mut Case,
    passphrase: &str,
    confirmed: bool,
    book: &Rulebook,
    actor: &Actor,
) -> Result<DestructionReport> {
    destroy_reporting(case, passphrase, confirmed, book, actor, &mut |_| {})
}

/// [`destroy`], telling `on_stage` when each stage begins.
pub fn destroy_reporting(
    case: &mut Case,
    passphrase: &str,
    confirmed: bool,
    book: &Rulebook,
    actor: &Actor,
    on_stage: &mut dyn FnMut(DestructionStage),
) -> Result<DestructionReport> {
    if !confirmed {
        return Err(Error::DestroyNotConfirmed);
    }
    if case.import_pending() {
        return Err(Error::ImportPending);
    }
    case.check_passphrase(passphrase)?;
    let backups_before = case.read(backups)?;
    // A destruction stopped after its deletions were committed but before its certificate (the laptop shut
    // down, the app killed) is finished first: its deletions are in the audit log, and the owner must get
    // their certificate, not one that says nothing was deleted. Its deleted values cannot be looked for any
    // more (they are gone, and the app never kept them), so that certificate checks no canaries.
    if let Some(destroyed) = case.read(unfinished_carry_out)? {
        let carried = CarriedOut {
            destroyed,
            canaries: Canaries::default(),
            kept: None,
        };
        on_stage(DestructionStage::Checking);
        return certify(case, actor, carried, &backups_before, true);
    }
    case.read(|conn| plan::ensure_current(conn, book))?;
    on_stage(DestructionStage::Copying);
    // What stays is copied into a fresh file and put in place of the case's pages in one transaction
    // (`store::rebuild`): the deleted rows are never written again, and no page of the old file stays.
    let carried = case.rebuild(actor, |r| {
        // The case's own cache stays SQLite's 2 MB: this connection reads each table once, in order (the
        // records read by id, for the fields they lose, are read beside). A 64 MB cache, needed when it read
        // them here, now cost 0.25 s and 66 MB on the million-row case.
        let (destroyed, canaries, kept) = carry_out(r)?;
        r.audit(
            "destruction.carry_out",
            serde_json::json!({
                "records": destroyed.records,
                "transferred_copies": destroyed.transferred_copies,
                "customers": destroyed.customers,
                "import_problems": destroyed.import_problems,
                "stripped_records": destroyed.stripped_records,
                "deidentified_records": destroyed.deidentified_records,
                "evidence_files": destroyed.evidence_files,
                "deleted_ids_sha256": destroyed.deleted_ids_sha256,
                // Whole, so that a destruction stopped before its certificate can be certified later.
                "destroyed": destroyed,
            }),
        )?;
        Ok((destroyed, canaries, kept))
    });
    let ((destroyed, canaries, kept), superseded) = carried?;
    // Tests stop here, as a shutdown would, to leave deletions without their certificate (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os("HANDOVER_TEST_STOP_AFTER_CARRY_OUT").is_some() {
        std::process::exit(99);
    }
    let carried = CarriedOut {
        destroyed,
        canaries,
        kept: Some(kept),
    };
    on_stage(DestructionStage::Checking);
    // The old file's bytes are overwritten on another core while the new one is checked and certified.
    std::thread::scope(|s| {
        let overwriting = superseded.map(|old| s.spawn(move || old.overwrite()));
        let report = certify(case, actor, carried, &backups_before, false);
        if let Some(handle) = overwriting {
            handle.join().unwrap_or_else(|_| {
                Err(Error::Internal(
                    "overwriting the old case file stopped".into(),
                ))
            })?;
        }
        report
    })
}

/// What the carry-out did, for the certificate: what was left out, the deleted numbers to look for, and what
/// stays (`None` when finishing an interrupted destruction: counted from the plan then).
struct CarriedOut {
    destroyed: Destroyed,
    canaries: Canaries,
    kept: Option<Kept>,
}

/// The deletions of the last `destruction.carry_out` if no certificate followed it.
fn unfinished_carry_out(conn: &Connection) -> Result<Option<Destroyed>> {
    let last: Option<(String, String)> = conn
        .query_row(
            "SELECT action, detail FROM audit_log
             WHERE action IN ('destruction.carry_out', 'destruction.certificate')
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((action, detail)) = last else {
        return Ok(None);
    };
    if action != "destruction.carry_out" {
        return Ok(None);
    }
    let detail: serde_json::Value = serde_json::from_str(&detail)
        .map_err(|e| Error::Internal(format!("a destruction entry that is not JSON: {e}")))?;
    Ok(detail
        .get("destroyed")
        .and_then(|d| serde_json::from_value(d.clone()).ok()))
}

/// Compacts and checks the file after deletions, then records the certificate.
fn certify(
    case: &Case,
    actor: &Actor,
    carried: CarriedOut,
    backups_before: &[BackupRecord],
    resumed: bool,
) -> Result<DestructionReport> {
    let CarriedOut {
        destroyed,
        canaries,
        kept,
    } = carried;
    let key = case.page_key();
    let compaction = case.compact()?;
    let mut scan = pages::scan(case.path(), key, &canaries)?;
    // A number found where no cell is, that a live row holds, is a stale copy of that row (SQLite leaves a
    // moved cell's old bytes behind when it rebalances pages), not a deleted value.
    if !scan.found.is_empty() {
        let found = std::mem::take(&mut scan.found);
        scan.found = case.read(|conn| not_live(conn, "main", found, &[]))?;
    }
    let verification = verify(case, key, &compaction, &scan, &canaries)?;
    let certificate = case.read(|conn| {
        build_certificate(
            conn,
            actor,
            destroyed,
            kept,
            verification,
            backups_before
                .iter()
                .map(|b| BackupLine {
                    path: b.path.clone(),
                    at: b.at.clone(),
                    sha256: b.sha256.clone(),
                })
                .collect(),
        )
    })?;
    let sha = certificate.sha256();
    let entry = case.write(actor, |w| {
        w.execute(
            "INSERT INTO destructions (reference, at, actor, certificate, certificate_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                certificate.reference,
                certificate.performed_at,
                w.actor().0,
                certificate.to_json(),
                sha
            ],
        )?;
        w.audit(
            "destruction.certificate",
            serde_json::json!({
                "reference": certificate.reference,
                "certificate_sha256": sha,
                "verification_passed": certificate.verification.passed,
                "finishes_an_interrupted_destruction": resumed,
            }),
        )
    })?;
    case.checkpoint_truncate()?;
    Ok(DestructionReport {
        certificate,
        certificate_sha256: sha,
        audit_seq: entry.seq,
        audit_hash: entry.hash,
    })
}

fn verify(
    case: &Case,
    key: &PageKey,
    compaction: &crate::store::Compaction,
    scan: &PageScan,
    canaries: &Canaries,
) -> Result<Verification> {
    let side = |suffix: &str| -> Option<u64> {
        let mut p = case.path().as_os_str().to_owned();
        p.push(suffix);
        std::fs::metadata(p).ok().map(|m| m.len())
    };
    let (wal, journal) = (side("-wal"), side("-journal"));
    // Every page's HMAC, as at every opening: the rebuilt file is whole.
    let integrity_ok = match crate::store::verify_pages(case.path(), key) {
        Ok(_) => true,
        Err(Error::Corrupted(..)) => false,
        Err(e) => return Err(e),
    };
    let free_pages = case.free_pages()?.max(compaction.free_pages);
    let passed = scan.found.is_empty()
        && free_pages == 0
        && wal.unwrap_or(0) == 0
        && journal.unwrap_or(0) == 0
        && integrity_ok
        && !compaction.checkpoint_blocked;
    Ok(Verification {
        pages_read: scan.pages,
        free_pages,
        canaries: canaries.len() as u64,
        canaries_found: scan.found.len() as u64,
        wal_bytes: wal,
        journal_bytes: journal,
        integrity_ok,
        passed,
    })
}

fn build_certificate(
    conn: &Connection,
    actor: &Actor,
    destroyed: Destroyed,
    counted: Option<Kept>,
    verification: Verification,
    backups_before: Vec<BackupLine>,
) -> Result<CertificateModel> {
    let (case_id,): (String,) =
        conn.query_row("SELECT case_id FROM case_meta WHERE id = 1", [], |r| {
            Ok((r.get(0)?,))
        })?;
    let details = crate::store::read_details(conn)?;
    let cipher_version: String = conn
        .query_row("PRAGMA cipher_version", [], |r| r.get(0))
        .unwrap_or_default();
    let performed_at = crate::clock::now();
    let reference = format!(
        "XH-{}-{}",
        performed_at.get(..10).unwrap_or("").replace('-', ""),
        &hex::encode(Sha256::digest(
            format!("{case_id}\n{performed_at}").as_bytes()
        ))[..8]
    );
    let paper = paper_to_destroy(conn)?;
    let has_receipt = receipt(conn)?.is_some();
    let mut advice = vec![Advice::ChangePassphrase, Advice::DeleteOldCopies];
    if !backups_before.is_empty() {
        advice.push(Advice::BackupsHoldDeletedData);
    }
    if paper.iter().any(|p| p.witness.is_none()) {
        advice.push(Advice::PaperPending);
    }
    let mut signatures = vec![SignatureRole::Operator, SignatureRole::ResponsiblePerson];
    if !paper.is_empty() {
        signatures.push(SignatureRole::Witness);
    }
    Ok(CertificateModel {
        reference,
        case_id,
        seller: details.seller.name.clone(),
        responsible_person: details.seller.responsible_person.clone(),
        operator: actor.operator_name(&details.seller.responsible_person),
        performed_at,
        method: Method {
            code: METHOD.into(),
            tool: "Handover".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            cipher_version,
        },
        destroyed,
        verification,
        paper,
        // Counted as the targets were chosen (what stays is every line that was not one), or from the plan
        // when finishing an interrupted destruction.
        kept: match counted {
            Some(k) => k,
            None => kept(conn, has_receipt)?,
        },
        backups_before,
        advice,
        signatures,
    })
}

/// Fills the rebuilt file (attached as [`REBUILT`], inside the rebuild's transaction) with what stays. Returns
/// the counts of what was left out, the canaries (every deleted phone and ID number) and what stays.
fn carry_out(r: &Rebuild<'_>) -> Result<(Destroyed, Canaries, Kept)> {
    let c = r.conn();
    let has_receipt = receipt(c)?.is_some();
    let tables = Tables::of(c)?;
    // The two halves of the work run on two cores: the side connection works out what goes (reading the plan
    // and the records that go or lose fields, into its side file), while this one copies the plan's lines
    // that stay (which need nothing worked out: their own columns say which go) and the tables copied whole;
    // then this one copies the records that stay while the side connection works out which customers go and
    // what those who stay still hold.
    let side = r.side()?;
    let stop_side = side.interrupt_handle();
    std::thread::scope(|s| {
        let (worked_out, from_side) = std::sync::mpsc::sync_channel(1);
        let fates = s.spawn(move || {
            side.fill_then_read(
                |b| work_out(b, has_receipt),
                |b, mut worked: WorkedOut| {
                    let doomed_ids = worked.doomed_ids.clone();
                    let doomed_of = std::mem::take(&mut worked.walked.doomed_of);
                    // A closed channel means the rebuild stopped: its own error is the one reported.
                    worked_out.send(worked).map_err(|_| Error::Cancelled)?;
                    customer_fates(b, doomed_ids, &doomed_of)
                },
            )
        });
        let out = carry_out_beside(r, &tables, has_receipt, &from_side, fates);
        if out.is_err() {
            // Not worth finishing: the rebuild is rolled back.
            stop_side.interrupt();
        }
        out
    })
}

/// What the side connection works out ([`work_out`]): which records go (as flags by id), what stays, the
/// walk over the targets and the deleted numbers to look for.
struct WorkedOut {
    kept: Kept,
    doomed_ids: flags::IdFlags,
    walked: Walked,
    canaries: Canaries,
    by_source: BTreeMap<i64, SourceCount>,
}

/// On the side connection: the targets ([`targets`]), the walk over them ([`walk_targets`]) into the side
/// file's tables, and the customers' own keys as canaries.
fn work_out(b: &Connection, has_receipt: bool) -> Result<WorkedOut> {
    let mut doomed_ids = flags::IdFlags::default();
    let kept = targets(b, has_receipt, &mut doomed_ids)?;
    let mut canaries = Canaries::default();
    let mut by_source = BTreeMap::new();
    let walked = walk_targets(b, &mut canaries, &mut by_source)?;
    // Customers' own keys, as canaries too (a customer's key equals a record's normalised value).
    {
        let mut stmt = b.prepare(&format!(
            "SELECT c.mobile, c.id_number FROM {SIDE}.affected a JOIN main.customers c ON c.id = a.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for i in [0, 1] {
                if let Some(v) = r.get_ref(i)?.as_str_or_null().ok().flatten() {
                    canaries.add(v);
                }
            }
        }
    }
    Ok(WorkedOut {
        kept,
        doomed_ids,
        walked,
        canaries,
        by_source,
    })
}

/// How many records each customer has in the case (by customer id): a customer goes when every one of their
/// records does.
fn records_per_customer(b: &Connection) -> Result<flags::ById<u32>> {
    let mut counts = flags::ById::default();
    let mut stmt = b.prepare(
        "SELECT customer_id, count(*) FROM main.records WHERE customer_id IS NOT NULL
         GROUP BY customer_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, n): (i64, i64) = (r.get(0)?, r.get(1)?);
        counts.set(id, u32::try_from(n).unwrap_or(u32::MAX));
    }
    Ok(counts)
}

/// What becomes of the customers whose records change ([`customer_fates`]).
struct Fates {
    /// 1 for a customer who goes, 2 for one who stays and may lose values (0 for the others).
    flags: flags::IdFlags,
    gone: u64,
    held: flags::HeldValues,
}

/// The phone, ID number and name a customer may keep, by the record column that holds each and the kind it
/// has in `customer_keys`.
const CUSTOMER_VALUES: [(FieldType, &str); 3] = [
    (FieldType::Mobile, "mobile"),
    (FieldType::IdCard, "id_card"),
    (FieldType::Name, "name"),
];

/// On the side connection, once what goes is worked out and committed: customers none of whose records remain
/// go whole (every one of their records goes: `doomed_of` counts those per customer against all of them);
/// the others whose records change keep only the phone, ID number and name their remaining records still hold
/// — the values those records keep in the rebuilt file (not deleted; a column `side.rewritten` clears is
/// gone), read from the case for those customers alone.
fn customer_fates(
    b: &Connection,
    doomed_ids: flags::IdFlags,
    doomed_of: &HashMap<i64, u32>,
) -> Result<Fates> {
    let records_of = records_per_customer(b)?;
    let mut fates = flags::IdFlags::default();
    let mut gone = 0;
    {
        let mut stmt = b.prepare(&format!("SELECT id FROM {SIDE}.affected ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if doomed_of.get(&id).copied().unwrap_or(0) >= records_of.get(id) {
                gone += 1;
                fates.set(id, 1);
            } else {
                fates.set(id, 2);
            }
        }
    }
    drop(records_of);
    let mut held = flags::HeldValues::default();
    {
        let _doomed = flags::register(b, "destroy_doomed", doomed_ids)?;
        let _fates = flags::register(b, "destroy_fate", fates.clone())?;
        let mut columns = Vec::new();
        let mut bits = Vec::new();
        for (field, _) in CUSTOMER_VALUES {
            let (column, bit) = derived_column(field)
                .ok_or_else(|| Error::Internal(format!("{} has no record column", field.id())))?;
            columns.push(format!("t.{column}"));
            bits.push(bit);
        }
        let mut stmt = b.prepare(&format!(
            "SELECT t.customer_id, coalesce(x.cleared, 0), {} FROM main.records t
             LEFT JOIN {SIDE}.rewritten x ON x.id = t.id
             WHERE destroy_fate(t.customer_id) = 2 AND NOT destroy_doomed(t.id)",
            columns.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (customer, cleared): (i64, i64) = (r.get(0)?, r.get(1)?);
            for (i, (_, kind)) in CUSTOMER_VALUES.iter().enumerate() {
                if cleared & bits[i] != 0 {
                    continue;
                }
                if let Some(value) = r.get_ref(2 + i)?.as_str_or_null().ok().flatten() {
                    held.add(customer, kind, value);
                }
            }
        }
    }
    Ok(Fates {
        flags: fates,
        gone,
        held,
    })
}

/// [`carry_out`] on the rebuild's own connection, while the side connection works out what goes (sent on
/// `from_side`, committed to the side file) and then the customers' fates (`fates`).
fn carry_out_beside(
    r: &Rebuild<'_>,
    tables: &Tables,
    has_receipt: bool,
    from_side: &std::sync::mpsc::Receiver<WorkedOut>,
    fates: std::thread::ScopedJoinHandle<'_, Result<Fates>>,
) -> Result<(Destroyed, Canaries, Kept)> {
    let c = r.conn();
    // What stays is copied into the rebuilt file, table by table; what goes is never written again.
    tables.create_all(c)?;
    // The plan's lines that stay: a line that is neither held nor blocked goes when it is deleted, or
    // transferred once the receipt is recorded (as `targets` chooses them). Its indexes are created first and
    // kept up as the lines arrive in record order — `plan_outcome` grows at the end of each outcome's run,
    // `plan_customer` nearly in order — as the plan itself writes them: sorting them afterwards held every line
    // in memory (SQLite sorts in memory here, so nothing unencrypted reaches a temporary file).
    tables.create_indexes(c, "plan")?;
    copy_table(
        c,
        "plan",
        if has_receipt {
            "WHERE NOT (t.outcome IN ('delete', 'transfer') AND t.retain_until IS NULL AND t.blocked_by IS NULL)"
        } else {
            "WHERE NOT (t.outcome = 'delete' AND t.retain_until IS NULL AND t.blocked_by IS NULL)"
        },
    )?;
    for t in &tables.tables {
        if !FILTERED.contains(&t.name.as_str()) {
            // Indexes first: SQLite then copies the table and its indexes page by page, in order.
            tables.create_indexes(c, &t.name)?;
            copy_table(c, &t.name, "")?;
        }
    }
    // Its tables are read below from the side file, which goes with the rebuild.
    let Ok(WorkedOut {
        kept,
        doomed_ids,
        walked,
        canaries,
        by_source,
    }) = from_side.recv()
    else {
        // The side connection stopped before: its error says why.
        return Err(join_fates(fates)
            .err()
            .unwrap_or_else(|| Error::Internal("working out what goes stopped".into())));
    };
    // `destroy_doomed(record id)`: 1 for a record that goes.
    let _doomed = flags::register(c, "destroy_doomed", doomed_ids)?;
    let mut d = Destroyed {
        records: walked.records,
        transferred_copies: walked.transferred_copies,
        deleted_ids_sha256: walked.deleted_ids_sha256,
        stripped_records: walked.stripped,
        deidentified_records: walked.deidentified,
        stripped_fields: walked
            .per_field
            .into_iter()
            .map(|(field, records)| FieldCount { field, records })
            .collect(),
        ..Destroyed::default()
    };
    // The records that stay, with the fields `walk_targets` removed: their indexes are created first and
    // kept up as the rows arrive in record order (cheaper than sorting them afterwards, and no sort in memory).
    tables.create_indexes(c, "records")?;
    let mut rewritten = vec![
        ("raw", "coalesce(x.raw, t.raw)".to_string()),
        ("pii_mask", "coalesce(x.pii_mask, t.pii_mask)".to_string()),
    ];
    for (_, column, bit) in DERIVED_COLUMNS {
        rewritten.push((
            column,
            format!("CASE WHEN x.cleared & {bit} THEN NULL ELSE t.{column} END"),
        ));
    }
    copy_columns(
        c,
        "records",
        &rewritten,
        &format!("LEFT JOIN {SIDE}.rewritten x ON x.id = t.id WHERE NOT destroy_doomed(t.id)"),
    )?;
    // The findings inside the free text of records that go, and those of the kinds removed from records that
    // stay (their text was overwritten in the records).
    tables.copy_filtered(
        c,
        "text_findings",
        &format!(
            "WHERE NOT destroy_doomed(t.record_id)
               AND NOT EXISTS (SELECT 1 FROM {SIDE}.stripped s WHERE s.id = t.record_id
                                 AND instr(',' || s.fields || ',', ',' || t.kind || ',') > 0)
               AND NOT EXISTS (SELECT 1 FROM {SIDE}.deidentified s WHERE s.id = t.record_id
                                 AND instr(',' || s.fields || ',', ',' || t.kind || ',') > 0)"
        ),
    )?;
    // The import problems that held a deleted record's cells (the rows `walk_targets` listed).
    d.import_problems = c.query_row(
        &format!(
            "SELECT count(*) FROM main.import_problems t WHERE EXISTS (SELECT 1 FROM {SIDE}.doomed_rows g
                 WHERE g.source_id = t.source_id AND g.row_number = t.row_number)"
        ),
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    tables.copy_filtered(
        c,
        "import_problems",
        &format!(
            "WHERE NOT EXISTS (SELECT 1 FROM {SIDE}.doomed_rows g
                 WHERE g.source_id = t.source_id AND g.row_number = t.row_number)"
        ),
    )?;
    // Which customers go, and what those who stay still hold, worked out meanwhile on the side connection
    // (`customer_fates`). `destroy_fate(customer id)`: 1 for a customer who goes, 2 for one who stays and
    // may lose values, 0 for the others; `destroy_held(customer id, kind, value)`: 1 if a remaining record of
    // the customer still holds the value.
    let Fates {
        flags: fates,
        gone,
        held,
    } = join_fates(fates)?;
    d.customers = gone;
    let _held = flags::register_held(c, "destroy_held", held)?;
    let _fates = flags::register(c, "destroy_fate", fates)?;
    let not_gone = |column: &str| format!("destroy_fate(t.{column}) <> 1");
    let kept_value = |column: &'static str, kind: &str| {
        (
            column,
            format!(
                "CASE WHEN t.{column} IS NOT NULL AND destroy_fate(t.id) = 2
                          AND NOT destroy_held(t.id, '{kind}', t.{column})
                 THEN NULL ELSE t.{column} END"
            ),
        )
    };
    copy_columns(
        c,
        "customers",
        &[
            kept_value("mobile", "mobile"),
            kept_value("id_number", "id_card"),
            kept_value("name", "name"),
        ],
        "WHERE destroy_fate(t.id) <> 1",
    )?;
    tables.create_indexes(c, "customers")?;
    tables.copy_filtered(
        c,
        "customer_keys",
        "WHERE CASE destroy_fate(t.customer_id) WHEN 0 THEN 1 WHEN 1 THEN 0
             ELSE destroy_held(t.customer_id, t.kind, t.value) END",
    )?;
    for table in ["customer_status", "notice_delivery"] {
        tables.copy_filtered(c, table, &format!("WHERE {}", not_gone("customer_id")))?;
    }
    tables.copy_filtered(
        c,
        "rule_overrides",
        &format!(
            "WHERE (t.record_id IS NULL OR NOT destroy_doomed(t.record_id))
               AND (t.customer_id IS NULL OR {})",
            not_gone("customer_id")
        ),
    )?;
    // The figures worked out from the case: none is kept (they are worked out again from what stayed).
    tables.create_indexes(c, "derived_cache")?;
    d.by_source = by_source.into_values().collect();
    // Every deleted number is a canary, also the ones some remaining row still holds (another record of the
    // same person, a note that mentions it): the page check looks for them where no live row is
    // (`pages::scan`), so a value a live row holds is never taken for a leftover.
    d.evidence_files = copy_evidence_not_holding(c, &canaries)?;
    tables.create_indexes(c, "wizard_evidence")?;
    tables.create_triggers(c)?;
    // The numbers AUTOINCREMENT has handed out are not handed out again.
    let sequence = |schema: &str| -> Result<bool> {
        Ok(c.query_row(
            &format!(
                "SELECT count(*) > 0 FROM {schema}.sqlite_schema WHERE name = 'sqlite_sequence'"
            ),
            [],
            |r| r.get(0),
        )?)
    };
    if sequence("main")? && sequence(REBUILT)? {
        c.execute_batch(&format!(
            "DELETE FROM {REBUILT}.sqlite_sequence;
             INSERT INTO {REBUILT}.sqlite_sequence SELECT * FROM main.sqlite_sequence;"
        ))?;
    }
    Ok((d, canaries, kept))
}

/// The side connection's last result ([`customer_fates`]), or its error.
fn join_fates(fates: std::thread::ScopedJoinHandle<'_, Result<Fates>>) -> Result<Fates> {
    fates
        .join()
        .unwrap_or_else(|_| Err(Error::Internal("working out what goes stopped".into())))
}

/// The tables whose rows [`carry_out`] copies with a filter (each its own way); every other table is copied
/// whole. A table that holds a customer's data and is not listed here is copied whole — and the page check
/// then finds the deleted values in it and says the destruction failed. Every table that refers to a record
/// or a customer must be listed (test `every_table_referring_to_records_or_customers_is_filtered`): the copy
/// runs without SQLite's reference checks (checking them all took 2 s on a million-row case).
const FILTERED: [&str; 11] = [
    "records",
    "text_findings",
    "import_problems",
    "plan",
    "customers",
    "customer_keys",
    "customer_status",
    "notice_delivery",
    "rule_overrides",
    "derived_cache",
    "wizard_evidence",
];

/// The case's schema as SQLite keeps it, to create the same tables, indexes and triggers in the rebuilt file.
struct Tables {
    tables: Vec<SchemaObject>,
    indexes: Vec<SchemaObject>,
    triggers: Vec<SchemaObject>,
}

struct SchemaObject {
    name: String,
    table: String,
    sql: String,
}

impl Tables {
    fn of(conn: &Connection) -> Result<Tables> {
        let mut tables = Vec::new();
        let mut indexes = Vec::new();
        let mut triggers = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT type, name, tbl_name, sql FROM main.sqlite_schema
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(0)?;
            let object = SchemaObject {
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            };
            match kind.as_str() {
                "table" => tables.push(object),
                "index" => indexes.push(object),
                "trigger" => triggers.push(object),
                other => {
                    return Err(Error::Internal(format!(
                        "the case holds a {other} ({}) the destruction does not know how to copy",
                        object.name
                    )))
                }
            }
        }
        Ok(Tables {
            tables,
            indexes,
            triggers,
        })
    }

    /// `CREATE TABLE name …` as SQLite stored it, created in the rebuilt file.
    fn create_all(&self, conn: &Connection) -> Result<()> {
        for t in &self.tables {
            conn.execute_batch(&in_rebuilt(&t.sql, "CREATE TABLE ")?)?;
        }
        Ok(())
    }

    /// Copies the rows of `table` that `filter` keeps ([`copy_table`]), then builds its indexes: sorted once,
    /// not kept up row by row.
    fn copy_filtered(&self, conn: &Connection, table: &str, filter: &str) -> Result<()> {
        copy_table(conn, table, filter)?;
        self.create_indexes(conn, table)
    }

    fn create_indexes(&self, conn: &Connection, table: &str) -> Result<()> {
        self.create_indexes_in(conn, REBUILT, table)
    }

    fn create_indexes_in(&self, conn: &Connection, schema: &str, table: &str) -> Result<()> {
        for i in self.indexes.iter().filter(|i| i.table == table) {
            let sql = in_schema(&i.sql, "CREATE INDEX ", schema)
                .or_else(|_| in_schema(&i.sql, "CREATE UNIQUE INDEX ", schema))?;
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }

    fn create_triggers(&self, conn: &Connection) -> Result<()> {
        for t in &self.triggers {
            conn.execute_batch(&in_rebuilt(&t.sql, "CREATE TRIGGER ")?)?;
        }
        Ok(())
    }
}

/// `CREATE … name …` → `CREATE … rebuilt.name …` (SQLite stores the statement with its keywords as given and
/// without `IF NOT EXISTS`, as `sqlcipher_export` relies on).
fn in_rebuilt(sql: &str, prefix: &str) -> Result<String> {
    in_schema(sql, prefix, REBUILT)
}

/// [`in_rebuilt`] for the file attached as `schema`.
fn in_schema(sql: &str, prefix: &str, schema: &str) -> Result<String> {
    let head = sql.get(..prefix.len()).unwrap_or_default();
    if !head.eq_ignore_ascii_case(prefix) {
        return Err(Error::Internal(format!(
            "a schema statement that does not start with {prefix}: {}",
            sql.chars().take(40).collect::<String>()
        )));
    }
    Ok(format!("{prefix}{schema}.{}", &sql[prefix.len()..]))
}

/// Copies the rows of `table` that `filter` keeps (a `WHERE` on the rows as `t`, or nothing for all of them)
/// into the rebuilt file.
fn copy_table(conn: &Connection, table: &str, filter: &str) -> Result<()> {
    copy_table_into(conn, REBUILT, table, filter)
}

/// [`copy_table`] into the file attached as `schema`.
fn copy_table_into(conn: &Connection, schema: &str, table: &str, filter: &str) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(());
    }
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    conn.execute(
        // `SELECT *` alone lets SQLite copy a whole table's records as they are (its transfer
        // optimisation); a filter may join other tables, so it takes the table's own columns.
        &if filter.is_empty() {
            format!("INSERT INTO {schema}.{quoted} SELECT * FROM main.{quoted}")
        } else {
            format!("INSERT INTO {schema}.{quoted} SELECT t.* FROM main.{quoted} AS t {filter}")
        },
        [],
    )?;
    Ok(())
}

/// [`copy_table`] with some columns' values given by expressions over the row `t` (and what `from` joins):
/// `rewritten` pairs a column with its expression; every other column is copied as it is.
fn copy_columns(
    conn: &Connection,
    table: &str,
    rewritten: &[(&str, String)],
    from: &str,
) -> Result<()> {
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info(?1, 'main') ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let known: HashSet<&str> = columns.iter().map(String::as_str).collect();
    if let Some((missing, _)) = rewritten.iter().find(|(c, _)| !known.contains(c)) {
        return Err(Error::Internal(format!("{table} has no column {missing}")));
    }
    let list: Vec<String> = columns
        .iter()
        .map(|c| {
            rewritten
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, e)| e.clone())
                .unwrap_or_else(|| format!("t.\"{c}\""))
        })
        .collect();
    conn.execute(
        &format!(
            "INSERT INTO {REBUILT}.\"{table}\" SELECT {} FROM main.\"{table}\" AS t {from}",
            list.join(", ")
        ),
        [],
    )?;
    Ok(())
}

/// Copies every attached evidence file that holds no deleted number; returns how many were left out. A file
/// that holds one (a list of replies, a spreadsheet of members) holds personal data of someone deleted, and
/// goes whole. A number some remaining row still holds (a customer's key, another record of the same
/// person, a note) is not a deleted number: the keys are looked up, and for what is left, every row that
/// stays is searched ([`live_values`]; evidence rarely mentions a number at all).
fn copy_evidence_not_holding(conn: &Connection, canaries: &Canaries) -> Result<u64> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS doomed_evidence (id INTEGER PRIMARY KEY);
         DELETE FROM temp.doomed_evidence;",
    )?;
    let mut holding: Vec<(i64, HashSet<Vec<u8>>)> = Vec::new();
    if !canaries.is_empty() {
        let mut stmt = conn.prepare("SELECT id, content FROM main.wizard_evidence ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut found = HashSet::new();
            if let rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) =
                r.get_ref(1)?
            {
                canaries.find_in(b, &mut found);
            }
            if !found.is_empty() {
                holding.push((r.get(0)?, found));
            }
        }
    }
    let mut doomed = 0u64;
    if !holding.is_empty() {
        let all: HashSet<Vec<u8>> = holding
            .iter()
            .flat_map(|(_, f)| f.iter().cloned())
            .collect();
        let deleted = not_live(conn, REBUILT, all, &["wizard_evidence"])?;
        for (id, found) in &holding {
            if found.iter().any(|v| deleted.contains(v)) {
                conn.execute("INSERT INTO temp.doomed_evidence (id) VALUES (?1)", [id])?;
                doomed += 1;
            }
        }
    }
    copy_table(
        conn,
        "wizard_evidence",
        "WHERE NOT EXISTS (SELECT 1 FROM temp.doomed_evidence e WHERE e.id = t.id)",
    )?;
    conn.execute_batch("DROP TABLE IF EXISTS temp.doomed_evidence")?;
    Ok(doomed)
}

/// Of the deleted numbers in `found`, those no row of `schema` holds (but rows of the tables in `skip`): the
/// customers' keys are looked up first, and only what they do not explain is searched for in every row
/// ([`live_values`], a pass over the whole case).
fn not_live(
    conn: &Connection,
    schema: &str,
    found: HashSet<Vec<u8>>,
    skip: &[&str],
) -> Result<HashSet<Vec<u8>>> {
    let mut is_key = conn.prepare(&format!(
        "SELECT count(*) > 0 FROM {schema}.customer_keys WHERE kind IN ('mobile', 'id_card') AND value = ?1"
    ))?;
    let mut rest = HashSet::new();
    for v in found {
        // Bound as text: a blob never equals the key's text.
        let text = String::from_utf8_lossy(&v).into_owned();
        if !is_key.query_row([text.as_str()], |r| r.get::<_, bool>(0))? {
            rest.insert(v);
        }
    }
    if rest.is_empty() {
        return Ok(rest);
    }
    let mut unexplained = Canaries::default();
    for v in &rest {
        unexplained.add(&String::from_utf8_lossy(v));
    }
    let live = live_values(conn, schema, &unexplained, skip)?;
    rest.retain(|v| !live.contains(v));
    Ok(rest)
}

/// The canaries that occur in some live row of any table but those in `skip`: inside one value, or across
/// values that sit side by side in the row's record as SQLite stores it (the page check reads bytes, and a
/// mobile followed by a date, `13298137696` + `2024-12-05`, holds `13769602024`; if that is a deleted number
/// it is there because a live row is, and no byte scan can tell it from a leftover). Index entries are records
/// too, with their columns in the index's order.
fn live_values(
    conn: &Connection,
    schema: &str,
    canaries: &Canaries,
    skip: &[&str],
) -> Result<HashSet<Vec<u8>>> {
    let tables: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|t| !skip.contains(&t.as_str()))
        .collect();
    let quote = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let mut found = HashSet::new();
    let mut body = Vec::new();
    for t in tables {
        // The table's own records (every column, in declared order), then each index's.
        let mut layouts = vec!["*".to_string()];
        for index in index_columns(conn, schema, &t)? {
            if index.len() > 1 {
                let cols: Vec<String> = index.iter().map(|c| quote(c)).collect();
                layouts.push(cols.join(", "));
            }
        }
        for (n, columns) in layouts.iter().enumerate() {
            let mut stmt =
                conn.prepare(&format!("SELECT {columns} FROM {schema}.{}", quote(&t)))?;
            let width = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                body.clear();
                for i in 0..width {
                    let value = r.get_ref(i)?;
                    if let (0, rusqlite::types::ValueRef::Integer(x)) = (n, value) {
                        // A number kept as an integer is still the number.
                        canaries.find_in(x.to_string().as_bytes(), &mut found);
                    }
                    append_record_bytes(&mut body, value);
                }
                canaries.find_in(&body, &mut found);
            }
        }
    }
    Ok(found)
}

/// The columns of each index on `table` that are plain columns (an expression or the rowid ends the list:
/// what follows it is not stored next to what precedes it).
fn index_columns(conn: &Connection, schema: &str, table: &str) -> Result<Vec<Vec<String>>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM pragma_index_list(?1, ?2)")?
        .query_map([table, schema], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names {
        let mut columns = Vec::new();
        let mut stmt = conn.prepare("SELECT name FROM pragma_index_info(?1, ?2) ORDER BY seqno")?;
        let mut rows = stmt.query([name.as_str(), schema])?;
        while let Some(r) = rows.next()? {
            match r.get::<_, Option<String>>(0)? {
                Some(c) => columns.push(c),
                None => break,
            }
        }
        out.push(columns);
    }
    Ok(out)
}

/// Appends a value's bytes as a SQLite record body holds them: text and blobs as they are, integers big-endian
/// in the fewest of 1, 2, 3, 4, 6 or 8 bytes (0 and 1 take none), reals as 8 bytes, NULL as nothing.
fn append_record_bytes(body: &mut Vec<u8>, value: rusqlite::types::ValueRef<'_>) {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => {}
        ValueRef::Text(b) | ValueRef::Blob(b) => body.extend_from_slice(b),
        ValueRef::Integer(0 | 1) => {}
        ValueRef::Integer(x) => {
            let width = [1usize, 2, 3, 4, 6]
                .into_iter()
                .find(|w| {
                    let bits = 8 * *w as u32;
                    let lo = -(1i64 << (bits - 1));
                    (lo..-lo).contains(&x)
                })
                .unwrap_or(8);
            body.extend_from_slice(&x.to_be_bytes()[8 - width..]);
        }
        ValueRef::Real(f) => body.extend_from_slice(&f.to_be_bytes()),
    }
}

/// The record column that holds a field's normalised value, if it has one, and its bit in
/// `side.rewritten.cleared` ([`target_tables`]).
fn derived_column(field: FieldType) -> Option<(&'static str, i64)> {
    DERIVED_COLUMNS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map(|(_, c, bit)| (*c, *bit))
}

const DERIVED_COLUMNS: [(FieldType, &str, i64); 5] = [
    (FieldType::Name, "name", 1),
    (FieldType::Mobile, "mobile", 2),
    (FieldType::IdCard, "id_number", 4),
    (FieldType::PrepaidBalance, "balance", 8),
    (FieldType::LastActivity, "last_activity", 16),
];

/// What [`walk_targets`] works out, besides the canaries and the counts per source.
#[derive(Default)]
struct Walked {
    records: u64,
    transferred_copies: u64,
    stripped: u64,
    deidentified: u64,
    deleted_ids_sha256: String,
    per_field: BTreeMap<FieldType, u64>,
    /// Records that go, per customer.
    doomed_of: HashMap<i64, u32>,
}

/// One pass, in record order, over the records that go (`side.doomed`) and those that stay but lose fields
/// (`side.stripped`: transferred records kept until the receipt lose the fields the recipient does not get;
/// `side.deidentified`: every identifier). Each record's page is read once (they are spread over the whole
/// table: a pass each read every page of `records` again). For the records that go: their counts, the hash
/// over their sorted ids, their phone and ID numbers as canaries. For the records that lose fields: what they
/// keep — the cells of the columns mapped to those fields blanked in `raw`, their normalised columns cleared,
/// their bits in `pii_mask` off, the findings of those kinds inside free text overwritten with `*` (the same
/// number of bytes, so other findings keep their offsets) — into `side.rewritten`, which the copy of the
/// records reads; a record that had nothing left to remove is not counted. The customers of all of them are
/// the affected ones (`side.affected`).
fn walk_targets(
    w: &Connection,
    canaries: &mut Canaries,
    by_source: &mut BTreeMap<i64, SourceCount>,
) -> Result<Walked> {
    let mut columns: HashMap<i64, Vec<(usize, FieldType)>> = HashMap::new();
    {
        let mut stmt = w.prepare("SELECT source_id, col_index, field FROM main.source_columns")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (s, c, f): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Some(f) = FieldType::from_id(&f) {
                columns.entry(s).or_default().push((c as usize, f));
            }
        }
    }
    let labels: HashMap<i64, String> = w
        .prepare("SELECT id, label FROM main.sources")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut bump = |source_id: i64, f: &dyn Fn(&mut SourceCount)| {
        let e = by_source.entry(source_id).or_insert_with(|| SourceCount {
            source_id,
            label: labels.get(&source_id).cloned().unwrap_or_default(),
            deleted: 0,
            transferred_copies: 0,
            stripped: 0,
            deidentified: 0,
        });
        f(e);
    };
    let mut out = Walked::default();
    let mut hasher = Sha256::new();
    // The customers are met in record order, not theirs: gathered here and written in order at the end (a
    // b-tree filled in key order is appended to, not searched row by row).
    let mut affected: Vec<i64> = Vec::new();
    let mut doomed_row = w.prepare(&format!(
        "INSERT OR IGNORE INTO {SIDE}.doomed_rows (source_id, row_number) VALUES (?1, ?2)"
    ))?;
    let mut rewritten = w.prepare(&format!(
        "INSERT INTO {SIDE}.rewritten (id, raw, pii_mask, cleared) VALUES (?1, ?2, ?3, ?4)"
    ))?;
    let mut findings = w.prepare(
        "SELECT col_index, kind, start, end FROM main.text_findings WHERE record_id = ?1",
    )?;
    // Kind 0: deleted by the plan; 1: a transferred copy after the receipt; 2: stripped; 3: de-identified.
    let mut stmt = w.prepare(&format!(
        "SELECT u.id, u.kind, u.fields, r.source_id, r.mobile, r.id_number, r.customer_id,
                CASE WHEN u.kind >= 2 THEN r.raw END, r.pii_mask, r.row_number
         FROM (SELECT id, kind, NULL AS fields FROM {SIDE}.doomed
               UNION ALL SELECT id, 2, fields FROM {SIDE}.stripped
               UNION ALL SELECT id, 3, fields FROM {SIDE}.deidentified ORDER BY 1) u
         CROSS JOIN main.records r ON r.id = u.id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, kind, source_id): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(3)?);
        let customer = r.get::<_, Option<i64>>(6)?;
        if let Some(customer) = customer {
            affected.push(customer);
        }
        let mobile = r.get_ref(4)?.as_str_or_null().ok().flatten();
        let id_number = r.get_ref(5)?.as_str_or_null().ok().flatten();
        if kind < 2 {
            if let Some(customer) = customer {
                *out.doomed_of.entry(customer).or_default() += 1;
            }
            hasher.update(format!("{id}\n").as_bytes());
            doomed_row.execute([source_id, r.get::<_, i64>(9)?])?;
            for v in [mobile, id_number].into_iter().flatten() {
                canaries.add(v);
            }
            if kind == 0 {
                out.records += 1;
                bump(source_id, &|e| e.deleted += 1);
            } else {
                out.transferred_copies += 1;
                bump(source_id, &|e| e.transferred_copies += 1);
            }
            continue;
        }
        let fields: Vec<FieldType> = r
            .get::<_, String>(2)?
            .split(',')
            .filter_map(|f| FieldType::from_id(f.trim()))
            .collect();
        if fields.is_empty() {
            continue;
        }
        let raw: String = r.get(7)?;
        let old_mask: i64 = r.get(8)?;
        let mut cells: Vec<String> = serde_json::from_str(&raw).unwrap_or_default();
        let kinds: Vec<&str> = fields.iter().map(|f| f.id()).collect();
        // Findings inside free text, overwritten in place.
        let found: Vec<(usize, String, usize, usize)> = findings
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)? as usize,
                    r.get(1)?,
                    r.get::<_, i64>(2)? as usize,
                    r.get::<_, i64>(3)? as usize,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (col, kind, start, end) in found {
            if !kinds.contains(&kind.as_str()) {
                continue;
            }
            if let Some(cell) = cells.get_mut(col) {
                if start < end
                    && end <= cell.len()
                    && cell.is_char_boundary(start)
                    && cell.is_char_boundary(end)
                {
                    let digits: String = cell[start..end]
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
                        .collect();
                    canaries.add(&digits);
                    cell.replace_range(start..end, &"*".repeat(end - start));
                }
            }
        }
        for &(col, field) in columns.get(&source_id).map(Vec::as_slice).unwrap_or(&[]) {
            if fields.contains(&field) {
                if let Some(cell) = cells.get_mut(col) {
                    if matches!(field, FieldType::Mobile | FieldType::IdCard) {
                        let digits: String = cell
                            .chars()
                            .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
                            .collect();
                        canaries.add(&digits);
                    }
                    cell.clear();
                }
            }
        }
        let mut mask = old_mask;
        let mut cleared = 0i64;
        for f in &fields {
            mask &= !i64::from(f.bit());
            if let Some((_, bit)) = derived_column(*f) {
                match f {
                    FieldType::Mobile => mobile.into_iter().for_each(|v| canaries.add(v)),
                    FieldType::IdCard => id_number.into_iter().for_each(|v| canaries.add(v)),
                    _ => {}
                }
                cleared |= bit;
            }
        }
        let new_raw = serde_json::to_string(&cells)?;
        if new_raw == raw && mask == old_mask {
            // Nothing was left to remove (an earlier destruction did it): not counted again.
            continue;
        }
        rewritten.execute(params![id, new_raw, mask, cleared])?;
        for f in &fields {
            *out.per_field.entry(*f).or_default() += 1;
        }
        if kind == 2 {
            out.stripped += 1;
            bump(source_id, &|e| e.stripped += 1);
        } else {
            out.deidentified += 1;
            bump(source_id, &|e| e.deidentified += 1);
        }
    }
    out.deleted_ids_sha256 = hex::encode(hasher.finalize());
    affected.sort_unstable();
    affected.dedup();
    let mut insert = w.prepare(&format!("INSERT INTO {SIDE}.affected (id) VALUES (?1)"))?;
    for customer in affected {
        insert.execute([customer])?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table that refers to records or customers and is copied whole would keep rows pointing at deleted
    /// ones (the copy runs without reference checks): each must be filtered.
    #[test]
    fn every_table_referring_to_records_or_customers_is_filtered() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrations()
            .to_latest(&mut conn)
            .unwrap();
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut referring = Vec::new();
        for t in &tables {
            let parents: Vec<String> = conn
                .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")
                .unwrap()
                .query_map([t], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            if parents.iter().any(|p| p == "records" || p == "customers") {
                referring.push(t.clone());
                assert!(FILTERED.contains(&t.as_str()), "{t} refers to {parents:?}");
            }
        }
        // The test sees the references it is about.
        for t in [
            "plan",
            "text_findings",
            "customer_keys",
            "notice_delivery",
            "records",
        ] {
            assert!(referring.iter().any(|r| r == t), "{t}: {referring:?}");
        }
    }

    /// The bench's finding: a live row whose mobile and last activity sit side by side held a deleted number
    /// across the two, and the page check called the destruction failed.
    #[test]
    fn a_value_across_two_live_cells_is_live() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE records (id INTEGER PRIMARY KEY, mobile TEXT, flag INTEGER, balance TEXT,
                                   last_activity TEXT, n INTEGER, note TEXT);
             CREATE INDEX by_note_mobile ON records (note, mobile);
             INSERT INTO records VALUES (1, '13298137696', 0, '0', '2024-12-05', NULL, 'a');
             INSERT INTO records VALUES (2, '13900000000', 300, '', '8', 5, '1380000');
             INSERT INTO records VALUES (3, 'x', 1, '', 'y', 17700001234, 'z');",
        )
        .unwrap();
        let mut canaries = Canaries::default();
        for v in [
            "13769602024", // mobile, balance and date, across a 0 that takes no bytes
            "13800001390", // the index's note + mobile
            "17700001234", // a number kept as an integer
            "15000000000", // nowhere
        ] {
            canaries.add(v);
        }
        let live = live_values(&conn, "main", &canaries, &[]).unwrap();
        let mut live: Vec<String> = live
            .into_iter()
            .map(|v| String::from_utf8(v).unwrap())
            .collect();
        live.sort();
        assert_eq!(live, ["13769602024", "13800001390", "17700001234"]);
        let mut body = Vec::new();
        append_record_bytes(&mut body, rusqlite::types::ValueRef::Integer(300));
        append_record_bytes(&mut body, rusqlite::types::ValueRef::Integer(-129));
        append_record_bytes(&mut body, rusqlite::types::ValueRef::Integer(1 << 40));
        assert_eq!(body, [0x01, 0x2c, 0xff, 0x7f, 0x01, 0, 0, 0, 0, 0]);
    }
}
