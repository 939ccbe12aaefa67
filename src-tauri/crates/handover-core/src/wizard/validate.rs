//! From the raw files to a [`Wizard`]: every rule the content must follow, each broken rule reported with
//! the file and the step, item or section it concerns.
//!
//! Rules:
//! - both files parse, with no unknown keys;
//! - the steps are exactly the eleven of [`StepId::ALL`], in that order, each with at least one item;
//! - ids are unique across steps and items; item ids are lowercase words joined by hyphens;
//! - every text (titles, explanations, item texts, help, reasons, law names) has both `zh` and `en`, neither
//!   blank, the Chinese containing Chinese characters and the English Latin letters, and no placeholder
//!   markers (TODO, TBD, 待补充…);
//! - every step and item names at least one source; every source is a section of the content map;
//! - every citation names a declared law and an article, and carries a mark (checked, secondary or
//!   unverified); the same article of the same law carries the same mark everywhere;
//! - `blocking` is given for every item;
//! - `derived_from` names a known source ([`DerivedFrom`]), at most one item per source: a [`CaseFact`] only
//!   on an item of the case step (where the details are edited), a fact about the recipient only on an item
//!   that applies only when there is one; a [`DataFact`] (a figure from the case's data) never on the case
//!   step, and only on the step that produces it or a later one;
//! - `applies_when` and `not_applicable_reason` come together; business kinds and reasons are known ids;
//!   a condition can hold and can fail (an item's within the situations where its step applies);
//! - content map: articles and sections are unique; section ids are `N`, `N.M`, or an unnumbered heading's
//!   id with optional `.M`, and a sub-section's parent is mapped too; each section has its title and
//!   numbering as written, or `heading_lost = true`; each is either `covered_by` steps/items or
//!   `background = true` with a declared reason; every declared reason is used;
//! - coverage runs both ways: a section's `covered_by` lists exactly the steps and items whose `sources` name
//!   it, and a section named as a source is not background.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::case::{BusinessKind, TransferReason};

use super::content::{
    AppliesWhen, Article, CaseFact, ChecklistItem, Citation, Condition, ContentError, ContentMap,
    Coverage, DataFact, DerivedFrom, Law, MappedSection, Mark, Situation, SourceRef, Step, StepId,
    Text, UnnumberedHeading, Wizard,
};
use super::raw::{
    RawAppliesWhen, RawCitation, RawContentMap, RawSection, RawSource, RawSteps, RawText,
};

const STEPS_FILE: &str = "steps.toml";
const MAP_FILE: &str = "content-map.toml";

/// Words that mark unfinished text.
const PLACEHOLDERS: [&str; 9] = [
    "TODO",
    "TBD",
    "FIXME",
    "XXX",
    "lorem",
    "待补充",
    "待填写",
    "占位",
    "placeholder",
];

pub(super) fn build(steps_toml: &str, map_toml: &str) -> Result<Wizard, ContentError> {
    let raw_steps =
        toml::from_str::<RawSteps>(steps_toml).map_err(|e| format!("{STEPS_FILE}: {e}"));
    let raw_map = toml::from_str::<RawContentMap>(map_toml).map_err(|e| format!("{MAP_FILE}: {e}"));
    let (raw_steps, raw_map) = match (raw_steps, raw_map) {
        (Ok(s), Ok(m)) => (s, m),
        (s, m) => {
            let problems = [s.err(), m.err()].into_iter().flatten().collect();
            return Err(ContentError { problems });
        }
    };
    let mut p = Problems::default();
    let (content_map, reasons_used) = build_content_map(&raw_map, &mut p);
    let laws = build_laws(&raw_steps, &mut p);
    let steps = build_steps(&raw_steps, &laws, &content_map, &mut p);
    cross_check(&steps, &content_map, &mut p);
    for id in raw_map.reasons.keys() {
        if !reasons_used.contains(id.as_str()) {
            p.push(format!("{MAP_FILE}: reason `{id}` is never used"));
        }
    }
    if p.0.is_empty() {
        Ok(Wizard {
            laws,
            steps,
            content_map,
        })
    } else {
        Err(ContentError { problems: p.0 })
    }
}

#[derive(Debug, Default)]
struct Problems(Vec<String>);

