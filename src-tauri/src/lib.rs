//! The desktop shell of Handover: window set-up and thin commands that translate between the frontend's
//! IPC calls and `handover-core`. No domain logic lives here.

pub mod bindings;
pub mod commands;
pub mod customers;
pub mod decisions;
pub mod review;
pub mod state;

use tauri::{Builder, Manager, Runtime};

pub use state::AppState;

/// Registers the plugins and commands. Shared by the real app and the tests' mock runtime.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::recent_cases,
            commands::forget_recent_case,
            commands::check_passphrase,
            commands::create_case,
            commands::open_case,
            commands::close_case,
            commands::case_overview,
            commands::update_case_details,
            commands::audit_log,
            commands::verify_audit,
            commands::preview_import,
            commands::start_import,
            commands::cancel_import,
            commands::commit_import,
            commands::discard_import,
            commands::import_problems,
            commands::export_import_problems,
            review::classification_summary,
            review::column_review,
            review::reclassify_column,
            customers::customer_page,
            customers::customer_count,
            review::set_mask_style,
            decisions::compute_plan,
            decisions::cancel_plan,
            decisions::plan_summary,
            decisions::plan_page,
            decisions::explain_record,
            decisions::set_override,
            decisions::withdraw_override,
            decisions::set_customer_status,
            decisions::minimisation,
            decisions::set_minimisation,
            decisions::source_kinds,
            decisions::set_source_kind,
            commands::wizard_review,
            commands::wizard_steps,
            commands::set_item_state,
            commands::set_item_note,
            commands::attach_evidence,
            commands::remove_evidence,
            commands::export_evidence,
            commands::set_current_step,
            commands::register_source,
            commands::update_source,
            commands::remove_source,
        ])
}

/// The names of every command the frontend may call; the tests check the adapter against this list.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "set_language",
    "recent_cases",
    "forget_recent_case",
    "check_passphrase",
    "create_case",
    "open_case",
    "close_case",
    "case_overview",
    "update_case_details",
    "audit_log",
    "verify_audit",
    "preview_import",
    "start_import",
    "cancel_import",
    "commit_import",
    "discard_import",
    "import_problems",
    "export_import_problems",
    "classification_summary",
    "column_review",
    "reclassify_column",
    "customer_page",
    "customer_count",
    "set_mask_style",
    "compute_plan",
    "cancel_plan",
    "plan_summary",
    "plan_page",
    "explain_record",
    "set_override",
    "withdraw_override",
    "set_customer_status",
    "minimisation",
    "set_minimisation",
    "source_kinds",
    "set_source_kind",
    "wizard_review",
    "wizard_steps",
    "set_item_state",
    "set_item_note",
    "attach_evidence",
    "remove_evidence",
    "export_evidence",
    "set_current_step",
    "register_source",
    "update_source",
    "remove_source",
];

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
