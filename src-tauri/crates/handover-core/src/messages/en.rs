//! English: every sentence and label the core has for people, one exhaustive `match` per kind of message.
//! The Chinese twin is `zh.rs`; a new variant fails to compile here until it has its words.

use crate::audit::{AuditBreak, AuditProblem, AuditReport};
use crate::case::DetailProblemCode;
use crate::case::{BusinessKind, TransferReason};
use crate::detect::category::{Article, Category, LawSource, Sensitivity, SensitivityReason};
use crate::detect::classify::{Evidence, SampleVerdict};
use crate::detect::mask::MaskStyle;
use crate::detect::waybill::Carrier;
use crate::field::FieldType;
use crate::import::normalize::ValueProblem;
use crate::import::UnnamedColumn;
use crate::import::{Format, PreviewNote, RowProblem, RowProblemKind};
use crate::import::{ReadError, SpecialFile};
use crate::import::{MAX_COLUMNS, MAX_RECORD_BYTES};
use crate::notices::error::NoticeError;
use crate::passphrase::{PassphraseCheck, Weakness};
use crate::records::import_file::RememberedMapping;
use crate::records::ingest::ProblemsCsv;
use crate::records::normalise::CellProblem;
use crate::rules::citation::{Cited, Numbering};
use crate::rules::exposure::{ExposureCheck, ExposureClass, ExposureLevel};
use crate::rules::plan::{DeletionRefused, HoldNotice, OwnerOverride};
use crate::rules::status::RulesError;
use crate::rules::status::SourceKindEvidence;
use crate::rules::Outcome;
use crate::rules::{BlockedBy, SourceKind};
use crate::transfer::error::PackageError;
use crate::wizard::derived::{DataNote, Figure, NotYet};
use crate::wizard::{CaseFact, DerivedNote, StepId};
use crate::Error;

pub(super) fn error(e: &Error) -> String {
    match e {
        Error::WrongPassphrase(p) => format!(
            "The passphrase is wrong, so “{}” cannot be opened. Check letter case and input method, then try again.",
            p.display()
        ),
        Error::NotACase(p, why) => format!(
            "“{}” is not a Handover case file ({}). Choose a .handover file created by this app.",
            p.display(),
            not_a_case_reason(why)
        ),
        Error::Corrupted(p, detail) => format!(
            "The case file “{}” is damaged and cannot be read reliably ({}). Please use a backup copy.",
            p.display(),
            detail
        ),
        Error::NewerVersion { path, found, known } => format!(
            "“{}” was created by a newer version of this app (data format {}, this app supports up to {}). Update the app before opening it, so nothing is lost.",
            path.display(),
            found,
            known
        ),
        Error::FileNotFound(p) => format!(
            "The file “{}” cannot be found. It may have been moved or deleted.",
            p.display()
        ),
        Error::FileExists(p) => format!(
            "“{}” already exists. To avoid overwriting it, choose another case name or folder.",
            p.display()
        ),
        Error::SaveTargetNotChosen => {
            "The place to save was not chosen in the save dialog (or was used already). Click save again and choose the place in the dialog.".to_string()
        }
        Error::SaveTargetIsTheCase(p) => format!(
            "“{}” is the open case file; it cannot be saved over. Choose another file name.",
            p.display()
        ),
        Error::Busy(p) => format!(
            "The case file “{}” is in use by another program. Close the other window and try again.",
            p.display()
        ),
        Error::NoPassphrase => "No passphrase: set the HANDOVER_PASSPHRASE environment variable, or run this in a terminal to type it.".into(),
        Error::PassphraseMismatch => "The two passphrases differ; please enter them again.".into(),
        Error::WeakPassphrase(w) => weakness(w),
        Error::InvalidDetails(problems) => {
            let list: Vec<String> = problems.iter().map(|p| detail_problem(&p.code)).collect();
            format!("Please correct the case details: {}", list.join("; "))
        }
        Error::NoCaseOpen => "No case is open.".into(),
        Error::Io { path, source } => {
            format!("Could not read or write “{}”: {}", path.display(), source)
        }
        Error::Database(e) if crate::error::is_disk_full(e) => {
            "The disk is full: the disk holding the case file has no space left. This change was not saved and the case is as it was. Free some space and try again.".into()
        }
        Error::Database(e) => format!("Error reading or writing the case file: {e}"),
        Error::Cancelled => "Cancelled; nothing in the case was changed.".into(),
        Error::DuplicateImport {
            file,
            previous_label,
            imported_at,
        } => format!(
            "The contents of “{file}” were already imported on {imported_at} (source “{previous_label}”). Importing again would duplicate the records; confirm if you really want that."
        ),
        Error::Import { file, reason, .. } => {
            format!("“{file}” cannot be imported: {}", read_error(reason))
        }
        Error::ImportPending => "An import is waiting: commit it or discard it first.".into(),
        Error::AuditBroken(seq) => format!(
            "The audit log is broken from entry {seq} on (found when the case was opened). Look at the audit log and acknowledge it before changing the case."
        ),
        Error::Rules(e) => rules_error(e),
        Error::UnknownItem(id) => {
            format!("There is no checklist item “{id}”. Reopen the case and try again.")
        }
        Error::ItemFromCaseDetails(_) => "This item is ticked from the case details and cannot be changed by hand. Edit the case details instead.".into(),
        Error::ItemFromAppData(_) => "The app works this item out from the imported records and the plan; it cannot be ticked by hand. Do the step the item points to.".into(),
        Error::ReasonRequired => {
            "When you mark an item as not applicable, write a sentence on why.".into()
        }
        Error::EvidenceTooLarge { file, size, max } => format!(
            "“{file}” is {} MB, more than the {} MB an evidence file may have. Photograph or scan it into a smaller file and attach that.",
            size / 1_048_576,
            max / 1_048_576
        ),
        Error::TextTooLong { max, .. } => {
            format!("This text is too long (at most {max} characters); please shorten it.")
        }
        Error::TextRequired { .. } => "This must be filled in.".into(),
        Error::NotCustomerInformation => "Employees' records and CCTV footage are not customer information and do not go with the customers by default. If they really go to the buyer, write why under 'how exactly' (for example: the employees agreed to move to the new owner; faces on CCTV are sensitive and need separate consent).".into(),
        Error::NotFound(_) => {
            "What you were looking for is no longer there; it may have just been removed.".into()
        }
        Error::Package(e) => package_error(e),
        Error::DestroyNotConfirmed => "Destruction cannot be undone, so it runs only when you confirm it (add --confirm on the command line). Nothing in the case was changed.".into(),
        Error::PlanMissing => "No plan has been computed yet, so nothing can be exported or destroyed. Compute the plan first.".into(),
        Error::PlanStale => "The plan is out of date (customers, records or your choices changed since). Recompute it and check it before exporting or destroying anything.".into(),
        Error::InvalidSha256(s) => format!("“{s}” is not a SHA-256 (64 hexadecimal digits)."),
        Error::BackupMismatch { path, what } => format!(
            "The copy {} does not match the case ({what}) and was discarded. Make the backup again, or restore another one.",
            path.display()
        ),
        Error::NotReceived => "This case was not made by receiving a package, so it has no receipt to print. The recipient's app writes the receipt when it receives the package.".into(),
        Error::NoCertificate(r) if r.is_empty() => "No destruction has been carried out in this case yet, so there is no certificate.".into(),
        Error::NoCertificate(r) => format!("This case has no destruction certificate “{r}”."),
        Error::Notices(e) => notice_error(e),
        Error::Internal(e) => format!("Internal error: {e}. Your data was not changed."),
    }
}

