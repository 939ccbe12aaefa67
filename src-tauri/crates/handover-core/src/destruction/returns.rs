//! Returns to the courier companies: for the records whose outcome is return, one file per courier company
//! listing the uncollected parcels and the entrusted records to give back — waybill, pickup code, arrival date
//! and the recipient masked — written through [`SafeCsvWriter`] and [`write_atomic`], each file's SHA-256 in
//! the audit log (`returns.files`). The return list document to sign is rendered from [`ReturnListModel`] by
//! the documents crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::Actor;
use crate::detect::mask::{self, MaskStyle};
use crate::error::{Error, Result};
use crate::field::FieldType;
use crate::output::{write_atomic, SafeCsvWriter};
use crate::store::Case;

/// The rule that marks a parcel not yet collected.
const UNCOLLECTED_RULE: &str = "courier-uncollected-parcel-return";
/// Header words of a column that holds the day a parcel arrived at the station.
const ARRIVAL_HEADERS: [&str; 6] = ["入库", "到件", "到站", "到达", "arriv", "received"];

/// What a line is: a parcel still waiting at the station, or a record the courier company entrusted to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReturnKind {
    UncollectedParcel,
    EntrustedRecord,
}

/// One line of a return list (the recipient masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReturnLine {
    pub kind: ReturnKind,
    pub waybill: String,
    pub pickup_code: String,
    pub arrival: String,
    pub recipient_name: String,
    pub recipient_mobile: String,
}

/// The return list of one courier company: the data of the list to sign, and the file written for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReturnListModel {
    /// The courier company as the records name it (empty: not named in the records).
    pub company: String,
    pub seller: String,
    pub case_id: String,
    pub lines: Vec<ReturnLine>,
    pub uncollected: u64,
    pub entrusted: u64,
    /// The file written, and its SHA-256.
    pub file: String,
    pub sha256: String,
}

struct Columns {
    waybill: Option<usize>,
    pickup: Option<usize>,
    company: Option<usize>,
    name: Option<usize>,
    mobile: Option<usize>,
    arrival: Option<usize>,
}

fn columns_of(conn: &Connection) -> Result<BTreeMap<i64, Columns>> {
    let mut out: BTreeMap<i64, Columns> = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT source_id, col_index, header, field FROM source_columns ORDER BY source_id, col_index")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (source, col, header, field): (i64, i64, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let col = col as usize;
        let c = out.entry(source).or_insert(Columns {
            waybill: None,
            pickup: None,
            company: None,
            name: None,
            mobile: None,
            arrival: None,
        });
        let slot = match FieldType::from_id(&field) {
            Some(FieldType::Waybill) => &mut c.waybill,
            Some(FieldType::PickupCode) => &mut c.pickup,
            Some(FieldType::CourierCompany) => &mut c.company,
            Some(FieldType::Name) => &mut c.name,
            Some(FieldType::Mobile) => &mut c.mobile,
            _ => {
                let h = header.to_lowercase();
                if ARRIVAL_HEADERS.iter().any(|w| h.contains(w)) {
                    &mut c.arrival
                } else {
                    continue;
                }
            }
        };
        if slot.is_none() {
            *slot = Some(col);
        }
    }
    Ok(out)
}

