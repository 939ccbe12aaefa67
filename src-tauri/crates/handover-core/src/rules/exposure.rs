//! The exposure check: records that a transfer would hand over without a legal basis, compared with the
//! thresholds of the 2017 judicial interpretation of Criminal Law Art. 253-1 (providing personal information
//! without consent; law-notes L).
//!
//! Art. 5 of the interpretation counts "serious" from 50 records of whereabouts, communications content,
//! credit or property information, 500 of lodging, call records, health or transaction information, and
//! 5,000 of any other personal information; ten times that is "especially serious". Information obtained
//! while providing a service counts at half (25 / 250 / 2,500), and everything a shop, station or company
//! holds about its customers was obtained that way, so the halved figures apply.
//!
//! Which records lack a legal basis (law-notes N): every record that would leave — handed over, or handed
//! over de-identified (de-identified data is still personal information and still "provided": Art. 3(2) of
//! the interpretation, PIPL Art. 73; only anonymised data is not) — when nothing makes its leaving lawful: a
//! refuser, an objection, a withdrawn consent or a deletion request; a list sold without the customer's (or
//! a child's guardian's) consent; a child's record without the guardian's yes; a change of purpose without
//! new consent; a recipient abroad without separate consent or a transfer mechanism; courier data that belongs
//! to the courier company; a record under a legal hold (storage only). The rules never send such a record, so in practice these are
//! the owner's overrides; the test is on the facts, not on who decided (`plan::leaves_without_basis`). In
//! bankruptcy the administrator takes everything by law.
//!
//! The classes combine in proportion (Art. 5(1)(6)): the level is that of Σ records × weight against 2,500.
//! The price of a list sold while some of its records lack a basis is illegal gains (Art. 5(1)(7)): ¥5,000,
//! halved to ¥2,500 for information obtained while providing a service (Art. 5(1)(8)); the whole price is
//! compared, as a court need not split it. The level is the higher of the two.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::conditions::FieldSet;
use crate::field::FieldType;
use crate::i18n::Text;

/// The kinds of information the interpretation's thresholds distinguish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExposureClass {
    /// 财产信息 (and whereabouts, communications content, credit): 50, halved 25.
    Property,
    /// 交易信息 (and lodging, call records, health): 500, halved 250.
    Transaction,
    /// Any other personal information: 5,000, halved 2,500.
    Other,
}

impl ExposureClass {
    pub const ALL: [ExposureClass; 3] = [
        ExposureClass::Property,
        ExposureClass::Transaction,
        ExposureClass::Other,
    ];

    /// The interpretation's threshold for "serious" (情节严重).
    pub fn full_threshold(self) -> u64 {
        match self {
            ExposureClass::Property => 50,
            ExposureClass::Transaction => 500,
            ExposureClass::Other => 5_000,
        }
    }

    /// Halved: information obtained while providing a service.
    pub fn threshold(self) -> u64 {
        self.full_threshold() / 2
    }

    /// What one record of the class weighs against the "other" threshold: 100, 10, 1. The classes combine
    /// in proportion (Art. 5(1)(6)): 10 property records and 150 transaction records are 1,000 + 1,500 =
    /// 2,500, a serious case though neither reaches its own threshold.
    pub fn weight(self) -> u64 {
        ExposureClass::Other.threshold() / self.threshold()
    }

    /// The most serious class among a record's fields.
    pub fn of(fields: FieldSet, prepaid_positive: bool) -> ExposureClass {
        ExposureClass::placed(fields, prepaid_positive).0
    }

    /// The most serious class among a record's fields, and whether it was placed there by court practice
    /// rather than by the interpretation's words: an address with a phone number (a waybill's data), and a
    /// plate with its owner (name, phone or ID), are often treated as the 500 tier (law-notes N ◐, to be
    /// verified).
    pub fn placed(fields: FieldSet, prepaid_positive: bool) -> (ExposureClass, bool) {
        if prepaid_positive || fields.contains(FieldType::BankCard) {
            return (ExposureClass::Property, false);
        }
        let phone = fields.contains(FieldType::Mobile) || fields.contains(FieldType::Landline);
        let owner = phone || fields.contains(FieldType::Name) || fields.contains(FieldType::IdCard);
        let by_practice = (fields.contains(FieldType::Address) && phone)
            || (fields.contains(FieldType::Plate) && owner);
        let class = ExposureClass::by_words(fields);
        if by_practice && class == ExposureClass::Other {
            return (ExposureClass::Transaction, true);
        }
        (class, false)
    }

