//! `handover`: the command-line interface over handover-core. Scripts rely on its commands, exit codes
//! and `--json` output (documented in docs/cli.md); keep them stable.
//!
//! Exit codes: 0 success · 1 a check found a problem (e.g. `audit --verify` found a broken entry) ·
//! 2 the request cannot be carried out as given (wrong passphrase, not a case file, bad arguments…) ·
//! 3 an internal or database error.

mod destroy;
mod documents;
mod notices;
mod package;
mod papers;
mod passphrase_input;
mod plan;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use handover_core::case::{
    BusinessKind, CaseDetails, CaseFacts, CrossBorderMechanism, LegalForm, Recipient, Seller,
    TransferReason,
};
use handover_core::classification::ClassificationSummary;
use handover_core::field::FieldType;
use std::sync::atomic::{AtomicBool, Ordering};

// See the workspace Cargo.toml: cross-thread frees during imports are cheap with mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process (and the processes it starts). mimalloc asks for them where the
/// system allows it; each first touch of a 2 MiB page then zeroes all of it, however little is used: 30 MB
/// more memory for a destruction or a certificate, and on this project's build machine (a virtual machine)
/// zeroing fresh memory is slow and uneven — up to half a second more for a certificate, a second for a
/// package's scrypt. With 4 KiB pages only what is used is zeroed.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// `--accept-broken-audit`: the owner has seen that the case's audit log is broken and goes on.
static ACCEPT_BROKEN_AUDIT: AtomicBool = AtomicBool::new(false);

