//! What customers said (consent, guardian consent, objection, deletion request, refund) and what the owner
//! decided (overrides, the fields the recipient needs, what a source holds). Every change is written with
//! an audit entry in the same transaction, naming who and when; no customer data goes into the audit log
//! beyond the customer's and record's numbers.
//!
//! A change to a customer's status or an override updates the stored plan of the records concerned at
//! once (the decisions screen shows the new outcome without a full recompute); a change to the minimisation
//! choice or a source kind affects many records and marks the plan stale instead.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::book::Rulebook;
use super::conditions::FieldSet;
use super::reads::{override_from_row, OVERRIDE_COLUMNS};
use super::terms::{Answer, Outcome, SourceKind};
use crate::detect;
use crate::field::FieldType;
use crate::store::{Actor, Case, Writer};
use crate::{Error, Result};

// The reads are the rulebook's own (`reads`); the app has always found them here.
pub use super::error::RulesError;
pub use super::reads::{
    customer_status, default_needed_fields, guess_source_kind, minimisation, overrides,
    source_kinds, CustomerStatus, Minimisation, OverrideInfo, OverrideTarget, Recorded,
    SourceKindEvidence, SourceKindInfo,
};

/// What to record; `None` leaves a status as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusChange {
    pub consent: Option<Answer>,
    pub guardian_consent: Option<Answer>,
    pub objection: Option<bool>,
    pub deletion_request: Option<bool>,
    pub refunded: Option<bool>,
    /// The customer has died (PIPL Art. 49).
    pub deceased: Option<bool>,
    /// The customer withdrew consent earlier (PIPL Art. 15, 47(3)).
    pub consent_withdrawn: Option<bool>,
}

