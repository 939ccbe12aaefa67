//! Checklist items the app answers from its own data (`derived_from = "plan.prepaid"` and the other
//! [`DataFact`]s in `steps.toml`): how many children were found, what the customers are owed, which parcels
//! go back, when the legal holds end, which fields go over, whose consent is still missing, how the columns
//! were classified. The owner does not tick them: the item shows the figure, and is done once the figure is
//! known and settles what the item asks. While it is not known (nothing imported, the plan not computed or
//! out of date, no minimisation choice saved) the item stays open and says which step to do first.
//!
//! The figures come from what the other screens already work out: the overview (`classification::
//! case_summary`, kept in `derived_cache`), the stored plan's summary and two counts on its outcome index, the
//! minimisation choice and the recorded replies. Nothing is stored: like the items answered by the case
//! details, the state is worked out each time the review is read, so it never disagrees with the data, and
//! it has no audit entry of its own (the changes that move it are audited).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{DataFact, StepId, Text};
use crate::classification::{case_summary, classification_summary, ClassificationSummary};
use crate::detect::category::Sensitivity;
use crate::field::FieldType;
use crate::notices::replies::{recorded_answers, RecordedAnswers};
use crate::rules::plan::{
    legal_holds, summary_tallied, BlockedTally, LegalHolds, PlanSummary, UNCOLLECTED_PARCEL_RULE,
};
use crate::rules::prepaid::PrepaidTotals;
use crate::rules::status::{minimisation, Minimisation};
use crate::rules::{rulebook, BlockedBy};
use crate::store::{read_details, Case};
use crate::Result;

/// The figure that answers a derived item (the numbers `handover checklist --json` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Figure {
    /// The imported columns as classified.
    Columns {
        files: u64,
        columns: u64,
        /// Columns of sensitive information (PIPL Art. 28).
        sensitive: u64,
        /// Columns the app could not place (field `other`): scanned and masked, to be looked at.
        unrecognised: u64,
    },
    /// Customers under 14 on `counted_on` (the handover date, or today while none is set).
    Minors { minors: u64, counted_on: String },
    /// The kinds of information chosen to go to the recipient.
    FieldsKept { fields: Vec<FieldType> },
    /// The prepaid balances owed (exact to the fen), and the part still held back for a refund or consent.
    Prepaid {
        total: String,
        customers: u64,
        records: u64,
        waiting_total: String,
        waiting_records: u64,
    },
    /// Records of parcels still at the station, to go back to their courier company.
    Parcels { parcels: u64 },
    /// Records kept by law and the days their holds end.
    LegalHold {
        records: u64,
        first_end: Option<String>,
        last_end: Option<String>,
    },
    /// The answers and delivery results recorded, and the customers still to answer before their
    /// information may go (separate consent, a guardian's consent, new consent for a changed purpose).
    Replies {
        answers: RecordedAnswers,
        waiting_customers: u64,
    },
}

/// Why a figure is not known yet; each names the step that produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum NotYet {
    /// No customer records imported yet (step 2).
    NothingImported,
    /// No minimisation choice saved yet (step 4).
    FieldsNotChosen,
    /// No plan computed yet (step 5).
    PlanMissing,
    /// The case changed since the plan was computed (step 5).
    PlanStale,
}

impl NotYet {
    pub fn step(self) -> StepId {
        match self {
            NotYet::NothingImported => StepId::Inventory,
            NotYet::FieldsNotChosen => StepId::Minimisation,
            NotYet::PlanMissing | NotYet::PlanStale => StepId::Decisions,
        }
    }
}

/// Where a derived item stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DataAnswer {
    pub from: DataFact,
    /// `None` while the figure is not known ([`DataAnswer::not_yet`] says why).
    pub figure: Option<Figure>,
    pub not_yet: Option<NotYet>,
    /// The figure is known and settles the item: it is done.
    pub answered: bool,
    /// While not answered: the step to do first (where the figure comes from, or where the rest is done).
    pub go_to: Option<StepId>,
    /// The sentence shown with the item: the figure, or why it is not known and what to do.
    pub note: Text,
}

/// The sentence of a [`DataAnswer`] (worded in `crate::messages`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataNote {
    pub fact: DataFact,
    pub figure: Option<Figure>,
    pub not_yet: Option<NotYet>,
    pub answered: bool,
}

/// The customers whose consent a transfer waits for (the prepaid balances' consent-or-refund is the prepaid
/// item's).
const WAITING_FOR_CONSENT: [BlockedBy; 3] = [
    BlockedBy::SeparateConsent,
    BlockedBy::GuardianConsent,
    BlockedBy::NewConsent,
];