/// Why a file is not a case (`Error::NotACase`'s reason code, from the store's sniffing).
fn not_a_case_reason(why: &str) -> &'static str {
    match why {
        "empty" => "the file is empty",
        "plain-sqlite" => "it is an ordinary, unencrypted database",
        "text" => "it is a text file",
        "known-format" => "it is another kind of file, such as a spreadsheet, archive or document",
        "foreign-database" => "it is another program's encrypted database",
        "directory" => "it is a folder",
        _ => "its structure does not match",
    }
}

pub(super) fn weakness(w: &Weakness) -> String {
    match w {
        Weakness::Empty => "Please set a passphrase.",
        Weakness::TooShort => {
            "The passphrase is too short: use at least 8 characters. A sentence only you know works well."
        }
        Weakness::TooGuessable => {
            "The passphrase is too easy to guess (a common word, a date, a keyboard pattern or repeats). Make it longer, or use a sentence only you know."
        }
    }
    .into()
}

pub(super) fn passphrase_check(c: &PassphraseCheck) -> String {
    match &c.weakness {
        Some(w) => weakness(w),
        None => "Strong enough. Remember it or keep it somewhere safe: a forgotten passphrase cannot be recovered and the case file could not be opened.".into(),
    }
}

pub(super) fn detail_problem(code: &DetailProblemCode) -> String {
    match code {
        DetailProblemCode::SellerNameMissing => "Enter the seller's name (shop or company name).",
        DetailProblemCode::SellerContactMissing => {
            "Enter the seller's contact, so customers and the recipient can reach you."
        }
        DetailProblemCode::ResponsiblePersonMissing => {
            "Enter the person responsible for customer information."
        }
        DetailProblemCode::RecipientMissing => {
            "This kind of handover needs a recipient. Enter the recipient's name and contact."
        }
        DetailProblemCode::RecipientNameMissing => {
            "Enter the recipient's name (PIPL Art. 22 requires telling customers)."
        }
        DetailProblemCode::RecipientContactMissing => {
            "Enter the recipient's contact (PIPL Art. 22 requires telling customers)."
        }
        DetailProblemCode::HandoverDateMissing => "Enter the planned handover date.",
        DetailProblemCode::TooLong => "This text is too long; please shorten it.",
        DetailProblemCode::BankruptcyNotForSoleProprietor => {
            "A sole proprietorship (个体工商户) cannot be declared bankrupt: the Enterprise Bankruptcy Law (Art. 2) covers enterprise legal persons only. To close the business, choose dissolution; the owner personally remains liable for what customers are owed (such as prepaid balances)."
        }
    }
    .into()
}

pub(super) fn audit_problem(p: &AuditProblem) -> String {
    let what = match (&p.at, &p.action) {
        (Some(at), Some(action)) => format!(" ({at}, {action})"),
        _ => String::new(),
    };
    match p.kind {
        AuditBreak::Altered => format!(
            "Audit entry #{}{what} was changed after it was written.",
            p.seq
        ),
        AuditBreak::BrokenLink => format!(
            "Audit entry #{}{what} does not link to the entry before it: that entry was changed or removed.",
            p.seq
        ),
        AuditBreak::Missing => format!("Audit entry #{} was removed.", p.seq),
        AuditBreak::Truncated => format!(
            "The newest audit entries, from #{} on, were removed.",
            p.seq
        ),
    }
}

pub(super) fn audit_report(r: &AuditReport) -> String {
    match &r.first_problem {
        None => format!(
            "The audit log is intact: {} entries, none changed.",
            r.entries
        ),
        Some(p) => audit_problem(p),
    }
}

