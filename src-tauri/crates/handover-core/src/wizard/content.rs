//! The wizard's content as the app uses it: steps, checklist items, laws and articles, the conditions that
//! decide what applies to a case, and the situation of a case. Re-exported by `wizard`; the modules that
//! build and read the content (`validate`, `articles`, `state`) take these types from here, so `wizard`
//! itself is never imported back by what it declares.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::case::{BusinessKind, CaseDetails, CaseFacts, TransferReason};
pub use crate::i18n::Text;

/// The eleven steps, in the order the owner goes through them (compared in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StepId {
    /// 1 案件信息: business, reason, seller, recipient.
    Case,
    /// 2 every place customer information lives.
    Inventory,
    /// 3 review of the detected categories and sensitivity.
    Classification,
    /// 4 which fields the recipient truly needs.
    Minimisation,
    /// 5 the outcome for each record, with explanations and overrides.
    Decisions,
    /// 6 notices (PIPL Art. 22) and consent (Art. 23), objections.
    Notices,
    /// 7 the data-security agreement with the recipient.
    Agreement,
    /// 8 the encrypted package and the recipient's receipt.
    Transfer,
    /// 9 deletion, shredding, the destruction certificate.
    Destruction,
    /// 10 safeguards during the handover and what to do in a leak (PIPL Art. 57).
    Security,
    /// 11 review, then print.
    Summary,
}

impl StepId {
    pub const ALL: [StepId; 11] = [
        StepId::Case,
        StepId::Inventory,
        StepId::Classification,
        StepId::Minimisation,
        StepId::Decisions,
        StepId::Notices,
        StepId::Agreement,
        StepId::Transfer,
        StepId::Destruction,
        StepId::Security,
        StepId::Summary,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StepId::Case => "case",
            StepId::Inventory => "inventory",
            StepId::Classification => "classification",
            StepId::Minimisation => "minimisation",
            StepId::Decisions => "decisions",
            StepId::Notices => "notices",
            StepId::Agreement => "agreement",
            StepId::Transfer => "transfer",
            StepId::Destruction => "destruction",
            StepId::Security => "security",
            StepId::Summary => "summary",
        }
    }

    pub fn parse(s: &str) -> Option<StepId> {
        StepId::ALL.into_iter().find(|k| k.id() == s)
    }

    /// 1-based position shown to the owner ("第3步").
    pub fn number(self) -> usize {
        StepId::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }
}

/// A numbered section of a source article, e.g. section `4.5` of `courier-station`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
pub struct SourceRef {
    pub article: String,
    pub section: String,
}

/// How far a legal reference was checked (the project's law notes: ✅ / ◐ / ❌). Anything but `Checked`
/// is shown with "待核实 / to be verified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// ✅ compared with a full text.
    Checked,
    /// ◐ news or commentary only.
    Secondary,
    /// ❌ paraphrase, not checked.
    Unverified,
}

impl Mark {
    pub fn parse(s: &str) -> Option<Mark> {
        match s {
            "checked" => Some(Mark::Checked),
            "secondary" => Some(Mark::Secondary),
            "unverified" => Some(Mark::Unverified),
            _ => None,
        }
    }

    pub fn needs_verification(self) -> bool {
        self != Mark::Checked
    }
}

/// A law the content cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Law {
    pub id: String,
    pub name: Text,
    /// A caveat about the text used (e.g. article numbers of an older version).
    pub note: Option<Text>,
}

/// One article of one law, with how far it was checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Citation {
    /// A [`Law::id`].
    pub law: String,
    /// The article number as written in the law ("22", "253-1").
    pub article: String,
    pub mark: Mark,
}

/// The situations a step or item is for. Every condition given must hold; a list holds when any of its
/// values matches; an empty list puts no condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppliesWhen {
    pub kinds: Vec<BusinessKind>,
    pub reasons: Vec<TransferReason>,
    /// `Some(true)`: only when someone receives the information; `Some(false)`: only when nobody does.
    pub recipient: Option<bool>,
}

impl AppliesWhen {
    pub fn holds(&self, situation: Situation) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&situation.kind))
            && (self.reasons.is_empty() || self.reasons.contains(&situation.reason))
            && self.recipient.is_none_or(|r| r == situation.has_recipient)
    }
}

/// When a step or item applies, and what the owner reads instead when it does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Condition {
    pub applies_when: AppliesWhen,
    pub not_applicable_reason: Text,
}

