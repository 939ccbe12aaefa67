//! When a rule applies: its conditions, what is known about one record, and the matching.
//!
//! All conditions of a rule must hold; a list holds when any of its values matches; an absent condition
//! holds always. The facts of a record are computed once per record by `plan` and matched against every
//! rule, so matching is a handful of integer comparisons.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::terms::{Answer, SourceKind};
use crate::case::{BusinessKind, TransferReason};
use crate::detect::category::{Category, Sensitivity};
use crate::field::FieldType;
use crate::wizard::Situation;

/// A set of field types, one bit per [`FieldType::ALL`] index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FieldSet(pub u32);

impl FieldSet {
    pub fn bit(f: FieldType) -> u32 {
        let i = FieldType::ALL.iter().position(|x| *x == f).unwrap_or(0);
        1 << i
    }

    pub fn of(fields: &[FieldType]) -> FieldSet {
        FieldSet(fields.iter().fold(0, |m, f| m | FieldSet::bit(*f)))
    }

    pub fn insert(&mut self, f: FieldType) {
        self.0 |= FieldSet::bit(f);
    }

    pub fn contains(self, f: FieldType) -> bool {
        self.0 & FieldSet::bit(f) != 0
    }

    pub fn intersects(self, other: FieldSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The field types in the set, in [`FieldType::ALL`] order.
    pub fn fields(self) -> Vec<FieldType> {
        FieldType::ALL
            .into_iter()
            .filter(|f| self.contains(*f))
            .collect()
    }

    /// All field types of a category (no allocation: it runs once per rule and record).
    pub fn of_category(c: Category) -> FieldSet {
        FieldSet(
            FieldType::ALL
                .into_iter()
                .filter(|f| Category::of(*f) == c)
                .fold(0, |m, f| m | FieldSet::bit(f)),
        )
    }

    /// All field types of a sensitivity.
    pub fn of_sensitivity(s: Sensitivity) -> FieldSet {
        FieldSet(
            FieldType::ALL
                .into_iter()
                .filter(|f| Sensitivity::of(*f) == s)
                .fold(0, |m, f| m | FieldSet::bit(f)),
        )
    }
}

/// The conditions of a rule, as written in the rulebook (`when = { … }`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields, default)]
pub struct When {
    pub kinds: Vec<BusinessKind>,
    pub reasons: Vec<TransferReason>,
    pub has_recipient: Option<bool>,
    pub source_kinds: Vec<SourceKind>,
    pub fields_any: Vec<FieldType>,
    pub categories_any: Vec<Category>,
    pub sensitivity: Option<Sensitivity>,
    pub minor: Option<bool>,
    pub prepaid_positive: Option<bool>,
    /// The last activity is more than this many days before the handover date.
    pub inactive_days: Option<u32>,
    pub uncollected: Option<bool>,
    /// Every legal hold that applies to the record has ended before the handover date (PIPL Art. 19, 47):
    /// set by the evaluator, which does not apply a retain rule whose period has passed.
    pub retention_expired: Option<bool>,
    pub consent: Vec<Answer>,
    pub guardian_consent: Vec<Answer>,
    /// An explicit "no" to the transfer: the customer's, or a guardian's for a child under 14 (PIPL Art. 44,
    /// 31). Refusal is refusal: such a record never moves, and a refused consent is never awaited.
    pub refused: Option<bool>,
    /// The seller is an enterprise legal person (legal form company; a case without a stated legal form
    /// counts its business kind company as one): departmental rules for enterprises bind it as law.
    pub enterprise: Option<bool>,
    pub objection: Option<bool>,
    pub deletion_request: Option<bool>,
    pub refunded: Option<bool>,
    /// The recipient will use the information for another purpose or in another way (a case fact; PIPL
    /// Art. 22, third sentence: new consent).
    pub purpose_change: Option<bool>,
    /// The recipient or its servers are outside mainland China (a case fact; PIPL Art. 38–39).
    pub cross_border: Option<bool>,
    /// A transfer mechanism of PIPL Art. 38 is in place (a case fact).
    pub cross_border_mechanism: Option<bool>,
    /// The customer has died (PIPL Art. 49).
    pub deceased: Option<bool>,
    /// The customer withdrew consent earlier (PIPL Art. 15, 47(3)).
    pub consent_withdrawn: Option<bool>,
}

/// What is known about one record when the rules are evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    pub source_kind: SourceKind,
    /// The field types of which the record holds a non-empty value.
    pub fields: FieldSet,
    /// Under 14 on the handover date (PIPL Art. 31).
    pub minor: bool,
    pub prepaid_positive: bool,
    pub last_activity: Option<NaiveDate>,
    /// The record's own date (a voucher, invoice or transaction date column): where its retention starts.
    pub document_date: Option<NaiveDate>,
    pub uncollected: bool,
    /// A legal hold applied to the record and every one has ended (computed by the evaluator).
    pub retention_expired: bool,
    /// The consent that counts: the customer's own, or for a child under 14 the guardian's (PIPL Art. 31: a
    /// guardian's yes is the consent, no second consent is asked of the child); `No` whenever `refused`.
    pub consent: Answer,
    pub guardian_consent: Answer,
    /// An explicit no: the customer's, or a guardian's for a child.
    pub refused: bool,
    /// The seller is an enterprise legal person (a fact of the case, copied to every record).
    pub enterprise: bool,
    pub objection: bool,
    pub deletion_request: bool,
    pub refunded: bool,
    /// Case facts copied to every record: the recipient changes the purpose or method; it or its servers are
    /// abroad; a transfer mechanism is in place.
    pub purpose_change: bool,
    pub cross_border: bool,
    pub cross_border_mechanism: bool,
    /// The customer has died.
    pub deceased: bool,
    /// The customer withdrew consent earlier.
    pub consent_withdrawn: bool,
}

