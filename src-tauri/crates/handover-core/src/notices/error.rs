//! Why a notices or replies request was refused. Its own module, below everything else in `notices`, so the
//! crate's `Error` can hold it without importing the notices code that raises it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error_code::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeError {
    /// Notices are chosen from the plan: compute it first.
    NoPlan,
    /// The SMS of a notice does not fit the number of parts its template declares (the signature, the
    /// recipient's name or contact are too long for it).
    SmsTooLong {
        notice: String,
        units: u32,
        declared_parts: u32,
    },
    /// The SMS signature (签名) must be 2 to 12 characters, without brackets.
    BadSignature,
    /// A reply file without a phone (or customer number) column, or without a status column.
    ReplyColumnsMissing { headers: Vec<String> },
    /// More letters than one letters file holds (customers without a mobile number).
    TooManyLetters {
        notice: String,
        letters: u64,
        max: u64,
    },
    /// A notice template that does not validate (unknown placeholder, one not allowed in its form…).
    InvalidTemplates { problems: Vec<String> },
}

impl NoticeError {
    pub fn code(&self) -> ErrorCode {
        match self {
            NoticeError::NoPlan => ErrorCode::NoticesNeedPlan,
            NoticeError::SmsTooLong { .. } => ErrorCode::SmsTooLong,
            NoticeError::BadSignature => ErrorCode::BadSmsSignature,
            NoticeError::ReplyColumnsMissing { .. } => ErrorCode::ReplyColumnsMissing,
            NoticeError::InvalidTemplates { .. } => ErrorCode::InvalidNoticeTemplates,
            NoticeError::TooManyLetters { .. } => ErrorCode::TooManyLetters,
        }
    }
}
