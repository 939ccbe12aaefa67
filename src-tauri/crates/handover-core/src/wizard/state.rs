//! The owner's progress through the wizard, kept inside the encrypted case file: the answer to every
//! checklist item (done, not applicable with a reason, later), a note, the evidence files attached to it,
//! and the step to resume at. Every change is saved at once, in one transaction with its audit entry.
//!
//! The [`Review`] is generated from the wizard content and these answers: every step and item as it
//! stands for the case, what is still open, and whether the final summary may be printed.
//!
//! Items answered by the case details (`derived_from`, a [`CaseFact`]) store no state of their own: it is
//! worked out from the details each time it is read ([`item_progress`], [`review`]), and setting it by hand
//! is refused. Their note and evidence are the owner's, stored and audited like any other item's. A
//! derived tick has no audit entry of its own, and needs none: it changes only when the details do, and
//! every change of the details is audited (`case.details.update`, naming each changed field), so the log
//! already says when and why the tick moved.
//!
//! Items answered by the app's own figures (`derived_from` a [`DataFact`]: minors found, the prepaid total,
//! parcels to return, legal holds, fields kept, consents recorded, the classification) work the same way:
//! their state is the figure's ([`super::derived`]), shown with the figure, never set by hand.

use std::io::Read;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::derived::{answer_on, answers_with, DataAnswer, KnownFigures};
use super::inventory::{registered_sources, RegisteredSource};
use super::{
    wizard, CaseFact, DataFact, DerivedFrom, ItemForCase, Law, Situation, SourceRef, StepForCase,
    StepId, Text,
};
use crate::case::{CaseDetails, CaseFacts};
use crate::error::{Error, Result};
use crate::store::{read_details, Actor, Case};

/// The largest evidence file accepted: a phone photo or a scanned PDF is far smaller. The whole file is
/// read into memory to be hashed and stored, so the cap also bounds memory.
pub const MAX_EVIDENCE_BYTES: u64 = 50 * 1024 * 1024;
pub const MAX_NOTE_CHARS: usize = 5_000;
pub const MAX_REASON_CHARS: usize = 1_000;

/// The owner's answer to a checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Not answered yet.
    Open,
    Done,
    /// Does not apply to this business, for the reason the owner gave.
    NotApplicable,
    /// To do later; still open.
    Later,
}

impl ItemState {
    pub fn id(self) -> &'static str {
        match self {
            ItemState::Open => "open",
            ItemState::Done => "done",
            ItemState::NotApplicable => "not_applicable",
            ItemState::Later => "later",
        }
    }

    pub fn parse(s: &str) -> Option<ItemState> {
        [
            ItemState::Open,
            ItemState::Done,
            ItemState::NotApplicable,
            ItemState::Later,
        ]
        .into_iter()
        .find(|x| x.id() == s)
    }

    /// Answered for good: done, or not applicable with a reason. `Later` is still open.
    pub fn resolved(self) -> bool {
        matches!(self, ItemState::Done | ItemState::NotApplicable)
    }
}

/// A file attached to an item as proof. Its bytes are in the case file; this is what is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    pub id: i64,
    pub item_id: String,
    pub file_name: String,
    pub size_bytes: u64,
    /// Hex SHA-256 of the bytes, printed in the summary so a copy can be checked against it.
    pub sha256: String,
    pub added_at: String,
    pub actor: String,
}

/// Where an item stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItemProgress {
    pub item_id: String,
    pub state: ItemState,
    /// Why it does not apply (only for `NotApplicable`).
    pub reason: String,
    pub note: String,
    /// `None` while the owner has not touched the item.
    pub updated_at: Option<String>,
    pub actor: Option<String>,
    pub evidence: Vec<Evidence>,
}

impl ItemProgress {
    fn untouched(item_id: &str) -> ItemProgress {
        ItemProgress {
            item_id: item_id.to_string(),
            state: ItemState::Open,
            reason: String::new(),
            note: String::new(),
            updated_at: None,
            actor: None,
            evidence: Vec::new(),
        }
    }
}

/// What answers the item when it is derived; an unknown item is an error.
fn known_item(item_id: &str) -> Result<Option<DerivedFrom>> {
    wizard()
        .item(item_id)
        .map(|(_, item)| item.derived_from)
        .ok_or_else(|| Error::UnknownItem(item_id.to_string()))
}

/// A derived item's state from the details: done while its fact holds, open otherwise. Whatever state was
/// stored for it (by hand, before the item was derived) is not used, nor a reason that went with it.
fn derive(progress: &mut ItemProgress, fact: CaseFact, details: &CaseDetails, facts: &CaseFacts) {
    progress.state = if fact.holds(details, facts) {
        ItemState::Done
    } else {
        ItemState::Open
    };
    progress.reason.clear();
}

/// A derived item's state from the app's figure: done once the figure answers it, open otherwise.
fn derive_from_data(progress: &mut ItemProgress, answer: &DataAnswer) {
    progress.state = if answer.answered {
        ItemState::Done
    } else {
        ItemState::Open
    };
    progress.reason.clear();
}

fn check_length(text: &str, field: &'static str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(Error::TextTooLong { field, max });
    }
    Ok(())
}

/// The stored row of an item: state, reason, note, updated_at, actor.
type ItemRow = (ItemState, String, String, String, String);

fn item_row(conn: &Connection, item_id: &str) -> Result<Option<ItemRow>> {
    let row = conn
        .query_row(
            "SELECT state, reason, note, updated_at, actor FROM wizard_items WHERE item_id = ?1",
            [item_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            },
        )
        .optional()?;
    row.map(|(state, reason, note, at, actor)| {
        let state = ItemState::parse(&state)
            .ok_or_else(|| Error::Internal(format!("unknown item state {state}")))?;
        Ok((state, reason, note, at, actor))
    })
    .transpose()
}

