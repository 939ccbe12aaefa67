//! The customer records inside a case: sources, their rows with original and normalised cells, the
//! customers they are linked to, and the problems an import found.
//!
//! `crate::import` reads files into rows; this module stores them. An import is one transaction: it
//! lands whole or not at all, also when the process is killed half-way (SQLite's journal guarantees that).

pub mod customers;
pub mod import_file;
pub mod ingest;
mod many_rows;
pub mod mapping;
pub mod normalise;
pub mod pii;
pub mod reclassify;
pub(crate) mod tally;

pub use ingest::{ImportSummary, IngestProblem, IngestRow, IngestSource, Progress};

#[cfg(test)]
mod fidelity_tests;
#[cfg(test)]
mod tally_tests;
