//! The classification overview: the numbers `handover status --json` prints and the review screen shows.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::settings::mask_style;
use crate::detect::category::{Category, Sensitivity};
use crate::detect::id_card;
use crate::detect::mask::MaskStyle;
pub use crate::detect::minor::{minor_by_birthday, minor_by_id_number};
use crate::field::FieldType;
use crate::records::tally::{self, class, RecordTally};
use crate::store::Case;
use crate::Result;

/// How often one kind of personal information occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KindCount {
    /// Cells of columns mapped to this kind that hold a valid value.
    pub column_cells: u64,
    /// Occurrences found inside free-text cells (notes, other).
    pub text_findings: u64,
    /// Records that carry this kind, in a column or in free text.
    pub records: u64,
}

/// Customers per category or sensitivity. A customer counts once per category however many records they
/// have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerCounts {
    pub basic: u64,
    pub transaction: u64,
    pub preference: u64,
    pub general: u64,
    pub sensitive: u64,
}

/// One imported column, as the review screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ColumnSummary {
    pub source_id: i64,
    pub source_label: String,
    /// 0-based.
    pub col_index: u32,
    pub header: String,
    pub field: FieldType,
    pub field_label: String,
    pub category: Category,
    pub sensitivity: Sensitivity,
    /// Cells in this source's columns of `field` holding a valid value, for kinds of personal information;
    /// `None` for other fields (balances, notes…), which are not counted as such.
    pub valid_cells: Option<u64>,
}

/// A minor found by an ID number written in a note (free text) rather than in an ID column: which note it is,
/// masked, and the age it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteIdEvidence {
    pub source_id: i64,
    pub source_label: String,
    /// The row number in the file.
    pub row: u64,
    /// The header of the note's column.
    pub header: String,
    /// The whole note with every piece of personal information in it masked (the ID's birth date hidden).
    pub masked_note: String,
    /// The age the ID number shows on `reference_date`.
    pub age: u32,
}

/// How many notes [`ClassificationSummary::minors_in_notes`] lists; `minors_in_notes_total` counts all.
pub const NOTE_EVIDENCE_LISTED: usize = 100;

/// Everything the classification review screen and `handover status --json` show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ClassificationSummary {
    pub customers: u64,
    pub records: u64,
    /// Per field type id (`mobile`, `id_card`, …), only kinds of personal information that occur.
    pub pii: BTreeMap<String, KindCount>,
    pub categories: CustomerCounts,
    /// Customers with at least one sensitive field (PIPL Art. 28), counting minors under 14 (whose
    /// information is sensitive as a whole).
    pub sensitive_customers: u64,
    /// Customers whose ID number shows an age under 14 on `reference_date` (PIPL Art. 31).
    pub minors: u64,
    /// Pieces of personal information found inside free text, and the records that hold them.
    pub free_text_findings: u64,
    pub records_with_free_text_findings: u64,
    /// The handover date, or today when none is set yet: the day minors' ages are counted on.
    pub reference_date: NaiveDate,
    pub mask_style: MaskStyle,
    pub columns: Vec<ColumnSummary>,
    /// Notes whose ID number shows a customer under 14: they count for minors and sensitivity like an ID
    /// column (at most [`NOTE_EVIDENCE_LISTED`], in record order).
    pub minors_in_notes: Vec<NoteIdEvidence>,
    pub minors_in_notes_total: u64,
}

