//! The TypeScript types of everything that crosses IPC, generated from the Rust types with ts-rs.
//! `ui/src/api/bindings.ts` is this output, committed; a test fails when the two differ, so the frontend and
//! the backend cannot drift apart. Regenerate with `make bindings`.

use ts_rs::{Config, TS};

macro_rules! declarations {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl($cfg))),*]
    };
}

pub fn typescript() -> String {
    // Counts and sequence numbers stay far below 2^53, so `number` is exact.
    let cfg = &Config::new().with_large_int("number");
    let decls: Vec<String> = declarations![cfg;
        handover_core::Lang,
        handover_core::ErrorPayload,
        handover_core::case::BusinessKind,
        handover_core::case::TransferReason,
        handover_core::case::Seller,
        handover_core::case::Recipient,
        handover_core::case::CaseDetails,
        handover_core::case::DetailProblem,
        handover_core::case::DetailProblemCode,
        handover_core::passphrase::Weakness,
        handover_core::passphrase::PassphraseCheck,
        handover_core::config::RecentCase,
        handover_core::store::CaseOverview,
        handover_core::audit::AuditEntry,
        handover_core::audit::AuditBreak,
        handover_core::audit::AuditProblem,
        handover_core::audit::AuditReport,
        handover_core::field::FieldType,
        handover_core::records::import_file::ReadChoices,
        handover_core::records::import_file::ColumnProposal,
        handover_core::records::import_file::EarlierImport,
        handover_core::records::import_file::PreviewRow,
        handover_core::records::import_file::ImportPreview,
        handover_core::records::import_file::ImportRequest,
        handover_core::records::ingest::Progress,
        handover_core::records::ingest::RowProblemReport,
        handover_core::records::ingest::ImportSummary,
        handover_core::detect::mask::MaskStyle,
        handover_core::detect::category::Category,
        handover_core::detect::category::Sensitivity,
        handover_core::classification::KindCount,
        handover_core::classification::CustomerCounts,
        handover_core::classification::ColumnSummary,
        handover_core::classification::ClassificationSummary,
        handover_core::classification::ColumnSample,
        handover_core::classification::ColumnReview,
        handover_core::classification::Reclassified,
        handover_core::wizard::Text,
        handover_core::wizard::Mark,
        handover_core::rules::Outcome,
        handover_core::rules::BlockedBy,
        handover_core::rules::SourceKind,
        handover_core::rules::Answer,
        handover_core::rules::plan::RuleCount,
        handover_core::rules::plan::OutcomeCount,
        handover_core::rules::prepaid::PrepaidTotals,
        handover_core::rules::prepaid::PrepaidByOutcome,
        handover_core::rules::exposure::ExposureClass,
        handover_core::rules::exposure::ExposureLevel,
        handover_core::rules::exposure::ExposureCount,
        handover_core::rules::exposure::ExposureCheck,
        handover_core::rules::status::Recorded,
        handover_core::rules::status::Minimisation,
        handover_core::rules::plan::PlanSummary,
        handover_core::rules::plan::PlanQuery,
        handover_core::rules::plan::PlanRow,
        handover_core::rules::plan::PlanPage,
        handover_core::rules::plan::ExplainedCitation,
        handover_core::rules::plan::ExplainedRule,
        handover_core::rules::status::CustomerStatus,
        handover_core::rules::status::StatusChange,
        handover_core::rules::status::OverrideTarget,
        handover_core::rules::status::OverrideRequest,
        handover_core::rules::status::OverrideInfo,
        handover_core::rules::plan::RecordExplanation,
        handover_core::rules::status::SourceKindInfo,
        handover_core::wizard::StepId,
        handover_core::wizard::SourceRef,
        handover_core::wizard::Law,
        handover_core::wizard::Citation,
        handover_core::wizard::Situation,
        handover_core::wizard::StepForCase,
        handover_core::wizard::CaseFact,
        handover_core::wizard::ItemForCase,
        handover_core::wizard::state::ItemState,
        handover_core::wizard::state::Evidence,
        handover_core::wizard::state::ItemProgress,
        handover_core::wizard::state::ReviewItem,
        handover_core::wizard::state::ItemCounts,
        handover_core::wizard::state::ReviewStep,
        handover_core::wizard::state::OpenItem,
        handover_core::wizard::state::Review,
        handover_core::wizard::inventory::SourceKind,
        handover_core::wizard::inventory::SourceHandling,
        handover_core::wizard::inventory::SourceInput,
        handover_core::wizard::inventory::RegisteredSource,
        handover_core::customer_table::CustomerFilter,
        handover_core::customer_table::PageRequest,
        handover_core::customer_table::CustomerRow,
        handover_core::customer_table::CustomerPage,
        crate::commands::AppInfo,
        crate::commands::NewCaseRequest,
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.\n\n",
    );
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