    /// The class the interpretation's words give a record's fields.
    fn by_words(fields: FieldSet) -> ExposureClass {
        let transaction = [
            FieldType::Waybill,
            FieldType::PickupCode,
            FieldType::LastActivity,
            FieldType::Points,
            FieldType::PrepaidBalance,
        ];
        if transaction.iter().any(|f| fields.contains(*f)) {
            ExposureClass::Transaction
        } else {
            ExposureClass::Other
        }
    }
}

/// How serious a count is under the interpretation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExposureLevel {
    None,
    BelowThreshold,
    /// 情节严重
    Serious,
    /// 情节特别严重 (ten times the threshold)
    EspeciallySerious,
}

impl ExposureLevel {
    pub fn of(count: u64, threshold: u64) -> ExposureLevel {
        if count == 0 {
            ExposureLevel::None
        } else if count >= threshold * 10 {
            ExposureLevel::EspeciallySerious
        } else if count >= threshold {
            ExposureLevel::Serious
        } else {
            ExposureLevel::BelowThreshold
        }
    }
}

/// The price of a list sale compared with the gains threshold (Art. 5(1)(7)–(8)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GainsCheck {
    /// The price the owner stated, in yuan.
    pub price: u64,
    /// ¥2,500: ¥5,000 halved for information obtained while providing a service.
    pub threshold: u64,
    pub level: ExposureLevel,
}

impl GainsCheck {
    /// The gains threshold for "serious", halved (Art. 5(1)(8)).
    pub const THRESHOLD: u64 = 2_500;

    pub fn of(price: u64) -> GainsCheck {
        GainsCheck {
            price,
            threshold: GainsCheck::THRESHOLD,
            level: ExposureLevel::of(price, GainsCheck::THRESHOLD),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExposureCount {
    pub class: ExposureClass,
    pub label: String,
    pub records: u64,
    /// The halved threshold that applies (25 / 250 / 2,500).
    pub threshold: u64,
    pub level: ExposureLevel,
}

/// The result of the check, with a plain-words explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExposureCheck {
    pub records_without_basis: u64,
    pub counts: Vec<ExposureCount>,
    /// Of the records without basis, those placed in the 500 tier by court practice (address + phone, plate +
    /// owner): the placement is to be verified.
    pub placed_by_practice: u64,
    /// A list sold while some of its records lack a basis: its price against the gains threshold.
    pub gains: Option<GainsCheck>,
    pub level: ExposureLevel,
    /// The transfer package must not be made while this is true.
    pub blocks_transfer: bool,
    pub explanation: String,
    pub citations: Vec<String>,
    // The citations in both languages; the edge fills `citations`, `explanation` and the counts' labels in
    // the owner's language (`crate::i18n::Localize`). Empty until then.
    #[serde(skip)]
    #[ts(skip)]
    pub cited: Vec<Text>,
}

/// Counts per class of records without a legal basis.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExposureTally {
    pub counts: [u64; 3],
    /// Records placed in their class by court practice.
    pub placed_by_practice: u64,
    /// The price of the list, in yuan, when the case is a list sale and the owner stated it.
    pub list_price: Option<u64>,
}

impl ExposureTally {
    pub fn add(&mut self, class: ExposureClass) {
        let i = ExposureClass::ALL
            .iter()
            .position(|c| *c == class)
            .unwrap_or(2);
        self.counts[i] += 1;
    }

    /// A record without basis, with how its class was placed.
    pub fn add_placed(&mut self, class: ExposureClass, by_practice: bool) {
        self.add(class);
        self.placed_by_practice += u64::from(by_practice);
    }

