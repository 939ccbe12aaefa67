//! What the rulebook has stored, read back: what customers said, the owner's overrides, the fields the
//! recipient needs, what each source holds. Both the plan (which reads all of it for every record) and the
//! status changes (which read before they write) take these reads from here, so neither imports the other
//! for them. `status` re-exports the public ones, where the app has always found them.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::conditions::FieldSet;
use super::terms::{Answer, Outcome, SourceKind};
use crate::field::FieldType;
use crate::Result;

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
    /// The customer has died (PIPL Art. 49: close relatives may exercise the rights; a balance belongs to
    /// the estate).
    pub deceased: bool,
    pub deceased_recorded: Option<Recorded>,
    /// The customer withdrew consent before the handover (PIPL Art. 15, 47(3): delete).
    pub consent_withdrawn: bool,
    pub consent_withdrawn_recorded: Option<Recorded>,
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
            deceased: false,
            deceased_recorded: None,
            consent_withdrawn: false,
            consent_withdrawn_recorded: None,
        }
    }
}

const STATUS_COLUMNS: &str = "customer_id, consent, consent_by, consent_at, guardian_consent, guardian_consent_by,
    guardian_consent_at, objection, objection_by, objection_at, deletion_request, deletion_request_by,
    deletion_request_at, refunded, refunded_by, refunded_at, deceased, deceased_by, deceased_at,
    consent_withdrawn, consent_withdrawn_by, consent_withdrawn_at";

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
        deceased: r.get(16)?,
        deceased_recorded: rec(r.get(17)?, r.get(18)?),
        consent_withdrawn: r.get(19)?,
        consent_withdrawn_recorded: rec(r.get(20)?, r.get(21)?),
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

/// What an override applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OverrideTarget {
    Record(i64),
    Customer(i64),
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

/// What a source holds, guessed from its columns: waybill, pickup-code, parcel-status or parcel-arrival
/// columns mean the courier companies' data; a header naming invoices (发票) or vouchers (凭证) means statutory records. Returns the
/// kind and the evidence in both languages.
pub fn guess_source_kind(
    headers: &[String],
    fields: &[FieldType],
) -> (SourceKind, SourceKindEvidence) {
    if let Some((h, _)) = headers.iter().zip(fields).find(|(_, f)| {
        matches!(
            f,
            FieldType::Waybill
                | FieldType::PickupCode
                | FieldType::ParcelStatus
                | FieldType::ParcelArrivalTime
        )
    }) {
        return (
            SourceKind::CourierPlatform,
            SourceKindEvidence::CourierColumn(h.clone()),
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
            SourceKindEvidence::VoucherColumn(h),
        );
    }
    if let Some(h) = header_with(&["发票", "税"]) {
        return (SourceKind::TaxInvoice, SourceKindEvidence::InvoiceColumn(h));
    }
    (
        SourceKind::CustomerList,
        SourceKindEvidence::NoSpecialColumn,
    )
}

/// Why a source's kind was guessed so (worded in `crate::i18n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKindEvidence {
    /// This column holds waybill numbers, pickup codes, parcel statuses or arrival times.
    CourierColumn(String),
    /// This column's name says accounting vouchers.
    VoucherColumn(String),
    /// This column's name says invoices or tax papers.
    InvoiceColumn(String),
    /// No waybill, invoice or voucher column.
    NoSpecialColumn,
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
    // What `evidence` is worded from, by the edge (`crate::i18n::Localize`); `evidence` is empty until then.
    #[serde(skip)]
    #[ts(skip)]
    pub guessed_from: Option<SourceKindEvidence>,
    /// The owner set the kind (then `kind` may differ from `guessed`).
    pub owner_set: bool,
}

/// Every source with its kind.
pub fn source_kinds(conn: &Connection) -> Result<Vec<SourceKindInfo>> {
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
        let (guessed, why) = guess_source_kind(&headers, &fields);
        let owner = set.as_deref().and_then(SourceKind::from_id);
        out.push(SourceKindInfo {
            source_id: id,
            label,
            kind: owner.unwrap_or(guessed),
            guessed,
            evidence: String::new(),
            guessed_from: Some(why),
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
