//! One record as a text file or a sheet produced it: what the readers of both formats hand to the table
//! reader. Its own module so that `reader` (which drives them) and `sheet` / `text` (which fill it) all take
//! it from here, and none of them imports another one back.

use super::types::{EXCERPT_BYTES, MAX_CELL_BYTES, MAX_COLUMNS};

/// One record as a source produced it, before it is shaped to the header's width.
#[derive(Debug, Default, Clone)]
pub(crate) struct Record {
    pub(crate) row: u64,
    pub(crate) cells: Vec<String>,
    /// Fields in the record (text) or 1 + the last column with a value (sheets); may exceed
    /// `cells.len()` when columns past [`MAX_COLUMNS`] were counted but not kept.
    pub(crate) fields: usize,
    /// A non-empty cell past [`MAX_COLUMNS`] was dropped.
    pub(crate) dropped_text: bool,
    /// Cells cut to an excerpt because they were above [`MAX_CELL_BYTES`]: (column, original bytes).
    pub(crate) oversize: Vec<(usize, u64)>,
    /// A quote that opened in this column on this line (1-based) and never closed: the row is the line as
    /// it stands, and the lines after it were read as rows of their own.
    pub(crate) open_quote: Option<(usize, u64)>,
    /// The reader checked the record's whole text and found no U+FFFD (bytes the decoder could not read), so
    /// its cells need not be looked at one by one. False unless a reader says so.
    pub(crate) no_replacement: bool,
    /// Cells in use; `cells` may hold more strings, kept to be reused.
    len: usize,
}

impl Record {
    /// Starts a new record in this buffer, keeping the strings' memory for reuse.
    pub(crate) fn begin(&mut self, row: u64) {
        self.row = row;
        self.len = 0;
        self.fields = 0;
        self.dropped_text = false;
        self.oversize.clear();
        self.open_quote = None;
        self.no_replacement = false;
    }

    /// Appends the next cell.
    pub(crate) fn push(&mut self, cell: &str) {
        let i = self.len;
        let cell = self.keepable(i, excel_text(cell));
        match self.cells.get_mut(i) {
            Some(s) => {
                s.clear();
                s.push_str(cell);
            }
            None => self.cells.push(cell.to_owned()),
        }
        self.len += 1;
        self.fields = self.fields.max(self.len);
    }

    /// Appends a cell exactly as given: a record the child process already built and shaped (see
    /// `import::child`), so neither the Excel prefixes nor the cell cap are applied twice.
    pub(crate) fn push_raw(&mut self, cell: &str) {
        let i = self.len;
        match self.cells.get_mut(i) {
            Some(s) => {
                s.clear();
                s.push_str(cell);
            }
            None => self.cells.push(cell.to_owned()),
        }
        self.len += 1;
        self.fields = self.fields.max(self.len);
    }

    /// Sets the cell in column `col` (sheets give cells by position, skipping empty ones).
    pub(crate) fn set(&mut self, col: usize, cell: &str) {
        if col >= MAX_COLUMNS {
            self.fields = self.fields.max(col + 1);
            self.dropped_text |= !cell.trim().is_empty();
            return;
        }
        while self.len <= col {
            self.push("");
        }
        let cell = self.keepable(col, excel_text(cell));
        self.cells[col].clear();
        self.cells[col].push_str(cell);
    }

    /// The cell, or its excerpt if it is too long to keep (noted in `oversize`).
    pub(super) fn keepable<'a>(&mut self, col: usize, cell: &'a str) -> &'a str {
        if cell.len() <= MAX_CELL_BYTES {
            return cell;
        }
        self.oversize.push((col, cell.len() as u64));
        let mut cut = EXCERPT_BYTES;
        while !cell.is_char_boundary(cut) {
            cut -= 1;
        }
        &cell[..cut]
    }

    /// Ends the record: drops strings beyond the cells in use.
    pub(crate) fn finish(&mut self) {
        self.cells.truncate(self.len);
        for &(col, _) in &self.oversize {
            // The marker shows the owner the excerpt is not the whole cell.
            if let Some(c) = self.cells.get_mut(col) {
                if !c.ends_with('…') {
                    c.push('…');
                }
            }
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        !self.dropped_text
            && self.open_quote.is_none()
            && self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// 1 + the last column with text (columns past the kept ones count if they had text).
    pub(super) fn used_width(&self) -> usize {
        if self.dropped_text {
            return self.fields;
        }
        self.cells
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1)
    }

    pub(super) fn text_bytes(&self) -> usize {
        self.cells.iter().map(String::len).sum::<usize>() + self.cells.len()
    }
}

