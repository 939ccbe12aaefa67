//! Why a rulebook request was refused. Its own module, below everything else in `rules`, so that the crate's
//! `Error` can hold it without importing the rules that raise it (`From<RulesError> for Error` is in
//! `crate::error`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::terms::Outcome;
use crate::error_code::ErrorCode;

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
    /// A prepaid balance above [`MAX_BALANCE`](super::prepaid::MAX_BALANCE) (or totals that would not fit):
    /// surely a mistake in the data, and no plan is made while it is there.
    AmountOutOfRange {
        record_id: i64,
        customer_id: Option<i64>,
        /// The source's label and the record's row in it.
        source: String,
        row: u64,
        /// The balance as stored.
        amount: String,
    },
}

impl RulesError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RulesError::ReasonMissing => ErrorCode::OverrideReasonMissing,
            RulesError::AcknowledgementRequired { .. } => ErrorCode::OverrideNeedsAcknowledgement,
            RulesError::UnknownCustomer { .. } => ErrorCode::UnknownCustomer,
            RulesError::UnknownRecord { .. } => ErrorCode::UnknownRecord,
            RulesError::UnknownSource { .. } => ErrorCode::UnknownSource,
            RulesError::UnknownOverride { .. } => ErrorCode::UnknownOverride,
            RulesError::NoCustomerWithPhone => ErrorCode::NoCustomerWithPhone,
            RulesError::NothingToChange => ErrorCode::NothingToChange,
            RulesError::InvalidRulebook { .. } => ErrorCode::InvalidRulebook,
            RulesError::AmountOutOfRange { .. } => ErrorCode::AmountOutOfRange,
        }
    }
}