/// Where one item stands, with its evidence (the state of a derived item from the case details).
pub fn item_progress(conn: &Connection, item_id: &str) -> Result<ItemProgress> {
    let fact = known_item(item_id)?;
    let mut p = ItemProgress::untouched(item_id);
    if let Some((state, reason, note, at, actor)) = item_row(conn, item_id)? {
        p.state = state;
        p.reason = reason;
        p.note = note;
        p.updated_at = Some(at);
        p.actor = Some(actor);
    }
    p.evidence = evidence_of(conn, Some(item_id))?;
    match fact {
        Some(DerivedFrom::Case(fact)) => derive(
            &mut p,
            fact,
            &read_details(conn)?,
            &crate::store::read_facts(conn)?,
        ),
        Some(DerivedFrom::Data(fact)) => derive_from_data(&mut p, &answer_on(conn, fact)?),
        None => {}
    }
    Ok(p)
}

/// Sets an item's state. `reason` is required for `NotApplicable` and ignored otherwise. Nothing is
/// written (or audited) when nothing changed. An item answered by the case details is refused: its state
/// changes with the details, never against them.
pub fn set_item_state(
    case: &mut Case,
    item_id: &str,
    state: ItemState,
    reason: &str,
    actor: &Actor,
) -> Result<ItemProgress> {
    match known_item(item_id)? {
        Some(DerivedFrom::Case(_)) => return Err(Error::ItemFromCaseDetails(item_id.to_string())),
        Some(DerivedFrom::Data(_)) => return Err(Error::ItemFromAppData(item_id.to_string())),
        None => {}
    }
    let reason = if state == ItemState::NotApplicable {
        reason.trim()
    } else {
        ""
    };
    if state == ItemState::NotApplicable && reason.is_empty() {
        return Err(Error::ReasonRequired);
    }
    check_length(reason, "reason", MAX_REASON_CHARS)?;
    case.write_answer(actor, |w| {
        let old = item_row(w, item_id)?;
        let (old_state, old_reason) = old
            .as_ref()
            .map_or((ItemState::Open, ""), |o| (o.0, o.1.as_str()));
        if old_state == state && old_reason == reason {
            return item_progress(w, item_id);
        }
        w.execute(
            "INSERT INTO wizard_items (item_id, state, reason, note, updated_at, actor)
             VALUES (?1, ?2, ?3, '', ?4, ?5)
             ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, reason = excluded.reason,
                 updated_at = excluded.updated_at, actor = excluded.actor",
            params![item_id, state.id(), reason, w.now(), w.actor().0],
        )?;
        w.audit(
            "wizard.item.state",
            serde_json::json!({
                "item": item_id,
                "from": old_state.id(),
                "to": state.id(),
                "reason": reason,
            }),
        )?;
        item_progress(w, item_id)
    })
}

/// Sets an item's note (trailing blanks dropped). Nothing is written when it is unchanged.
pub fn set_item_note(
    case: &mut Case,
    item_id: &str,
    note: &str,
    actor: &Actor,
) -> Result<ItemProgress> {
    known_item(item_id)?;
    let note = note.trim_end();
    check_length(note, "note", MAX_NOTE_CHARS)?;
    case.write_answer(actor, |w| {
        let old_note = item_row(w, item_id)?.map(|o| o.2).unwrap_or_default();
        if old_note == note {
            return item_progress(w, item_id);
        }
        w.execute(
            "INSERT INTO wizard_items (item_id, state, reason, note, updated_at, actor)
             VALUES (?1, 'open', '', ?2, ?3, ?4)
             ON CONFLICT (item_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at,
                 actor = excluded.actor",
            params![item_id, note, w.now(), w.actor().0],
        )?;
        w.audit(
            "wizard.item.note",
            serde_json::json!({ "item": item_id, "from": old_note, "to": note }),
        )?;
        item_progress(w, item_id)
    })
}

/// Copies a file into the case as evidence for an item, with its name, size and SHA-256. The original
/// stays where it is; the case no longer needs it.
pub fn attach_evidence(
    case: &mut Case,
    item_id: &str,
    path: &Path,
    actor: &Actor,
) -> Result<Evidence> {
    known_item(item_id)?;
    case.write_answer(actor, |w| {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::FileNotFound(path.to_path_buf()))?;
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => Error::FileNotFound(path.to_path_buf()),
            _ => Error::io(path, e),
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(Error::io(
                path,
                std::io::Error::other("a folder, not a file"),
            ));
        }
        let too_large = |size| Error::EvidenceTooLarge {
            file: file_name.clone(),
            size,
            max: MAX_EVIDENCE_BYTES,
        };
        if meta.len() > MAX_EVIDENCE_BYTES {
            return Err(too_large(meta.len()));
        }
        // Read with the cap again: the file may grow between the look and the read.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_EVIDENCE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(io)?;
        if bytes.len() as u64 > MAX_EVIDENCE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        let sha256 = hex::encode(Sha256::digest(&bytes));
        w.execute(
            "INSERT INTO wizard_evidence (item_id, file_name, size_bytes, sha256, added_at, actor, content)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                item_id,
                file_name,
                bytes.len() as i64,
                sha256,
                w.now(),
                w.actor().0,
                bytes
            ],
        )?;
        let id = w.last_insert_rowid();
        w.audit(
            "wizard.evidence.add",
            serde_json::json!({
                "item": item_id,
                "evidence": id,
                "file": file_name,
                "size": bytes.len(),
                "sha256": sha256,
            }),
        )?;
        evidence(w, id)
    })
}

fn row_to_evidence(r: &rusqlite::Row<'_>) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: r.get(0)?,
        item_id: r.get(1)?,
        file_name: r.get(2)?,
        size_bytes: r.get::<_, i64>(3)? as u64,
        sha256: r.get(4)?,
        added_at: r.get(5)?,
        actor: r.get(6)?,
    })
}

