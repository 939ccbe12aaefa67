//! The words the rules speak, shared by every part of the rulebook: what happens to a record ([`Outcome`]),
//! what blocks a transfer ([`BlockedBy`]), what a source holds ([`SourceKind`]) and what a customer answered
//! ([`Answer`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// New consent: the recipient will change the purpose or method (PIPL Art. 22, third sentence; Art. 14).
    NewConsent,
    /// A lawful way out of mainland China: security assessment, standard contract or certification (PIPL
    /// Art. 38).
    TransferMechanism,
    /// The balance of a customer who has died is settled with the heirs (the estate, 民法典 Art. 1122).
    RefundToEstate,
}

impl BlockedBy {
    pub const ALL: [BlockedBy; 8] = [
        BlockedBy::SeparateConsent,
        BlockedBy::GuardianConsent,
        BlockedBy::RefundOrConsent,
        BlockedBy::Refund,
        BlockedBy::Owner,
        BlockedBy::NewConsent,
        BlockedBy::TransferMechanism,
        BlockedBy::RefundToEstate,
    ];

    pub fn id(self) -> &'static str {
        match self {
            BlockedBy::SeparateConsent => "separate-consent",
            BlockedBy::GuardianConsent => "guardian-consent",
            BlockedBy::RefundOrConsent => "refund-or-consent",
            BlockedBy::Refund => "refund",
            BlockedBy::Owner => "owner",
            BlockedBy::NewConsent => "new-consent",
            BlockedBy::TransferMechanism => "transfer-mechanism",
            BlockedBy::RefundToEstate => "refund-to-estate",
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
