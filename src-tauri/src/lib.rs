//! The desktop shell of Handover: window set-up and thin commands that translate between the frontend's
//! IPC calls and `handover-core`. No domain logic lives here.

pub mod bindings;
pub mod commands;
pub mod customers;
pub mod decisions;
pub mod destruction;
pub mod documents;
pub mod files;
pub mod ipc;
pub mod package;
pub mod review;
pub mod state;

use tauri::{Builder, Manager, Runtime};

pub use ipc::COMMANDS;
pub use state::AppState;

/// Registers the plugins and commands. Shared by the real app and the tests' mock runtime.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(ipc::handler())
}

pub fn run() {
    configure(tauri::Builder::default())
        .setup(|app| {
            // XDG_CONFIG_HOME is honoured, which keeps the end-to-end tests out of the real user's folders.
            let config_dir = app.path().app_config_dir()?;
            let documents = app
                .path()
                .document_dir()
                .or_else(|_| app.path().home_dir())?;
            app.manage(AppState::new(config_dir, documents));
            // The rulebook is validated at start-up: a broken rules file stops here, not mid-decision.
            handover_core::rules::rulebook();
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Handover window could not be started");
}
