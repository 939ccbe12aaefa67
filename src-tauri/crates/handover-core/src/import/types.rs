//! What every part of the reading side shares: the limits, the formats, the owner's options, a row as read
//! and what can be wrong with it, the preview and progress. Re-exported by `import`; the reading modules
//! take them from here, not from `import` itself, so `import` (which re-exports them) is not imported back.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Lang;

/// A single cell above this (in UTF-8 bytes) is not kept: its row is rejected, the rest of the file imports.
pub const MAX_CELL_BYTES: usize = 1 << 20;
/// A logical row (its text plus one byte per field) above this stops the read: the file is broken (an
/// unclosed quote swallowing the rest of the file, or no line breaks at all).
pub const MAX_RECORD_BYTES: usize = 8 << 20;
/// More columns than this is not a customer list: a header this wide refuses the file, a data row this wide
/// is rejected.
pub const MAX_COLUMNS: usize = 2000;
/// Data rows shown in a preview.
pub const PREVIEW_ROWS: usize = 20;
/// Rows looked at to find the header.
pub const HEADER_SEARCH_ROWS: usize = 30;
/// Bytes of the file's start used to recognise its format, encoding and delimiter.
pub const SNIFF_BYTES: usize = 64 << 10;
/// Length of the excerpt kept of a cell above [`MAX_CELL_BYTES`] (the row is rejected; this is what the
/// problem list shows).
pub const EXCERPT_BYTES: usize = 1024;

/// The kind of file, as recognised from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Text with delimiters (CSV, TXT, TSV) in a single-byte or multi-byte encoding such as UTF-8 or GBK.
    Csv,
    /// UTF-16 text, as Excel's "Unicode text" (tab-separated) writes it.
    Utf16Text,
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    /// Stable id (`csv`, `utf16_text`, `xlsx`, `xlsb`, `xls`, `ods`).
    pub fn id(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Utf16Text => "utf16_text",
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    pub fn is_spreadsheet(self) -> bool {
        !self.is_text()
    }

    pub fn is_text(self) -> bool {
        matches!(self, Format::Csv | Format::Utf16Text)
    }
}

/// How the owner wants the file read; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReadOptions {
    /// An encoding label (`UTF-8`, `UTF-8 (BOM)`, `GB18030`, `GBK`, `UTF-16LE`, `UTF-16BE`, `Big5`…), for
    /// text files. Ignored for spreadsheets.
    pub encoding: Option<String>,
    /// The delimiter byte of a text file (`,` `\t` `;` `|`, or another ASCII byte).
    pub delimiter: Option<u8>,
    /// The sheet of a workbook to read, by name.
    pub sheet: Option<String>,
    /// The header's row number in the file or sheet (1-based, as the owner sees it in Excel or a text
    /// editor; for a header whose cells span lines, the line where it starts).
    pub header_row: Option<u64>,
    /// The language of the names given to columns without one (`列3` / `Column 3`): they are stored in the
    /// case with the source, so the edge that starts the import chooses it.
    pub lang: Lang,
}

/// Reads a delimiter as the owner or the CLI writes it: `,` `;` `|`, `tab`, `\t`, or a tab character.
pub fn delimiter_from_label(label: &str) -> Option<u8> {
    match label {
        "\t" | "\\t" => Some(b'\t'),
        l if l.eq_ignore_ascii_case("tab") => Some(b'\t'),
        l if l.len() == 1 && l.is_ascii() && !matches!(l, "\"" | "\r" | "\n") => {
            Some(l.as_bytes()[0])
        }
        _ => None,
    }
}

/// What is wrong with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowProblemKind {
    /// Fewer fields than the header: kept, missing cells empty (flagged).
    TooFewFields,
    /// More non-empty fields than the header: rejected, since the extra cells have no column.
    TooManyFields,
    /// Bytes that are not text in the file's encoding (shown as �): kept and flagged.
    UndecodableBytes,
    /// A cell above [`MAX_CELL_BYTES`]: the row is rejected.
    CellTooLong,
    /// A quote opened in this column (`found` is the line where it opened) and never closed: the row is
    /// rejected, its cells are the line as it stands, and the lines after it are read as rows again.
    OpenQuote,
    /// A footer or subtotal row (合计, 总计, 小计, 共 25 件, 统计…): not a customer, so not imported.
    TotalRow,
    /// The header again, in the middle of the data (an export that pages its header): not imported.
    RepeatedHeader,
}

