//! Why a package was refused or could not be made. Its own module, below everything else in `transfer`, so
//! that the crate's `Error` can hold it without importing the modules that raise it (`From<PackageError> for
//! Error` is in `crate::error`). Each case has its own code: the receiving screen and scripts tell a wrong
//! passphrase from a damaged file from a file that is not a package.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error_code::ErrorCode;

/// Why a package was refused (receiving) or not made (export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PackageError {
    /// Export: no record's outcome is transfer.
    NothingToTransfer,
    /// Export: records would leave without a lawful basis (the plan's exposure check); nothing is made until
    /// consent is recorded or the overrides are withdrawn.
    WithoutBasis { records: u64 },
    /// The file is not a Handover package (not age-encrypted, or not a package inside).
    NotAPackage,
    /// The package passphrase does not open the package.
    WrongPassphrase,
    /// Authentication failed while decrypting: a changed, cut or lengthened file.
    Damaged,
    /// The package was written by a newer Handover (format version).
    NewerFormat { found: u32, known: u32 },
    /// A part the manifest lists is not in the package.
    MissingPart { part: String },
    /// The package holds a part the manifest does not list (or holds it twice).
    ExtraPart { part: String },
    /// A part's size, row count or SHA-256 differs from the manifest.
    PartMismatch { part: String },
    /// A part whose path is absolute, climbs out with `..`, or is a link or a folder.
    UnsafePath { part: String },
    /// The package file changed between the check and the import.
    Changed,
    /// The parts are well formed but their content does not add up (counts or totals differ from the manifest).
    Inconsistent { what: String },
}

impl PackageError {
    pub fn code(&self) -> ErrorCode {
        match self {
            PackageError::NothingToTransfer => ErrorCode::NothingToTransfer,
            PackageError::WithoutBasis { .. } => ErrorCode::TransferWithoutBasis,
            PackageError::NotAPackage => ErrorCode::NotAPackage,
            PackageError::WrongPassphrase => ErrorCode::PackageWrongPassphrase,
            PackageError::Damaged => ErrorCode::PackageDamaged,
            PackageError::NewerFormat { .. } => ErrorCode::PackageNewerFormat,
            PackageError::MissingPart { .. } => ErrorCode::PackageMissingPart,
            PackageError::ExtraPart { .. } => ErrorCode::PackageExtraPart,
            PackageError::PartMismatch { .. } => ErrorCode::PackagePartMismatch,
            PackageError::UnsafePath { .. } => ErrorCode::PackageUnsafePath,
            PackageError::Changed => ErrorCode::PackageChanged,
            PackageError::Inconsistent { .. } => ErrorCode::PackageInconsistent,
        }
    }
}
