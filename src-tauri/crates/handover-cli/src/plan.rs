//! `handover plan` and `handover set`: the rulebook's decisions and what customers said. The JSON shapes are
//! documented in docs/cli.md and kept stable; they are built here explicitly rather than serialised from the
//! UI's types.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use handover_core::detect::mask::MaskStyle;
use handover_core::i18n::{Label, Localize, Message};
use handover_core::rules::plan::{self, PlanRow, PlanSummary};
use handover_core::rules::rulebook;

use handover_core::rules::status::{
    self, CustomerStatus, OverrideInfo, OverrideRequest, OverrideTarget, StatusChange,
};
use handover_core::rules::Outcome;
use handover_core::store::Actor;
use handover_core::{Error, Lang};

use crate::text::{say, say_err, Line, Word};
use serde_json::{json, Map, Value};

/// `handover plan`: computes the plan (replacing the stored one) and prints it.
pub fn run(
    case: &Path,
    json: bool,
    details: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    use std::io::IsTerminal;
    let opened = crate::open(case, lang)?;
    let book = rulebook();
    let cancel = AtomicBool::new(false);
    let show_progress = !json && std::io::stderr().is_terminal();
    let summary = plan::compute_plan(&opened, book, actor, &cancel, &mut |p| {
        if show_progress {
            eprint!(
                "\r{:>5.1}%  {} {}",
                p.percent,
                p.rows,
                Word::Records.get(lang)
            );
        }
    })?
    .localized(lang);
    if show_progress {
        say_err!();
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let io = |e: std::io::Error| Error::io("stdout", e);
    if json {
        let head = summary_json(&summary);
        if !details {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&head).unwrap_or_default()
            )
            .map_err(io)?;
        } else {
            // Streamed, so a million records never sit in memory at once.
            let text = head.to_string();
            let open = text.strip_suffix('}').unwrap_or(&text);
            write!(out, "{open},\"records\":[").map_err(io)?;
            let mut first = true;
            let mut cites = CitationCache::default();
            opened.read(|c| {
                plan::for_each_row(c, MaskStyle::Standard, &mut |row| {
                    if !first {
                        out.write_all(b",").map_err(io)?;
                    }
                    first = false;
                    let v = record_json(&row, cites.of_row(&row, lang));
                    write!(out, "\n{v}").map_err(io)?;
                    Ok(())
                })
            })?;
            writeln!(out, "\n]}}").map_err(io)?;
        }
    } else {
        print_summary(&mut out, &summary, lang).map_err(io)?;
        if details {
            let mut cites = CitationCache::default();
            opened.read(|c| {
                plan::for_each_row(c, MaskStyle::Standard, &mut |row| {
                    writeln!(
                        out,
                        "{} #{:<6} {} {} {}  {}  [{}]",
                        row.source,
                        row.row,
                        row.name.as_deref().unwrap_or("-"),
                        row.mobile.as_deref().unwrap_or("-"),
                        row.outcome.label(lang),
                        cites.of_row(&row, lang).join("；"),
                        row.rules.join(", ")
                    )
                    .map_err(io)
                })
            })?;
        }
    }
    out.flush().map_err(io)?;
    drop(out);
    opened.close()?;
    Ok(ExitCode::SUCCESS)
}

/// Citations per distinct rule chain: a million records share a few dozen chains.
#[derive(Default)]
struct CitationCache(HashMap<Vec<String>, Vec<String>>);

impl CitationCache {
    fn get(&mut self, rules: &[String], lang: Lang) -> Vec<String> {
        self.0
            .entry(rules.to_vec())
            .or_insert_with(|| {
                rulebook()
                    .citations_of(rules)
                    .iter()
                    .map(|c| c.message(lang))
                    .collect()
            })
            .clone()
    }

    /// The citations of a row: its rules', and PIPL Art. 50 when a deletion the customer asked for is not
    /// carried out (the refusal's reasons must be given).
    fn of_row(&mut self, row: &PlanRow, lang: Lang) -> Vec<String> {
        let mut cites = self.get(&row.rules, lang);
        if row.deletion_refused {
            cites.push(
                plan::deletion_refusal_citation(rulebook())
                    .get(lang)
                    .to_string(),
            );
        }
        cites
    }
}