impl RowProblemKind {
    /// Stable id (`too_few_fields`, …), used by the storing side and the CLI's `--json`.
    pub fn id(self) -> &'static str {
        match self {
            RowProblemKind::TooFewFields => "too_few_fields",
            RowProblemKind::TooManyFields => "too_many_fields",
            RowProblemKind::UndecodableBytes => "undecodable_bytes",
            RowProblemKind::CellTooLong => "cell_too_long",
            RowProblemKind::OpenQuote => "open_quote",
            RowProblemKind::TotalRow => "total_row",
            RowProblemKind::RepeatedHeader => "repeated_header",
        }
    }

    /// Whether the row cannot be kept as a record (it goes to the problem list instead).
    pub fn rejects(self) -> bool {
        matches!(
            self,
            RowProblemKind::TooManyFields
                | RowProblemKind::CellTooLong
                | RowProblemKind::OpenQuote
                | RowProblemKind::TotalRow
                | RowProblemKind::RepeatedHeader
        )
    }
}

/// One thing wrong with a row. `found` and `expected` are the numbers behind the message: fields found and
/// fields in the header, or a cell's size in bytes and the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowProblem {
    /// 0-based column, when one cell is at fault.
    pub column: Option<usize>,
    pub kind: RowProblemKind,
    pub found: u64,
    pub expected: u64,
}

/// One row as read, after the header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RawRow {
    /// The row number the owner sees in the file or sheet (1-based; for a quoted cell spanning lines, the
    /// line where the row starts).
    pub row_number: u64,
    /// As many cells as the header has columns, except in a row rejected for too many fields, which keeps
    /// every field (up to [`MAX_COLUMNS`]) so nothing is lost from the problem list.
    pub cells: Vec<String>,
    pub problems: Vec<RowProblem>,
}

impl RawRow {
    /// Whether the row cannot be kept as a record: it goes to the problem list with its cells.
    pub fn is_rejected(&self) -> bool {
        self.problems.iter().any(|p| p.kind.rejects())
    }
}

/// Something the reader did on its own that the owner should know about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PreviewNote {
    /// The name says one thing, the bytes another (a workbook renamed to `.csv`, text saved as `.xls`): the
    /// file was read as what its bytes are.
    FormatDiffersFromName { extension: String, format: Format },
    /// Rows above the header (a title, an export date, notes, the group row of a two-row header) were not
    /// imported.
    RowsAboveHeaderSkipped { rows: Vec<u64> },
    /// Sheets before the one read had no data.
    EmptySheetsSkipped { sheets: Vec<String> },
    /// A UTF-16 text file ends in a lone byte (at this 0-based offset), half a character: it was left out.
    OddTrailingByte { offset: u64 },
    /// The workbook has other sheets than the one read (empty ones before it aside): they are not imported
    /// with this one; each is imported on its own by choosing it.
    OtherSheetsNotImported { sheets: Vec<String> },
}

impl PreviewNote {
    pub fn code(&self) -> &'static str {
        match self {
            PreviewNote::FormatDiffersFromName { .. } => "format_differs_from_name",
            PreviewNote::RowsAboveHeaderSkipped { .. } => "rows_above_header_skipped",
            PreviewNote::EmptySheetsSkipped { .. } => "empty_sheets_skipped",
            PreviewNote::OddTrailingByte { .. } => "odd_trailing_byte",
            PreviewNote::OtherSheetsNotImported { .. } => "other_sheets_not_imported",
        }
    }
}

/// The start of a file, read and understood: what the preview screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TablePreview {
    pub format: Format,
    /// The encoding's name (`UTF-8`, `UTF-8 (BOM)`, `GB18030`, `UTF-16LE`…); for a workbook its format id,
    /// since a workbook's text is always Unicode.
    pub encoding: String,
    /// The delimiter of a text file.
    pub delimiter: Option<u8>,
    /// Every sheet of a workbook, in order (hidden ones too); empty for text.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    /// 1-based row number of the header.
    pub header_row: u64,
    /// One distinct, non-empty name per column.
    pub headers: Vec<String>,
    /// The first data rows ([`PREVIEW_ROWS`] at most), shaped exactly as the full read yields them.
    pub rows: Vec<RawRow>,
    pub total_bytes: u64,
    pub notes: Vec<PreviewNote>,
}

/// How far a read has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Progress {
    /// Work done, in `unit`.
    pub done: u64,
    /// All the work, in `unit`; 0 when a workbook does not say how many rows its sheet has.
    pub total: u64,
    pub unit: ProgressUnit,
}

/// Text files are measured in bytes of the file, sheets in rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProgressUnit {
    Bytes,
    Rows,
}
