//! `handover`: the command-line interface over handover-core. Scripts rely on its commands, exit codes
//! and `--json` output (documented in docs/cli.md); keep them stable.
//!
//! Exit codes: 0 success · 1 a check found a problem (e.g. `audit --verify` found a broken entry) ·
//! 2 the request cannot be carried out as given (wrong passphrase, not a case file, bad arguments…) ·
//! 3 an internal or database error.

mod documents;
mod passphrase_input;
mod plan;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use handover_core::case::{BusinessKind, CaseDetails, Recipient, Seller, TransferReason};
use handover_core::classification::ClassificationSummary;
use handover_core::field::FieldType;
use std::sync::atomic::AtomicBool;

// See the workspace Cargo.toml: cross-thread frees during imports are cheap with mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use handover_core::i18n::{Label, Localize, Message};
use handover_core::records::import_file::{self, ImportPreview, ImportRequest, ReadChoices};
use handover_core::records::ImportSummary;
use handover_core::rules::status::StatusChange;
use handover_core::rules::Answer;
use handover_core::store::{Actor, Case, CaseOverview};
use handover_core::{Error, Lang};
use serde_json::{json, Value};
use text::{Line, Word};

#[derive(Debug, Parser)]
#[command(
    name = "handover",
    version,
    about = "客户信息交接助手 Handover — command-line interface"
)]
struct Cli {
    /// Language of messages: zh-CN (default) or en. Falls back to HANDOVER_LANG, then LANG.
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new case file. The passphrase comes from HANDOVER_PASSPHRASE or is asked for twice.
    New {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_enum)]
        kind: KindArg,
        #[arg(long, value_enum)]
        reason: ReasonArg,
        /// The seller: shop, station or company name.
        #[arg(long)]
        seller: String,
        #[arg(long, default_value = "")]
        seller_contact: String,
        /// Person responsible for customer information (负责人).
        #[arg(long, default_value = "")]
        responsible: String,
        /// Recipient or buyer name (PIPL Art. 22: customers are told the name and the contact).
        #[arg(long, requires = "buyer_contact")]
        buyer: Option<String>,
        #[arg(long, requires = "buyer")]
        buyer_contact: Option<String>,
        /// Planned handover date, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        handover_date: Option<NaiveDate>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// Show a case's details and counts.
    Status {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import customer lists (CSV/TXT in any encoding, XLSX/XLS/ODS) into a case. Each file lands whole or
    /// not at all; rows the app could not read cleanly are listed with their row, column and reason.
    Import {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// One or more files to import.
        #[arg(required = true, value_name = "SOURCE")]
        sources: Vec<PathBuf>,
        /// The sheet to read from a spreadsheet (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Override the detected encoding (UTF-8, GB18030, UTF-16LE, UTF-16BE).
        #[arg(long)]
        encoding: Option<String>,
        /// Override the detected header row (1-based).
        #[arg(long)]
        header_row: Option<u64>,
        /// Import even when the same content was imported before.
        #[arg(long)]
        allow_duplicate: bool,
        #[arg(long)]
        json: bool,
    },
    /// Compute the plan: one outcome per record with the rules and articles behind it. Prints the counts
    /// per outcome and per rule and the prepaid totals; --details adds one entry per record (masked).
    Plan {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long)]
        json: bool,
        /// One entry per record: source, row, customer (masked), outcome, rules, citations.
        #[arg(long)]
        details: bool,
    },
    /// Record what a customer said: consent, a guardian's consent, an objection, a deletion request, a
    /// refund. Audited; the customer's records are re-decided when a plan exists.
    Set {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// The customer's number (as in `plan --details`).
        #[arg(long, conflicts_with = "phone", required_unless_present = "phone")]
        customer: Option<i64>,
        /// The customer's mobile number.
        #[arg(long)]
        phone: Option<String>,
        /// Separate consent (单独同意) to the transfer, including the takeover of a prepaid balance.
        #[arg(long, value_enum)]
        consent: Option<YesNo>,
        #[arg(long, value_enum)]
        guardian_consent: Option<YesNo>,
        #[arg(long, value_enum)]
        objection: Option<YesNo>,
        #[arg(long)]
        deletion_request: bool,
        /// The prepaid balance was refunded.
        #[arg(long)]
        refunded: bool,
        #[arg(long)]
        json: bool,
    },
    /// List the audit log, or check it with --verify.
    Audit {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// Check the hash chain; exit 1 and name the first broken entry if it was tampered with.
        #[arg(long)]
        verify: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write the handover summary (交接清单) as PDF and/or DOCX, with the per-customer prepaid annex (CSV).
    /// A draft (watermarked) when asked or while a blocking checklist item is open. Language: --lang.
    Summary {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "OUT", required_unless_present = "docx")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        /// Where to write the prepaid annex (default: beside the document, `<name>-prepaid-annex.csv`).
        #[arg(long, value_name = "FILE")]
        annex: Option<PathBuf>,
        /// Make a draft even if the final summary could be made.
        #[arg(long)]
        draft: bool,
        /// The operator (经办人) the document names; default: the responsible person of the case details.
        #[arg(long)]
        operator: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the data-security agreement (数据安全协议) draft between seller and recipient, filled from the case.
    Agreement {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "OUT", required_unless_present = "docx")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        draft: bool,
        #[arg(long)]
        operator: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the personal-information impact assessment record (个人信息保护影响评估记录, PIPL Art. 55–56).
    Assessment {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "OUT", required_unless_present = "docx")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        draft: bool,
        #[arg(long)]
        operator: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindArg {
    CourierStation,
    Shop,
    Company,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReasonArg {
    SaleWhole,
    SaleList,
    Merger,
    Division,
    Dissolution,
    Bankruptcy,
}

impl From<KindArg> for BusinessKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::CourierStation => BusinessKind::CourierStation,
            KindArg::Shop => BusinessKind::Shop,
            KindArg::Company => BusinessKind::Company,
        }
    }
}

