//! The receipt (签收单) as the documents crate prints it: [`ReceiptDocument`], read from a case made by
//! receiving a package — both parties, the package's file, size, SHA-256 and times, the counts, the prepaid
//! total exact to the fen, and per source the records and the fields handed over (named in the document's
//! language). Parties and counts only: no customer's data. The words are the templates'
//! (`assets/documents/receipt.*.toml`).

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::manifest::Party;
use super::receive::receipt;
use crate::error::Result;
use crate::field::FieldType;
use crate::i18n::{Label, Lang};
use crate::store::Case;

#[derive(Debug, Clone, Serialize)]
pub struct ReceiptDocument {
    /// `zh-CN` or `en`.
    pub lang: String,
    /// The recipient's own case.
    pub case_id: String,
    pub seller: Party,
    pub seller_case_id: String,
    pub recipient: Party,
    /// Empty when the seller's case named no date.
    pub handover_date: String,
    pub received_at: String,
    pub package: PackageFigures,
    pub counts: ReceiptCounts,
    /// Exact to the fen, e.g. `1234.50`.
    pub prepaid_total: String,
    pub sources: Vec<ReceiptSource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackageFigures {
    pub file: String,
    pub size: u64,
    pub format_version: u32,
    pub created_at: String,
    pub sha256: String,
    /// The first 16 hex digits, for the page header.
    pub sha256_short: String,
    /// The seller's audit log as the package was made: "57 entries, last hash …" (a dash for a package of
    /// an earlier version, which did not carry it). On paper both sides sign, so a later rewrite of the
    /// seller's log contradicts it.
    pub seller_audit: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReceiptCounts {
    pub customers: u64,
    pub records: u64,
    pub evidence: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReceiptSource {
    pub label: String,
    pub records: u64,
    /// The fields handed over, named in the document's language, joined by the list separator.
    pub fields: String,
}

/// The receipt of a received case in `lang`; `None` for a case that was not made by receiving a package.
pub fn receipt_document(case: &Case, lang: Lang) -> Result<Option<ReceiptDocument>> {
    let Some(r) = receipt(case)? else {
        return Ok(None);
    };
    case.read(|conn| {
        let case_id: String =
            conn.query_row("SELECT case_id FROM case_meta WHERE id = 1", [], |x| {
                x.get(0)
            })?;
        let (size, audit_entries, audit_head): (Option<i64>, Option<i64>, Option<String>) = conn
            .query_row(
                "SELECT json_extract(detail, '$.package_size'),
                        json_extract(detail, '$.seller_audit.entries'),
                        json_extract(detail, '$.seller_audit.head_hash')
                 FROM audit_log WHERE action = 'package.receive' ORDER BY seq LIMIT 1",
                [],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)),
            )
            .optional()?
            .unwrap_or_default();
        let seller_audit = match (audit_entries, audit_head) {
            (Some(n), Some(head)) => match lang {
                Lang::ZhCn => format!("共 {n} 条，最后一条的哈希 {head}"),
                Lang::En => format!("{n} entries, last entry's hash {head}"),
            },
            _ => "—".to_string(),
        };
        let mut sources = Vec::new();
        let mut stmt = conn.prepare("SELECT id, label, rows_imported FROM sources ORDER BY id")?;
        let mut cols = conn
            .prepare("SELECT field FROM source_columns WHERE source_id = ?1 ORDER BY col_index")?;
        let rows = stmt
            .query_map([], |x| {
                Ok((
                    x.get::<_, i64>(0)?,
                    x.get::<_, String>(1)?,
                    x.get::<_, Option<i64>>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, label, n) in rows {
            let fields: Vec<String> = cols
                .query_map([id], |x| x.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .iter()
                .filter_map(|f| FieldType::from_id(f))
                .map(|f| f.label(lang).to_string())
                .collect();
            sources.push(ReceiptSource {
                label,
                records: n.unwrap_or(0).max(0) as u64,
                fields: fields.join(lang.pick("、", ", ")),
            });
        }
        Ok(Some(ReceiptDocument {
            lang: lang.pick("zh-CN", "en").into(),
            case_id,
            seller: r.seller.clone(),
            seller_case_id: r.seller_case_id.clone(),
            recipient: r.recipient.clone(),
            handover_date: r.handover_date.clone().unwrap_or_default(),
            received_at: r.received_at.clone(),
            package: PackageFigures {
                file: r.package_file.clone(),
                size: size.unwrap_or(0).max(0) as u64,
                format_version: r.format_version,
                created_at: r.package_created_at.clone(),
                sha256: r.package_sha256.clone(),
                sha256_short: r.package_sha256.chars().take(16).collect(),
                seller_audit,
            },
            counts: ReceiptCounts {
                customers: r.customers,
                records: r.records,
                evidence: r.evidence,
            },
            prepaid_total: r.prepaid_total.clone(),
            sources,
        }))
    })
}
