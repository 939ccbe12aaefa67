//! Deterministic test data shared by the benchmarks and the integration tests.

pub mod generate;
