//! Errors of the core, each with a stable machine code and its arguments. The sentences for people are in
//! `crate::i18n` (`render(&error, lang)`), picked by the edge.
//!
//! The code is part of the product interface (the UI and `--json` output rely on it); the message is for
//! people and may be reworded.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error_code::ErrorCode;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong passphrase for {0}")]
    WrongPassphrase(PathBuf),
    #[error("{0} is not a Handover case file ({1})")]
    NotACase(PathBuf, &'static str),
    #[error("{0} is damaged: {1}")]
    Corrupted(PathBuf, String),
    #[error(
        "{path} was written by a newer Handover (schema {found}, this app knows up to {known})"
    )]
    NewerVersion {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("{0} does not exist")]
    FileNotFound(PathBuf),
    #[error("{0} already exists")]
    FileExists(PathBuf),
    /// The app writes files only where the owner chose in its save dialog; this place was not chosen there
    /// (or was used already).
    #[error("the place to save was not chosen in the save dialog")]
    SaveTargetNotChosen,
    /// A save would replace the open case file (or its journal).
    #[error("{0} is the open case file; it cannot be saved over")]
    SaveTargetIsTheCase(PathBuf),
    #[error("the case file {0} is in use by another program")]
    Busy(PathBuf),
    #[error("no passphrase given and no terminal to ask on")]
    NoPassphrase,
    #[error("the two passphrases differ")]
    PassphraseMismatch,
    #[error("passphrase too weak")]
    WeakPassphrase(crate::passphrase::Weakness),
    #[error("invalid case details: {0:?}")]
    InvalidDetails(Vec<crate::case::DetailProblem>),
    #[error("no case is open")]
    NoCaseOpen,
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("cancelled by the owner")]
    Cancelled,
    #[error("{file} was already imported on {imported_at}")]
    DuplicateImport {
        file: String,
        previous_label: String,
        imported_at: String,
    },
    /// A file that cannot be imported as a table (binary, empty, header only…); `code` is the reader's.
    #[error("{file} cannot be imported: {reason}")]
    Import {
        file: String,
        code: &'static str,
        reason: crate::import::ReadError,
    },
    #[error("an import is waiting to be committed or discarded")]
    ImportPending,
    /// The audit log's chain was found broken when the case was opened; changes wait until the owner has
    /// seen it and acknowledged it (`Case::acknowledge_audit_break`).
    #[error("the audit log is broken at entry {0}")]
    AuditBroken(i64),
    /// A rulebook request that cannot be carried out (missing reason, unacknowledged override, unknown id…).
    #[error("{0:?}")]
    Rules(crate::rules::error::RulesError),
    #[error("no checklist item {0}")]
    UnknownItem(String),
    /// The item's state follows the case details; only they change it.
    #[error("checklist item {0} is answered by the case details")]
    ItemFromCaseDetails(String),
    /// The item's state follows a figure the app works out from the case's data; only the data changes it.
    #[error("checklist item {0} is answered by the app's figures")]
    ItemFromAppData(String),
    #[error("marking an item as not applicable needs a reason")]
    ReasonRequired,
    #[error("{file} is {size} bytes, more than the {max} an evidence file may have")]
    EvidenceTooLarge { file: String, size: u64, max: u64 },
    /// A text the owner entered is longer than the field allows (`field` names it for the UI).
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: &'static str, max: usize },
    /// A required text the owner left empty (`field` names it for the UI).
    #[error("{field} is required")]
    TextRequired { field: &'static str },
    /// Employees' records or CCTV footage registered to go to the recipient without a written reason: they
    /// are not customer information and do not go with the customers by default.
    #[error("handing over a source that is not customer information needs a reason")]
    NotCustomerInformation,
    /// An evidence file or registered source that no longer exists (removed in another window).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A notices or replies request that cannot be carried out (no plan, an SMS too long, a reply file
    /// without the columns it needs…).
    #[error("{0:?}")]
    Notices(crate::notices::error::NoticeError),
    #[error("internal error: {0}")]
    Internal(String),
    /// Destruction cannot be undone: it runs only when the owner confirms it (`--confirm`, or the typed
    /// confirmation in the app).
    #[error("destruction needs an explicit confirmation")]
    DestroyNotConfirmed,
    /// No plan has been computed yet: there is nothing decided to carry out.
    #[error("no plan has been computed")]
    PlanMissing,
    /// Something the plan depends on changed since it was computed: recompute before carrying it out.
    #[error("the plan is out of date")]
    PlanStale,
    /// A SHA-256 the owner typed is not 64 hexadecimal digits.
    #[error("{0} is not a SHA-256 (64 hexadecimal digits)")]
    InvalidSha256(String),
    /// A backup (or a restored case) does not match the case it was made from.
    #[error("the copy at {path} does not match the case: {what}")]
    BackupMismatch { path: PathBuf, what: String },
    /// A package that cannot be made or received (see `transfer::error::PackageError`).
    #[error("{0:?}")]
    Package(crate::transfer::error::PackageError),
    /// The case was not made by receiving a package: it has no receipt to print.
    #[error("the case was not made by receiving a package")]
    NotReceived,
    /// The case has no destruction certificate (none yet, or none under that reference).
    #[error("no destruction certificate {0}")]
    NoCertificate(String),
}

