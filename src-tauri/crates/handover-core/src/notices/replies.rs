//! What customers answered to the notices, recorded by hand or from a file (the SMS platform's result file,
//! or a filled reply sheet with phone and status columns), read by the same reader as customer lists
//! (`crate::import`: any encoding, CSV/TXT/XLSX/XLS/ODS).
//!
//! Delivery (sent / failed) is the notices' own record (`notice_delivery`). The answers that change what
//! happens to a customer's records — objected, consented, refused, asked for deletion — are stored where the
//! rulebook reads them (`customer_status`, through `rules::status::record_status`), and the plan re-decides
//! those customers at once. A hand change is one audit entry; an imported file is one audit entry with its
//! counts and its SHA-256, in the same transaction as every change it makes (the file lands whole or not).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::error::NoticeError;
use crate::detect;
use crate::import::{self, RawRow, ReadOptions};
use crate::rules::book::Rulebook;
use crate::rules::status::{record_status, StatusChange};
use crate::rules::Answer;
use crate::store::{Actor, Case, Writer};
use crate::{Error, Result};

const REPLIES_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/documents/notices/replies.toml"
));

/// One customer's reply, or the delivery result of the notice sent to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    /// The notice reached the customer.
    Sent,
    /// The notice could not be delivered (a wrong or dead number): the customer must be told another way.
    Failed,
    /// The customer objects to the transfer (PIPL Art. 44).
    Objected,
    /// The customer gave separate consent (also to the takeover of a balance).
    Consented,
    /// The customer said no to the transfer.
    Refused,
    /// The customer asked for their information to be deleted (Art. 47).
    Deletion,
}

impl ReplyStatus {
    pub const ALL: [ReplyStatus; 6] = [
        ReplyStatus::Sent,
        ReplyStatus::Failed,
        ReplyStatus::Objected,
        ReplyStatus::Consented,
        ReplyStatus::Refused,
        ReplyStatus::Deletion,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ReplyStatus::Sent => "sent",
            ReplyStatus::Failed => "failed",
            ReplyStatus::Objected => "objected",
            ReplyStatus::Consented => "consented",
            ReplyStatus::Refused => "refused",
            ReplyStatus::Deletion => "deletion",
        }
    }

    pub fn from_id(id: &str) -> Option<ReplyStatus> {
        ReplyStatus::ALL.into_iter().find(|s| s.id() == id)
    }

    /// What the rulebook reads from this reply (`None` for delivery results).
    fn status_change(self) -> Option<StatusChange> {
        let mut c = StatusChange::default();
        match self {
            ReplyStatus::Sent | ReplyStatus::Failed => return None,
            ReplyStatus::Objected => c.objection = Some(true),
            ReplyStatus::Consented => c.consent = Some(Answer::Yes),
            ReplyStatus::Refused => c.consent = Some(Answer::No),
            ReplyStatus::Deletion => c.deletion_request = Some(true),
        }
        Some(c)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vocabulary {
    columns: Columns,
    statuses: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    phone: Vec<String>,
    customer: Vec<String>,
    status: Vec<String>,
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let v: Vocabulary =
            toml::from_str(REPLIES_TOML).expect("replies.toml is checked by its test");
        v
    })
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The status a cell of a reply file means (exact word, ignoring case and spaces), if any.
pub fn parse_status(cell: &str) -> Option<ReplyStatus> {
    let c = fold(cell);
    if c.is_empty() {
        return None;
    }
    if let Some(s) = ReplyStatus::from_id(&c) {
        return Some(s);
    }
    vocabulary().statuses.iter().find_map(|(id, words)| {
        words
            .iter()
            .any(|w| fold(w) == c)
            .then(|| ReplyStatus::from_id(id))
            .flatten()
    })
}

/// A reply the owner records by hand: the customer by number or mobile, and the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyEntry {
    /// A customer number, or a mobile number written any way people write it.
    pub who: String,
    pub status: ReplyStatus,
}

