//! What the notices say, per notice and customer, built from the case and its plan.
//!
//! - [`NoticeContext`]: the case-wide values (parties, date, reason, the categories transferred, the SMS
//!   signature, the masking style) and the notices the situation calls for.
//! - [`for_each_recipient`]: streams the plan once, customer by customer, and says which notices each
//!   customer receives (a million customers never sit in memory).
//! - [`NoticeModel`]: one letter, serialisable and masked, for the documents crate to render.
//! - [`sms_for`]: one SMS text with its length and parts.
//!
//! Privacy choices (as a privacy lawyer would make them):
//! - The SMS carries no name. The SMS platform is an entrusted processor (PIPL Art. 21) that needs only the
//!   number to deliver; a name adds nothing to the notice, and a recycled number would tell a stranger who
//!   the former customer was. It does carry the customer's own balance: the creditor notice is about it, and
//!   it goes to the customer's own number.
//! - The platform file holds the real number (it cannot deliver otherwise) and the name only as the letter
//!   addresses the customer: masked with the case's style (张*), so the owner can tell rows apart.
//! - Letters name the customer masked; the masking style is named in the model.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::NoticeError;
use super::kinds::{kinds_for, NoticeKind};
use super::sms::{self, SmsText};
use super::template::{self, Templates};
use crate::case::{BusinessKind, CaseDetails, TransferReason};
use crate::classification::mask_style;
use crate::detect::mask::{self, MaskStyle};
use crate::field::FieldType;
use crate::i18n::{Label, Lang};
use crate::rules::prepaid::{money_string, parse_balance};
use crate::rules::status::minimisation;
use crate::store::{Actor, Case};
use crate::Result;

/// The case setting holding the SMS signature (签名); without it, the seller's name.
const SIGNATURE: &str = "sms_signature";

/// The case-wide values of every notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeContext {
    pub kind: BusinessKind,
    pub reason: TransferReason,
    pub seller: String,
    pub seller_contact: String,
    pub responsible_person: String,
    /// `None` when there is no recipient.
    pub recipient: Option<String>,
    pub recipient_contact: Option<String>,
    /// YYYY-MM-DD, or empty when the case has none yet.
    pub handover_date: String,
    /// The kinds of information the recipient receives (the minimisation choice, limited to what the case
    /// holds).
    pub categories: Vec<FieldType>,
    /// The SMS signature, without brackets.
    pub signature: String,
    pub mask_style: MaskStyle,
    /// The notices the situation calls for, in order.
    pub notices: Vec<NoticeKind>,
}

/// The signature stored for the case, if the owner set one.
pub fn stored_signature(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM case_settings WHERE key = ?1",
            [SIGNATURE],
            |r| r.get(0),
        )
        .optional()?)
}

/// Sets the SMS signature (2–12 characters, no brackets). Audited.
pub fn set_signature(case: &Case, signature: &str, actor: &Actor) -> Result<String> {
    let signature = sms::check_signature(signature)?;
    case.write(actor, |w| {
        let before = stored_signature(w)?;
        if before.as_deref() == Some(signature.as_str()) {
            return Ok(signature.clone());
        }
        w.execute(
            "INSERT INTO case_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            rusqlite::params![SIGNATURE, signature],
        )?;
        w.audit(
            "notices.signature",
            serde_json::json!({ "from": before, "to": signature }),
        )?;
        Ok(signature.clone())
    })
}

