//! The stable machine code of every error ([`Error::code`](crate::Error::code)): what the UI branches on,
//! what `--json` output carries. One enum, so the codes are a closed list: `Error::code` matches every error
//! exhaustively onto it, and the TypeScript bindings turn it into the union type `ErrorCode`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// A stable error code. Part of the product interface: never rename one; add new ones at will.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    WrongPassphrase = "wrong_passphrase",
    NotACase = "not_a_case",
    Corrupted = "corrupted",
    NewerVersion = "newer_version",
    FileNotFound = "file_not_found",
    FileExists = "file_exists",
    SaveTargetNotChosen = "save_target_not_chosen",
    SaveTargetIsTheCase = "save_target_is_the_case",
    Busy = "busy",
    NoPassphrase = "no_passphrase",
    PassphraseMismatch = "passphrase_mismatch",
    WeakPassphrase = "weak_passphrase",
    InvalidDetails = "invalid_details",
    NoCaseOpen = "no_case_open",
    Io = "io",
    Database = "database",
    /// The disk holding the case file is full; nothing was changed.
    DiskFull = "disk_full",
    Cancelled = "cancelled",
    DuplicateImport = "duplicate_import",
    /// A file that cannot be imported as a table; the reader's own code is in the message.
    ImportRefused = "import_refused",
    ImportPending = "import_pending",
    AuditBroken = "audit_broken",
    OverrideReasonMissing = "override_reason_missing",
    OverrideNeedsAcknowledgement = "override_needs_acknowledgement",
    UnknownCustomer = "unknown_customer",
    UnknownRecord = "unknown_record",
    UnknownSource = "unknown_source",
    UnknownOverride = "unknown_override",
    NoCustomerWithPhone = "no_customer_with_phone",
    NothingToChange = "nothing_to_change",
    InvalidRulebook = "invalid_rulebook",
    /// A prepaid balance too large to be real (or totals that would overflow); the plan is refused.
    AmountOutOfRange = "amount_out_of_range",
    UnknownItem = "unknown_item",
    ItemFromCaseDetails = "item_from_case_details",
    ItemFromAppData = "item_from_app_data",
    ReasonRequired = "reason_required",
    EvidenceTooLarge = "evidence_too_large",
    TextTooLong = "text_too_long",
    TextRequired = "text_required",
    NotCustomerInformation = "not_customer_information",
    TransferWithoutBasis = "transfer_without_basis",
    NotFound = "not_found",
    NoticesNeedPlan = "notices_need_plan",
    SmsTooLong = "sms_too_long",
    BadSmsSignature = "bad_sms_signature",
    ReplyColumnsMissing = "reply_columns_missing",
    InvalidNoticeTemplates = "invalid_notice_templates",
    /// More customers without a mobile number than one letters file holds.
    TooManyLetters = "too_many_letters",
    Internal = "internal",
    /// Export refused: no plan, or the plan is out of date.
    NothingToTransfer = "nothing_to_transfer",
    NotAPackage = "not_a_package",
    PackageWrongPassphrase = "package_wrong_passphrase",
    /// A package that fails authentication: changed, cut short or lengthened.
    PackageDamaged = "package_damaged",
    PackageNewerFormat = "package_newer_format",
    PackageMissingPart = "package_missing_part",
    PackageExtraPart = "package_extra_part",
    PackagePartMismatch = "package_part_mismatch",
    PackageUnsafePath = "package_unsafe_path",
    PackageChanged = "package_changed",
    PackageInconsistent = "package_inconsistent",
    DestroyNotConfirmed = "destroy_not_confirmed",
    PlanMissing = "plan_missing",
    PlanStale = "plan_stale",
    InvalidSha256 = "invalid_sha256",
    BackupMismatch = "backup_mismatch",
    NotReceived = "not_received",
    NoCertificate = "no_certificate",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that `assert_eq!(e.code(), "wrong_passphrase")` reads as the code does on the wire.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_is_the_code() {
        for &code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().into())
            );
        }
    }
}
