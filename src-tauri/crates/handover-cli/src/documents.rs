//! `handover summary`: the handover summary as PDF and/or DOCX (and the prepaid annex), rendered by
//! handover-documents from the model the core builds. The JSON shape is documented in docs/cli.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use handover_core::output::write_atomic;
use handover_core::store::Actor;
use handover_core::summary::{self, SummaryOptions, WrittenDocument};
use handover_core::{Error, Lang};
use handover_documents::{DocumentError, Format, RenderOptions};
use serde_json::{json, Value};

use crate::text::{Line, Word};

/// Which document: the summary, the data-security agreement or the impact assessment. All three are
/// filled from the same model (`handover_core::summary::SummaryModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Summary,
    Agreement,
    Assessment,
}

impl Document {
    fn id(self) -> &'static str {
        match self {
            Document::Summary => "summary",
            Document::Agreement => "agreement",
            Document::Assessment => "assessment",
        }
    }
}

/// What `handover summary` (or `agreement`, `assessment`) was asked for.
#[derive(Debug)]
pub struct SummaryRequest {
    pub document: Document,
    pub case: PathBuf,
    pub pdf: Option<PathBuf>,
    pub docx: Option<PathBuf>,
    pub annex: Option<PathBuf>,
    pub draft: bool,
    pub operator: Option<String>,
    pub json: bool,
}

/// The annex's default path: beside the first output, `<stem>-prepaid-annex.csv`.
fn default_annex(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "summary".into());
    out.with_file_name(format!("{stem}-prepaid-annex.csv"))
}

/// A rendering failure as the CLI reports it: a missing font or a bad template is the request's problem
/// (exit 2), anything else is internal (exit 3).
pub(crate) fn document_error(e: DocumentError, json: bool, lang: Lang) -> ExitCode {
    let (code, exit) = match &e {
        DocumentError::FontMissing { .. } | DocumentError::Font { .. } => ("font_missing", 2),
        DocumentError::Template { .. } | DocumentError::NoTemplate(_) => ("template_invalid", 2),
        DocumentError::Render { .. } => ("internal", 3),
    };
    let message = match &e {
        DocumentError::FontMissing { font, package, .. } => Line::FontMissing {
            font,
            package,
            detail: &e.to_string(),
        }
        .render(lang),
        _ => format!("{}: {e}", Word::DocumentFailed.get(lang)),
    };
    if json {
        println!(
            "{}",
            json!({ "error": { "code": code, "message": message } })
        );
    } else {
        eprintln!("{message}");
    }
    ExitCode::from(exit)
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic(path, |w| w.write_all(bytes)).map_err(|e| Error::io(path, e))
}

/// `handover summary`, `handover agreement`, `handover assessment`.
pub fn summary(req: SummaryRequest, lang: Lang, actor: &Actor) -> Result<ExitCode, Error> {
    let tag = lang.pick("zh-CN", "en");
    let template = match handover_documents::builtin(req.document.id(), tag) {
        Ok(t) => t,
        Err(e) => return Ok(document_error(e, req.json, lang)),
    };
    let opened = crate::open(&req.case, lang)?;
    let first = req.pdf.as_deref().or(req.docx.as_deref());
    // Only the summary lists balances per customer.
    let annex = match req.document {
        Document::Summary => req.annex.clone().or_else(|| first.map(default_annex)),
        _ => None,
    };
    let options = SummaryOptions {
        operator: req.operator.clone(),
        draft: req.draft,
        annex,
    };
    let model = summary::build(&opened, lang, actor, &options)?;
    let render_options = RenderOptions { draft: model.draft };
    let mut files: Vec<Value> = Vec::new();
    let outputs = [(Format::Pdf, &req.pdf), (Format::Docx, &req.docx)];
    for (format, path) in outputs {
        let Some(path) = path else { continue };
        let rendered = match handover_documents::render(&template, &model, format, &render_options)
        {
            Ok(r) => r,
            Err(e) => {
                opened.close()?;
                return Ok(document_error(e, req.json, lang));
            }
        };
        write_file(path, &rendered.bytes)?;
        summary::record_written(
            &opened,
            actor,
            &WrittenDocument {
                document: req.document.id().into(),
                format: format.id().into(),
                lang: tag.into(),
                path: path.display().to_string(),
                sha256: rendered.sha256.clone(),
                template: template.name(),
                template_sha256: rendered.template_sha256.clone(),
                draft: model.draft,
                operator: model.operator.name.clone(),
                annex: model.prepaid.annex.clone(),
            },
        )?;
        files.push(json!({
            "path": path.display().to_string(),
            "format": format.id(),
            "sha256": rendered.sha256,
            "bytes": rendered.bytes.len(),
            "pages": rendered.pages,
        }));
    }
    if let Some(a) = &model.prepaid.annex {
        files.push(json!({
            "path": a.path,
            "format": "csv",
            "sha256": a.sha256,
            "rows": a.rows,
        }));
    }
    opened.close()?;
    if req.json {
        let outcomes: serde_json::Map<String, Value> = model
            .outcomes
            .iter()
            .map(|o| (o.id.clone(), json!(o.records)))
            .collect();
        let v = json!({
            "document": req.document.id(),
            "lang": tag,
            "draft": model.draft,
            "open_blocking": model.open_blocking_count,
            "operator": model.operator.name,
            "mask_style": model.mask_style_id,
            "template": template.name(),
            "template_sha256": template.sha256,
            "files": files,
            "counts": {
                "records": model.counts.records,
                "customers": model.counts.customers,
                "sources": model.counts.sources,
                "outcomes": outcomes,
                "prepaid_total": model.prepaid.total,
                "prepaid_customers": model.prepaid.customers,
                "prepaid_records": model.prepaid.records,
            },
            "audit_entries_before": model.audit.entries,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        if model.draft {
            println!(
                "{}",
                Line::SummaryDraft(model.open_blocking_count).render(lang)
            );
        }
        for f in &files {
            println!(
                "{}  {}  SHA-256 {}",
                f["format"].as_str().unwrap_or_default(),
                f["path"].as_str().unwrap_or_default(),
                f["sha256"].as_str().unwrap_or_default()
            );
        }
        println!("{}: {}", Word::TemplateSha256.get(lang), template.sha256);
    }
    Ok(ExitCode::SUCCESS)
}