fn has_plan(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM plan_meta WHERE id = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The kinds of information the case holds (any valid cell or finding), by field type.
fn fields_held(conn: &Connection) -> Result<BTreeSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT kind FROM source_pii WHERE column_cells > 0 OR text_findings > 0",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl NoticeContext {
    /// Reads the case-wide values. Refused without a plan (which customers receive what comes from it) and
    /// when no usable signature exists (the seller's name is used when it is 2–12 characters).
    pub fn load(conn: &Connection, details: &CaseDetails) -> Result<NoticeContext> {
        if !has_plan(conn)? {
            return Err(NoticeError::NoPlan.into());
        }
        let (situation_recipient,): (bool,) = conn.query_row(
            "SELECT has_recipient FROM case_details WHERE id = 1",
            [],
            |r| Ok((r.get(0)?,)),
        )?;
        let has_recipient = details.recipient.is_some()
            && (situation_recipient || details.reason.needs_recipient());
        let signature = match stored_signature(conn)? {
            Some(s) => s,
            None => sms::check_signature(&details.seller.name)?,
        };
        let held = fields_held(conn)?;
        let categories = minimisation(conn)?
            .fields
            .into_iter()
            .filter(|f| held.contains(f.id()))
            .collect();
        Ok(NoticeContext {
            kind: details.kind,
            reason: details.reason,
            seller: details.seller.name.clone(),
            seller_contact: details.seller.contact.clone(),
            responsible_person: details.seller.responsible_person.clone(),
            recipient: details
                .recipient
                .as_ref()
                .filter(|_| has_recipient)
                .map(|r| r.name.clone()),
            recipient_contact: details
                .recipient
                .as_ref()
                .filter(|_| has_recipient)
                .map(|r| r.contact.clone()),
            handover_date: details
                .handover_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            categories,
            signature,
            mask_style: mask_style(conn)?,
            notices: kinds_for(details.kind, details.reason, has_recipient),
        })
    }

    /// The value of a case-wide placeholder in `lang` (`None` for a per-customer one).
    fn value(&self, t: &Templates, lang: Lang, name: &str) -> Option<String> {
        Some(match name {
            "seller" => self.seller.clone(),
            "seller_contact" => self.seller_contact.clone(),
            "responsible_person" => self.responsible_person.clone(),
            "recipient" => self.recipient.clone().unwrap_or_default(),
            "recipient_contact" => self.recipient_contact.clone().unwrap_or_default(),
            "handover_date" => self.handover_date.clone(),
            "reason" => t.reason(self.reason).to_string(),
            "categories" => self
                .categories
                .iter()
                .map(|f| f.label(lang))
                .collect::<Vec<_>>()
                .join(&t.separator),
            "mask_style" => self.mask_style.label(lang).to_string(),
            _ => return None,
        })
    }
}

/// One customer a notice goes to, as the notices may show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeCustomer {
    pub customer_id: i64,
    /// The mobile number, normalised to 11 digits: the platform file needs it in full. Never printed.
    pub phone: Option<String>,
    /// The name as the letter addresses the customer: masked with the case's style; empty when unknown.
    pub name: String,
    /// The sum of the customer's positive prepaid balances, exact.
    #[ts(type = "string | null")]
    pub balance: Option<Decimal>,
}

/// Streams the plan customer by customer and calls `f` for each notice each customer receives:
/// - the Art. 22 notice: customers with a record the plan transfers, de-identifies for the recipient or
///   holds back waiting (they are told before anything moves);
/// - the Art. 23 request: customers with a record waiting for separate or a guardian's consent;
/// - the creditor notice: customers with a positive prepaid balance not refunded yet;
/// - the station's closing notice: customers with courier records going back to the courier company.
///
/// Records linked to no customer cannot be told one by one: the poster is for them.
pub fn for_each_recipient(
    conn: &Connection,
    ctx: &NoticeContext,
    f: &mut dyn FnMut(NoticeKind, &NoticeCustomer) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT p.customer_id, p.outcome, p.blocked_by, p.balance, c.mobile, c.name,
                coalesce(s.refunded, 0), coalesce(s.consent, 'unknown')
         FROM plan p JOIN customers c ON c.id = p.customer_id
         LEFT JOIN customer_status s ON s.customer_id = p.customer_id
         WHERE p.customer_id IS NOT NULL
         ORDER BY p.customer_id",
    )?;
    let mut rows = stmt.query([])?;
    #[derive(Default)]
    struct Acc {
        id: i64,
        phone: Option<String>,
        name: Option<String>,
        refunded: bool,
        moves: bool,
        awaits_consent: bool,
        returns: bool,
        balance: Decimal,
    }
    let mut flush = |a: &Acc| -> Result<()> {
        let customer = NoticeCustomer {
            customer_id: a.id,
            phone: a.phone.clone(),
            name: a
                .name
                .as_deref()
                .map(|n| mask::mask_name(n, ctx.mask_style))
                .unwrap_or_default(),
            balance: (a.balance > Decimal::ZERO).then_some(a.balance),
        };
        for &kind in &ctx.notices {
            let receives = match kind {
                NoticeKind::Art22 | NoticeKind::Art22Bankruptcy => a.moves,
                NoticeKind::Art23 => a.awaits_consent,
                NoticeKind::StationClosing => a.returns,
                k if k.is_creditor() => customer.balance.is_some() && !a.refunded,
                _ => false,
            };
            if receives {
                f(kind, &customer)?;
            }
        }
        Ok(())
    };
    let mut acc: Option<Acc> = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if acc.as_ref().is_some_and(|a| a.id != id) {
            flush(&acc.take().expect("checked"))?;
        }
        let a = acc.get_or_insert_with(|| Acc {
            id,
            ..Acc::default()
        });
        if a.phone.is_none() {
            a.phone = r.get(4)?;
            a.name = r.get(5)?;
            a.refunded = r.get(6)?;
        }
        let outcome: String = r.get(1)?;
        let blocked_by: Option<String> = r.get(2)?;
        match outcome.as_str() {
            "transfer" | "deidentify" => a.moves = true,
            "blocked" => {
                a.moves = true;
                // A record held back for the balance (refund or consent to the takeover) still needs the
                // customer's own consent to move on an Art. 23 route when none was given: the plan names one
                // blocker per record, the request asks for both.
                let consent: String = r.get(7)?;
                if matches!(
                    blocked_by.as_deref(),
                    Some("separate-consent" | "guardian-consent")
                ) || (blocked_by.as_deref() == Some("refund-or-consent") && consent == "unknown")
                {
                    a.awaits_consent = true;
                }
            }
            "return" => a.returns = true,
            _ => {}
        }
        if let Some(b) = parse_balance(r.get::<_, Option<String>>(3)?.as_deref()) {
            if b > Decimal::ZERO {
                a.balance += b;
            }
        }
    }
    if let Some(a) = acc {
        flush(&a)?;
    }
    Ok(())
}