pub(super) fn notice_error(e: &NoticeError) -> String {
    match e {
        NoticeError::NoPlan => {
            "There is no plan yet: compute it first (handover plan); notices follow the plan.".into()
        }
        NoticeError::SmsTooLong {
            notice,
            units,
            declared_parts,
        } => format!(
            "The SMS of notice “{notice}” has {units} characters (signature included), more than its declared {declared_parts} parts. Shorten the SMS signature, or use a shorter recipient name and contact in the case details."
        ),
        NoticeError::BadSignature => {
            "The SMS signature must be 2 to 12 characters, without 【】 brackets.".into()
        }
        NoticeError::TooManyLetters {
            notice,
            letters,
            max,
        } => format!(
            "Notice {notice} would need letters to {letters} customers (those without a mobile number), more than the {max} one letters file holds. Reach them with the shop-window poster and the SMS platform file."
        ),
        NoticeError::ReplyColumnsMissing { headers } => format!(
            "The reply file has no phone (or customer number) column and status column. Its columns are: {}.",
            headers.join(", ")
        ),
        NoticeError::InvalidTemplates { problems } => {
            format!("The notice templates have errors: {}", problems.join("; "))
        }
    }
}

pub(super) fn rules_error(e: &RulesError) -> String {
    match e {
        RulesError::ReasonMissing => "An override needs a written reason.".into(),
        RulesError::AcknowledgementRequired { outcome: o } => format!(
            "This record is currently '{}': the law requires keeping it, or it waits for consent or a refund. To override it, explicitly acknowledge that you understand and take responsibility.",
            self::outcome(*o)
        ),
        RulesError::UnknownCustomer { customer_id } => {
            format!("There is no customer number {customer_id}.")
        }
        RulesError::UnknownRecord { record_id } => {
            format!("There is no record number {record_id}.")
        }
        RulesError::UnknownSource { source_id } => {
            format!("There is no source number {source_id}.")
        }
        RulesError::UnknownOverride { override_id } => {
            format!("There is no override number {override_id}.")
        }
        RulesError::NoCustomerWithPhone => "No customer has this phone number.".into(),
        RulesError::NothingToChange => "Nothing to record was given.".into(),
        RulesError::InvalidRulebook { problems } => {
            format!("The rulebook is invalid: {}", problems.join("; "))
        }
        RulesError::AmountOutOfRange {
            record_id,
            customer_id,
            source,
            row,
            amount,
        } => format!(
            "Record {record_id} (“{source}”, row {row}{}) has a prepaid balance of {amount}, more than {} — surely a mistake in the data. No plan was made and nothing was changed. Check this amount in your system, export the file again with it corrected, and import that.",
            customer_id.map_or(String::new(), |c| format!(", customer {c}")),
            crate::rules::prepaid::MAX_BALANCE_TEXT
        ),
    }
}

pub(super) fn read_error(e: &ReadError) -> String {
    match e {
        ReadError::Empty => "The file is empty. Check that the export included the data.".into(),
        ReadError::Binary => "This is not a table (it looks like an image, an archive or another program's file). Export a CSV or Excel file from your system and import that.".into(),
        ReadError::MarkupExport => "This is a web-page export (common for “.xls” files from web back-ends), not a real table file. Open it in Excel or WPS, save it as .xlsx or CSV, and import that.".into(),
        ReadError::HeaderOnly { header_row } => {
            format!("The file has a header (row {header_row}) but no data rows below it.")
        }
        ReadError::NotATable => "This file looks like running text, not a table: there are no separators and no header. If it is a one-column list, put a header such as “Mobile” in the first line; if it is a table, export CSV or Excel from your system again.".into(),
        ReadError::TooManyColumns { row, columns } => format!(
            "Row {row} has {columns} columns, more than the limit of {MAX_COLUMNS}; this is not a customer list. Check the delimiter, or export only the columns you need."
        ),
        ReadError::TooLargeRow { row } => format!(
            "The row starting at line {row} is larger than {} MB, usually because of an unclosed quote or a file without line breaks. The file is broken and cannot be imported; export it again from your system.",
            MAX_RECORD_BYTES >> 20
        ),
        ReadError::UnknownEncoding(e) => format!(
            "Unknown text encoding “{e}”. Choose UTF-8, GB18030 (GBK), UTF-16LE, UTF-16BE or Big5."
        ),
        ReadError::NoSuchSheet { sheet, sheets } => format!(
            "The workbook has no sheet named “{sheet}”. Its sheets: {}.",
            sheets.join(", ")
        ),
        ReadError::HeaderRowOutOfRange { row } => {
            format!("Row {row} does not exist or is blank, so it cannot be the header.")
        }
        ReadError::PasswordProtected => "This Excel file has an opening password. Open it in Excel or WPS with the password, remove the password, save it, and import it again.".into(),
        ReadError::UnreadableSpreadsheet(e) => format!(
            "This spreadsheet cannot be read ({e}). It may be damaged or another kind of file. Open it in Excel or WPS, save it as .xlsx or CSV, and try again."
        ),
        ReadError::FileNotFound => {
            "The file cannot be found; it may have been moved or deleted.".into()
        }
        ReadError::NotAFile { kind } => format!(
            "This is {}, not a file, so it is not read. Choose the exported file itself (a CSV or Excel file).",
            match kind {
                SpecialFile::Folder => "a folder",
                SpecialFile::Pipe => "a named pipe (FIFO)",
                SpecialFile::Device => "a device",
                SpecialFile::Socket => "a socket",
                SpecialFile::Other => "something other than a regular file",
            }
        ),
        ReadError::Io(e) => format!("Could not read the file: {e}"),
        ReadError::MemoryLimit => "Reading this spreadsheet needs more memory than allowed; the file may be damaged or crafted, so it was not imported. Open it in Excel or WPS, check its content, save it as a new .xlsx or CSV, and import that.".into(),
        ReadError::ChangedWhileReading => "The file changed while it was being read (its size, modification time or content differ from when reading began), so it was not imported. Wait until the export or sync has finished and the file no longer changes, then import it again.".into(),
    }
}

