use std::path::PathBuf;

use crate::audit::{AuditBreak, AuditProblem, AuditReport};
use crate::case::{BusinessKind, DetailProblem, DetailProblemCode, TransferReason};
use crate::detect::category::{Article, Category, LawSource, Sensitivity};
use crate::detect::classify::Evidence;
use crate::detect::mask::MaskStyle;
use crate::detect::waybill::Carrier;
use crate::detect::PiiKind;
use crate::field::FieldType;
use crate::i18n::*;
use crate::import::normalize::ValueProblem;
use crate::import::{Format, PreviewNote, RowProblem, RowProblemKind, UnnamedColumn};
use crate::import::{ReadError, SpecialFile};
use crate::passphrase::{PassphraseCheck, Weakness};
use crate::records::import_file::RememberedMapping;
use crate::records::ingest::ProblemsCsv;
use crate::records::normalise::CellProblem;
use crate::rules::citation::{Cited, Numbering};
use crate::rules::exposure::{ExposureClass, ExposureTally};
use crate::rules::plan::{HoldNotice, OwnerOverride};
use crate::rules::status::RulesError;
use crate::rules::status::SourceKindEvidence;
use crate::rules::Outcome;
use crate::rules::{BlockedBy, SourceKind};
use crate::wizard::{CaseFact, DerivedNote};
use crate::Error;

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every message renders to a non-empty sentence in both languages, and the two differ.
fn check_message<M: Message + std::fmt::Debug>(msg: &M) {
    let zh = render(msg, Lang::ZhCn);
    let en = render(msg, Lang::En);
    assert!(!zh.trim().is_empty(), "{msg:?}: empty Chinese");
    assert!(!en.trim().is_empty(), "{msg:?}: empty English");
    assert_ne!(zh, en, "{msg:?}: the same text in both languages");
}

/// Every label is non-empty in both languages. (Brand names such as "Excel (.xlsx)" may be the same.)
fn check_label<L: Label + std::fmt::Debug>(value: L) {
    for lang in Lang::ALL {
        assert!(
            !value.label(lang).trim().is_empty(),
            "{value:?}: empty label in {lang:?}"
        );
    }
}

fn read_errors() -> Vec<ReadError> {
    vec![
        ReadError::Empty,
        ReadError::Binary,
        ReadError::MarkupExport,
        ReadError::HeaderOnly { header_row: 3 },
        ReadError::NotATable,
        ReadError::TooManyColumns {
            row: 1,
            columns: 3000,
        },
        ReadError::TooLargeRow { row: 7 },
        ReadError::UnknownEncoding("KOI8".into()),
        ReadError::NoSuchSheet {
            sheet: "客户".into(),
            sheets: vec!["Sheet1".into(), "Sheet2".into()],
        },
        ReadError::HeaderRowOutOfRange { row: 9 },
        ReadError::PasswordProtected,
        ReadError::UnreadableSpreadsheet("zip".into()),
        ReadError::FileNotFound,
        ReadError::NotAFile {
            kind: SpecialFile::Pipe,
        },
        ReadError::NotAFile {
            kind: SpecialFile::Folder,
        },
        ReadError::Io("denied".into()),
        ReadError::MemoryLimit,
        ReadError::ChangedWhileReading,
    ]
}

fn rules_errors() -> Vec<RulesError> {
    let mut v = vec![
        RulesError::ReasonMissing,
        RulesError::UnknownCustomer { customer_id: 1 },
        RulesError::UnknownRecord { record_id: 2 },
        RulesError::UnknownSource { source_id: 3 },
        RulesError::UnknownOverride { override_id: 4 },
        RulesError::NoCustomerWithPhone,
        RulesError::NothingToChange,
        RulesError::InvalidRulebook {
            problems: vec!["x".into(), "y".into()],
        },
        RulesError::AmountOutOfRange {
            record_id: 5,
            customer_id: Some(6),
            source: "会员.csv".into(),
            row: 7,
            amount: "79228162514264337593543950335".into(),
        },
    ];
    v.extend(Outcome::ALL.map(|outcome| RulesError::AcknowledgementRequired { outcome }));
    v
}

const DETAIL_CODES: [DetailProblemCode; 9] = [
    DetailProblemCode::SellerNameMissing,
    DetailProblemCode::SellerContactMissing,
    DetailProblemCode::ResponsiblePersonMissing,
    DetailProblemCode::RecipientMissing,
    DetailProblemCode::RecipientNameMissing,
    DetailProblemCode::RecipientContactMissing,
    DetailProblemCode::HandoverDateMissing,
    DetailProblemCode::TooLong,
    DetailProblemCode::BankruptcyNotForSoleProprietor,
];

