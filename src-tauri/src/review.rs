//! Commands of the classification review step: the overview of what personal information the case holds,
//! one column opened with masked samples, a corrected column, and the masking style.

use handover_core::classification::{self, ClassificationSummary, ColumnReview};
use handover_core::detect::mask::MaskStyle;
use handover_core::field::FieldType;
use handover_core::i18n::Localize;
use tauri::{AppHandle, Runtime, State};

use crate::commands::{blocking, CmdResult};
use crate::state::AppState;

/// Reads the counts over every record; on a large case this takes a moment, so it runs off the main thread.
#[tauri::command]
pub async fn classification_summary<R: Runtime>(
    app: AppHandle<R>,
) -> CmdResult<ClassificationSummary> {
    blocking(app, |state| {
        let lang = state.lang();
        state.with_case(|case| Ok(classification::case_summary(case)?.localized(lang)))
    })
    .await
}

#[tauri::command]
pub async fn column_review(
    state: State<'_, AppState>,
    source_id: i64,
    col_index: u32,
) -> CmdResult<ColumnReview> {
    let lang = state.lang();
    state.with_case(|case| {
        Ok(case
            .read(|c| classification::column_review(c, source_id, col_index))?
            .localized(lang))
    })
}

#[tauri::command]
pub async fn set_mask_style(state: State<'_, AppState>, style: MaskStyle) -> CmdResult<()> {
    state.with_case(|case| classification::set_mask_style(case, style, &state.actor()))
}

/// The owner corrects a column's field: every record of the source is derived again from its original
/// cells. Returns the new overview.
#[tauri::command]
pub async fn reclassify_column<R: Runtime>(
    app: AppHandle<R>,
    source_id: i64,
    col_index: u32,
    field: FieldType,
) -> CmdResult<ClassificationSummary> {
    blocking(app, move |state| {
        let lang = state.lang();
        state.with_case(|case| {
            classification::reclassify_column(
                case,
                source_id,
                col_index,
                field,
                &state.actor(),
                lang,
            )?;
            Ok(classification::case_summary(case)?.localized(lang))
        })
    })
    .await
}