pub(super) fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Transfer => "Transfer",
        Outcome::Keep => "Keep",
        Outcome::Retain => "Retain (storage only)",
        Outcome::Delete => "Delete",
        Outcome::Deidentify => "De-identify",
        Outcome::Return => "Return to courier/platform",
        Outcome::Blocked => "Blocked (waiting)",
    }
}

pub(super) fn business_kind(k: BusinessKind) -> &'static str {
    match k {
        BusinessKind::CourierStation => "Courier pickup station",
        BusinessKind::Shop => "Shop",
        BusinessKind::Company => "Company",
    }
}

pub(super) fn cross_border_mechanism(m: crate::case::CrossBorderMechanism) -> &'static str {
    use crate::case::CrossBorderMechanism as M;
    match m {
        M::SecurityAssessment => "a security assessment by the Cyberspace Administration (网信办)",
        M::StandardContract => {
            "the standard contract with the recipient abroad, filed with the provincial cyberspace office"
        }
        M::Certification => "personal-information protection certification by a professional body",
    }
}

pub(super) fn legal_form(f: crate::case::LegalForm) -> &'static str {
    match f {
        crate::case::LegalForm::IndividualBusiness => "Individual business (个体工商户)",
        crate::case::LegalForm::Company => "Company (enterprise legal person)",
        crate::case::LegalForm::Other => "Other (sole proprietorship, partnership, …)",
    }
}

pub(super) fn transfer_reason(r: TransferReason) -> &'static str {
    match r {
        TransferReason::SaleWhole => "Sale of the whole business",
        TransferReason::SaleList => "Sale of the customer list only (the seller goes on)",
        TransferReason::Merger => "Merger",
        TransferReason::Division => "Division",
        TransferReason::Dissolution => "Dissolution or deregistration",
        TransferReason::Bankruptcy => "Bankruptcy",
    }
}

pub(super) fn field(f: FieldType) -> &'static str {
    match f {
        FieldType::Name => "Name",
        FieldType::Mobile => "Mobile number",
        FieldType::Landline => "Landline",
        FieldType::IdCard => "ID number",
        FieldType::Address => "Address",
        FieldType::BankCard => "Bank card",
        FieldType::Email => "E-mail",
        FieldType::Qq => "QQ number",
        FieldType::Wechat => "WeChat ID",
        FieldType::Plate => "Licence plate",
        FieldType::Waybill => "Waybill number",
        FieldType::PickupCode => "Pickup code",
        FieldType::CourierCompany => "Courier company",
        FieldType::MemberNumber => "Member number",
        FieldType::PrepaidBalance => "Prepaid balance",
        FieldType::Points => "Points",
        FieldType::LastActivity => "Last activity",
        FieldType::Birthday => "Birthday",
        FieldType::Gender => "Sex",
        FieldType::Notes => "Notes",
        FieldType::Other => "Other",
        FieldType::OrganisationName => "Organisation name",
        FieldType::ContactPerson => "Contact person",
        FieldType::BankBranch => "Bank branch",
        FieldType::AmountOwed => "Amount owed",
        FieldType::TransactionAmount => "Transaction amount",
        FieldType::TopUpAmount => "Top-up amount",
        FieldType::DocumentDate => "Document date",
        FieldType::ParcelArrivalTime => "Parcel arrival time",
        FieldType::PickupTime => "Pickup time",
        FieldType::ParcelStatus => "Parcel status",
    }
}

/// The values of a field type, in the plural ("mobile numbers").
fn field_plural(f: FieldType) -> &'static str {
    match f {
        FieldType::Name => "names",
        FieldType::Mobile => "mobile numbers",
        FieldType::Landline => "landline numbers",
        FieldType::IdCard => "ID numbers",
        FieldType::Address => "addresses",
        FieldType::BankCard => "bank card numbers",
        FieldType::Email => "e-mail addresses",
        FieldType::Qq => "QQ numbers",
        FieldType::Wechat => "WeChat IDs",
        FieldType::Plate => "licence plates",
        FieldType::Waybill => "waybill numbers",
        FieldType::PickupCode => "pickup codes",
        FieldType::CourierCompany => "courier companies",
        FieldType::MemberNumber => "member numbers",
        FieldType::PrepaidBalance => "amounts",
        FieldType::Points => "point balances",
        FieldType::LastActivity => "dates",
        FieldType::Birthday => "birth dates",
        FieldType::Gender => "sexes",
        FieldType::Notes => "notes",
        FieldType::Other => "values",
        FieldType::OrganisationName => "organisation names",
        FieldType::ContactPerson => "contact persons",
        FieldType::BankBranch => "bank branches",
        FieldType::AmountOwed => "amounts owed",
        FieldType::TransactionAmount => "transaction amounts",
        FieldType::TopUpAmount => "top-up amounts",
        FieldType::DocumentDate => "document dates",
        FieldType::ParcelArrivalTime => "parcel arrival times",
        FieldType::PickupTime => "pickup times",
        FieldType::ParcelStatus => "parcel statuses",
    }
}

pub(super) fn carrier(c: Carrier) -> &'static str {
    match c {
        Carrier::Sf => "SF Express",
        Carrier::Jd => "JD Logistics",
        Carrier::Ems => "China Post / EMS",
        Carrier::Zto => "ZTO Express",
        Carrier::Yto => "YTO Express",
        Carrier::Sto => "STO Express",
        Carrier::Yunda => "Yunda Express",
        Carrier::Jt => "J&T Express",
        Carrier::Deppon => "Deppon",
        Carrier::Postal => "Foreign post",
    }
}

pub(super) fn category(c: Category) -> &'static str {
    match c {
        Category::Basic => "Basic information",
        Category::Transaction => "Transaction information",
        Category::Preference => "Preference information",
    }
}

pub(super) fn sensitivity(s: Sensitivity) -> &'static str {
    match s {
        Sensitivity::General => "General personal information",
        Sensitivity::Sensitive => "Sensitive personal information",
    }
}