    /// The check. Its sentences (`explanation`, `citations`, the counts' `label`) are filled by the edge.
    pub fn check(&self, cited: Vec<Text>) -> ExposureCheck {
        let counts: Vec<ExposureCount> = ExposureClass::ALL
            .iter()
            .zip(self.counts)
            .map(|(class, records)| ExposureCount {
                class: *class,
                label: String::new(),
                records,
                threshold: class.threshold(),
                level: ExposureLevel::of(records, class.threshold()),
            })
            .collect();
        let total: u64 = self.counts.iter().sum();
        // The classes combined in proportion: each record weighs its share of its own threshold.
        let score: u64 = ExposureClass::ALL
            .iter()
            .zip(self.counts)
            .map(|(class, records)| records.saturating_mul(class.weight()))
            .fold(0u64, u64::saturating_add);
        // The price is illegal gains only when something in the sale lacks a basis.
        let gains = self.list_price.filter(|_| total > 0).map(GainsCheck::of);
        let level = ExposureLevel::of(score, ExposureClass::Other.threshold())
            .max(gains.as_ref().map_or(ExposureLevel::None, |g| g.level));
        ExposureCheck {
            records_without_basis: total,
            counts,
            placed_by_practice: self.placed_by_practice,
            gains,
            level,
            blocks_transfer: total > 0,
            explanation: String::new(),
            citations: Vec::new(),
            cited,
        }
    }
}

impl ExposureCheck {
    /// The count the explanation speaks of: the class that weighs most in the combined count.
    pub fn worst(&self) -> Option<&ExposureCount> {
        self.counts
            .iter()
            .filter(|c| c.records > 0)
            .max_by_key(|c| c.records.saturating_mul(c.class.weight()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Localize};

    #[test]
    fn halved_thresholds_and_levels() {
        assert_eq!(ExposureClass::Property.threshold(), 25);
        assert_eq!(ExposureClass::Transaction.threshold(), 250);
        assert_eq!(ExposureClass::Other.threshold(), 2_500);
        assert_eq!(ExposureLevel::of(0, 25), ExposureLevel::None);
        assert_eq!(ExposureLevel::of(24, 25), ExposureLevel::BelowThreshold);
        assert_eq!(ExposureLevel::of(25, 25), ExposureLevel::Serious);
        assert_eq!(ExposureLevel::of(250, 25), ExposureLevel::EspeciallySerious);
        let mut t = ExposureTally::default();
        for _ in 0..30 {
            t.add(ExposureClass::of(FieldSet::of(&[FieldType::Name]), true));
        }
        t.add(ExposureClass::of(FieldSet::of(&[FieldType::Name]), false));
        let c = t.check(vec![]).localized(Lang::ZhCn);
        assert_eq!(c.records_without_basis, 31);
        assert_eq!(c.level, ExposureLevel::Serious);
        assert!(c.blocks_transfer);
        assert!(
            c.explanation.contains("25 条就算情节严重"),
            "{}",
            c.explanation
        );
        // Proportional: 10 property records (weight 100) and 150 transaction records (weight 10) make
        // 2,500, a serious case, though each class alone stays below its threshold.
        let mut t = ExposureTally::default();
        for _ in 0..10 {
            t.add(ExposureClass::Property);
        }
        for _ in 0..150 {
            t.add(ExposureClass::Transaction);
        }
        let c = t.check(vec![]);
        assert!(c
            .counts
            .iter()
            .all(|x| x.level <= ExposureLevel::BelowThreshold));
        assert_eq!(c.level, ExposureLevel::Serious);
        assert_eq!(c.worst().unwrap().class, ExposureClass::Transaction);
        let mut t = ExposureTally::default();
        for _ in 0..9 {
            t.add(ExposureClass::Property);
        }
        for _ in 0..159 {
            t.add(ExposureClass::Transaction);
        }
        assert_eq!(t.check(vec![]).level, ExposureLevel::BelowThreshold);
        // An address with a phone is the transaction tier.
        assert_eq!(
            ExposureClass::of(
                FieldSet::of(&[FieldType::Name, FieldType::Mobile, FieldType::Address]),
                false
            ),
            ExposureClass::Transaction
        );
        // A plate with its owner is placed with the transaction tier too, by court practice (to be verified).
        assert_eq!(
            ExposureClass::placed(FieldSet::of(&[FieldType::Plate, FieldType::Name]), false),
            (ExposureClass::Transaction, true)
        );
        assert_eq!(
            ExposureClass::placed(FieldSet::of(&[FieldType::Plate]), false),
            (ExposureClass::Other, false)
        );
        // A card number outranks the practice: property, by the interpretation's words.
        assert_eq!(
            ExposureClass::placed(
                FieldSet::of(&[FieldType::Plate, FieldType::Name, FieldType::BankCard]),
                false
            ),
            (ExposureClass::Property, false)
        );
        // The price of a list sale: ¥2,500 of gains is serious though three records are not.
        let mut t = ExposureTally {
            list_price: Some(3_000),
            ..ExposureTally::default()
        };
        for _ in 0..3 {
            t.add_placed(ExposureClass::Other, false);
        }
        let c = t.check(vec![]).localized(Lang::ZhCn);
        assert_eq!(c.gains.as_ref().unwrap().level, ExposureLevel::Serious);
        assert_eq!(c.level, ExposureLevel::Serious);
        assert!(c.explanation.contains("3000"), "{}", c.explanation);
        // A price with every record lawful is no illegal gain.
        let lawful = ExposureTally {
            list_price: Some(30_000),
            ..ExposureTally::default()
        }
        .check(vec![]);
        assert_eq!(lawful.gains, None);
        assert_eq!(lawful.level, ExposureLevel::None);
        let none = ExposureTally::default().check(vec![]).localized(Lang::En);
        assert!(!none.blocks_transfer);
        assert_eq!(none.level, ExposureLevel::None);
    }
}
