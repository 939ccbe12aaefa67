//! `handover notices` and `handover replies`: the customer notices the plan needs, and the customers'
//! replies. The JSON shapes are documented in docs/cli.md and kept stable; built here explicitly.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use handover_core::notices::generate::{write_notices, NoticesReport, NoticesRequest};
use handover_core::notices::kinds::NoticeForm;
use handover_core::notices::model::set_signature;
use handover_core::notices::replies::{
    import_replies, parse_status, record_replies, ReplyCounts, ReplyEntry,
};
use handover_core::rules::rulebook;
use handover_core::store::Actor;
use handover_core::{Error, Lang};
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
    let report = write_notices(&opened, &request, actor)?;
    opened.close()?;
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(&report_json(&report)).unwrap_or_default()
        );
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
    }
    Ok(ExitCode::SUCCESS)
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
