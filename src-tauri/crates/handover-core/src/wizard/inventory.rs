//! Sources of customer information that are not files: a paper pickup logbook (纸质存储), the contacts on a
//! phone, a customers' WeChat group, the courier platform's system. They cannot be imported, but the owner
//! must know they exist and decide what happens to each, or the handover leaves copies behind.
//!
//! They live in the same `sources` table as imported files (kind other than `file`), so "every place
//! customer information lives" is one list; the columns for files stay empty for them.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::{Actor, Case};

pub const MAX_LABEL_CHARS: usize = 200;
pub const MAX_SOURCE_TEXT_CHARS: usize = 2_000;

/// What kind of place holds the information (a paper logbook, a phone, a WeChat group…). Not the rulebook's
/// [`SourceKind`](crate::rules::SourceKind), which says what an imported file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// 纸质登记本、会员本、单据
    Paper,
    /// 手机通讯录、短信、通话记录、相册
    PhoneContacts,
    /// 微信群、微信好友（also WeCom, QQ groups)
    WechatGroup,
    /// 驿站管理软件、快递公司网点系统、巴枪、取件柜后台
    CourierPlatform,
    /// 员工资料: employees' data is not customer information. It is handled under the employment relationship
    /// (PIPL Art. 13(2)) and listed here so it is decided on, never handed over with the customers by default.
    EmployeeRecords,
    /// 监控录像: CCTV footage holds face images, biometric and so sensitive (PIPL Art. 28); listed so it is
    /// decided on, never handed over with the customers by default.
    Cctv,
    Other,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 7] = [
        PlaceKind::Paper,
        PlaceKind::PhoneContacts,
        PlaceKind::WechatGroup,
        PlaceKind::CourierPlatform,
        PlaceKind::EmployeeRecords,
        PlaceKind::Cctv,
        PlaceKind::Other,
    ];

    /// The value in `sources.kind`. Never `file`, which marks imported files.
    pub fn id(self) -> &'static str {
        match self {
            PlaceKind::Paper => "paper",
            PlaceKind::PhoneContacts => "phone-contacts",
            PlaceKind::WechatGroup => "wechat-group",
            PlaceKind::CourierPlatform => "courier-platform",
            PlaceKind::EmployeeRecords => "employee-records",
            PlaceKind::Cctv => "cctv",
            PlaceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.id() == s)
    }

    /// Whether the place holds customer information. Employees' records and CCTV footage do not: they are
    /// listed and decided on, and go to the recipient only with a written reason.
    pub fn holds_customer_information(self) -> bool {
        !matches!(self, PlaceKind::EmployeeRecords | PlaceKind::Cctv)
    }
}

/// What will happen to the source (the inventory step asks for one per source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SourceHandling {
    /// Not decided yet.
    Undecided,
    /// Handed to the recipient.
    Transfer,
    /// Kept because the law requires it: stored only, used for nothing else.
    Keep,
    /// Deleted or destroyed (shredded, wiped).
    Destroy,
    /// Returned to the courier company or platform it came from.
    Return,
}

impl SourceHandling {
    pub const ALL: [SourceHandling; 5] = [
        SourceHandling::Undecided,
        SourceHandling::Transfer,
        SourceHandling::Keep,
        SourceHandling::Destroy,
        SourceHandling::Return,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SourceHandling::Undecided => "undecided",
            SourceHandling::Transfer => "transfer",
            SourceHandling::Keep => "keep",
            SourceHandling::Destroy => "destroy",
            SourceHandling::Return => "return",
        }
    }

    pub fn parse(s: &str) -> Option<SourceHandling> {
        SourceHandling::ALL.into_iter().find(|k| k.id() == s)
    }
}

/// What the owner enters for a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceInput {
    pub kind: PlaceKind,
    /// A short name, e.g. "2023–2025 取件登记本（3本）".
    pub label: String,
    /// Where it is, how much, whose it is.
    pub description: String,
    pub handling: SourceHandling,
    /// How exactly, e.g. "交接后用碎纸机粉碎，拍照留证".
    pub handling_note: String,
}

/// A registered source that is not a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegisteredSource {
    pub id: i64,
    pub kind: PlaceKind,
    pub label: String,
    pub description: String,
    pub handling: SourceHandling,
    pub handling_note: String,
    pub created_at: String,
    pub updated_at: String,
}

fn check_input(input: SourceInput) -> Result<SourceInput> {
    let input = SourceInput {
        label: input.label.trim().to_string(),
        description: input.description.trim().to_string(),
        handling_note: input.handling_note.trim().to_string(),
        ..input
    };
    if input.label.is_empty() {
        return Err(Error::TextRequired { field: "label" });
    }
    if !input.kind.holds_customer_information()
        && input.handling == SourceHandling::Transfer
        && input.handling_note.is_empty()
    {
        return Err(Error::NotCustomerInformation);
    }
    if input.label.chars().count() > MAX_LABEL_CHARS {
        return Err(Error::TextTooLong {
            field: "label",
            max: MAX_LABEL_CHARS,
        });
    }
    for (field, text) in [
        ("description", &input.description),
        ("handling_note", &input.handling_note),
    ] {
        if text.chars().count() > MAX_SOURCE_TEXT_CHARS {
            return Err(Error::TextTooLong {
                field,
                max: MAX_SOURCE_TEXT_CHARS,
            });
        }
    }
    Ok(input)
}