/// The stable summary JSON (docs/cli.md).
fn summary_json(s: &PlanSummary) -> Value {
    let mut outcomes = Map::new();
    for o in &s.outcomes {
        outcomes.insert(o.outcome.id().to_string(), json!(o.count));
    }
    let mut rules = Map::new();
    for r in &s.rules {
        rules.insert(r.rule.clone(), json!(r.count));
    }
    let mut by_outcome = Map::new();
    for b in &s.prepaid.by_outcome {
        by_outcome.insert(b.outcome.id().to_string(), json!(b.total));
    }
    json!({
        "computed_at": s.computed_at,
        "handover_date": s.handover_date,
        "rulebook_sha256": s.rulebook_sha256,
        "records_total": s.records,
        "outcomes": outcomes,
        "rules": rules,
        "prepaid_total": s.prepaid.total,
        "prepaid": {
            "records": s.prepaid.records,
            "customers": s.prepaid.customers,
            "refunded": s.prepaid.refunded,
            "by_outcome": by_outcome,
        },
        "exposure": {
            "records_without_basis": s.exposure.records_without_basis,
            "by_class": s.exposure.counts.iter().map(|c| (
                serde_json::to_value(c.class).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
                json!(c.records),
            )).collect::<Map<String, Value>>(),
            "placed_by_practice": s.exposure.placed_by_practice,
            "gains": s.exposure.gains.as_ref().map(|g| json!({
                "price": g.price,
                "threshold": g.threshold,
                "level": g.level,
            })),
            "level": s.exposure.level,
            "blocks_transfer": s.exposure.blocks_transfer,
            "explanation": s.exposure.explanation,
            "citations": s.exposure.citations,
        },
        "hold_notices": s.hold_notices,
        "deletion_refusals": s.deletion_refusals,
        "overrides": s.overrides,
    })
}

fn record_json(r: &PlanRow, citations: Vec<String>) -> Value {
    json!({
        "record": r.record_id,
        "source": r.source,
        "row": r.row,
        "customer": { "id": r.customer_id, "name": r.name, "mobile": r.mobile },
        "outcome": r.outcome.id(),
        "retain_until": r.retain_until,
        "blocked_by": r.blocked_by.map(|b| b.id()),
        "stripped_fields": r.stripped_fields.iter().map(|f| f.id()).collect::<Vec<_>>(),
        "rules": r.rules,
        "citations": citations,
        "balance": r.balance,
        "deletion_refused": r.deletion_refused,
    })
}

fn print_summary(out: &mut dyn Write, s: &PlanSummary, lang: Lang) -> std::io::Result<()> {
    let heading = Line::PlanHeading {
        handover_date: &s.handover_date,
        records: s.records,
    };
    writeln!(out, "{}", heading.render(lang))?;
    for o in &s.outcomes {
        writeln!(out, "  {:<24} {}", o.outcome.label(lang), o.count)?;
    }
    writeln!(out, "{}", Word::ByRule.get(lang))?;
    for r in &s.rules {
        writeln!(out, "  {:>8}  {}  ({})", r.count, r.title.get(lang), r.rule)?;
    }
    let prepaid = Line::Prepaid {
        total: &s.prepaid.total,
        customers: s.prepaid.customers,
        refunded: &s.prepaid.refunded,
    };
    writeln!(out, "{}", prepaid.render(lang))?;
    for b in &s.prepaid.by_outcome {
        writeln!(out, "  {:<24} {}", b.outcome.label(lang), b.total)?;
    }
    writeln!(
        out,
        "{}{}",
        Word::ExposureCheck.get(lang),
        s.exposure.explanation
    )?;
    if s.hold_notices > 0 {
        writeln!(out, "{}", Line::HoldNotices(s.hold_notices).render(lang))?;
    }
    if !s.minimisation.chosen {
        writeln!(out, "{}", Word::DefaultMinimisation.get(lang))?;
    }
    Ok(())
}

/// `handover set`: records what a customer said.
pub fn set(
    case: &Path,
    customer: Option<i64>,
    phone: Option<&str>,
    change: &StatusChange,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let opened = crate::open(case, lang)?;
    let customer_id = match (customer, phone) {
        (Some(id), _) => id,
        (None, Some(p)) => opened.read(|c| status::find_customer_by_phone(c, p))?,
        (None, None) => {
            return Err(Error::Rules(status::RulesError::NothingToChange));
        }
    };
    let st = status::set_customer_status(&opened, rulebook(), customer_id, change, actor)?;
    opened.close()?;
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(&status_json(&st)).unwrap_or_default()
        );
    } else {
        print_status(&st, lang);
    }
    Ok(ExitCode::SUCCESS)
}