/// A fact of the case details that answers a checklist item by itself: the item is done while the fact
/// holds and open while it does not (`derived_from = "case.seller"` in `steps.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum CaseFact {
    /// The kind of business is chosen (always, once a case exists).
    #[serde(rename = "case.kind")]
    Kind,
    /// The reason for the handover is chosen (always, once a case exists).
    #[serde(rename = "case.reason")]
    Reason,
    /// The seller's name and contact are both entered.
    #[serde(rename = "case.seller")]
    Seller,
    /// The person responsible for the customer information is entered.
    #[serde(rename = "case.responsible")]
    Responsible,
    /// A recipient with both name and contact is entered.
    #[serde(rename = "case.recipient")]
    Recipient,
    /// The planned handover date is entered.
    #[serde(rename = "case.handover-date")]
    HandoverDate,
    /// The question whether the recipient changes the purpose or method is answered (a case fact).
    #[serde(rename = "case.purpose-change")]
    PurposeChange,
    /// The question whether the recipient or its servers are abroad is answered: no, or yes with the transfer
    /// mechanism in place (a case fact).
    #[serde(rename = "case.cross-border")]
    CrossBorder,
}

impl CaseFact {
    pub const ALL: [CaseFact; 8] = [
        CaseFact::Kind,
        CaseFact::Reason,
        CaseFact::Seller,
        CaseFact::Responsible,
        CaseFact::Recipient,
        CaseFact::HandoverDate,
        CaseFact::PurposeChange,
        CaseFact::CrossBorder,
    ];

    /// As written in `steps.toml`.
    pub fn id(self) -> &'static str {
        match self {
            CaseFact::Kind => "case.kind",
            CaseFact::Reason => "case.reason",
            CaseFact::Seller => "case.seller",
            CaseFact::Responsible => "case.responsible",
            CaseFact::Recipient => "case.recipient",
            CaseFact::HandoverDate => "case.handover-date",
            CaseFact::PurposeChange => "case.purpose-change",
            CaseFact::CrossBorder => "case.cross-border",
        }
    }

    pub fn parse(s: &str) -> Option<CaseFact> {
        CaseFact::ALL.into_iter().find(|f| f.id() == s)
    }

    /// Whether the details (and the facts beside them) hold the fact. Blank text counts as not entered
    /// (saved details are trimmed).
    pub fn holds(self, details: &CaseDetails, facts: &CaseFacts) -> bool {
        let filled = |s: &str| !s.trim().is_empty();
        match self {
            // Both are required to create a case, so a case always has them.
            CaseFact::Kind | CaseFact::Reason => true,
            CaseFact::Seller => filled(&details.seller.name) && filled(&details.seller.contact),
            CaseFact::Responsible => filled(&details.seller.responsible_person),
            CaseFact::Recipient => details
                .recipient
                .as_ref()
                .is_some_and(|r| filled(&r.name) && filled(&r.contact)),
            CaseFact::HandoverDate => details.handover_date.is_some(),
            CaseFact::PurposeChange => facts.purpose_change.is_some(),
            // "Yes" is answered only once the way abroad is known: until then the question stays open.
            CaseFact::CrossBorder => match facts.cross_border {
                Some(true) => facts.cross_border_mechanism.is_some(),
                Some(false) => true,
                None => false,
            },
        }
    }

    /// The note shown with a derived item: that its tick comes from the case details, or what they still
    /// need for it (worded in `crate::i18n`).
    pub fn note(self, holds: bool) -> Text {
        Text::of(&DerivedNote { fact: self, holds })
    }
}

/// A figure the app works out from its own data that answers a checklist item by itself (`derived_from =
/// "overview.minors"` in `steps.toml`): the item shows the figure instead of answer buttons, and is done once
/// the figure is known and settles what the item asks ([`super::derived`] works it out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum DataFact {
    /// How the imported columns were classified: per category, the sensitive ones, the owner's corrections.
    #[serde(rename = "overview.columns")]
    Columns,
    /// Children under 14 found in the imported records (by ID number, birthday or an ID in a note).
    #[serde(rename = "overview.minors")]
    Minors,
    /// The kinds of information the owner chose to hand over (the minimisation choice, saved).
    #[serde(rename = "minimisation.fields")]
    FieldsKept,
    /// The prepaid balances owed, and how many still wait for a refund or consent (the plan).
    #[serde(rename = "plan.prepaid")]
    Prepaid,
    /// Parcels still at the station, to go back to their courier company (the plan).
    #[serde(rename = "plan.parcels")]
    Parcels,
    /// Records kept by law and the days their holds end (the plan).
    #[serde(rename = "plan.legal-hold")]
    LegalHold,
    /// Customers' replies and notice results recorded, and who still has to answer (replies, the plan).
    #[serde(rename = "notices.replies")]
    Replies,
}

