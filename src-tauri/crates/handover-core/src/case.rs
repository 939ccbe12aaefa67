//! The case details: what business is handed over, why, by whom and to whom.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kind of business. It decides which wizard steps and rules apply (a courier station holds the
/// courier brands' waybill data, a shop holds prepaid balances, a company holds invoices and vouchers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BusinessKind {
    /// 快递驿站
    CourierStation,
    /// 门店
    Shop,
    /// 公司
    Company,
}

/// Why the customer information moves. It decides the legal route (PIPL Art. 22 notice for merger,
/// division, dissolution and bankruptcy; Art. 23 separate consent when only the list is sold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TransferReason {
    /// 整体转让：the whole business is sold.
    SaleWhole,
    /// 仅转让客户名单：the seller goes on; only the customer list is sold.
    SaleList,
    /// 合并
    Merger,
    /// 分立
    Division,
    /// 解散或注销
    Dissolution,
    /// 破产
    Bankruptcy,
}

impl BusinessKind {
    pub const ALL: [BusinessKind; 3] = [
        BusinessKind::CourierStation,
        BusinessKind::Shop,
        BusinessKind::Company,
    ];

    pub fn id(self) -> &'static str {
        match self {
            BusinessKind::CourierStation => "courier-station",
            BusinessKind::Shop => "shop",
            BusinessKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<BusinessKind> {
        BusinessKind::ALL.into_iter().find(|k| k.id() == s)
    }
}

impl TransferReason {
    pub const ALL: [TransferReason; 6] = [
        TransferReason::SaleWhole,
        TransferReason::SaleList,
        TransferReason::Merger,
        TransferReason::Division,
        TransferReason::Dissolution,
        TransferReason::Bankruptcy,
    ];

    pub fn id(self) -> &'static str {
        match self {
            TransferReason::SaleWhole => "sale-whole",
            TransferReason::SaleList => "sale-list",
            TransferReason::Merger => "merger",
            TransferReason::Division => "division",
            TransferReason::Dissolution => "dissolution",
            TransferReason::Bankruptcy => "bankruptcy",
        }
    }

    pub fn parse(s: &str) -> Option<TransferReason> {
        TransferReason::ALL.into_iter().find(|r| r.id() == s)
    }

    /// Whether customer information normally goes to a recipient for this reason. Dissolution may have
    /// none (then everything not held by law is deleted); every other reason has one.
    pub fn needs_recipient(self) -> bool {
        !matches!(self, TransferReason::Dissolution)
    }
}

/// The seller's legal form. It decides rules that bind only some forms: a sole proprietorship (个体工商户)
/// cannot be declared bankrupt (企业破产法 Art. 2 covers enterprise legal persons), and departmental rules for
/// enterprise legal persons (the prepaid-card registration period) are only a policy for the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum LegalForm {
    /// 个体工商户
    IndividualBusiness,
    /// 公司（企业法人）
    Company,
    /// 其他（个人独资企业、合伙企业、其他组织）
    Other,
}

impl LegalForm {
    pub const ALL: [LegalForm; 3] = [
        LegalForm::IndividualBusiness,
        LegalForm::Company,
        LegalForm::Other,
    ];

    pub fn id(self) -> &'static str {
        match self {
            LegalForm::IndividualBusiness => "individual-business",
            LegalForm::Company => "company",
            LegalForm::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<LegalForm> {
        LegalForm::ALL.into_iter().find(|f| f.id() == s)
    }
}

/// How personal information may lawfully leave mainland China (PIPL Art. 38): one of these must be in place
/// before a recipient abroad (or one whose servers are abroad) receives anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum CrossBorderMechanism {
    /// 通过国家网信部门组织的安全评估 (the Cyberspace Administration's security assessment).
    SecurityAssessment,
    /// 与境外接收方订立标准合同 (the standard contract, filed with the provincial cyberspace office).
    StandardContract,
    /// 个人信息保护认证 (certification by a professional body).
    Certification,
}

impl CrossBorderMechanism {
    pub const ALL: [CrossBorderMechanism; 3] = [
        CrossBorderMechanism::SecurityAssessment,
        CrossBorderMechanism::StandardContract,
        CrossBorderMechanism::Certification,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CrossBorderMechanism::SecurityAssessment => "security-assessment",
            CrossBorderMechanism::StandardContract => "standard-contract",
            CrossBorderMechanism::Certification => "certification",
        }
    }

    pub fn parse(s: &str) -> Option<CrossBorderMechanism> {
        CrossBorderMechanism::ALL.into_iter().find(|m| m.id() == s)
    }
}

