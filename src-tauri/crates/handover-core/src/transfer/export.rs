//! What goes into the recipient's package, read from the seller's case and handed to a [`PartSink`] part by
//! part (the package crate turns the parts into the encrypted file). Exactly the records whose plan outcome
//! is transfer; of each, only the fields the minimisation kept (a stripped field is absent, not blank); each
//! customer's consent and notice status; prepaid balances as exact decimals; the signed agreement if it is
//! attached. Rows are streamed in parts of at most [`PART_BYTES`], so memory stays flat on a million rows.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use rust_decimal::Decimal;

use super::error::PackageError;
use super::manifest::{
    AuditAnchor, ColumnLine, CustomerLine, EvidenceEntry, Manifest, Party, RecordLine, RuleApplied,
    SourceLine, FORMAT, FORMAT_VERSION,
};
use crate::audit::Actor;
use crate::error::{Error, Result};
use crate::field::FieldType;
use crate::rules::plan;
use crate::rules::prepaid::{money_string, parse_balance};
use crate::rules::rulebook;
use crate::rules::status::source_kinds;
use crate::store::Case;

/// A JSON Lines part is closed and a new one begun past this many bytes.
pub const PART_BYTES: usize = 4 << 20;

/// Where the parts go: the package crate hashes, counts and encrypts them. Called once per part, in the
/// order they belong in the package: `sources.jsonl`, the `customers-N.jsonl` parts, the `records-N.jsonl`
/// parts, then `evidence-N` parts.
pub trait PartSink {
    fn part(&mut self, name: &str, rows: u64, bytes: &[u8]) -> Result<()>;
}

/// Refuses an export the seller's case is not ready for: an import waiting for the owner, no plan or an out
/// of date one, nothing to transfer.
pub fn check_ready(case: &Case) -> Result<()> {
    if case.import_pending() {
        return Err(Error::ImportPending);
    }
    case.read(|conn| ready_summary(conn).map(|_| ()))
}

fn ready_summary(conn: &Connection) -> Result<plan::PlanSummary> {
    let summary = plan::current(conn, rulebook())?;
    let transfers = summary
        .outcomes
        .iter()
        .find(|o| o.outcome == crate::rules::Outcome::Transfer)
        .map_or(0, |o| o.count);
    if transfers == 0 {
        return Err(PackageError::NothingToTransfer.into());
    }
    // The exposure check: nothing leaves while any record would leave without a lawful basis.
    if summary.exposure.blocks_transfer {
        return Err(PackageError::WithoutBasis {
            records: summary.exposure.records_without_basis,
        }
        .into());
    }
    Ok(summary)
}