impl DataFact {
    pub const ALL: [DataFact; 7] = [
        DataFact::Columns,
        DataFact::Minors,
        DataFact::FieldsKept,
        DataFact::Prepaid,
        DataFact::Parcels,
        DataFact::LegalHold,
        DataFact::Replies,
    ];

    /// As written in `steps.toml`.
    pub fn id(self) -> &'static str {
        match self {
            DataFact::Columns => "overview.columns",
            DataFact::Minors => "overview.minors",
            DataFact::FieldsKept => "minimisation.fields",
            DataFact::Prepaid => "plan.prepaid",
            DataFact::Parcels => "plan.parcels",
            DataFact::LegalHold => "plan.legal-hold",
            DataFact::Replies => "notices.replies",
        }
    }

    pub fn parse(s: &str) -> Option<DataFact> {
        DataFact::ALL.into_iter().find(|f| f.id() == s)
    }

    /// The step whose work produces the figure: an item may use it only on that step or a later one, so the
    /// "do this first" it shows never sends the owner forward.
    pub fn step(self) -> StepId {
        match self {
            DataFact::Columns | DataFact::Minors => StepId::Inventory,
            DataFact::FieldsKept => StepId::Minimisation,
            DataFact::Prepaid | DataFact::Parcels | DataFact::LegalHold => StepId::Decisions,
            DataFact::Replies => StepId::Notices,
        }
    }
}

/// What answers a derived checklist item: a fact of the case details, or a figure from the case's data.
/// Written in `steps.toml` (and serialised) as the plain id, `case.seller` or `plan.prepaid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum DerivedFrom {
    Case(CaseFact),
    Data(DataFact),
}

impl DerivedFrom {
    /// Every id `derived_from` accepts, case facts first.
    pub fn all() -> Vec<DerivedFrom> {
        CaseFact::ALL
            .into_iter()
            .map(DerivedFrom::Case)
            .chain(DataFact::ALL.into_iter().map(DerivedFrom::Data))
            .collect()
    }

    pub fn id(self) -> &'static str {
        match self {
            DerivedFrom::Case(f) => f.id(),
            DerivedFrom::Data(f) => f.id(),
        }
    }

    pub fn parse(s: &str) -> Option<DerivedFrom> {
        CaseFact::parse(s)
            .map(DerivedFrom::Case)
            .or_else(|| DataFact::parse(s).map(DerivedFrom::Data))
    }

    pub fn case_fact(self) -> Option<CaseFact> {
        match self {
            DerivedFrom::Case(f) => Some(f),
            DerivedFrom::Data(_) => None,
        }
    }

    pub fn data_fact(self) -> Option<DataFact> {
        match self {
            DerivedFrom::Data(f) => Some(f),
            DerivedFrom::Case(_) => None,
        }
    }
}

/// The note of an item answered by the case details (see [`CaseFact::note`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DerivedNote {
    pub fact: CaseFact,
    /// The fact holds: the item is ticked.
    pub holds: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChecklistItem {
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    /// The article sections this item comes from.
    pub sources: Vec<SourceRef>,
    pub citations: Vec<Citation>,
    /// Whether printing the final summary waits for this item (when it applies).
    pub blocking: bool,
    /// `None`: applies in every situation.
    pub condition: Option<Condition>,
    /// `Some`: answered by the case details or the app's own figures, not by hand.
    pub derived_from: Option<DerivedFrom>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Step {
    pub id: StepId,
    pub title: Text,
    /// Why it matters, in plain words.
    pub why: Text,
    pub what_to_do: Text,
    pub sources: Vec<SourceRef>,
    /// `None`: applies in every situation.
    pub condition: Option<Condition>,
    pub items: Vec<ChecklistItem>,
}

/// A source article (kept verbatim in `assets/wizard/articles/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Article {
    pub id: String,
    /// Path relative to `assets/wizard/`.
    pub file: String,
    /// The headline, as written.
    pub title: String,
    /// File name of the seed the copy was taken from.
    pub seed: String,
    pub url: Option<String>,
    /// Unnumbered headings that open a block of numbered points (the publisher's closing advertisement).
    pub unnumbered_headings: Vec<UnnumberedHeading>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnnumberedHeading {
    /// The section id given to the block, e.g. `afterword`.
    pub section: String,
    /// The heading line, exactly as written.
    pub heading: String,
}

/// Where the wizard uses a section of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Coverage {
    /// The steps and items whose `sources` name the section.
    Covered { by: Vec<String> },
    /// Used by no step or item, for this reason.
    Background { reason_id: String, reason: Text },
}

