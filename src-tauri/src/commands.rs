//! The IPC commands. Each one only translates: arguments in, a call into `handover-core`, the result or
//! an `{code, message}` error out. They are `async` so that slow work (key derivation, integrity checks)
//! runs off the main thread and the window stays responsive.

use std::path::{Path, PathBuf};

use handover_core::audit::{AuditEntry, AuditReport};
use handover_core::case::CaseDetails;
use handover_core::config::RecentCase;
use handover_core::passphrase::{self, PassphraseCheck};
use handover_core::store::{self, Actor, Case, CaseOverview};
use handover_core::{ErrorPayload, Lang};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::state::AppState;

type CmdResult<T> = Result<T, ErrorPayload>;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub language: Lang,
    /// Suggested folder for new cases.
    pub default_case_dir: String,
    /// The case file extension, without the dot.
    pub case_extension: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewCaseRequest {
    /// Full path of the case file; `.handover` is added when missing.
    pub path: String,
    pub passphrase: String,
    pub details: CaseDetails,
}

fn actor() -> Actor {
    Actor::current("app")
}

fn with_extension(path: &str) -> PathBuf {
    let p = PathBuf::from(path.trim());
    if p.extension().is_some_and(|e| e == store::EXTENSION) {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(format!(".{}", store::EXTENSION));
        PathBuf::from(s)
    }
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        language: state.lang(),
        default_case_dir: state.default_case_dir.display().to_string(),
        case_extension: store::EXTENSION.to_string(),
    })
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Lang) -> CmdResult<()> {
    state.set_lang(language);
    state
        .config
        .set_language(language)
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn recent_cases(state: State<'_, AppState>) -> CmdResult<Vec<RecentCase>> {
    Ok(state.config.recent())
}

#[tauri::command]
pub async fn forget_recent_case(state: State<'_, AppState>, path: String) -> CmdResult<()> {
    state
        .config
        .forget_recent(Path::new(&path))
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn check_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
    context: Vec<String>,
) -> CmdResult<PassphraseCheck> {
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    Ok(passphrase::check(&passphrase, &context, state.lang()))
}

#[tauri::command]
pub async fn create_case(
    state: State<'_, AppState>,
    request: NewCaseRequest,
) -> CmdResult<CaseOverview> {
    let path = with_extension(&request.path);
    let lang = state.lang();
    let case = Case::create(&path, &request.passphrase, request.details, &actor(), lang)
        .map_err(|e| state.fail(e))?;
    let overview = case.overview(lang).map_err(|e| state.fail(e))?;
    state.replace_case(Some(case))?;
    state
        .config
        .touch_recent(&path)
        .map_err(|e| state.fail(e))?;
    Ok(overview)
}

#[tauri::command]
pub async fn open_case(
    state: State<'_, AppState>,
    path: String,
    passphrase: String,
) -> CmdResult<CaseOverview> {
    let path = PathBuf::from(path.trim());
    let case = Case::open(&path, &passphrase).map_err(|e| state.fail(e))?;
    let overview = case.overview(state.lang()).map_err(|e| state.fail(e))?;
    state.replace_case(Some(case))?;
    state
        .config
        .touch_recent(&path)
        .map_err(|e| state.fail(e))?;
    Ok(overview)
}

#[tauri::command]
pub async fn close_case(state: State<'_, AppState>) -> CmdResult<()> {
    state.replace_case(None)
}

#[tauri::command]
pub async fn case_overview(state: State<'_, AppState>) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| case.overview(lang))
}

#[tauri::command]
pub async fn update_case_details(
    state: State<'_, AppState>,
    details: CaseDetails,
) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| {
        case.update_details(details, &actor(), lang)?;
        case.overview(lang)
    })
}

#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>) -> CmdResult<Vec<AuditEntry>> {
    state.with_case(|case| case.audit_entries())
}

#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> CmdResult<AuditReport> {
    let lang = state.lang();
    state.with_case(|case| case.verify_audit(lang))
}
