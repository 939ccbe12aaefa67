//! The IPC commands. Each one only translates: arguments in, a call into `handover-core`, the result or
//! an `{code, message}` error out. They are `async` so that slow work (key derivation, integrity checks)
//! runs off the main thread and the window stays responsive.

use std::path::{Path, PathBuf};

use handover_core::audit::{AuditEntry, AuditReport};
use handover_core::case::{CaseDetails, CaseFacts};
use handover_core::config::RecentCase;
use handover_core::i18n::Localize;
use handover_core::passphrase::{self, PassphraseCheck};
use handover_core::store::{self, Case, CaseOverview, OpeningProgress, OpeningStage};
use handover_core::wizard::inventory::{self, SourceInput};
use handover_core::wizard::state::{self as wizard_state, ItemState, Review};
use handover_core::wizard::{self, StepForCase, StepId};
use handover_core::{ErrorCode, ErrorPayload, Lang};
use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;
use zeroize::Zeroizing;

use handover_core::records::import_file::{self, ImportPreview, ImportRequest, ReadChoices};
use handover_core::records::ingest::{self, RowProblemReport};
use handover_core::records::{ImportSummary, Progress};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use ts_rs::TS;

use crate::state::AppState;

pub(crate) type CmdResult<T> = Result<T, ErrorPayload>;

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

pub(crate) fn with_extension(path: &str) -> PathBuf {
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
    let passphrase = Zeroizing::new(passphrase);
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    Ok(passphrase::check(&passphrase, &context).localized(state.lang()))
}

#[tauri::command]
pub async fn create_case(
    state: State<'_, AppState>,
    mut request: NewCaseRequest,
) -> CmdResult<CaseOverview> {
    let path = with_extension(&request.path);
    let lang = state.lang();
    // Wiped from memory when this command ends.
    let passphrase = Zeroizing::new(std::mem::take(&mut request.passphrase));
    let actor = state.actor_or(&request.details.seller.responsible_person);
    let case =
        Case::create(&path, &passphrase, request.details, &actor).map_err(|e| state.fail(e))?;
    let overview = case.overview().map_err(|e| state.fail(e))?.localized(lang);
    state.replace_case(Some(case))?;
    state
        .config
        .touch_recent(&path)
        .map_err(|e| state.fail(e))?;
    Ok(overview)
}

/// Opens a case on a worker thread, reporting on `on_progress` how far the check of its pages and the counts
/// have got: a five-million-row case takes seconds, and the window shows them moving.
#[tauri::command]
pub async fn open_case<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    passphrase: String,
    on_progress: Channel<OpeningProgress>,
) -> CmdResult<CaseOverview> {
    let passphrase = Zeroizing::new(passphrase);
    blocking(app, move |state| {
        let path = PathBuf::from(path.trim());
        let case = Case::open_reporting(&path, &passphrase, &mut |p| {
            let _ = on_progress.send(p);
        })
        .map_err(|e| state.fail(e))?;
        let _ = on_progress.send(OpeningProgress {
            stage: OpeningStage::Counting,
            done: 0,
            total: 0,
        });
        let overview = case
            .overview()
            .map_err(|e| state.fail(e))?
            .localized(state.lang());
        state.replace_case(Some(case))?;
        state
            .config
            .touch_recent(&path)
            .map_err(|e| state.fail(e))?;
        Ok(overview)
    })
    .await
}

#[tauri::command]
pub async fn close_case(state: State<'_, AppState>) -> CmdResult<()> {
    state.replace_case(None)
}

#[tauri::command]
pub async fn case_overview(state: State<'_, AppState>) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| Ok(case.overview()?.localized(lang)))
}

#[tauri::command]
pub async fn update_case_details(
    state: State<'_, AppState>,
    details: CaseDetails,
) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| {
        case.update_details(details, &state.actor())?;
        Ok(case.overview()?.localized(lang))
    })
}

/// The case's facts beside its details: the seller's legal form.
#[tauri::command]
pub async fn case_facts(state: State<'_, AppState>) -> CmdResult<CaseFacts> {
    state.with_case(|case| case.facts())
}

/// Saves the seller's legal form. Refused (blocking detail problem) for bankruptcy of a 个体工商户.
#[tauri::command]
pub async fn set_case_facts(state: State<'_, AppState>, facts: CaseFacts) -> CmdResult<CaseFacts> {
    state.with_case(|case| case.set_facts(facts, &state.actor()))
}

/// The owner has seen that the audit log was found broken when the case was opened, and goes on: changes are
/// allowed again for this opening, and the acknowledgement is the log's next entry.
#[tauri::command]
pub async fn acknowledge_audit_break(state: State<'_, AppState>) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| {
        case.acknowledge_audit_break(&state.actor())?;
        Ok(case.overview()?.localized(lang))
    })
}

#[tauri::command]
pub async fn audit_log(state: State<'_, AppState>) -> CmdResult<Vec<AuditEntry>> {
    state.with_case(|case| case.audit_entries())
}

#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> CmdResult<AuditReport> {
    let lang = state.lang();
    state.with_case(|case| Ok(case.verify_audit()?.localized(lang)))
}

/// Runs blocking core work (a whole import, a large file hash) on a worker thread, so the window and the
/// other commands (such as `cancel_import`) stay responsive.
pub(crate) async fn blocking<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&AppState) -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .map_err(|e| ErrorPayload {
            code: ErrorCode::Internal,
            message: e.to_string(),
        })?
}

#[tauri::command]
pub async fn preview_import<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    choices: ReadChoices,
) -> CmdResult<ImportPreview> {
    blocking(app, move |state| {
        let lang = state.lang();
        state.with_case(|case| import_file::preview(case, Path::new(&path), &choices, lang))
    })
    .await
}

