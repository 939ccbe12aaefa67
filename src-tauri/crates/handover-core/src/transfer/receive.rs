//! Receiving a package: the recipient's own case, made in one transaction from parts the package crate has
//! already verified (decrypted to the end, every part checked against the manifest). The case holds the
//! customers, what they said and were told, the records with their kept fields, the balances, the attached
//! agreement, and where it all came from (`received_package`: seller, seller's case id, package SHA-256).
//! Anything that does not add up — counts, totals, a record naming an unknown customer — refuses the whole
//! case, and [`Case::create_with`] leaves no file behind.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;

use super::error::PackageError;
use super::manifest::{
    CustomerLine, Manifest, PartKind, Party, RecordLine, SourceLine, FORMAT_VERSION,
};
use crate::audit::Actor;
use crate::case::{BusinessKind, CaseDetails, Seller, TransferReason};
use crate::error::{Error, Result};
use crate::field::FieldType;
use crate::i18n::Lang;
use crate::records::ingest::{self, IngestRow};
use crate::records::pii;
use crate::rules::prepaid::{money_string, parse_balance};
use crate::store::{Case, Writer};

/// A package whose every part was verified, about to be received.
#[derive(Debug, Clone)]
pub struct VerifiedPackage {
    pub manifest: Manifest,
    /// SHA-256 of the whole package file (lowercase hex): what the receipt shows both sides.
    pub sha256: String,
    pub file_name: String,
    pub size: u64,
}

/// Hands the verified package's parts over again, in package order, each as a reader of its bytes; the
/// package crate re-checks each part and the file's hash as they stream, and fails when anything changed.
pub trait PartSource {
    fn replay(&mut self, visit: &mut dyn FnMut(&str, &mut dyn Read) -> Result<()>) -> Result<()>;
}

/// The receipt (签收单) both sides sign: what was received, from whom, when, and the package's SHA-256. The
/// core's model; the documents crate renders it. Read back from the received case by [`receipt`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ReceiptModel {
    pub package_sha256: String,
    pub package_file: String,
    pub format_version: u32,
    pub seller: Party,
    pub seller_case_id: String,
    pub recipient: Party,
    /// When the seller made the package, and when it was received (RFC 3339, UTC).
    pub package_created_at: String,
    pub received_at: String,
    pub handover_date: Option<String>,
    pub customers: u64,
    pub records: u64,
    /// Sum of the positive prepaid balances received, exact to the fen.
    pub prepaid_total: String,
    /// Attached files received (the signed agreement).
    pub evidence: u64,
}

/// The receipt of a case made by receiving a package; `None` for a case that was not received.
pub fn receipt(case: &Case) -> Result<Option<ReceiptModel>> {
    case.read(|conn| {
        let row: Option<(String, String, String)> = conn
            .query_row(
                "SELECT manifest, received_at, package_file FROM received_package WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((manifest, received_at, package_file)) = row else {
            return Ok(None);
        };
        let manifest: Manifest = serde_json::from_str(&manifest)?;
        let (sha, total, customers, records): (String, String, i64, i64) = conn.query_row(
            "SELECT package_sha256, prepaid_total, customers, records FROM received_package WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Some(ReceiptModel {
            package_sha256: sha,
            package_file,
            format_version: manifest.version,
            seller: manifest.seller.clone(),
            seller_case_id: manifest.seller_case_id.clone(),
            recipient: manifest.recipient.clone(),
            package_created_at: manifest.created_at.clone(),
            received_at,
            handover_date: manifest.handover_date.clone(),
            customers: customers as u64,
            records: records as u64,
            prepaid_total: total,
            evidence: manifest.evidence.len() as u64,
        }))
    })
}

/// The new case's details: the recipient now holds the information, so it is the "seller" of any later
/// handover; the kind and reason follow the seller's case.
pub fn details_for(manifest: &Manifest) -> CaseDetails {
    CaseDetails {
        kind: BusinessKind::parse(&manifest.kind).unwrap_or(BusinessKind::Shop),
        reason: TransferReason::parse(&manifest.reason).unwrap_or(TransferReason::SaleWhole),
        seller: Seller {
            name: manifest.recipient.name.clone(),
            contact: manifest.recipient.contact.clone(),
            responsible_person: String::new(),
        },
        recipient: None,
        handover_date: None,
        notes: String::new(),
    }
}