fn errors() -> Vec<Error> {
    let p = || PathBuf::from("/tmp/张记.handover");
    let mut v = vec![
        Error::WrongPassphrase(p()),
        Error::Corrupted(p(), "bad page".into()),
        Error::NewerVersion {
            path: p(),
            found: 9,
            known: 3,
        },
        Error::FileNotFound(p()),
        Error::FileExists(p()),
        Error::Busy(p()),
        Error::NoPassphrase,
        Error::PassphraseMismatch,
        Error::InvalidDetails(
            DETAIL_CODES
                .iter()
                .map(|&code| DetailProblem {
                    field: "seller.name".into(),
                    code,
                    blocking: true,
                    message: String::new(),
                })
                .collect(),
        ),
        Error::NoCaseOpen,
        Error::io(p(), std::io::Error::other("denied")),
        Error::Database(rusqlite::Error::InvalidQuery),
        Error::Cancelled,
        Error::DuplicateImport {
            file: "a.csv".into(),
            previous_label: "会员".into(),
            imported_at: "2026-12-01".into(),
        },
        Error::ImportPending,
        Error::AuditBroken(7),
        Error::UnknownItem("case-date".into()),
        Error::ItemFromCaseDetails("case-kind".into()),
        Error::ItemFromAppData("decisions-prepaid".into()),
        Error::ReasonRequired,
        Error::EvidenceTooLarge {
            file: "录像.mp4".into(),
            size: 60 << 20,
            max: 50 << 20,
        },
        Error::TextTooLong {
            field: "note",
            max: 2000,
        },
        Error::TextRequired { field: "reason" },
        Error::NotFound("evidence"),
        Error::Internal("boom".into()),
        Error::DestroyNotConfirmed,
        Error::PlanMissing,
        Error::PlanStale,
        Error::InvalidSha256("abc".into()),
        Error::NotReceived,
        Error::NoCertificate(String::new()),
        Error::NoCertificate("XH-20261205-1a2b3c4d".into()),
        Error::BackupMismatch {
            path: p(),
            what: "records".into(),
        },
    ];
    for why in [
        "empty",
        "plain-sqlite",
        "text",
        "known-format",
        "foreign-database",
        "directory",
        "too-short",
    ] {
        v.push(Error::NotACase(p(), why));
    }
    for w in [Weakness::Empty, Weakness::TooShort, Weakness::TooGuessable] {
        v.push(Error::WeakPassphrase(w));
    }
    for reason in read_errors() {
        v.push(Error::Import {
            file: "a.csv".into(),
            code: reason.code(),
            reason,
        });
    }
    for e in rules_errors() {
        v.push(Error::Rules(e));
    }
    v
}

#[test]
fn every_error_renders_in_both_languages() {
    for e in errors() {
        check_message(&e);
        let payload = e.payload(Lang::En);
        assert_eq!(payload.code, e.code());
        assert_eq!(payload.message, render(&e, Lang::En));
    }
}

#[test]
fn every_problem_and_report_renders_in_both_languages() {
    for e in read_errors() {
        check_message(&e);
        assert!(has_cjk(&render(&e, Lang::ZhCn)), "{e:?}");
    }
    for e in rules_errors() {
        check_message(&e);
    }
    for code in DETAIL_CODES {
        check_message(&code);
    }
    for weakness in [
        None,
        Some(Weakness::Empty),
        Some(Weakness::TooShort),
        Some(Weakness::TooGuessable),
    ] {
        if let Some(w) = weakness {
            check_message(&w);
        }
        check_message(&PassphraseCheck {
            acceptable: weakness.is_none(),
            score: 3,
            weakness,
            message: String::new(),
        });
    }
    for kind in [
        AuditBreak::Altered,
        AuditBreak::BrokenLink,
        AuditBreak::Missing,
        AuditBreak::Truncated,
    ] {
        for at in [None, Some("2026-12-01".to_string())] {
            let p = AuditProblem {
                seq: 4,
                kind,
                at: at.clone(),
                action: at.map(|_| "case.create".into()),
            };
            check_message(&p);
            check_message(&AuditReport {
                ok: false,
                entries: 9,
                first_problem: Some(p),
                message: String::new(),
            });
        }
    }
    check_message(&AuditReport {
        ok: true,
        entries: 9,
        first_problem: None,
        message: String::new(),
    });
}

#[test]
fn every_label_is_named_in_both_languages() {
    BusinessKind::ALL.into_iter().for_each(check_label);
    TransferReason::ALL.into_iter().for_each(check_label);
    Outcome::ALL.into_iter().for_each(check_label);
    FieldType::ALL.into_iter().for_each(check_label);
    PiiKind::ALL.into_iter().for_each(check_label);
    Carrier::ALL.into_iter().for_each(check_label);
    Category::ALL.into_iter().for_each(check_label);
    [Sensitivity::General, Sensitivity::Sensitive]
        .into_iter()
        .for_each(check_label);
    [
        LawSource::Pipl,
        LawSource::GbT35273,
        LawSource::Interpretation2017,
    ]
    .into_iter()
    .for_each(check_label);
    [
        Article::Art5,
        Article::Art21,
        Article::Art28,
        Article::Art31,
        Article::AppendixB,
    ]
    .into_iter()
    .for_each(check_label);
    MaskStyle::ALL.into_iter().for_each(check_label);
    [
        Format::Csv,
        Format::Utf16Text,
        Format::Xlsx,
        Format::Xlsb,
        Format::Xls,
        Format::Ods,
    ]
    .into_iter()
    .for_each(check_label);
    [
        ProblemsCsv::File,
        ProblemsCsv::Row,
        ProblemsCsv::Column,
        ProblemsCsv::ColumnName,
        ProblemsCsv::Outcome,
        ProblemsCsv::Kind,
        ProblemsCsv::Reason,
        ProblemsCsv::NotImported,
        ProblemsCsv::ImportedToCheck,
    ]
    .into_iter()
    .for_each(check_label);
    BlockedBy::ALL.into_iter().for_each(check_label);
    SourceKind::ALL.into_iter().for_each(check_label);
    ExposureClass::ALL.into_iter().for_each(check_label);
}