/// What personal information the case holds. Minors are counted on the handover date, or today while none
/// is set. (The classification reads the store, never the other way round.)
///
/// Kept in the case until the next change (a million-row case takes a pass over every record: 0.5 s on two
/// cores), so opening a case to its overview does not read every record again; after an import, from the
/// per-customer tally the import kept (`records::tally`) rather than from every record.
pub fn case_summary(case: &Case) -> Result<ClassificationSummary> {
    let (on, version) =
        case.read(|conn| Ok((tally::reference_date(conn)?, case.data_version()?)))?;
    let key = tally::kept_key(on);
    if let Some(kept) = case.derived::<String>(OVERVIEW, &key) {
        if let Ok(summary) = serde_json::from_str::<ClassificationSummary>(&kept) {
            return Ok(summary);
        }
    }
    // The tally an import kept (or the last count): the rest of the overview reads small tables.
    let kept_tally = match case.derived::<Vec<u8>>(tally::TALLY_KIND, &key) {
        Some(bytes) => case.read(|conn| tally::from_kept(conn, &bytes))?,
        None => None,
    };
    let counted = kept_tally.is_none();
    let tally = match kept_tally {
        Some(t) => t,
        None => {
            // Two connections share the pass over the records (half each, on the two cores); if another
            // connection committed meanwhile they may have read different cases, so it is read again on one.
            let second = case.second_reader()?;
            let split = second.is_some();
            let mut t = case.read(|conn| tally_on(conn, second, on))?;
            if split && case.data_version()? != version {
                t = case.read(|conn| Pass::read(conn, on)?.tally(conn, None))?;
            }
            t
        }
    };
    let summary = case.read(|conn| summary_from(conn, &tally, on))?;
    if let Ok(json) = serde_json::to_string(&summary) {
        case.keep_derived(OVERVIEW, &key, &json, version);
    }
    if counted {
        if let Ok(bytes) = tally.to_bytes() {
            case.keep_derived(tally::TALLY_KIND, &key, bytes, version);
        }
    }
    Ok(summary)
}

/// The kind under which the overview is kept (`derived_cache`): the store keeps it across changes that leave
/// the records alone.
const OVERVIEW: &str = crate::store::OVERVIEW_KIND;

/// Reads the overview. `reference_date` is the day ages are counted on (the handover date, or today).
pub fn classification_summary(
    conn: &Connection,
    reference_date: NaiveDate,
) -> Result<ClassificationSummary> {
    let tally = Pass::read(conn, reference_date)?.tally(conn, None)?;
    summary_from(conn, &tally, reference_date)
}