/// Imports into an open transaction and reports progress on `on_progress`; the owner then reviews the
/// problems and calls `commit_import` or `discard_import`.
#[tauri::command]
pub async fn start_import<R: Runtime>(
    app: AppHandle<R>,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> CmdResult<ImportSummary> {
    blocking(app, move |state| {
        let lang = state.lang();
        state.cancel_import.store(false, Ordering::SeqCst);
        state.with_case(|case| {
            import_file::run(
                case,
                &request,
                &state.actor(),
                lang,
                &state.cancel_import,
                &mut |p| {
                    let _ = on_progress.send(p);
                },
                true,
            )
            .map(|(_, summary)| summary)
        })
    })
    .await
}

#[tauri::command]
pub async fn cancel_import(state: State<'_, AppState>) -> CmdResult<()> {
    state.cancel_import.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn commit_import(state: State<'_, AppState>) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| {
        case.commit_import()?;
        Ok(case.overview()?.localized(lang))
    })
}

#[tauri::command]
pub async fn discard_import(state: State<'_, AppState>) -> CmdResult<CaseOverview> {
    let lang = state.lang();
    state.with_case(|case| {
        case.discard_import()?;
        Ok(case.overview()?.localized(lang))
    })
}

#[tauri::command]
pub async fn import_problems(
    state: State<'_, AppState>,
    source_id: i64,
) -> CmdResult<Vec<RowProblemReport>> {
    state.with_case(|case| case.read(|c| ingest::problems_of(c, source_id)))
}

/// Writes a source's problem list to a CSV file the owner chose (UTF-8 with BOM, so Excel opens it).
#[tauri::command]
pub async fn export_import_problems(
    state: State<'_, AppState>,
    source_id: i64,
    target: u64,
) -> CmdResult<()> {
    let lang = state.lang();
    let path = state.take_chosen(target)?;
    state.with_case(|case| case.read(|c| ingest::export_problems_csv(c, source_id, &path, lang)))
}

// ---- The guided wizard (issue 6). Each command that changes something returns the new review, so the
// screen always shows what the case file holds.

/// The wizard for the open case: every step and item with its answer, what is open, the saved step.
#[tauri::command]
pub async fn wizard_review(state: State<'_, AppState>) -> CmdResult<Review> {
    state.with_case(|case| wizard_state::review(case))
}

/// The steps and items for the open case, applicability resolved (texts in both languages).
#[tauri::command]
pub async fn wizard_steps(state: State<'_, AppState>) -> CmdResult<Vec<StepForCase>> {
    state.with_case(|case| Ok(wizard::wizard().steps_for_case(&case.details()?)))
}

#[tauri::command]
pub async fn set_item_state(
    state: State<'_, AppState>,
    item_id: String,
    item_state: ItemState,
    reason: String,
) -> CmdResult<Review> {
    state.with_case(|case| {
        wizard_state::set_item_state(case, &item_id, item_state, &reason, &state.actor())?;
        wizard_state::review(case)
    })
}

#[tauri::command]
pub async fn set_item_note(
    state: State<'_, AppState>,
    item_id: String,
    note: String,
) -> CmdResult<Review> {
    state.with_case(|case| {
        wizard_state::set_item_note(case, &item_id, &note, &state.actor())?;
        wizard_state::review(case)
    })
}

/// Copies a file into the case as evidence (hashing up to 50 MB runs off the main thread).
#[tauri::command]
pub async fn attach_evidence<R: Runtime>(
    app: AppHandle<R>,
    item_id: String,
    path: String,
) -> CmdResult<Review> {
    blocking(app, move |state| {
        state.with_case(|case| {
            wizard_state::attach_evidence(case, &item_id, Path::new(path.trim()), &state.actor())?;
            wizard_state::review(case)
        })
    })
    .await
}

#[tauri::command]
pub async fn remove_evidence(state: State<'_, AppState>, evidence_id: i64) -> CmdResult<Review> {
    state.with_case(|case| {
        wizard_state::remove_evidence(case, evidence_id, &state.actor())?;
        wizard_state::review(case)
    })
}

/// Saves a copy of an evidence file where the owner chose.
#[tauri::command]
pub async fn export_evidence<R: Runtime>(
    app: AppHandle<R>,
    evidence_id: i64,
    target: u64,
) -> CmdResult<()> {
    blocking(app, move |state| {
        let path = state.take_chosen(target)?;
        state.with_case(|case| {
            wizard_state::export_evidence(case, evidence_id, &path, &state.actor())
        })
    })
    .await
}

#[tauri::command]
pub async fn set_current_step(state: State<'_, AppState>, step: StepId) -> CmdResult<StepId> {
    state.with_case(|case| wizard_state::set_current_step(case, step, &state.actor()))
}

#[tauri::command]
pub async fn register_source(state: State<'_, AppState>, source: SourceInput) -> CmdResult<Review> {
    state.with_case(|case| {
        inventory::register_source(case, source, &state.actor())?;
        wizard_state::review(case)
    })
}

#[tauri::command]
pub async fn update_source(
    state: State<'_, AppState>,
    source_id: i64,
    source: SourceInput,
) -> CmdResult<Review> {
    state.with_case(|case| {
        inventory::update_source(case, source_id, source, &state.actor())?;
        wizard_state::review(case)
    })
}

#[tauri::command]
pub async fn remove_source(state: State<'_, AppState>, source_id: i64) -> CmdResult<Review> {
    state.with_case(|case| {
        inventory::remove_source(case, source_id, &state.actor())?;
        wizard_state::review(case)
    })
}
