//! The destruction step in the app: what a destruction would do (the preview the owner reads before
//! confirming), carrying it out once the owner confirms with the case passphrase (the page check reads the
//! file with it; the app keeps no passphrase), the certificate saved as PDF or DOCX through a save dialog, and
//! backups. Thin: the core destroys, verifies and builds the certificate; handover-documents renders it.

use handover_core::backup::{self, CopyReport};
use handover_core::destruction::document::{self, CertificateDocument};
use handover_core::destruction::{self, DestructionPreview, DestructionReport};
use handover_core::rules::rulebook;
use handover_core::summary::{self, WrittenDocument};
use handover_core::Error;
use handover_documents::RenderOptions;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::commands::{blocking, CmdResult};
use crate::documents::{format_of, render_error, take_document_target, write_file, SavedDocument};
use crate::state::AppState;

/// The owner's confirmation of a destruction: they ticked that it cannot be undone and typed the case
/// passphrase again (checked against the open case's key).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DestroyRequest {
    pub confirmed: bool,
    pub passphrase: String,
}

#[tauri::command]
pub async fn destruction_preview(state: State<'_, AppState>) -> CmdResult<DestructionPreview> {
    state.with_case(|case| destruction::preview(case, rulebook()))
}

#[tauri::command]
pub async fn destroy_case<R: Runtime>(
    app: AppHandle<R>,
    request: DestroyRequest,
) -> CmdResult<DestructionReport> {
    blocking(app, move |state| {
        state.with_case(|case| {
            destruction::destroy(
                case,
                &request.passphrase,
                request.confirmed,
                rulebook(),
                &state.actor(),
            )
        })
    })
    .await
}

/// The newest destruction certificate of the open case, if any (the step shows it again after a restart).
#[tauri::command]
pub async fn latest_certificate(
    state: State<'_, AppState>,
) -> CmdResult<Option<DestructionReport>> {
    state.with_case(|case| {
        Ok(case
            .read(|conn| document::stored(conn, None))?
            .map(|s| DestructionReport {
                certificate: s.certificate,
                certificate_sha256: s.sha256,
                audit_seq: s.audit_seq,
                audit_hash: s.audit_hash,
            }))
    })
}

/// Writes the newest certificate to `path`: a DOCX when the name ends in `.docx`, a PDF otherwise (`.pdf` is
/// added when the name has no extension). Audited as `document.certificate`.
#[tauri::command]
pub async fn save_certificate<R: Runtime>(
    app: AppHandle<R>,
    target: u64,
) -> CmdResult<SavedDocument> {
    blocking(app, move |state| {
        let lang = state.lang();
        let out = take_document_target(state, target)?;
        state.with_case(|case| {
            let stored = case
                .read(|conn| document::stored(conn, None))?
                .ok_or_else(|| Error::NoCertificate(String::new()))?;
            let format = format_of(&out);
            let tag = lang.pick("zh-CN", "en");
            let template = handover_documents::builtin("certificate", tag).map_err(render_error)?;
            let model = CertificateDocument::new(&stored, lang);
            let rendered =
                handover_documents::render(&template, &model, format, &RenderOptions::default())
                    .map_err(render_error)?;
            write_file(&out, &rendered.bytes)?;
            summary::record_written(
                case,
                &state.actor(),
                &WrittenDocument {
                    document: "certificate".into(),
                    format: format.id().into(),
                    lang: tag.into(),
                    path: out.display().to_string(),
                    sha256: rendered.sha256.clone(),
                    template: template.name(),
                    template_sha256: rendered.template_sha256.clone(),
                    draft: false,
                    operator: model.operator.clone(),
                    annex: None,
                },
            )?;
            Ok(SavedDocument {
                path: out.display().to_string(),
                format: format.id().into(),
                sha256: rendered.sha256,
                pages: rendered.pages,
            })
        })
    })
    .await
}

/// An encrypted, verified copy of the open case at `path` (`.handover` added when missing), with the case
/// passphrase (the copy keeps it). Recorded in the case: a later destruction lists it.
#[tauri::command]
pub async fn backup_case<R: Runtime>(
    app: AppHandle<R>,
    target: u64,
    passphrase: String,
) -> CmdResult<CopyReport> {
    blocking(app, move |state| {
        let out = state.take_chosen_as(target, |p| {
            crate::commands::with_extension(&p.to_string_lossy())
        })?;
        state.with_case(|case| backup::backup(case, &passphrase, &out, &state.actor()))
    })
    .await
}