/// The pass over the records, split with `second` (another connection to the same case) when there is one:
/// it reads every page of `records` (decrypting and authenticating each), which is most of the first opening
/// of a large case.
fn tally_on(
    conn: &Connection,
    second: Option<Connection>,
    reference_date: NaiveDate,
) -> Result<RecordTally> {
    let pass = Pass::read(conn, reference_date)?;
    Ok(match second {
        None => pass.tally(conn, None)?,
        Some(other) => {
            let (first, last): (Option<i64>, Option<i64>) =
                conn.query_row("SELECT min(id), max(id) FROM records", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let (first, last) = (first.unwrap_or(0), last.unwrap_or(0));
            let middle = first + (last - first) / 2;
            let (mut lower, upper) = std::thread::scope(|s| {
                let pass = &pass;
                let upper = s.spawn(move || pass.tally(&other, Some((middle + 1, i64::MAX))));
                let lower = pass.tally(conn, Some((i64::MIN, middle)));
                let upper = upper
                    .join()
                    .map_err(|_| crate::Error::Internal("counting the records stopped".into()));
                (lower, upper)
            });
            if let Ok(l) = lower.as_mut() {
                l.merge(upper??);
            }
            lower?
        }
    })
}

/// The overview from the tally of the records and the small tables beside them.
fn summary_from(
    conn: &Connection,
    tally: &RecordTally,
    reference_date: NaiveDate,
) -> Result<ClassificationSummary> {
    let count =
        |sql: &str| -> Result<u64> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    let customers = count("SELECT count(*) FROM customers")?;
    // Counted by the pass (a second scan of the records' smallest index took 0.15 s at five million).
    let records = tally.records;
    let free_text_findings = count("SELECT count(*) FROM text_findings")?;
    let records_with_free_text_findings =
        count("SELECT count(DISTINCT record_id) FROM text_findings")?;

    let mut pii: BTreeMap<String, KindCount> = BTreeMap::new();
    {
        let mut st = conn.prepare(
            "SELECT kind, sum(column_cells), sum(text_findings) FROM source_pii GROUP BY kind",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(0)?;
            let c = pii.entry(kind).or_default();
            c.column_cells = r.get::<_, i64>(1)? as u64;
            c.text_findings = r.get::<_, i64>(2)? as u64;
        }
    }
    // Balances, notes and the like also set bits (they decide categories), but `pii` lists only kinds of
    // personal information.
    for f in FieldType::ALL {
        let records = tally.records_per_field[crate::records::pii::slot(f)];
        if records > 0 && crate::detect::PiiKind::of_field(f).is_some() {
            pii.entry(f.id().to_string()).or_default().records = records;
        }
    }

    let style = mask_style(conn)?;
    // A child's ID in a note is listed as evidence for the owner and makes its record a minor's, in the plan
    // and here alike — also beside an adult's ID in the ID column (the record then holds a child's data).
    let (minors_in_notes, minors_in_notes_total, note_minors) =
        minors_in_notes(conn, reference_date, style)?;
    let mut classes = tally.classes.clone();
    for customer in note_minors {
        classes.update(customer, |c| c | class::MINOR);
    }
    let mut categories = CustomerCounts::default();
    let mut sensitive_customers = 0u64;
    let mut minor_customers = 0u64;
    for customer in 0..classes.end() {
        let c = classes.get(customer);
        let minor = c & class::MINOR != 0;
        categories.basic += u64::from(c & class::BASIC != 0);
        categories.transaction += u64::from(c & class::TRANSACTION != 0);
        categories.preference += u64::from(c & class::PREFERENCE != 0);
        // A minor counts as sensitive whatever else their records carry.
        sensitive_customers += u64::from(minor || c & class::SENSITIVE != 0);
        minor_customers += u64::from(minor);
    }
    categories.sensitive = sensitive_customers;
    categories.general = customers.saturating_sub(sensitive_customers);

    Ok(ClassificationSummary {
        customers,
        records,
        pii,
        categories,
        sensitive_customers,
        minors: minor_customers,
        free_text_findings,
        records_with_free_text_findings,
        reference_date,
        mask_style: style,
        columns: columns(conn)?,
        minors_in_notes,
        minors_in_notes_total,
    })
}

/// Per source with a column mapped as a birthday, the first such column (the plan reads the first).
struct BirthdayColumns(Vec<(i64, usize)>);

impl BirthdayColumns {
    fn read(conn: &Connection) -> Result<BirthdayColumns> {
        let columns = conn
            .prepare(
                "SELECT source_id, min(col_index) FROM source_columns WHERE field = 'birthday'
                 GROUP BY source_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(BirthdayColumns(columns))
    }

    fn of(&self, source: i64) -> Option<usize> {
        self.0.iter().find(|(s, _)| *s == source).map(|(_, c)| *c)
    }

    /// The SQL for a record's raw cells when its source has a birthday column, NULL otherwise: only the
    /// records of such sources pay for reading their cells. (Both are integers read from the case, so
    /// formatting them into the SQL is safe.)
    fn raw_sql(&self) -> String {
        if self.0.is_empty() {
            return "NULL".into();
        }
        let sources: Vec<String> = self.0.iter().map(|(s, _)| s.to_string()).collect();
        format!(
            "CASE WHEN source_id IN ({}) THEN raw END",
            sources.join(", ")
        )
    }
}

/// What every part of the pass over the records needs, read once.
struct Pass {
    birthdays: BirthdayColumns,
    reference_date: NaiveDate,
    /// The highest customer id: the per-customer vectors are sized to it once.
    last_customer: i64,
}

impl Pass {
    fn read(conn: &Connection, reference_date: NaiveDate) -> Result<Pass> {
        let last_customer: Option<i64> =
            conn.query_row("SELECT max(id) FROM customers", [], |r| r.get(0))?;
        Ok(Pass {
            birthdays: BirthdayColumns::read(conn)?,
            reference_date,
            last_customer: last_customer.unwrap_or(0),
        })
    }

    /// One pass over the records with ids in `ids` (all when `None`): per kind the records, per customer the
    /// union of their bits, and the customers under 14 by an ID number or a birthday.
    fn tally(&self, conn: &Connection, ids: Option<(i64, i64)>) -> Result<RecordTally> {
        let (birthdays, reference_date) = (&self.birthdays, self.reference_date);
        let mut tally = RecordTally::up_to(self.last_customer);
        let (from, to) = ids.unwrap_or((i64::MIN, i64::MAX));
        let mut st = conn.prepare(&format!(
            "SELECT customer_id, pii_mask, id_number, source_id, {}
             FROM records WHERE id BETWEEN ?1 AND ?2",
            birthdays.raw_sql()
        ))?;
        let mut rows = st.query([from, to])?;
        while let Some(r) = rows.next()? {
            let customer: Option<i64> = r.get(0)?;
            let mask = r.get::<_, i64>(1)? as u32;
            let by_id = || -> Result<bool> {
                Ok(r.get_ref(2)?
                    .as_str_or_null()
                    .ok()
                    .flatten()
                    .is_some_and(|id| minor_by_id_number(id, reference_date)))
            };
            let by_birthday = || -> Result<bool> {
                // As bytes: the parser checks the one cell it returns, so checking the whole row's UTF-8
                // first (what reading it as text does) is work twice.
                let Some(raw) = r.get_ref(4)?.as_bytes_or_null().ok().flatten() else {
                    return Ok(false);
                };
                let Some(col) = birthdays.of(r.get(3)?) else {
                    return Ok(false);
                };
                Ok(nth_raw_cell(raw, col)
                    .is_some_and(|cell| minor_by_birthday(&cell, reference_date)))
            };
            let minor = tally.needs_minor(customer) && (by_id()? || by_birthday()?);
            tally.add(customer, mask, minor);
        }
        Ok(tally)
    }
}

/// The `n`-th (0-based) of a record's raw cells (`records.raw`, a JSON array of strings), parsing only the
/// cells before it (each cell the pass over the records read through SQLite's `json_extract` turned the whole
/// array into SQLite's binary JSON first: a sixth of the first opening of a large case).
fn nth_raw_cell(raw: &[u8], n: usize) -> Option<String> {
    use serde::de::{IgnoredAny, SeqAccess, Visitor};
    struct Nth(usize);
    impl<'de> Visitor<'de> for Nth {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of cells")
        }
        fn visit_seq<A: SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            for _ in 0..self.0 {
                if seq.next_element::<IgnoredAny>()?.is_none() {
                    return Ok(None);
                }
            }
            let cell = seq.next_element::<String>()?;
            // The rest must be read too: the parser checks the array is closed.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(cell)
        }
    }
    serde::Deserializer::deserialize_seq(&mut serde_json::Deserializer::from_slice(raw), Nth(n))
        .ok()
        .flatten()
}

