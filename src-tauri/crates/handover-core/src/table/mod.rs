//! Reading whatever a small business exports into rows of text: CSV/TXT in any encoding and with any of
//! the usual delimiters, Excel "Unicode text", and spreadsheets (xlsx, xls, ods).
//!
//! What a file is comes from its bytes, never its name (a renamed .xlsx is read as a spreadsheet). Text
//! files stream with bounded memory: a record larger than `MAX_RECORD_BYTES` stops the read with a plain
//! message instead of growing without end. Nothing is evaluated: a cell that looks like a formula stays text.

mod detect;
pub mod normalize;
mod reader;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Lang;

pub use reader::{open, preview, ProgressHandle, TableReader};

/// A single cell above this is not kept in a record (the row is rejected, its other cells listed).
pub const MAX_CELL_BYTES: usize = 1 << 20;
/// A logical row above this stops the read: it is a broken file (an unclosed quote, no line breaks).
pub const MAX_RECORD_BYTES: u64 = 8 << 20;
/// More columns than this is not a customer list.
pub const MAX_COLUMNS: usize = 2000;
/// Rows shown in a preview.
pub const PREVIEW_ROWS: usize = 20;

/// The kind of file, as recognised from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Utf16Text,
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Utf16Text => "utf16_text",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    pub fn is_spreadsheet(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xls | Format::Ods)
    }
}

/// How the owner wants the file read; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// An encoding label (`UTF-8`, `GB18030`, `GBK`, `UTF-16LE`, `UTF-16BE`…).
    pub encoding: Option<String>,
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
    /// 1-based row of the header in the file or sheet.
    pub header_row: Option<u64>,
}

impl ReadOptions {
    pub fn from_choices(c: &crate::records::import_file::ReadChoices) -> ReadOptions {
        ReadOptions {
            encoding: c.encoding.clone().filter(|e| !e.trim().is_empty()),
            delimiter: c.delimiter.as_deref().and_then(|d| match d {
                "\\t" | "tab" | "\t" => Some(b'\t'),
                d if d.len() == 1 => Some(d.as_bytes()[0]),
                _ => None,
            }),
            sheet: c.sheet.clone().filter(|s| !s.is_empty()),
            header_row: c.header_row.filter(|r| *r >= 1),
        }
    }
}

/// Why a whole file cannot be read as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    Empty,
    HeaderOnly,
    Binary,
    TooManyColumns(usize),
    /// A logical row above `MAX_RECORD_BYTES`, starting at this row.
    RecordTooLarge(u64),
    UnknownEncoding(String),
    NoSuchSheet(String),
    HeaderRowOutOfRange(u64),
    Spreadsheet(String),
    Io(String),
}

impl TableError {
    /// Stable code (CLI `--json`, UI).
    pub fn code(&self) -> &'static str {
        match self {
            TableError::Empty => "empty",
            TableError::HeaderOnly => "header_only",
            TableError::Binary => "binary",
            TableError::TooManyColumns(_) => "too_many_columns",
            TableError::RecordTooLarge(_) => "record_too_large",
            TableError::UnknownEncoding(_) => "unknown_encoding",
            TableError::NoSuchSheet(_) => "no_such_sheet",
            TableError::HeaderRowOutOfRange(_) => "header_row_out_of_range",
            TableError::Spreadsheet(_) => "unreadable_spreadsheet",
            TableError::Io(_) => "io",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            TableError::Empty => lang.pick("文件是空的，没有任何内容。", "The file is empty.").into(),
            TableError::HeaderOnly => lang
                .pick("文件只有表头，没有客户数据行。", "The file has a header but no data rows.")
                .into(),
            TableError::Binary => lang
                .pick(
                    "这不是表格文件（看起来是图片、压缩包或其他二进制文件）。请从系统中导出 CSV 或 Excel 文件。",
                    "This is not a table (it looks like an image, archive or other binary file). Export a CSV or Excel file from your system.",
                )
                .into(),
            TableError::TooManyColumns(n) => if zh {
                format!("表格有 {n} 列，超过 {MAX_COLUMNS} 列的上限，不像是客户名单。")
            } else {
                format!("The table has {n} columns, more than the limit of {MAX_COLUMNS}; this is not a customer list.")
            },
            TableError::RecordTooLarge(row) => if zh {
                format!("从第 {row} 行开始的一行超过 8 MB（可能是引号没有闭合或文件没有换行），文件已损坏，无法导入。")
            } else {
                format!("The row starting at line {row} is larger than 8 MB (an unclosed quote or no line breaks); the file is broken and cannot be imported.")
            },
            TableError::UnknownEncoding(e) => if zh {
                format!("不认识的文字编码“{e}”。可选：UTF-8、GB18030、UTF-16LE、UTF-16BE。")
            } else {
                format!("Unknown text encoding “{e}”. Choose UTF-8, GB18030, UTF-16LE or UTF-16BE.")
            },
            TableError::NoSuchSheet(s) => if zh {
                format!("表格里没有名为“{s}”的工作表。")
            } else {
                format!("The workbook has no sheet named “{s}”.")
            },
            TableError::HeaderRowOutOfRange(r) => if zh {
                format!("第 {r} 行不存在，无法作为表头。")
            } else {
                format!("Row {r} does not exist, so it cannot be the header.")
            },
            TableError::Spreadsheet(e) => if zh {
                format!("无法读取这个 Excel/表格文件（{e}）。请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再试。")
            } else {
                format!("This spreadsheet cannot be read ({e}). Open it in Excel or WPS, save it as .xlsx or CSV, and try again.")
            },
            TableError::Io(e) => if zh { format!("读取文件出错：{e}") } else { format!("Could not read the file: {e}") },
        }
    }
}