fn customer_exists(conn: &Connection, customer_id: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM customers WHERE id = ?1",
            [customer_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The customer with this mobile number (written any way people write it).
pub fn find_customer_by_phone(conn: &Connection, phone: &str) -> Result<i64> {
    let normalised = detect::mobile::normalize(phone).unwrap_or_else(|| phone.trim().to_string());
    conn.query_row(
        "SELECT customer_id FROM customer_keys WHERE kind = 'mobile' AND value = ?1",
        [normalised],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::Rules(RulesError::NoCustomerWithPhone))
}

/// Records what a customer said; returns the new status. Audited (`rules.customer_status`, with each
/// status's old and new value); the plan of the customer's records is updated when a plan exists.
pub fn set_customer_status(
    case: &Case,
    book: &Rulebook,
    customer_id: i64,
    change: &StatusChange,
    actor: &Actor,
) -> Result<CustomerStatus> {
    case.write(actor, |w| {
        if change == &StatusChange::default() {
            return Err(RulesError::NothingToChange.into());
        }
        if !customer_exists(w, customer_id)? {
            return Err(RulesError::UnknownCustomer { customer_id }.into());
        }
        let changes = record_status(w, customer_id, change)?;
        if !changes.is_empty() {
            w.audit(
                "rules.customer_status",
                serde_json::json!({ "customer_id": customer_id, "changes": changes }),
            )?;
            super::plan::refresh_customers(w, book, &[customer_id])?;
        }
        customer_status(w, customer_id)
    })
}

/// Writes what a customer said, inside the caller's transaction, and returns each status's old and new
/// value (empty when nothing changed). The caller audits it and refreshes the plan of the customers it
/// changed (`plan::refresh_customers`), once per change or once for a batch (a reply file).
pub(crate) fn record_status(
    w: &Writer<'_>,
    customer_id: i64,
    change: &StatusChange,
) -> Result<Vec<serde_json::Value>> {
    let old = customer_status(w, customer_id)?;
    w.execute(
        "INSERT INTO customer_status (customer_id) VALUES (?1) ON CONFLICT (customer_id) DO NOTHING",
        [customer_id],
    )?;
    let mut changes = Vec::new();
    let mut set = |column: &str, from: String, to: String| -> Result<()> {
        if from == to {
            return Ok(());
        }
        w.execute(
            &format!(
                "UPDATE customer_status SET {column} = ?2, {column}_by = ?3, {column}_at = ?4 WHERE customer_id = ?1"
            ),
            params![customer_id, to, w.actor().0, w.now()],
        )?;
        changes.push(serde_json::json!({ "status": column, "from": from, "to": to }));
        Ok(())
    };
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    if let Some(a) = change.consent {
        set("consent", old.consent.id().into(), a.id().into())?;
    }
    if let Some(a) = change.guardian_consent {
        set(
            "guardian_consent",
            old.guardian_consent.id().into(),
            a.id().into(),
        )?;
    }
    if let Some(b) = change.objection {
        set("objection", flag(old.objection), flag(b))?;
    }
    if let Some(b) = change.deletion_request {
        set("deletion_request", flag(old.deletion_request), flag(b))?;
    }
    if let Some(b) = change.refunded {
        set("refunded", flag(old.refunded), flag(b))?;
    }
    if let Some(b) = change.deceased {
        set("deceased", flag(old.deceased), flag(b))?;
    }
    if let Some(b) = change.consent_withdrawn {
        set("consent_withdrawn", flag(old.consent_withdrawn), flag(b))?;
    }
    Ok(changes)
}

/// The owner's request to change an outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverrideRequest {
    pub target: OverrideTarget,
    pub outcome: Outcome,
    /// Why, in the owner's words. Required.
    pub reason: String,
    /// The owner explicitly acknowledged lifting a legal hold or a block. Required when the rules' outcome
    /// is retain or blocked.
    pub acknowledged: bool,
}

/// Changes the outcome of a record or of all a customer's records. The reason is required; when the rules
/// put any of the records under a legal hold or a block, so is the acknowledgement. An earlier override of
/// the same target is withdrawn (kept, marked). Audited (`rules.override`).
pub fn set_override(
    case: &Case,
    book: &Rulebook,
    request: &OverrideRequest,
    actor: &Actor,
) -> Result<OverrideInfo> {
    case.write(actor, |w| {
        let reason = request.reason.trim();
        if reason.is_empty() {
            return Err(RulesError::ReasonMissing.into());
        }
        let (record_id, customer_id, records) = match request.target {
            OverrideTarget::Record(id) => {
                let customer: Option<Option<i64>> = w
                    .query_row("SELECT customer_id FROM records WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if customer.is_none() {
                    return Err(RulesError::UnknownRecord { record_id: id }.into());
                }
                (Some(id), None, vec![id])
            }
            OverrideTarget::Customer(id) => {
                if !customer_exists(w, id)? {
                    return Err(RulesError::UnknownCustomer { customer_id: id }.into());
                }
                (None, Some(id), records_of_customer(w, id)?)
            }
        };
        let decided = super::plan::decide_records(w, book, &records)?;
        let mut rule_outcomes: Vec<Outcome> = decided.iter().map(|d| d.outcome).collect();
        rule_outcomes.sort();
        rule_outcomes.dedup();
        if let Some(held) = rule_outcomes
            .iter()
            .find(|o| o.needs_acknowledgement() && **o != request.outcome)
        {
            if !request.acknowledged {
                return Err(RulesError::AcknowledgementRequired { outcome: *held }.into());
            }
        }
        let withdrawn: Vec<i64> = {
            let mut stmt = w.prepare(
                "SELECT id FROM rule_overrides WHERE withdrawn_at IS NULL AND (record_id IS ?1 AND customer_id IS ?2)",
            )?;
            let ids = stmt
                .query_map(params![record_id, customer_id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        };
        for id in &withdrawn {
            w.execute(
                "UPDATE rule_overrides SET withdrawn_at = ?2 WHERE id = ?1",
                params![id, w.now()],
            )?;
        }
        let outcomes_text = rule_outcomes
            .iter()
            .map(|o| o.id())
            .collect::<Vec<_>>()
            .join(",");
        w.execute(
            "INSERT INTO rule_overrides (record_id, customer_id, outcome, reason, acknowledged, rule_outcomes, actor, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                record_id,
                customer_id,
                request.outcome.id(),
                reason,
                request.acknowledged,
                outcomes_text,
                w.actor().0,
                w.now()
            ],
        )?;
        let id = w.last_insert_rowid();
        w.audit(
            "rules.override",
            serde_json::json!({
                "override_id": id,
                "record_id": record_id,
                "customer_id": customer_id,
                "outcome": request.outcome.id(),
                "rule_outcomes": rule_outcomes.iter().map(|o| o.id()).collect::<Vec<_>>(),
                "reason": reason,
                "acknowledged": request.acknowledged,
                "replaces": withdrawn,
            }),
        )?;
        super::plan::refresh_records(w, book, &records)?;
        Ok(w.query_row(
            &format!("SELECT {OVERRIDE_COLUMNS} FROM rule_overrides WHERE id = ?1"),
            [id],
            override_from_row,
        )?)
    })
}

/// The ids of a customer's records.
fn records_of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM records WHERE customer_id = ?1")?;
    let ids = stmt
        .query_map([customer_id], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Takes an override back: the rules decide again. The override's row stays, marked withdrawn. Audited.
pub fn withdraw_override(
    case: &Case,
    book: &Rulebook,
    override_id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    case.write(actor, |w| {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RulesError::ReasonMissing.into());
        }
        let info = w
            .query_row(
                &format!(
                    "SELECT {OVERRIDE_COLUMNS} FROM rule_overrides WHERE id = ?1 AND withdrawn_at IS NULL"
                ),
                [override_id],
                override_from_row,
            )
            .optional()?
            .ok_or(RulesError::UnknownOverride { override_id })?;
        w.execute(
            "UPDATE rule_overrides SET withdrawn_at = ?2 WHERE id = ?1",
            params![override_id, w.now()],
        )?;
        w.audit(
            "rules.override.withdraw",
            serde_json::json!({ "override_id": override_id, "reason": reason }),
        )?;
        let records: Vec<i64> = match info.target {
            OverrideTarget::Record(id) => vec![id],
            OverrideTarget::Customer(c) => records_of_customer(w, c)?,
        };
        super::plan::refresh_records(w, book, &records)
    })
}

fn mark_stale(conn: &Connection) -> Result<()> {
    conn.execute("UPDATE plan_meta SET stale = 1 WHERE id = 1", [])?;
    Ok(())
}

/// Records which fields the recipient needs; the others are stripped from every transfer. Audited; the plan
/// is marked stale (recompute it).
pub fn set_minimisation(case: &Case, fields: &[FieldType], actor: &Actor) -> Result<Minimisation> {
    case.write(actor, |w| {
        let mut ids: Vec<&str> = FieldSet::of(fields)
            .fields()
            .iter()
            .map(|f| f.id())
            .collect();
        ids.dedup();
        let old = minimisation(w)?;
        w.execute(
            "INSERT INTO minimisation (id, fields, actor, at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, actor = excluded.actor, at = excluded.at",
            params![serde_json::to_string(&ids)?, w.actor().0, w.now()],
        )?;
        w.audit(
            "rules.minimisation",
            serde_json::json!({
                "from": old.fields.iter().map(|f| f.id()).collect::<Vec<_>>(),
                "from_default": !old.chosen,
                "to": ids,
            }),
        )?;
        mark_stale(w)?;
        minimisation(w)
    })
}

/// Says what a source holds (e.g. "this is not courier data"). Audited; the plan is marked stale.
pub fn set_source_kind(
    case: &Case,
    source_id: i64,
    kind: SourceKind,
    actor: &Actor,
) -> Result<SourceKindInfo> {
    case.write(actor, |w| {
        let before = source_kinds(w)?
            .into_iter()
            .find(|s| s.source_id == source_id)
            .ok_or(RulesError::UnknownSource { source_id })?;
        w.execute(
            "INSERT INTO source_kinds (source_id, kind, actor, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (source_id) DO UPDATE SET kind = excluded.kind, actor = excluded.actor, at = excluded.at",
            params![source_id, kind.id(), w.actor().0, w.now()],
        )?;
        w.audit(
            "rules.source_kind",
            serde_json::json!({
                "source_id": source_id,
                "from": before.kind.id(),
                "to": kind.id(),
                "guessed": before.guessed.id(),
            }),
        )?;
        mark_stale(w)?;
        let after = source_kinds(w)?
            .into_iter()
            .find(|s| s.source_id == source_id)
            .ok_or(RulesError::UnknownSource { source_id })?;
        Ok(after)
    })
}