/// The balances held back until they are refunded or the customer agrees to the takeover (a deceased
/// customer's, until the heirs are paid).
const WAITING_FOR_REFUND: [BlockedBy; 3] = [
    BlockedBy::RefundOrConsent,
    BlockedBy::Refund,
    BlockedBy::RefundToEstate,
];

/// The stored plan's figures the items read, or why there are none.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PlanFigures {
    prepaid: PrepaidTotals,
    /// Of the balances, those waiting for a refund or consent: total and records.
    prepaid_waiting: (String, u64),
    parcels: u64,
    holds: LegalHolds,
    waiting: u64,
}

pub(crate) type PlanRead = std::result::Result<PlanFigures, NotYet>;

/// The kind under which the plan's figures are kept (`derived_cache`), like the overview: a review reads
/// the whole plan once per change of the case, not once per ticked item.
const PLAN_FIGURES: &str = "checklist.plan";

fn read_plan(conn: &Connection) -> Result<PlanRead> {
    Ok(read_plan_and_summary(conn)?.1)
}

/// The plan's summary and the figures the items read, from one pass over the plan (the handover summary
/// prints the one and builds its checklist from the other).
pub(crate) fn read_plan_and_summary(conn: &Connection) -> Result<(Option<PlanSummary>, PlanRead)> {
    Ok(match summary_tallied(conn, rulebook())? {
        None => (None, Err(NotYet::PlanMissing)),
        Some((summary, blocked)) => {
            let read = plan_figures(conn, &summary, &blocked)?;
            (Some(summary), read)
        }
    })
}

/// The figures the items read from the plan's summary, what it holds back (counted in the summary's pass)
/// and the legal holds (a count on the plan's outcome index); none while the plan is out of date.
fn plan_figures(conn: &Connection, s: &PlanSummary, blocked: &BlockedTally) -> Result<PlanRead> {
    if s.stale {
        return Ok(Err(NotYet::PlanStale));
    }
    Ok(Ok(PlanFigures {
        prepaid: s.prepaid.clone(),
        prepaid_waiting: blocked.balances(&WAITING_FOR_REFUND)?,
        parcels: s
            .rules
            .iter()
            .find(|r| r.rule == UNCOLLECTED_PARCEL_RULE)
            .map_or(0, |r| r.count),
        holds: legal_holds(conn)?,
        waiting: blocked.customers(&WAITING_FOR_CONSENT),
    }))
}

/// The plan's figures, kept in the case until its next change. The key holds the build, the rulebook and the
/// day (a plan of a case without a handover date goes stale at midnight).
fn kept_plan(case: &Case) -> Result<PlanRead> {
    let key = format!(
        "{}|{}|{}",
        env!("CARGO_PKG_VERSION"),
        rulebook().sha256,
        chrono::Local::now().date_naive()
    );
    if let Some(kept) = case.derived::<String>(PLAN_FIGURES, &key) {
        if let Ok(plan) = serde_json::from_str::<PlanRead>(&kept) {
            return Ok(plan);
        }
    }
    let version = case.data_version()?;
    let plan = case.read(read_plan)?;
    if let Ok(json) = serde_json::to_string(&plan) {
        case.keep_derived(PLAN_FIGURES, &key, &json, version);
    }
    Ok(plan)
}

/// The data the answers are worked out from, each read once and only when an item needs it.
struct Inputs<'a> {
    conn: &'a Connection,
    overview: Option<ClassificationSummary>,
    minimisation: Option<Minimisation>,
    plan: Option<PlanRead>,
    answers: Option<RecordedAnswers>,
}