/// One numbered section of an article and where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MappedSection {
    pub article: String,
    /// `"4"` for 四、, `"4.5"` for its point 5., `"afterword.2"` for a point of an unnumbered block.
    pub section: String,
    /// The number as written ("四、", "5."); `None` for a lost or unnumbered heading.
    pub numbering: Option<String>,
    /// As written; `None` when the heading was lost.
    pub title: Option<String>,
    /// The article's text is there but its heading is not (section 一 of the scraped pages).
    pub heading_lost: bool,
    pub coverage: Coverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ContentMap {
    pub articles: Vec<Article>,
    pub sections: Vec<MappedSection>,
}

impl ContentMap {
    pub fn section(&self, article: &str, section: &str) -> Option<&MappedSection> {
        self.sections
            .iter()
            .find(|s| s.article == article && s.section == section)
    }
}

/// The validated wizard content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Wizard {
    pub laws: Vec<Law>,
    /// In [`StepId::ALL`] order.
    pub steps: Vec<Step>,
    pub content_map: ContentMap,
}

/// What the wizard needs to know about a case to decide what applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Situation {
    pub kind: BusinessKind,
    pub reason: TransferReason,
    /// Whether someone receives the customer information.
    pub has_recipient: bool,
}

impl Situation {
    /// The usual situation for a reason: a dissolution has no recipient, every other reason has one
    /// ([`TransferReason::needs_recipient`]).
    pub fn new(kind: BusinessKind, reason: TransferReason) -> Situation {
        Situation {
            kind,
            reason,
            has_recipient: reason.needs_recipient(),
        }
    }

    /// The situation of a case. A dissolution with a successor entered as recipient has a recipient; for the
    /// other reasons a recipient not yet entered is an open item on the case step, not an absence.
    pub fn of_case(details: &CaseDetails) -> Situation {
        Situation {
            kind: details.kind,
            reason: details.reason,
            has_recipient: details.recipient.is_some() || details.reason.needs_recipient(),
        }
    }

    /// Every situation a case can be in.
    pub fn all() -> Vec<Situation> {
        let mut out = Vec::new();
        for kind in BusinessKind::ALL {
            for reason in TransferReason::ALL {
                out.push(Situation {
                    kind,
                    reason,
                    has_recipient: true,
                });
                if !reason.needs_recipient() {
                    out.push(Situation {
                        kind,
                        reason,
                        has_recipient: false,
                    });
                }
            }
        }
        out
    }
}

/// A step as it stands for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StepForCase {
    pub id: StepId,
    /// 1-based.
    pub number: usize,
    pub title: Text,
    pub why: Text,
    pub what_to_do: Text,
    pub sources: Vec<SourceRef>,
    pub applies: bool,
    /// Shown instead of the step's content when it does not apply.
    pub not_applicable_reason: Option<Text>,
    pub items: Vec<ItemForCase>,
}

/// A checklist item as it stands for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ItemForCase {
    pub id: String,
    pub text: Text,
    pub help: Option<Text>,
    pub sources: Vec<SourceRef>,
    pub citations: Vec<Citation>,
    pub blocking: bool,
    pub applies: bool,
    /// The item's own reason, or its step's when the whole step does not apply.
    pub not_applicable_reason: Option<Text>,
    /// `blocking && applies`: printing the summary waits for it.
    pub blocks_printing: bool,
    /// `Some`: its state follows the case details or the app's figures and cannot be set by hand (a note
    /// and evidence can).
    pub derived_from: Option<DerivedFrom>,
}

/// Wizard content that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid wizard content ({} problem(s)):\n- {}", .problems.len(), .problems.join("\n- "))]
pub struct ContentError {
    pub problems: Vec<String>,
}