/// What `handover override` was asked: a new override of a target, or withdrawing one.
pub struct OverrideArgs {
    pub target: Option<OverrideTarget>,
    pub outcome: Option<Outcome>,
    pub reason: String,
    pub acknowledged: bool,
    pub withdraw: Option<i64>,
}

/// `handover override`: the owner changes an outcome (or withdraws such a change), with a reason.
pub fn override_outcome(
    case: &Path,
    args: OverrideArgs,
    json: bool,
    lang: Lang,
    actor: &Actor,
) -> Result<ExitCode, Error> {
    let opened = crate::open(case, lang)?;
    let result = match (args.withdraw, args.target, args.outcome) {
        (Some(id), _, _) => {
            status::withdraw_override(&opened, rulebook(), id, &args.reason, actor)?;
            json!({ "withdrawn": id })
        }
        (None, Some(target), Some(outcome)) => {
            let request = OverrideRequest {
                target,
                outcome,
                reason: args.reason,
                acknowledged: args.acknowledged,
            };
            let info = status::set_override(&opened, rulebook(), &request, actor)?;
            override_json(&info)
        }
        // clap requires a target and an outcome unless --withdraw is given.
        _ => return Err(Error::Rules(status::RulesError::NothingToChange)),
    };
    opened.close()?;
    if json {
        say!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
    } else if let Some(id) = result["withdrawn"].as_i64() {
        say!("{}", Line::OverrideWithdrawn(id).render(lang));
    } else {
        say!(
            "{}",
            Line::OverrideSet {
                id: result["override"]["id"].as_i64().unwrap_or_default(),
                outcome: args.outcome.map(|o| o.label(lang)).unwrap_or_default(),
            }
            .render(lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn override_json(o: &OverrideInfo) -> Value {
    let (record, customer) = match o.target {
        OverrideTarget::Record(id) => (Some(id), None),
        OverrideTarget::Customer(id) => (None, Some(id)),
    };
    json!({
        "override": {
            "id": o.id,
            "record": record,
            "customer": customer,
            "outcome": o.outcome.id(),
            "rule_outcomes": o.rule_outcomes.iter().map(|r| r.id()).collect::<Vec<_>>(),
            "reason": o.reason,
            "acknowledged": o.acknowledged,
            "actor": o.actor,
            "at": o.at,
        }
    })
}

fn status_json(s: &CustomerStatus) -> Value {
    json!({
        "customer": s.customer_id,
        "consent": s.consent.id(),
        "guardian_consent": s.guardian_consent.id(),
        "objection": s.objection,
        "deletion_request": s.deletion_request,
        "refunded": s.refunded,
        "deceased": s.deceased,
        "consent_withdrawn": s.consent_withdrawn,
    })
}

fn print_status(s: &CustomerStatus, lang: Lang) {
    let answer = |a: handover_core::rules::Answer| match a {
        handover_core::rules::Answer::Yes => Word::AnswerYes.get(lang),
        handover_core::rules::Answer::No => Word::AnswerNo.get(lang),
        handover_core::rules::Answer::Unknown => Word::NotAnswered.get(lang),
    };
    let yes_no = |b: bool| {
        if b {
            Word::Yes.get(lang)
        } else {
            Word::No.get(lang)
        }
    };
    say!("{}", Line::RecordedFor(s.customer_id).render(lang));
    say!("  {}: {}", Word::Consent.get(lang), answer(s.consent));
    say!(
        "  {}: {}",
        Word::GuardianConsent.get(lang),
        answer(s.guardian_consent)
    );
    say!("  {}: {}", Word::Objection.get(lang), yes_no(s.objection));
    say!(
        "  {}: {}",
        Word::DeletionRequest.get(lang),
        yes_no(s.deletion_request)
    );
    say!("  {}: {}", Word::Refunded.get(lang), yes_no(s.refunded));
    say!("  {}: {}", Word::Deceased.get(lang), yes_no(s.deceased));
    say!(
        "  {}: {}",
        Word::ConsentWithdrawn.get(lang),
        yes_no(s.consent_withdrawn)
    );
}
