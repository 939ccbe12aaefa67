//! The recipient's package (`.hopkg`): the bytes. A tar of the parts `handover_core::transfer` decides, with
//! `manifest.json` last, encrypted with age to a passphrase (scrypt). Nothing unencrypted touches the disk:
//! parts go from memory through tar and age into a temporary file beside the target, which is synced and
//! renamed only when complete ([`write`]). The key is derived and the container encrypted on a second thread
//! while the parts are read.
//!
//! Reading never trusts what it has not authenticated: [`verify`] decrypts the whole file to its end (age
//! authenticates 64 KiB chunks, and a cut file is only noticed at the end), hashing every part as it streams
//! by, then checks the manifest against every part — names, sizes, rows, SHA-256 — and refuses extra or
//! missing parts, paths that are absolute, climb out with `..`, or are links or folders, a newer format and a
//! file that is not a package. Only then does [`Replay`] hand the parts to the core, which makes the
//! recipient's case in one transaction; it re-checks every part and the file's hash as it goes, so a file
//! changed between the two passes is refused too.

pub mod passphrase;
pub mod raw;
mod read;
mod write;

pub use read::{verify, Replay};
pub use write::{write, Written};

/// The package file's extension.
pub const EXTENSION: &str = "hopkg";

/// scrypt work factor (log2 N) of new packages: 2^17 takes 128 MiB and half a second to well over a second here
/// (the first touch of fresh memory is slow on this machine), on a thread of its own beside the export. The
/// generated passphrase has more than 100 bits, so the work factor is not what protects it; it keeps a
/// chosen (`HANDOVER_PACKAGE_PASSPHRASE`) one costly to guess without taking the memory a million-row export
/// must stay under.
pub const WORK_FACTOR: u8 = 17;
/// The highest work factor a package may ask of the reader (a crafted file cannot make it work for minutes).
pub const MAX_WORK_FACTOR: u8 = 20;
/// The manifest may be at most this large.
pub const MAX_MANIFEST_BYTES: u64 = 16 << 20;
/// An evidence part may be at most this large (the case's own limit on attached files).
pub const MAX_EVIDENCE_BYTES: u64 = 64 << 20;
