//! Which personal information one row carries, found while it is imported: valid values in the columns
//! mapped to a kind of personal information, and every finding inside free-text cells (notes, other).
//!
//! This runs on the import's reading thread for every row, so it reuses what normalising already learnt
//! (a mobile column's cell is validated once), and the free-text scanner is the thread's own reused one.

use crate::detect::{classify, text, Finding, PiiKind};
use crate::field::FieldType;

/// Number of slots in a per-kind count array: one per [`FieldType`] bit.
pub const KINDS: usize = FieldType::ALL.len();

/// One piece of personal information inside a free-text cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFinding {
    /// 0-based column.
    pub col: usize,
    pub kind: FieldType,
    /// Byte offsets into the original cell.
    pub start: usize,
    pub end: usize,
}

/// The personal information of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPii {
    /// [`FieldType::bit`] of every kind the row carries, from its columns and its free text.
    pub mask: u32,
    /// Valid cells per kind, indexed by [`slot`].
    pub column_cells: [u32; KINDS],
    pub findings: Vec<TextFinding>,
    /// The first valid ID number found in the row's free text (normalised). A record without an ID column
    /// value keeps it as its ID number, so a minor's ID written in a note counts for minors and sensitivity
    /// like one in an ID column; it never links records to customers (a note may name someone else's ID).
    pub text_id_number: Option<String>,
}

impl Default for RowPii {
    fn default() -> RowPii {
        RowPii {
            mask: 0,
            column_cells: [0; KINDS],
            findings: Vec::new(),
            text_id_number: None,
        }
    }
}

/// The index of a field type in a per-kind count array (the position of its bit).
pub fn slot(field: FieldType) -> usize {
    field.bit().trailing_zeros() as usize
}

impl RowPii {
    /// Back to a row without personal information, keeping the findings' room for the next row.
    pub fn clear(&mut self) {
        self.mask = 0;
        self.column_cells = [0; KINDS];
        self.findings.clear();
        self.text_id_number = None;
    }

    /// Counts one cell of a column mapped to a kind of personal information, when its value is valid. `kind`
    /// is what the value was found to be: normally the column's field, but a landline column may hold a
    /// mobile number, which counts as a mobile.
    pub fn count_cell(&mut self, kind: FieldType) {
        if PiiKind::of_field(kind).is_none() {
            return;
        }
        self.mask |= kind.bit();
        self.column_cells[slot(kind)] += 1;
    }

    /// Scans a free-text cell and records every finding in it.
    /// Sets the bit of a field that [`marks_category`] without counting a cell.
    pub fn mark(&mut self, field: FieldType) {
        self.mask |= field.bit();
    }

    pub fn scan_text(&mut self, col: usize, cell: &str, scratch: &mut Vec<Finding>) {
        scratch.clear();
        text::scan_into(cell, scratch);
        for f in scratch.iter() {
            let kind = f.kind.field();
            if kind == FieldType::IdCard && self.text_id_number.is_none() {
                self.text_id_number = Some(f.value.clone());
            }
            self.mask |= kind.bit();
            self.findings.push(TextFinding {
                col,
                kind,
                start: f.start,
                end: f.end,
            });
        }
    }
}

/// Whether a non-empty cell of a column mapped to `field` holds a valid value of that kind, for the fields
/// normalising does not already validate (names, addresses, QQ, WeChat, plates, waybills, pickup codes,
/// birthdays: a birthday must be a real past date, which a valid date of last activity need not be).
/// `None` when `field` is not a kind of personal information.
pub fn cell_is_valid(field: FieldType, cell: &str) -> Option<bool> {
    PiiKind::of_field(field)?;
    Some(classify::value_matches(field, cell))
}

/// Whether a column of this field is free text, scanned for personal information inside.
/// Fields that are not personal information of their own kind (balances, points, member numbers, dates of
/// activity, notes) but still tell which categories and sensitivity a customer's data has: a non-empty cell
/// sets the field's bit in the record's mask without being counted as a personal-information cell. An
/// unmapped column (`other`) says nothing about its category.
pub fn marks_category(field: FieldType) -> bool {
    field != FieldType::Other && PiiKind::of_field(field).is_none()
}

pub fn is_free_text(field: FieldType) -> bool {
    matches!(field, FieldType::Notes | FieldType::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_distinct_and_in_range() {
        let mut seen = [false; KINDS];
        for f in FieldType::ALL {
            let s = slot(f);
            assert!(s < KINDS);
            assert!(!seen[s]);
            seen[s] = true;
        }
    }

    #[test]
    fn counts_only_personal_information() {
        let mut p = RowPii::default();
        p.count_cell(FieldType::Mobile);
        p.count_cell(FieldType::Mobile);
        p.count_cell(FieldType::Points);
        p.count_cell(FieldType::Birthday);
        assert_eq!(p.mask, FieldType::Mobile.bit() | FieldType::Birthday.bit());
        assert_eq!(p.column_cells[slot(FieldType::Mobile)], 2);
        assert_eq!(p.column_cells[slot(FieldType::Birthday)], 1);
        assert_eq!(p.column_cells.iter().sum::<u32>(), 3);
    }

    #[test]
    fn free_text_findings_keep_their_byte_offsets() {
        let mut p = RowPii::default();
        let mut scratch = Vec::new();
        let cell = "备用电话13812345678，身份证11010519491231002X";
        p.scan_text(4, cell, &mut scratch);
        let found: Vec<(FieldType, &str)> = p
            .findings
            .iter()
            .map(|f| (f.kind, &cell[f.start..f.end]))
            .collect();
        assert_eq!(
            found,
            [
                (FieldType::Mobile, "13812345678"),
                (FieldType::IdCard, "11010519491231002X")
            ]
        );
        assert!(p.findings.iter().all(|f| f.col == 4));
        assert_eq!(p.text_id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(p.mask, FieldType::Mobile.bit() | FieldType::IdCard.bit());
        // Nothing counted as a column cell: these are text findings.
        assert_eq!(p.column_cells.iter().sum::<u32>(), 0);
    }

    #[test]
    fn validity_by_kind() {
        assert_eq!(cell_is_valid(FieldType::Name, "张三"), Some(true));
        assert_eq!(cell_is_valid(FieldType::Name, "待定 123"), Some(false));
        assert_eq!(
            cell_is_valid(FieldType::Address, "广东省深圳市南山区科技园南路12号"),
            Some(true)
        );
        assert_eq!(cell_is_valid(FieldType::Birthday, "1990-05-01"), Some(true));
        assert_eq!(
            cell_is_valid(FieldType::Birthday, "2990-05-01"),
            Some(false)
        );
        assert_eq!(cell_is_valid(FieldType::Points, "12"), None);
        assert!(is_free_text(FieldType::Notes) && is_free_text(FieldType::Other));
        assert!(!is_free_text(FieldType::Name));
    }
}