impl Default for RecordFacts {
    fn default() -> RecordFacts {
        RecordFacts {
            source_kind: SourceKind::CustomerList,
            fields: FieldSet::default(),
            minor: false,
            prepaid_positive: false,
            last_activity: None,
            document_date: None,
            uncollected: false,
            retention_expired: false,
            consent: Answer::Unknown,
            guardian_consent: Answer::Unknown,
            refused: false,
            enterprise: false,
            objection: false,
            deletion_request: false,
            refunded: false,
            purpose_change: false,
            cross_border: false,
            cross_border_mechanism: false,
            deceased: false,
            consent_withdrawn: false,
        }
    }
}

fn list_holds<T: PartialEq>(list: &[T], value: &T) -> bool {
    list.is_empty() || list.contains(value)
}

fn flag_holds(cond: Option<bool>, value: bool) -> bool {
    cond.is_none_or(|c| c == value)
}

impl RecordFacts {
    /// Sets the answers from what the customer and the guardian said. For a child under 14 the guardian's
    /// answer is the consent (PIPL Art. 31); an explicit no of either is a refusal (Art. 44), and a refused
    /// consent is never "unknown" (never awaited).
    pub fn with_answers(mut self, own: Answer, guardian: Answer) -> RecordFacts {
        self.guardian_consent = guardian;
        self.refused = own == Answer::No || (self.minor && guardian == Answer::No);
        self.consent = if self.refused {
            Answer::No
        } else if self.minor {
            guardian
        } else {
            own
        };
        self
    }
}

impl When {
    /// Whether every condition holds for this record in this situation, on this handover date.
    pub fn holds(&self, situation: &Situation, handover: NaiveDate, f: &RecordFacts) -> bool {
        list_holds(&self.kinds, &situation.kind)
            && list_holds(&self.reasons, &situation.reason)
            && flag_holds(self.has_recipient, situation.has_recipient)
            && list_holds(&self.source_kinds, &f.source_kind)
            && (self.fields_any.is_empty() || FieldSet::of(&self.fields_any).intersects(f.fields))
            && (self.categories_any.is_empty()
                || self
                    .categories_any
                    .iter()
                    .any(|c| FieldSet::of_category(*c).intersects(f.fields)))
            && self
                .sensitivity
                .is_none_or(|s| FieldSet::of_sensitivity(s).intersects(f.fields))
            && flag_holds(self.minor, f.minor)
            && flag_holds(self.prepaid_positive, f.prepaid_positive)
            && self.inactive_days.is_none_or(|days| {
                f.last_activity
                    .is_some_and(|last| (handover - last).num_days() > i64::from(days))
            })
            && flag_holds(self.uncollected, f.uncollected)
            && flag_holds(self.retention_expired, f.retention_expired)
            && list_holds(&self.consent, &f.consent)
            && list_holds(&self.guardian_consent, &f.guardian_consent)
            && flag_holds(self.refused, f.refused)
            && flag_holds(self.enterprise, f.enterprise)
            && flag_holds(self.objection, f.objection)
            && flag_holds(self.deletion_request, f.deletion_request)
            && flag_holds(self.refunded, f.refunded)
            && flag_holds(self.purpose_change, f.purpose_change)
            && flag_holds(self.cross_border, f.cross_border)
            && flag_holds(self.cross_border_mechanism, f.cross_border_mechanism)
            && flag_holds(self.deceased, f.deceased)
            && flag_holds(self.consent_withdrawn, f.consent_withdrawn)
    }

