//! The papers in the app: the handover summary, the data-security agreement and the impact assessment
//! saved as PDF or DOCX where the owner chose (replacing the browser's print, whose PDFs lost the Chinese
//! text); the notices the case needs, shown and each form saved through the save dialog; a reply file
//! imported. Thin: the core builds the models and writes the notice forms, handover-documents renders.

use std::io::Write;
use std::path::{Path, PathBuf};

use handover_core::notices::generate::{self, NoticesPreview, WrittenFile};
use handover_core::notices::kinds::{NoticeForm, NoticeKind};
use handover_core::notices::replies::{self, ReplyImport};
use handover_core::output::write_atomic;
use handover_core::rules::rulebook;
use handover_core::summary::{self, SummaryOptions, WrittenDocument};
use handover_core::Error;
use handover_documents::{Format, RenderOptions};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::commands::{blocking, CmdResult};
use crate::state::AppState;

/// The documents filled from the whole case (one model, `handover_core::summary::SummaryModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CaseDocument {
    /// 交接清单
    Summary,
    /// 数据安全协议
    Agreement,
    /// 个人信息保护影响评估记录
    Assessment,
}

impl CaseDocument {
    fn id(self) -> &'static str {
        match self {
            CaseDocument::Summary => "summary",
            CaseDocument::Agreement => "agreement",
            CaseDocument::Assessment => "assessment",
        }
    }
}

/// What to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DocumentRequest {
    pub document: CaseDocument,
    /// A draft even when a final document could be made (one is a draft anyway while a required
    /// checklist item is open).
    pub draft: bool,
    /// The operator (经办人) the document names; blank: the person working the case.
    pub operator: String,
}

/// The prepaid annex written beside a summary.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SavedAnnex {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub rows: u64,
}

/// A case document as written.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SavedCaseDocument {
    pub saved: SavedDocument,
    pub draft: bool,
    /// Required checklist items still open (why it is a draft).
    #[ts(type = "number")]
    pub open_blocking: u64,
    /// The operator the document names.
    pub operator: String,
    pub annex: Option<SavedAnnex>,
}

/// A document written to a file the owner chose.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SavedDocument {
    pub path: String,
    /// `pdf` or `docx`.
    pub format: String,
    pub sha256: String,
    #[ts(type = "number | null")]
    pub pages: Option<usize>,
}

pub(crate) fn render_error(e: handover_documents::DocumentError) -> Error {
    Error::Internal(e.to_string())
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic(path, |w| w.write_all(bytes)).map_err(|e| Error::io(path, e))
}

/// The place chosen for a document under `target`, `.pdf` added when the name has no extension.
pub(crate) fn take_document_target(
    state: &AppState,
    target: u64,
) -> Result<PathBuf, handover_core::ErrorPayload> {
    state.take_chosen_as(target, |mut p| {
        if p.extension().is_none() {
            p.set_extension("pdf");
        }
        p
    })
}

/// A DOCX when the chosen name ends in `.docx`, a PDF otherwise.
pub(crate) fn format_of(path: &Path) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("docx") => Format::Docx,
        _ => Format::Pdf,
    }
}

/// The annex of a summary saved at `out`: beside it, `<stem>-prepaid-annex.csv`.
fn annex_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "summary".into());
    out.with_file_name(format!("{stem}-prepaid-annex.csv"))
}

/// Writes a case document to the place chosen under `target`: a DOCX when the name ends in `.docx`, a PDF
/// otherwise (`.pdf` added when the name has none). A summary with prepaid balances writes its annex beside
/// it. Audited as `document.<id>` with the file's and the template's SHA-256 and the operator.
#[tauri::command]
pub async fn save_case_document<R: Runtime>(
    app: AppHandle<R>,
    target: u64,
    request: DocumentRequest,
) -> CmdResult<SavedCaseDocument> {
    blocking(app, move |state| {
        let lang = state.lang();
        let out = take_document_target(state, target)?;
        state.with_case(|case| {
            // Inside the case lock: the person is the open case's responsible person as of now.
            let actor = state.actor();
            let format = format_of(&out);
            let tag = lang.pick("zh-CN", "en");
            let template =
                handover_documents::builtin(request.document.id(), tag).map_err(render_error)?;
            let options = SummaryOptions {
                operator: Some(request.operator.clone()),
                draft: request.draft,
                annex: (request.document == CaseDocument::Summary).then(|| annex_path(&out)),
            };
            let model = summary::build(case, lang, &actor, &options)?;
            let rendered = handover_documents::render(
                &template,
                &model,
                format,
                &RenderOptions { draft: model.draft },
            )
            .map_err(render_error)?;
            write_file(&out, &rendered.bytes)?;
            summary::record_written(
                case,
                &actor,
                &WrittenDocument {
                    document: request.document.id().into(),
                    format: format.id().into(),
                    lang: tag.into(),
                    path: out.display().to_string(),
                    sha256: rendered.sha256.clone(),
                    template: template.name(),
                    template_sha256: rendered.template_sha256.clone(),
                    draft: model.draft,
                    operator: model.operator.name.clone(),
                    annex: model.prepaid.annex.clone(),
                },
            )?;
            Ok(SavedCaseDocument {
                saved: SavedDocument {
                    path: out.display().to_string(),
                    format: format.id().into(),
                    sha256: rendered.sha256,
                    pages: rendered.pages,
                },
                draft: model.draft,
                open_blocking: model.open_blocking_count,
                operator: model.operator.name.clone(),
                annex: model.prepaid.annex.as_ref().map(|a| SavedAnnex {
                    path: a.path.clone(),
                    sha256: a.sha256.clone(),
                    rows: a.rows,
                }),
            })
        })
    })
    .await
}

