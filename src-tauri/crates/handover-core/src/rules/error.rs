//! Why a rulebook request was refused. Its own module, below everything else in `rules`, so that the crate's
//! `Error` can hold it without importing the rules that raise it (`From<RulesError> for Error` is in
//! `crate::error`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::terms::Outcome;
use crate::i18n::Lang;

/// Why a rulebook request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RulesError {
    /// An override needs a written reason.
    ReasonMissing,
    /// Overriding a legal hold or a block needs the owner's explicit acknowledgement.
    AcknowledgementRequired {
        outcome: Outcome,
    },
    UnknownCustomer {
        customer_id: i64,
    },
    UnknownRecord {
        record_id: i64,
    },
    UnknownSource {
        source_id: i64,
    },
    UnknownOverride {
        override_id: i64,
    },
    /// No customer with this phone number.
    NoCustomerWithPhone,
    /// A status change that changes nothing.
    NothingToChange,
    /// A rulebook file that does not validate.
    InvalidRulebook {
        problems: Vec<String>,
    },
}

impl RulesError {
    pub fn code(&self) -> &'static str {
        match self {
            RulesError::ReasonMissing => "override_reason_missing",
            RulesError::AcknowledgementRequired { .. } => "override_needs_acknowledgement",
            RulesError::UnknownCustomer { .. } => "unknown_customer",
            RulesError::UnknownRecord { .. } => "unknown_record",
            RulesError::UnknownSource { .. } => "unknown_source",
            RulesError::UnknownOverride { .. } => "unknown_override",
            RulesError::NoCustomerWithPhone => "no_customer_with_phone",
            RulesError::NothingToChange => "nothing_to_change",
            RulesError::InvalidRulebook { .. } => "invalid_rulebook",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            RulesError::ReasonMissing => lang
                .pick("改判必须写明理由。", "An override needs a written reason.")
                .to_string(),
            RulesError::AcknowledgementRequired { outcome } => match lang {
                Lang::ZhCn => format!(
                    "这条记录目前是“{}”：法律要求保存或尚在等待同意/退款。要改判，请明确确认您了解后果并承担责任。",
                    outcome.label(lang)
                ),
                Lang::En => format!(
                    "This record is currently '{}': the law requires keeping it, or it waits for consent or a refund. To override it, explicitly acknowledge that you understand and take responsibility.",
                    outcome.label(lang)
                ),
            },
            RulesError::UnknownCustomer { customer_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {customer_id} 的客户。"),
                Lang::En => format!("There is no customer number {customer_id}."),
            },
            RulesError::UnknownRecord { record_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {record_id} 的记录。"),
                Lang::En => format!("There is no record number {record_id}."),
            },
            RulesError::UnknownSource { source_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {source_id} 的来源。"),
                Lang::En => format!("There is no source number {source_id}."),
            },
            RulesError::UnknownOverride { override_id } => match lang {
                Lang::ZhCn => format!("找不到编号为 {override_id} 的改判。"),
                Lang::En => format!("There is no override number {override_id}."),
            },
            RulesError::NoCustomerWithPhone => lang
                .pick("没有使用这个手机号的客户。", "No customer has this phone number.")
                .to_string(),
            RulesError::NothingToChange => lang
                .pick("没有指定要记录的内容。", "Nothing to record was given.")
                .to_string(),
            RulesError::InvalidRulebook { problems } => match lang {
                Lang::ZhCn => format!("规则文件有误：{}", problems.join("；")),
                Lang::En => format!("The rulebook is invalid: {}", problems.join("; ")),
            },
        }
    }
}