/// Creates the recipient's case at `path` (own passphrase) from the package, all in one transaction.
pub fn receive(
    path: &Path,
    passphrase: &str,
    actor: &Actor,
    package: &VerifiedPackage,
    parts: &mut dyn PartSource,
) -> Result<(Case, ReceiptModel)> {
    let manifest = &package.manifest;
    if manifest.version > FORMAT_VERSION {
        return Err(PackageError::NewerFormat {
            found: manifest.version,
            known: FORMAT_VERSION,
        }
        .into());
    }
    let case = Case::create_with(path, passphrase, details_for(manifest), actor, |w| {
        let mut fill = Fill::new(w);
        parts.replay(&mut |name, reader| fill.part(name, reader, manifest))?;
        fill.finish(manifest, package)
    })?;
    let receipt = receipt(&case)?.ok_or_else(|| Error::Internal("no receipt".into()))?;
    Ok((case, receipt))
}

fn inconsistent(what: impl Into<String>) -> Error {
    PackageError::Inconsistent { what: what.into() }.into()
}

struct NewSource {
    id: i64,
    fields: Vec<FieldType>,
    rows: i64,
    /// Per kind (indexed by `pii::slot`): valid cells in kept columns and findings in kept free text, found
    /// the way an import finds them, so the recipient's case counts its personal information per source.
    column_cells: [u64; pii::KINDS],
    text_findings: [u64; pii::KINDS],
}

struct Fill<'w, 'c> {
    w: &'w Writer<'c>,
    sources: Vec<NewSource>,
    /// Seller's customer id → (new id, which of name/mobile/id_number it has: bits 1, 2, 4).
    customers: HashMap<i64, (i64, u8)>,
    records: u64,
    total: Decimal,
    evidence: u64,
    seen_customers_part: bool,
    seen_records_part: bool,
}

impl<'w, 'c> Fill<'w, 'c> {
    fn new(w: &'w Writer<'c>) -> Fill<'w, 'c> {
        Fill {
            w,
            sources: Vec::new(),
            customers: HashMap::new(),
            records: 0,
            total: Decimal::ZERO,
            evidence: 0,
            seen_customers_part: false,
            seen_records_part: false,
        }
    }

    fn part(&mut self, name: &str, reader: &mut dyn Read, manifest: &Manifest) -> Result<()> {
        match PartKind::of(name) {
            Some(PartKind::Sources) => self.sources_part(reader),
            Some(PartKind::Customers) => {
                if self.seen_records_part {
                    return Err(inconsistent("customers after records"));
                }
                self.seen_customers_part = true;
                self.customers_part(reader)
            }
            Some(PartKind::Records) => {
                if !self.seen_customers_part {
                    return Err(inconsistent("records before customers"));
                }
                self.seen_records_part = true;
                self.records_part(reader)
            }
            Some(PartKind::Evidence) => self.evidence_part(name, reader, manifest),
            None => Err(PackageError::ExtraPart { part: name.into() }.into()),
        }
    }

    fn sources_part(&mut self, reader: &mut dyn Read) -> Result<()> {
        let mut lines: Vec<SourceLine> = Vec::new();
        for line in BufReader::new(reader).lines() {
            let line = line.map_err(|e| inconsistent(format!("sources: {e}")))?;
            lines.push(
                serde_json::from_str(&line).map_err(|e| inconsistent(format!("sources: {e}")))?,
            );
        }
        for (i, s) in lines.iter().enumerate() {
            if s.index as usize != i {
                return Err(inconsistent("source index"));
            }
            self.w.execute(
                "INSERT INTO sources (kind, label, created_at, file_name, format, updated_at)
                 VALUES ('file', ?1, ?2, ?3, 'package', ?2)",
                params![s.label, self.w.now(), s.file_name],
            )?;
            let id = self.w.last_insert_rowid();
            let mut fields = Vec::new();
            for (col, c) in s.columns.iter().enumerate() {
                let field = FieldType::from_id(&c.field)
                    .ok_or_else(|| inconsistent(format!("field {}", c.field)))?;
                self.w.execute(
                    "INSERT INTO source_columns (source_id, col_index, header, field) VALUES (?1, ?2, ?3, ?4)",
                    params![id, col as i64, c.header, field.id()],
                )?;
                fields.push(field);
            }
            self.sources.push(NewSource {
                id,
                fields,
                rows: 0,
                column_cells: [0; pii::KINDS],
                text_findings: [0; pii::KINDS],
            });
        }
        Ok(())
    }