impl<'a> Inputs<'a> {
    fn new(
        conn: &'a Connection,
        overview: Option<ClassificationSummary>,
        plan: Option<PlanRead>,
    ) -> Inputs<'a> {
        Inputs {
            conn,
            overview,
            minimisation: None,
            plan,
            answers: None,
        }
    }

    fn overview(&mut self) -> Result<&ClassificationSummary> {
        if self.overview.is_none() {
            let on = read_details(self.conn)?
                .handover_date
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            self.overview = Some(classification_summary(self.conn, on)?);
        }
        Ok(self.overview.as_ref().expect("just read"))
    }

    fn plan(&mut self) -> Result<std::result::Result<&PlanFigures, NotYet>> {
        if self.plan.is_none() {
            self.plan = Some(read_plan(self.conn)?);
        }
        Ok(self
            .plan
            .as_ref()
            .expect("just read")
            .as_ref()
            .map_err(|n| *n))
    }

    fn answer(&mut self, fact: DataFact) -> Result<DataAnswer> {
        let known: std::result::Result<(Figure, Option<StepId>), NotYet> = match fact {
            DataFact::Columns | DataFact::Minors => {
                let o = self.overview()?;
                if o.records == 0 {
                    Err(NotYet::NothingImported)
                } else if fact == DataFact::Minors {
                    Ok((
                        Figure::Minors {
                            minors: o.minors,
                            counted_on: o.reference_date.to_string(),
                        },
                        None,
                    ))
                } else {
                    let files: std::collections::BTreeSet<i64> =
                        o.columns.iter().map(|c| c.source_id).collect();
                    Ok((
                        Figure::Columns {
                            files: files.len() as u64,
                            columns: o.columns.len() as u64,
                            sensitive: o
                                .columns
                                .iter()
                                .filter(|c| c.sensitivity == Sensitivity::Sensitive)
                                .count() as u64,
                            unrecognised: o
                                .columns
                                .iter()
                                .filter(|c| c.field == FieldType::Other)
                                .count() as u64,
                        },
                        None,
                    ))
                }
            }
            DataFact::FieldsKept => {
                if self.minimisation.is_none() {
                    self.minimisation = Some(minimisation(self.conn)?);
                }
                let m = self.minimisation.as_ref().expect("just read");
                if m.chosen {
                    Ok((
                        Figure::FieldsKept {
                            fields: m.fields.clone(),
                        },
                        None,
                    ))
                } else {
                    Err(NotYet::FieldsNotChosen)
                }
            }
            DataFact::Prepaid | DataFact::Parcels | DataFact::LegalHold => {
                self.plan()?.map(|p| match fact {
                    DataFact::Prepaid => {
                        let (waiting_total, waiting_records) = p.prepaid_waiting.clone();
                        (
                            Figure::Prepaid {
                                total: p.prepaid.total.clone(),
                                customers: p.prepaid.customers,
                                records: p.prepaid.records,
                                waiting_total,
                                waiting_records,
                            },
                            // Refunds and consents are recorded with the customers' replies.
                            (waiting_records > 0).then_some(StepId::Notices),
                        )
                    }
                    DataFact::Parcels => (Figure::Parcels { parcels: p.parcels }, None),
                    _ => (
                        Figure::LegalHold {
                            records: p.holds.records,
                            first_end: p.holds.first_end.clone(),
                            last_end: p.holds.last_end.clone(),
                        },
                        None,
                    ),
                })
            }
            DataFact::Replies => {
                let waiting = self.plan()?.map(|p| p.waiting);
                match waiting {
                    Err(n) => Err(n),
                    Ok(waiting) => {
                        if self.answers.is_none() {
                            self.answers = Some(recorded_answers(self.conn)?);
                        }
                        Ok((
                            Figure::Replies {
                                answers: self.answers.expect("just read"),
                                waiting_customers: waiting,
                            },
                            (waiting > 0).then_some(StepId::Notices),
                        ))
                    }
                }
            }
        };
        let (figure, not_yet, answered, go_to) = match known {
            Ok((figure, still_to_do)) => {
                let answered = still_to_do.is_none();
                (Some(figure), None, answered, still_to_do)
            }
            Err(n) => (None, Some(n), false, Some(n.step())),
        };
        let note = Text::of(&DataNote {
            fact,
            figure: figure.clone(),
            not_yet,
            answered,
        });
        Ok(DataAnswer {
            from: fact,
            figure,
            not_yet,
            answered,
            go_to,
            note,
        })
    }
}

/// The answers to the given figures for the review, on `case`: the overview and the plan's figures come
/// from the case's kept figures when they are there (`classification::case_summary`, [`PLAN_FIGURES`]), and
/// are worked out only when an item needs them.
pub fn answers(case: &Case, facts: &[DataFact]) -> Result<Vec<DataAnswer>> {
    answers_with(case, facts, KnownFigures::default())
}

/// Figures a caller has already read on the case as it is now (the handover summary reads the overview and
/// the plan for its own pages): the answers use them instead of reading them again.
#[derive(Debug, Default)]
pub(crate) struct KnownFigures {
    pub overview: Option<ClassificationSummary>,
    pub plan: Option<PlanRead>,
}

pub(crate) fn answers_with(
    case: &Case,
    facts: &[DataFact],
    known: KnownFigures,
) -> Result<Vec<DataAnswer>> {
    let overview = match known.overview {
        None if facts
            .iter()
            .any(|f| matches!(f, DataFact::Columns | DataFact::Minors)) =>
        {
            Some(case_summary(case)?)
        }
        known => known,
    };
    let plan = match known.plan {
        None if facts.iter().any(|f| f.step() >= StepId::Decisions) => Some(kept_plan(case)?),
        known => known,
    };
    case.read(|conn| {
        let mut inputs = Inputs::new(conn, overview, plan);
        facts.iter().map(|f| inputs.answer(*f)).collect()
    })
}

/// One item's answer on a connection (inside a change: the kept overview is not used).
pub fn answer_on(conn: &Connection, fact: DataFact) -> Result<DataAnswer> {
    Inputs::new(conn, None, None).answer(fact)
}
