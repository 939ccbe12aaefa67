//! The rulebook: one decision for every customer record, each with its legal basis.
//!
//! The rules are data (`assets/rulebook/rules.toml`, schema and precedence written at the top of that file);
//! this module loads and validates them ([`book`]), matches their conditions against what is known about a
//! record ([`conditions`]), combines the rules that apply into one outcome ([`evaluate`]), computes retention
//! dates ([`retention`]), prepaid totals ([`prepaid`]) and the criminal-law exposure check ([`exposure`]),
//! stores what customers said and what the owner decided ([`status`]), and computes, stores and explains the
//! plan for a whole case ([`plan`]).
//!
//! # Precedence
//! Every rule whose conditions hold is applied in order of precedence, lowest first, and replaces the outcome
//! so far unless its `only_over` list excludes it; so the highest applicable rule decides. The default
//! precedence of a rule is its outcome's rank ([`Outcome::rank`]): where rules disagree, the outcome that
//! moves less data wins (retain > blocked > delete > return > deidentify > keep > transfer). This gives: a
//! legal hold beats deletion; a positive balance blocks deletion; an objection blocks a transfer. Owner
//! overrides come last. See [`evaluate::evaluate`] and its tests.
//!
//! # Using it from the app
//! - [`plan::compute_plan`] (progress + cancel) computes and stores the plan, one row per record, in one
//!   transaction; [`plan::summary`], [`plan::page`], [`plan::explain`] read it.
//! - [`status::set_customer_status`], [`status::set_override`], [`status::set_minimisation`],
//!   [`status::set_source_kind`] record what customers said and what the owner decided, each audited; the first
//!   two update the stored plan of the customers concerned at once, the last two mark the plan stale.

pub mod book;
pub mod citation;
pub mod conditions;
pub mod evaluate;
pub mod exposure;
pub mod plan;
pub mod prepaid;
pub mod retention;
pub mod status;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use book::{rulebook, Rule, Rulebook, RulebookError};
pub use evaluate::{evaluate, Decision};

/// What happens to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 移交: handed to the recipient, possibly with some fields stripped.
    Transfer,
    /// 保留: stays with the seller, whose business goes on.
    Keep,
    /// 留存: legal hold, storage only until a date; nothing else may be done with it.
    Retain,
    /// 删除
    Delete,
    /// 去标识化: kept or handed over only in a form that no longer identifies the person without extra data.
    Deidentify,
    /// 归还: returned to the courier company or platform it came from.
    Return,
    /// 暂缓: waits for consent, a guardian's consent or a refund.
    Blocked,
}

impl Outcome {
    /// In the order the CLI's JSON and the decisions screen list them.
    pub const ALL: [Outcome; 7] = [
        Outcome::Transfer,
        Outcome::Keep,
        Outcome::Retain,
        Outcome::Delete,
        Outcome::Deidentify,
        Outcome::Return,
        Outcome::Blocked,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Outcome::Transfer => "transfer",
            Outcome::Keep => "keep",
            Outcome::Retain => "retain",
            Outcome::Delete => "delete",
            Outcome::Deidentify => "deidentify",
            Outcome::Return => "return",
            Outcome::Blocked => "blocked",
        }
    }

    pub fn from_id(id: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.id() == id)
    }

    /// The default precedence: the less data an outcome moves, the higher. Legal hold first (the law
    /// requires it), then blocked (nothing moves until the customer or guardian agrees or is refunded), then
    /// the outcomes by how much data leaves the seller's hands or stays in existence.
    pub fn rank(self) -> i32 {
        match self {
            Outcome::Retain => 70,
            Outcome::Blocked => 60,
            Outcome::Delete => 50,
            Outcome::Return => 40,
            Outcome::Deidentify => 30,
            Outcome::Keep => 20,
            Outcome::Transfer => 10,
        }
    }

    /// Overriding this outcome needs the owner's explicit acknowledgement.
    pub fn needs_acknowledgement(self) -> bool {
        matches!(self, Outcome::Retain | Outcome::Blocked)
    }
}

/// What a blocked record waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BlockedBy {
    /// The customer's separate consent (单独同意, PIPL Art. 23, 29).
    SeparateConsent,
    /// A parent's or guardian's consent (PIPL Art. 31).
    GuardianConsent,
    /// A refund of the prepaid balance, or the customer's consent to the recipient taking it over.
    RefundOrConsent,
    /// A refund of the prepaid balance (before deletion).
    Refund,
    /// The owner blocked it by an override.
    Owner,
}

impl BlockedBy {
    pub const ALL: [BlockedBy; 5] = [
        BlockedBy::SeparateConsent,
        BlockedBy::GuardianConsent,
        BlockedBy::RefundOrConsent,
        BlockedBy::Refund,
        BlockedBy::Owner,
    ];

    pub fn id(self) -> &'static str {
        match self {
            BlockedBy::SeparateConsent => "separate-consent",
            BlockedBy::GuardianConsent => "guardian-consent",
            BlockedBy::RefundOrConsent => "refund-or-consent",
            BlockedBy::Refund => "refund",
            BlockedBy::Owner => "owner",
        }
    }

    pub fn from_id(id: &str) -> Option<BlockedBy> {
        BlockedBy::ALL.into_iter().find(|b| b.id() == id)
    }
}

/// What kind of information a source holds; it decides the courier and retention rules. Guessed from the
/// source's columns ([`status::guess_source_kind`]); the owner can change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The business's own customer list (members, clients).
    CustomerList,
    /// Waybill and pickup data processed for the courier companies or platform (PIPL Art. 21).
    CourierPlatform,
    /// Invoices and other tax papers (kept 10 years).
    TaxInvoice,
    /// Accounting vouchers and books (kept 30 years).
    AccountingVoucher,
    /// Registration of prepaid card buyers (kept 5 years).
    PrepaidRegistration,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::CustomerList,
        SourceKind::CourierPlatform,
        SourceKind::TaxInvoice,
        SourceKind::AccountingVoucher,
        SourceKind::PrepaidRegistration,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SourceKind::CustomerList => "customer-list",
            SourceKind::CourierPlatform => "courier-platform",
            SourceKind::TaxInvoice => "tax-invoice",
            SourceKind::AccountingVoucher => "accounting-voucher",
            SourceKind::PrepaidRegistration => "prepaid-registration",
        }
    }

    pub fn from_id(id: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// What a customer (or guardian) said when asked for consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    /// Not asked yet, or no answer: never taken as consent.
    Unknown,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

    pub fn id(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }

    pub fn from_id(id: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.id() == id)
    }
}