    fn customers_part(&mut self, reader: &mut dyn Read) -> Result<()> {
        let mut insert = self
            .w
            .prepare_cached("INSERT INTO customers (id) VALUES (NULL)")?;
        let mut status = self.w.prepare_cached(
            "INSERT INTO customer_status (customer_id, consent, guardian_consent, objection, deletion_request,
                refunded, notice) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for line in BufReader::new(reader).lines() {
            let line = line.map_err(|e| inconsistent(format!("customers: {e}")))?;
            let c: CustomerLine =
                serde_json::from_str(&line).map_err(|e| inconsistent(format!("customers: {e}")))?;
            let answer = |a: &str| -> Result<String> {
                match a {
                    "yes" | "no" | "unknown" => Ok(a.to_string()),
                    other => Err(inconsistent(format!("consent {other}"))),
                }
            };
            insert.execute([])?;
            let id = self.w.last_insert_rowid();
            if self.customers.insert(c.id, (id, 0)).is_some() {
                return Err(inconsistent(format!("customer {} twice", c.id)));
            }
            status.execute(params![
                id,
                answer(&c.consent)?,
                answer(&c.guardian_consent)?,
                c.objection,
                c.deletion_request,
                c.refunded,
                c.notice
            ])?;
        }
        Ok(())
    }

    fn records_part(&mut self, reader: &mut dyn Read) -> Result<()> {
        let mut insert = self.w.prepare_cached(
            "INSERT INTO records (source_id, row_number, customer_id, raw, name, mobile, id_number, balance,
                last_activity, pii_mask) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut set_name = self
            .w
            .prepare_cached("UPDATE customers SET name = ?2 WHERE id = ?1")?;
        let mut set_mobile = self
            .w
            .prepare_cached("UPDATE customers SET mobile = ?2 WHERE id = ?1")?;
        let mut set_id = self
            .w
            .prepare_cached("UPDATE customers SET id_number = ?2 WHERE id = ?1")?;
        let mut key = self.w.prepare_cached(
            "INSERT OR IGNORE INTO customer_keys (kind, value, customer_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut finding = self.w.prepare_cached(
            "INSERT INTO text_findings (record_id, col_index, kind, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for line in BufReader::new(reader).lines() {
            let line = line.map_err(|e| inconsistent(format!("records: {e}")))?;
            let r: RecordLine =
                serde_json::from_str(&line).map_err(|e| inconsistent(format!("records: {e}")))?;
            let source = self
                .sources
                .get_mut(r.source as usize)
                .ok_or_else(|| inconsistent(format!("record {} source", r.id)))?;
            if r.cells.len() != source.fields.len() {
                return Err(inconsistent(format!("record {} cells", r.id)));
            }
            let customer = match r.customer {
                Some(c) => Some(
                    self.customers
                        .get_mut(&c)
                        .ok_or_else(|| inconsistent(format!("record {} customer", r.id)))?,
                ),
                None => None,
            };
            let raw: Vec<String> = r
                .cells
                .iter()
                .map(|c| c.clone().unwrap_or_default())
                .collect();
            // The personal information the record carries, found as an import finds it (valid values in
            // the kept columns, findings inside kept free text).
            let prepared = ingest::prepare(
                &source.fields,
                Lang::ZhCn,
                IngestRow {
                    row_number: r.row.max(0) as u64,
                    cells: raw,
                    problems: Vec::new(),
                    rejected: false,
                },
            )?;
            let found = prepared.pii;
            for (total, n) in source.column_cells.iter_mut().zip(found.column_cells) {
                *total += u64::from(n);
            }
            source.rows += 1;
            insert.execute(params![
                source.id,
                r.row,
                customer.as_ref().map(|c| c.0),
                prepared.raw_json,
                r.name,
                r.mobile,
                r.id_number,
                r.balance,
                r.last_activity,
                found.mask
            ])?;
            let record_id = self.w.last_insert_rowid();
            for f in &found.findings {
                source.text_findings[pii::slot(f.kind)] += 1;
                finding.execute(params![
                    record_id,
                    f.col as i64,
                    f.kind.id(),
                    f.start as i64,
                    f.end as i64
                ])?;
            }
            if let Some((id, has)) = customer {
                if let Some(name) = r.name.as_deref().filter(|_| *has & 1 == 0) {
                    set_name.execute(params![*id, name])?;
                    *has |= 1;
                }
                if let Some(mobile) = r.mobile.as_deref().filter(|_| *has & 2 == 0) {
                    set_mobile.execute(params![*id, mobile])?;
                    key.execute(params!["mobile", mobile, *id])?;
                    *has |= 2;
                }
                if let Some(number) = r.id_number.as_deref().filter(|_| *has & 4 == 0) {
                    set_id.execute(params![*id, number])?;
                    key.execute(params!["id_card", number, *id])?;
                    *has |= 4;
                }
            }
            if let Some(b) = parse_balance(r.balance.as_deref()) {
                if b > Decimal::ZERO {
                    self.total = self
                        .total
                        .checked_add(b)
                        .ok_or_else(|| inconsistent("prepaid total out of range"))?;
                }
            }
            self.records += 1;
        }
        Ok(())
    }

