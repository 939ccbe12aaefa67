//! Correcting a column's field after the import: every record of the source is derived again from its
//! original cells (normalised values, problems, personal information, customer links), in one
//! transaction, and the correction is audited. The original cells never change.

use std::collections::HashSet;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::customers::{CustomerLinker, CustomerWriter};
use super::ingest::{self, IngestRow};
use super::normalise::CellProblem;
use super::{mapping, pii};
use crate::field::FieldType;
use crate::store::{Actor, Case, Writer};
use crate::{Error, Lang, Result};

/// Records re-derived per batch: the batch is read first, then written, so no statement reads the table
/// while it is being updated.
const BATCH: i64 = 5000;

/// What a correction changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reclassified {
    pub source_id: i64,
    pub col_index: u32,
    pub from: FieldType,
    pub to: FieldType,
    /// Records derived again.
    pub records: u64,
    /// Records of the source flagged after the correction.
    pub rows_flagged: u64,
}

/// Corrects the field of a source's column (0-based `col_index`) and derives every record of the source
/// again. Audited (`classification.correct`); the plan is marked stale.
pub fn reclassify_column(
    case: &Case,
    source_id: i64,
    col_index: u32,
    field: FieldType,
    actor: &Actor,
    lang: Lang,
) -> Result<Reclassified> {
    case.write(actor, |w| {
        reclassify_in(w, source_id, col_index, field, lang)
    })
}

