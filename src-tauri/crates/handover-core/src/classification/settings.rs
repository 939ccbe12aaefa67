//! Case settings that classification owns: the masking style every screen, export and document uses.

use rusqlite::{params, Connection, OptionalExtension};

use crate::detect::mask::MaskStyle;
use crate::store::{Actor, Case};
use crate::Result;

const MASK_STYLE: &str = "mask_style";

/// The case's masking style (standard until the owner chooses otherwise).
pub fn mask_style(conn: &Connection) -> Result<MaskStyle> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM case_settings WHERE key = ?1",
            [MASK_STYLE],
            |r| r.get(0),
        )
        .optional()?;
    Ok(
        v.and_then(|v| MaskStyle::ALL.into_iter().find(|s| s.id() == v))
            .unwrap_or_default(),
    )
}

/// Changes the masking style; the change is audited, because documents record which style they used.
pub fn set_mask_style(case: &Case, style: MaskStyle, actor: &Actor) -> Result<()> {
    case.write(actor, |w| {
        let before = mask_style(w)?;
        if before == style {
            return Ok(());
        }
        w.execute(
            "INSERT INTO case_settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![MASK_STYLE, style.id()],
        )?;
        w.audit(
            "case.mask_style",
            serde_json::json!({ "from": before.id(), "to": style.id() }),
        )?;
        Ok(())
    })
}