#[test]
fn every_detection_import_and_rules_message_renders_in_both_languages() {
    for f in FieldType::ALL {
        let class = crate::detect::category::classify_field(f);
        if let Some(r) = class.reason {
            check_message(&r);
        }
    }
    for s in MaskStyle::ALL {
        check_message(&s);
    }
    for header_match in [None, Some("手机".to_string())] {
        for header_exact in [true, false] {
            for (sampled, for_type) in [
                (0, FieldType::Mobile),
                (20, FieldType::Mobile),
                (20, FieldType::Name),
                (20, FieldType::Other),
            ] {
                let e = Evidence {
                    header_match: header_match.clone(),
                    header_exact,
                    valid: sampled / 2,
                    sampled,
                    for_type,
                };
                check_message(&e);
            }
        }
    }
    for kind in [
        RowProblemKind::TooFewFields,
        RowProblemKind::TooManyFields,
        RowProblemKind::UndecodableBytes,
        RowProblemKind::CellTooLong,
        RowProblemKind::OpenQuote,
        RowProblemKind::TotalRow,
        RowProblemKind::RepeatedHeader,
    ] {
        check_message(&RowProblem {
            column: Some(2),
            kind,
            found: 3,
            expected: 4,
        });
    }
    check_message(&PreviewNote::FormatDiffersFromName {
        extension: "csv".into(),
        format: Format::Xlsx,
    });
    check_message(&PreviewNote::RowsAboveHeaderSkipped { rows: vec![1, 2] });
    check_message(&PreviewNote::EmptySheetsSkipped {
        sheets: vec!["Sheet1".into()],
    });
    check_message(&PreviewNote::OddTrailingByte { offset: 101 });
    check_message(&PreviewNote::OtherSheetsNotImported {
        sheets: vec!["充值记录".into(), "Sheet3".into()],
    });
    check_message(&UnnamedColumn { number: 3 });
    for p in [
        ValueProblem::Empty,
        ValueProblem::NotADate,
        ValueProblem::NoSuchDate,
        ValueProblem::YearOutOfRange,
        ValueProblem::NotATime,
        ValueProblem::NotAnAmount,
        ValueProblem::AmountOutOfRange,
    ] {
        check_message(&p);
    }
    for p in CellProblem::ALL {
        check_message(&p);
    }
    check_message(&RememberedMapping);
    for e in [
        SourceKindEvidence::CourierColumn("运单号".into()),
        SourceKindEvidence::VoucherColumn("凭证号".into()),
        SourceKindEvidence::InvoiceColumn("发票号".into()),
        SourceKindEvidence::NoSpecialColumn,
    ] {
        check_message(&e);
    }
    let mut tally = ExposureTally::default();
    check_message(&tally.check(vec![]));
    for class in ExposureClass::ALL {
        for _ in 0..30 {
            tally.add(class);
        }
        check_message(&tally.check(vec![]));
    }
    for _ in 0..300 {
        tally.add(ExposureClass::Property);
    }
    check_message(&tally.check(vec![]));
    for (numbering, article) in [
        (Numbering::Article, "22"),
        (Numbering::Article, "253-1"),
        (Numbering::Article, "x"),
        (Numbering::Section, "9.3"),
        (Numbering::Article, ""),
    ] {
        check_message(&Cited {
            short: Text {
                zh: "个人信息保护法".into(),
                en: "PIPL".into(),
            },
            numbering,
            article: article.into(),
            to_verify: article == "x",
        });
    }
    check_message(&OwnerOverride);
    check_message(&HoldNotice {
        until: "2030-12-31".into(),
    });
    for fact in [
        CaseFact::Kind,
        CaseFact::Reason,
        CaseFact::Seller,
        CaseFact::Responsible,
        CaseFact::Recipient,
        CaseFact::HandoverDate,
    ] {
        for holds in [true, false] {
            check_message(&DerivedNote { fact, holds });
        }
    }
}

#[test]
fn results_are_localized_at_the_edge() {
    let check = crate::passphrase::check("Correct-Horse-Battery-9", &[]);
    assert!(
        check.message.is_empty(),
        "the core leaves the sentence to the edge"
    );
    let check = check.localized(Lang::En);
    assert!(
        check.message.starts_with("Strong enough"),
        "{}",
        check.message
    );
}
