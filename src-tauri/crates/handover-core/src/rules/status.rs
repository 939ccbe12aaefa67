//! What customers said (consent, guardian consent, objection, deletion request, refund) and what the owner
//! decided (overrides, the fields the recipient needs, what a source holds). Every change is written with
//! an audit entry in the same transaction, naming who and when; no customer data goes into the audit log
//! beyond the customer's and record's numbers.
//!
//! A change to a customer's status or an override updates the stored plan of the records concerned at
//! once (the decisions screen shows the new outcome without a full recompute); a change to the minimisation
//! choice or a source kind affects many records and marks the plan stale instead.

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::book::Rulebook;
use super::conditions::FieldSet;
use super::{Answer, Outcome, SourceKind};
use crate::audit;
use crate::detect;
use crate::field::FieldType;
use crate::i18n::Lang;
use crate::store::{Actor, Case};
use crate::{Error, ErrorCode, Result};

/// Why a rulebook request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RulesError {
    /// An override needs a written reason.
    ReasonMissing,
    /// Overriding a legal hold or a block needs the owner's explicit acknowledgement.
    AcknowledgementRequired {
        outcome: Outcome,
    },
    UnknownCustomer {
        customer_id: i64,
    },
    UnknownRecord {
        record_id: i64,
    },
    UnknownSource {
        source_id: i64,
    },
    UnknownOverride {
        override_id: i64,
    },
    /// No customer with this phone number.
    NoCustomerWithPhone,
    /// A status change that changes nothing.
    NothingToChange,
    /// A rulebook file that does not validate.
    InvalidRulebook {
        problems: Vec<String>,
    },
}

impl RulesError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RulesError::ReasonMissing => ErrorCode::OverrideReasonMissing,
            RulesError::AcknowledgementRequired { .. } => ErrorCode::OverrideNeedsAcknowledgement,
            RulesError::UnknownCustomer { .. } => ErrorCode::UnknownCustomer,
            RulesError::UnknownRecord { .. } => ErrorCode::UnknownRecord,
            RulesError::UnknownSource { .. } => ErrorCode::UnknownSource,
            RulesError::UnknownOverride { .. } => ErrorCode::UnknownOverride,
            RulesError::NoCustomerWithPhone => ErrorCode::NoCustomerWithPhone,
            RulesError::NothingToChange => ErrorCode::NothingToChange,
            RulesError::InvalidRulebook { .. } => ErrorCode::InvalidRulebook,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            RulesError::ReasonMissing => lang
                .pick("改判必须写明理由。", "An override needs a written reason.")
                .to_string(),
            RulesError::AcknowledgementRequired { outcome } => match lang {
                Lang::ZhCn => format!(
                    "这条记录目前是“{}”：法律要求保存或尚在等待同意/退款。要改判，请明确确认您了解后果并承担责任。",
                    outcome.label(lang)
                ),
                Lang::En => format!(
                    "This record is currently '{}': the law requires keeping it, or it waits for consent or a refund. To override it, explicitly acknowledge that you understand and take responsibility.",
                    outcome.label(lang)
                ),
            },
            RulesError::UnknownCustomer { customer_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {customer_id} 的客户。"),
                Lang::En => format!("There is no customer number {customer_id}."),
            },
            RulesError::UnknownRecord { record_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {record_id} 的记录。"),
                Lang::En => format!("There is no record number {record_id}."),
            },
            RulesError::UnknownSource { source_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {source_id} 的来源。"),
                Lang::En => format!("There is no source number {source_id}."),
            },
            RulesError::UnknownOverride { override_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {override_id} 的改判。"),
                Lang::En => format!("There is no override number {override_id}."),
            },
            RulesError::NoCustomerWithPhone => lang
                .pick("没有使用这个手机号的客户。", "No customer has this phone number.")
                .to_string(),
            RulesError::NothingToChange => lang
                .pick("没有指定要记录的内容。", "Nothing to record was given.")
                .to_string(),
            RulesError::InvalidRulebook { problems } => match lang {
                Lang::ZhCn => format!("规则文件有误：{}", problems.join("；")),
                Lang::En => format!("The rulebook is invalid: {}", problems.join("; ")),
            },
        }
    }
}

impl From<RulesError> for Error {
    fn from(e: RulesError) -> Error {
        Error::Rules(e)
    }
}

