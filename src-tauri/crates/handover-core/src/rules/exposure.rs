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
//! Which records lack a legal basis: those the owner overrode to transfer while the rules said otherwise.
//! The rules themselves never transfer without a basis (Art. 22 notice, or Art. 23 consent).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::conditions::FieldSet;
use crate::field::FieldType;
use crate::i18n::Lang;

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

    /// The most serious class among a record's fields.
    pub fn of(fields: FieldSet, prepaid_positive: bool) -> ExposureClass {
        if prepaid_positive || fields.contains(FieldType::BankCard) {
            return ExposureClass::Property;
        }
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

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ExposureClass::Property => lang.pick(
                "财产、行踪轨迹、通信内容、征信信息",
                "property, whereabouts, communications content, credit",
            ),
            ExposureClass::Transaction => lang.pick(
                "交易、住宿、通信记录、健康信息",
                "transaction, lodging, call records, health",
            ),
            ExposureClass::Other => lang.pick("其他个人信息", "other personal information"),
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
    pub level: ExposureLevel,
    /// The transfer package must not be made while this is true.
    pub blocks_transfer: bool,
    pub explanation: String,
    pub citations: Vec<String>,
}

/// Counts per class of records without a legal basis.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExposureTally {
    pub counts: [u64; 3],
}

impl ExposureTally {
    pub fn add(&mut self, class: ExposureClass) {
        let i = ExposureClass::ALL
            .iter()
            .position(|c| *c == class)
            .unwrap_or(2);
        self.counts[i] += 1;
    }

    pub fn check(&self, citations: Vec<String>, lang: Lang) -> ExposureCheck {
        let counts: Vec<ExposureCount> = ExposureClass::ALL
            .iter()
            .zip(self.counts)
            .map(|(class, records)| ExposureCount {
                class: *class,
                label: class.label(lang).to_string(),
                records,
                threshold: class.threshold(),
                level: ExposureLevel::of(records, class.threshold()),
            })
            .collect();
        let total: u64 = self.counts.iter().sum();
        let level = counts
            .iter()
            .map(|c| c.level)
            .max()
            .unwrap_or(ExposureLevel::None);
        let worst = counts
            .iter()
            .filter(|c| c.level == level)
            .max_by_key(|c| c.records);
        let explanation = match (level, worst) {
            (ExposureLevel::None, _) | (_, None) => lang
                .pick(
                    "没有记录会在没有法律依据的情况下交出。",
                    "No record would be handed over without a legal basis.",
                )
                .to_string(),
            (level, Some(w)) => {
                let (zh_level, en_level) = match level {
                    ExposureLevel::EspeciallySerious => ("已达到“情节特别严重”的标准（门槛的十倍）", "reaches the level of an 'especially serious' case (ten times the threshold)"),
                    ExposureLevel::Serious => ("已达到“情节严重”的标准，可能构成侵犯公民个人信息罪", "reaches the level of a 'serious' case, which can be the crime of infringing citizens' personal information"),
                    _ => ("还没有达到刑事立案标准，但仍然违法，可能被罚款", "is below the criminal threshold but still unlawful and can be fined"),
                };
                match lang {
                    Lang::ZhCn => format!(
                        "有 {total} 条记录会在没有客户同意或其他法律依据的情况下交给别人。其中“{}”类 {} 条，而提供服务时获得的这类信息，{} 条就算情节严重；这{}。请先取得同意，或撤销这些改判，否则不能生成移交包。",
                        w.label, w.records, w.threshold, zh_level
                    ),
                    Lang::En => format!(
                        "{total} records would be handed to someone else without the customers' consent or another legal basis. {} of them are {} information, for which {} records obtained while providing a service already make a serious case; this {}. Get consent first or undo these overrides; until then the transfer package cannot be made.",
                        w.records, w.label, w.threshold, en_level
                    ),
                }
            }
        };
        ExposureCheck {
            records_without_basis: total,
            counts,
            level,
            blocks_transfer: total > 0,
            explanation,
            citations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let c = t.check(vec![], Lang::ZhCn);
        assert_eq!(c.records_without_basis, 31);
        assert_eq!(c.level, ExposureLevel::Serious);
        assert!(c.blocks_transfer);
        assert!(
            c.explanation.contains("25 条就算情节严重"),
            "{}",
            c.explanation
        );
        let none = ExposureTally::default().check(vec![], Lang::En);
        assert!(!none.blocks_transfer);
        assert_eq!(none.level, ExposureLevel::None);
    }
}
