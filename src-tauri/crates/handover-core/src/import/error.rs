//! Why a whole file cannot be read as a table: one plain message per reason, with a stable code.

use crate::Lang;

use super::types::{MAX_COLUMNS, MAX_RECORD_BYTES};

/// Why a file cannot be read as a table. The codes are part of the product interface (the storing side
/// wraps them in `crate::Error::Import`, the CLI prints them in `--json`); messages may be reworded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// 0 bytes, only whitespace, or only empty cells.
    #[error("the file is empty")]
    Empty,
    /// Bytes that are no text in any encoding: an image, an archive, a program.
    #[error("the file is not text or a spreadsheet")]
    Binary,
    /// A web page or an XML spreadsheet saved with a table's name (many admin back-ends export ".xls" so).
    #[error("the file is a web page or XML export, not a table file")]
    MarkupExport,
    /// A header and no data rows below it.
    #[error("the file has a header (row {header_row}) and no data rows")]
    HeaderOnly { header_row: u64 },
    /// One column of running text, with nothing that looks like a header.
    #[error("the file is not a table")]
    NotATable,
    /// The header row has more than `MAX_COLUMNS` columns.
    #[error("row {row} has {columns} columns")]
    TooManyColumns { row: u64, columns: u64 },
    /// A logical row above `MAX_RECORD_BYTES`: an unclosed quote or a file without line breaks.
    #[error("the row starting at line {row} is larger than 8 MiB")]
    TooLargeRow { row: u64 },
    #[error("unknown encoding {0}")]
    UnknownEncoding(String),
    #[error("no sheet named {sheet}")]
    NoSuchSheet { sheet: String, sheets: Vec<String> },
    /// The row the owner named as the header does not exist or is blank.
    #[error("row {row} cannot be the header")]
    HeaderRowOutOfRange { row: u64 },
    #[error("the workbook is password protected")]
    PasswordProtected,
    /// The bytes say workbook, but the workbook cannot be read (damaged, or another zip/OLE file).
    #[error("unreadable spreadsheet: {0}")]
    UnreadableSpreadsheet(String),
    #[error("file not found")]
    FileNotFound,
    #[error("I/O error: {0}")]
    Io(String),
}