/// The return lists, per courier company, without writing anything.
pub fn lists(case: &Case) -> Result<Vec<ReturnListModel>> {
    case.read(|conn| {
        let columns = columns_of(conn)?;
        let (case_id, seller): (String, String) = conn.query_row(
            "SELECT m.case_id, d.seller_name FROM case_meta m, case_details d WHERE m.id = 1 AND d.id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut by_company: BTreeMap<String, Vec<ReturnLine>> = BTreeMap::new();
        let mut stmt = conn.prepare(
            "SELECT r.source_id, r.raw, p.rules FROM plan p JOIN records r ON r.id = p.record_id
             WHERE p.outcome = 'return' ORDER BY r.source_id, r.row_number",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (source, raw, rules): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let cells: Vec<String> = serde_json::from_str(&raw).unwrap_or_default();
            let c = columns.get(&source);
            let cell = |pick: fn(&Columns) -> Option<usize>| -> String {
                c.and_then(pick)
                    .and_then(|i| cells.get(i))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let kind = if rules.split(',').any(|x| x == UNCOLLECTED_RULE) {
                ReturnKind::UncollectedParcel
            } else {
                ReturnKind::EntrustedRecord
            };
            let line = ReturnLine {
                kind,
                waybill: cell(|c| c.waybill),
                pickup_code: cell(|c| c.pickup),
                arrival: cell(|c| c.arrival),
                recipient_name: mask::mask(FieldType::Name, &cell(|c| c.name), MaskStyle::Standard),
                recipient_mobile: mask::mask(
                    FieldType::Mobile,
                    &cell(|c| c.mobile),
                    MaskStyle::Standard,
                ),
            };
            by_company.entry(cell(|c| c.company)).or_default().push(line);
        }
        Ok(by_company
            .into_iter()
            .map(|(company, mut lines)| {
                lines.sort_by_key(|l| l.kind);
                let uncollected = lines
                    .iter()
                    .filter(|l| l.kind == ReturnKind::UncollectedParcel)
                    .count() as u64;
                ReturnListModel {
                    company,
                    seller: seller.clone(),
                    case_id: case_id.clone(),
                    entrusted: lines.len() as u64 - uncollected,
                    uncollected,
                    lines,
                    file: String::new(),
                    sha256: String::new(),
                }
            })
            .collect())
    })
}

/// A file name for a company: its name with the characters file systems refuse replaced.
fn file_name(company: &str) -> String {
    let name: String = company
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim().trim_start_matches('.');
    format!(
        "退回清单-{}.csv",
        if name.is_empty() {
            "未注明快递公司"
        } else {
            name
        }
    )
}

/// Writes one CSV per courier company into `dir` (created if missing), audited with each file's SHA-256.
pub fn write_files(case: &Case, dir: &Path, actor: &Actor) -> Result<Vec<ReturnListModel>> {
    let mut lists = lists(case)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for list in &mut lists {
        let path: PathBuf = dir.join(file_name(&list.company));
        let bytes = {
            let mut w = SafeCsvWriter::new(Vec::new()).map_err(|e| Error::io(&path, e))?;
            let io = |e| Error::io(&path, e);
            w.write_row([
                "类型",
                "运单号",
                "取件码",
                "到站日期",
                "收件人",
                "收件人手机",
            ])
            .map_err(io)?;
            for l in &list.lines {
                let kind = match l.kind {
                    ReturnKind::UncollectedParcel => "未取件包裹",
                    ReturnKind::EntrustedRecord => "委托处理记录",
                };
                w.write_row([
                    kind,
                    &l.waybill,
                    &l.pickup_code,
                    &l.arrival,
                    &l.recipient_name,
                    &l.recipient_mobile,
                ])
                .map_err(io)?;
            }
            w.finish().map_err(io)?
        };
        write_atomic(&path, |out| std::io::Write::write_all(out, &bytes))
            .map_err(|e| Error::io(&path, e))?;
        list.file = path.display().to_string();
        list.sha256 = hex::encode(Sha256::digest(&bytes));
    }
    case.write(actor, |w| {
        w.audit(
            "returns.files",
            serde_json::json!({
                "files": lists.iter().map(|l| serde_json::json!({
                    "company": l.company,
                    "file": l.file,
                    "sha256": l.sha256,
                    "lines": l.lines.len(),
                })).collect::<Vec<_>>()
            }),
        )?;
        Ok(())
    })?;
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("顺丰"), "退回清单-顺丰.csv");
        assert_eq!(file_name("../a/b"), "退回清单-_a_b.csv");
        assert_eq!(file_name(""), "退回清单-未注明快递公司.csv");
    }
}
