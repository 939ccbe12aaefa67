//! The reading side of import: whatever file a small business exports, turned into a stream of rows of
//! text. CSV/TXT in any encoding and with any of the usual delimiters, Excel "Unicode text" (UTF-16), and
//! spreadsheets (xlsx, xlsb, xls, ods).
//!
//! * What a file is comes from its bytes, never its name ([`sniff`]). A workbook renamed to `.csv` is read
//!   as the workbook it is, and the preview says so ([`PreviewNote::FormatDiffersFromName`]).
//! * Title lines, notes and the group row of a two-row header above the real header are skipped; the owner
//!   can name the header row instead ([`ReadOptions::header_row`]).
//! * Rows stream with bounded memory ([`TableReader`]): text files through a streaming decoder and
//!   `csv_core`, workbooks cell by cell. A logical row above [`MAX_RECORD_BYTES`] stops the read with a plain
//!   message instead of growing without end; a cell above [`MAX_CELL_BYTES`] or a row with cells that have
//!   no column rejects that row only.
//! * Nothing is evaluated or reinterpreted: a cell that looks like a formula (`=SUM(A1)`, `@cmd`) stays the
//!   text it was. Turning text into dates and amounts is [`normalize`], called per cell by the storing side.
//!
//! What happens to irregular rows, decided once for every format:
//! * fewer fields than the header → kept, missing cells empty, flagged [`RowProblemKind::TooFewFields`]
//!   (text files only: a spreadsheet does not store trailing empty cells, so short rows are normal there);
//! * more fields than the header → if every extra cell is empty they are dropped silently (Excel writes
//!   trailing `,,,`); otherwise the extra text has no column to go to, so the row is rejected
//!   ([`RowProblemKind::TooManyFields`]) with all its cells kept for the problem list;
//! * a cell above 1 MiB → the row is rejected ([`RowProblemKind::CellTooLong`]); the cell is cut to a short
//!   excerpt so the problem list stays small, the rest of the file imports;
//! * bytes that are not text in the chosen encoding → replaced by U+FFFD, the row kept and flagged
//!   ([`RowProblemKind::UndecodableBytes`]).

mod child;
mod digest;
mod error;
mod header;
pub mod normalize;
mod reader;
mod record;
mod sheet;
pub mod sniff;
#[cfg(test)]
mod tests;
mod text;
mod types;
mod workbook;

pub use child::{
    serve_if_asked, sheet_reader_start_up, use_child_reader, PARSE_BUDGET, SHEET_READER_FLAG,
};
pub use digest::{DigestHandle, FileDigest};
pub use error::{ReadError, SpecialFile};
pub use header::{detect_header, header_names, UnnamedColumn};
pub use reader::{open, preview, ProgressHandle, TableReader};
pub use types::*;