/// The records (with their customers) whose free text holds the ID number of a child under 14 on `on`
/// (Issue 16 point 7: an ID in a note counts like one in an ID column): shared by the overview and the plan.
pub fn records_with_a_minor_id_in_notes(
    conn: &Connection,
    on: NaiveDate,
) -> Result<std::collections::BTreeMap<i64, Option<i64>>> {
    let mut st = conn.prepare(
        "SELECT t.record_id, r.customer_id, r.raw, t.col_index, t.start, t.end
         FROM text_findings t JOIN records r ON r.id = t.record_id
         WHERE t.kind = 'id_card'",
    )?;
    let mut rows = st.query([])?;
    let mut out = std::collections::BTreeMap::new();
    while let Some(r) = rows.next()? {
        let record: i64 = r.get(0)?;
        if out.contains_key(&record) {
            continue;
        }
        let raw: String = r.get(2)?;
        let col = r.get::<_, i64>(3)? as usize;
        let (start, end) = (r.get::<_, i64>(4)? as usize, r.get::<_, i64>(5)? as usize);
        let cells = crate::records::ingest::raw_cells(&raw)?;
        let minor = cells
            .get(col)
            .and_then(|note| note.get(start..end))
            .is_some_and(|v| minor_by_id_number(v, on));
        if minor {
            out.insert(record, r.get::<_, Option<i64>>(1)?);
        }
    }
    Ok(out)
}

