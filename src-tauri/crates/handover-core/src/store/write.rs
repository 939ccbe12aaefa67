//! The one way a change reaches a case, and the one way a read does.
//!
//! Every change the owner makes goes through `Case::write`: it refuses while an import waits for the
//! owner's decision, opens a transaction, takes one timestamp for the whole change ([`Writer::now`]), hands
//! the closure a [`Writer`] (the transaction, plus [`Writer::audit`] for the change's audit entries), and
//! commits when the closure returns `Ok` — or rolls everything back, audit entries included, when it returns
//! `Err` (or panics). So a change and its audit entry land together or not at all, and no module repeats
//! "guard → transaction → change → audit → commit" by hand.
//!
//! ```ignore
//! case.write(actor, |w| {
//!     w.execute("UPDATE … SET … , updated_at = ?1", [w.now()])?;
//!     w.audit("thing.update", json!({ "from": old, "to": new }))?;
//!     Ok(new)
//! })
//! ```
//!
//! Reads go through `Case::read`, which hands the closure the connection with SQLite's `query_only` set:
//! a read that tries to write fails instead of slipping a change past the audit log.
//!
//! The import is the one change that does not fit a closure: its transaction stays open across calls while
//! the owner reviews the problems it found, and is committed or discarded later (`Case::begin_import`,
//! `commit_import`, `discard_import`). It still writes its timestamp and its audit entry through a
//! [`Writer`], taken from `Case::import_writer` while that transaction is open.

use std::cell::RefCell;
use std::ops::Deref;

use rusqlite::Connection;

use crate::audit::{self, Actor, AuditEntry};
use crate::clock;
use crate::error::Result;

/// A change in progress: the open transaction (it derefs to the [`Connection`], so the module making the
/// change runs its own SQL on it), who makes the change, and the change's one timestamp.
#[derive(Debug)]
pub struct Writer<'c> {
    conn: &'c Connection,
    actor: &'c Actor,
    now: String,
    /// The audit actions of this change, so the kept figures it cannot have changed may stay.
    actions: RefCell<Vec<String>>,
}

impl<'c> Writer<'c> {
    /// Only the store makes writers: over a transaction [`write_on`] opened, or over the import's open one.
    pub(super) fn new(conn: &'c Connection, actor: &'c Actor) -> Writer<'c> {
        Writer {
            conn,
            actor,
            now: clock::now(),
            actions: RefCell::new(Vec::new()),
        }
    }

    /// The timestamp of this change (RFC 3339, UTC, milliseconds): every row it stamps and every audit
    /// entry it writes carries the same one.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// Who makes the change.
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    /// Appends an audit entry for this change, in its transaction: `action` is the dotted action name
    /// (`case.details.update`), `detail` a JSON object saying what changed — never a customer's data.
    pub fn audit(&self, action: &str, detail: serde_json::Value) -> Result<AuditEntry> {
        self.actions.borrow_mut().push(action.to_string());
        audit::append(self.conn, self.actor, &self.now, action, &detail)
    }

    /// Whether every audit action of this change leaves the records' data as it was (see
    /// [`LEAVES_RECORDS`]); a change without an audit entry is not known to.
    fn leaves_records(&self) -> bool {
        let actions = self.actions.borrow();
        !actions.is_empty()
            && actions.iter().all(|a| {
                LEAVES_RECORDS.iter().any(|p| {
                    a.strip_prefix(p)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                })
            })
    }
}

/// The kind of the kept overview of the records (`classification::case_summary`). It reads only the
/// records, the customers, the findings in free text and the columns' classification (`records`,
/// `customers`, `text_findings`, `source_pii`, `source_columns`), and is kept under the day ages are counted
/// on: a change that touches none of them leaves it right, and the next opening does not count a million
/// records again after the owner ticked a checklist item.
pub(crate) const OVERVIEW_KIND: &str = "overview";

/// The kind of the overview's per-customer tally (`records::tally`): it reads the same as the overview and is
/// kept across the same changes; an import adds its records to it in its own transaction.
pub(crate) const TALLY_KIND: &str = "overview-tally";

/// Audit actions (and families of them, before a dot) whose changes never write the records, customers,
/// findings or column classifications. Only these keep the overview; any other change — an import, a
/// correction of a column, a destruction, a restore, and any action added later and not listed here —
/// drops every kept figure.
const LEAVES_RECORDS: &[&str] = &[
    "audit.break.acknowledged",
    "backup.create",
    "case.details.update",
    "case.facts.update",
    "checklist",
    "destruction.paper",
    "document",
    "minimisation",
    "notices",
    "package.export",
    "returns",
    "rules",
    "transfer.receipt",
    "wizard",
];

impl Deref for Writer<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

/// Runs one change on `conn`: transaction, one timestamp, audit entries, commit on `Ok`, rollback on `Err`.
/// Shared by `Case::write` and by `Case::create`, which writes before a `Case` exists.
pub(super) fn write_on<T>(
    conn: &Connection,
    actor: &Actor,
    f: impl FnOnce(&Writer<'_>) -> Result<T>,
) -> Result<T> {
    write_on_keeping(conn, actor, false, f)
}

/// [`write_on`]; with `keep_derived`, the kept figures stay (for a change no derived figure reads).
pub(super) fn write_on_keeping<T>(
    conn: &Connection,
    actor: &Actor,
    keep_derived: bool,
    f: impl FnOnce(&Writer<'_>) -> Result<T>,
) -> Result<T> {
    // `unchecked_transaction` because the connection is borrowed shared; it is never shared between threads
    // (a `Connection` is not `Sync`), and a second transaction opened inside this one is refused by SQLite.
    let tx = conn.unchecked_transaction()?;
    let writer = Writer::new(&tx, actor);
    let out = f(&writer)?;
    // Any change may change what derived figures say; they are worked out again when next asked for — but
    // the overview of the records, when the change left the records alone.
    if !keep_derived {
        if writer.leaves_records() {
            tx.execute(
                "DELETE FROM derived_cache WHERE kind NOT IN (?1, ?2)",
                [OVERVIEW_KIND, TALLY_KIND],
            )?;
        } else {
            tx.execute("DELETE FROM derived_cache", [])?;
        }
    }
    drop(writer);
    tx.commit()?;
    Ok(out)
}