impl From<super::book::RulebookError> for Error {
    fn from(e: super::book::RulebookError) -> Error {
        Error::Rules(RulesError::InvalidRulebook {
            problems: e.problems,
        })
    }
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Who recorded a status, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recorded {
    pub by: String,
    pub at: String,
}

/// What a customer said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerStatus {
    pub customer_id: i64,
    /// Separate consent (单独同意) to the transfer to the recipient, including the takeover of a balance.
    pub consent: Answer,
    pub consent_recorded: Option<Recorded>,
    /// A parent's or guardian's consent, for a customer under 14.
    pub guardian_consent: Answer,
    pub guardian_consent_recorded: Option<Recorded>,
    pub objection: bool,
    pub objection_recorded: Option<Recorded>,
    pub deletion_request: bool,
    pub deletion_request_recorded: Option<Recorded>,
    /// The prepaid balance was refunded.
    pub refunded: bool,
    pub refunded_recorded: Option<Recorded>,
}

impl CustomerStatus {
    pub fn none(customer_id: i64) -> CustomerStatus {
        CustomerStatus {
            customer_id,
            consent: Answer::Unknown,
            consent_recorded: None,
            guardian_consent: Answer::Unknown,
            guardian_consent_recorded: None,
            objection: false,
            objection_recorded: None,
            deletion_request: false,
            deletion_request_recorded: None,
            refunded: false,
            refunded_recorded: None,
        }
    }
}

/// What to record; `None` leaves a status as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusChange {
    pub consent: Option<Answer>,
    pub guardian_consent: Option<Answer>,
    pub objection: Option<bool>,
    pub deletion_request: Option<bool>,
    pub refunded: Option<bool>,
}

const STATUS_COLUMNS: &str = "customer_id, consent, consent_by, consent_at, guardian_consent, guardian_consent_by,
    guardian_consent_at, objection, objection_by, objection_at, deletion_request, deletion_request_by,
    deletion_request_at, refunded, refunded_by, refunded_at";

fn status_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomerStatus> {
    let rec = |by: Option<String>, at: Option<String>| match (by, at) {
        (Some(by), Some(at)) => Some(Recorded { by, at }),
        _ => None,
    };
    let answer = |s: String| Answer::from_id(&s).unwrap_or(Answer::Unknown);
    Ok(CustomerStatus {
        customer_id: r.get(0)?,
        consent: answer(r.get(1)?),
        consent_recorded: rec(r.get(2)?, r.get(3)?),
        guardian_consent: answer(r.get(4)?),
        guardian_consent_recorded: rec(r.get(5)?, r.get(6)?),
        objection: r.get(7)?,
        objection_recorded: rec(r.get(8)?, r.get(9)?),
        deletion_request: r.get(10)?,
        deletion_request_recorded: rec(r.get(11)?, r.get(12)?),
        refunded: r.get(13)?,
        refunded_recorded: rec(r.get(14)?, r.get(15)?),
    })
}

/// A customer's status (all defaults when nothing was recorded).
pub fn customer_status(conn: &Connection, customer_id: i64) -> Result<CustomerStatus> {
    Ok(conn
        .query_row(
            &format!("SELECT {STATUS_COLUMNS} FROM customer_status WHERE customer_id = ?1"),
            [customer_id],
            status_from_row,
        )
        .optional()?
        .unwrap_or_else(|| CustomerStatus::none(customer_id)))
}