fn audit_view(s: &SourceInput) -> serde_json::Value {
    serde_json::json!({
        "kind": s.kind.id(),
        "label": s.label,
        "description": s.description,
        "handling": s.handling.id(),
        "handling_note": s.handling_note,
    })
}

const SELECT: &str =
    "SELECT id, kind, label, coalesce(description, ''), coalesce(handling, 'undecided'),
        coalesce(handling_note, ''), created_at, coalesce(updated_at, created_at)
     FROM sources";

fn row_to_source(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RegisteredSource, String, String)> {
    let kind: String = r.get(1)?;
    let handling: String = r.get(4)?;
    Ok((
        RegisteredSource {
            id: r.get(0)?,
            kind: PlaceKind::Other,
            label: r.get(2)?,
            description: r.get(3)?,
            handling: SourceHandling::Undecided,
            handling_note: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
        },
        kind,
        handling,
    ))
}

fn resolve(
    (mut s, kind, handling): (RegisteredSource, String, String),
) -> Result<RegisteredSource> {
    s.kind = PlaceKind::parse(&kind)
        .ok_or_else(|| Error::Internal(format!("unknown source kind {kind}")))?;
    s.handling = SourceHandling::parse(&handling)
        .ok_or_else(|| Error::Internal(format!("unknown source handling {handling}")))?;
    Ok(s)
}

/// Every registered source that is not a file, oldest first.
pub fn registered_sources(conn: &Connection) -> Result<Vec<RegisteredSource>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE kind <> 'file' ORDER BY id"))?;
    let rows = stmt.query_map([], row_to_source)?;
    rows.map(|r| resolve(r?)).collect()
}

fn registered_source(conn: &Connection, id: i64) -> Result<RegisteredSource> {
    let row = conn
        .query_row(
            &format!("{SELECT} WHERE id = ?1 AND kind <> 'file'"),
            [id],
            row_to_source,
        )
        .optional()?
        .ok_or(Error::NotFound("source"))?;
    resolve(row)
}

/// Registers a source; saved and audited at once.
pub fn register_source(
    case: &mut Case,
    input: SourceInput,
    actor: &Actor,
) -> Result<RegisteredSource> {
    let input = check_input(input)?;
    case.write(actor, |w| {
        w.execute(
            "INSERT INTO sources (kind, label, created_at, description, handling, handling_note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3)",
            params![
                input.kind.id(),
                input.label,
                w.now(),
                input.description,
                input.handling.id(),
                input.handling_note
            ],
        )?;
        let id = w.last_insert_rowid();
        w.audit(
            "wizard.source.add",
            serde_json::json!({ "source": id, "to": audit_view(&input) }),
        )?;
        registered_source(w, id)
    })
}

/// Changes a registered source. Nothing is written (or audited) when nothing changed.
pub fn update_source(
    case: &mut Case,
    id: i64,
    input: SourceInput,
    actor: &Actor,
) -> Result<RegisteredSource> {
    let input = check_input(input)?;
    case.write(actor, |w| {
        let old = registered_source(w, id)?;
        let old_input = SourceInput {
            kind: old.kind,
            label: old.label,
            description: old.description,
            handling: old.handling,
            handling_note: old.handling_note,
        };
        if old_input == input {
            return registered_source(w, id);
        }
        w.execute(
            "UPDATE sources SET kind = ?2, label = ?3, description = ?4, handling = ?5, handling_note = ?6,
                 updated_at = ?7
             WHERE id = ?1 AND kind <> 'file'",
            params![
                id,
                input.kind.id(),
                input.label,
                input.description,
                input.handling.id(),
                input.handling_note,
                w.now()
            ],
        )?;
        w.audit(
            "wizard.source.update",
            serde_json::json!({ "source": id, "from": audit_view(&old_input), "to": audit_view(&input) }),
        )?;
        registered_source(w, id)
    })
}

/// Removes a registered source (not an imported file: those carry records).
pub fn remove_source(case: &mut Case, id: i64, actor: &Actor) -> Result<()> {
    case.write(actor, |w| {
        let old = registered_source(w, id)?;
        w.execute("DELETE FROM sources WHERE id = ?1 AND kind <> 'file'", [id])?;
        w.audit(
            "wizard.source.remove",
            serde_json::json!({ "source": id, "from": audit_view(&SourceInput {
                kind: old.kind,
                label: old.label,
                description: old.description,
                handling: old.handling,
                handling_note: old.handling_note,
            }) }),
        )?;
        Ok(())
    })
}
