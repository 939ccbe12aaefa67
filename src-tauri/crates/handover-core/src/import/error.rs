//! Why a whole file cannot be read as a table: one reason per variant, with a stable code (the plain
//! message for each is in `crate::i18n`).

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
    /// A folder, a named pipe (FIFO), a device or a socket: refused before reading, since reading a pipe or a
    /// device can wait forever or never end.
    #[error("not a regular file ({kind:?})")]
    NotAFile { kind: SpecialFile },
    #[error("I/O error: {0}")]
    Io(String),
    /// Reading the workbook needed more memory than the reader may use (its child process died at its
    /// address-space limit) or it expands to more text than any real export: a damaged or crafted file.
    #[error("reading the file needs more memory than allowed")]
    MemoryLimit,
    /// The file's size, modification time or bytes changed between opening it and the end of the read.
    #[error("the file changed while it was being read")]
    ChangedWhileReading,
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
            ReadError::NotAFile { .. } => "not_a_file",
            ReadError::Io(_) => "io",
            ReadError::MemoryLimit => "memory_limit",
            ReadError::ChangedWhileReading => "changed_while_reading",
        }
    }

    /// Opens `path` for reading only if it is a regular file (after following links). The type is checked
    /// before opening, because opening a named pipe waits for a writer; and again on the open handle.
    pub(crate) fn open_regular(path: &std::path::Path) -> Result<std::fs::File, ReadError> {
        let meta = std::fs::metadata(path).map_err(ReadError::io)?;
        SpecialFile::check(&meta)?;
        let file = std::fs::File::open(path).map_err(ReadError::io)?;
        SpecialFile::check(&file.metadata().map_err(ReadError::io)?)?;
        Ok(file)
    }

    pub(crate) fn io(e: std::io::Error) -> ReadError {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReadError::FileNotFound
        } else {
            ReadError::Io(e.to_string())
        }
    }
}

/// What a path names when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFile {
    Folder,
    /// A named pipe (FIFO).
    Pipe,
    /// A character or block device.
    Device,
    Socket,
    /// Anything else that is not a regular file.
    Other,
}

impl SpecialFile {
    /// `Ok` for a regular file, the refusal otherwise.
    pub(crate) fn check(meta: &std::fs::Metadata) -> Result<(), ReadError> {
        let ft = meta.file_type();
        if ft.is_file() {
            return Ok(());
        }
        let kind = if ft.is_dir() {
            SpecialFile::Folder
        } else {
            Self::unix_kind(&ft)
        };
        Err(ReadError::NotAFile { kind })
    }

    #[cfg(unix)]
    fn unix_kind(ft: &std::fs::FileType) -> SpecialFile {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            SpecialFile::Pipe
        } else if ft.is_char_device() || ft.is_block_device() {
            SpecialFile::Device
        } else if ft.is_socket() {
            SpecialFile::Socket
        } else {
            SpecialFile::Other
        }
    }

    #[cfg(not(unix))]
    fn unix_kind(_: &std::fs::FileType) -> SpecialFile {
        SpecialFile::Other
    }
}
