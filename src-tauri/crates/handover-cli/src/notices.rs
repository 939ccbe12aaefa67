//! `handover notices` and `handover replies`: the customer notices the plan needs, and the customers'
//! replies. The JSON shapes are documented in docs/cli.md and kept stable; built here explicitly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use handover_core::notices::error::NoticeError;
use handover_core::notices::generate::{
    letters_without_phone, poster_document, record_written_files, write_notices, NoticesReport,
    NoticesRequest, WrittenFile,
};
use handover_core::notices::kinds::{NoticeForm, NoticeKind};
use handover_core::notices::model::set_signature;
use handover_core::notices::replies::{
    import_replies, parse_status, record_replies, ReplyCounts, ReplyEntry,
};
use handover_core::rules::rulebook;
use handover_core::store::Actor;
use handover_core::store::Case;
use handover_core::{Error, Lang};
use handover_documents::{DocumentError, Format, RenderOptions};
use serde_json::{json, Value};

use crate::text::{say, Line};

/// `handover notices`.
pub fn notices(
    case: &Path,
    out: PathBuf,
    forms: Vec<NoticeForm>,
    signature: Option<String>,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let opened = crate::open(case, lang)?;
    if let Some(s) = signature {
        set_signature(&opened, &s, actor)?;
    }
    let request = NoticesRequest {
        out_dir: out,
        forms,
        lang,
    };
    let mut report = write_notices(&opened, &request, actor)?;
    // The letters and the poster as PDF too, beside their data files: letters to the customers an SMS
    // cannot reach (none written when every customer has a mobile number; skipped with a note beyond
    // MAX_LETTERS_PER_FILE), the poster as an A4 page in large type.
    let mut skipped = Vec::new();
    let mut pdfs = Vec::new();
    for n in &report.notices {
        for form in [NoticeForm::Letter, NoticeForm::Poster] {
            let wanted = request.forms.is_empty() || request.forms.contains(&form);
            if !wanted || (form == NoticeForm::Letter && n.customers == n.with_phone) {
                continue;
            }
            let path = request.out_dir.join(pdf_file_name(n.notice, form));
            match notice_pdf(&opened, n.notice, form, &path, lang) {
                Ok(Ok((file, template_sha256))) => {
                    record_written_files(
                        &opened,
                        lang,
                        std::slice::from_ref(&file),
                        &template_sha256,
                        actor,
                    )?;
                    pdfs.push(file);
                }
                Ok(Err(e)) => {
                    opened.close()?;
                    return Ok(crate::documents::document_error(e, json, lang));
                }
                Err(e @ Error::Notices(NoticeError::TooManyLetters { .. })) => {
                    let p = e.payload(lang);
                    skipped.push(json!({
                        "notice": n.notice.id(), "form": form.id(), "code": p.code, "message": p.message,
                    }));
                }
                Err(e) => return Err(e),
            }
        }
    }
    report.files.extend(pdfs);
    opened.close()?;
    if json {
        let mut v = report_json(&report);
        v["skipped"] = json!(skipped);
        say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        for n in &report.notices {
            let line = Line::Notice {
                title: &n.title,
                customers: n.customers,
                with_phone: n.with_phone,
                units: n.longest_units,
                parts: n.longest_parts,
                declared: n.sms.declared_parts,
            };
            say!("{}", line.render(lang));
            for f in report.files.iter().filter(|f| f.notice == n.notice) {
                let line = Line::Written {
                    path: &f.path,
                    sha256: &f.sha256,
                };
                say!("{}", line.render(lang));
            }
        }
        for s in &skipped {
            say!("{}", s["message"].as_str().unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The PDF beside a letters or poster data file: `<notice>-letters.pdf`, `<notice>-poster.pdf`.
fn pdf_file_name(kind: NoticeKind, form: NoticeForm) -> String {
    match form {
        NoticeForm::Letter => format!("{}-letters.pdf", kind.id()),
        _ => format!("{}-poster.pdf", kind.id()),
    }
}

/// Renders the letters (to customers without a mobile number) or the poster of a notice as a PDF at
/// `path`; returns the file and its template's SHA-256. `Ok(Err(_))` when rendering failed (a missing font:
/// the caller prints it).
fn notice_pdf(
    case: &Case,
    kind: NoticeKind,
    form: NoticeForm,
    path: &Path,
    lang: Lang,
) -> Result<Result<(WrittenFile, String), DocumentError>, Error> {
    let tag = lang.pick("zh-CN", "en");
    let options = RenderOptions::default();
    let (rendered, customers) = if form == NoticeForm::Letter {
        let letters = letters_without_phone(case, kind, lang)?;
        let rendered = handover_documents::builtin("letter", tag)
            .and_then(|t| handover_documents::render_many(&t, &letters, Format::Pdf, &options));
        (rendered, letters.len() as u64)
    } else {
        let poster = poster_document(case, kind, lang)?;
        let rendered = handover_documents::builtin("poster", tag)
            .and_then(|t| handover_documents::render(&t, &poster, Format::Pdf, &options));
        (rendered, 0)
    };
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    crate::documents::write_file(path, &rendered.bytes)?;
    let file = WrittenFile {
        path: path.display().to_string(),
        notice: kind,
        form,
        sha256: rendered.sha256,
        bytes: rendered.bytes.len() as u64,
        customers,
    };
    Ok(Ok((file, rendered.template_sha256)))
}

/// The stable JSON of `handover notices` (docs/cli.md).
fn report_json(r: &NoticesReport) -> Value {
    json!({
        "template_sha256": r.template_sha256,
        "notices": r.notices.iter().map(|n| json!({
            "notice": n.notice.id(),
            "title": n.title,
            "customers": n.customers,
            "with_phone": n.with_phone,
            "sms": {
                "text": n.sms.text,
                "units": n.sms.units,
                "parts": n.sms.parts,
                "declared_parts": n.sms.declared_parts,
                "longest_units": n.longest_units,
                "longest_parts": n.longest_parts,
            },
        })).collect::<Vec<_>>(),
        "files": r.files.iter().map(|f| json!({
            "path": f.path,
            "notice": f.notice.id(),
            "form": f.form.id(),
            "sha256": f.sha256,
            "bytes": f.bytes,
            "customers": f.customers,
        })).collect::<Vec<_>>(),
    })
}

fn counts_json(c: &ReplyCounts) -> Value {
    json!({
        "rows": c.rows,
        "sent": c.sent,
        "failed": c.failed,
        "objected": c.objected,
        "consented": c.consented,
        "refused": c.refused,
        "deletion": c.deletion,
        "changed": c.changed,
        "unchanged": c.unchanged,
        "unknown_customer": c.unknown_customer,
        "unknown_status": c.unknown_status,
    })
}

fn print_counts(c: &ReplyCounts, lang: Lang) {
    let line = Line::Replies {
        rows: c.rows,
        changed: c.changed,
        unchanged: c.unchanged,
        unknown_customer: c.unknown_customer,
        unknown_status: c.unknown_status,
    };
    say!("{}", line.render(lang));
}

/// `handover replies`: a reply file, or `--set WHO=STATUS` given by hand (one or more).
pub fn replies(
    case: &Path,
    file: Option<PathBuf>,
    set: Vec<String>,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let mut entries = Vec::new();
    for s in &set {
        // Checked by clap (`parse_reply`).
        let Some((who, status)) = s
            .split_once('=')
            .and_then(|(who, status)| parse_status(status).map(|st| (who, st)))
        else {
            continue;
        };
        entries.push(ReplyEntry {
            who: who.to_string(),
            status,
        });
    }
    let opened = crate::open(case, lang)?;
    let book = rulebook();
    let mut out = json!({});
    if let Some(file) = &file {
        let r = import_replies(&opened, book, file, actor)?;
        if !json {
            print_counts(&r.counts, lang);
        }
        out["file"] = json!({
            "path": r.file,
            "sha256": r.sha256,
            "phone_column": r.phone_column,
            "customer_column": r.customer_column,
            "status_column": r.status_column,
            "counts": counts_json(&r.counts),
            "skipped_rows": r.skipped_rows,
        });
    }
    if !entries.is_empty() {
        let c = record_replies(&opened, book, &entries, actor)?;
        if !json {
            print_counts(&c, lang);
        }
        out["set"] = counts_json(&c);
    }
    opened.close()?;
    if json {
        say!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    Ok(ExitCode::SUCCESS)
}