/// Facts of the case beside its details (stored in the same row), each `None` until the owner answers: the
/// seller's legal form, whether the recipient will use the information for another purpose or in another way
/// (PIPL Art. 22: new consent), whether the recipient or its servers are outside mainland China (Art. 38–39)
/// and, if so, the transfer mechanism in place; the price of a list sale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseFacts {
    pub legal_form: Option<LegalForm>,
    pub purpose_change: Option<bool>,
    pub cross_border: Option<bool>,
    pub cross_border_mechanism: Option<CrossBorderMechanism>,
    /// The price of a customer list sold on its own (sale-list), in whole yuan: illegal gains when records
    /// leave without a basis (2017 interpretation Art. 5(1)(7)–(8)).
    pub list_price: Option<u64>,
}

impl CaseFacts {
    /// What the facts forbid for this reason: a sole proprietorship cannot be declared bankrupt (blocking).
    pub fn problems(&self, reason: TransferReason) -> Vec<DetailProblem> {
        let mut out = Vec::new();
        if reason == TransferReason::Bankruptcy
            && self.legal_form == Some(LegalForm::IndividualBusiness)
        {
            out.push(DetailProblem::new(
                "legal_form",
                DetailProblemCode::BankruptcyNotForSoleProprietor,
                true,
            ));
        }
        out
    }
}

/// The business handing over (转让方).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Seller {
    /// Business or person name, e.g. 张记驿站.
    pub name: String,
    /// Phone, email or address where customers and the recipient reach the seller.
    pub contact: String,
    /// The person responsible for the customer information (负责人).
    pub responsible_person: String,
}

/// The recipient or buyer (接收方). PIPL Art. 22 requires telling customers both its name and its contact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Recipient {
    /// 名称或者姓名
    pub name: String,
    /// 联系方式
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CaseDetails {
    pub kind: BusinessKind,
    pub reason: TransferReason,
    pub seller: Seller,
    /// `None` when there is no recipient (e.g. a business deregistered without a successor).
    pub recipient: Option<Recipient>,
    #[ts(type = "string | null")]
    pub handover_date: Option<NaiveDate>,
    pub notes: String,
}

/// One thing wrong or missing in the case details. Blocking problems stop the case from being saved;
/// the others are shown as "still to do" on the case step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DetailProblem {
    /// Dotted path of the field, e.g. `recipient.contact`.
    pub field: String,
    pub code: DetailProblemCode,
    pub blocking: bool,
    // Filled by the edge in the owner's language (`crate::i18n::Localize`); empty from the core.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DetailProblemCode {
    SellerNameMissing,
    SellerContactMissing,
    ResponsiblePersonMissing,
    RecipientMissing,
    RecipientNameMissing,
    RecipientContactMissing,
    HandoverDateMissing,
    TooLong,
    /// A 个体工商户 cannot be declared bankrupt (企业破产法 Art. 2): choose dissolution instead.
    BankruptcyNotForSoleProprietor,
}

/// Longest text accepted in one field; a case detail is a name or a phone number, not a document.
pub const MAX_FIELD_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 10_000;

impl DetailProblem {
    fn new(field: &str, code: DetailProblemCode, blocking: bool) -> DetailProblem {
        DetailProblem {
            field: field.to_string(),
            code,
            blocking,
            message: String::new(),
        }
    }
}

impl CaseDetails {
    /// Trims every text field, and turns a recipient with neither name nor contact into no recipient.
    pub fn normalized(mut self) -> CaseDetails {
        for s in [
            &mut self.seller.name,
            &mut self.seller.contact,
            &mut self.seller.responsible_person,
            &mut self.notes,
        ] {
            *s = s.trim().to_string();
        }
        if let Some(r) = &mut self.recipient {
            r.name = r.name.trim().to_string();
            r.contact = r.contact.trim().to_string();
            if r.name.is_empty() && r.contact.is_empty() {
                self.recipient = None;
            }
        }
        self
    }

