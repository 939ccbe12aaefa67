//! Test data and test helpers for Handover; never part of the product. The tests (`handover-tests`, this
//! crate's own) and the benchmarks (`handover-bench`) depend on it; `handover-core`, the app and the CLI
//! do not (`make core-has-no-testkit` checks the core).
//!
//! - [`values`]: builders of valid mobiles, landlines, ID numbers, waybills and card numbers in the ways
//!   people write them.
//! - [`corpus`]: labelled cells with known personal information, and the scanner's precision, recall and
//!   speed measured on them.
//! - [`generate`]: the deterministic shop, courier-station and company customer lists (CSV).
//! - [`fixtures`]: what the integration tests share (passphrase, case details, raw SQL access, the CLI).
//! - [`fuzz`]: what the fuzz targets run; the corpus replay in `make test` runs the same.
//! - [`rng`]: the seeded random source behind all of the generated data.

pub mod corpus;
pub mod fixtures;
pub mod fuzz;
pub mod generate;
pub mod rng;
pub mod values;

pub use fixtures::{
    handover_command, members_with_minor_csv, new_shop_case, new_shop_case_sold, raw_connection,
    run_within, sample_details, PASSPHRASE,
};
pub use rng::Rng;
