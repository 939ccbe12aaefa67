//! Commands of the minimisation and decisions steps: the plan (what happens to every record and why), its
//! pages and explanations, the owner's overrides, what customers said, the fields the recipient needs, and
//! what each source holds. Each command only translates into `handover_core::rules`.

use std::sync::atomic::Ordering;

use handover_core::classification;
use handover_core::field::FieldType;
use handover_core::i18n::Localize;
use handover_core::records::Progress;
use handover_core::rules::plan::{self, PlanPage, PlanQuery, PlanSummary, RecordExplanation};
use handover_core::rules::status::{
    self, CustomerStatus, Minimisation, OverrideInfo, OverrideRequest, SourceKindInfo, StatusChange,
};
use handover_core::rules::{rulebook, SourceKind};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::commands::{blocking, CmdResult};
use crate::state::AppState;

/// Computes the plan of every record (a million records take a few seconds), reporting progress; the
/// previous plan stays until the new one is complete.
#[tauri::command]
pub async fn compute_plan<R: Runtime>(
    app: AppHandle<R>,
    on_progress: Channel<Progress>,
) -> CmdResult<PlanSummary> {
    blocking(app, move |state| {
        let lang = state.lang();
        state.cancel_plan.store(false, Ordering::SeqCst);
        state.with_case(|case| {
            plan::compute_plan(
                case,
                rulebook(),
                &state.actor(),
                &state.cancel_plan,
                &mut |p| {
                    let _ = on_progress.send(p);
                },
            )
            .map(|s| s.localized(lang))
        })
    })
    .await
}

#[tauri::command]
pub async fn cancel_plan(state: State<'_, AppState>) -> CmdResult<()> {
    state.cancel_plan.store(true, Ordering::SeqCst);
    Ok(())
}

/// The plan's counts, or nothing before the first computation.
#[tauri::command]
pub async fn plan_summary<R: Runtime>(app: AppHandle<R>) -> CmdResult<Option<PlanSummary>> {
    blocking(app, |state| {
        let lang = state.lang();
        state.with_case(|case| Ok(case.read(|c| plan::summary(c, rulebook()))?.localized(lang)))
    })
    .await
}

#[tauri::command]
pub async fn plan_page(state: State<'_, AppState>, query: PlanQuery) -> CmdResult<PlanPage> {
    state.with_case(|case| {
        case.read(|c| {
            let style = classification::mask_style(c)?;
            plan::page(c, &query, style)
        })
    })
}

#[tauri::command]
pub async fn explain_record(
    state: State<'_, AppState>,
    record_id: i64,
) -> CmdResult<RecordExplanation> {
    state.with_case(|case| {
        case.read(|c| {
            let style = classification::mask_style(c)?;
            plan::explain(c, rulebook(), record_id, style)
        })
    })
}

#[tauri::command]
pub async fn set_override(
    state: State<'_, AppState>,
    request: OverrideRequest,
) -> CmdResult<OverrideInfo> {
    state.with_case(|case| status::set_override(case, rulebook(), &request, &state.actor()))
}

#[tauri::command]
pub async fn withdraw_override(
    state: State<'_, AppState>,
    override_id: i64,
    reason: String,
) -> CmdResult<()> {
    state.with_case(|case| {
        status::withdraw_override(case, rulebook(), override_id, &reason, &state.actor())
    })
}

#[tauri::command]
pub async fn set_customer_status(
    state: State<'_, AppState>,
    customer_id: i64,
    change: StatusChange,
) -> CmdResult<CustomerStatus> {
    state.with_case(|case| {
        status::set_customer_status(case, rulebook(), customer_id, &change, &state.actor())
    })
}

#[tauri::command]
pub async fn minimisation(state: State<'_, AppState>) -> CmdResult<Minimisation> {
    state.with_case(|case| case.read(status::minimisation))
}

#[tauri::command]
pub async fn set_minimisation(
    state: State<'_, AppState>,
    fields: Vec<FieldType>,
) -> CmdResult<Minimisation> {
    state.with_case(|case| status::set_minimisation(case, &fields, &state.actor()))
}

#[tauri::command]
pub async fn source_kinds(state: State<'_, AppState>) -> CmdResult<Vec<SourceKindInfo>> {
    let lang = state.lang();
    state.with_case(|case| Ok(case.read(status::source_kinds)?.localized(lang)))
}

#[tauri::command]
pub async fn set_source_kind(
    state: State<'_, AppState>,
    source_id: i64,
    kind: SourceKind,
) -> CmdResult<SourceKindInfo> {
    let lang = state.lang();
    state.with_case(|case| {
        Ok(status::set_source_kind(case, source_id, kind, &state.actor())?.localized(lang))
    })
}
