//! The committed TypeScript bindings (types, error codes and the command map) must equal what the Rust
//! side generates today. `UPDATE_BINDINGS=1 cargo test -p handover-tests --test bindings` (or
//! `make bindings`) rewrites them.

use std::path::PathBuf;

use handover_app::bindings::{typescript, BINDINGS_FILE};

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(BINDINGS_FILE);
    let generated = typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{BINDINGS_FILE} is stale: a command or a Rust type that crosses IPC changed. Run `make bindings` \
         and commit the result."
    );
}