/// The notes whose ID number makes a customer under 14 on `on` (the records keep that ID as their ID number
/// when they have none in a column, which is how `minors` counts them), masked for showing.
fn minors_in_notes(
    conn: &Connection,
    on: NaiveDate,
    style: MaskStyle,
) -> Result<(Vec<NoteIdEvidence>, u64, Vec<i64>)> {
    let mut st = conn.prepare(
        "SELECT r.source_id, coalesce(s.file_name, s.label), r.row_number, r.raw, t.col_index, t.start, t.end,
                coalesce(c.header, ''), r.customer_id
         FROM text_findings t
         JOIN records r ON r.id = t.record_id
         JOIN sources s ON s.id = r.source_id
         LEFT JOIN source_columns c ON c.source_id = r.source_id AND c.col_index = t.col_index
         WHERE t.kind = 'id_card'
         ORDER BY t.record_id, t.col_index, t.start",
    )?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut customers = Vec::new();
    while let Some(r) = rows.next()? {
        let raw: String = r.get(3)?;
        let col = r.get::<_, i64>(4)? as usize;
        let (start, end) = (r.get::<_, i64>(5)? as usize, r.get::<_, i64>(6)? as usize);
        let cells = crate::records::ingest::raw_cells(&raw)?;
        let Some(note) = cells.get(col) else { continue };
        let Some(id) = note.get(start..end).and_then(|v| id_card::parse_on(v, on)) else {
            continue;
        };
        if !id.is_minor_on(on) {
            continue;
        }
        total += 1;
        if let Some(c) = r.get::<_, Option<i64>>(8)? {
            customers.push(c);
        }
        if out.len() < NOTE_EVIDENCE_LISTED {
            out.push(NoteIdEvidence {
                source_id: r.get(0)?,
                source_label: r.get(1)?,
                row: r.get::<_, i64>(2)? as u64,
                header: r.get(7)?,
                masked_note: crate::detect::mask::mask_text(note, style),
                age: id.age_on(on),
            });
        }
    }
    Ok((out, total, customers))
}

fn columns(conn: &Connection) -> Result<Vec<ColumnSummary>> {
    let mut st = conn.prepare(
        "SELECT c.source_id, coalesce(s.file_name, s.label), c.col_index, c.header, c.field,
                coalesce(p.column_cells, 0)
         FROM source_columns c
         JOIN sources s ON s.id = c.source_id
         LEFT JOIN source_pii p ON p.source_id = c.source_id AND p.kind = c.field
         ORDER BY c.source_id, c.col_index",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (source_id, source_label, col_index, header, field, cells) = row?;
        let field = FieldType::from_id(&field).unwrap_or(FieldType::Other);
        out.push(ColumnSummary {
            source_id,
            source_label,
            col_index: col_index as u32,
            header,
            field,
            field_label: String::new(),
            category: Category::of(field),
            sensitivity: Sensitivity::of(field),
            valid_cells: crate::detect::PiiKind::of_field(field).map(|_| cells as u64),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::nth_raw_cell;

    #[test]
    fn the_nth_raw_cell_is_read_as_stored() {
        let raw =
            serde_json::to_string(&["张三", "a \"quoted\"\\ cell", "", "2015-03-01"]).unwrap();
        let raw = raw.as_bytes();
        assert_eq!(nth_raw_cell(raw, 0).as_deref(), Some("张三"));
        assert_eq!(nth_raw_cell(raw, 1).as_deref(), Some("a \"quoted\"\\ cell"));
        assert_eq!(nth_raw_cell(raw, 2).as_deref(), Some(""));
        assert_eq!(nth_raw_cell(raw, 3).as_deref(), Some("2015-03-01"));
        assert_eq!(nth_raw_cell(raw, 4), None, "a row shorter than its header");
        assert_eq!(nth_raw_cell(b"[1, \"a\"]", 0), None, "not a cell");
        assert_eq!(nth_raw_cell(b"not json", 0), None);
    }
}