/// Every recorded status, by customer id (customers without a row are absent).
pub(crate) fn all_statuses(
    conn: &Connection,
) -> Result<std::collections::HashMap<i64, CustomerStatus>> {
    let mut stmt = conn.prepare(&format!("SELECT {STATUS_COLUMNS} FROM customer_status"))?;
    let rows = stmt.query_map([], status_from_row)?;
    let mut out = std::collections::HashMap::new();
    for r in rows {
        let s = r?;
        out.insert(s.customer_id, s);
    }
    Ok(out)
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

fn writable(case: &Case) -> Result<()> {
    if case.import_pending() {
        return Err(Error::ImportPending);
    }
    Ok(())
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
    writable(case)?;
    if change == &StatusChange::default() {
        return Err(RulesError::NothingToChange.into());
    }
    let conn = case.connection();
    let tx = conn.unchecked_transaction()?;
    if !customer_exists(&tx, customer_id)? {
        return Err(RulesError::UnknownCustomer { customer_id }.into());
    }
    let old = customer_status(&tx, customer_id)?;
    tx.execute(
        "INSERT INTO customer_status (customer_id) VALUES (?1) ON CONFLICT (customer_id) DO NOTHING",
        [customer_id],
    )?;
    let at = now();
    let mut changes = Vec::new();
    let mut set = |column: &str, from: String, to: String| -> Result<()> {
        if from == to {
            return Ok(());
        }
        tx.execute(
            &format!(
                "UPDATE customer_status SET {column} = ?2, {column}_by = ?3, {column}_at = ?4 WHERE customer_id = ?1"
            ),
            params![customer_id, to, actor.0, at],
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
    if !changes.is_empty() {
        audit::append(
            &tx,
            actor,
            "rules.customer_status",
            &serde_json::json!({ "customer_id": customer_id, "changes": changes }),
        )?;
        super::plan::refresh_customers(&tx, book, &[customer_id])?;
    }
    let status = customer_status(&tx, customer_id)?;
    tx.commit()?;
    Ok(status)
}

/// What an override applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OverrideTarget {
    Record(i64),
    Customer(i64),
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

/// A stored override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OverrideInfo {
    pub id: i64,
    pub target: OverrideTarget,
    pub outcome: Outcome,
    pub reason: String,
    pub acknowledged: bool,
    /// What the rules said when the override was made.
    pub rule_outcomes: Vec<Outcome>,
    pub actor: String,
    pub at: String,
    pub withdrawn_at: Option<String>,
}

pub(crate) fn override_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OverrideInfo> {
    let record: Option<i64> = r.get(1)?;
    let customer: Option<i64> = r.get(2)?;
    let outcome: String = r.get(3)?;
    let rule_outcomes: String = r.get(6)?;
    Ok(OverrideInfo {
        id: r.get(0)?,
        target: match (record, customer) {
            (Some(rec), _) => OverrideTarget::Record(rec),
            (None, c) => OverrideTarget::Customer(c.unwrap_or_default()),
        },
        outcome: Outcome::from_id(&outcome).unwrap_or(Outcome::Keep),
        reason: r.get(4)?,
        acknowledged: r.get(5)?,
        rule_outcomes: rule_outcomes
            .split(',')
            .filter_map(Outcome::from_id)
            .collect(),
        actor: r.get(7)?,
        at: r.get(8)?,
        withdrawn_at: r.get(9)?,
    })
}

pub(crate) const OVERRIDE_COLUMNS: &str =
    "id, record_id, customer_id, outcome, reason, acknowledged, rule_outcomes, actor, at, withdrawn_at";

/// Changes the outcome of a record or of all a customer's records. The reason is required; when the rules
/// put any of the records under a legal hold or a block, so is the acknowledgement. An earlier override of
/// the same target is withdrawn (kept, marked). Audited (`rules.override`).
pub fn set_override(
    case: &Case,
    book: &Rulebook,
    request: &OverrideRequest,
    actor: &Actor,
) -> Result<OverrideInfo> {
    writable(case)?;
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(RulesError::ReasonMissing.into());
    }
    let conn = case.connection();
    let tx = conn.unchecked_transaction()?;
    let (record_id, customer_id, records) = match request.target {
        OverrideTarget::Record(id) => {
            let customer: Option<Option<i64>> = tx
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
            if !customer_exists(&tx, id)? {
                return Err(RulesError::UnknownCustomer { customer_id: id }.into());
            }
            let mut stmt = tx.prepare("SELECT id FROM records WHERE customer_id = ?1")?;
            let ids = stmt
                .query_map([id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            (None, Some(id), ids)
        }
    };
    let decided = super::plan::decide_records(&tx, book, &records)?;
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
    let at = now();
    let withdrawn: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM rule_overrides WHERE withdrawn_at IS NULL AND (record_id IS ?1 AND customer_id IS ?2)",
        )?;
        let ids = stmt
            .query_map(params![record_id, customer_id], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids
    };
    for id in &withdrawn {
        tx.execute(
            "UPDATE rule_overrides SET withdrawn_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
    }
    let outcomes_text = rule_outcomes
        .iter()
        .map(|o| o.id())
        .collect::<Vec<_>>()
        .join(",");
    tx.execute(
        "INSERT INTO rule_overrides (record_id, customer_id, outcome, reason, acknowledged, rule_outcomes, actor, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            record_id,
            customer_id,
            request.outcome.id(),
            reason,
            request.acknowledged,
            outcomes_text,
            actor.0,
            at
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::append(
        &tx,
        actor,
        "rules.override",
        &serde_json::json!({
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
    super::plan::refresh_records(&tx, book, &records)?;
    let info = tx.query_row(
        &format!("SELECT {OVERRIDE_COLUMNS} FROM rule_overrides WHERE id = ?1"),
        [id],
        override_from_row,
    )?;
    tx.commit()?;
    Ok(info)
}

/// Takes an override back: the rules decide again. The override's row stays, marked withdrawn. Audited.
pub fn withdraw_override(
    case: &Case,
    book: &Rulebook,
    override_id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<()> {
    writable(case)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RulesError::ReasonMissing.into());
    }
    let conn = case.connection();
    let tx = conn.unchecked_transaction()?;
    let info = tx
        .query_row(
            &format!(
                "SELECT {OVERRIDE_COLUMNS} FROM rule_overrides WHERE id = ?1 AND withdrawn_at IS NULL"
            ),
            [override_id],
            override_from_row,
        )
        .optional()?
        .ok_or(RulesError::UnknownOverride { override_id })?;
    tx.execute(
        "UPDATE rule_overrides SET withdrawn_at = ?2 WHERE id = ?1",
        params![override_id, now()],
    )?;
    audit::append(
        &tx,
        actor,
        "rules.override.withdraw",
        &serde_json::json!({ "override_id": override_id, "reason": reason }),
    )?;
    let records: Vec<i64> = match info.target {
        OverrideTarget::Record(id) => vec![id],
        OverrideTarget::Customer(c) => {
            let mut stmt = tx.prepare("SELECT id FROM records WHERE customer_id = ?1")?;
            let ids = stmt
                .query_map([c], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        }
    };
    super::plan::refresh_records(&tx, book, &records)?;
    tx.commit()?;
    Ok(())
}

/// Every override, newest first, withdrawn ones included.
pub fn overrides(conn: &Connection) -> Result<Vec<OverrideInfo>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {OVERRIDE_COLUMNS} FROM rule_overrides ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], override_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The fields a recipient needs when the owner has not chosen yet: enough to serve the customer and settle
/// balances (name, phone numbers, member number, balance, points, last activity). Everything else —
/// addresses, ID and bank card numbers, birthdays, notes, social accounts — is stripped until the owner says
/// the recipient needs it (PIPL Art. 6: the minimum necessary).
pub fn default_needed_fields() -> FieldSet {
    FieldSet::of(&[
        FieldType::Name,
        FieldType::Mobile,
        FieldType::Landline,
        FieldType::MemberNumber,
        FieldType::PrepaidBalance,
        FieldType::Points,
        FieldType::LastActivity,
    ])
}

/// The fields the recipient needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Minimisation {
    pub fields: Vec<FieldType>,
    /// False while the app's default applies.
    pub chosen: bool,
    pub recorded: Option<Recorded>,
}

pub fn minimisation(conn: &Connection) -> Result<Minimisation> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT fields, actor, at FROM minimisation WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        Some((fields, by, at)) => {
            let ids: Vec<String> = serde_json::from_str(&fields)?;
            Minimisation {
                fields: ids.iter().filter_map(|i| FieldType::from_id(i)).collect(),
                chosen: true,
                recorded: Some(Recorded { by, at }),
            }
        }
        None => Minimisation {
            fields: default_needed_fields().fields(),
            chosen: false,
            recorded: None,
        },
    })
}

pub(crate) fn needed_fields(conn: &Connection) -> Result<FieldSet> {
    Ok(FieldSet::of(&minimisation(conn)?.fields))
}

fn mark_stale(conn: &Connection) -> Result<()> {
    conn.execute("UPDATE plan_meta SET stale = 1 WHERE id = 1", [])?;
    Ok(())
}

/// Records which fields the recipient needs; the others are stripped from every transfer. Audited; the plan
/// is marked stale (recompute it).
pub fn set_minimisation(case: &Case, fields: &[FieldType], actor: &Actor) -> Result<Minimisation> {
    writable(case)?;
    let mut ids: Vec<&str> = FieldSet::of(fields)
        .fields()
        .iter()
        .map(|f| f.id())
        .collect();
    ids.dedup();
    let conn = case.connection();
    let tx = conn.unchecked_transaction()?;
    let old = minimisation(&tx)?;
    tx.execute(
        "INSERT INTO minimisation (id, fields, actor, at) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, actor = excluded.actor, at = excluded.at",
        params![serde_json::to_string(&ids)?, actor.0, now()],
    )?;
    audit::append(
        &tx,
        actor,
        "rules.minimisation",
        &serde_json::json!({
            "from": old.fields.iter().map(|f| f.id()).collect::<Vec<_>>(),
            "from_default": !old.chosen,
            "to": ids,
        }),
    )?;
    mark_stale(&tx)?;
    let out = minimisation(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// What a source holds, guessed from its columns: waybill or pickup-code columns mean the courier
/// companies' data; a header naming invoices (发票) or vouchers (凭证) means statutory records. Returns the
/// kind and the evidence in both languages.
pub fn guess_source_kind(headers: &[String], fields: &[FieldType]) -> (SourceKind, String, String) {
    if let Some((h, _)) = headers
        .iter()
        .zip(fields)
        .find(|(_, f)| matches!(f, FieldType::Waybill | FieldType::PickupCode))
    {
        return (
            SourceKind::CourierPlatform,
            format!("列“{h}”是运单号或取件码：这是替快递公司处理的数据"),
            format!("column “{h}” holds waybill numbers or pickup codes: data processed for the courier companies"),
        );
    }
    let header_with = |words: &[&str]| {
        headers
            .iter()
            .find(|h| words.iter().any(|w| h.contains(w)))
            .cloned()
    };
    if let Some(h) = header_with(&["凭证", "记账"]) {
        return (
            SourceKind::AccountingVoucher,
            format!("列“{h}”表明这是会计凭证"),
            format!("column “{h}” shows these are accounting vouchers"),
        );
    }
    if let Some(h) = header_with(&["发票", "税"]) {
        return (
            SourceKind::TaxInvoice,
            format!("列“{h}”表明这是发票或涉税资料"),
            format!("column “{h}” shows these are invoices or tax papers"),
        );
    }
    (
        SourceKind::CustomerList,
        "没有运单、发票或凭证列：按本店客户名单处理".to_string(),
        "no waybill, invoice or voucher columns: treated as the business's own customer list"
            .to_string(),
    )
}

/// A source and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceKindInfo {
    pub source_id: i64,
    pub label: String,
    pub kind: SourceKind,
    /// What the app guessed, and why (in the requested language).
    pub guessed: SourceKind,
    pub evidence: String,
    /// The owner set the kind (then `kind` may differ from `guessed`).
    pub owner_set: bool,
}

/// Every source with its kind.
pub fn source_kinds(conn: &Connection, lang: Lang) -> Result<Vec<SourceKindInfo>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.label, k.kind FROM sources s LEFT JOIN source_kinds k ON k.source_id = s.id ORDER BY s.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (id, label, set) in rows {
        let (headers, fields) = source_columns(conn, id)?;
        let (guessed, zh, en) = guess_source_kind(&headers, &fields);
        let owner = set.as_deref().and_then(SourceKind::from_id);
        out.push(SourceKindInfo {
            source_id: id,
            label,
            kind: owner.unwrap_or(guessed),
            guessed,
            evidence: lang.pick(&zh, &en).to_string(),
            owner_set: owner.is_some(),
        });
    }
    Ok(out)
}

/// The headers and mapped fields of a source, in column order.
pub(crate) fn source_columns(
    conn: &Connection,
    source_id: i64,
) -> Result<(Vec<String>, Vec<FieldType>)> {
    let mut stmt = conn.prepare(
        "SELECT header, field FROM source_columns WHERE source_id = ?1 ORDER BY col_index",
    )?;
    let rows = stmt
        .query_map([source_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(h, f)| (h, FieldType::from_id(&f).unwrap_or(FieldType::Other)))
        .unzip())
}

/// Says what a source holds (e.g. "this is not courier data"). Audited; the plan is marked stale.
pub fn set_source_kind(
    case: &Case,
    source_id: i64,
    kind: SourceKind,
    actor: &Actor,
    lang: Lang,
) -> Result<SourceKindInfo> {
    writable(case)?;
    let conn = case.connection();
    let tx = conn.unchecked_transaction()?;
    let before = source_kinds(&tx, lang)?
        .into_iter()
        .find(|s| s.source_id == source_id)
        .ok_or(RulesError::UnknownSource { source_id })?;
    tx.execute(
        "INSERT INTO source_kinds (source_id, kind, actor, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source_id) DO UPDATE SET kind = excluded.kind, actor = excluded.actor, at = excluded.at",
        params![source_id, kind.id(), actor.0, now()],
    )?;
    audit::append(
        &tx,
        actor,
        "rules.source_kind",
        &serde_json::json!({
            "source_id": source_id,
            "from": before.kind.id(),
            "to": kind.id(),
            "guessed": before.guessed.id(),
        }),
    )?;
    mark_stale(&tx)?;
    let after = source_kinds(&tx, lang)?
        .into_iter()
        .find(|s| s.source_id == source_id)
        .ok_or(RulesError::UnknownSource { source_id })?;
    tx.commit()?;
    Ok(after)
}
