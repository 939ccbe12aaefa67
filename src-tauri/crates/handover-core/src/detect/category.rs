//! The category (基本信息 / 交易信息 / 偏好信息) and the sensitivity (一般 / 敏感) of each field type, with
//! the legal reason for every sensitive one.
//!
//! # How the sensitive fields were chosen
//!
//! PIPL Art. 28 defines sensitive personal information as information whose leak or misuse easily harms
//! dignity, person or property, and lists "生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹" and the
//! information of children under fourteen. For the fields a small business holds:
//!
//! - **Bank card (银行卡号)** — a financial account (金融账户), named in Art. 28 itself: sensitive.
//! - **ID number (身份证号)** — Art. 28's "特定身份" means an identity status, not the number, but national
//!   practice treats the number as sensitive: GB/T 35273-2020 Appendix B lists 身份证件号码 among sensitive
//!   personal information, and a leaked ID number enables fraud in the holder's name. Sensitive; the
//!   standard's text is not verified in our notes, so the citation is marked to be verified.
//! - **Prepaid balance (储值余额)** — a single-purpose prepaid card is not a bank account, so Art. 28's
//!   金融账户 does not clearly cover it; but a balance tied to a named person is property information (个人
//!   财产信息, GB/T 35273-2020 Appendix B, to be verified), and the 2017 criminal-law interpretation counts
//!   property information among the kinds where 50 records are already "serious" (Art. 5). We take the
//!   reading that moves less data (PIPL Art. 5–9 tie-breaker): sensitive. It also matches what the
//!   prepaid rules require anyway: the customer must agree before the buyer takes over the balance.
//! - **Address, waybill, pickup code, last activity** — 行踪轨迹 means a record of someone's movements
//!   over time (GB/T 35273 puts it under 个人位置信息 with precise location). A delivery address is
//!   contact information, a waybill number a parcel's reference, one date of a last visit is not a track.
//!   These are general. A whole pickup history (who collected what, when, where) comes close to a track:
//!   courier data is returned to the brand or deleted, never handed to a buyer (PIPL Art. 21), so it never
//!   becomes the buyer's track record; the rules for courier stations enforce that, not this table.
//! - **Birthday** — general by itself; a birth date (or ID number) showing the customer is under 14 makes
//!   the whole record sensitive (Art. 28, Art. 31); that is judged per record with
//!   [`super::id_card::IdCard::is_minor_on`], not per field.
//! - **Notes** — general as a field, but may contain anything (health remarks such as 过敏); they are
//!   scanned and masked, and the owner reviews them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::field::FieldType;

/// The category of a field, as privacy notices and impact assessments group information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 基本信息: who the customer is and how to reach them.
    Basic,
    /// 交易信息: what the customer bought, holds or sent.
    Transaction,
    /// 偏好信息: remarks, habits, preferences.
    Preference,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Basic, Category::Transaction, Category::Preference];

    pub fn id(self) -> &'static str {
        match self {
            Category::Basic => "basic",
            Category::Transaction => "transaction",
            Category::Preference => "preference",
        }
    }

    /// The category of a field type.
    pub fn of(field: FieldType) -> Category {
        match field {
            FieldType::Name
            | FieldType::Mobile
            | FieldType::Landline
            | FieldType::IdCard
            | FieldType::Address
            | FieldType::Email
            | FieldType::Qq
            | FieldType::Wechat
            | FieldType::Plate
            | FieldType::Birthday
            | FieldType::Gender
            | FieldType::OrganisationName
            | FieldType::ContactPerson => Category::Basic,
            FieldType::BankCard
            | FieldType::Waybill
            | FieldType::PickupCode
            | FieldType::CourierCompany
            | FieldType::MemberNumber
            | FieldType::PrepaidBalance
            | FieldType::Points
            | FieldType::LastActivity
            | FieldType::BankBranch
            | FieldType::AmountOwed
            | FieldType::TransactionAmount
            | FieldType::TopUpAmount
            | FieldType::DocumentDate
            | FieldType::ParcelArrivalTime
            | FieldType::PickupTime
            | FieldType::ParcelStatus => Category::Transaction,
            // Free text holds remarks and habits; an unmapped column is grouped with it rather than
            // presented as identifying information it may not be.
            FieldType::Notes | FieldType::Other => Category::Preference,
        }
    }
}

/// Whether PIPL's rules for sensitive personal information apply (Art. 28–32: separate consent, impact
/// assessment, strict necessity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    General,
    Sensitive,
}

impl Sensitivity {
    pub fn id(self) -> &'static str {
        match self {
            Sensitivity::General => "general",
            Sensitivity::Sensitive => "sensitive",
        }
    }

    /// The sensitivity of a field type.
    pub fn of(field: FieldType) -> Sensitivity {
        match field {
            // A prepaid balance is not a financial account (PIPL Art. 28); it is the evidence of what is owed
            // (law-notes section N), so it is general and travels with the record.
            FieldType::BankCard | FieldType::IdCard => Sensitivity::Sensitive,
            _ => Sensitivity::General,
        }
    }
}

/// A law or standard that a reason cites (its name for people is in `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LawSource {
    /// 个人信息保护法 (PIPL).
    Pipl,
    /// GB/T 35273-2020 个人信息安全规范.
    GbT35273,
    /// The 2017 SPC/SPP interpretation on crimes infringing citizens' personal information.
    Interpretation2017,
}

