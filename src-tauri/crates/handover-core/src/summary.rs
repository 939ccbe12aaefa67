//! The handover summary (交接清单) as data: [`SummaryModel`], built from a case in the language of the
//! document, with every personal value masked in the case's masking style. No rendering here: the
//! `handover-documents` crate turns the model into PDF and DOCX from `assets/documents/summary.*.toml`.
//!
//! The figures come from where the rest of the app reads them: the stored plan (`rules::plan::summary`, the
//! same numbers `handover plan --json` prints), the classification summary, the wizard's review (checklist,
//! open blocking items, evidence with SHA-256), the audit log (entry count and head hash). The per-customer
//! prepaid balances go to an annex CSV through [`crate::output::SafeCsvWriter`] and [`write_atomic`]; the
//! document prints its file name, SHA-256 and row count.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::Actor;
use crate::classification::{classification_summary, mask_style, ClassificationSummary};
use crate::detect::category::{Category, Sensitivity};
use crate::detect::mask::{mask, mask_name, mask_text, MaskStyle};
use crate::error::{Error, Result};
use crate::field::FieldType;
use crate::i18n::{Label, Lang};
use crate::output::{write_atomic, SafeCsvWriter};
use crate::rules::plan;
use crate::store::Case;
use crate::wizard::derived::{read_plan_and_summary, KnownFigures, PlanRead};
use crate::wizard::inventory::{registered_sources, PlaceKind, SourceHandling};
use crate::wizard::state::{review_with, ItemState, Review};

/// The summary's own words (labels of states and fixed phrases), worded in `crate::messages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryWord {
    NotGiven,
    ImportedFile,
    HandledPerPlan,
    FieldNeeded,
    FieldNeededByDefault,
    FieldNotNeeded,
    Yes,
    No,
    StateOpen,
    StateDone,
    StateNotApplicable,
    StateLater,
    Evidence,
    PlaceKind(PlaceKind),
    Handling(SourceHandling),
}

impl From<ItemState> for SummaryWord {
    fn from(s: ItemState) -> Self {
        match s {
            ItemState::Open => SummaryWord::StateOpen,
            ItemState::Done => SummaryWord::StateDone,
            ItemState::NotApplicable => SummaryWord::StateNotApplicable,
            ItemState::Later => SummaryWord::StateLater,
        }
    }
}

