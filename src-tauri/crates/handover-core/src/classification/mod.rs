//! What personal information the case holds, read back from what the import stored: counts per kind,
//! category and sensitivity, customers who carry sensitive information, minors, free-text findings, and
//! each imported column with its field, so the owner can review and correct the classification.
//!
//! The import (records::ingest) does the detection once, row by row, and stores per record a bit per field
//! type (`records.pii_mask`), per source the cells per kind (`source_pii`), and every find inside free text
//! (`text_findings`). Everything here is a query over those, so the overview costs no re-scan.

mod columns;
mod settings;
mod summary;

pub use crate::records::reclassify::{reclassify_column, Reclassified};
pub use columns::{column_review, ColumnReview, ColumnSample};
pub use settings::{mask_style, set_mask_style};
pub use summary::{
    case_summary, classification_summary, minor_by_birthday, minor_by_id_number,
    records_with_a_minor_id_in_notes, ClassificationSummary, ColumnSummary, CustomerCounts,
    KindCount, NoteIdEvidence,
};