/// The article or section cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Article {
    Art5,
    Art21,
    Art28,
    Art31,
    AppendixB,
}

/// A legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Citation {
    /// The law or standard, e.g. `个人信息保护法`.
    pub source: LawSource,
    /// Article or section, e.g. `第二十八条`.
    pub article: Article,
    /// Checked against a full text. When false the app shows "待核实 / to be verified" beside it.
    pub verified: bool,
}

/// Why a field is sensitive, or why a field one might think sensitive is not (the sentences are in
/// `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SensitivityReason {
    /// A financial account, named in PIPL Art. 28.
    BankCard,
    /// National practice lists ID numbers as sensitive.
    IdCard,
    /// Not a financial account (PIPL Art. 28), so general: it is the evidence of what is owed.
    PrepaidBalance,
    /// An address, waybill, pickup code or date alone is not a track of movements.
    NotATrack,
    /// General, unless it shows a customer under fourteen.
    Birthday,
    /// May contain anything; scanned, masked and reviewed.
    Notes,
}

/// Category, sensitivity and the reasons, as codes for the edge to word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldClass {
    pub field: FieldType,
    pub category: Category,
    pub sensitivity: Sensitivity,
    /// Why the field is sensitive, or why a field one might think sensitive is not.
    pub reason: Option<SensitivityReason>,
    pub citations: Vec<Citation>,
}

fn cite(source: LawSource, article: Article, verified: bool) -> Citation {
    Citation {
        source,
        article,
        verified,
    }
}

/// The category, sensitivity and reasons of a field type.
pub fn classify_field(field: FieldType) -> FieldClass {
    use Article::*;
    let pipl = |art: Article| cite(LawSource::Pipl, art, true);
    let gbt = || cite(LawSource::GbT35273, AppendixB, false);
    let interp = || cite(LawSource::Interpretation2017, Art5, true);
    let (reason, citations) = match field {
        FieldType::BankCard => (Some(SensitivityReason::BankCard), vec![pipl(Art28)]),
        FieldType::IdCard => (Some(SensitivityReason::IdCard), vec![pipl(Art28), gbt()]),
        FieldType::PrepaidBalance => (
            Some(SensitivityReason::PrepaidBalance),
            vec![pipl(Art28), gbt(), interp()],
        ),
        FieldType::Address
        | FieldType::Waybill
        | FieldType::PickupCode
        | FieldType::LastActivity
        | FieldType::ParcelArrivalTime
        | FieldType::PickupTime => (
            Some(SensitivityReason::NotATrack),
            vec![pipl(Art28), pipl(Art21)],
        ),
        FieldType::Birthday => (
            Some(SensitivityReason::Birthday),
            vec![pipl(Art28), pipl(Art31)],
        ),
        FieldType::Notes => (Some(SensitivityReason::Notes), vec![pipl(Art28)]),
        _ => (None, Vec::new()),
    };
    FieldClass {
        field,
        category: Category::of(field),
        sensitivity: Sensitivity::of(field),
        reason,
        citations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Label, Lang, Message};

    #[test]
    fn every_field_has_a_category_and_sensitivity() {
        for f in FieldType::ALL {
            let c = classify_field(f);
            assert_eq!(c.category, Category::of(f));
            if c.sensitivity == Sensitivity::Sensitive {
                assert!(
                    c.reason.is_some() && !c.citations.is_empty(),
                    "{f:?} needs a reason"
                );
            }
            if let Some(r) = c.reason {
                assert!(!r.message(Lang::ZhCn).is_empty() && !r.message(Lang::En).is_empty());
            }
        }
    }

    #[test]
    fn the_decisions() {
        assert_eq!(Sensitivity::of(FieldType::BankCard), Sensitivity::Sensitive);
        assert_eq!(Sensitivity::of(FieldType::IdCard), Sensitivity::Sensitive);
        assert_eq!(
            Sensitivity::of(FieldType::PrepaidBalance),
            Sensitivity::General
        );
        assert_eq!(Sensitivity::of(FieldType::Address), Sensitivity::General);
        assert_eq!(Sensitivity::of(FieldType::Mobile), Sensitivity::General);
        assert_eq!(Category::of(FieldType::Mobile), Category::Basic);
        assert_eq!(
            Category::of(FieldType::PrepaidBalance),
            Category::Transaction
        );
        assert_eq!(Category::of(FieldType::Notes), Category::Preference);
        // Unverified sources are marked.
        let id = classify_field(FieldType::IdCard);
        assert!(id.citations.iter().any(|c| !c.verified));
        assert!(id
            .citations
            .iter()
            .any(|c| c.verified && c.article.label(Lang::ZhCn) == "第二十八条"));
    }

    #[test]
    fn ids_and_labels() {
        for c in Category::ALL {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.id())
            );
            assert!(!c.label(Lang::En).is_empty());
        }
        for s in [Sensitivity::General, Sensitivity::Sensitive] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.id())
            );
            assert!(!s.label(Lang::ZhCn).is_empty());
        }
        let json = serde_json::to_value(classify_field(FieldType::BankCard)).unwrap();
        assert_eq!(json["sensitivity"], "sensitive");
        assert_eq!(json["category"], "transaction");
    }
}