impl ReadError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Empty => "empty",
            ReadError::Binary => "binary",
            ReadError::MarkupExport => "markup_export",
            ReadError::HeaderOnly { .. } => "header_only",
            ReadError::NotATable => "not_a_table",
            ReadError::TooManyColumns { .. } => "too_many_columns",
            ReadError::TooLargeRow { .. } => "too_large_row",
            ReadError::UnknownEncoding(_) => "unknown_encoding",
            ReadError::NoSuchSheet { .. } => "no_such_sheet",
            ReadError::HeaderRowOutOfRange { .. } => "header_row_out_of_range",
            ReadError::PasswordProtected => "password_protected",
            ReadError::UnreadableSpreadsheet(_) => "unreadable_spreadsheet",
            ReadError::FileNotFound => "file_not_found",
            ReadError::Io(_) => "io",
        }
    }

    /// The message for a non-technical owner: what is wrong and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            ReadError::Empty => lang
                .pick("文件是空的，没有任何内容。请确认导出时选择了数据。", "The file is empty. Check that the export included the data.")
                .into(),
            ReadError::Binary => lang
                .pick(
                    "这不是表格文件（看起来是图片、压缩包或其他程序的文件）。请从系统中导出 CSV 或 Excel 文件再导入。",
                    "This is not a table (it looks like an image, an archive or another program's file). Export a CSV or Excel file from your system and import that.",
                )
                .into(),
            ReadError::MarkupExport => lang
                .pick(
                    "这是网页格式的导出文件（常见于后台导出的 .xls），不是真正的表格文件。请用 Excel 或 WPS 打开它，另存为 .xlsx 或 CSV 后再导入。",
                    "This is a web-page export (common for “.xls” files from web back-ends), not a real table file. Open it in Excel or WPS, save it as .xlsx or CSV, and import that.",
                )
                .into(),
            ReadError::HeaderOnly { header_row } => if zh {
                format!("文件只有表头（第 {header_row} 行），下面没有客户数据。")
            } else {
                format!("The file has a header (row {header_row}) but no data rows below it.")
            },
            ReadError::NotATable => lang
                .pick(
                    "这个文件看起来是一段文字，而不是表格：找不到分隔符和表头。如果它是一列名单，请在第一行加上表头（如“手机”）；如果是表格，请从系统中重新导出 CSV 或 Excel。",
                    "This file looks like running text, not a table: there are no separators and no header. If it is a one-column list, put a header such as “Mobile” in the first line; if it is a table, export CSV or Excel from your system again.",
                )
                .into(),
            ReadError::TooManyColumns { row, columns } => if zh {
                format!("第 {row} 行有 {columns} 列，超过 {MAX_COLUMNS} 列的上限，这不像客户名单。请检查分隔符，或只导出需要的列。")
            } else {
                format!("Row {row} has {columns} columns, more than the limit of {MAX_COLUMNS}; this is not a customer list. Check the delimiter, or export only the columns you need.")
            },
            ReadError::TooLargeRow { row } => if zh {
                format!("从第 {row} 行开始的一行超过 {} MB，通常是引号没有闭合或文件没有换行。文件已损坏，无法导入；请从系统中重新导出。", MAX_RECORD_BYTES >> 20)
            } else {
                format!("The row starting at line {row} is larger than {} MB, usually because of an unclosed quote or a file without line breaks. The file is broken and cannot be imported; export it again from your system.", MAX_RECORD_BYTES >> 20)
            },
            ReadError::UnknownEncoding(e) => if zh {
                format!("不认识的文字编码“{e}”。可选：UTF-8、GB18030（GBK）、UTF-16LE、UTF-16BE、Big5。")
            } else {
                format!("Unknown text encoding “{e}”. Choose UTF-8, GB18030 (GBK), UTF-16LE, UTF-16BE or Big5.")
            },
            ReadError::NoSuchSheet { sheet, sheets } => if zh {
                format!("表格里没有名为“{sheet}”的工作表。现有工作表：{}。", sheets.join("、"))
            } else {
                format!("The workbook has no sheet named “{sheet}”. Its sheets: {}.", sheets.join(", "))
            },
            ReadError::HeaderRowOutOfRange { row } => if zh {
                format!("第 {row} 行不存在或是空行，不能作为表头。")
            } else {
                format!("Row {row} does not exist or is blank, so it cannot be the header.")
            },
            ReadError::PasswordProtected => lang
                .pick(
                    "这个 Excel 文件设置了打开密码。请在 Excel 或 WPS 中输入密码打开，取消密码后另存，再导入。",
                    "This Excel file has an opening password. Open it in Excel or WPS with the password, remove the password, save it, and import it again.",
                )
                .into(),
            ReadError::UnreadableSpreadsheet(e) => if zh {
                format!("无法读取这个 Excel/表格文件（{e}）。文件可能已损坏，或是其他类型的文件。请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再试。")
            } else {
                format!("This spreadsheet cannot be read ({e}). It may be damaged or another kind of file. Open it in Excel or WPS, save it as .xlsx or CSV, and try again.")
            },
            ReadError::FileNotFound => lang
                .pick("找不到这个文件，它可能已被移动或删除。", "The file cannot be found; it may have been moved or deleted.")
                .into(),
            ReadError::Io(e) => if zh { format!("读取文件出错：{e}") } else { format!("Could not read the file: {e}") },
        }
    }

    pub(crate) fn io(e: std::io::Error) -> ReadError {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReadError::FileNotFound
        } else {
            ReadError::Io(e.to_string())
        }
    }
}