/// What the caller chooses.
#[derive(Debug, Clone, Default)]
pub struct SummaryOptions {
    /// The operator (经办人) named in the document; default: the case details' responsible person.
    pub operator: Option<String>,
    /// Ask for a draft even when a final summary could be made.
    pub draft: bool,
    /// Where to write the per-customer prepaid annex (CSV); none is written when `None` or when there are
    /// no balances.
    pub annex: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Business {
    pub name: String,
    pub kind: String,
    pub legal_form: String,
    pub contact: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Party {
    pub name: String,
    pub contact: String,
    pub responsible_person: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    /// The person named by the owner.
    pub name: String,
    /// The operating-system account that made the document (recorded in the audit log, not printed).
    pub account: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceLine {
    pub name: String,
    pub kind: String,
    pub records: String,
    pub handling: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub records: u64,
    pub customers: u64,
    pub sources: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomerLine {
    pub label: String,
    pub customers: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeLine {
    pub id: String,
    pub label: String,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldLine {
    pub id: String,
    pub label: String,
    pub transferred: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrepaidOutcome {
    pub id: String,
    pub label: String,
    pub total: String,
    pub records: u64,
}

/// The annex file as the document cites it.
#[derive(Debug, Clone, Serialize)]
pub struct Annex {
    pub file: String,
    pub path: String,
    pub sha256: String,
    /// Data rows (the header not counted).
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Prepaid {
    /// Exact to the fen, as `handover plan --json` prints `prepaid_total`.
    pub total: String,
    pub customers: u64,
    pub records: u64,
    pub refunded: String,
    pub by_outcome: Vec<PrepaidOutcome>,
    pub annex: Option<Annex>,
}

/// Notices sent and replies received (filled by the notices module once it records them; zeros until then).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NoticeFigures {
    pub sent: u64,
    pub failed: u64,
    pub objections: u64,
    pub consents: u64,
    pub deletion_requests: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistLine {
    pub step: String,
    pub item: String,
    pub state: String,
    /// The owner's note, masked, and each evidence file's name with its SHA-256.
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenLine {
    pub step: String,
    pub item: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditFigures {
    pub entries: u64,
    pub head_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanFigures {
    pub computed_at: String,
    pub rulebook_sha256: String,
}

/// Everything the summary says, in one language, personal data masked.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryModel {
    pub lang: String,
    pub case_name: String,
    pub draft: bool,
    pub open_blocking_count: u64,
    pub open_blocking: Vec<OpenLine>,
    pub business: Business,
    pub seller: Party,
    pub recipient: Party,
    pub reason: String,
    pub handover_date: String,
    pub operator: Operator,
    pub generated_at: String,
    /// The masking style's name and what it hides, as the document names them.
    pub mask_style: String,
    pub mask_style_description: String,
    pub mask_style_id: String,
    pub sources: Vec<SourceLine>,
    pub counts: Counts,
    pub categories: Vec<CustomerLine>,
    pub sensitivity: Vec<CustomerLine>,
    pub outcomes: Vec<OutcomeLine>,
    pub plan: PlanFigures,
    pub fields: Vec<FieldLine>,
    pub prepaid: Prepaid,
    pub notices: NoticeFigures,
    pub checklist: Vec<ChecklistLine>,
    pub audit: AuditFigures,
}

/// Builds the summary of a case in `lang`. Writes the prepaid annex when asked and there are balances.
///
/// Every figure is read once. The overview (a pass over every record) and the plan's summary are read on a
/// second connection while this one writes the annex; the checklist's review is then built from them (it
/// read them again, and the summary took twice as long). Both connections must have read the same case: if
/// another connection committed meanwhile (`data_version` moved), what was read beside is read again here.
pub fn build(
    case: &Case,
    lang: Lang,
    actor: &Actor,
    options: &SummaryOptions,
) -> Result<SummaryModel> {
    let reference = case.read(|conn| {
        Ok(crate::store::read_details(conn)?
            .handover_date
            .unwrap_or_else(|| chrono::Local::now().date_naive()))
    })?;
    let read_beside = |c: &Connection| -> Result<Beside> {
        let overview = classification_summary(c, reference)?;
        let (plan, plan_read) = read_plan_and_summary(c)?;
        Ok(Beside {
            overview,
            plan,
            plan_read,
        })
    };
    let before = case.data_version()?;
    let second = case.second_reader()?;
    let (mut model, style, known) = std::thread::scope(|s| {
        let mut beside = second.map(|c| s.spawn(move || read_beside(&c)));
        case.read(|conn| {
            let mut figures = |c: &Connection| -> Result<Beside> {
                match beside.take() {
                    Some(thread) => {
                        let read = thread.join().map_err(|_| {
                            Error::Internal("reading the overview stopped".into())
                        })??;
                        if case.data_version()? == before {
                            Ok(read)
                        } else {
                            read_beside(c)
                        }
                    }
                    None => read_beside(c),
                }
            };
            build_on(conn, case, lang, actor, options, &mut figures)
        })
    })?;
    let review = review_with(case, known)?;
    add_checklist(&mut model, &review, style, lang, options);
    Ok(model)
}

/// What is read beside the annex: the overview, the plan's summary and the plan's figures for the checklist.
struct Beside {
    overview: ClassificationSummary,
    plan: Option<plan::PlanSummary>,
    plan_read: PlanRead,
}

/// The checklist, its open blocking items and whether the summary is a draft, from the review.
fn add_checklist(
    model: &mut SummaryModel,
    review: &Review,
    style: MaskStyle,
    lang: Lang,
    options: &SummaryOptions,
) {
    let w = |x: SummaryWord| x.label(lang).to_string();
    let mut checklist = Vec::new();
    for step in &review.steps {
        for item in &step.items {
            if !item.item.applies {
                continue;
            }
            let mut note = mask_text(item.progress.note.trim(), style);
            // An item the app answers from its figures prints the figure (counts and totals, no person).
            if let Some(figure) = &item.from_data {
                let figure = figure.note.get(lang);
                note = if note.is_empty() {
                    figure.to_string()
                } else {
                    format!("{figure}\n{note}")
                };
            }
            if item.progress.state == ItemState::NotApplicable
                && !item.progress.reason.trim().is_empty()
            {
                let reason = mask_text(item.progress.reason.trim(), style);
                note = if note.is_empty() {
                    reason
                } else {
                    format!("{reason}{}{note}", lang.pick("；", "; "))
                };
            }
            for e in &item.progress.evidence {
                if !note.is_empty() {
                    note.push('\n');
                }
                let file = mask_text(&e.file_name, style);
                note.push_str(&match lang {
                    Lang::ZhCn => format!(
                        "{}：{file}（SHA-256 {}）",
                        w(SummaryWord::Evidence),
                        e.sha256
                    ),
                    Lang::En => format!(
                        "{}: {file} (SHA-256 {})",
                        w(SummaryWord::Evidence),
                        e.sha256
                    ),
                });
            }
            checklist.push(ChecklistLine {
                step: step.number.to_string(),
                item: item.item.text.get(lang).to_string(),
                state: w(item.progress.state.into()),
                note,
            });
        }
    }
    let open_blocking: Vec<OpenLine> = review
        .open_blocking
        .iter()
        .map(|o| OpenLine {
            step: o.step_number.to_string(),
            item: o.text.get(lang).to_string(),
        })
        .collect();
    model.checklist = checklist;
    model.open_blocking_count = open_blocking.len() as u64;
    model.open_blocking = open_blocking;
    model.draft = options.draft || !review.can_print_final;
}

/// Everything but the checklist ([`add_checklist`]); also returns the masking style and the figures the
/// checklist's review needs, read here once.
fn build_on(
    conn: &Connection,
    case: &Case,
    lang: Lang,
    actor: &Actor,
    options: &SummaryOptions,
    figures_beside: &mut dyn FnMut(&Connection) -> Result<Beside>,
) -> Result<(SummaryModel, MaskStyle, KnownFigures)> {
    let w = |x: SummaryWord| x.label(lang).to_string();
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            w(SummaryWord::NotGiven)
        } else {
            s.to_string()
        }
    };
    let style = mask_style(conn)?;
    let masked = |s: &str| or_none(&mask_text(s, style));
    let details = crate::store::read_details(conn)?;
    let case_name = case
        .path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();

    // Sources: imported files, then registered non-file sources.
    let mut sources = Vec::new();
    let mut files = 0u64;
    {
        let mut stmt = conn.prepare(
            "SELECT s.label, s.file_name, (SELECT count(*) FROM records r WHERE r.source_id = s.id)
             FROM sources s WHERE s.kind = 'file' ORDER BY s.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let label: String = r.get(0)?;
            let file: Option<String> = r.get(1)?;
            let n: i64 = r.get(2)?;
            files += 1;
            sources.push(SourceLine {
                name: mask_text(file.as_deref().unwrap_or(&label), style),
                kind: w(SummaryWord::ImportedFile),
                records: n.to_string(),
                handling: w(SummaryWord::HandledPerPlan),
            });
        }
    }
    for s in registered_sources(conn)? {
        let mut handling = w(SummaryWord::Handling(s.handling));
        if !s.handling_note.trim().is_empty() {
            handling = format!(
                "{handling}{}{}",
                lang.pick("：", ": "),
                mask_text(&s.handling_note, style)
            );
        }
        let mut name = mask_text(&s.label, style);
        if !s.description.trim().is_empty() {
            let d = mask_text(&s.description, style);
            name = match lang {
                Lang::ZhCn => format!("{name}（{d}）"),
                Lang::En => format!("{name} ({d})"),
            };
        }
        sources.push(SourceLine {
            name,
            kind: w(SummaryWord::PlaceKind(s.kind)),
            records: "—".into(),
            handling,
        });
    }

    // The annex first: the overview and the plan's figures are read beside it (see `build`). It is written
    // only if some customer is owed a balance (it has lines).
    let annex = match &options.annex {
        Some(path) => write_annex(conn, path, style, lang)?,
        None => None,
    };
    let Beside {
        overview: class,
        plan: plan_summary,
        plan_read,
    } = figures_beside(conn)?;
    let plan_summary = plan_summary.as_ref();
    let (outcomes, plan_figures, prepaid) = match plan_summary {
        Some(p) => (
            p.outcomes
                .iter()
                .map(|o| OutcomeLine {
                    id: o.outcome.id().into(),
                    label: o.outcome.label(lang).into(),
                    records: o.count,
                })
                .collect(),
            PlanFigures {
                computed_at: p.computed_at.clone(),
                rulebook_sha256: p.rulebook_sha256.clone(),
            },
            Prepaid {
                total: p.prepaid.total.clone(),
                customers: p.prepaid.customers,
                records: p.prepaid.records,
                refunded: p.prepaid.refunded.clone(),
                by_outcome: p
                    .prepaid
                    .by_outcome
                    .iter()
                    .map(|b| PrepaidOutcome {
                        id: b.outcome.id().into(),
                        label: b.outcome.label(lang).into(),
                        total: b.total.clone(),
                        records: b.records,
                    })
                    .collect(),
                annex: None,
            },
        ),
        None => (
            Vec::new(),
            PlanFigures {
                computed_at: String::new(),
                rulebook_sha256: String::new(),
            },
            Prepaid {
                total: "0.00".into(),
                customers: 0,
                records: 0,
                refunded: "0.00".into(),
                by_outcome: Vec::new(),
                annex: None,
            },
        ),
    };
    let mut prepaid = prepaid;
    prepaid.annex = annex;
    let categories = vec![
        CustomerLine {
            label: Category::Basic.label(lang).into(),
            customers: class.categories.basic,
        },
        CustomerLine {
            label: Category::Transaction.label(lang).into(),
            customers: class.categories.transaction,
        },
        CustomerLine {
            label: Category::Preference.label(lang).into(),
            customers: class.categories.preference,
        },
    ];
    let sensitivity = vec![
        CustomerLine {
            label: Sensitivity::General.label(lang).into(),
            customers: class.categories.general,
        },
        CustomerLine {
            label: Sensitivity::Sensitive.label(lang).into(),
            customers: class.categories.sensitive,
        },
    ];

    // Fields: those the recipient receives (minimisation) and those the data holds that are left out.
    // The plan carries the minimisation it was computed with (no plan yet: nothing is transferred).
    let (mini_fields, mini_chosen) = match plan_summary {
        Some(p) => (p.minimisation.fields.clone(), p.minimisation.chosen),
        None => (Vec::new(), false),
    };
    let mut present: BTreeSet<String> = BTreeSet::new();
    {
        let mut stmt = conn.prepare("SELECT DISTINCT field FROM source_columns")?;
        for f in stmt.query_map([], |r| r.get::<_, String>(0))? {
            present.insert(f?);
        }
    }
    let needed: BTreeSet<&str> = mini_fields.iter().map(|f| f.id()).collect();
    let mut fields = Vec::new();
    for f in FieldType::ALL {
        let is_needed = needed.contains(f.id());
        if !is_needed && !present.contains(f.id()) {
            continue;
        }
        let why = match (is_needed, mini_chosen) {
            (true, true) => SummaryWord::FieldNeeded,
            (true, false) => SummaryWord::FieldNeededByDefault,
            (false, _) => SummaryWord::FieldNotNeeded,
        };
        fields.push(FieldLine {
            id: f.id().into(),
            label: f.label(lang).into(),
            transferred: w(if is_needed {
                SummaryWord::Yes
            } else {
                SummaryWord::No
            }),
            why: w(why),
        });
    }

    let entries = crate::audit::entries(conn)?;
    let audit = AuditFigures {
        entries: entries.len() as u64,
        head_hash: entries.last().map(|e| e.hash.clone()).unwrap_or_default(),
    };

    // The person the owner named for this document, else the person working the case, else the
    // responsible person: a document names a person, never only a login.
    let operator_name = options
        .operator
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| actor.operator_name(&details.seller.responsible_person));
    let recipient = details.recipient.clone().unwrap_or_default();
    let model = SummaryModel {
        lang: lang.pick("zh-CN", "en").to_string(),
        case_name: mask_text(&case_name, style),
        draft: true,
        open_blocking_count: 0,
        open_blocking: Vec::new(),
        business: Business {
            name: or_none(&details.seller.name),
            kind: details.kind.label(lang).into(),
            legal_form: crate::store::read_facts(conn)?
                .legal_form
                .map(|f| f.label(lang).to_string())
                .unwrap_or_else(|| w(SummaryWord::NotGiven)),
            contact: masked(&details.seller.contact),
        },
        seller: Party {
            name: or_none(&details.seller.name),
            contact: masked(&details.seller.contact),
            responsible_person: or_none(&details.seller.responsible_person),
        },
        recipient: Party {
            name: or_none(&recipient.name),
            contact: masked(&recipient.contact),
            responsible_person: String::new(),
        },
        reason: details.reason.label(lang).into(),
        handover_date: details
            .handover_date
            .map(|d| d.to_string())
            .unwrap_or_else(|| w(SummaryWord::NotGiven)),
        operator: Operator {
            name: or_none(&operator_name),
            account: actor.account().to_string(),
        },
        generated_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        mask_style: style.label(lang).to_string(),
        mask_style_description: style_description(style, lang),
        mask_style_id: style.id().into(),
        sources,
        counts: Counts {
            records: class.records,
            customers: class.customers,
            sources: files,
        },
        categories,
        sensitivity,
        outcomes,
        plan: plan_figures,
        fields,
        prepaid,
        notices: NoticeFigures::default(),
        checklist: Vec::new(),
        audit,
    };
    let known = KnownFigures {
        plan: Some(plan_read),
        overview: Some(class),
    };
    Ok((model, style, known))
}

fn style_description(style: MaskStyle, lang: Lang) -> String {
    crate::i18n::render(&style, lang)
}

/// Writes the per-customer prepaid annex: one row per customer (or per record without a customer) with a
/// positive balance, masked, with the exact sum and the outcomes of its records. Nothing is written (`None`,
/// a file already at `path` untouched) when no customer is owed anything: the same customers as the plan's
/// prepaid figures, which count positive balances only.
fn write_annex(
    conn: &Connection,
    path: &Path,
    style: MaskStyle,
    lang: Lang,
) -> Result<Option<Annex>> {
    /// One customer's line (or one record's, for a record without a customer), added up as the rows come.
    struct Line {
        key: (i64, i64),
        name: String,
        mobile: String,
        total: Decimal,
        outcomes: BTreeSet<&'static str>,
    }
    let header: [&str; 6] = match lang {
        Lang::ZhCn => [
            "序号",
            "客户编号",
            "姓名",
            "手机号",
            "余额（元）",
            "处理结果",
        ],
        Lang::En => [
            "No.",
            "Customer",
            "Name",
            "Mobile",
            "Balance (CNY)",
            "Outcome",
        ],
    };
    fn write_line<W: Write>(
        csv: &mut SafeCsvWriter<W>,
        l: Line,
        style: MaskStyle,
    ) -> std::io::Result<()> {
        let n = csv.rows();
        let customer = if l.key.0 == 0 {
            l.key.1.to_string()
        } else {
            String::new()
        };
        // A name that is not a name (a shop, a nickname) is masked like one anyway.
        // As stored until here: masked once per line, not once per record. (The name goes through the
        // name mask twice, as it always has in the annex: a second pass only ever hides more.)
        let name = if l.name.is_empty() {
            String::new()
        } else {
            mask_name(&mask(FieldType::Name, &l.name, style), style)
        };
        let mobile = mask(FieldType::Mobile, &l.mobile, style);
        csv.write_row([
            n.to_string(),
            customer,
            name,
            mobile,
            l.total.round_dp(2).to_string(),
            l.outcomes.into_iter().collect::<Vec<_>>().join("、"),
        ])
    }
    // The rows come ordered by customer, so one line is held at a time: memory stays flat however many
    // customers hold a balance (a million-row shop has ~650,000).
    let mut failed: Option<Error> = None;
    let mut no_lines = false;
    let written = write_atomic(path, |out| {
        let mut hasher = HashingWriter {
            inner: out,
            hash: Sha256::new(),
        };
        let mut csv = SafeCsvWriter::new(&mut hasher)?;
        csv.write_row(header)?;
        let mut current: Option<Line> = None;
        let streamed = plan::for_each_balance_row_by_customer(conn, &mut |row| {
            let Some(amount) = row
                .balance
                .as_deref()
                .and_then(|b| Decimal::from_str(b).ok())
                .filter(|a| a.is_sign_positive() && !a.is_zero())
            else {
                return Ok(());
            };
            let key = match row.customer_id {
                Some(c) => (0, c),
                None => (1, row.record_id),
            };
            if current.as_ref().is_some_and(|l| l.key != key) {
                if let Some(done) = current.take() {
                    write_line(&mut csv, done, style).map_err(|e| Error::io(path, e))?;
                }
            }
            let line = current.get_or_insert_with(|| Line {
                key,
                name: String::new(),
                mobile: String::new(),
                total: Decimal::ZERO,
                outcomes: BTreeSet::new(),
            });
            if line.name.is_empty() {
                line.name = row.name.clone().unwrap_or_default();
            }
            if line.mobile.is_empty() {
                line.mobile = row.mobile.clone().unwrap_or_default();
            }
            line.total = line
                .total
                .checked_add(amount)
                .ok_or_else(|| Error::Internal("prepaid sum out of range".into()))?;
            line.outcomes.insert(row.outcome.label(lang));
            Ok(())
        });
        if let Err(e) = streamed {
            failed = Some(e);
            return Err(std::io::Error::other("stopped"));
        }
        if let Some(done) = current.take() {
            write_line(&mut csv, done, style)?;
        }
        let rows = csv.rows() - 1;
        if rows == 0 {
            // Not kept: `write_atomic` leaves the path as it was when the writing fails.
            no_lines = true;
            return Err(std::io::Error::other("no customer is owed a balance"));
        }
        csv.finish()?.flush()?;
        Ok((rows, hex::encode(hasher.hash.finalize())))
    });
    let (rows, sha) = match (written, failed) {
        (_, Some(e)) => return Err(e),
        _ if no_lines => return Ok(None),
        (r, None) => r.map_err(|e| Error::io(path, e))?,
    };
    Ok(Some(Annex {
        file: path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        sha256: sha,
        rows,
    }))
}

struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A document written from the case, for its audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenDocument {
    /// `summary`, `agreement`, …
    pub document: String,
    pub format: String,
    pub lang: String,
    pub path: String,
    pub sha256: String,
    pub template: String,
    pub template_sha256: String,
    pub draft: bool,
    pub operator: String,
    pub annex: Option<Annex>,
}

/// Records that a document was written: audit entry `document.<id>` with the template's and the output's
/// SHA-256, the operator the owner named and (as the entry's actor) the OS account.
pub fn record_written(case: &Case, actor: &Actor, doc: &WrittenDocument) -> Result<()> {
    case.write(actor, |w| {
        w.audit(
            &format!("document.{}", doc.document),
            json!({
                "format": doc.format,
                "lang": doc.lang,
                "path": doc.path,
                "sha256": doc.sha256,
                "template": doc.template,
                "template_sha256": doc.template_sha256,
                "draft": doc.draft,
                "operator": doc.operator,
                "os_account": actor.0,
                "annex": doc.annex.as_ref().map(|a| json!({ "path": a.path, "sha256": a.sha256, "rows": a.rows })),
            }),
        )?;
        Ok(())
    })
}
