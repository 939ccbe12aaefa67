//! `handover destroy`, `receipt`, `paper`, `returns`, `backup` and `restore`: carrying out the plan's deletions
//! with proof, and encrypted copies of a case. The JSON shapes are documented in docs/cli.md.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use handover_core::destruction::{self, certificate::CertificateModel, DestructionStage};
use handover_core::rules::rulebook;
use handover_core::store::{Actor, Case};
use handover_core::{backup, Error, Lang};
use serde_json::{json, Value};

use crate::papers::{self, Outputs};
use crate::passphrase_input;
use crate::text::{say, Word};

fn print_json(v: &Value) {
    say!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn open_with_passphrase(
    path: &Path,
    lang: Lang,
) -> Result<(Case, passphrase_input::Passphrase), Error> {
    let passphrase = passphrase_input::for_existing_case(lang)?;
    let case = Case::open(path, &passphrase)?;
    Ok((case, passphrase))
}

/// The certificate's counts as `destroy --json` prints them.
fn counts_json(c: &CertificateModel) -> Value {
    let d = &c.destroyed;
    json!({
        "records": d.records,
        "transferred_copies": d.transferred_copies,
        "customers": d.customers,
        "import_problems": d.import_problems,
        "stripped_records": d.stripped_records,
        "stripped_fields": d.stripped_fields.iter().map(|f| json!({ "field": f.field, "records": f.records })).collect::<Vec<_>>(),
        "by_source": d.by_source,
    })
}

/// `handover destroy`: refused without `--confirm`; exit 1 when the verification found a problem.
pub fn destroy(
    path: &Path,
    confirm: bool,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    if !confirm {
        return Err(Error::DestroyNotConfirmed);
    }
    let (mut case, passphrase) = open_with_passphrase(path, lang)?;
    // Once the copy is done (and its memory given back), the certificate's PDF is made ready on another core
    // while the file is checked. Not joined: rendering waits for it if it is still loading.
    let mut on_stage = |stage: DestructionStage| {
        if stage == DestructionStage::Checking && outputs.pdf.is_some() {
            std::thread::spawn(|| {
                let _ = handover_documents::prepare_pdf();
            });
        }
    };
    let report = destruction::destroy_reporting(
        &mut case,
        &passphrase,
        confirm,
        rulebook(),
        actor,
        &mut on_stage,
    )?;
    // The certificate's files: the destruction is done whatever happens here.
    let files =
        match papers::certificate_files(&case, &report.stored(), outputs, json, lang, actor)? {
            Ok(f) => f,
            Err(exit) => {
                case.close()?;
                return Ok(exit);
            }
        };
    case.close()?;
    let c = &report.certificate;
    let v = &c.verification;
    if json {
        print_json(&json!({
            "counts": counts_json(c),
            "certificate": c,
            "certificate_sha256": report.certificate_sha256,
            "audit_seq": report.audit_seq,
            "audit_hash": report.audit_hash,
            "verification": v,
            "files": files,
        }));
    } else {
        let d = &c.destroyed;
        say!("{}: {}", Word::CertificateReference.get(lang), c.reference);
        say!("{}: {}", Word::DeletedRecords.get(lang), d.records);
        say!(
            "{}: {}",
            Word::DeletedTransferredCopies.get(lang),
            d.transferred_copies
        );
        say!("{}: {}", Word::DeletedCustomers.get(lang), d.customers);
        say!(
            "{}: {}",
            Word::StrippedRecords.get(lang),
            d.stripped_records
        );
        say!(
            "{}: {} / {} / {}",
            Word::PagesFreeCanaries.get(lang),
            v.pages_read,
            v.free_pages,
            v.canaries
        );
        say!(
            "{}",
            if v.passed {
                Word::VerificationPassed.get(lang)
            } else {
                Word::VerificationFailed.get(lang)
            }
        );
        if !c.backups_before.is_empty() {
            say!("{}", Word::BackupsStillHoldData.get(lang));
            for b in &c.backups_before {
                say!("  {}  {}  {}", b.at, b.path, b.sha256);
            }
        }
        papers::print_files(&files);
    }
    Ok(if v.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `handover receipt`: in the seller's case, records that the recipient signed for the package (with
/// `--package-sha256` and `--signed-on`); in a received case, writes the receipt document (`--pdf`, `--docx`).
pub fn receipt(
    path: &Path,
    signed: Option<(&str, NaiveDate)>,
    outputs: &Outputs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let case = crate::open(path, lang)?;
    let recorded = match signed {
        Some((sha, on)) => Some(destruction::record_receipt(&case, sha, on, actor)?),
        None => None,
    };
    let files = if outputs.any() {
        match papers::receipt_files(&case, outputs, json, lang, actor)? {
            Ok(f) => f,
            Err(exit) => {
                case.close()?;
                return Ok(exit);
            }
        }
    } else {
        Vec::new()
    };
    case.close()?;
    if json {
        print_json(&json!({ "receipt": recorded, "files": files }));
    } else {
        if let Some(r) = &recorded {
            say!(
                "{}: {} ({})",
                Word::ReceiptRecorded.get(lang),
                r.package_sha256,
                r.signed_on
            );
        }
        papers::print_files(&files);
    }
    Ok(ExitCode::SUCCESS)
}

/// `handover paper`: lists the paper sources to destroy by hand, or confirms one with its witness.
pub fn paper(
    path: &Path,
    source: Option<i64>,
    witness: Option<String>,
    destroyed_on: Option<NaiveDate>,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let case = crate::open(path, lang)?;
    if let Some(source) = source {
        let on = destroyed_on.unwrap_or_else(|| chrono::Local::now().date_naive());
        destruction::confirm_paper_destroyed(
            &case,
            source,
            witness.as_deref().unwrap_or(""),
            on,
            actor,
        )?;
    }
    let lines = case.read(destruction::paper_to_destroy)?;
    case.close()?;
    if json {
        print_json(&json!({ "paper": lines }));
    } else {
        for l in &lines {
            say!(
                "#{} {}  {}",
                l.source_id,
                l.label,
                match (&l.witness, &l.destroyed_on) {
                    (Some(w), Some(on)) => format!(
                        "{} {on}, {} {w}",
                        Word::Destroyed.get(lang),
                        Word::Witness.get(lang)
                    ),
                    _ => Word::StillToDestroy.get(lang).to_string(),
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `handover returns`: one CSV per courier company.
pub fn returns(
    path: &Path,
    out: &Path,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let case = crate::open(path, lang)?;
    let lists = destruction::returns::write_files(&case, out, actor)?;
    case.close()?;
    if json {
        print_json(&json!({
            "files": lists.iter().map(|l| json!({
                "company": l.company,
                "file": l.file,
                "sha256": l.sha256,
                "uncollected": l.uncollected,
                "entrusted": l.entrusted,
                "lines": l.lines.len(),
            })).collect::<Vec<_>>(),
            "lists": lists,
        }));
    } else {
        for l in &lists {
            say!(
                "{}  {} {} / {} {}  {}",
                l.file,
                Word::Uncollected.get(lang),
                l.uncollected,
                Word::Entrusted.get(lang),
                l.entrusted,
                l.sha256
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn copy_json(r: &backup::CopyReport) -> Value {
    json!({
        "path": r.path,
        "sha256": r.sha256,
        "size_bytes": r.size_bytes,
        "audit_ok": r.audit_ok,
        "counts": r.counts,
    })
}

/// `handover backup`.
pub fn backup(
    path: &Path,
    out: &Path,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let (case, passphrase) = open_with_passphrase(path, lang)?;
    let report = backup::backup(&case, &passphrase, out, actor)?;
    let all = backup::list(&case)?;
    case.close()?;
    if json {
        let mut v = copy_json(&report);
        v["backups"] = json!(all);
        print_json(&v);
    } else {
        say!(
            "{}: {}  {}",
            Word::BackupWritten.get(lang),
            report.path,
            report.sha256
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `handover restore`.
pub fn restore(
    backup_file: &Path,
    new_case: &Path,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let passphrase = passphrase_input::for_existing_case(lang)?;
    let report = backup::restore(backup_file, new_case, &passphrase, actor)?;
    if json {
        print_json(&copy_json(&report));
    } else {
        say!("{}: {}", Word::RestoredTo.get(lang), report.path);
    }
    Ok(ExitCode::SUCCESS)
}