impl From<ReasonArg> for TransferReason {
    fn from(r: ReasonArg) -> Self {
        match r {
            ReasonArg::SaleWhole => TransferReason::SaleWhole,
            ReasonArg::SaleList => TransferReason::SaleList,
            ReasonArg::Merger => TransferReason::Merger,
            ReasonArg::Division => TransferReason::Division,
            ReasonArg::Dissolution => TransferReason::Dissolution,
            ReasonArg::Bankruptcy => TransferReason::Bankruptcy,
        }
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("“{s}” is not a date in the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli
        .lang
        .clone()
        .or_else(|| std::env::var("HANDOVER_LANG").ok())
        .or_else(|| std::env::var("LANG").ok())
        .map(|t| Lang::from_tag(&t))
        .unwrap_or_default();
    let json = matches!(
        cli.command,
        Command::New { json: true, .. }
            | Command::Status { json: true, .. }
            | Command::Audit { json: true, .. }
            | Command::Import { json: true, .. }
            | Command::Plan { json: true, .. }
            | Command::Set { json: true, .. }
            | Command::Summary { json: true, .. }
            | Command::Agreement { json: true, .. }
            | Command::Assessment { json: true, .. }
    );
    match run(cli.command, lang) {
        Ok(code) => code,
        Err(e) => {
            if json {
                println!("{}", json!({ "error": e.payload(lang) }));
            } else {
                eprintln!("{}", e.message(lang));
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Internal(_) | Error::Database(_) => 3,
        _ => 2,
    }
}

fn run(command: Command, lang: Lang) -> Result<ExitCode, Error> {
    let actor = Actor::current("cli");
    match command {
        Command::New {
            case,
            kind,
            reason,
            seller,
            seller_contact,
            responsible,
            buyer,
            buyer_contact,
            handover_date,
            notes,
            json,
        } => {
            let details = CaseDetails {
                kind: kind.into(),
                reason: reason.into(),
                seller: Seller {
                    name: seller,
                    contact: seller_contact,
                    responsible_person: responsible,
                },
                recipient: buyer.map(|name| Recipient {
                    name,
                    contact: buyer_contact.unwrap_or_default(),
                }),
                handover_date,
                notes,
            };
            if case.exists() {
                return Err(Error::FileExists(case));
            }
            let passphrase = passphrase_input::for_new_case(lang)?;
            let created = Case::create(&case, &passphrase, details, &actor)?;
            let overview = created.overview()?.localized(lang);
            created.close()?;
            print_overview(&overview, json, lang);
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { case, json } => {
            let opened = open(&case, lang)?;
            let overview = opened.overview()?.localized(lang);
            let classification =
                handover_core::classification::case_summary(&opened)?.localized(lang);
            opened.close()?;
            if json {
                let mut v = overview_json(&overview);
                classification_json(&mut v, &classification);
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print_overview(&overview, false, lang);
                print_classification(&classification, lang);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            case,
            sources,
            sheet,
            encoding,
            header_row,
            allow_duplicate,
            json,
        } => {
            let choices = ReadChoices {
                encoding,
                delimiter: None,
                sheet,
                header_row,
            };
            import_sources(
                &case,
                &sources,
                &choices,
                allow_duplicate,
                json,
                lang,
                &actor,
            )
        }
        Command::Plan {
            case,
            json,
            details,
        } => plan::run(&case, json, details, lang, &actor),
        Command::Set {
            case,
            customer,
            phone,
            consent,
            guardian_consent,
            objection,
            deletion_request,
            refunded,
            json,
        } => {
            let answer = |a: Option<YesNo>| {
                a.map(|a| match a {
                    YesNo::Yes => Answer::Yes,
                    YesNo::No => Answer::No,
                })
            };
            let change = StatusChange {
                consent: answer(consent),
                guardian_consent: answer(guardian_consent),
                objection: objection.map(|o| matches!(o, YesNo::Yes)),
                deletion_request: deletion_request.then_some(true),
                refunded: refunded.then_some(true),
            };
            plan::set(
                &case,
                customer,
                phone.as_deref(),
                &change,
                json,
                lang,
                &actor,
            )
        }
        Command::Summary {
            case,
            pdf,
            docx,
            annex,
            draft,
            operator,
            json,
        } => documents::summary(
            documents::SummaryRequest {
                document: documents::Document::Summary,
                case,
                pdf,
                docx,
                annex,
                draft,
                operator,
                json,
            },
            lang,
            &actor,
        ),
        Command::Agreement {
            case,
            pdf,
            docx,
            draft,
            operator,
            json,
        } => documents::summary(
            documents::SummaryRequest {
                document: documents::Document::Agreement,
                case,
                pdf,
                docx,
                annex: None,
                draft,
                operator,
                json,
            },
            lang,
            &actor,
        ),
        Command::Assessment {
            case,
            pdf,
            docx,
            draft,
            operator,
            json,
        } => documents::summary(
            documents::SummaryRequest {
                document: documents::Document::Assessment,
                case,
                pdf,
                docx,
                annex: None,
                draft,
                operator,
                json,
            },
            lang,
            &actor,
        ),
        Command::Audit { case, verify, json } => {
            let opened = open(&case, lang)?;
            if verify {
                let report = opened.verify_audit()?.localized(lang);
                opened.close()?;
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report)
                            .map_err(|e| Error::Internal(e.to_string()))?
                    );
                } else if report.ok {
                    println!("{}", report.message);
                } else {
                    eprintln!("{}", report.message);
                }
                Ok(if report.ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            } else {
                let entries = opened.audit_entries()?;
                opened.close()?;
                if json {
                    println!("{}", json!({ "entries": entries }));
                } else {
                    for e in entries {
                        println!(
                            "#{:<4} {}  {:<22} {:<16} {}",
                            e.seq, e.at, e.action, e.actor, e.detail
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

/// `handover import`: every source is tried; a refused source is reported and the command exits 2.
fn import_sources(
    case: &std::path::Path,
    sources: &[PathBuf],
    choices: &ReadChoices,
    allow_duplicate: bool,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    use std::io::IsTerminal;
    let mut opened = open(case, lang)?;
    let cancel = AtomicBool::new(false);
    let show_progress = !json && std::io::stderr().is_terminal();
    let mut reports = Vec::new();
    let mut any_refused = false;
    for source in sources {
        let request = ImportRequest {
            path: source.display().to_string(),
            choices: choices.clone(),
            fields: None,
            allow_duplicate,
        };
        let result = import_file::run(
            &mut opened,
            &request,
            actor,
            lang,
            &cancel,
            &mut |pr| {
                if show_progress {
                    eprint!(
                        "\r{:>5.1}%  {} {}  {:.0}/s ",
                        pr.percent,
                        pr.rows,
                        Word::Rows.get(lang),
                        pr.rows_per_second
                    );
                }
            },
            false,
        );
        if show_progress {
            eprintln!();
        }
        match result {
            Ok((p, summary)) => {
                if !json {
                    print_import(&p, &summary, lang);
                }
                reports.push(import_json(&p, &summary));
            }
            Err(e) => {
                if matches!(e, Error::Database(_) | Error::Internal(_)) {
                    return Err(e);
                }
                any_refused = true;
                if !json {
                    eprintln!("{}", e.message(lang));
                }
                reports.push(json!({
                    "file": source.display().to_string(),
                    "error": e.message(lang),
                    "code": e.code(),
                }));
            }
        }
    }
    opened.close()?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "sources": reports })).unwrap_or_default()
        );
    }
    Ok(if any_refused {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The stable JSON of one imported source (docs/cli.md).
fn import_json(p: &ImportPreview, s: &ImportSummary) -> Value {
    json!({
        "file": p.path,
        "format": p.format,
        "encoding": p.encoding,
        "delimiter": p.delimiter,
        "sheet": p.sheet,
        "header_row": p.header_row,
        "rows_imported": s.rows_imported,
        "rows_flagged": s.rows_flagged,
        "rows_rejected": s.rows_rejected,
        "customers_created": s.customers_created,
        "columns": p.columns.iter().map(|c| json!({
            "header": c.header, "field": c.field.id(), "confidence": c.confidence, "evidence": c.evidence,
        })).collect::<Vec<_>>(),
        "problems": s.problems.iter().map(|x| json!({
            "row": x.row, "column": x.column, "header": x.header, "severity": x.severity,
            "kind": x.kind, "reason": x.reason,
        })).collect::<Vec<_>>(),
        "problems_total": s.problems_total,
    })
}

fn print_import(p: &ImportPreview, s: &ImportSummary, lang: Lang) {
    println!("{}: {}", Word::File.get(lang), p.path);
    println!(
        "  {}: {}   {}: {}   {}: {}",
        Word::Encoding.get(lang),
        p.encoding,
        Word::Delimiter.get(lang),
        p.delimiter
            .as_deref()
            .map(|d| if d == "\t" {
                "Tab".to_string()
            } else {
                d.to_string()
            })
            .unwrap_or_else(|| "-".into()),
        Word::HeaderRow.get(lang),
        p.header_row
    );
    println!("  {}:", Word::Columns.get(lang));
    for c in &p.columns {
        println!(
            "    {} → {}  ({})",
            c.header,
            c.field.label(lang),
            c.evidence
        );
    }
    println!(
        "  {}: {}   {}: {}   {}: {}   {}: {}",
        Word::Imported.get(lang),
        s.rows_imported,
        Word::Flagged.get(lang),
        s.rows_flagged,
        Word::Rejected.get(lang),
        s.rows_rejected,
        Word::NewCustomers.get(lang),
        s.customers_created
    );
    for x in s.problems.iter().take(50) {
        let col = x
            .header
            .as_deref()
            .map(|h| format!(" “{h}”"))
            .unwrap_or_default();
        let line = Line::Problem {
            row: x.row,
            column: &col,
            reason: &x.reason,
        };
        println!("{}", line.render(lang));
    }
    if s.problems_total > 50 {
        println!(
            "    … {} {}",
            s.problems_total - 50,
            Word::MoreProblems.get(lang)
        );
    }
}

pub(crate) fn open(path: &std::path::Path, lang: Lang) -> Result<Case, Error> {
    let passphrase = passphrase_input::for_existing_case(lang)?;
    Case::open(path, &passphrase)
}

/// The stable JSON shape of `new` and `status` (docs/cli.md). Built explicitly rather than serialised from
/// the UI's types, so a change to the UI never changes what scripts see.
fn overview_json(o: &CaseOverview) -> Value {
    let d = &o.details;
    json!({
        "file": o.path,
        "case_id": o.case_id,
        "created_at": o.created_at,
        "schema_version": o.schema_version,
        "details": {
            "kind": d.kind,
            "reason": d.reason,
            "seller": { "name": d.seller.name, "contact": d.seller.contact, "responsible_person": d.seller.responsible_person },
            "recipient": d.recipient.as_ref().map(|r| json!({ "name": r.name, "contact": r.contact })),
            "handover_date": d.handover_date.map(|x| x.to_string()),
            "notes": d.notes,
        },
        "open_items": o.problems.iter().map(|p| json!({ "field": p.field, "code": p.code, "message": p.message })).collect::<Vec<_>>(),
        "sources": o.sources,
        "customers": o.customers,
        "records": o.records,
        "audit_entries": o.audit_entries,
    })
}

/// Adds the classification counts to `status --json` (docs/cli.md): `pii` counts cells per kind (valid
/// values in mapped columns plus findings in free text); the customer counts count each customer once.
fn classification_json(v: &mut Value, c: &ClassificationSummary) {
    let pii: serde_json::Map<String, Value> = c
        .pii
        .iter()
        .map(|(k, n)| (k.clone(), json!(n.column_cells + n.text_findings)))
        .collect();
    let pii_detail: serde_json::Map<String, Value> = c
        .pii
        .iter()
        .map(|(k, n)| {
            (
                k.clone(),
                json!({ "column_cells": n.column_cells, "text_findings": n.text_findings, "records": n.records }),
            )
        })
        .collect();
    let o = v.as_object_mut().expect("the overview is an object");
    o.insert("pii".into(), Value::Object(pii));
    o.insert("pii_detail".into(), Value::Object(pii_detail));
    o.insert(
        "categories".into(),
        json!({ "basic": c.categories.basic, "transaction": c.categories.transaction, "preference": c.categories.preference }),
    );
    o.insert(
        "sensitivity".into(),
        json!({ "general": c.categories.general, "sensitive": c.categories.sensitive }),
    );
    o.insert("sensitive_customers".into(), json!(c.sensitive_customers));
    o.insert("minors".into(), json!(c.minors));
    o.insert("free_text_findings".into(), json!(c.free_text_findings));
    o.insert(
        "records_with_free_text_findings".into(),
        json!(c.records_with_free_text_findings),
    );
    o.insert(
        "minors_counted_on".into(),
        json!(c.reference_date.to_string()),
    );
    o.insert("mask_style".into(), json!(c.mask_style.id()));
}

fn print_classification(c: &ClassificationSummary, lang: Lang) {
    if c.records == 0 {
        return;
    }
    println!("{}", Word::PiiCells.get(lang));
    for (kind, n) in &c.pii {
        let label = FieldType::from_id(kind)
            .map(|f| f.label(lang))
            .unwrap_or(kind.as_str());
        println!(
            "  {label}: {} ({} {})",
            n.column_cells + n.text_findings,
            n.text_findings,
            Word::InsideFreeText.get(lang)
        );
    }
    println!(
        "{}: {} / {} / {}",
        Word::CustomersByCategory.get(lang),
        c.categories.basic,
        c.categories.transaction,
        c.categories.preference
    );
    println!(
        "{}: {}",
        Word::SensitiveCustomers.get(lang),
        c.sensitive_customers
    );
    println!(
        "{}: {} ({} {})",
        Word::MinorCustomers.get(lang),
        c.minors,
        Word::CountedOn.get(lang),
        c.reference_date
    );
}

fn print_overview(o: &CaseOverview, json: bool, lang: Lang) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&overview_json(o)).unwrap_or_default()
        );
        return;
    }
    let d = &o.details;
    let none = Word::NotGiven.get(lang);
    let or_none = |s: &str| {
        if s.is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    let rows: Vec<(&str, String)> = vec![
        (Word::CaseFile.get(lang), o.path.clone()),
        (Word::Business.get(lang), d.kind.label(lang).to_string()),
        (Word::Reason.get(lang), d.reason.label(lang).to_string()),
        (Word::Seller.get(lang), or_none(&d.seller.name)),
        (Word::SellerContact.get(lang), or_none(&d.seller.contact)),
        (
            Word::ResponsiblePerson.get(lang),
            or_none(&d.seller.responsible_person),
        ),
        (
            Word::Recipient.get(lang),
            d.recipient
                .as_ref()
                .map(|r| or_none(&r.name))
                .unwrap_or_else(|| none.to_string()),
        ),
        (
            Word::RecipientContact.get(lang),
            d.recipient
                .as_ref()
                .map(|r| or_none(&r.contact))
                .unwrap_or_else(|| none.to_string()),
        ),
        (
            Word::HandoverDate.get(lang),
            d.handover_date
                .map(|x| x.to_string())
                .unwrap_or_else(|| none.to_string()),
        ),
        (
            Word::SourcesCustomersRecords.get(lang),
            format!("{} / {} / {}", o.sources, o.customers, o.records),
        ),
        (Word::AuditEntries.get(lang), o.audit_entries.to_string()),
    ];
    for (k, v) in rows {
        println!("{k}: {v}");
    }
    if !o.problems.is_empty() {
        println!("{}", Word::StillToDo.get(lang));
        for p in &o.problems {
            println!("  - {}", p.message);
        }
    }
}
