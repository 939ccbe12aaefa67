//! The TypeScript side of IPC, generated from the Rust types with ts-rs: every type a command takes or
//! returns and every type those name, the error codes, and the map `Commands` of the command table
//! ([`crate::ipc`]). [`BINDINGS_FILE`] is this output, committed; a test fails when the two differ, so the
//! frontend and the backend cannot drift apart. Regenerate with `make bindings`.

use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::HashSet;

use handover_core::ErrorPayload;
use ts_rs::Config;

use crate::ipc::{self, Visit, COMMANDS};

/// Where the generated bindings live, relative to the workspace root.
pub const BINDINGS_FILE: &str = "ui/src/api/bindings.ts";

/// Types the frontend needs that no command names: the payload every failed command rejects with.
/// (Everything a command takes or returns, and everything those name, comes from the command table.)
fn visit_extra_types(f: &mut dyn FnMut(Visit)) {
    ipc::walk::<ErrorPayload>(f);
}

/// How ts-rs writes the bindings.
pub fn config() -> Config {
    // Counts and sequence numbers stay far below 2^53, so `number` is exact.
    Config::new().with_large_int("number")
}

pub fn typescript() -> String {
    let cfg = &config();
    // TypeScript name → (Rust type, declaration); sorted by name so the file does not churn.
    let mut decls: BTreeMap<String, (&'static str, String)> = BTreeMap::new();
    let mut seen = HashSet::new();
    let mut add = |v: Visit| {
        let Some(declaration) = v.declaration else {
            return;
        };
        if !seen.insert(v.type_id) {
            return;
        }
        let (name, decl) = declaration(cfg);
        match decls.entry(name) {
            Entry::Vacant(e) => {
                e.insert((v.rust_name, decl));
            }
            Entry::Occupied(e) => assert!(
                e.get().0 == v.rust_name,
                "two Rust types are both `{}` in TypeScript: {} and {}; rename one (or #[ts(rename)])",
                e.key(),
                e.get().0,
                v.rust_name
            ),
        }
    };
    for c in COMMANDS {
        for a in c.args {
            (a.ty.visit)(&mut add);
        }
        (c.result.visit)(&mut add);
    }
    visit_extra_types(&mut add);

    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n\n",
    );
    for (_, decl) in decls.values() {
        out.push_str(decl);
        out.push_str("\n\n");
    }
    out.push_str(&ipc::typescript_map(cfg));
    out
}
