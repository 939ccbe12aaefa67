//! Column mappings remembered per layout, so the same export imported again needs no new mapping.
//!
//! A layout is identified by its header row, normalised (trimmed, case-folded): the same POS exporting
//! next month's list produces the same key even when the file name changes.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::field::FieldType;
use crate::Result;

/// The key of a layout: a hash of its normalised header names, in order.
pub fn layout_key(headers: &[String]) -> String {
    let mut h = Sha256::new();
    for name in headers {
        h.update(name.trim().to_lowercase().as_bytes());
        h.update([0x1f]);
    }
    hex::encode(&h.finalize()[..16])
}

/// The mapping the owner last confirmed for this layout, if any (and if it still fits the column count).
pub fn remembered(conn: &Connection, headers: &[String]) -> Result<Option<Vec<FieldType>>> {
    let fields: Option<String> = conn
        .query_row(
            "SELECT fields FROM remembered_mappings WHERE layout_key = ?1",
            [layout_key(headers)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(fields) = fields else {
        return Ok(None);
    };
    let ids: Vec<String> = serde_json::from_str(&fields).unwrap_or_default();
    let parsed: Option<Vec<FieldType>> = ids.iter().map(|id| FieldType::from_id(id)).collect();
    Ok(parsed.filter(|f| f.len() == headers.len()))
}

/// Remembers the mapping used for this layout, stamped `now` (the change's timestamp). Called inside the
/// import's transaction, or a correction's.
pub fn remember(
    conn: &Connection,
    headers: &[String],
    fields: &[FieldType],
    now: &str,
) -> Result<()> {
    let ids: Vec<&str> = fields.iter().map(|f| f.id()).collect();
    conn.execute(
        "INSERT INTO remembered_mappings (layout_key, fields, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (layout_key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
        params![
            layout_key(headers),
            serde_json::to_string(&ids)?,
            now
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_per_layout_regardless_of_case_and_spaces() {
        let mut c = Connection::open_in_memory().unwrap();
        crate::store::migrations::migrations()
            .to_latest(&mut c)
            .unwrap();
        let headers = vec![
            "姓名".to_string(),
            " 手机 ".to_string(),
            "Notes".to_string(),
        ];
        assert_eq!(remembered(&c, &headers).unwrap(), None);
        let fields = vec![FieldType::Name, FieldType::Mobile, FieldType::Other];
        remember(&c, &headers, &fields, "2026-12-01T00:00:00.000Z").unwrap();
        let same = vec!["姓名".to_string(), "手机".to_string(), "notes".to_string()];
        assert_eq!(remembered(&c, &same).unwrap(), Some(fields));
        let other = vec!["姓名".to_string(), "电话".to_string(), "notes".to_string()];
        assert_eq!(remembered(&c, &other).unwrap(), None);
    }
}