pub(super) fn law_source(l: LawSource) -> &'static str {
    match l {
        LawSource::Pipl => "PIPL",
        LawSource::GbT35273 => "GB/T 35273-2020 (Personal information security specification)",
        LawSource::Interpretation2017 => {
            "SPC/SPP interpretation on crimes infringing citizens' personal information (2017)"
        }
    }
}

pub(super) fn article(a: Article) -> &'static str {
    match a {
        Article::Art5 => "Art. 5",
        Article::Art21 => "Art. 21",
        Article::Art28 => "Art. 28",
        Article::Art31 => "Art. 31",
        Article::AppendixB => "Appendix B",
    }
}

pub(super) fn sensitivity_reason(r: &SensitivityReason) -> String {
    match r {
        SensitivityReason::BankCard => {
            "A bank card number is a financial account, which PIPL Art. 28 names as sensitive."
        }
        SensitivityReason::IdCard => {
            "A leaked ID number enables impersonation; national practice lists ID numbers as sensitive (PIPL Art. 28, GB/T 35273 Appendix B)."
        }
        SensitivityReason::PrepaidBalance => {
            "A prepaid balance is not a financial account (PIPL Art. 28), so it is general information. It is the evidence of what the business owes the customer: it stays with the record when the record moves, so the recipient can honour or refund it."
        }
        SensitivityReason::NotATrack => {
            "An address, waybill number or date on its own is not a track of movements (行踪轨迹) and is general; courier data goes back to the brand or is deleted, never to the buyer."
        }
        SensitivityReason::Birthday => {
            "A birthday is general; if it shows the customer is under fourteen, the whole record is sensitive and needs a guardian's consent."
        }
        SensitivityReason::Notes => {
            "Notes may contain sensitive remarks such as health; they are scanned and masked, and need a review."
        }
    }
    .into()
}

pub(super) fn mask_style(s: MaskStyle) -> &'static str {
    match s {
        MaskStyle::Standard => "Standard masking",
        MaskStyle::Strict => "Strict masking",
    }
}

/// One line for documents: what the style shows.
pub(super) fn mask_style_description(s: &MaskStyle) -> String {
    match s {
        MaskStyle::Standard => "Standard masking: names show the surname only (plus the last character from three characters on, e.g. 张*, 欧阳*娜); mobiles show the first three and last four digits (138****5678); ID numbers the first six and last four; bank cards only the last four; addresses only down to the district.",
        MaskStyle::Strict => "Strict masking: names show the surname only (张**); mobiles, ID numbers and bank cards only their last four digits; addresses only province and city; other numbers only their last few characters.",
    }
    .into()
}

/// One sentence for the mapping screen, e.g. `header 联系电话; 998/1000 sampled values are valid mobile
/// numbers`.
pub(super) fn evidence(e: &Evidence) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(h) = &e.header_match {
        parts.push(if e.header_exact {
            format!("header {h}")
        } else {
            format!("header contains {h}")
        });
    }
    let valid = |what: &str| {
        format!(
            "{}/{} sampled values {what} {}",
            e.valid,
            e.sampled,
            field_plural(e.for_type)
        )
    };
    match e.sample_verdict() {
        SampleVerdict::Valid => parts.push(valid("are valid")),
        SampleVerdict::LookLike => parts.push(valid("look like")),
        SampleVerdict::NoValues => parts.push("no values to sample".into()),
        SampleVerdict::Silent => {}
    }
    if parts.is_empty() {
        return "neither the header nor the values say".into();
    }
    parts.join("; ")
}

pub(super) fn format(f: Format) -> &'static str {
    match f {
        Format::Csv => "text table (CSV/TXT)",
        Format::Utf16Text => "Unicode text (Excel's “Unicode Text”)",
        Format::Xlsx => "Excel (.xlsx)",
        Format::Xlsb => "Excel (.xlsb)",
        Format::Xls => "Excel 97-2003 (.xls)",
        Format::Ods => "OpenDocument (.ods)",
    }
}

/// The problem for the owner (without the row number, which the list shows).
pub(super) fn row_problem(p: &RowProblem) -> String {
    let col = p.column.map(|c| c + 1).unwrap_or(0);
    match p.kind {
        RowProblemKind::TooFewFields => format!(
            "{} fields where the header has {}; the missing cells are imported empty",
            p.found, p.expected
        ),
        RowProblemKind::TooManyFields => format!(
            "{} fields, more than the header's {}; the extra cells have no column, so the row was not imported",
            p.found, p.expected
        ),
        RowProblemKind::UndecodableBytes => format!(
            "column {col} has bytes that are not text in the chosen encoding (shown as �); check the file's encoding"
        ),
        RowProblemKind::CellTooLong => format!(
            "column {col} holds {} bytes, over the limit of {} bytes (1 MB), so the row was not imported",
            p.found, p.expected
        ),
        RowProblemKind::OpenQuote => format!(
            "column {col} opens a quote (\") on line {} that never closes, so the rest of the file would have become one cell; the row was not imported as it stands, the lines after it were read as rows of their own",
            p.found
        ),
        RowProblemKind::TotalRow => {
            "a footer or subtotal row (合计, 总计, 共 N 件…), not a customer, so it was not imported".to_string()
        }
        RowProblemKind::RepeatedHeader => {
            "the header repeated in the middle of the file (a paged export), so it was not imported".to_string()
        }
    }
}

