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
}

impl<'c> Writer<'c> {
    /// Only the store makes writers: over a transaction [`write_on`] opened, or over the import's open one.
    pub(super) fn new(conn: &'c Connection, actor: &'c Actor) -> Writer<'c> {
        Writer {
            conn,
            actor,
            now: clock::now(),
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
        audit::append(self.conn, self.actor, &self.now, action, &detail)
    }
}

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
    // Any change may change what derived figures say; they are worked out again when next asked for.
    if !keep_derived {
        tx.execute("DELETE FROM derived_cache", [])?;
    }
    let out = f(&Writer::new(&tx, actor))?;
    tx.commit()?;
    Ok(out)
}
