//! One imported column opened for review: its field, how sure the classifier is and why, and a few of its
//! values, masked.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::detect::category::{Category, Sensitivity};
use crate::detect::classify;
use crate::detect::mask::{self, MaskStyle};
use crate::field::FieldType;
use crate::{Error, Result};

/// How many of the source's first rows are read to judge a column: enough for a steady share, few enough
/// to open instantly on a million-row source.
const SAMPLE_ROWS: i64 = 2000;
/// How many values the screen shows.
const SHOWN: usize = 8;

/// One value of the column, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnSample {
    /// The row number in the file.
    pub row: u64,
    /// The value, masked with the case's style.
    pub masked: String,
    /// Whether the value is valid for the column's current field.
    pub valid: bool,
}

/// A column opened on the review screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ColumnReview {
    pub source_id: i64,
    pub col_index: u32,
    pub header: String,
    pub field: FieldType,
    pub category: Category,
    pub sensitivity: Sensitivity,
    /// What the classifier would choose from the header and the sampled values, and why.
    pub suggested: FieldType,
    pub confidence: f32,
    pub evidence: String,
    // What `evidence` is worded from, by the edge (`crate::i18n::Localize`); `evidence` is empty until then.
    #[serde(skip)]
    #[ts(skip)]
    pub suggestion_evidence: Option<classify::Evidence>,
    /// Non-empty values sampled, and how many are valid for `field`.
    pub sampled: u32,
    pub valid: u32,
    pub samples: Vec<ColumnSample>,
    pub mask_style: MaskStyle,
}

pub fn column_review(conn: &Connection, source_id: i64, col_index: u32) -> Result<ColumnReview> {
    let (header, field): (String, String) = conn
        .query_row(
            "SELECT header, field FROM source_columns WHERE source_id = ?1 AND col_index = ?2",
            params![source_id, col_index],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => {
                Error::Internal(format!("no column {col_index} in source {source_id}"))
            }
            e => e.into(),
        })?;
    let field = FieldType::from_id(&field).unwrap_or(FieldType::Other);
    let style = super::settings::mask_style(conn)?;

    let mut st = conn.prepare(
        "SELECT row_number, raw FROM records WHERE source_id = ?1 ORDER BY row_number LIMIT ?2",
    )?;
    let mut rows = st.query(params![source_id, SAMPLE_ROWS])?;
    let mut values: Vec<(u64, String)> = Vec::new();
    while let Some(r) = rows.next()? {
        let row: i64 = r.get(0)?;
        let raw: String = r.get(1)?;
        let mut cells = crate::records::ingest::raw_cells(&raw)?;
        if (col_index as usize) < cells.len() {
            let v = std::mem::take(&mut cells[col_index as usize]);
            if !v.trim().is_empty() {
                values.push((row as u64, v));
            }
        }
    }
    let refs: Vec<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
    let guess = classify::classify_column(&header, &refs);
    let valid_flags: Vec<bool> = refs
        .iter()
        .map(|v| classify::value_matches(field, v))
        .collect();
    let samples = values
        .iter()
        .zip(&valid_flags)
        .take(SHOWN)
        .map(|((row, v), valid)| ColumnSample {
            row: *row,
            masked: mask::mask(field, v, style),
            valid: *valid,
        })
        .collect();
    Ok(ColumnReview {
        source_id,
        col_index,
        header,
        field,
        category: Category::of(field),
        sensitivity: Sensitivity::of(field),
        suggested: guess.field,
        confidence: guess.confidence,
        evidence: String::new(),
        suggestion_evidence: Some(guess.evidence),
        sampled: refs.len() as u32,
        valid: valid_flags.iter().filter(|v| **v).count() as u32,
        samples,
        mask_style: style,
    })
}