pub(super) fn preview_note(n: &PreviewNote) -> String {
    match n {
        PreviewNote::FormatDiffersFromName {
            extension,
            format: f,
        } => format!(
            "The file is named .{extension} but is actually {}; it was read as what it is.",
            format(*f)
        ),
        PreviewNote::RowsAboveHeaderSkipped { rows } => {
            let list = rows.iter().map(u64::to_string).collect::<Vec<_>>();
            format!(
                "Row(s) {} above the header (a title, notes or a group row) are not imported as data.",
                list.join(", ")
            )
        }
        PreviewNote::EmptySheetsSkipped { sheets } => format!(
            "The sheet(s) “{}” are empty; the next sheet with data was read.",
            sheets.join("”, “")
        ),
        PreviewNote::OddTrailingByte { offset } => format!(
            "The file is UTF-16 text (two bytes per character) but ends in one byte more (at byte {offset}); that half character was left out, the rest was read as usual."
        ),
        PreviewNote::OtherSheetsNotImported { sheets } => format!(
            "This workbook has {} more sheet(s) that are not imported with this one: “{}”. Each sheet is imported on its own: after this one, choose the next sheet and import again (command line: --sheet “{}”).",
            sheets.len(),
            sheets.join("”, “"),
            sheets.first().map_or("", String::as_str)
        ),
    }
}

pub(super) fn unnamed_column(c: &UnnamedColumn) -> String {
    format!("Column {}", c.number)
}

pub(super) fn value_problem(p: &ValueProblem) -> String {
    match p {
        ValueProblem::Empty => "the cell is empty",
        ValueProblem::NotADate => {
            "unreadable date (use forms such as 2024-03-05, 2024/3/5, 2024年3月5日)"
        }
        ValueProblem::NoSuchDate => "no such date (for example 30 February)",
        ValueProblem::YearOutOfRange => "the year is not between 1900 and 2199",
        ValueProblem::NotATime => "the time of day is wrong (for example 25:00)",
        ValueProblem::NotAnAmount => {
            "unreadable amount (use forms such as 1234.50, ¥1,234.50, 1234.5元)"
        }
        ValueProblem::AmountOutOfRange => "the amount has too many digits to keep exactly",
    }
    .into()
}

pub(super) fn cell_problem(p: &CellProblem) -> String {
    match p {
        CellProblem::InvalidMobile => "not a valid mobile number",
        CellProblem::InvalidLandline => "not a valid landline number",
        CellProblem::InvalidIdNumber => "not a valid ID number (length, birth date or check digit)",
        CellProblem::InvalidBankCard => "not a valid bank card number",
        CellProblem::InvalidEmail => "not a valid e-mail address",
        CellProblem::UnparseableDate => "unreadable date",
        CellProblem::UnparseableAmount => "unreadable amount",
        CellProblem::AmountBeyondBound => {
            "amount above 10¹⁵ yuan: it cannot be a real amount, please check it"
        }
    }
    .into()
}

pub(super) fn problems_csv(t: ProblemsCsv) -> &'static str {
    match t {
        ProblemsCsv::File => "File",
        ProblemsCsv::Row => "Row",
        ProblemsCsv::Column => "Column",
        ProblemsCsv::ColumnName => "Column name",
        ProblemsCsv::Outcome => "Outcome",
        ProblemsCsv::Kind => "Kind",
        ProblemsCsv::Reason => "Reason",
        ProblemsCsv::NotImported => "not imported",
        ProblemsCsv::ImportedToCheck => "imported, to check",
    }
}

/// Why a column's proposed field is the one the owner confirmed before.
pub(super) fn remembered_mapping(_: &RememberedMapping) -> String {
    "as you confirmed for a file with the same layout".into()
}

pub(super) fn blocked_by(b: BlockedBy) -> &'static str {
    match b {
        BlockedBy::SeparateConsent => "the customer's separate consent",
        BlockedBy::GuardianConsent => "a guardian's consent",
        BlockedBy::RefundOrConsent => {
            "a refund, or the customer's consent to the takeover of the balance"
        }
        BlockedBy::Refund => "a refund of the balance",
        BlockedBy::Owner => "the owner's decision",
        BlockedBy::NewConsent => {
            "the customer's new consent (the recipient changes the purpose or method)"
        }
        BlockedBy::TransferMechanism => {
            "a lawful way abroad (security assessment, standard contract or certification)"
        }
        BlockedBy::RefundToEstate => "the balance settled with the heirs",
    }
}

pub(super) fn source_kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::CustomerList => "Customer list",
        SourceKind::CourierPlatform => "Courier companies' waybill and pickup data",
        SourceKind::TaxInvoice => "Invoices and tax papers",
        SourceKind::AccountingVoucher => "Accounting vouchers and books",
        SourceKind::PrepaidRegistration => "Prepaid card buyer registration",
    }
}

pub(super) fn source_kind_evidence(e: &SourceKindEvidence) -> String {
    match e {
        SourceKindEvidence::CourierColumn(h) => format!(
            "column “{h}” holds waybill numbers, pickup codes, parcel statuses or arrival times: data processed for the courier companies"
        ),
        SourceKindEvidence::VoucherColumn(h) => {
            format!("column “{h}” shows these are accounting vouchers")
        }
        SourceKindEvidence::InvoiceColumn(h) => {
            format!("column “{h}” shows these are invoices or tax papers")
        }
        SourceKindEvidence::NoSpecialColumn => {
            "no waybill, invoice or voucher columns: treated as the business's own customer list"
                .into()
        }
    }
}

pub(super) fn exposure_class(c: ExposureClass) -> &'static str {
    match c {
        ExposureClass::Property => "property, whereabouts, communications content, credit",
        ExposureClass::Transaction => "transaction, lodging, call records, health",
        ExposureClass::Other => "other personal information",
    }
}