fn reclassify_in(
    tx: &Writer<'_>,
    source_id: i64,
    col_index: u32,
    field: FieldType,
    lang: Lang,
) -> Result<Reclassified> {
    let (headers, mut fields) = columns_of(tx, source_id)?;
    let c = col_index as usize;
    if c >= fields.len() {
        return Err(Error::Internal(format!(
            "no column {col_index} in source {source_id}"
        )));
    }
    let from = fields[c];
    let mut result = Reclassified {
        source_id,
        col_index,
        from,
        to: field,
        records: 0,
        rows_flagged: 0,
    };
    if from == field {
        return Ok(result);
    }
    fields[c] = field;
    tx.execute(
        "UPDATE source_columns SET field = ?3 WHERE source_id = ?1 AND col_index = ?2",
        params![source_id, col_index, field.id()],
    )?;
    // The next file with this layout is read the corrected way too.
    mapping::remember(tx, &headers, &fields, tx.now())?;

    // What normalisation and detection found is derived again; what the reader found (ragged rows,
    // undecodable bytes) is about the file, not the mapping, and stays.
    let cell_kinds = CellProblem::ALL
        .iter()
        .map(|p| format!("'{}'", p.id()))
        .collect::<Vec<_>>()
        .join(",");
    tx.execute(
        &format!("DELETE FROM import_problems WHERE source_id = ?1 AND severity = 'flagged' AND kind IN ({cell_kinds})"),
        [source_id],
    )?;
    let reader_flagged: HashSet<i64> = {
        let mut st = tx.prepare("SELECT DISTINCT row_number FROM import_problems WHERE source_id = ?1 AND severity = 'flagged'")?;
        let rows = st.query_map([source_id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    tx.execute(
        "DELETE FROM text_findings WHERE record_id IN (SELECT id FROM records WHERE source_id = ?1)",
        [source_id],
    )?;
    tx.execute("DELETE FROM source_pii WHERE source_id = ?1", [source_id])?;

    let column_of = |f: FieldType| fields.iter().position(|x| *x == f);
    let (name_col, mobile_col, id_col, balance_col, activity_col) = (
        ingest::name_column(&fields),
        column_of(FieldType::Mobile),
        column_of(FieldType::IdCard),
        column_of(FieldType::PrepaidBalance),
        ingest::activity_column(&fields),
    );
    let mut linker = CustomerLinker::load(tx)?;
    let mut customer_writer = CustomerWriter::new(tx)?;
    let mut column_cells = [0u64; pii::KINDS];
    let mut text_findings = [0u64; pii::KINDS];
    let mut read = tx.prepare(
        "SELECT id, row_number, raw FROM records WHERE source_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let mut update = tx.prepare(
        "UPDATE records SET customer_id = ?2, flagged = ?3, name = ?4, mobile = ?5, id_number = ?6,
                            balance = ?7, last_activity = ?8, pii_mask = ?9
         WHERE id = ?1",
    )?;
    let mut insert_problem = tx.prepare(
        "INSERT INTO import_problems (source_id, row_number, col_index, severity, kind, detail, raw)
         VALUES (?1, ?2, ?3, 'flagged', ?4, ?5, NULL)",
    )?;
    let mut insert_finding = tx.prepare(
        "INSERT INTO text_findings (record_id, col_index, kind, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut after = 0i64;
    loop {
        let batch: Vec<(i64, i64, String)> = read
            .query_map(params![source_id, after, BATCH], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        for (id, row_number, raw) in batch {
            let cells = ingest::raw_cells(&raw)?;
            let row = ingest::prepare(
                &fields,
                lang,
                IngestRow {
                    row_number: row_number as u64,
                    cells,
                    problems: Vec::new(),
                    rejected: false,
                },
            )?;
            let (name, mobile, id_number) = (
                row.value(name_col),
                row.value(mobile_col),
                row.value(id_col),
            );
            let link = linker.decide(mobile, id_number)?;
            customer_writer.apply(&link, mobile, id_number, name)?;
            let flagged = !row.problems.is_empty() || reader_flagged.contains(&row_number);
            update.execute(params![
                id,
                link.customer_id,
                flagged,
                name,
                mobile,
                id_number.or(row.pii.text_id_number.as_deref()),
                row.value(balance_col),
                row.value(activity_col),
                row.pii.mask,
            ])?;
            for p in &row.problems {
                insert_problem.execute(params![
                    source_id,
                    row_number,
                    p.column.map(|c| c as i64),
                    p.kind,
                    p.detail
                ])?;
            }
            for (total, n) in column_cells.iter_mut().zip(row.pii.column_cells) {
                *total += u64::from(n);
            }
            for f in &row.pii.findings {
                text_findings[pii::slot(f.kind)] += 1;
                insert_finding.execute(params![
                    id,
                    f.col as i64,
                    f.kind.id(),
                    f.start as i64,
                    f.end as i64
                ])?;
            }
            result.records += 1;
            result.rows_flagged += flagged as u64;
        }
    }
    drop((
        read,
        update,
        insert_problem,
        insert_finding,
        customer_writer,
    ));
    linker.finish(tx)?;
    ingest::write_source_pii(tx, source_id, &fields, &column_cells, &text_findings)?;
    // A customer whose every record now links elsewhere is no longer anyone's, unless something the owner
    // recorded about them (what they said, an override) still names them: that is never thrown away.
    const NOBODYS: &str = "NOT EXISTS (SELECT 1 FROM records r WHERE r.customer_id = customers.id)
           AND NOT EXISTS (SELECT 1 FROM customer_status s WHERE s.customer_id = customers.id)
           AND NOT EXISTS (SELECT 1 FROM rule_overrides o WHERE o.customer_id = customers.id)";
    tx.execute(
        &format!("DELETE FROM customer_keys WHERE customer_id IN (SELECT id FROM customers WHERE {NOBODYS})"),
        [],
    )?;
    tx.execute(&format!("DELETE FROM customers WHERE {NOBODYS}"), [])?;
    // The plan was computed from the old reading of the column.
    tx.execute("UPDATE plan_meta SET stale = 1 WHERE id = 1", [])?;
    tx.execute(
        "UPDATE sources SET rows_flagged = ?2 WHERE id = ?1",
        params![source_id, result.rows_flagged as i64],
    )?;
    tx.audit(
        "classification.correct",
        serde_json::json!({
            "source_id": source_id,
            "column": col_index + 1,
            "header": headers[c],
            "from": from.id(),
            "to": field.id(),
            "records": result.records,
        }),
    )?;
    Ok(result)
}

fn columns_of(conn: &Connection, source_id: i64) -> Result<(Vec<String>, Vec<FieldType>)> {
    let mut st = conn.prepare(
        "SELECT header, field FROM source_columns WHERE source_id = ?1 ORDER BY col_index",
    )?;
    let rows = st.query_map([source_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut headers = Vec::new();
    let mut fields = Vec::new();
    for r in rows {
        let (h, f) = r?;
        headers.push(h);
        fields.push(FieldType::from_id(&f).unwrap_or(FieldType::Other));
    }
    if headers.is_empty() {
        return Err(Error::Internal(format!(
            "source {source_id} has no columns"
        )));
    }
    Ok((headers, fields))
}