const EVIDENCE_COLUMNS: &str = "id, item_id, file_name, size_bytes, sha256, added_at, actor";

pub fn evidence(conn: &Connection, id: i64) -> Result<Evidence> {
    conn.query_row(
        &format!("SELECT {EVIDENCE_COLUMNS} FROM wizard_evidence WHERE id = ?1"),
        [id],
        row_to_evidence,
    )
    .optional()?
    .ok_or(Error::NotFound("evidence"))
}

/// The evidence of one item, or of every item, in the order it was added.
pub fn evidence_of(conn: &Connection, item_id: Option<&str>) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVIDENCE_COLUMNS} FROM wizard_evidence WHERE ?1 IS NULL OR item_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([item_id], row_to_evidence)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored bytes of an evidence file.
pub fn evidence_content(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    conn.query_row(
        "SELECT content FROM wizard_evidence WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound("evidence"))
}

/// Writes a copy of an evidence file where the owner chose (to look at it or hand it over); audited, as
/// the copy leaves the encrypted case.
pub fn export_evidence(case: &mut Case, id: i64, dest: &Path, actor: &Actor) -> Result<()> {
    case.write_answer(actor, |w| {
        let e = evidence(w, id)?;
        let bytes = evidence_content(w, id)?;
        crate::output::write_atomic(dest, |out| std::io::Write::write_all(out, &bytes))
            .map_err(|err| Error::io(dest, err))?;
        w.audit(
            "wizard.evidence.export",
            serde_json::json!({
                "item": e.item_id,
                "evidence": id,
                "file": e.file_name,
                "to": dest.display().to_string(),
            }),
        )?;
        Ok(())
    })
}

/// Removes an evidence file from the case; the audit entry keeps its name and hash.
pub fn remove_evidence(case: &mut Case, id: i64, actor: &Actor) -> Result<()> {
    case.write_answer(actor, |w| {
        let e = evidence(w, id)?;
        w.execute("DELETE FROM wizard_evidence WHERE id = ?1", [id])?;
        w.audit(
            "wizard.evidence.remove",
            serde_json::json!({
                "item": e.item_id,
                "evidence": id,
                "file": e.file_name,
                "size": e.size_bytes,
                "sha256": e.sha256,
            }),
        )?;
        Ok(())
    })
}

/// The step to resume at: the one the owner was on last, or the first.
pub fn current_step(conn: &Connection) -> Result<StepId> {
    let saved: Option<String> = conn
        .query_row(
            "SELECT current_step FROM wizard_progress WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(saved
        .as_deref()
        .and_then(StepId::parse)
        .unwrap_or(StepId::Case))
}

/// Remembers the step the owner is on. Nothing is written when it is the same step.
pub fn set_current_step(case: &mut Case, step: StepId, actor: &Actor) -> Result<StepId> {
    case.write_answer(actor, |w| {
        let old = current_step(w)?;
        let saved = w
            .query_row("SELECT 1 FROM wizard_progress WHERE id = 1", [], |_| Ok(()))
            .optional()?
            .is_some();
        if saved && old == step {
            return Ok(step);
        }
        w.execute(
            "INSERT INTO wizard_progress (id, current_step, updated_at) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET current_step = excluded.current_step, updated_at = excluded.updated_at",
            params![step.id(), w.now()],
        )?;
        w.audit(
            "wizard.step",
            serde_json::json!({ "from": old.id(), "to": step.id() }),
        )?;
        Ok(step)
    })
}

/// One item of the review: the content as it stands for the case, and the owner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReviewItem {
    pub item: ItemForCase,
    pub progress: ItemProgress,
    /// Applies, blocks printing and is not resolved.
    pub blocking_open: bool,
    /// For an item answered by the case details: that its state comes from them, or what they still need.
    pub from_case_details: Option<Text>,
    /// For an item answered by the app's figures: the figure, or why it is not known yet and what to do.
    pub from_data: Option<DataAnswer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
pub struct ItemCounts {
    /// Items that apply to the case.
    pub applicable: u32,
    pub done: u32,
    pub not_applicable: u32,
    pub later: u32,
    /// Neither answered nor put off.
    pub open: u32,
    /// Applicable blocking items not yet resolved.
    pub blocking_open: u32,
    pub evidence_files: u32,
}

impl ItemCounts {
    fn add(&mut self, item: &ReviewItem) {
        if !item.item.applies {
            return;
        }
        self.applicable += 1;
        match item.progress.state {
            ItemState::Open => self.open += 1,
            ItemState::Done => self.done += 1,
            ItemState::NotApplicable => self.not_applicable += 1,
            ItemState::Later => self.later += 1,
        }
        self.blocking_open += u32::from(item.blocking_open);
        self.evidence_files += item.progress.evidence.len() as u32;
    }

    /// Every applicable item resolved.
    pub fn complete(&self) -> bool {
        self.done + self.not_applicable == self.applicable
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReviewStep {
    pub id: StepId,
    pub number: usize,
    pub title: Text,
    pub why: Text,
    pub what_to_do: Text,
    pub sources: Vec<SourceRef>,
    pub applies: bool,
    /// Shown instead of the step's content when it does not apply.
    pub not_applicable_reason: Option<Text>,
    pub items: Vec<ReviewItem>,
    pub counts: ItemCounts,
}

/// A blocking item still open, for the list on the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenItem {
    pub step: StepId,
    pub step_number: usize,
    pub item_id: String,
    pub text: Text,
    pub state: ItemState,
}

/// Everything the wizard shows, generated from the content and the owner's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Review {
    pub situation: Situation,
    pub current_step: StepId,
    pub steps: Vec<ReviewStep>,
    pub totals: ItemCounts,
    /// Applicable blocking items not yet done or marked not applicable, in step order.
    pub open_blocking: Vec<OpenItem>,
    /// False while any blocking item is open; a draft can always be printed.
    pub can_print_final: bool,
    /// Registered sources that are not files (the inventory step).
    pub sources: Vec<RegisteredSource>,
    /// The laws the items cite, to name them.
    pub laws: Vec<Law>,
}

/// The review of a case: every step with every item's answer, what is open, whether the final summary
/// may be printed.
///
/// The items answered by the app's figures are worked out first, only those that apply to the case (a courier
/// station's review reads no prepaid totals).
pub fn review(case: &Case) -> Result<Review> {
    review_with(case, KnownFigures::default())
}

/// The review, with figures the caller has already read on the case as it is now.
pub(crate) fn review_with(case: &Case, known: KnownFigures) -> Result<Review> {
    let details = case.read(read_details)?;
    let needed: Vec<DataFact> = wizard()
        .steps_for_case(&details)
        .into_iter()
        .flat_map(|s| s.items)
        .filter(|i| i.applies)
        .filter_map(|i| i.derived_from.and_then(DerivedFrom::data_fact))
        .collect();
    let mut figures: std::collections::HashMap<DataFact, DataAnswer> =
        answers_with(case, &needed, known)?
            .into_iter()
            .map(|a| (a.from, a))
            .collect();
    case.read(|conn| review_on(conn, &mut figures))
}

fn review_on(
    conn: &Connection,
    figures: &mut std::collections::HashMap<DataFact, DataAnswer>,
) -> Result<Review> {
    let details = read_details(conn)?;
    let facts = crate::store::read_facts(conn)?;
    let situation = Situation::of_case(&details);
    let content = wizard();
    let steps_for_case: Vec<StepForCase> = content.steps_for_situation(situation);

    // Two queries for all answers and all evidence, not one per item.
    let mut answers = std::collections::HashMap::new();
    {
        let mut stmt = conn
            .prepare("SELECT item_id, state, reason, note, updated_at, actor FROM wizard_items")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let state: String = r.get(1)?;
            let mut p = ItemProgress::untouched(&id);
            p.state = ItemState::parse(&state)
                .ok_or_else(|| Error::Internal(format!("unknown item state {state}")))?;
            p.reason = r.get(2)?;
            p.note = r.get(3)?;
            p.updated_at = Some(r.get(4)?);
            p.actor = Some(r.get(5)?);
            answers.insert(id, p);
        }
    }
    for e in evidence_of(conn, None)? {
        answers
            .entry(e.item_id.clone())
            .or_insert_with(|| ItemProgress::untouched(&e.item_id))
            .evidence
            .push(e);
    }

    let mut totals = ItemCounts::default();
    let mut open_blocking = Vec::new();
    let steps = steps_for_case
        .into_iter()
        .map(|step| {
            let mut counts = ItemCounts::default();
            let items: Vec<ReviewItem> = step
                .items
                .into_iter()
                .map(|item| {
                    let mut progress = answers
                        .remove(&item.id)
                        .unwrap_or_else(|| ItemProgress::untouched(&item.id));
                    let from_case_details =
                        item.derived_from
                            .and_then(DerivedFrom::case_fact)
                            .map(|fact| {
                                derive(&mut progress, fact, &details, &facts);
                                fact.note(fact.holds(&details, &facts))
                            });
                    // Worked out for the items that apply; one that does not keeps the owner's answer
                    // as stored (it counts for nothing).
                    let from_data = item
                        .derived_from
                        .and_then(DerivedFrom::data_fact)
                        .and_then(|fact| figures.remove(&fact));
                    if let Some(answer) = &from_data {
                        derive_from_data(&mut progress, answer);
                    }
                    let blocking_open = item.blocks_printing && !progress.state.resolved();
                    if blocking_open {
                        open_blocking.push(OpenItem {
                            step: step.id,
                            step_number: step.number,
                            item_id: item.id.clone(),
                            text: item.text.clone(),
                            state: progress.state,
                        });
                    }
                    let r = ReviewItem {
                        item,
                        progress,
                        blocking_open,
                        from_case_details,
                        from_data,
                    };
                    counts.add(&r);
                    totals.add(&r);
                    r
                })
                .collect();
            ReviewStep {
                id: step.id,
                number: step.number,
                title: step.title,
                why: step.why,
                what_to_do: step.what_to_do,
                sources: step.sources,
                applies: step.applies,
                not_applicable_reason: step.not_applicable_reason,
                items,
                counts,
            }
        })
        .collect();
    Ok(Review {
        situation,
        current_step: current_step(conn)?,
        steps,
        totals,
        can_print_final: open_blocking.is_empty(),
        open_blocking,
        sources: registered_sources(conn)?,
        laws: content.laws.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::inventory::{
        register_source, registered_sources, remove_source, update_source, PlaceKind,
        SourceHandling, SourceInput,
    };
    use super::*;
    use crate::case::{BusinessKind, CaseDetails, Recipient, Seller, TransferReason};
    use crate::i18n::Message;
    use crate::Lang;

    const PASSPHRASE: &str = "Correct-Horse-Battery-9";

    fn shop_details() -> CaseDetails {
        CaseDetails {
            kind: BusinessKind::Shop,
            reason: TransferReason::SaleWhole,
            seller: Seller {
                name: "王记便利店".into(),
                contact: "13800001111".into(),
                responsible_person: "王五".into(),
            },
            recipient: Some(Recipient {
                name: "赵六超市".into(),
                contact: "13900002222".into(),
            }),
            handover_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
            notes: String::new(),
        }
    }

    fn new_case(dir: &Path, details: CaseDetails) -> (Case, Actor) {
        let actor = Actor("test:owner".into());
        let case = Case::create(&dir.join("case.handover"), PASSPHRASE, details, &actor).unwrap();
        (case, actor)
    }

    fn audit_actions(case: &Case) -> Vec<String> {
        case.audit_entries()
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }

    fn item<'a>(r: &'a Review, id: &str) -> &'a ReviewItem {
        r.steps
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.item.id == id)
            .unwrap()
    }

    #[test]
    fn answers_survive_closing_and_reopening_the_case() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor).unwrap();
        set_item_state(&mut case, "inventory-paper", ItemState::Later, "", &actor).unwrap();
        set_item_state(
            &mut case,
            "inventory-wechat",
            ItemState::NotApplicable,
            "  本店没有客户微信群 ",
            &actor,
        )
        .unwrap();
        set_item_note(
            &mut case,
            "inventory-paper",
            "会员登记本在收银台抽屉里\n",
            &actor,
        )
        .unwrap();
        set_current_step(&mut case, StepId::Notices, &actor).unwrap();
        let path = case.path().to_path_buf();
        case.close().unwrap();

        let case = Case::open(&path, PASSPHRASE).unwrap();
        let r = review(&case).unwrap();
        assert_eq!(r.current_step, StepId::Notices);
        assert_eq!(item(&r, "inventory-files").progress.state, ItemState::Done);
        let paper = &item(&r, "inventory-paper").progress;
        assert_eq!(paper.state, ItemState::Later);
        assert_eq!(paper.note, "会员登记本在收银台抽屉里");
        assert_eq!(paper.actor.as_deref(), Some("test:owner"));
        let wechat = &item(&r, "inventory-wechat").progress;
        assert_eq!(wechat.state, ItemState::NotApplicable);
        assert_eq!(wechat.reason, "本店没有客户微信群");
        assert_eq!(item(&r, "inventory-phone").progress.state, ItemState::Open);
        assert!(item(&r, "inventory-phone").progress.updated_at.is_none());
    }

    #[test]
    fn every_change_is_audited_once_and_repeats_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor).unwrap();
        set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor).unwrap();
        set_item_note(&mut case, "inventory-files", "门店", &actor).unwrap();
        set_item_note(&mut case, "inventory-files", "门店  ", &actor).unwrap();
        set_current_step(&mut case, StepId::Inventory, &actor).unwrap();
        set_current_step(&mut case, StepId::Inventory, &actor).unwrap();
        assert_eq!(
            audit_actions(&case),
            [
                "case.create",
                "wizard.item.state",
                "wizard.item.note",
                "wizard.step"
            ]
        );
        let last_state = case
            .audit_entries()
            .unwrap()
            .into_iter()
            .find(|e| e.action == "wizard.item.state")
            .unwrap();
        let detail: serde_json::Value = serde_json::from_str(&last_state.detail).unwrap();
        assert_eq!(detail["item"], "inventory-files");
        assert_eq!(detail["from"], "open");
        assert_eq!(detail["to"], "done");
        assert!(case.verify_audit().unwrap().ok);
    }

    #[test]
    fn not_applicable_needs_a_reason_and_unknown_items_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        let e = set_item_state(
            &mut case,
            "inventory-files",
            ItemState::NotApplicable,
            "  ",
            &actor,
        )
        .unwrap_err();
        assert_eq!(e.code(), "reason_required");
        let e = set_item_state(&mut case, "no-such-item", ItemState::Done, "", &actor).unwrap_err();
        assert_eq!(e.code(), "unknown_item");
        let long = "长".repeat(MAX_NOTE_CHARS + 1);
        let e = set_item_note(&mut case, "inventory-files", &long, &actor).unwrap_err();
        assert_eq!(e.code(), "text_too_long");
        assert_eq!(audit_actions(&case), ["case.create"]);
        // Going back from not applicable to done drops the old reason.
        set_item_state(
            &mut case,
            "inventory-phone",
            ItemState::NotApplicable,
            "店里不用手机联系客户",
            &actor,
        )
        .unwrap();
        let p = set_item_state(
            &mut case,
            "inventory-phone",
            ItemState::Done,
            "ignored",
            &actor,
        )
        .unwrap();
        assert_eq!((p.state, p.reason.as_str()), (ItemState::Done, ""));
    }

    #[test]
    fn evidence_is_copied_into_the_case_hashed_listed_and_removable() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        let receipt = dir.path().join("签收单.jpg");
        let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&receipt, &bytes).unwrap();
        let e = attach_evidence(&mut case, "transfer-receipt", &receipt, &actor).unwrap();
        assert_eq!(e.file_name, "签收单.jpg");
        assert_eq!(e.size_bytes, 70_000);
        assert_eq!(e.sha256, hex::encode(Sha256::digest(&bytes)));
        // The original may go: the case holds the bytes.
        std::fs::remove_file(&receipt).unwrap();
        let path = case.path().to_path_buf();
        case.close().unwrap();
        let mut case = Case::open(&path, PASSPHRASE).unwrap();
        assert_eq!(evidence_content(case.connection(), e.id).unwrap(), bytes);
        let r = review(&case).unwrap();
        assert_eq!(
            item(&r, "transfer-receipt").progress.evidence,
            vec![e.clone()]
        );
        assert_eq!(r.totals.evidence_files, 1);
        // Nothing of it is readable outside the encrypted file.
        let raw = std::fs::read(&path).unwrap();
        assert!(!raw.windows(16).any(|w| w == &bytes[1000..1016]));

        let copy = dir.path().join("copy.jpg");
        export_evidence(&mut case, e.id, &copy, &actor).unwrap();
        assert_eq!(std::fs::read(&copy).unwrap(), bytes);

        remove_evidence(&mut case, e.id, &actor).unwrap();
        assert!(evidence_of(case.connection(), None).unwrap().is_empty());
        assert_eq!(
            remove_evidence(&mut case, e.id, &actor).unwrap_err().code(),
            "not_found"
        );
        let actions = audit_actions(&case);
        assert_eq!(
            &actions[1..],
            [
                "wizard.evidence.add",
                "wizard.evidence.export",
                "wizard.evidence.remove"
            ]
        );
        let missing = attach_evidence(&mut case, "transfer-receipt", &receipt, &actor).unwrap_err();
        assert_eq!(missing.code(), "file_not_found");
    }

    #[test]
    fn an_oversized_evidence_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        let big = dir.path().join("录像.mp4");
        let f = std::fs::File::create(&big).unwrap();
        // Sparse: no disk space needed.
        f.set_len(MAX_EVIDENCE_BYTES + 1).unwrap();
        let e = attach_evidence(&mut case, "destruction-paper", &big, &actor).unwrap_err();
        assert_eq!(e.code(), "evidence_too_large");
        assert!(e.message(Lang::ZhCn).contains("录像.mp4"));
        assert!(evidence_of(case.connection(), None).unwrap().is_empty());
    }

    #[test]
    fn the_review_lists_open_blocking_items_and_gates_the_final_print() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        // Unanswered, the questions about the recipient's purpose and whereabouts block the final print.
        let r = review(&case).unwrap();
        for id in ["case-purpose-change", "case-cross-border"] {
            assert!(item(&r, id).blocking_open, "{id}");
            assert!(r.open_blocking.iter().any(|o| o.item_id == id), "{id}");
        }
        case.set_facts(
            crate::case::CaseFacts {
                purpose_change: Some(false),
                cross_border: Some(false),
                ..crate::case::CaseFacts::default()
            },
            &actor,
        )
        .unwrap();
        let r = review(&case).unwrap();
        assert_eq!(r.steps.len(), 11);
        assert!(!r.can_print_final);
        // Every applicable blocking item is listed, in step order; none that does not apply.
        // The items answered by the case details are done: the shop's details are complete. Those answered
        // by the app's figures are open: nothing is imported, no plan computed.
        let by_hand: Vec<&str> = r
            .steps
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| i.item.blocks_printing && i.item.derived_from.is_none())
            .map(|i| i.item.id.as_str())
            .collect();
        let from_figures: Vec<&str> = r
            .steps
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| {
                i.item.blocks_printing
                    && i.item
                        .derived_from
                        .and_then(DerivedFrom::data_fact)
                        .is_some()
            })
            .map(|i| i.item.id.as_str())
            .collect();
        let listed: Vec<&str> = r.open_blocking.iter().map(|o| o.item_id.as_str()).collect();
        let open_expected: Vec<&str> = r
            .steps
            .iter()
            .flat_map(|s| &s.items)
            .map(|i| i.item.id.as_str())
            .filter(|id| by_hand.contains(id) || from_figures.contains(id))
            .collect();
        assert_eq!(listed, open_expected);
        for id in &from_figures {
            let i = item(&r, id);
            assert!(i.blocking_open, "{id}");
            let answer = i.from_data.as_ref().unwrap();
            assert!(!answer.answered && answer.not_yet.is_some(), "{id}");
        }
        let expected = by_hand;
        for id in [
            "case-kind",
            "case-reason",
            "case-seller",
            "case-responsible",
            "case-recipient",
        ] {
            assert_eq!(item(&r, id).progress.state, ItemState::Done, "{id}");
            assert!(!item(&r, id).blocking_open, "{id}");
        }
        assert!(
            listed.contains(&"decisions-prepaid"),
            "a shop's prepaid balances"
        );
        assert!(
            !listed.contains(&"decisions-courier-return"),
            "courier stations only"
        );
        assert!(
            !listed.contains(&"case-no-recipient"),
            "the shop has a recipient"
        );
        // The courier item is there, marked as not applying, with its reason.
        let courier = item(&r, "decisions-courier-return");
        assert!(!courier.item.applies);
        assert!(courier.item.not_applicable_reason.is_some());

        // "Later" keeps an item open; done or not applicable (with a reason) resolves it.
        for (i, id) in expected.iter().enumerate() {
            if i % 2 == 0 {
                set_item_state(&mut case, id, ItemState::Done, "", &actor).unwrap();
            } else {
                set_item_state(
                    &mut case,
                    id,
                    ItemState::NotApplicable,
                    "本案不涉及",
                    &actor,
                )
                .unwrap();
            }
        }
        set_item_state(&mut case, expected[0], ItemState::Later, "", &actor).unwrap();
        let r = review(&case).unwrap();
        assert!(!r.can_print_final);
        assert_eq!(r.open_blocking.len(), 1 + from_figures.len());
        assert_eq!(r.open_blocking[0].item_id, expected[0]);
        assert_eq!(r.open_blocking[0].state, ItemState::Later);
        set_item_state(&mut case, expected[0], ItemState::Done, "", &actor).unwrap();
        let r = review(&case).unwrap();
        // What is left is what the app's figures answer (see `derived::tests` for the way to a final print).
        let left: Vec<&str> = r.open_blocking.iter().map(|o| o.item_id.as_str()).collect();
        assert_eq!(left, from_figures);
        assert!(!r.can_print_final);
        assert_eq!(r.totals.blocking_open, from_figures.len() as u32);
        assert_eq!(
            r.totals.applicable,
            r.totals.done + r.totals.not_applicable + r.totals.later + r.totals.open
        );
    }

    #[test]
    fn steps_that_do_not_apply_say_why_and_follow_the_case_details() {
        let dir = tempfile::tempdir().unwrap();
        let mut details = shop_details();
        details.reason = TransferReason::Dissolution;
        details.recipient = None;
        let (mut case, actor) = new_case(dir.path(), details);
        let r = review(&case).unwrap();
        for id in [StepId::Minimisation, StepId::Agreement, StepId::Transfer] {
            let step = r.steps.iter().find(|s| s.id == id).unwrap();
            assert!(!step.applies, "{id:?}");
            assert!(step.not_applicable_reason.is_some());
            assert_eq!(step.counts.applicable, 0);
            assert!(!step.items.is_empty(), "the items are still listed");
        }
        assert!(r
            .open_blocking
            .iter()
            .any(|o| o.item_id == "case-no-recipient"));
        // A successor entered later brings the transfer steps back.
        let mut d = case.details().unwrap();
        d.recipient = Some(Recipient {
            name: "继任者".into(),
            contact: "13700003333".into(),
        });
        case.update_details(d, &actor).unwrap();
        let r = review(&case).unwrap();
        assert!(r.situation.has_recipient);
        assert!(r.steps.iter().all(|s| s.applies));
    }

    /// The case step's items answered by the details, with their states, in content order.
    fn case_items(r: &Review) -> Vec<(&str, ItemState)> {
        r.steps[0]
            .items
            .iter()
            .filter(|i| i.item.derived_from.is_some())
            .map(|i| (i.item.id.as_str(), i.progress.state))
            .collect()
    }

    #[test]
    fn case_items_are_ticked_from_the_case_details_and_follow_their_edits() {
        use ItemState::{Done, Open};
        let dir = tempfile::tempdir().unwrap();
        // A case created quickly: the seller's name and nothing else yet.
        let mut details = shop_details();
        details.seller.contact = String::new();
        details.seller.responsible_person = String::new();
        details.recipient = None;
        details.handover_date = None;
        let (mut case, actor) = new_case(dir.path(), details);

        let r = review(&case).unwrap();
        assert_eq!(
            case_items(&r),
            [
                ("case-kind", Done),
                ("case-reason", Done),
                ("case-seller", Open),
                ("case-responsible", Open),
                // A whole-business sale has a recipient, still to be entered.
                ("case-recipient", Open),
                ("case-date", Open),
                ("case-purpose-change", Open),
                ("case-cross-border", Open),
            ]
        );
        let open: Vec<&str> = r
            .open_blocking
            .iter()
            .map(|o| o.item_id.as_str())
            .filter(|id| id.starts_with("case-"))
            .collect();
        // The two questions about the recipient (purpose, abroad) are open until the facts answer them, and
        // the final summary waits for them: an owner who never answers cannot print it.
        assert_eq!(
            open,
            [
                "case-seller",
                "case-responsible",
                "case-recipient",
                "case-purpose-change",
                "case-cross-border"
            ]
        );
        let step = &r.steps[0];
        assert_eq!((step.counts.done, step.counts.open), (2, 6));
        assert_eq!(step.counts.blocking_open, 5);
        let kind = item(&r, "case-kind").from_case_details.clone().unwrap();
        assert!(kind.zh.contains("已按案件信息自动勾选"), "{}", kind.zh);
        assert!(
            kind.en.contains("Ticked from the case details"),
            "{}",
            kind.en
        );
        let seller = item(&r, "case-seller").from_case_details.clone().unwrap();
        assert!(seller.zh.contains("转让方名称和联系方式"), "{}", seller.zh);
        assert!(
            seller.en.contains("the seller's name and contact"),
            "{}",
            seller.en
        );
        assert_eq!(item(&r, "inventory-files").from_case_details, None);

        // Not by hand, either way; the owner's note is welcome.
        for state in [Done, ItemState::Later, Open] {
            let e = set_item_state(&mut case, "case-seller", state, "", &actor).unwrap_err();
            assert_eq!(e.code(), "item_from_case_details");
        }
        let e = set_item_state(
            &mut case,
            "case-kind",
            ItemState::NotApplicable,
            "不适用",
            &actor,
        )
        .unwrap_err();
        assert!(e.message(Lang::ZhCn).contains("案件信息"));
        let p = set_item_note(&mut case, "case-seller", "电话待店长确认", &actor).unwrap();
        assert_eq!((p.state, p.note.as_str()), (Open, "电话待店长确认"));

        // The details filled in step by step: each item follows.
        let mut d = case.details().unwrap();
        d.seller.contact = "13800001111".into();
        d.seller.responsible_person = "王五".into();
        d.recipient = Some(Recipient {
            name: "赵六超市".into(),
            contact: String::new(),
        });
        case.update_details(d.clone(), &actor).unwrap();
        let r = review(&case).unwrap();
        assert_eq!(
            case_items(&r)[2..],
            [
                ("case-seller", Done),
                ("case-responsible", Done),
                ("case-recipient", Open),
                ("case-date", Open),
                ("case-purpose-change", Open),
                ("case-cross-border", Open),
            ]
        );
        assert_eq!(item(&r, "case-seller").progress.note, "电话待店长确认");
        assert_eq!(
            item_progress(case.connection(), "case-seller")
                .unwrap()
                .state,
            Done
        );
        d.recipient = Some(Recipient {
            name: "赵六超市".into(),
            contact: "13900002222".into(),
        });
        d.handover_date = chrono::NaiveDate::from_ymd_opt(2026, 12, 31);
        case.update_details(d.clone(), &actor).unwrap();
        // The questions about the recipient are ticked by the case facts: a recipient abroad only once the
        // way abroad is known.
        let facts = crate::case::CaseFacts {
            purpose_change: Some(false),
            cross_border: Some(true),
            ..crate::case::CaseFacts::default()
        };
        case.set_facts(facts, &actor).unwrap();
        let r = review(&case).unwrap();
        assert_eq!(item(&r, "case-purpose-change").progress.state, Done);
        assert_eq!(item(&r, "case-cross-border").progress.state, Open);
        case.set_facts(
            crate::case::CaseFacts {
                cross_border_mechanism: Some(crate::case::CrossBorderMechanism::StandardContract),
                ..facts
            },
            &actor,
        )
        .unwrap();
        let r = review(&case).unwrap();
        assert!(
            case_items(&r).iter().all(|(_, s)| *s == Done),
            "{:?}",
            case_items(&r)
        );
        assert!(r.open_blocking.iter().all(|o| o.step != StepId::Case));
        // Every applicable item of the step is answered: case-no-recipient does not apply here.
        assert!(r.steps[0].counts.complete(), "{:?}", r.steps[0].counts);
        assert_eq!(r.steps[0].counts.blocking_open, 0);

        // Emptied again, the tick goes again; the same after closing and reopening the file.
        d.handover_date = None;
        d.seller.contact = String::new();
        case.update_details(d, &actor).unwrap();
        let path = case.path().to_path_buf();
        case.close().unwrap();
        let case = Case::open(&path, PASSPHRASE).unwrap();
        let r = review(&case).unwrap();
        assert_eq!(item(&r, "case-date").progress.state, Open);
        assert_eq!(item(&r, "case-seller").progress.state, Open);
        assert!(r.open_blocking.iter().any(|o| o.item_id == "case-seller"));

        // A state stored for such an item (ticked by hand in an older version) does not count.
        case.connection()
            .execute(
                "UPDATE wizard_items SET state = 'done' WHERE item_id = 'case-seller'",
                [],
            )
            .unwrap();
        case.connection()
            .execute(
                "INSERT INTO wizard_items (item_id, state, reason, note, updated_at, actor)
                 VALUES ('case-date', 'not_applicable', '还没定', '', 'then', 'test')",
                [],
            )
            .unwrap();
        let r = review(&case).unwrap();
        assert_eq!(item(&r, "case-seller").progress.state, Open);
        let date = &item(&r, "case-date").progress;
        assert_eq!((date.state, date.reason.as_str()), (Open, ""));

        // The ticks have no audit entries of their own: the details and facts changes that moved them do.
        assert_eq!(
            audit_actions(&case),
            [
                "case.create",
                "wizard.item.note",
                "case.details.update",
                "case.details.update",
                "case.facts.update",
                "case.facts.update",
                "case.details.update",
            ]
        );
    }

    #[test]
    fn nothing_is_written_while_an_import_waits() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        case.begin_import().unwrap();
        let e =
            set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor).unwrap_err();
        assert_eq!(e.code(), "import_pending");
        case.discard_import().unwrap();
        set_item_state(&mut case, "inventory-files", ItemState::Done, "", &actor).unwrap();
    }

    #[test]
    fn non_file_sources_are_registered_edited_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        let logbook = SourceInput {
            kind: PlaceKind::Paper,
            label: " 会员登记本（2本） ".into(),
            description: "2023—2025年，收银台抽屉".into(),
            handling: SourceHandling::Destroy,
            handling_note: "交接后粉碎，拍照留证".into(),
        };
        let s = register_source(&mut case, logbook.clone(), &actor).unwrap();
        assert_eq!(s.label, "会员登记本（2本）");
        assert_eq!(s.kind, PlaceKind::Paper);
        let group = register_source(
            &mut case,
            SourceInput {
                kind: PlaceKind::WechatGroup,
                label: "王记会员群".into(),
                description: "约300人，群主是店主".into(),
                handling: SourceHandling::Undecided,
                handling_note: String::new(),
            },
            &actor,
        )
        .unwrap();
        let edited = update_source(
            &mut case,
            group.id,
            SourceInput {
                handling: SourceHandling::Transfer,
                handling_note: "群里发告知，由接收方另建新群".into(),
                kind: PlaceKind::WechatGroup,
                label: "王记会员群".into(),
                description: "约300人，群主是店主".into(),
            },
            &actor,
        )
        .unwrap();
        assert_eq!(edited.handling, SourceHandling::Transfer);
        // Unchanged: not written again.
        update_source(&mut case, s.id, logbook.clone(), &actor).unwrap();
        let e = register_source(
            &mut case,
            SourceInput {
                label: "  ".into(),
                ..logbook.clone()
            },
            &actor,
        )
        .unwrap_err();
        assert_eq!(e.code(), "text_required");

        let all = registered_sources(case.connection()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(review(&case).unwrap().sources, all);
        assert_eq!(case.overview().unwrap().sources, 2);

        remove_source(&mut case, s.id, &actor).unwrap();
        assert_eq!(
            remove_source(&mut case, s.id, &actor).unwrap_err().code(),
            "not_found"
        );
        assert_eq!(registered_sources(case.connection()).unwrap(), vec![edited]);
        assert_eq!(
            &audit_actions(&case)[1..],
            [
                "wizard.source.add",
                "wizard.source.add",
                "wizard.source.update",
                "wizard.source.remove"
            ]
        );
        assert!(case.verify_audit().unwrap().ok);
    }

    #[test]
    fn employees_and_cctv_are_listed_but_not_customer_information() {
        let dir = tempfile::tempdir().unwrap();
        let (mut case, actor) = new_case(dir.path(), shop_details());
        // Employees' records and CCTV footage are listed like any other place, but are not customer
        // information: they go to the recipient only with a written reason.
        let cctv = SourceInput {
            kind: PlaceKind::Cctv,
            label: "门口监控硬盘（近30天）".into(),
            description: "收银台上方摄像头".into(),
            handling: SourceHandling::Transfer,
            handling_note: String::new(),
        };
        let e = register_source(&mut case, cctv.clone(), &actor).unwrap_err();
        assert_eq!(e.code(), "not_customer_information");
        let staff = register_source(
            &mut case,
            SourceInput {
                kind: PlaceKind::EmployeeRecords,
                label: "店员花名册".into(),
                handling: SourceHandling::Destroy,
                ..cctv.clone()
            },
            &actor,
        )
        .unwrap();
        let cctv = register_source(
            &mut case,
            SourceInput {
                handling_note: "新店主继续使用该摄像头，录像随设备移交，已在门口张贴告示".into(),
                ..cctv
            },
            &actor,
        )
        .unwrap();
        let listed = case.read(registered_sources).unwrap();
        assert!(listed
            .iter()
            .any(|s| s.id == staff.id && s.kind == PlaceKind::EmployeeRecords));
        assert!(listed
            .iter()
            .any(|s| s.id == cctv.id && s.kind == PlaceKind::Cctv));
    }
}
