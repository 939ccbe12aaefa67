//! The recipient's package, as decisions and state: what goes in ([`export`]: exactly the records the plan
//! transfers, with only the fields the minimisation kept), what the manifest says ([`manifest`]), and the
//! recipient's case made from a verified package ([`receive`], with the receipt's data). The bytes — tar,
//! age encryption, checking every part against the manifest — are the `handover-package` crate's; the core
//! never depends on it. Refusals are [`error::PackageError`].

pub mod document;
pub mod error;
pub mod export;
pub mod manifest;
pub mod receive;

pub use document::{receipt_document, ReceiptDocument};
pub use error::PackageError;
pub use export::{check_ready, export, record_export, PartSink, PART_BYTES};
pub use manifest::{
    AuditAnchor, Manifest, PartEntry, PartKind, FORMAT, FORMAT_VERSION, MANIFEST_NAME,
};
pub use receive::{receipt, receive, PartSource, ReceiptModel, VerifiedPackage};