/// The customer a reply names: a mobile number (through `customer_keys`) or a customer number.
fn find_customer(conn: &Connection, who: &str) -> Result<Option<i64>> {
    let who = who.trim();
    if let Some(m) = detect::mobile::normalize(who) {
        let id = conn
            .query_row(
                "SELECT customer_id FROM customer_keys WHERE kind = 'mobile' AND value = ?1",
                [m],
                |r| r.get(0),
            )
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    if let Ok(n) = who.parse::<i64>() {
        return Ok(conn
            .query_row("SELECT id FROM customers WHERE id = ?1", [n], |r| r.get(0))
            .optional()?);
    }
    Ok(None)
}

/// Applies one reply inside a transaction; returns the changes (for the audit) or `None` when it changed
/// nothing.
fn apply(
    w: &Writer<'_>,
    customer_id: i64,
    status: ReplyStatus,
) -> Result<Option<serde_json::Value>> {
    match status.status_change() {
        Some(change) => {
            let changes = record_status(w, customer_id, &change)?;
            Ok((!changes.is_empty()).then(|| serde_json::json!(changes)))
        }
        None => {
            let old: Option<String> = w
                .query_row(
                    "SELECT status FROM notice_delivery WHERE customer_id = ?1",
                    [customer_id],
                    |r| r.get(0),
                )
                .optional()?;
            if old.as_deref() == Some(status.id()) {
                return Ok(None);
            }
            w.execute(
                "INSERT INTO notice_delivery (customer_id, status, actor, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, actor = excluded.actor,
                     at = excluded.at",
                params![customer_id, status.id(), w.actor().0, w.now()],
            )?;
            Ok(Some(
                serde_json::json!([{ "status": "delivery", "from": old, "to": status.id() }]),
            ))
        }
    }
}

/// Records replies given by hand. Each is one audit entry (`notices.reply`, with the customer's number and
/// the changes, no personal data); the plan of the customers is re-decided. Unknown customers refuse the
/// whole call.
pub fn record_replies(
    case: &Case,
    book: &Rulebook,
    entries: &[ReplyEntry],
    actor: &Actor,
) -> Result<ReplyCounts> {
    case.write(actor, |w| {
        let mut counts = ReplyCounts::default();
        let mut changed = Vec::new();
        for e in entries {
            let Some(id) = find_customer(w, &e.who)? else {
                return Err(crate::rules::status::RulesError::NoCustomerWithPhone.into());
            };
            counts.rows += 1;
            counts.add(e.status);
            match apply(w, id, e.status)? {
                Some(changes) => {
                    w.audit(
                        "notices.reply",
                        serde_json::json!({ "customer_id": id, "reply": e.status.id(), "changes": changes }),
                    )?;
                    counts.changed += 1;
                    changed.push(id);
                }
                None => counts.unchanged += 1,
            }
        }
        crate::rules::plan::refresh_customers(w, book, &changed)?;
        Ok(counts)
    })
}

/// How many replies of each kind a file or call held, and what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyCounts {
    /// Data rows read.
    pub rows: u64,
    pub sent: u64,
    pub failed: u64,
    pub objected: u64,
    pub consented: u64,
    pub refused: u64,
    pub deletion: u64,
    /// Replies that changed a customer's record.
    pub changed: u64,
    /// Replies that repeated what was already recorded.
    pub unchanged: u64,
    /// Rows whose phone or customer number matches no customer.
    pub unknown_customer: u64,
    /// Rows whose status cell is empty or means nothing known.
    pub unknown_status: u64,
}

impl ReplyCounts {
    fn add(&mut self, s: ReplyStatus) {
        *match s {
            ReplyStatus::Sent => &mut self.sent,
            ReplyStatus::Failed => &mut self.failed,
            ReplyStatus::Objected => &mut self.objected,
            ReplyStatus::Consented => &mut self.consented,
            ReplyStatus::Refused => &mut self.refused,
            ReplyStatus::Deletion => &mut self.deletion,
        } += 1;
    }
}

/// What an imported reply file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyImport {
    pub file: String,
    pub sha256: String,
    pub phone_column: Option<String>,
    pub customer_column: Option<String>,
    pub status_column: String,
    pub counts: ReplyCounts,
    /// The first rows that could not be used (row number as the owner sees it), at most 50.
    pub skipped_rows: Vec<u64>,
}

fn find_column(headers: &[String], words: &[String]) -> Option<usize> {
    // The first word that matches any header wins, so the more specific words listed first decide.
    words.iter().find_map(|w| {
        let w = fold(w);
        headers.iter().position(|h| fold(h).contains(&w))
    })
}