/// The plain-words explanation of the exposure check.
pub(super) fn exposure_check(c: &ExposureCheck) -> String {
    if c.records_without_basis == 0 {
        return "No record would be handed over without a legal basis.".into();
    }
    let level = match c.level {
        ExposureLevel::EspeciallySerious => {
            "reaches the level of an 'especially serious' case (ten times the threshold)"
        }
        ExposureLevel::Serious => {
            "reaches the level of a 'serious' case, which can be the crime of infringing citizens' personal information"
        }
        ExposureLevel::None | ExposureLevel::BelowThreshold => {
            "is below the criminal threshold but still unlawful and can be fined"
        }
    };
    let mut out = format!(
        "{} records would be handed to someone else without a legal basis (a refusal or withdrawn consent, a list sold without consent, a child without a guardian's consent, an owner's override …). Handing them over de-identified still counts as providing them; only anonymised data, which cannot be restored, does not.",
        c.records_without_basis
    );
    if let Some(w) = c.worst() {
        out.push_str(&format!(
            " {} of them are {} information, for which {} records obtained while providing a service already make a serious case; the classes count together, each in proportion to its threshold.",
            w.records,
            exposure_class(w.class),
            w.threshold
        ));
    }
    if c.placed_by_practice > 0 {
        out.push_str(&format!(
            " {} of them pair an address with a phone or a plate with its owner, placed with transaction information as courts often do (to be verified).",
            c.placed_by_practice
        ));
    }
    if let Some(g) = &c.gains {
        out.push_str(&format!(
            " The list's price, ¥{}, counts as illegal gains; ¥{} already makes a serious case (the whole price counts: a court need not split it by record).",
            g.price, g.threshold
        ));
    }
    out.push_str(&format!(
        " Altogether it {level}. Get consent first or undo these overrides; until then the transfer package cannot be made."
    ));
    out
}

/// "PIPL Art. 22"; standards by section ("GB/T 35273-2020 §9.3").
pub(super) fn cited(c: &Cited) -> String {
    let short = &c.short.en;
    let article = &c.article;
    if article.is_empty() {
        return format!("{short} (article to be verified)");
    }
    let cited = match c.numbering {
        Numbering::Section => format!("{short} §{article}"),
        Numbering::Article => format!("{short} Art. {article}"),
    };
    if c.to_verify {
        format!("{cited} (to be verified)")
    } else {
        cited
    }
}

pub(super) fn owner_override(_: &OwnerOverride) -> String {
    "Owner's override (with reason)".into()
}

pub(super) fn hold_notice(n: &HoldNotice) -> String {
    format!(
        "The customer asked for deletion, but the law requires keeping these records until {}. Tell the customer they are only stored, used for nothing else, and deleted when the period ends.",
        n.until
    )
}

pub(super) fn deletion_refused(n: &DeletionRefused) -> String {
    format!(
        "The customer asked for deletion (or withdrew consent), and this record is not deleted now, because: {}. A refused or postponed deletion must be explained to the customer (PIPL Art. 50).",
        n.reason.en
    )
}

/// What the owner enters for a case fact.
fn case_fact(f: CaseFact) -> &'static str {
    match f {
        CaseFact::Kind => "the kind of business",
        CaseFact::Reason => "the reason for the handover",
        CaseFact::Seller => "the seller's name and contact",
        CaseFact::Responsible => "the person responsible",
        CaseFact::Recipient => "the recipient's name and contact",
        CaseFact::HandoverDate => "the planned handover date",
        CaseFact::PurposeChange => "whether the recipient changes the purpose",
        CaseFact::CrossBorder => "whether the recipient is abroad (and how the data may leave)",
    }
}

pub(super) fn derived_note(n: &DerivedNote) -> String {
    let what = case_fact(n.fact);
    if n.holds {
        format!("Ticked from the case details ({what}).")
    } else {
        format!("From the case details: ticked once they have {what}.")
    }
}

pub(super) fn package_error(e: &PackageError) -> String {
    match e {
        PackageError::NothingToTransfer => "No record in the plan goes to the recipient: there is nothing to put in a package.".into(),
        PackageError::WithoutBasis { records } => format!("{records} records would be handed over without a legal basis (see the exposure check in the plan), so no package is made. Get the customers' consent first, or withdraw those overrides."),
        PackageError::NotAPackage => "This file is not a handover package (.hopkg). Check that you have the file the seller sent.".into(),
        PackageError::WrongPassphrase => "Wrong package passphrase. Check it against what the seller told you, group by group, and try again. If it is surely right, the start of the file may have been altered: ask the seller to send it again.".into(),
        PackageError::Damaged => "The package is damaged: the file was changed, cut short or has extra bytes at the end. Nothing was imported. Ask the seller to send the file again.".into(),
        PackageError::NewerFormat { found, known } => format!(
            "This package was made by a newer version of this app (format {found}; this version knows up to {known}). Update the app first."
        ),
        PackageError::MissingPart { part } => format!(
            "The package is incomplete: “{part}”, listed in its manifest, is missing. Nothing was imported."
        ),
        PackageError::ExtraPart { part } => format!(
            "The package holds “{part}”, which its manifest does not list, so it cannot be trusted. Nothing was imported."
        ),
        PackageError::PartMismatch { part } => format!(
            "“{part}” in the package does not match its manifest (size, rows or checksum differ). Nothing was imported."
        ),
        PackageError::UnsafePath { part } => format!(
            "The package holds an unsafe path “{part}” (absolute, with “..”, a link or a folder), so it cannot be trusted. Nothing was imported."
        ),
        PackageError::Changed => "The package file changed after it was checked. Nothing was imported; make sure no other program is changing it and try again.".into(),
        PackageError::Inconsistent { what } => format!(
            "The package's content does not add up to its manifest ({what}). Nothing was imported."
        ),
    }
}