/// The notices the case needs, with their texts, SMS lengths and customer counts (nothing written).
#[tauri::command]
pub async fn notices_preview(state: State<'_, AppState>) -> CmdResult<NoticesPreview> {
    let lang = state.lang();
    state.with_case(|case| generate::preview(case, lang))
}

/// Saves one form of one notice at the place chosen under `target`: the SMS text, the SMS platform's file,
/// or as PDF the letters (to the customers without a mobile number) and the shop-window poster. Audited as
/// `notices.generate`.
#[tauri::command]
pub async fn save_notice<R: Runtime>(
    app: AppHandle<R>,
    target: u64,
    notice: NoticeKind,
    form: NoticeForm,
) -> CmdResult<WrittenFile> {
    blocking(app, move |state| {
        let lang = state.lang();
        let as_pdf = matches!(form, NoticeForm::Letter | NoticeForm::Poster);
        let out = if as_pdf {
            take_document_target(state, target)?
        } else {
            state.take_chosen(target)?
        };
        state.with_case(|case| {
            let actor = state.actor();
            if !as_pdf {
                return generate::save_form(case, notice, form, &out, lang, &actor);
            }
            // The letters (to the customers an SMS cannot reach) and the poster leave as documents: a
            // DOCX when the chosen name ends in .docx, a PDF otherwise.
            let tag = lang.pick("zh-CN", "en");
            let options = RenderOptions::default();
            let format = format_of(&out);
            let (template, rendered, customers) = if form == NoticeForm::Letter {
                let letters = generate::letters_without_phone(case, notice, lang)?;
                if letters.is_empty() {
                    return Err(Error::NotFound("letter"));
                }
                let t = handover_documents::builtin("letter", tag).map_err(render_error)?;
                let r = handover_documents::render_many(&t, &letters, format, &options);
                (t, r, letters.len() as u64)
            } else {
                let poster = generate::poster_document(case, notice, lang)?;
                let t = handover_documents::builtin("poster", tag).map_err(render_error)?;
                let r = handover_documents::render(&t, &poster, format, &options);
                (t, r, 0)
            };
            let rendered = rendered.map_err(render_error)?;
            write_file(&out, &rendered.bytes)?;
            let file = WrittenFile {
                path: out.display().to_string(),
                notice,
                form,
                sha256: rendered.sha256,
                bytes: rendered.bytes.len() as u64,
                customers,
            };
            generate::record_written_files(
                case,
                lang,
                std::slice::from_ref(&file),
                &template.sha256,
                &actor,
            )?;
            Ok(file)
        })
    })
    .await
}

/// Imports a reply file (the SMS platform's result, or a filled reply sheet): each row's customer gets the
/// status, the plan re-decides them. One transaction, one audit entry.
#[tauri::command]
pub async fn import_replies<R: Runtime>(app: AppHandle<R>, path: String) -> CmdResult<ReplyImport> {
    blocking(app, move |state| {
        let path = PathBuf::from(path.trim());
        state.with_case(|case| {
            let actor = state.actor();
            if path.as_os_str().is_empty() {
                return Err(Error::FileNotFound(path.clone()));
            }
            replies::import_replies(case, rulebook(), &path, &actor)
        })
    })
    .await
}

/// The operator the owner named (empty: each case's responsible person).
#[tauri::command]
pub async fn operator(state: State<'_, AppState>) -> CmdResult<String> {
    Ok(state.operator())
}

/// Names the person working cases on this laptop (经办人): audit entries record them beside the login and
/// documents print them. Kept in the settings; blank goes back to each case's responsible person.
#[tauri::command]
pub async fn set_operator(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    let name: String = name
        .chars()
        .take(handover_core::case::MAX_FIELD_CHARS)
        .collect();
    state.set_operator(&name)
}
