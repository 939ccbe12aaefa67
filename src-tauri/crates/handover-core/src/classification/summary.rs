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
use crate::field::FieldType;
use crate::store::{read_details, Case};
use crate::Result;

/// Whether a record's `pii_mask` says it carries `field`.
fn mask_has(mask: i64, field: FieldType) -> bool {
    mask & i64::from(field.bit()) != 0
}

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
/// Kept in the case until the next change (a million-row case takes a pass over every record, 1.3 s), so
/// opening a case to its overview does not read every record again.
pub fn case_summary(case: &Case) -> Result<ClassificationSummary> {
    let (on, version) = case.read(|conn| {
        let on = read_details(conn)?
            .handover_date
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        Ok((on, case.data_version()?))
    })?;
    // The build is part of the key: another version of the app may count differently.
    let key = format!("{}|{on}", env!("CARGO_PKG_VERSION"));
    if let Some(kept) = case.derived(OVERVIEW, &key) {
        if let Ok(summary) = serde_json::from_str::<ClassificationSummary>(&kept) {
            return Ok(summary);
        }
    }
    let summary = case.read(|conn| classification_summary(conn, on))?;
    if let Ok(json) = serde_json::to_string(&summary) {
        case.keep_derived(OVERVIEW, &key, &json, version);
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
    let count =
        |sql: &str| -> Result<u64> { Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
    let customers = count("SELECT count(*) FROM customers")?;
    let records = count("SELECT count(*) FROM records")?;
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

    // One pass over the records: per kind the records, per customer the union of their bits, and the
    // customers under 14 by an ID number or a birthday (a pass each was most of `handover status`'s time on
    // a million rows; the records are read once now).
    let mut per_customer: BTreeMap<i64, i64> = BTreeMap::new();
    let mut records_per_field = [0u64; FieldType::ALL.len()];
    let mut minor_ids = std::collections::BTreeSet::new();
    {
        let birthday = birthday_cell_sql(conn)?;
        let mut st = conn.prepare(&format!(
            "SELECT customer_id, pii_mask, id_number, {birthday} FROM records"
        ))?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let customer: Option<i64> = r.get(0)?;
            let mask: i64 = r.get(1)?;
            for (i, f) in FieldType::ALL.iter().enumerate() {
                if mask_has(mask, *f) {
                    records_per_field[i] += 1;
                }
            }
            let Some(c) = customer else { continue };
            if mask != 0 {
                *per_customer.entry(c).or_default() |= mask;
            }
            if minor_ids.contains(&c) {
                continue;
            }
            let by_id = r
                .get_ref(2)?
                .as_str_or_null()
                .ok()
                .flatten()
                .is_some_and(|id| minor_by_id_number(id, reference_date));
            let by_birthday = || -> bool {
                r.get_ref(3)
                    .ok()
                    .and_then(|v| v.as_str_or_null().ok().flatten())
                    .is_some_and(|cell| minor_by_birthday(cell, reference_date))
            };
            if by_id || by_birthday() {
                minor_ids.insert(c);
            }
        }
    }
    // Balances, notes and the like also set bits (they decide categories), but `pii` lists only kinds of
    // personal information.
    for (i, f) in FieldType::ALL.iter().enumerate() {
        if records_per_field[i] > 0 && crate::detect::PiiKind::of_field(*f).is_some() {
            pii.entry(f.id().to_string()).or_default().records = records_per_field[i];
        }
    }

    let style = mask_style(conn)?;
    // A child's ID in a note is listed as evidence for the owner and makes its record a minor's, in the plan
    // and here alike — also beside an adult's ID in the ID column (the record then holds a child's data).
    let (minors_in_notes, minors_in_notes_total, _) = minors_in_notes(conn, reference_date, style)?;
    minor_ids.extend(
        records_with_a_minor_id_in_notes(conn, reference_date)?
            .into_values()
            .flatten(),
    );
    let mut categories = CustomerCounts::default();
    let mut sensitive_customers = 0u64;
    for (customer, mask) in &per_customer {
        let has = |c: Category| {
            FieldType::ALL
                .iter()
                .any(|f| Category::of(*f) == c && mask_has(*mask, *f))
        };
        let basic = has(Category::Basic);
        let transaction = has(Category::Transaction);
        let preference = has(Category::Preference);
        categories.basic += basic as u64;
        categories.transaction += transaction as u64;
        categories.preference += preference as u64;
        let sensitive = minor_ids.contains(customer)
            || FieldType::ALL
                .iter()
                .any(|f| Sensitivity::of(*f) == Sensitivity::Sensitive && mask_has(*mask, *f));
        if sensitive {
            sensitive_customers += 1;
        }
    }
    // A minor whose records carry no other bit still counts as sensitive.
    sensitive_customers += minor_ids
        .iter()
        .filter(|c| !per_customer.contains_key(c))
        .count() as u64;
    categories.sensitive = sensitive_customers;
    categories.general = customers.saturating_sub(sensitive_customers);

    Ok(ClassificationSummary {
        customers,
        records,
        pii,
        categories,
        sensitive_customers,
        minors: minor_ids.len() as u64,
        free_text_findings,
        records_with_free_text_findings,
        reference_date,
        mask_style: style,
        columns: columns(conn)?,
        minors_in_notes,
        minors_in_notes_total,
    })
}

/// Under 14 on `on` by an ID number (PIPL Art. 31): the one test the overview (`handover status`) and the
/// plan share, so they agree on who is a minor.
pub fn minor_by_id_number(id: &str, on: NaiveDate) -> bool {
    id_card::parse_on(id, on).is_some_and(|c| c.is_minor_on(on))
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

/// Under 14 on `on` by a birthday cell as written (a date, with or without a time; not after `on`): shared
/// by the overview and the plan. Only a column mapped as a birthday is read so: a document date (开票日期,
/// 凭证日期) never is.
pub fn minor_by_birthday(raw: &str, on: NaiveDate) -> bool {
    let raw = raw.trim();
    if raw.is_empty() {
        return false;
    }
    let birth = crate::import::normalize::date(raw)
        .ok()
        .map(|d| d.date())
        .or_else(|| {
            let day = raw.split([' ', 'T']).next().unwrap_or("");
            ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        });
    birth.is_some_and(|b| b <= on && id_card::under_fourteen_on(b, on))
}

/// The SQL expression for a record's birthday cell: the first column mapped as a birthday in its source
/// (the plan reads the first), NULL for sources without one. Sources are few, so it is a `CASE` on the
/// source; only records of such sources pay for reading their cell.
fn birthday_cell_sql(conn: &Connection) -> Result<String> {
    let birthday_columns: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT source_id, min(col_index) FROM source_columns WHERE field = 'birthday'
             GROUP BY source_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if birthday_columns.is_empty() {
        return Ok("NULL".into());
    }
    let mut sql = String::from("CASE source_id");
    for (source, col) in birthday_columns {
        // Both are integers read from the case, so formatting them into the SQL is safe.
        sql.push_str(&format!(
            " WHEN {source} THEN json_extract(raw, '$[{col}]')"
        ));
    }
    sql.push_str(" END");
    Ok(sql)
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
