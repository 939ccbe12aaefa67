//! The package's manifest: what the seller's app says is inside, which the recipient's app checks every part
//! against before trusting anything. Plain data (JSON in the package as `manifest.json`), written by the
//! package crate from what [`super::export`] hands it, read back by [`super::receive`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The `format` of every package's manifest.
pub const FORMAT: &str = "handover-package";
/// The manifest format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's name inside the package.
pub const MANIFEST_NAME: &str = "manifest.json";

/// One side of the handover, as the seller's case names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Party {
    pub name: String,
    pub contact: String,
}

/// One part of the package: a plain file name (no folders), its size in bytes, its rows (lines of a JSON
/// Lines part; 1 for an evidence part) and the SHA-256 of its bytes (lowercase hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartEntry {
    pub name: String,
    pub size: u64,
    pub rows: u64,
    pub sha256: String,
}

/// What kind of rows a part holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Sources,
    Customers,
    Records,
    Evidence,
}

impl PartKind {
    pub fn of(name: &str) -> Option<PartKind> {
        if name == "sources.jsonl" {
            Some(PartKind::Sources)
        } else if name.starts_with("customers-") && name.ends_with(".jsonl") {
            Some(PartKind::Customers)
        } else if name.starts_with("records-") && name.ends_with(".jsonl") {
            Some(PartKind::Records)
        } else if name.starts_with("evidence-") {
            Some(PartKind::Evidence)
        } else {
            None
        }
    }
}

/// An attached file the recipient needs (the signed agreement), carried whole as an `evidence-N` part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EvidenceEntry {
    pub part: String,
    /// The checklist item it was attached to in the seller's case (`agreement…`).
    pub item_id: String,
    pub file_name: String,
}

/// A rule that decided (or helped decide) the transfer of some records, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RuleApplied {
    pub rule: String,
    pub records: u64,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub seller_case_id: String,
    pub seller: Party,
    pub recipient: Party,
    /// `courier-station` | `shop` | `company`, and the reason of the handover, as in the seller's case.
    pub kind: String,
    pub reason: String,
    pub created_at: String,
    pub handover_date: Option<String>,
    /// Records per outcome in the seller's whole plan (every outcome, so the recipient sees what was not sent).
    pub outcomes: BTreeMap<String, u64>,
    /// Transferred records per source kind (`customer-list`, `courier-platform`, …: the category of data).
    pub categories: BTreeMap<String, u64>,
    /// What was sent.
    pub customers: u64,
    pub records: u64,
    /// Sum of the positive prepaid balances sent (exact decimal, two places at least).
    pub prepaid_total: String,
    /// The field types the recipient receives (the minimisation choice); every other field is absent.
    pub fields: Vec<String>,
    /// The rules behind the transfers, most records first.
    pub rules: Vec<RuleApplied>,
    pub rulebook_sha256: String,
    pub evidence: Vec<EvidenceEntry>,
    /// Every part, in the order they appear in the package.
    pub parts: Vec<PartEntry>,
    /// The seller's audit log as the package was made (before the export's own entry), so the recipient
    /// holds what a later rewrite of that log would contradict. Absent in packages of earlier versions.
    #[serde(default)]
    pub seller_audit: Option<AuditAnchor>,
}

/// An audit log's length and the hash of its last entry at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditAnchor {
    pub entries: u64,
    pub head_hash: String,
}

/// One line of `sources.jsonl`: the columns the recipient receives (kept fields only; a record's `cells`
/// follow this order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    pub index: u32,
    pub label: String,
    pub file_name: Option<String>,
    pub columns: Vec<ColumnLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnLine {
    pub header: String,
    pub field: String,
}

/// One line of a `customers-N.jsonl` part: the seller's customer id (to link records) and what the customer
/// said and was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerLine {
    pub id: i64,
    pub consent: String,
    pub guardian_consent: String,
    pub objection: bool,
    pub deletion_request: bool,
    pub refunded: bool,
    /// Whether and how the customer was told of the handover (the notices step fills it on the seller's side;
    /// `None` while the seller's app recorded nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// One line of a `records-N.jsonl` part. A field the minimisation stripped is absent: its cell is not in
/// `cells`, and its normalised value (`name`, `mobile`, …) is not written at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub id: i64,
    pub source: u32,
    pub row: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<i64>,
    /// The kept cells, in the order of the source's `columns` (`null` where the row had no such cell).
    pub cells: Vec<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_activity: Option<String>,
}