    fn evidence_part(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        manifest: &Manifest,
    ) -> Result<()> {
        let entry = manifest
            .evidence
            .iter()
            .find(|e| e.part == name)
            .ok_or_else(|| PackageError::ExtraPart { part: name.into() })?;
        let mut content = Vec::new();
        reader
            .read_to_end(&mut content)
            .map_err(|e| inconsistent(format!("{name}: {e}")))?;
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&content))
        };
        self.w.execute(
            "INSERT INTO wizard_evidence (item_id, file_name, size_bytes, sha256, added_at, actor, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                entry.item_id,
                entry.file_name,
                content.len() as i64,
                sha,
                self.w.now(),
                self.w.actor().0,
                content
            ],
        )?;
        self.evidence += 1;
        Ok(())
    }

    fn finish(self, manifest: &Manifest, package: &VerifiedPackage) -> Result<()> {
        for s in &self.sources {
            self.w.execute(
                "UPDATE sources SET rows_imported = ?2 WHERE id = ?1",
                params![s.id, s.rows],
            )?;
            ingest::write_source_pii(self.w, s.id, &s.fields, &s.column_cells, &s.text_findings)?;
        }
        let customers = self.customers.len() as u64;
        if customers != manifest.customers {
            return Err(inconsistent(format!(
                "customers {customers} ≠ {}",
                manifest.customers
            )));
        }
        if self.records != manifest.records {
            return Err(inconsistent(format!(
                "records {} ≠ {}",
                self.records, manifest.records
            )));
        }
        let total = money_string(self.total);
        if total != manifest.prepaid_total {
            return Err(inconsistent(format!(
                "prepaid {total} ≠ {}",
                manifest.prepaid_total
            )));
        }
        if self.evidence != manifest.evidence.len() as u64 {
            return Err(inconsistent("evidence"));
        }
        self.w.execute(
            "INSERT INTO received_package (id, format_version, seller_name, seller_contact, seller_case_id,
                package_sha256, package_file, package_created_at, received_at, customers, records,
                prepaid_total, manifest)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                manifest.version,
                manifest.seller.name,
                manifest.seller.contact,
                manifest.seller_case_id,
                package.sha256,
                package.file_name,
                manifest.created_at,
                self.w.now(),
                customers as i64,
                self.records as i64,
                total,
                serde_json::to_string(manifest)?
            ],
        )?;
        self.w.audit(
            "package.receive",
            serde_json::json!({
                "package_sha256": package.sha256,
                "package_size": package.size,
                "seller": manifest.seller.name,
                "seller_case_id": manifest.seller_case_id,
                "format_version": manifest.version,
                "customers": customers,
                "records": self.records,
                "prepaid_total": total,
                "evidence": self.evidence,
                "seller_audit": manifest.seller_audit,
            }),
        )?;
        Ok(())
    }
}
