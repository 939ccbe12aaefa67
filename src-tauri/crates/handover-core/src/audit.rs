//! The append-only audit log: every change to a case, with who made it and when.
//!
//! Entries are hash-chained: each entry's hash covers its own fields and the previous entry's hash, and
//! the first entry links to a hash of the case id. `audit_head` says where the chain must end. Editing,
//! removing or reordering an entry (even with a raw SQL tool and the right key) is found by [`verify`].
//! Triggers refuse UPDATE and DELETE on the log, so the app itself cannot rewrite history by mistake.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::Result;

/// Who made a change, as written into the audit log: the interface and the operating-system user
/// (`app:owner`), and, when known, the person working the case (经办人) in front of them:
/// `张三 (app:owner)`. Documents name the person; the log keeps both, so an entry says who did it and on
/// which account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    /// `interface` is `app` or `cli`; the user comes from the environment (no customer data).
    pub fn current(interface: &str) -> Actor {
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".into());
        Actor(format!("{interface}:{user}"))
    }

    /// This account with the person working it: `张三 (app:owner)`. A blank person leaves the actor as
    /// it is. Control characters, bidi overrides and the separator's brackets are not part of a name.
    pub fn with_person(self, person: &str) -> Actor {
        let person: String = person
            .chars()
            .filter(|c| {
                !c.is_control()
                    && !matches!(c, '(' | ')' | '（' | '）' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        let person = person.trim();
        if person.is_empty() || self.person().is_some() {
            return self;
        }
        Actor(format!("{person} ({})", self.0))
    }

    /// The person named beside the account, if any.
    pub fn person(&self) -> Option<&str> {
        let (person, account) = self.0.rsplit_once(" (")?;
        let account = account.strip_suffix(')')?;
        (account.starts_with("app:") || account.starts_with("cli:")).then_some(person)
    }

    /// The operating-system account (`app:owner`), without the person.
    pub fn account(&self) -> &str {
        match self.0.rsplit_once(" (") {
            Some((_, a)) if self.person().is_some() => a.strip_suffix(')').unwrap_or(a),
            _ => &self.0,
        }
    }

    /// The name a document prints as its operator (经办人): the person working the case, else the
    /// responsible person the case details name, else the account (never empty).
    pub fn operator_name(&self, responsible_person: &str) -> String {
        match self.person() {
            Some(p) => p.to_string(),
            None if !responsible_person.trim().is_empty() => responsible_person.trim().to_string(),
            None => self.0.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    /// Dotted action name, e.g. `case.create`, `case.details.update`.
    pub action: String,
    /// JSON object with what changed.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditBreak {
    /// The entry's contents no longer match its hash.
    Altered,
    /// The entry before it is missing or was changed: its link does not match.
    BrokenLink,
    /// Sequence numbers jump: one or more entries were removed.
    Missing,
    /// The newest entries were removed: the log ends before its recorded head.
    Truncated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditProblem {
    /// The first entry that fails (for `Truncated`, the first entry that should exist but doesn't).
    #[ts(type = "number")]
    pub seq: i64,
    pub kind: AuditBreak,
    pub at: Option<String>,
    pub action: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditReport {
    pub ok: bool,
    #[ts(type = "number")]
    pub entries: u64,
    pub first_problem: Option<AuditProblem>,
    /// One sentence for people, in the requested language.
    // Filled by the edge (`crate::i18n::Localize`); empty from `verify`.
    pub message: String,
}

/// The link of the first entry: binds the chain to this case, so entries cannot be moved between cases.
fn genesis(conn: &Connection, schema: &str) -> Result<String> {
    let case_id: String = conn.query_row(
        &format!("SELECT case_id FROM {schema}.case_meta WHERE id = 1"),
        [],
        |r| r.get(0),
    )?;
    Ok(hex::encode(Sha256::digest(format!(
        "handover-audit-v1:{case_id}"
    ))))
}

/// The hash of an entry. Its fields are serialised as a JSON array, which is unambiguous (no field can
/// run into the next).
fn entry_hash(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::json!([seq, at, actor, action, detail, prev_hash]).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends an entry stamped `at`. Only the write path calls it (`Writer::audit` in `store::write`), inside
/// the transaction that makes the change, so both land or neither does.
pub(crate) fn append(
    conn: &Connection,
    actor: &Actor,
    at: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<AuditEntry> {
    append_in(conn, "main", actor, at, action, detail)
}

/// [`append`] to the log of the database attached as `schema` (a destruction's rebuilt case file, whose log
/// continues the case's: see `store::rebuild`).
pub(crate) fn append_in(
    conn: &Connection,
    schema: &str,
    actor: &Actor,
    at: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<AuditEntry> {
    let head: Option<(i64, String)> = conn
        .query_row(
            &format!("SELECT seq, hash FROM {schema}.audit_head WHERE id = 1"),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, genesis(conn, schema)?),
    };
    let at = at.to_string();
    let detail = detail.to_string();
    let hash = entry_hash(seq, &at, &actor.0, action, &detail, &prev_hash);
    conn.execute(
        &format!(
            "INSERT INTO {schema}.audit_log (seq, at, actor, action, detail, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![seq, at, actor.0, action, detail, prev_hash, hash],
    )?;
    conn.execute(
        &format!(
            "INSERT INTO {schema}.audit_head (id, seq, hash) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash"
        ),
        params![seq, hash],
    )?;
    Ok(AuditEntry {
        seq,
        at,
        actor: actor.0.clone(),
        action: action.to_string(),
        detail,
        prev_hash,
        hash,
    })
}

pub fn entries(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The hash of the last entry (`None` for an empty log): what paper carries so that a later rewrite of the
/// log shows.
pub fn head_hash(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Walks the whole chain and reports the first entry that breaks it.
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let all = entries(conn)?;
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let mut expected_prev = genesis(conn, "main")?;
    let problem = |seq: i64, kind: AuditBreak, e: Option<&AuditEntry>| AuditProblem {
        seq,
        kind,
        at: e.map(|e| e.at.clone()),
        action: e.map(|e| e.action.clone()),
    };
    let mut first_problem = None;
    for (expected_seq, e) in (1..).zip(all.iter()) {
        if e.seq != expected_seq {
            first_problem = Some(problem(expected_seq, AuditBreak::Missing, None));
            break;
        }
        if e.hash != entry_hash(e.seq, &e.at, &e.actor, &e.action, &e.detail, &e.prev_hash) {
            first_problem = Some(problem(e.seq, AuditBreak::Altered, Some(e)));
            break;
        }
        if e.prev_hash != expected_prev {
            first_problem = Some(problem(e.seq, AuditBreak::BrokenLink, Some(e)));
            break;
        }
        expected_prev = e.hash.clone();
    }
    if first_problem.is_none() {
        let last = all.last().map(|e| (e.seq, e.hash.as_str()));
        match (&head, last) {
            (Some((hs, hh)), Some((ls, lh))) if *hs == ls && hh == lh => {}
            (None, None) => {}
            (Some((hs, _)), Some((ls, _))) if *hs > ls => {
                first_problem = Some(problem(ls + 1, AuditBreak::Truncated, None))
            }
            (Some(_), None) => first_problem = Some(problem(1, AuditBreak::Truncated, None)),
            // The head does not match the last entry: that entry was replaced wholesale.
            (_, Some((ls, _))) => {
                first_problem = Some(problem(ls, AuditBreak::Altered, all.last()))
            }
        }
    }
    let entries = all.len() as u64;
    Ok(AuditReport {
        ok: first_problem.is_none(),
        entries,
        first_problem,
        message: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::Actor;

    #[test]
    fn an_actor_names_the_person_and_keeps_the_account() {
        let a = Actor("app:owner".into()).with_person("  张三 ");
        assert_eq!(a.0, "张三 (app:owner)");
        assert_eq!(a.person(), Some("张三"));
        assert_eq!(a.account(), "app:owner");
        assert_eq!(a.operator_name("李四"), "张三");
        // Naming a person twice keeps the first; a blank name changes nothing.
        assert_eq!(a.clone().with_person("王五"), a);
        let plain = Actor("cli:owner".into());
        assert_eq!(plain.clone().with_person(" \n"), plain);
        assert_eq!(plain.person(), None);
        assert_eq!(plain.account(), "cli:owner");
        assert_eq!(plain.operator_name(" 李四 "), "李四");
        assert_eq!(plain.operator_name(""), "cli:owner");
        // Brackets, control characters and bidi overrides cannot forge an account inside a name.
        let forged = Actor("app:owner".into()).with_person("Mallory (cli:root)\u{202e}");
        assert_eq!(forged.person(), Some("Mallory cli:root"));
        assert_eq!(forged.account(), "app:owner");
    }
}
