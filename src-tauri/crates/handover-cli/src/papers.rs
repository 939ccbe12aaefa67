//! The receipt (签收单) and the destruction certificate (销毁证明) as PDF and/or DOCX: rendered by
//! handover-documents from the models the core builds (`transfer::ReceiptDocument`,
//! `destruction::document::CertificateDocument`), written with `write_atomic` and audited as
//! `document.receipt` / `document.certificate` with the template's and the file's SHA-256.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use handover_core::destruction::document::{self, CertificateDocument, StoredCertificate};
use handover_core::store::{Actor, Case};
use handover_core::summary::{self, WrittenDocument};
use handover_core::transfer;
use handover_core::{Error, Lang};
use handover_documents::{Format, RenderOptions};
use serde::Serialize;
use serde_json::{json, Value};

use crate::documents::{document_error, write_file};
use crate::text::say;

/// Where to write a document: a PDF, a DOCX, either or both.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub pdf: Option<PathBuf>,
    pub docx: Option<PathBuf>,
}

impl Outputs {
    pub fn any(&self) -> bool {
        self.pdf.is_some() || self.docx.is_some()
    }
}

/// Renders `model` with the shipped template `id` into each asked format, writes the files, audits each one
/// in `case` and returns their JSON lines; `Err(exit)` when rendering failed (the message is printed).
pub fn write<M: Serialize>(
    case: &Case,
    id: &str,
    model: &M,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<Result<Vec<Value>, ExitCode>, Error> {
    let tag = lang.pick("zh-CN", "en");
    let template = match handover_documents::builtin(id, tag) {
        Ok(t) => t,
        Err(e) => return Ok(Err(document_error(e, json, lang))),
    };
    let mut files = Vec::new();
    for (format, path) in [(Format::Pdf, &outputs.pdf), (Format::Docx, &outputs.docx)] {
        let Some(path) = path else { continue };
        let rendered =
            match handover_documents::render(&template, model, format, &RenderOptions::default()) {
                Ok(r) => r,
                Err(e) => return Ok(Err(document_error(e, json, lang))),
            };
        write_file(path, &rendered.bytes)?;
        summary::record_written(
            case,
            actor,
            &WrittenDocument {
                document: id.into(),
                format: format.id().into(),
                lang: tag.into(),
                path: path.display().to_string(),
                sha256: rendered.sha256.clone(),
                template: template.name(),
                template_sha256: rendered.template_sha256.clone(),
                draft: false,
                operator: actor.operator_name(&case.details()?.seller.responsible_person),
                annex: None,
            },
        )?;
        files.push(json!({
            "path": path.display().to_string(),
            "format": format.id(),
            "sha256": rendered.sha256,
            "bytes": rendered.bytes.len(),
            "pages": rendered.pages,
            "template": template.name(),
            "template_sha256": template.sha256,
        }));
    }
    Ok(Ok(files))
}

/// Prints the written files, one line each (the text form).
pub fn print_files(files: &[Value]) {
    for f in files {
        say!(
            "{}  {}  SHA-256 {}",
            f["format"].as_str().unwrap_or_default(),
            f["path"].as_str().unwrap_or_default(),
            f["sha256"].as_str().unwrap_or_default()
        );
    }
}

/// The receipt of a received case, written to `outputs`.
pub fn receipt_files(
    case: &Case,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<Result<Vec<Value>, ExitCode>, Error> {
    let model = transfer::receipt_document(case, lang)?.ok_or(Error::NotReceived)?;
    write(case, "receipt", &model, outputs, json, lang, actor)
}

/// A destruction certificate written to `outputs`.
pub fn certificate_files(
    case: &Case,
    stored: &StoredCertificate,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<Result<Vec<Value>, ExitCode>, Error> {
    let model = CertificateDocument::new(stored, lang);
    write(case, "certificate", &model, outputs, json, lang, actor)
}

/// `handover certificate`: a stored destruction certificate (the newest, or the one under `reference`) as
/// PDF and/or DOCX; without either, its data.
pub fn certificate(
    path: &Path,
    reference: Option<&str>,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let case = crate::open(path, lang)?;
    let stored = case
        .read(|conn| document::stored(conn, reference))?
        .ok_or_else(|| Error::NoCertificate(reference.unwrap_or_default().to_string()))?;
    let files = match certificate_files(&case, &stored, outputs, json, lang, actor)? {
        Ok(f) => f,
        Err(exit) => {
            case.close()?;
            return Ok(exit);
        }
    };
    case.close()?;
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "reference": stored.certificate.reference,
                "certificate": stored.certificate,
                "certificate_sha256": stored.sha256,
                "audit_seq": stored.audit_seq,
                "audit_hash": stored.audit_hash,
                "files": files,
            }))
            .unwrap_or_default()
        );
    } else {
        say!(
            "{}  SHA-256 {}",
            stored.certificate.reference,
            stored.sha256
        );
        print_files(&files);
    }
    Ok(ExitCode::SUCCESS)
}