/// The SMS of a notice for one customer (or, with `balance: None` on a creditor notice, its template with
/// the platform variable `${balance}`), refused when it does not fit the declared parts.
pub fn sms_for(
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
    balance: Option<&str>,
) -> Result<SmsText> {
    let t = template::templates(lang)?;
    let n = t.notice(kind);
    let body = template::fill(&n.sms, &|name| match name {
        "balance" => Some(balance.unwrap_or("${balance}").to_string()),
        other => ctx.value(t, lang, other),
    });
    Ok(sms::compose(kind.id(), &ctx.signature, &body, n.sms_parts)?)
}

/// The widest balance a case can hold (see `rules::prepaid::max_balance`), for the longest SMS a creditor
/// notice can produce.
pub fn widest_balance() -> String {
    money_string(crate::rules::prepaid::max_balance() - Decimal::new(1, 2))
}

/// One letter: a notice to one customer, filled, masked, ready for the documents crate to lay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeModel {
    pub notice: NoticeKind,
    pub lang: Lang,
    /// SHA-256 of the template file the text came from.
    pub template_sha256: String,
    pub title: String,
    pub customer_id: i64,
    /// The customer's name, masked with [`NoticeModel::mask_style`].
    pub customer: String,
    #[ts(type = "string | null")]
    pub balance: Option<String>,
    pub paragraphs: Vec<String>,
    /// The sender, as the letter is signed.
    pub seller: String,
    pub handover_date: String,
    pub mask_style: MaskStyle,
}

/// The letter of a notice to one customer.
pub fn letter_for(
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
    customer: &NoticeCustomer,
) -> Result<NoticeModel> {
    let t = template::templates(lang)?;
    let n = t.notice(kind);
    let balance = customer.balance.map(money_string);
    let value = |name: &str| match name {
        "customer" => Some(customer.name.clone()),
        "balance" => Some(balance.clone().unwrap_or_default()),
        other => ctx.value(t, lang, other),
    };
    Ok(NoticeModel {
        notice: kind,
        lang,
        template_sha256: t.sha256.clone(),
        title: template::fill(&n.title, &value),
        customer_id: customer.customer_id,
        customer: customer.name.clone(),
        balance: balance.clone(),
        paragraphs: n.letter.iter().map(|p| template::fill(p, &value)).collect(),
        seller: ctx.seller.clone(),
        handover_date: ctx.handover_date.clone(),
        mask_style: ctx.mask_style,
    })
}

/// The poster of a notice: title and paragraphs, with no personal data.
pub fn poster_for(
    ctx: &NoticeContext,
    kind: NoticeKind,
    lang: Lang,
) -> Result<(String, Vec<String>)> {
    let t = template::templates(lang)?;
    let n = t.notice(kind);
    let value = |name: &str| ctx.value(t, lang, name);
    Ok((
        template::fill(&n.title, &value),
        n.poster.iter().map(|p| template::fill(p, &value)).collect(),
    ))
}