    /// Whether some record in some situation could meet both sets of conditions. Conservative: it says
    /// "could" unless two conditions on the same thing exclude each other (disjoint lists, opposite flags).
    pub fn can_overlap(&self, other: &When) -> bool {
        fn lists<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
        }
        fn flags(a: Option<bool>, b: Option<bool>) -> bool {
            !matches!((a, b), (Some(x), Some(y)) if x != y)
        }
        lists(&self.kinds, &other.kinds)
            && lists(&self.reasons, &other.reasons)
            && flags(self.has_recipient, other.has_recipient)
            && lists(&self.source_kinds, &other.source_kinds)
            && flags(self.minor, other.minor)
            && flags(self.prepaid_positive, other.prepaid_positive)
            && flags(self.uncollected, other.uncollected)
            && flags(self.retention_expired, other.retention_expired)
            && lists(&self.consent, &other.consent)
            && lists(&self.guardian_consent, &other.guardian_consent)
            && flags(self.refused, other.refused)
            && flags(self.enterprise, other.enterprise)
            && flags(self.objection, other.objection)
            && flags(self.deletion_request, other.deletion_request)
            && flags(self.refunded, other.refunded)
            && flags(self.purpose_change, other.purpose_change)
            && flags(self.cross_border, other.cross_border)
            && flags(self.cross_border_mechanism, other.cross_border_mechanism)
            && flags(self.deceased, other.deceased)
            && flags(self.consent_withdrawn, other.consent_withdrawn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sit(reason: TransferReason) -> Situation {
        Situation::new(BusinessKind::Shop, reason)
    }

    #[test]
    fn conditions_hold_as_documented() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let when = When {
            reasons: vec![TransferReason::SaleList],
            consent: vec![Answer::No, Answer::Unknown],
            sensitivity: Some(Sensitivity::Sensitive),
            inactive_days: Some(1095),
            ..When::default()
        };
        let mut f = RecordFacts {
            fields: FieldSet::of(&[FieldType::Name, FieldType::IdCard]),
            last_activity: NaiveDate::from_ymd_opt(2020, 1, 1),
            ..RecordFacts::default()
        };
        assert!(when.holds(&sit(TransferReason::SaleList), day, &f));
        assert!(!when.holds(&sit(TransferReason::SaleWhole), day, &f));
        f.consent = Answer::Yes;
        assert!(!when.holds(&sit(TransferReason::SaleList), day, &f));
        f.consent = Answer::Unknown;
        f.fields = FieldSet::of(&[FieldType::Name]);
        assert!(!when.holds(&sit(TransferReason::SaleList), day, &f));
        f.fields = FieldSet::of(&[FieldType::BankCard]);
        f.last_activity = NaiveDate::from_ymd_opt(2026, 1, 1);
        assert!(!when.holds(&sit(TransferReason::SaleList), day, &f));
        // An unknown last activity is never "inactive": no deletion on a guess.
        f.last_activity = None;
        assert!(!when.holds(&sit(TransferReason::SaleList), day, &f));
        assert!(When::default().holds(&sit(TransferReason::Merger), day, &f));
    }

    #[test]
    fn overlap_is_excluded_only_by_contradictions() {
        let a = When {
            consent: vec![Answer::Yes],
            ..When::default()
        };
        let b = When {
            consent: vec![Answer::No, Answer::Unknown],
            ..When::default()
        };
        assert!(!a.can_overlap(&b));
        let c = When {
            objection: Some(true),
            ..When::default()
        };
        assert!(a.can_overlap(&c));
        let d = When {
            objection: Some(false),
            ..When::default()
        };
        assert!(!c.can_overlap(&d));
    }
}
