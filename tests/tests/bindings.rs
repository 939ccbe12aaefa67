//! The committed TypeScript bindings must equal what the Rust types generate today.
//! `UPDATE_BINDINGS=1 cargo test -p handover-tests --test bindings` (or `make bindings`) rewrites them.

use std::path::PathBuf;

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/bindings.ts");
    let generated = handover_app::bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/api/bindings.ts is stale: the Rust types changed. Run `make bindings` and commit the result."
    );
}