use handover_core::i18n::{Label, Localize, Message};
use handover_core::records::import_file::{self, ImportPreview, ImportRequest, ReadChoices};
use handover_core::records::ImportSummary;
use handover_core::rules::status::OverrideTarget;
use handover_core::rules::status::StatusChange;
use handover_core::rules::{Answer, Outcome};
use handover_core::store::{Actor, Case, CaseOverview};
use handover_core::{Error, Lang};
use serde_json::{json, Value};
use text::{say, say_err, Line, Word};

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
    /// Change a case whose audit log was found broken when it was opened (refused otherwise). The
    /// acknowledgement is itself the next audit entry.
    #[arg(long, global = true)]
    accept_broken_audit: bool,
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
        /// The seller's legal form: individual-business (个体工商户), company, other. A sole proprietorship
        /// cannot be declared bankrupt.
        #[arg(long, value_enum)]
        legal_form: Option<LegalFormArg>,
        #[command(flatten)]
        situation: SituationArgs,
        #[arg(long)]
        json: bool,
    },
    /// Change the facts of a case beside its details: the seller's legal form, whether the recipient changes
    /// the purpose or method, whether it or its servers are abroad and the transfer mechanism in place. Only
    /// the facts given change. Audited; the plan is stale afterwards.
    Facts {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_enum)]
        legal_form: Option<LegalFormArg>,
        #[command(flatten)]
        situation: SituationArgs,
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
    /// List the wizard's checklist: every step and item with its state; items the app answers from the case
    /// details or its own figures carry where they come from and the figure.
    Checklist {
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
        /// The sheet to read from a spreadsheet (default: the first with data). The sheets left out are
        /// named in the output (`sheets_not_imported`); each is imported with its own --sheet run.
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
        /// The prepaid balance was refunded (to the heirs, for a customer who has died).
        #[arg(long)]
        refunded: bool,
        /// The customer has died (PIPL Art. 49): not transferred; a balance goes to the heirs first.
        #[arg(long)]
        deceased: bool,
        /// The customer withdrew consent before the handover (PIPL Art. 15, 47): deleted.
        #[arg(long)]
        consent_withdrawn: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change the outcome of one record, or of all a customer's records, with the owner's reason; or withdraw
    /// an earlier change (`--withdraw ID`). Audited; the plan's lines for those records are re-decided.
    Override {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// The record's number (as in `plan --details`).
        #[arg(long, conflicts_with = "customer", required_unless_present_any = ["customer", "withdraw"])]
        record: Option<i64>,
        /// The customer's number: every record of that customer.
        #[arg(long)]
        customer: Option<i64>,
        /// transfer, keep, retain, delete, deidentify, return or blocked.
        #[arg(long, value_parser = parse_outcome, required_unless_present = "withdraw")]
        outcome: Option<Outcome>,
        /// Why, in the owner's words (required).
        #[arg(long)]
        reason: String,
        /// The owner knowingly lifts a legal hold or a block (required when the rules hold or block).
        #[arg(long)]
        acknowledge: bool,
        /// Withdraw the override with this number instead.
        #[arg(long, conflicts_with_all = ["record", "customer", "outcome", "acknowledge"])]
        withdraw: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Write the customer notices the plan needs (Art. 22 notice, Art. 23 consent request, creditor notice,
    /// courier station closing): SMS text, SMS platform file (CSV), letters (models for rendering), poster.
    Notices {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// The folder to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only this form (repeatable); every form by default.
        #[arg(long, value_enum)]
        format: Vec<FormArg>,
        /// The SMS signature (签名, 2–12 characters); stored in the case. Default: the seller's name.
        #[arg(long)]
        signature: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record customers' replies to the notices: a reply file (the SMS platform's result file or a filled
    /// reply sheet with phone and status columns), and/or --set PHONE_OR_CUSTOMER=STATUS. Audited; the plan
    /// re-decides those customers.
    Replies {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// A reply file (CSV/TXT/XLSX/XLS/ODS).
        #[arg(value_name = "REPLY_FILE", required_unless_present = "set")]
        file: Option<PathBuf>,
        /// One reply by hand: a mobile number or customer number, `=`, and sent, failed, objected,
        /// consented, refused or deletion (or a word the reply files use, e.g. 同意). Repeatable.
        #[arg(long, value_parser = parse_reply)]
        set: Vec<String>,
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
    /// Write the recipient's package: the records the plan transfers, only the kept fields, encrypted with a
    /// passphrase (generated and printed once, or HANDOVER_PACKAGE_PASSPHRASE). Refused while the plan is out
    /// of date or an import is pending.
    Export {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "PACKAGE.hopkg")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Receive a package into a new case of your own. The package passphrase comes from
    /// HANDOVER_PACKAGE_PASSPHRASE or is asked for; the new case's from HANDOVER_PASSPHRASE or is asked twice.
    Receive {
        /// The new case file to create.
        #[arg(long, value_name = "NEW_FILE")]
        case: PathBuf,
        #[arg(value_name = "PACKAGE")]
        package: PathBuf,
        /// Write the receipt (签收单) both sides sign as a PDF here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// … and/or as a DOCX.
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Carry out every deletion the plan decided, so the values are gone from the case file, verify it by
    /// reading every page, and print the destruction certificate's data. Cannot be undone: needs --confirm.
    /// Exit 1 if the verification found a problem.
    Destroy {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// Yes, destroy: nothing happens without it.
        #[arg(long)]
        confirm: bool,
        /// Write the destruction certificate (销毁证明) as a PDF here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// … and/or as a DOCX.
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Record the recipient's signed receipt of the package: its SHA-256 and the day they signed. From then on
    /// `destroy` also deletes the seller's copies of the transferred records.
    ///
    /// In a case made by `handover receive`, --pdf / --docx write the receipt (签收单) again.
    Receipt {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "SHA256", requires = "signed_on", required_unless_present_any = ["pdf", "docx"])]
        package_sha256: Option<String>,
        /// The day the recipient signed, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date, requires = "package_sha256")]
        signed_on: Option<NaiveDate>,
        /// Write the receipt of a received case as a PDF here.
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        /// … and/or as a DOCX.
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the paper sources to destroy by hand, or (with --source and --witness) confirm that one was
    /// destroyed before a witness.
    Paper {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// The registered source's number.
        #[arg(long, requires = "witness")]
        source: Option<i64>,
        /// Who watched it being destroyed.
        #[arg(long, requires = "source")]
        witness: Option<String>,
        /// The day it was destroyed, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = parse_date)]
        destroyed_on: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Write one return list (CSV) per courier company for the records whose outcome is return.
    Returns {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
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
    /// Write an encrypted, verified backup of the case (same passphrase) and record it in the case.
    Backup {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        #[arg(long, value_name = "BACKUP")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Make a new case file from a backup, verified (opens, audit chain, counts).
    Restore {
        /// The backup file.
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
        /// The new case file to create.
        #[arg(long, value_name = "NEW_FILE")]
        case: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write a stored destruction certificate (销毁证明) as PDF and/or DOCX: the newest, or the one under
    /// --reference. Without --pdf or --docx, print its data.
    Certificate {
        #[arg(long, value_name = "FILE")]
        case: PathBuf,
        /// The certificate's reference (e.g. XH-20261205-1a2b3c4d); default: the newest.
        #[arg(long)]
        reference: Option<String>,
        #[arg(long, value_name = "OUT")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "OUT")]
        docx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormArg {
    Letter,
    Sms,
    Csv,
    Poster,
}

impl From<FormArg> for handover_core::notices::kinds::NoticeForm {
    fn from(f: FormArg) -> Self {
        use handover_core::notices::kinds::NoticeForm;
        match f {
            FormArg::Letter => NoticeForm::Letter,
            FormArg::Sms => NoticeForm::Sms,
            FormArg::Csv => NoticeForm::Csv,
            FormArg::Poster => NoticeForm::Poster,
        }
    }
}

/// `PHONE_OR_CUSTOMER=STATUS`, with a status the reply files also know.
fn parse_reply(s: &str) -> Result<String, String> {
    match s.split_once('=') {
        Some((who, status))
            if !who.trim().is_empty()
                && handover_core::notices::replies::parse_status(status).is_some() =>
        {
            Ok(s.to_string())
        }
        _ => Err(format!(
            "“{s}”: expected PHONE_OR_CUSTOMER=STATUS (sent, failed, objected, consented, refused, deletion)"
        )),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum YesNo {
    Yes,
    No,
}

/// The situations the rulebook asks about (PIPL Art. 22, 38–39), as flags of `new` and `facts`.
#[derive(Debug, Clone, Copy, clap::Args)]
struct SituationArgs {
    /// The recipient will use the information for another purpose or in another way (PIPL Art. 22: each
    /// customer's new consent).
    #[arg(long, value_enum, value_name = "yes|no")]
    purpose_change: Option<YesNo>,
    /// The recipient or the servers it keeps data on are outside mainland China (PIPL Art. 38–39).
    #[arg(long, value_enum, value_name = "yes|no")]
    cross_border: Option<YesNo>,
    /// The transfer mechanism in place for a recipient abroad (PIPL Art. 38).
    #[arg(long, value_enum)]
    cross_border_mechanism: Option<MechanismArg>,
    /// The price of a customer list sold on its own, in whole yuan (the exposure check compares it with the
    /// gains threshold when records would leave without a basis).
    #[arg(long, value_name = "YUAN")]
    list_price: Option<u64>,
}

impl SituationArgs {
    /// The facts with these flags applied over `facts`.
    fn apply(self, mut facts: CaseFacts) -> CaseFacts {
        let yes = |a: YesNo| matches!(a, YesNo::Yes);
        if let Some(a) = self.purpose_change {
            facts.purpose_change = Some(yes(a));
        }
        if let Some(a) = self.cross_border {
            facts.cross_border = Some(yes(a));
        }
        if let Some(m) = self.cross_border_mechanism {
            facts.cross_border_mechanism = Some(m.into());
        }
        if let Some(p) = self.list_price {
            facts.list_price = Some(p);
        }
        facts
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MechanismArg {
    SecurityAssessment,
    StandardContract,
    Certification,
}

impl From<MechanismArg> for CrossBorderMechanism {
    fn from(m: MechanismArg) -> Self {
        match m {
            MechanismArg::SecurityAssessment => CrossBorderMechanism::SecurityAssessment,
            MechanismArg::StandardContract => CrossBorderMechanism::StandardContract,
            MechanismArg::Certification => CrossBorderMechanism::Certification,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LegalFormArg {
    IndividualBusiness,
    Company,
    Other,
}

impl From<LegalFormArg> for LegalForm {
    fn from(f: LegalFormArg) -> Self {
        match f {
            LegalFormArg::IndividualBusiness => LegalForm::IndividualBusiness,
            LegalFormArg::Company => LegalForm::Company,
            LegalFormArg::Other => LegalForm::Other,
        }
    }
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
    // First of all: a workbook-reader child serves its request and exits here; otherwise workbooks are
    // read in such children, under an address-space limit (handover_core::import::child).
    handover_core::import::sheet_reader_start_up();
    no_huge_pages();
    let cli = Cli::parse();
    ACCEPT_BROKEN_AUDIT.store(cli.accept_broken_audit, Ordering::Relaxed);
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
            | Command::Checklist { json: true, .. }
            | Command::Audit { json: true, .. }
            | Command::Import { json: true, .. }
            | Command::Plan { json: true, .. }
            | Command::Set { json: true, .. }
            | Command::Override { json: true, .. }
            | Command::Export { json: true, .. }
            | Command::Receive { json: true, .. }
            | Command::Destroy { json: true, .. }
            | Command::Receipt { json: true, .. }
            | Command::Paper { json: true, .. }
            | Command::Returns { json: true, .. }
            | Command::Backup { json: true, .. }
            | Command::Restore { json: true, .. }
            | Command::Notices { json: true, .. }
            | Command::Replies { json: true, .. }
            | Command::Summary { json: true, .. }
            | Command::Agreement { json: true, .. }
            | Command::Assessment { json: true, .. }
            | Command::Certificate { json: true, .. }
    );
    match run(cli.command, lang) {
        Ok(code) => code,
        Err(e) => {
            if json {
                say!("{}", json!({ "error": e.payload(lang) }));
            } else {
                say_err!("{}", e.message(lang));
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

/// An outcome by its id (`transfer`, `keep`, …), as `plan --json` prints them.
fn parse_outcome(text: &str) -> Result<Outcome, String> {
    Outcome::from_id(text).ok_or_else(|| {
        let ids: Vec<&str> = Outcome::ALL.iter().map(|o| o.id()).collect();
        format!("one of {}", ids.join(", "))
    })
}

fn exit_code(e: &Error) -> u8 {
    match e {
        // A full disk is the owner's to fix (free space, run again), not the app's failure.
        Error::Database(db) if handover_core::error::is_disk_full(db) => 2,
        Error::Internal(_) | Error::Database(_) => 3,
        _ => 2,
    }
}

/// Who the audit log names: the login, and the person working the case (经办人) when `HANDOVER_OPERATOR`
/// names one; documents print that person as their operator.
fn cli_actor() -> Actor {
    Actor::current("cli").with_person(&std::env::var("HANDOVER_OPERATOR").unwrap_or_default())
}

fn run(command: Command, lang: Lang) -> Result<ExitCode, Error> {
    let actor = cli_actor();
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
            legal_form,
            situation,
            json,
        } => {
            let facts = situation.apply(CaseFacts {
                legal_form: legal_form.map(LegalForm::from),
                ..CaseFacts::default()
            });
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
            // Refused before anything is created: e.g. a sole proprietor in bankruptcy.
            let blocking = facts.problems(details.reason);
            if !blocking.is_empty() {
                return Err(Error::InvalidDetails(blocking));
            }
            if case.exists() {
                return Err(Error::FileExists(case));
            }
            let passphrase = passphrase_input::for_new_case(lang)?;
            let created = Case::create(&case, &passphrase, details, &actor)?;
            if facts != CaseFacts::default() {
                created.set_facts(facts, &actor)?;
            }
            let overview = created.overview()?.localized(lang);
            created.close()?;
            print_overview(&overview, json, lang);
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts {
            case,
            legal_form,
            situation,
            json,
        } => {
            let opened = open(&case, lang)?;
            let mut facts = situation.apply(opened.facts()?);
            if let Some(f) = legal_form {
                facts.legal_form = Some(f.into());
            }
            let facts = opened.set_facts(facts, &actor)?;
            opened.close()?;
            print_facts(&facts, json, lang);
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
                say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                print_overview(&overview, false, lang);
                print_classification(&classification, lang);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Checklist { case, json } => {
            let opened = open(&case, lang)?;
            let review = handover_core::wizard::state::review(&opened)?;
            opened.close()?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&checklist_json(&review, lang))
                        .unwrap_or_default()
                );
            } else {
                print_checklist(&review, lang);
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
            deceased,
            consent_withdrawn,
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
                deceased: deceased.then_some(true),
                consent_withdrawn: consent_withdrawn.then_some(true),
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
        Command::Override {
            case,
            record,
            customer,
            outcome,
            reason,
            acknowledge,
            withdraw,
            json,
        } => {
            let target = match (record, customer) {
                (Some(id), _) => Some(OverrideTarget::Record(id)),
                (None, Some(id)) => Some(OverrideTarget::Customer(id)),
                (None, None) => None,
            };
            plan::override_outcome(
                &case,
                plan::OverrideArgs {
                    target,
                    outcome,
                    reason,
                    acknowledged: acknowledge,
                    withdraw,
                },
                json,
                lang,
                &actor,
            )
        }
        Command::Export { case, out, json } => package::export(&case, &out, json, lang, &actor),
        Command::Receive {
            case,
            package,
            pdf,
            docx,
            json,
        } => package::receive(
            &case,
            &package,
            &papers::Outputs { pdf, docx },
            json,
            lang,
            &actor,
        ),
        Command::Notices {
            case,
            out,
            format,
            signature,
            json,
        } => notices::notices(
            &case,
            out,
            format.into_iter().map(Into::into).collect(),
            signature,
            json,
            lang,
            &actor,
        ),
        Command::Replies {
            case,
            file,
            set,
            json,
        } => notices::replies(&case, file, set, json, lang, &actor),
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
                    say!(
                        "{}",
                        serde_json::to_string_pretty(&report)
                            .map_err(|e| Error::Internal(e.to_string()))?
                    );
                } else if report.ok {
                    say!("{}", report.message);
                } else {
                    say_err!("{}", report.message);
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
                    say!("{}", json!({ "entries": entries }));
                } else {
                    for e in entries {
                        say!(
                            "#{:<4} {}  {:<22} {:<16} {}",
                            e.seq,
                            e.at,
                            e.action,
                            e.actor,
                            e.detail
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
        Command::Destroy {
            case,
            confirm,
            pdf,
            docx,
            json,
        } => destroy::destroy(
            &case,
            confirm,
            &papers::Outputs { pdf, docx },
            json,
            lang,
            &actor,
        ),
        Command::Receipt {
            case,
            package_sha256,
            signed_on,
            pdf,
            docx,
            json,
        } => destroy::receipt(
            &case,
            package_sha256.as_deref().zip(signed_on),
            &papers::Outputs { pdf, docx },
            json,
            lang,
            &actor,
        ),
        Command::Paper {
            case,
            source,
            witness,
            destroyed_on,
            json,
        } => destroy::paper(&case, source, witness, destroyed_on, json, lang, &actor),
        Command::Returns { case, out, json } => destroy::returns(&case, &out, json, lang, &actor),
        Command::Backup { case, out, json } => destroy::backup(&case, &out, json, lang, &actor),
        Command::Restore { backup, case, json } => {
            destroy::restore(&backup, &case, json, lang, &actor)
        }
        Command::Certificate {
            case,
            reference,
            pdf,
            docx,
            json,
        } => papers::certificate(
            &case,
            reference.as_deref(),
            &papers::Outputs { pdf, docx },
            json,
            lang,
            &actor,
        ),
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
    // Not hashed before: an import hashes a file as it reads it, and first only when the case has a source of
    // the same size (`import_file::run`).
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
            say_err!();
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
                    say_err!("{}", e.message(lang));
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
        say!(
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
        "notes": p.notes,
        "sheets_not_imported": p.sheets_not_imported,
    })
}

fn print_import(p: &ImportPreview, s: &ImportSummary, lang: Lang) {
    say!("{}: {}", Word::File.get(lang), p.path);
    say!(
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
    if let Some(sheet) = &p.sheet {
        say!("  {}: {}", Word::Sheet.get(lang), sheet);
    }
    for note in &p.notes {
        say!("  {}", note);
    }
    say!("  {}:", Word::Columns.get(lang));
    for c in &p.columns {
        say!(
            "    {} → {}  ({})",
            c.header,
            c.field.label(lang),
            c.evidence
        );
    }
    say!(
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
        say!("{}", line.render(lang));
    }
    if s.problems_total > 50 {
        say!(
            "    … {} {}",
            s.problems_total - 50,
            Word::MoreProblems.get(lang)
        );
    }
}

pub(crate) fn open(path: &std::path::Path, lang: Lang) -> Result<Case, Error> {
    let passphrase = passphrase_input::for_existing_case(lang)?;
    let case = Case::open(path, &passphrase)?;
    if case.audit_break().is_some() && ACCEPT_BROKEN_AUDIT.load(Ordering::Relaxed) {
        case.acknowledge_audit_break(&cli_actor())?;
    }
    Ok(case)
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
        "audit": {
            "entries": o.audit_entries,
            "head_hash": o.audit_head_hash,
            "verified": o.audit_break.is_none(),
            "first_problem": o.audit_break.as_ref().map(|p| json!({ "seq": p.seq, "kind": p.kind })),
        },
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
    o.insert(
        "minors_in_notes".into(),
        json!(c.minors_in_notes.iter().map(|e| json!({
            "source_id": e.source_id, "source": e.source_label, "row": e.row, "header": e.header,
            "note": e.masked_note, "age": e.age,
        })).collect::<Vec<_>>()),
    );
    o.insert(
        "minors_in_notes_total".into(),
        json!(c.minors_in_notes_total),
    );
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
    say!("{}", Word::PiiCells.get(lang));
    for (kind, n) in &c.pii {
        let label = FieldType::from_id(kind)
            .map(|f| f.label(lang))
            .unwrap_or(kind.as_str());
        say!(
            "  {label}: {} ({} {})",
            n.column_cells + n.text_findings,
            n.text_findings,
            Word::InsideFreeText.get(lang)
        );
    }
    say!(
        "{}: {} / {} / {}",
        Word::CustomersByCategory.get(lang),
        c.categories.basic,
        c.categories.transaction,
        c.categories.preference
    );
    say!(
        "{}: {}",
        Word::SensitiveCustomers.get(lang),
        c.sensitive_customers
    );
    say!(
        "{}: {} ({} {})",
        Word::MinorCustomers.get(lang),
        c.minors,
        Word::CountedOn.get(lang),
        c.reference_date
    );
    for e in c.minors_in_notes.iter().take(20) {
        let line = Line::MinorInNote {
            source: &e.source_label,
            row: e.row,
            header: &e.header,
            note: &e.masked_note,
            age: e.age,
        };
        say!("  {}", line.render(lang));
    }
    if c.minors_in_notes_total > 20 {
        say!("  … {}", c.minors_in_notes_total - 20);
    }
}

fn print_overview(o: &CaseOverview, json: bool, lang: Lang) {
    if json {
        say!(
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
        (
            Word::AuditHead.get(lang),
            o.audit_head_hash
                .clone()
                .unwrap_or_else(|| none.to_string()),
        ),
    ];
    for (k, v) in rows {
        say!("{k}: {v}");
    }
    if let Some(p) = &o.audit_break {
        say!(
            "{} {}",
            Word::AuditBroken.get(lang),
            handover_core::Error::AuditBroken(p.seq).message(lang)
        );
    }
    if !o.problems.is_empty() {
        say!("{}", Word::StillToDo.get(lang));
        for p in &o.problems {
            say!("  - {}", p.message);
        }
    }
}

/// `handover facts`: the facts as stored now.
fn print_facts(f: &CaseFacts, json: bool, lang: Lang) {
    if json {
        let v = serde_json::json!({
            "legal_form": f.legal_form.map(LegalForm::id),
            "purpose_change": f.purpose_change,
            "cross_border": f.cross_border,
            "cross_border_mechanism": f.cross_border_mechanism.map(CrossBorderMechanism::id),
            "list_price": f.list_price,
        });
        say!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    let none = Word::NotGiven.get(lang);
    let yes_no = |b: Option<bool>| match b {
        Some(true) => Word::Yes.get(lang),
        Some(false) => Word::No.get(lang),
        None => none,
    };
    let rows = [
        (
            Word::LegalForm,
            f.legal_form.map_or(none, |l| l.label(lang)),
        ),
        (Word::PurposeChange, yes_no(f.purpose_change)),
        (Word::CrossBorder, yes_no(f.cross_border)),
        (
            Word::CrossBorderMechanism,
            f.cross_border_mechanism.map_or(none, |m| m.label(lang)),
        ),
    ];
    for (word, value) in rows {
        say!("{}: {}", word.get(lang), value);
    }
    let price = f.list_price.map_or(none.to_string(), |p| format!("¥{p}"));
    say!("{}: {}", Word::ListPrice.get(lang), price);
}

/// `handover checklist --json`: every step and item as the wizard's review has it (docs/cli.md).
fn checklist_json(r: &handover_core::wizard::state::Review, lang: Lang) -> Value {
    let steps: Vec<Value> = r
        .steps
        .iter()
        .map(|s| {
            let items: Vec<Value> = s
                .items
                .iter()
                .map(|i| {
                    let data = i.from_data.as_ref();
                    let derived_note = data.map(|d| d.note.get(lang).to_string()).or_else(|| {
                        i.from_case_details
                            .as_ref()
                            .map(|t| t.get(lang).to_string())
                    });
                    json!({
                        "id": i.item.id,
                        "text": i.item.text.get(lang),
                        "applies": i.item.applies,
                        "blocking": i.item.blocking,
                        "blocks_printing": i.item.blocks_printing,
                        "state": i.progress.state.id(),
                        "reason": i.progress.reason,
                        "owner_note": i.progress.note,
                        "evidence_files": i.progress.evidence.len(),
                        "derived_from": i.item.derived_from.map(|d| d.id()),
                        "derived_note": derived_note,
                        "figure": data.and_then(|d| d.figure.as_ref()),
                        "not_yet": data.and_then(|d| d.not_yet),
                        "go_to": data.and_then(|d| d.go_to).map(|s| s.id()),
                    })
                })
                .collect();
            json!({
                "id": s.id.id(),
                "number": s.number,
                "title": s.title.get(lang),
                "applies": s.applies,
                "items": items,
            })
        })
        .collect();
    json!({
        "can_print_final": r.can_print_final,
        "open_blocking": r.open_blocking.iter().map(|o| o.item_id.as_str()).collect::<Vec<_>>(),
        "totals": r.totals,
        "steps": steps,
    })
}

fn print_checklist(r: &handover_core::wizard::state::Review, lang: Lang) {
    use handover_core::wizard::state::ItemState;
    for s in &r.steps {
        say!("{}. {}", s.number, s.title.get(lang));
        for i in &s.items {
            let mark = if !i.item.applies {
                "  -"
            } else {
                match i.progress.state {
                    ItemState::Done => "[x]",
                    ItemState::NotApplicable => "[-]",
                    ItemState::Later | ItemState::Open if i.blocking_open => "[!]",
                    ItemState::Later | ItemState::Open => "[ ]",
                }
            };
            say!("  {mark} {} {}", i.item.id, i.item.text.get(lang));
            let derived = i
                .from_data
                .as_ref()
                .map(|d| &d.note)
                .or(i.from_case_details.as_ref());
            if let Some(note) = derived {
                say!("        {}", note.get(lang));
            }
        }
    }
}