pub(super) fn summary_word(w: crate::summary::SummaryWord) -> &'static str {
    use crate::summary::SummaryWord as W;
    use crate::wizard::inventory::{PlaceKind, SourceHandling};
    match w {
        W::NotGiven => "not given",
        W::ImportedFile => "imported file",
        W::HandledPerPlan => "record by record, as the plan decides (see section 3)",
        W::FieldNeeded => "confirmed by the owner as needed to continue the service; transferred",
        W::FieldNeededByDefault => {
            "transferred under the app's default minimum (not yet confirmed by the owner)"
        }
        W::FieldNotNeeded => "not needed to continue the service; removed before the handover",
        W::Yes => "yes",
        W::No => "no",
        W::StateOpen => "open",
        W::StateDone => "done",
        W::StateNotApplicable => "not applicable",
        W::StateLater => "later",
        W::Evidence => "Evidence",
        W::PlaceKind(k) => match k {
            PlaceKind::Paper => "paper logbook or slips",
            PlaceKind::PhoneContacts => "phone contacts or messages",
            PlaceKind::WechatGroup => "WeChat group or contacts",
            PlaceKind::CourierPlatform => "station or courier system",
            PlaceKind::EmployeeRecords => "employees' records (not a customer list)",
            PlaceKind::Cctv => "CCTV footage (face images, not a customer list)",
            PlaceKind::Other => "other",
        },
        W::Handling(h) => match h {
            SourceHandling::Undecided => "not decided yet",
            SourceHandling::Transfer => "handed to the recipient",
            SourceHandling::Keep => "kept as the law requires, storage only",
            SourceHandling::Destroy => "deleted or destroyed",
            SourceHandling::Return => "returned to where it came from",
        },
    }
}

fn not_yet(n: NotYet) -> String {
    let step = n.step().number();
    match n {
        NotYet::NothingImported => format!("No customer records imported yet: import the files in step {step} first; this is then worked out here."),
        NotYet::FieldsNotChosen => format!("What to hand over is not confirmed yet: choose it in step {step} and press “Save the choice”; it then shows here."),
        NotYet::PlanMissing => format!("The plan has not been computed yet: press “Compute the plan” in step {step}; it then shows here."),
        NotYet::PlanStale => format!("The case changed after the plan was computed: press “Compute again” in step {step}; this is then updated."),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(super) fn data_note(n: &DataNote) -> String {
    let Some(figure) = &n.figure else {
        return n.not_yet.map(not_yet).unwrap_or_default();
    };
    match figure {
        Figure::Columns { files, columns, sensitive, unrecognised } => {
            let mut s = format!(
                "The app has classified {} of {}, {} of them sensitive",
                plural(*columns, "column", "columns"),
                plural(*files, "file", "files"),
                sensitive
            );
            if *unrecognised > 0 {
                s.push_str(&format!(", {unrecognised} it could not recognise"));
            }
            s.push_str(". Go through them column by column in this step's table and correct any that are wrong.");
            s
        }
        Figure::Minors { minors: 0, counted_on } => format!(
            "No children under 14 found (by ID numbers, birthdays and ID numbers written in notes, counted on {counted_on})."
        ),
        Figure::Minors { minors, counted_on } => format!(
            "{} under 14 found (counted on {counted_on}). Their information may be handed over only with a parent's or other guardian's consent.",
            plural(*minors, "child", "children")
        ),
        Figure::FieldsKept { fields } if fields.is_empty() => {
            "Confirmed: no customer information is handed over.".to_string()
        }
        Figure::FieldsKept { fields } => format!(
            "Confirmed: these {} kinds of information are handed over: {}. The rest stays behind.",
            fields.len(),
            fields.iter().map(|f| field(*f)).collect::<Vec<_>>().join(", ")
        ),
        Figure::Prepaid { customers: 0, .. } => "No customer has a prepaid balance, multi-visit card or deposit.".to_string(),
        Figure::Prepaid { total, customers, waiting_total, waiting_records, .. } => {
            let mut s = format!(
                "Prepaid balances total ¥{}, owed to {}.",
                super::money::grouped_yuan(total),
                plural(*customers, "customer", "customers")
            );
            if *waiting_records > 0 {
                s.push_str(&format!(
                    " Of this, ¥{} ({}) still waits for a refund or the customer's consent: record the refunds or the customers' answers in step {}.",
                    super::money::grouped_yuan(waiting_total),
                    plural(*waiting_records, "record", "records"),
                    StepId::Notices.number()
                ));
            } else {
                s.push_str(" Every balance has its way settled.");
            }
            s
        }
        Figure::Parcels { parcels: 0 } => "No parcels are waiting at the station to go back to a courier company.".to_string(),
        Figure::Parcels { parcels } => format!(
            "{} to return to the courier companies: each goes back with its record, never to the new operator.",
            plural(*parcels, "parcel", "parcels")
        ),
        Figure::LegalHold { records: 0, .. } => "No records have to be kept by law.".to_string(),
        Figure::LegalHold { records, first_end, last_end } => {
            let first = first_end.clone().unwrap_or_default();
            let last = last_end.clone().unwrap_or_default();
            let ends = if first == last {
                format!("kept until {last}")
            } else {
                format!("the first kept until {first}, the last until {last}")
            };
            format!(
                "{} kept by law: each period runs from the end of the year of its voucher or invoice; {ends}. Deleted when it ends.",
                plural(*records, "record", "records")
            )
        }
        Figure::Replies { answers: a, waiting_customers } => {
            let mut s = format!(
                "Answers recorded: {} consented, {} refused, {} guardians consented, {} guardians refused, {} objected, {} asked for deletion; notices delivered {}, failed {}.",
                a.consented, a.refused, a.guardian_consented, a.guardian_refused, a.objected, a.deletion, a.sent, a.failed
            );
            if *waiting_customers > 0 {
                s.push_str(&format!(
                    " {} must still consent before their information may go: record their answers in step {}.",
                    plural(*waiting_customers, "customer", "customers"),
                    StepId::Notices.number()
                ));
            } else {
                s.push_str(" Everyone whose consent is needed has answered.");
            }
            s
        }
    }
}