    /// Everything wrong or missing. Only the seller's name and over-long text block saving: a case can be
    /// created quickly and completed later, but the open items stay visible until they are filled.
    pub fn problems(&self) -> Vec<DetailProblem> {
        use DetailProblemCode::*;
        let mut out = Vec::new();
        let too_long = |s: &str, max: usize| s.chars().count() > max;
        let fields = [
            ("seller.name", self.seller.name.as_str()),
            ("seller.contact", self.seller.contact.as_str()),
            (
                "seller.responsible_person",
                self.seller.responsible_person.as_str(),
            ),
            (
                "recipient.name",
                self.recipient.as_ref().map_or("", |r| r.name.as_str()),
            ),
            (
                "recipient.contact",
                self.recipient.as_ref().map_or("", |r| r.contact.as_str()),
            ),
        ];
        for (field, value) in fields {
            if too_long(value, MAX_FIELD_CHARS) {
                out.push(DetailProblem::new(field, TooLong, true));
            }
        }
        if too_long(&self.notes, MAX_NOTES_CHARS) {
            out.push(DetailProblem::new("notes", TooLong, true));
        }
        if self.seller.name.trim().is_empty() {
            out.push(DetailProblem::new("seller.name", SellerNameMissing, true));
        }
        if self.seller.contact.trim().is_empty() {
            out.push(DetailProblem::new(
                "seller.contact",
                SellerContactMissing,
                false,
            ));
        }
        if self.seller.responsible_person.trim().is_empty() {
            out.push(DetailProblem::new(
                "seller.responsible_person",
                ResponsiblePersonMissing,
                false,
            ));
        }
        match &self.recipient {
            None if self.reason.needs_recipient() => {
                out.push(DetailProblem::new("recipient", RecipientMissing, false))
            }
            None => {}
            Some(r) => {
                if r.name.trim().is_empty() {
                    out.push(DetailProblem::new(
                        "recipient.name",
                        RecipientNameMissing,
                        false,
                    ));
                }
                if r.contact.trim().is_empty() {
                    out.push(DetailProblem::new(
                        "recipient.contact",
                        RecipientContactMissing,
                        false,
                    ));
                }
            }
        }
        if self.handover_date.is_none() {
            out.push(DetailProblem::new(
                "handover_date",
                HandoverDateMissing,
                false,
            ));
        }
        out
    }

    pub fn blocking_problems(&self) -> Vec<DetailProblem> {
        self.problems().into_iter().filter(|p| p.blocking).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> CaseDetails {
        CaseDetails {
            kind: BusinessKind::Shop,
            reason: TransferReason::SaleWhole,
            seller: Seller {
                name: "  张记便利店 ".into(),
                contact: String::new(),
                responsible_person: String::new(),
            },
            recipient: Some(Recipient {
                name: " ".into(),
                contact: String::new(),
            }),
            handover_date: None,
            notes: String::new(),
        }
    }

    #[test]
    fn normalizing_trims_and_drops_an_empty_recipient() {
        let d = details().normalized();
        assert_eq!(d.seller.name, "张记便利店");
        assert_eq!(d.recipient, None);
    }

    #[test]
    fn a_sale_without_recipient_is_an_open_item_not_a_block() {
        let d = details().normalized();
        let codes: Vec<_> = d.problems().iter().map(|p| p.code).collect();
        assert!(codes.contains(&DetailProblemCode::RecipientMissing));
        assert!(d.blocking_problems().is_empty());
    }

    #[test]
    fn art22_needs_name_and_contact() {
        let mut d = details().normalized();
        d.recipient = Some(Recipient {
            name: "李四".into(),
            contact: String::new(),
        });
        let p = crate::i18n::Localize::localized(d.problems(), crate::Lang::En);
        let contact = p
            .iter()
            .find(|p| p.code == DetailProblemCode::RecipientContactMissing)
            .unwrap();
        assert!(contact.message.contains("Art. 22"));
    }

    #[test]
    fn dissolution_needs_no_recipient() {
        let mut d = details().normalized();
        d.reason = TransferReason::Dissolution;
        assert!(!d
            .problems()
            .iter()
            .any(|p| p.code == DetailProblemCode::RecipientMissing));
    }

    #[test]
    fn a_missing_seller_name_blocks() {
        let mut d = details();
        d.seller.name = " ".into();
        let d = d.normalized();
        assert_eq!(
            d.blocking_problems()[0].code,
            DetailProblemCode::SellerNameMissing
        );
    }

    #[test]
    fn ids_round_trip() {
        for k in BusinessKind::ALL {
            assert_eq!(BusinessKind::parse(k.id()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.id())
            );
        }
        for r in TransferReason::ALL {
            assert_eq!(TransferReason::parse(r.id()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.id())
            );
        }
    }
}