/// A cell without what Excel users put around long numbers so that Excel keeps them as text: a leading
/// apostrophe before a number (`'6217…`, `'+86 138…`), an `="…"` wrapper (`="4201…"`), and tabs before or
/// after (`6217…\t`, as many back-ends export them). Other text is returned as it is; the check looks at the
/// first and last byte only, so the common cell costs nothing.
pub(crate) fn excel_text(cell: &str) -> &str {
    let bytes = cell.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return cell;
    };
    if !matches!(first, b'\'' | b'=' | b'\t') && last != b'\t' {
        return cell;
    }
    let mut s = cell.trim_matches('\t');
    if let Some(inner) = s
        .strip_prefix("=\"")
        .and_then(|r| r.strip_suffix('"'))
        .filter(|r| !r.contains('"'))
    {
        s = inner;
    } else if let Some(rest) = s.strip_prefix('\'') {
        if rest.starts_with(|c: char| c.is_ascii_digit() || c == '+') {
            s = rest;
        }
    }
    s
}

/// Whether the decoder put U+FFFD (bytes it could not read) into the text: a cell, or a record's whole text.
/// Looked for by its first byte, EF, which Chinese text seldom has (only full-width forms, such as ，and ￥,
/// start with it); `str::contains` looks for the last byte, BD, which is in every few Chinese characters, and
/// took 6 % of the import's reading thread on the million-row shop file.
pub(crate) fn has_replacement_character(b: &[u8]) -> bool {
    const FFFD: &[u8] = "\u{FFFD}".as_bytes();
    memchr::memchr_iter(FFFD[0], b).any(|i| b[i..].starts_with(FFFD))
}

#[cfg(test)]
mod tests {
    use super::{excel_text, has_replacement_character};

    #[test]
    fn the_replacement_character_is_found_wherever_it_is() {
        for cell in [
            "\u{FFFD}",
            "张\u{FFFD}",
            "\u{FFFD}三",
            "余额￥１２，\u{FFFD}",
            "，，\u{FFFD}",
        ] {
            assert!(has_replacement_character(cell.as_bytes()), "{cell}");
        }
        // Full-width forms share its first byte; characters ending in BD share its last.
        for cell in [
            "",
            "张三",
            "￥１２，３４",
            "？！～",
            "\u{FFFC}\u{FFFE}",
            "叽喽",
        ] {
            assert!(!has_replacement_character(cell.as_bytes()), "{cell}");
        }
    }

    #[test]
    fn excel_text_prefixes_are_removed_from_numbers_only() {
        assert_eq!(excel_text("'6217000010001234567"), "6217000010001234567");
        assert_eq!(excel_text("'+86 138 1234 5678"), "+86 138 1234 5678");
        assert_eq!(excel_text("=\"420106199001011234\""), "420106199001011234");
        assert_eq!(excel_text("6217000010001234567\t"), "6217000010001234567");
        assert_eq!(
            excel_text("\t'6217000010001234567\t"),
            "6217000010001234567"
        );
        assert_eq!(excel_text("\t=\"0571-88886666\""), "0571-88886666");
        // Text that only looks similar stays as it is.
        assert_eq!(excel_text("'老客户'"), "'老客户'");
        assert_eq!(excel_text("=SUM(A1:A3)"), "=SUM(A1:A3)");
        assert_eq!(excel_text("=\"a\"&\"b\""), "=\"a\"&\"b\"");
        assert_eq!(excel_text("张三"), "张三");
        assert_eq!(excel_text(""), "");
    }
}