/// Imports a reply file: every row with a known customer and a known status is applied, in one transaction
/// with one audit entry (`notices.replies.import`: file name, SHA-256, counts). Rows naming no customer or
/// no known status are counted and listed, not fatal; a file without the columns is refused.
pub fn import_replies(
    case: &Case,
    book: &Rulebook,
    path: &Path,
    actor: &Actor,
) -> Result<ReplyImport> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let file = path.display().to_string();
    let mut reader =
        import::open(path, &ReadOptions::default()).map_err(|reason| Error::Import {
            file: file.clone(),
            code: reason.code(),
            reason,
        })?;
    let headers = reader.headers().to_vec();
    let v = vocabulary();
    let status_col = find_column(&headers, &v.columns.status);
    let phone_col = find_column(&headers, &v.columns.phone).filter(|c| Some(*c) != status_col);
    let customer_col = find_column(&headers, &v.columns.customer)
        .filter(|c| Some(*c) != status_col && Some(*c) != phone_col);
    let (Some(status_col), true) = (status_col, phone_col.is_some() || customer_col.is_some())
    else {
        return Err(NoticeError::ReplyColumnsMissing { headers }.into());
    };
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    let mut raw = RawRow::default();
    while reader.read_row(&mut raw).map_err(|reason| Error::Import {
        file: file.clone(),
        code: reason.code(),
        reason,
    })? {
        if !raw.is_rejected() {
            rows.push((raw.row_number, std::mem::take(&mut raw.cells)));
        }
    }
    case.write(actor, |w| {
        let mut counts = ReplyCounts::default();
        let mut skipped = Vec::new();
        let mut changed = Vec::new();
        let cell = |cells: &[String], c: Option<usize>| {
            c.and_then(|c| cells.get(c)).cloned().unwrap_or_default()
        };
        for (row, cells) in &rows {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            counts.rows += 1;
            let Some(status) = parse_status(&cell(cells, Some(status_col))) else {
                counts.unknown_status += 1;
                if skipped.len() < 50 {
                    skipped.push(*row);
                }
                continue;
            };
            let mut id = find_customer(w, &cell(cells, phone_col))?;
            if id.is_none() && customer_col.is_some() {
                id = find_customer(w, &cell(cells, customer_col))?;
            }
            let Some(id) = id else {
                counts.unknown_customer += 1;
                if skipped.len() < 50 {
                    skipped.push(*row);
                }
                continue;
            };
            counts.add(status);
            if apply(w, id, status)?.is_some() {
                counts.changed += 1;
                changed.push(id);
            } else {
                counts.unchanged += 1;
            }
        }
        changed.sort_unstable();
        changed.dedup();
        crate::rules::plan::refresh_customers(w, book, &changed)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        w.audit(
            "notices.replies.import",
            serde_json::json!({ "file": name, "sha256": sha256, "counts": counts, "customers_changed": changed.len() }),
        )?;
        Ok(ReplyImport {
            file: file.clone(),
            sha256: sha256.clone(),
            phone_column: phone_col.map(|c| headers[c].clone()),
            customer_column: customer_col.map(|c| headers[c].clone()),
            status_column: headers[status_col].clone(),
            counts,
            skipped_rows: skipped,
        })
    })
}

/// The customers' answers recorded so far (from replies or set one by one), and the notices' delivery results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecordedAnswers {
    pub consented: u64,
    pub refused: u64,
    pub guardian_consented: u64,
    pub guardian_refused: u64,
    pub objected: u64,
    pub deletion: u64,
    pub sent: u64,
    pub failed: u64,
}

impl RecordedAnswers {
    /// Customers' answers of any kind (a customer with two answers counts twice).
    pub fn answers(&self) -> u64 {
        self.consented
            + self.refused
            + self.guardian_consented
            + self.guardian_refused
            + self.objected
            + self.deletion
    }
}

pub fn recorded_answers(conn: &Connection) -> Result<RecordedAnswers> {
    let (sent, failed) = delivery_counts(conn)?;
    Ok(conn.query_row(
        "SELECT coalesce(sum(consent = 'yes'), 0), coalesce(sum(consent = 'no'), 0),
                coalesce(sum(guardian_consent = 'yes'), 0), coalesce(sum(guardian_consent = 'no'), 0),
                coalesce(sum(objection), 0), coalesce(sum(deletion_request), 0)
         FROM customer_status",
        [],
        |r| {
            let n = |i| r.get::<_, i64>(i).map(|v| v as u64);
            Ok(RecordedAnswers {
                consented: n(0)?,
                refused: n(1)?,
                guardian_consented: n(2)?,
                guardian_refused: n(3)?,
                objected: n(4)?,
                deletion: n(5)?,
                sent,
                failed,
            })
        },
    )?)
}

/// The delivery results recorded so far: (sent, failed).
pub fn delivery_counts(conn: &Connection) -> Result<(u64, u64)> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(status = 'sent'), 0), coalesce(sum(status = 'failed'), 0) FROM notice_delivery",
        [],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_reads_and_names_known_statuses() {
        let v = vocabulary();
        for id in v.statuses.keys() {
            assert!(ReplyStatus::from_id(id).is_some(), "{id}");
        }
        for s in ReplyStatus::ALL {
            assert!(v.statuses.contains_key(s.id()), "{s:?} has no words");
        }
        assert_eq!(parse_status(" 同意 "), Some(ReplyStatus::Consented));
        assert_eq!(parse_status("不同意"), Some(ReplyStatus::Refused));
        assert_eq!(parse_status("Y"), Some(ReplyStatus::Consented));
        assert_eq!(parse_status("DELIVRD"), Some(ReplyStatus::Sent));
        assert_eq!(parse_status("反对"), Some(ReplyStatus::Objected));
        assert_eq!(parse_status("要求删除"), Some(ReplyStatus::Deletion));
        assert_eq!(parse_status("objected"), Some(ReplyStatus::Objected));
        assert_eq!(parse_status("maybe"), None);
        assert_eq!(parse_status(""), None);
        // No word means two statuses.
        let mut seen = std::collections::HashMap::new();
        for (id, words) in &v.statuses {
            for w in words {
                if let Some(other) = seen.insert(fold(w), id.clone()) {
                    panic!("{w} means both {other} and {id}");
                }
            }
        }
    }
}