impl Problems {
    fn push(&mut self, problem: String) {
        self.0.push(problem);
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// A text with both languages. `owner` names where it is, e.g. "steps.toml: item `case-kind`: text".
fn text(raw: &RawText, owner: &str, p: &mut Problems) -> Text {
    let mut get = |lang: &str, value: &Option<String>| -> String {
        match value.as_deref().map(str::trim) {
            None => {
                p.push(format!("{owner}.{lang} is missing"));
                String::new()
            }
            Some("") => {
                p.push(format!("{owner}.{lang} is empty"));
                String::new()
            }
            Some(s) => {
                let lower = s.to_lowercase();
                if let Some(w) = PLACEHOLDERS
                    .iter()
                    .find(|w| lower.contains(&w.to_lowercase()))
                {
                    p.push(format!("{owner}.{lang} contains the placeholder `{w}`"));
                }
                s.to_string()
            }
        }
    };
    let zh = get("zh", &raw.zh);
    let en = get("en", &raw.en);
    if !zh.is_empty() && !has_cjk(&zh) {
        p.push(format!("{owner}.zh has no Chinese text: {zh:?}"));
    }
    if !en.is_empty() && !en.chars().any(|c| c.is_ascii_alphabetic()) {
        p.push(format!("{owner}.en has no English text: {en:?}"));
    }
    Text { zh, en }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('0') && s.chars().all(|c| c.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------------------
// Content map

fn build_content_map<'a>(
    raw: &'a RawContentMap,
    p: &mut Problems,
) -> (ContentMap, HashSet<&'a str>) {
    let mut articles = Vec::new();
    for a in &raw.articles {
        let owner = format!("{MAP_FILE}: article `{}`", a.id);
        if !is_slug(&a.id) {
            p.push(format!(
                "{owner}: the id must be lowercase words joined by hyphens"
            ));
        }
        if articles.iter().any(|x: &Article| x.id == a.id) {
            p.push(format!("{owner} is declared twice"));
        }
        for (field, value) in [("file", &a.file), ("title", &a.title), ("seed", &a.seed)] {
            if value.trim().is_empty() {
                p.push(format!("{owner}: {field} is empty"));
            }
        }
        let mut headings: Vec<UnnumberedHeading> = Vec::new();
        for h in &a.unnumbered_headings {
            if !is_slug(&h.section) || is_number(&h.section) {
                p.push(format!(
                    "{owner}: unnumbered heading section `{}` must be a word such as `afterword`",
                    h.section
                ));
            }
            if h.heading.trim().is_empty() {
                p.push(format!(
                    "{owner}: unnumbered heading `{}` has no heading text",
                    h.section
                ));
            }
            if headings.iter().any(|x| x.section == h.section) {
                p.push(format!(
                    "{owner}: unnumbered heading `{}` is declared twice",
                    h.section
                ));
            }
            headings.push(UnnumberedHeading {
                section: h.section.clone(),
                heading: h.heading.clone(),
            });
        }
        articles.push(Article {
            id: a.id.clone(),
            file: a.file.clone(),
            title: a.title.clone(),
            seed: a.seed.clone(),
            url: a.url.clone(),
            unnumbered_headings: headings,
        });
    }

    let reasons: BTreeMap<&str, Text> = raw
        .reasons
        .iter()
        .map(|(id, t)| {
            (
                id.as_str(),
                text(t, &format!("{MAP_FILE}: reason `{id}`"), p),
            )
        })
        .collect();
    let mut used = HashSet::new();

    let mut sections: Vec<MappedSection> = Vec::new();
    let mut keys = HashSet::new();
    for s in &raw.sections {
        let owner = format!("{MAP_FILE}: section {} {}", s.article, s.section);
        let Some(article) = articles.iter().find(|a| a.id == s.article) else {
            p.push(format!("{owner}: no article `{}` is declared", s.article));
            continue;
        };
        if !keys.insert((s.article.as_str(), s.section.as_str())) {
            p.push(format!("{owner} is listed twice"));
        }
        check_section_shape(s, article, &owner, p);
        let coverage = match (&s.covered_by, s.background, &s.reason) {
            (Some(by), false, None) => {
                if by.is_empty() {
                    p.push(format!("{owner}: covered_by is empty; name steps or items, or mark it background with a reason"));
                }
                Coverage::Covered { by: by.clone() }
            }
            (None, true, Some(reason)) => match reasons.get(reason.as_str()) {
                Some(t) => {
                    used.insert(reason.as_str());
                    Coverage::Background {
                        reason_id: reason.clone(),
                        reason: t.clone(),
                    }
                }
                None => {
                    p.push(format!(
                        "{owner}: reason `{reason}` is not declared under [reasons]"
                    ));
                    continue;
                }
            },
            (None, true, None) => {
                p.push(format!(
                    "{owner}: background = true needs a reason (an id under [reasons])"
                ));
                continue;
            }
            (None, false, _) => {
                p.push(format!("{owner}: not mapped; give covered_by = [steps or items], or background = true with a reason"));
                continue;
            }
            (Some(_), true, _) => {
                p.push(format!(
                    "{owner}: has both covered_by and background = true; choose one"
                ));
                continue;
            }
            (_, false, Some(_)) => {
                p.push(format!(
                    "{owner}: a reason is given but background is not true"
                ));
                continue;
            }
        };
        sections.push(MappedSection {
            article: s.article.clone(),
            section: s.section.clone(),
            numbering: s.numbering.clone(),
            title: s.title.clone(),
            heading_lost: s.heading_lost,
            coverage,
        });
    }
    // A point needs its heading mapped too.
    for s in &raw.sections {
        if let Some((parent, _)) = s.section.split_once('.') {
            if !keys.contains(&(s.article.as_str(), parent)) {
                p.push(format!(
                    "{MAP_FILE}: section {} {}: its heading `{parent}` is not in the map",
                    s.article, s.section
                ));
            }
        }
    }
    (ContentMap { articles, sections }, used)
}

/// Section id, numbering, title and `heading_lost` fit together.
fn check_section_shape(s: &RawSection, article: &Article, owner: &str, p: &mut Problems) {
    let unnumbered = |id: &str| article.unnumbered_headings.iter().any(|h| h.section == id);
    let (head, point) = match s.section.split_once('.') {
        Some((h, pt)) => (h, Some(pt)),
        None => (s.section.as_str(), None),
    };
    let head_ok = is_number(head) || unnumbered(head);
    let point_ok = point.is_none_or(is_number);
    if !head_ok || !point_ok {
        p.push(format!(
            "{owner}: the section id must be `N`, `N.M` or an unnumbered heading's id (with optional `.M`)"
        ));
    }
    if s.heading_lost {
        if point.is_some() || !is_number(head) {
            p.push(format!(
                "{owner}: only a numbered heading (`N`) can have heading_lost"
            ));
        }
        if s.numbering.is_some() || s.title.is_some() {
            p.push(format!(
                "{owner}: heading_lost = true, so it has no numbering or title"
            ));
        }
        return;
    }
    match s.title.as_deref().map(str::trim) {
        None | Some("") => p.push(format!(
            "{owner}: the title, as written in the article, is missing"
        )),
        Some(_) => {}
    }
    let is_unnumbered_heading = point.is_none() && unnumbered(head);
    match (&s.numbering, is_unnumbered_heading) {
        (None, false) => p.push(format!(
            "{owner}: the numbering as written (e.g. \"四、\" or \"5.\") is missing"
        )),
        (Some(n), true) => p.push(format!(
            "{owner}: an unnumbered heading has no numbering, found {n:?}"
        )),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------------------
// Laws and steps

fn build_laws(raw: &RawSteps, p: &mut Problems) -> Vec<Law> {
    let mut laws: Vec<Law> = Vec::new();
    for l in &raw.laws {
        let owner = format!("{STEPS_FILE}: law `{}`", l.id);
        if l.id.trim().is_empty() {
            p.push(format!("{STEPS_FILE}: a law has an empty id"));
        }
        if laws.iter().any(|x| x.id == l.id) {
            p.push(format!("{owner} is declared twice"));
        }
        laws.push(Law {
            id: l.id.clone(),
            name: text(&l.name, &format!("{owner}: name"), p),
            note: l
                .note
                .as_ref()
                .map(|n| text(n, &format!("{owner}: note"), p)),
        });
    }
    laws
}

fn build_steps(raw: &RawSteps, laws: &[Law], map: &ContentMap, p: &mut Problems) -> Vec<Step> {
    let found: Vec<&str> = raw.steps.iter().map(|s| s.id.as_str()).collect();
    let expected: Vec<&str> = StepId::ALL.iter().map(|s| s.id()).collect();
    if found != expected {
        p.push(format!(
            "{STEPS_FILE}: the steps must be, in this order: {}; found: {}",
            expected.join(", "),
            if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            }
        ));
    }
    let mut ids: HashSet<&str> = HashSet::new();
    let mut facts: HashMap<DerivedFrom, &str> = HashMap::new();
    let mut marks: HashMap<(String, String), (Mark, String)> = HashMap::new();
    let mut steps = Vec::new();
    for s in &raw.steps {
        let owner = format!("{STEPS_FILE}: step `{}`", s.id);
        if !ids.insert(&s.id) {
            p.push(format!(
                "{STEPS_FILE}: id `{}` is used more than once",
                s.id
            ));
        }
        let id = StepId::parse(&s.id);
        if id.is_none() {
            p.push(format!(
                "{owner}: unknown step id (known: {})",
                expected.join(", ")
            ));
        }
        let title = text(&s.title, &format!("{owner}: title"), p);
        let why = text(&s.why, &format!("{owner}: why"), p);
        let what_to_do = text(&s.what_to_do, &format!("{owner}: what_to_do"), p);
        let sources = build_sources(&s.sources, &owner, map, p);
        let condition = build_condition(
            s.applies_when.as_ref(),
            s.not_applicable_reason.as_ref(),
            &owner,
            p,
        );
        let step_situations: Vec<Situation> = Situation::all()
            .into_iter()
            .filter(|sit| {
                condition
                    .as_ref()
                    .is_none_or(|c| c.applies_when.holds(*sit))
            })
            .collect();
        if let Some(c) = &condition {
            check_condition_range(c, &Situation::all(), &owner, "", p);
        }
        if s.items.is_empty() {
            p.push(format!("{owner}: has no checklist items"));
        }
        let mut items = Vec::new();
        for it in &s.items {
            let item_owner = format!("{STEPS_FILE}: item `{}`", it.id);
            if !is_slug(&it.id) {
                p.push(format!(
                    "{item_owner}: the id must be lowercase words joined by hyphens"
                ));
            }
            if !ids.insert(&it.id) {
                p.push(format!(
                    "{STEPS_FILE}: id `{}` is used more than once",
                    it.id
                ));
            }
            let blocking = it.blocking.unwrap_or_else(|| {
                p.push(format!("{item_owner}: blocking = true or false is missing"));
                false
            });
            let condition = build_condition(
                it.applies_when.as_ref(),
                it.not_applicable_reason.as_ref(),
                &item_owner,
                p,
            );
            if let Some(c) = &condition {
                check_condition_range(c, &step_situations, &item_owner, " within its step", p);
            }
            let derived_from = it.derived_from.as_deref().and_then(|raw| {
                let fact = DerivedFrom::parse(raw);
                if fact.is_none() {
                    p.push(format!(
                        "{item_owner}: derived_from has unknown value `{raw}` (known: {})",
                        DerivedFrom::all()
                            .into_iter()
                            .map(DerivedFrom::id)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                fact
            });
            if let Some(fact) = derived_from {
                check_derived(fact, id, condition.as_ref(), &it.id, &mut facts, p);
            }
            items.push(ChecklistItem {
                id: it.id.clone(),
                text: text(&it.text, &format!("{item_owner}: text"), p),
                help: it
                    .help
                    .as_ref()
                    .map(|h| text(h, &format!("{item_owner}: help"), p)),
                sources: build_sources(&it.sources, &item_owner, map, p),
                citations: build_citations(&it.citations, &item_owner, laws, &mut marks, p),
                blocking,
                condition,
                derived_from,
            });
        }
        if let Some(id) = id {
            steps.push(Step {
                id,
                title,
                why,
                what_to_do,
                sources,
                condition,
                items,
            });
        }
    }
    steps
}

/// Where a derived item may be. An item answered by the case details: on the case step, the only item for its
/// fact, and for the recipient only where there is one (elsewhere "no recipient" would read as an open item).
/// An item answered by a figure from the data: after the case step, on the step that produces the figure or
/// a later one (its "do this first" never points forward), the only item for its figure.
fn check_derived<'a>(
    from: DerivedFrom,
    step: Option<StepId>,
    condition: Option<&Condition>,
    item_id: &'a str,
    facts: &mut HashMap<DerivedFrom, &'a str>,
    p: &mut Problems,
) {
    let owner = format!("{STEPS_FILE}: item `{item_id}`");
    match from {
        DerivedFrom::Case(_) if step.is_some_and(|s| s != StepId::Case) => p.push(format!(
            "{owner}: derived_from is only for items of the case step, where the details are entered"
        )),
        DerivedFrom::Case(_) => {}
        DerivedFrom::Data(fact) => check_data_fact(fact, step, &owner, p),
    }
    if let Some(earlier) = facts.insert(from, item_id) {
        p.push(format!(
            "{owner}: derived_from `{}` is already the fact of `{earlier}`",
            from.id()
        ));
    }
    let only_with_recipient = condition.is_some_and(|c| c.applies_when.recipient == Some(true));
    if from == DerivedFrom::Case(CaseFact::Recipient) && !only_with_recipient {
        p.push(format!(
            "{owner}: derived_from `case.recipient` needs applies_when = {{ recipient = true }}"
        ));
    }
}

fn check_data_fact(fact: DataFact, step: Option<StepId>, owner: &str, p: &mut Problems) {
    let Some(step) = step else { return };
    if step == StepId::Case || step.number() < fact.step().number() {
        p.push(format!(
            "{owner}: derived_from `{}` is worked out in step `{}`; use it on that step or a later one",
            fact.id(),
            fact.step().id()
        ));
    }
}

fn build_sources(
    raw: &[RawSource],
    owner: &str,
    map: &ContentMap,
    p: &mut Problems,
) -> Vec<SourceRef> {
    if raw.is_empty() {
        p.push(format!(
            "{owner}: has no sources (the article sections it comes from)"
        ));
    }
    let mut out: Vec<SourceRef> = Vec::new();
    for r in raw {
        let s = SourceRef {
            article: r.article.clone(),
            section: r.section.clone(),
        };
        if map.section(&s.article, &s.section).is_none() {
            p.push(format!(
                "{owner}: source {} {} is not a section in {MAP_FILE}",
                s.article, s.section
            ));
        }
        if out.contains(&s) {
            p.push(format!(
                "{owner}: source {} {} is listed twice",
                s.article, s.section
            ));
        }
        out.push(s);
    }
    out
}

fn build_citations(
    raw: &[RawCitation],
    owner: &str,
    laws: &[Law],
    marks: &mut HashMap<(String, String), (Mark, String)>,
    p: &mut Problems,
) -> Vec<Citation> {
    let mut out = Vec::new();
    for c in raw {
        let what = format!("{owner}: citation {} Art. {}", c.law, c.article);
        if !laws.iter().any(|l| l.id == c.law) {
            p.push(format!(
                "{what}: law `{}` is not declared under [[laws]]",
                c.law
            ));
        }
        if c.article.trim().is_empty() {
            p.push(format!("{what}: the article number is empty"));
        }
        let mark = match c.mark.as_deref() {
            None => {
                p.push(format!(
                    "{what} has no mark (checked, secondary or unverified)"
                ));
                continue;
            }
            Some(m) => match Mark::parse(m) {
                Some(mark) => mark,
                None => {
                    p.push(format!(
                        "{what}: unknown mark `{m}` (checked, secondary or unverified)"
                    ));
                    continue;
                }
            },
        };
        let key = (c.law.clone(), c.article.clone());
        match marks.get(&key) {
            Some((earlier, earlier_owner)) if *earlier != mark => p.push(format!(
                "{what} is marked {mark:?} but {earlier:?} in {earlier_owner}; one article has one mark"
            )),
            Some(_) => {}
            None => {
                marks.insert(key, (mark, owner.to_string()));
            }
        }
        out.push(Citation {
            law: c.law.clone(),
            article: c.article.clone(),
            mark,
        });
    }
    out
}

fn build_condition(
    when: Option<&RawAppliesWhen>,
    reason: Option<&RawText>,
    owner: &str,
    p: &mut Problems,
) -> Option<Condition> {
    match (when, reason) {
        (None, None) => None,
        (Some(_), None) => {
            p.push(format!("{owner}: applies_when needs a not_applicable_reason (zh and en) for the UI to show"));
            None
        }
        (None, Some(_)) => {
            p.push(format!(
                "{owner}: not_applicable_reason is given but applies_when is not"
            ));
            None
        }
        (Some(w), Some(r)) => {
            let not_applicable_reason = text(r, &format!("{owner}: not_applicable_reason"), p);
            let kinds = known_values(
                w.kinds.as_deref(),
                "kinds",
                BusinessKind::parse,
                &BusinessKind::ALL.map(BusinessKind::id),
                owner,
                p,
            );
            let reasons = known_values(
                w.reasons.as_deref(),
                "reasons",
                TransferReason::parse,
                &TransferReason::ALL.map(TransferReason::id),
                owner,
                p,
            );
            if w.kinds.is_none() && w.reasons.is_none() && w.recipient.is_none() {
                p.push(format!(
                    "{owner}: applies_when is empty; give kinds, reasons or recipient"
                ));
            }
            Some(Condition {
                applies_when: AppliesWhen {
                    kinds,
                    reasons,
                    recipient: w.recipient,
                },
                not_applicable_reason,
            })
        }
    }
}

fn known_values<T: PartialEq>(
    raw: Option<&[String]>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    known: &[&str],
    owner: &str,
    p: &mut Problems,
) -> Vec<T> {
    let Some(raw) = raw else { return Vec::new() };
    if raw.is_empty() {
        p.push(format!(
            "{owner}: applies_when.{key} is an empty list; leave it out instead"
        ));
    }
    let mut out = Vec::new();
    for v in raw {
        match parse(v) {
            Some(t) if out.contains(&t) => {
                p.push(format!("{owner}: applies_when.{key} lists `{v}` twice"))
            }
            Some(t) => out.push(t),
            None => p.push(format!(
                "{owner}: applies_when.{key} has unknown value `{v}` (known: {})",
                known.join(", ")
            )),
        }
    }
    out
}

/// A condition must hold in some of the situations it is checked in, and fail in some.
fn check_condition_range(
    c: &Condition,
    situations: &[Situation],
    owner: &str,
    within: &str,
    p: &mut Problems,
) {
    if situations.is_empty() {
        return;
    }
    let holding = situations
        .iter()
        .filter(|s| c.applies_when.holds(**s))
        .count();
    if holding == 0 {
        p.push(format!("{owner}: applies_when never holds{within}"));
    } else if holding == situations.len() {
        p.push(format!(
            "{owner}: applies_when always holds{within}; remove it and its not_applicable_reason"
        ));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Both directions between sources and the content map

fn cross_check(steps: &[Step], map: &ContentMap, p: &mut Problems) {
    let mut known_ids: HashSet<&str> = HashSet::new();
    let mut citing: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for step in steps {
        known_ids.insert(step.id.id());
        for s in &step.sources {
            citing
                .entry((&s.article, &s.section))
                .or_default()
                .insert(step.id.id());
        }
        for item in &step.items {
            known_ids.insert(&item.id);
            for s in &item.sources {
                citing
                    .entry((&s.article, &s.section))
                    .or_default()
                    .insert(&item.id);
            }
        }
    }
    for section in &map.sections {
        let owner = format!(
            "{MAP_FILE}: section {} {}",
            section.article, section.section
        );
        let cited_by = citing
            .get(&(section.article.as_str(), section.section.as_str()))
            .cloned()
            .unwrap_or_default();
        match &section.coverage {
            Coverage::Covered { by } => {
                let listed: BTreeSet<&str> = by.iter().map(String::as_str).collect();
                for id in &listed {
                    if !known_ids.contains(id) {
                        p.push(format!(
                            "{owner}: covered_by names `{id}`, which is no step or item"
                        ));
                    } else if !cited_by.contains(id) {
                        p.push(format!("{owner}: covered_by names `{id}`, but the sources of `{id}` do not name this section"));
                    }
                }
                for id in cited_by.difference(&listed) {
                    p.push(format!("{owner}: `{id}` names this section as a source, but covered_by does not list `{id}`"));
                }
            }
            Coverage::Background { .. } => {
                if !cited_by.is_empty() {
                    p.push(format!(
                        "{owner}: marked background, but it is a source of {}",
                        cited_by
                            .iter()
                            .map(|id| format!("`{id}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
    }
}
