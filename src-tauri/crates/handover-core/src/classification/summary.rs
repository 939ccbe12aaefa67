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
}

/// What personal information the case holds. Minors are counted on the handover date, or today while none
/// is set. (The classification reads the store, never the other way round.)
pub fn case_summary(case: &Case) -> Result<ClassificationSummary> {
    case.read(|conn| {
        let on = read_details(conn)?
            .handover_date
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        classification_summary(conn, on)
    })
}

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

    // One pass over the records' bit masks: per kind the records, per customer the union of their bits.
    // Integers only, so a million records take a fraction of a second.
    let mut per_customer: BTreeMap<i64, i64> = BTreeMap::new();
    let mut records_per_field = [0u64; FieldType::ALL.len()];
    {
        let mut st =
            conn.prepare("SELECT customer_id, pii_mask FROM records WHERE pii_mask != 0")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let customer: Option<i64> = r.get(0)?;
            let mask: i64 = r.get(1)?;
            for (i, f) in FieldType::ALL.iter().enumerate() {
                if mask_has(mask, *f) {
                    records_per_field[i] += 1;
                }
            }
            if let Some(c) = customer {
                *per_customer.entry(c).or_default() |= mask;
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

    let minor_ids = minors(conn, reference_date)?;
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
        mask_style: mask_style(conn)?,
        columns: columns(conn)?,
    })
}

/// Customers whose ID number makes them younger than 14 on `on`. An ID number on any of a customer's
/// records counts: the customer record keeps only the first one seen.
fn minors(conn: &Connection, on: NaiveDate) -> Result<std::collections::BTreeSet<i64>> {
    let mut out = std::collections::BTreeSet::new();
    let mut st = conn.prepare(
        "SELECT DISTINCT customer_id, id_number FROM records
         WHERE id_number IS NOT NULL AND customer_id IS NOT NULL",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let customer: i64 = r.get(0)?;
        let id: String = r.get(1)?;
        if id_card::parse_on(&id, on).is_some_and(|c| c.is_minor_on(on)) {
            out.insert(customer);
        }
    }
    Ok(out)
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