/// What is wrong with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblemKind {
    /// Fewer cells than the header: kept, missing cells empty (flagged).
    TooFewFields,
    /// More non-empty cells than the header: rejected, since the extra cells have no column.
    TooManyFields,
    /// Bytes that are not text in the file's encoding (shown as �): flagged.
    UndecodableBytes,
    /// A cell above 1 MiB: rejected.
    CellTooLong,
}

impl RowProblemKind {
    pub fn id(self) -> &'static str {
        match self {
            RowProblemKind::TooFewFields => "too_few_fields",
            RowProblemKind::TooManyFields => "too_many_fields",
            RowProblemKind::UndecodableBytes => "undecodable_bytes",
            RowProblemKind::CellTooLong => "cell_too_long",
        }
    }

    /// Whether the row cannot be kept as a record.
    pub fn rejects(self) -> bool {
        matches!(
            self,
            RowProblemKind::TooManyFields | RowProblemKind::CellTooLong
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 0-based column, when one cell is at fault.
    pub column: Option<usize>,
    pub kind: RowProblemKind,
    /// Numbers for the message: (found, expected) fields, or the cell's size.
    pub found: usize,
    pub expected: usize,
}

impl RowProblem {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self.kind {
            RowProblemKind::TooFewFields => if zh {
                format!("只有 {} 个字段，表头有 {} 列；缺少的列按空白导入", self.found, self.expected)
            } else {
                format!("{} fields where the header has {}; the missing cells are imported empty", self.found, self.expected)
            },
            RowProblemKind::TooManyFields => if zh {
                format!("有 {} 个字段，比表头的 {} 列多，多出的内容无处存放，此行未导入", self.found, self.expected)
            } else {
                format!("{} fields, more than the header's {}; the extra cells have no column, so the row was not imported", self.found, self.expected)
            },
            RowProblemKind::UndecodableBytes => lang
                .pick(
                    "有无法按所选编码识别的字符（显示为 �），请核对编码",
                    "has bytes that are not text in the chosen encoding (shown as �); check the encoding",
                )
                .into(),
            RowProblemKind::CellTooLong => if zh {
                format!("单元格有 {} 字节，超过 1 MB 上限，此行未导入", self.found)
            } else {
                format!("a cell of {} bytes, over the 1 MB limit; the row was not imported", self.found)
            },
        }
    }
}

/// One row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// The row number the owner sees in the file or sheet (1-based; for a quoted multi-line cell, the line
    /// where the row starts).
    pub row_number: u64,
    pub cells: Vec<String>,
    pub problems: Vec<RowProblem>,
}

impl RawRow {
    pub fn is_rejected(&self) -> bool {
        self.problems.iter().any(|p| p.kind.rejects())
    }
}

/// The start of a file, read and understood.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePreview {
    pub format: Format,
    /// The encoding's name (`UTF-8`, `UTF-8 (BOM)`, `GB18030`, `UTF-16LE`…); for spreadsheets `xlsx` etc.
    pub encoding: String,
    pub delimiter: Option<u8>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub header_row: u64,
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
    pub total_bytes: u64,
}