/// Writes every part into `sink` and returns the manifest without its `parts` (the sink knows their sizes
/// and hashes). Reads only; the export is recorded with [`record_export`] once the file is complete.
pub fn export(case: &Case, sink: &mut dyn PartSink) -> Result<Manifest> {
    if case.import_pending() {
        return Err(Error::ImportPending);
    }
    let details = case.details()?;
    case.read(|conn| {
        let summary = ready_summary(conn)?;
        let needed: Vec<FieldType> = summary.minimisation.fields.clone();
        let case_id: String =
            conn.query_row("SELECT case_id FROM case_meta WHERE id = 1", [], |r| r.get(0))?;

        // Sources holding transferred records, with their kept columns.
        let kinds: HashMap<i64, String> = source_kinds(conn)?
            .into_iter()
            .map(|k| (k.source_id, k.kind.id().to_string()))
            .collect();
        let mut sources: HashMap<i64, SourceInfo> = HashMap::new();
        let mut source_lines = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT s.id, s.label, s.file_name FROM sources s WHERE EXISTS (
                    SELECT 1 FROM records r JOIN plan p ON p.record_id = r.id
                    WHERE r.source_id = s.id AND p.outcome = 'transfer') ORDER BY s.id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut cols = conn.prepare(
                "SELECT col_index, header, field FROM source_columns WHERE source_id = ?1 ORDER BY col_index",
            )?;
            for (index, (id, label, file_name)) in rows.into_iter().enumerate() {
                let mut kept = Vec::new();
                let mut columns = Vec::new();
                for c in cols.query_map([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })? {
                    let (col, header, field) = c?;
                    let Some(field) = FieldType::from_id(&field) else {
                        continue;
                    };
                    if needed.contains(&field) {
                        kept.push((col as usize, field));
                        columns.push(ColumnLine {
                            header,
                            field: field.id().to_string(),
                        });
                    }
                }
                let info = SourceInfo {
                    index: index as u32,
                    kept,
                    kind: kinds.get(&id).cloned().unwrap_or_else(|| "unknown".into()),
                };
                source_lines.push(SourceLine {
                    index: info.index,
                    label,
                    file_name,
                    columns,
                });
                sources.insert(id, info);
            }
        }
        let mut bytes = Vec::new();
        for line in &source_lines {
            serde_json::to_writer(&mut bytes, line)?;
            bytes.push(b'\n');
        }
        sink.part("sources.jsonl", source_lines.len() as u64, &bytes)?;

        // Customers with at least one transferred record, and what they said.
        let mut customers_sent = 0u64;
        {
            let mut parts = JsonLines::new("customers");
            let mut stmt = conn.prepare(
                "SELECT c.id, s.consent, s.guardian_consent, s.objection, s.deletion_request, s.refunded,
                        COALESCE(d.status, s.notice)
                 FROM customers c LEFT JOIN customer_status s ON s.customer_id = c.id
                 LEFT JOIN notice_delivery d ON d.customer_id = c.id
                 WHERE EXISTS (SELECT 1 FROM plan p WHERE p.customer_id = c.id AND p.outcome = 'transfer')
                 ORDER BY c.id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let line = CustomerLine {
                    id: r.get(0)?,
                    consent: r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "unknown".into()),
                    guardian_consent: r
                        .get::<_, Option<String>>(2)?
                        .unwrap_or_else(|| "unknown".into()),
                    objection: r.get::<_, Option<i64>>(3)? == Some(1),
                    deletion_request: r.get::<_, Option<i64>>(4)? == Some(1),
                    refunded: r.get::<_, Option<i64>>(5)? == Some(1),
                    // Whether the seller's notice reached the customer (`sent` / `failed`), as the notices
                    // step recorded it.
                    notice: r.get(6)?,
                };
                parts.push(&line, sink)?;
                customers_sent += 1;
            }
            parts.finish(sink)?;
        }

        // The transferred records, kept fields only.
        let mut records_sent = 0u64;
        let mut total = Decimal::ZERO;
        let mut categories: BTreeMap<String, u64> = BTreeMap::new();
        let mut rules: HashMap<String, u64> = HashMap::new();
        {
            let mut parts = JsonLines::new("records");
            let mut stmt = conn.prepare(
                "SELECT p.record_id, r.source_id, r.row_number, r.customer_id, r.raw, r.name, r.mobile,
                        r.id_number, r.balance, r.last_activity, p.stripped_fields, p.rules
                 FROM plan p JOIN records r ON r.id = p.record_id
                 WHERE p.outcome = 'transfer' ORDER BY p.record_id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let source_id: i64 = r.get(1)?;
                let Some(source) = sources.get(&source_id) else {
                    return Err(Error::Internal(format!("source {source_id} not listed")));
                };
                let stripped: String = r.get(10)?;
                let stripped: Vec<FieldType> =
                    stripped.split(',').filter_map(FieldType::from_id).collect();
                let kept = |f: FieldType| needed.contains(&f) && !stripped.contains(&f);
                let raw: String = r.get(4)?;
                let cells: Vec<String> = serde_json::from_str(&raw)?;
                let line = RecordLine {
                    id: r.get(0)?,
                    source: source.index,
                    row: r.get(2)?,
                    customer: r.get(3)?,
                    cells: source
                        .kept
                        .iter()
                        .map(|(col, f)| {
                            if kept(*f) {
                                cells.get(*col).cloned()
                            } else {
                                None
                            }
                        })
                        .collect(),
                    name: r.get::<_, Option<String>>(5)?.filter(|_| kept(FieldType::Name)),
                    mobile: r
                        .get::<_, Option<String>>(6)?
                        .filter(|_| kept(FieldType::Mobile)),
                    id_number: r
                        .get::<_, Option<String>>(7)?
                        .filter(|_| kept(FieldType::IdCard)),
                    balance: r
                        .get::<_, Option<String>>(8)?
                        .filter(|_| kept(FieldType::PrepaidBalance)),
                    last_activity: r
                        .get::<_, Option<String>>(9)?
                        .filter(|_| kept(FieldType::LastActivity)),
                };
                if let Some(b) = parse_balance(line.balance.as_deref()) {
                    if b > Decimal::ZERO {
                        total = total.checked_add(b).ok_or_else(|| {
                            Error::Internal("prepaid total out of range".into())
                        })?;
                    }
                }
                *categories.entry(source.kind.clone()).or_default() += 1;
                let applied: String = r.get(11)?;
                for rule in applied.split(',').filter(|s| !s.is_empty()) {
                    match rules.get_mut(rule) {
                        Some(n) => *n += 1,
                        None => {
                            rules.insert(rule.to_string(), 1);
                        }
                    }
                }
                parts.push(&line, sink)?;
                records_sent += 1;
            }
            parts.finish(sink)?;
        }

        // The signed agreement, if the owner attached it to the agreement step's items.
        let mut evidence = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT id, item_id, file_name, content FROM wizard_evidence
                 WHERE item_id = 'agreement' OR item_id LIKE 'agreement-%' ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let n = evidence.len() + 1;
                let part = format!("evidence-{n}");
                let content: Vec<u8> = r.get(3)?;
                sink.part(&part, 1, &content)?;
                evidence.push(EvidenceEntry {
                    part,
                    item_id: r.get(1)?,
                    file_name: r.get(2)?,
                });
            }
        }

        let mut rules: Vec<RuleApplied> = rules
            .into_iter()
            .map(|(rule, records)| RuleApplied { rule, records })
            .collect();
        rules.sort_by(|a, b| b.records.cmp(&a.records).then(a.rule.cmp(&b.rule)));
        let recipient = details.recipient.clone().unwrap_or_else(|| crate::case::Recipient {
            name: String::new(),
            contact: String::new(),
        });
        Ok(Manifest {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").into(),
            seller_case_id: case_id,
            seller: Party {
                name: details.seller.name.clone(),
                contact: details.seller.contact.clone(),
            },
            recipient: Party {
                name: recipient.name,
                contact: recipient.contact,
            },
            kind: details.kind.id().into(),
            reason: details.reason.id().into(),
            created_at: crate::clock::now(),
            handover_date: details.handover_date.map(|d| d.to_string()),
            outcomes: summary
                .outcomes
                .iter()
                .map(|o| (o.outcome.id().to_string(), o.count))
                .collect(),
            categories,
            customers: customers_sent,
            records: records_sent,
            prepaid_total: money_string(total),
            fields: needed.iter().map(|f| f.id().to_string()).collect(),
            rules,
            rulebook_sha256: summary.rulebook_sha256.clone(),
            evidence,
            parts: Vec::new(),
            seller_audit: Some(AuditAnchor {
                entries: conn
                    .query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))?
                    .max(0) as u64,
                head_hash: crate::audit::head_hash(conn)?.unwrap_or_default(),
            }),
        })
    })
}

