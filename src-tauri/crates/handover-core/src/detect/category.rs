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
use crate::i18n::Lang;

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

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::Basic => lang.pick("基本信息", "Basic information"),
            Category::Transaction => lang.pick("交易信息", "Transaction information"),
            Category::Preference => lang.pick("偏好信息", "Preference information"),
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
            | FieldType::Gender => Category::Basic,
            FieldType::BankCard
            | FieldType::Waybill
            | FieldType::PickupCode
            | FieldType::CourierCompany
            | FieldType::MemberNumber
            | FieldType::PrepaidBalance
            | FieldType::Points
            | FieldType::LastActivity => Category::Transaction,
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

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Sensitivity::General => lang.pick("一般个人信息", "General personal information"),
            Sensitivity::Sensitive => lang.pick("敏感个人信息", "Sensitive personal information"),
        }
    }

    /// The sensitivity of a field type.
    pub fn of(field: FieldType) -> Sensitivity {
        match field {
            FieldType::BankCard | FieldType::IdCard | FieldType::PrepaidBalance => {
                Sensitivity::Sensitive
            }
            _ => Sensitivity::General,
        }
    }
}

/// A legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Citation {
    /// The law or standard, e.g. `个人信息保护法`.
    pub source: String,
    /// Article or section, e.g. `第二十八条`.
    pub article: String,
    /// Checked against a full text. When false the app shows "待核实 / to be verified" beside it.
    pub verified: bool,
}

/// Category, sensitivity and the reasons, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldClass {
    pub field: FieldType,
    pub category: Category,
    pub sensitivity: Sensitivity,
    /// Why the field is sensitive, or why a field one might think sensitive is not.
    pub reason: Option<String>,
    pub citations: Vec<Citation>,
}

fn cite(source: &str, article: &str, verified: bool) -> Citation {
    Citation {
        source: source.to_string(),
        article: article.to_string(),
        verified,
    }
}

/// The category, sensitivity and reasons of a field type.
pub fn classify_field(field: FieldType, lang: Lang) -> FieldClass {
    let pipl = |art: &str| cite(lang.pick("个人信息保护法", "PIPL"), art, true);
    let gbt = || {
        cite(
            lang.pick(
                "GB/T 35273-2020《个人信息安全规范》",
                "GB/T 35273-2020 (Personal information security specification)",
            ),
            lang.pick("附录B", "Appendix B"),
            false,
        )
    };
    let interp = || {
        cite(
            lang.pick(
                "最高法、最高检《关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》（2017）",
                "SPC/SPP interpretation on crimes infringing citizens' personal information (2017)",
            ),
            lang.pick("第五条", "Art. 5"),
            true,
        )
    };
    let (reason, citations): (Option<&str>, Vec<Citation>) = match field {
        FieldType::BankCard => (
            Some(lang.pick(
                "银行卡号属于金融账户信息，是《个人信息保护法》第二十八条列明的敏感个人信息。",
                "A bank card number is a financial account, which PIPL Art. 28 names as sensitive.",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28"))],
        ),
        FieldType::IdCard => (
            Some(lang.pick(
                "身份证号一旦泄露容易被冒用，国家标准将身份证件号码列为敏感个人信息（第二十八条“特定身份”及 GB/T 35273 附录B）。",
                "A leaked ID number enables impersonation; national practice lists ID numbers as sensitive (PIPL Art. 28, GB/T 35273 Appendix B).",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28")), gbt()],
        ),
        FieldType::PrepaidBalance => (
            Some(lang.pick(
                "储值余额与具名客户关联，属于个人财产信息；按保守口径作为敏感个人信息处理，转移前需客户同意。",
                "A balance tied to a named customer is property information; treated as sensitive on the conservative reading, so the customer must agree before it moves.",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28")), gbt(), interp()],
        ),
        FieldType::Address | FieldType::Waybill | FieldType::PickupCode | FieldType::LastActivity => (
            Some(lang.pick(
                "单独的地址、单号或日期不构成“行踪轨迹”，按一般个人信息处理；快递数据应退回品牌方或删除，不交给接收方。",
                "An address, waybill number or date on its own is not a track of movements (行踪轨迹) and is general; courier data goes back to the brand or is deleted, never to the buyer.",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28")), pipl(lang.pick("第二十一条", "Art. 21"))],
        ),
        FieldType::Birthday => (
            Some(lang.pick(
                "生日本身是一般个人信息；如显示客户不满十四周岁，整条记录按敏感个人信息处理，需监护人同意。",
                "A birthday is general; if it shows the customer is under fourteen, the whole record is sensitive and needs a guardian's consent.",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28")), pipl(lang.pick("第三十一条", "Art. 31"))],
        ),
        FieldType::Notes => (
            Some(lang.pick(
                "备注可能含有健康等敏感内容，已逐条扫描并脱敏，请人工复核。",
                "Notes may contain sensitive remarks such as health; they are scanned and masked, and need a review.",
            )),
            vec![pipl(lang.pick("第二十八条", "Art. 28"))],
        ),
        _ => (None, Vec::new()),
    };
    FieldClass {
        field,
        category: Category::of(field),
        sensitivity: Sensitivity::of(field),
        reason: reason.map(str::to_string),
        citations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_category_and_sensitivity() {
        for f in FieldType::ALL {
            let c = classify_field(f, Lang::ZhCn);
            assert_eq!(c.category, Category::of(f));
            if c.sensitivity == Sensitivity::Sensitive {
                assert!(
                    c.reason.is_some() && !c.citations.is_empty(),
                    "{f:?} needs a reason"
                );
            }
            let en = classify_field(f, Lang::En);
            assert_eq!(en.reason.is_some(), c.reason.is_some());
        }
    }

    #[test]
    fn the_decisions() {
        assert_eq!(Sensitivity::of(FieldType::BankCard), Sensitivity::Sensitive);
        assert_eq!(Sensitivity::of(FieldType::IdCard), Sensitivity::Sensitive);
        assert_eq!(
            Sensitivity::of(FieldType::PrepaidBalance),
            Sensitivity::Sensitive
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
        let id = classify_field(FieldType::IdCard, Lang::ZhCn);
        assert!(id.citations.iter().any(|c| !c.verified));
        assert!(id
            .citations
            .iter()
            .any(|c| c.verified && c.article == "第二十八条"));
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
        let json = serde_json::to_value(classify_field(FieldType::BankCard, Lang::En)).unwrap();
        assert_eq!(json["sensitivity"], "sensitive");
        assert_eq!(json["category"], "transaction");
    }
}
