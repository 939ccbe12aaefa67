//! Shared helpers for the integration tests. They live in `handover-testkit` (with the generated test data),
//! re-exported here so the tests keep naming them `handover_tests::…`.

pub use handover_testkit::{
    handover_command, members_with_minor_csv, new_shop_case, new_shop_case_sold, raw_connection,
    run_within, sample_details, PASSPHRASE,
};