/// Records a finished export in the seller's case: `package.export` with the package's SHA-256, size and
/// counts (never customer data, never the passphrase).
pub fn record_export(
    case: &Case,
    actor: &Actor,
    manifest: &Manifest,
    package_sha256: &str,
    size: u64,
) -> Result<()> {
    case.write(actor, |w| {
        w.audit(
            "package.export",
            serde_json::json!({
                "package_sha256": package_sha256,
                "size": size,
                "format_version": manifest.version,
                "customers": manifest.customers,
                "records": manifest.records,
                "prepaid_total": manifest.prepaid_total,
                "fields": manifest.fields,
                "parts": manifest.parts.len(),
            }),
        )?;
        Ok(())
    })
}

struct SourceInfo {
    index: u32,
    /// (column index in `raw`, its field) of the columns whose field the recipient needs.
    kept: Vec<(usize, FieldType)>,
    kind: String,
}

/// JSON Lines cut into parts of at most [`PART_BYTES`] (a line is never split).
struct JsonLines {
    prefix: &'static str,
    buf: Vec<u8>,
    rows: u64,
    next: u32,
}

impl JsonLines {
    fn new(prefix: &'static str) -> JsonLines {
        JsonLines {
            prefix,
            buf: Vec::with_capacity(PART_BYTES + 4096),
            rows: 0,
            next: 1,
        }
    }

    fn push(&mut self, line: &impl serde::Serialize, sink: &mut dyn PartSink) -> Result<()> {
        serde_json::to_writer(&mut self.buf, line)?;
        self.buf.push(b'\n');
        self.rows += 1;
        if self.buf.len() >= PART_BYTES {
            self.flush(sink)?;
        }
        Ok(())
    }

    fn flush(&mut self, sink: &mut dyn PartSink) -> Result<()> {
        let name = format!("{}-{:06}.jsonl", self.prefix, self.next);
        sink.part(&name, self.rows, &self.buf)?;
        self.next += 1;
        self.buf.clear();
        self.rows = 0;
        Ok(())
    }

    /// Writes what is left; an empty list still gets one (empty) part, so every package has each kind.
    fn finish(mut self, sink: &mut dyn PartSink) -> Result<()> {
        if self.rows > 0 || self.next == 1 {
            self.flush(sink)?;
        }
        Ok(())
    }
}