/// SQLite could not write because the disk (or the file system's quota) is full. SQLite has then rolled the
/// transaction back itself; the owner can free space and try again.
pub fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Error {
        Error::Internal(format!("JSON: {e}"))
    }
}

/// What crosses to the UI and into `--json` output: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WrongPassphrase(_) => ErrorCode::WrongPassphrase,
            Error::NotACase(..) => ErrorCode::NotACase,
            Error::Corrupted(..) => ErrorCode::Corrupted,
            Error::NewerVersion { .. } => ErrorCode::NewerVersion,
            Error::FileNotFound(_) => ErrorCode::FileNotFound,
            Error::FileExists(_) => ErrorCode::FileExists,
            Error::SaveTargetNotChosen => ErrorCode::SaveTargetNotChosen,
            Error::SaveTargetIsTheCase(_) => ErrorCode::SaveTargetIsTheCase,
            Error::Busy(_) => ErrorCode::Busy,
            Error::NoPassphrase => ErrorCode::NoPassphrase,
            Error::PassphraseMismatch => ErrorCode::PassphraseMismatch,
            Error::WeakPassphrase(_) => ErrorCode::WeakPassphrase,
            Error::InvalidDetails(_) => ErrorCode::InvalidDetails,
            Error::NoCaseOpen => ErrorCode::NoCaseOpen,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database(e) if is_disk_full(e) => ErrorCode::DiskFull,
            Error::Database(_) => ErrorCode::Database,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::DuplicateImport { .. } => ErrorCode::DuplicateImport,
            Error::Import { .. } => ErrorCode::ImportRefused,
            Error::ImportPending => ErrorCode::ImportPending,
            Error::AuditBroken(_) => ErrorCode::AuditBroken,
            Error::Rules(e) => e.code(),
            Error::UnknownItem(_) => ErrorCode::UnknownItem,
            Error::ItemFromCaseDetails(_) => ErrorCode::ItemFromCaseDetails,
            Error::ItemFromAppData(_) => ErrorCode::ItemFromAppData,
            Error::ReasonRequired => ErrorCode::ReasonRequired,
            Error::EvidenceTooLarge { .. } => ErrorCode::EvidenceTooLarge,
            Error::TextTooLong { .. } => ErrorCode::TextTooLong,
            Error::TextRequired { .. } => ErrorCode::TextRequired,
            Error::NotCustomerInformation => ErrorCode::NotCustomerInformation,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Notices(e) => e.code(),
            Error::Internal(_) => ErrorCode::Internal,
            Error::Package(e) => e.code(),
            Error::DestroyNotConfirmed => ErrorCode::DestroyNotConfirmed,
            Error::PlanMissing => ErrorCode::PlanMissing,
            Error::PlanStale => ErrorCode::PlanStale,
            Error::InvalidSha256(_) => ErrorCode::InvalidSha256,
            Error::BackupMismatch { .. } => ErrorCode::BackupMismatch,
            Error::NotReceived => ErrorCode::NotReceived,
            Error::NoCertificate(_) => ErrorCode::NoCertificate,
        }
    }
}

impl From<crate::notices::error::NoticeError> for Error {
    fn from(e: crate::notices::error::NoticeError) -> Error {
        Error::Notices(e)
    }
}

impl From<crate::rules::error::RulesError> for Error {
    fn from(e: crate::rules::error::RulesError) -> Error {
        Error::Rules(e)
    }
}

impl From<crate::transfer::error::PackageError> for Error {
    fn from(e: crate::transfer::error::PackageError) -> Error {
        Error::Package(e)
    }
}
