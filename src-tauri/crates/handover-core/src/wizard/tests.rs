use std::path::PathBuf;

use super::*;
use crate::case::{CaseFacts, Recipient, Seller};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../assets/wizard")
}

// ---------------------------------------------------------------------------------------------------------
// (a) The content map against the articles themselves

#[test]
fn every_numbered_section_of_every_article_is_in_the_content_map() {
    let w = wizard();
    let map = &w.content_map;
    assert_eq!(map.articles.len(), 3, "the three source articles");
    let mut problems = Vec::new();
    let mut counts = Vec::new();
    for article in &map.articles {
        let path = assets().join(&article.file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text.lines().any(|l| l.trim() == article.title),
            "{}: the headline {:?} is not a line of the article",
            article.id,
            article.title
        );
        let found = parse_sections(&text, &article.unnumbered_headings)
            .unwrap_or_else(|e| panic!("{}: {e}", article.file));
        counts.push((article.id.as_str(), found.len()));
        for s in &found {
            let place = match s.line {
                Some(l) => format!("{}:{l}", article.file),
                None => format!("{} (heading lost)", article.file),
            };
            let Some(m) = map.section(&article.id, &s.section) else {
                problems.push(format!(
                    "{place}: section {} {} {:?} is not in content-map.toml",
                    article.id,
                    s.section,
                    s.title.as_deref().unwrap_or("")
                ));
                continue;
            };
            if m.numbering != s.numbering || m.title != s.title || m.heading_lost != s.heading_lost
            {
                problems.push(format!(
                    "{place}: section {} {} is {:?} {:?} in the article but {:?} {:?} in content-map.toml",
                    article.id, s.section, s.numbering, s.title, m.numbering, m.title
                ));
            }
            match &m.coverage {
                Coverage::Covered { by } => {
                    for id in by {
                        let exists = StepId::parse(id).is_some() || w.item(id).is_some();
                        if !exists {
                            problems.push(format!(
                                "{place}: section {} {} is mapped to `{id}`, which does not exist",
                                article.id, s.section
                            ));
                        }
                    }
                    if by.is_empty() {
                        problems.push(format!(
                            "{place}: section {} {} is mapped to nothing",
                            article.id, s.section
                        ));
                    }
                }
                Coverage::Background { reason, .. } => {
                    if reason.zh.trim().is_empty() || reason.en.trim().is_empty() {
                        problems.push(format!(
                            "{place}: section {} {} is background without a reason",
                            article.id, s.section
                        ));
                    }
                }
            }
        }
        for m in map.sections.iter().filter(|m| m.article == article.id) {
            if !found.iter().any(|s| s.section == m.section) {
                problems.push(format!(
                    "content-map.toml: section {} {} is not in {}",
                    m.article, m.section, article.file
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the content map does not match the articles:\n{}",
        problems.join("\n")
    );
    // The counts documented in content-map.toml: 20 headings (一 lost) + 5 + 19×6 points + the closing
    // block with 6 points; the sanitary-company article has 4 points per section and none under 一 and 二.
    assert_eq!(
        counts,
        [
            ("company-deregistration", 146),
            ("courier-station", 146),
            ("sanitary-company", 99)
        ]
    );
}

#[test]
fn the_article_copies_are_the_seed_articles() {
    // The copies are kept verbatim; a spot check of text from each guards against accidental edits.
    let expect = [
        (
            "company-deregistration",
            "3. 销毁证明:对销毁的客户信息进行记录,并保留销毁证明。",
        ),
        (
            "courier-station",
            "5. 数据安全协议:与第三方签订数据安全协议,确保客户信息的安全。",
        ),
        (
            "sanitary-company",
            "1. 与受让方协商,确定客户信息转移的方式和内容。",
        ),
    ];
    for (id, line) in expect {
        let text = std::fs::read_to_string(assets().join(format!("articles/{id}.txt"))).unwrap();
        assert!(text.lines().any(|l| l == line), "{id}: {line}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// The built-in content

#[test]
fn the_built_in_content_is_valid_and_complete() {
    let w = Wizard::from_toml(STEPS_TOML, CONTENT_MAP_TOML).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<StepId> = w.steps.iter().map(|s| s.id).collect();
    assert_eq!(ids, StepId::ALL);
    for step in &w.steps {
        assert!(!step.items.is_empty(), "{:?}", step.id);
        for item in &step.items {
            assert!(!item.sources.is_empty(), "{}", item.id);
        }
    }
    // Every citation names a declared law, and those not checked are flagged for the UI.
    let unverified: Vec<String> = w
        .steps
        .iter()
        .flat_map(|s| &s.items)
        .flat_map(|i| &i.citations)
        .filter(|c| c.mark.needs_verification())
        .map(|c| format!("{} {}", c.law, c.article))
        .collect();
    assert!(
        unverified.contains(&"PIPL 45".to_string()),
        "{unverified:?}"
    );
    assert!(unverified.contains(&"gbt-35273 9.3".to_string()));
    assert_eq!(w.step(StepId::Agreement).id, StepId::Agreement);
    assert_eq!(StepId::Summary.number(), 11);
}

#[test]
fn the_content_serialises_for_the_ui() {
    let json = serde_json::to_value(wizard()).unwrap();
    assert_eq!(json["steps"][0]["id"], "case");
    let section = &json["content_map"]["sections"][0];
    assert!(
        section["coverage"]["kind"] == "covered" || section["coverage"]["kind"] == "background"
    );
    let view =
        serde_json::to_value(wizard().steps_for(BusinessKind::Shop, TransferReason::Dissolution))
            .unwrap();
    assert_eq!(view[6]["id"], "agreement");
    assert_eq!(view[6]["applies"], false);
}

// ---------------------------------------------------------------------------------------------------------
// (b) Broken content is rejected with a clear message

/// The built-in steps file with one edit, which must apply.
fn edited_steps(from: &str, to: &str) -> String {
    assert!(STEPS_TOML.contains(from), "the edit does not apply: {from}");
    STEPS_TOML.replacen(from, to, 1)
}

fn edited_map(from: &str, to: &str) -> String {
    assert!(
        CONTENT_MAP_TOML.contains(from),
        "the edit does not apply: {from}"
    );
    CONTENT_MAP_TOML.replacen(from, to, 1)
}

fn problems(steps: &str, map: &str) -> Vec<String> {
    match Wizard::from_toml(steps, map) {
        Ok(_) => panic!("broken content was accepted"),
        Err(e) => {
            assert!(e.to_string().starts_with("invalid wizard content"));
            e.problems
        }
    }
}

fn assert_problem(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no problem mentions {needle:?}; got:\n{}",
        problems.join("\n")
    );
}

#[test]
fn an_unknown_field_is_rejected() {
    let steps = edited_steps(
        "id = \"case-kind\"\n",
        "id = \"case-kind\"\ncolour = \"red\"\n",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(&p, "steps.toml");
    assert_problem(&p, "unknown field `colour`");

    let map = edited_map("heading_lost = true\n", "heading_lost = true\nlevel = 1\n");
    let p = problems(STEPS_TOML, &map);
    assert_problem(&p, "content-map.toml");
    assert_problem(&p, "unknown field `level`");
}

#[test]
fn missing_english_text_is_rejected() {
    let steps = edited_steps(
        "text.en = \"Choose the kind of business: courier pickup station, shop or company.\"\n",
        "",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_eq!(
        p,
        ["steps.toml: item `case-kind`: text.en is missing".to_string()]
    );

    let steps = edited_steps("title.en = \"Case details\"", "title.en = \"  \"");
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "step `case`: title.en is empty",
    );

    let steps = edited_steps("title.zh = \"案件信息\"", "title.zh = \"Case\"");
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "step `case`: title.zh has no Chinese text",
    );

    let steps = edited_steps("text.zh = \"填写计划交接日期。\"", "text.zh = \"待补充\"");
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `case-date`: text.zh contains the placeholder `待补充`",
    );
}

#[test]
fn a_dangling_source_reference_is_rejected() {
    let steps = edited_steps(
        "sources = [{ article = \"sanitary-company\", section = \"4.2\" }]",
        "sources = [{ article = \"sanitary-company\", section = \"4.9\" }]",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "item `case-date`: source sanitary-company 4.9 is not a section in content-map.toml",
    );
    // The map still lists case-date under 4.2, so the reverse direction is reported too.
    assert_problem(
        &p,
        "section sanitary-company 4.2: covered_by names `case-date`, but the sources of `case-date` do not name this section",
    );

    let steps = edited_steps(
        "sources = [{ article = \"sanitary-company\", section = \"4.2\" }]",
        "sources = [{ article = \"courier\", section = \"4.2\" }]",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "source courier 4.2 is not a section",
    );
}

#[test]
fn a_citation_without_a_mark_is_rejected() {
    let steps = edited_steps(
        "citations = [{ law = \"PIPL\", article = \"21\", mark = \"checked\" }]",
        "citations = [{ law = \"PIPL\", article = \"21\" }]",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_eq!(
        p,
        ["steps.toml: item `inventory-platform`: citation PIPL Art. 21 has no mark (checked, secondary or unverified)".to_string()]
    );

    let steps = edited_steps("mark = \"unverified\"", "mark = \"maybe\"");
    assert_problem(&problems(&steps, CONTENT_MAP_TOML), "unknown mark `maybe`");

    let steps = edited_steps(
        "{ law = \"PIPL\", article = \"47\", mark = \"checked\" }",
        "{ law = \"PIPL\", article = \"47\", mark = \"secondary\" }",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "citation PIPL Art. 47 is marked Checked but Secondary in steps.toml: item `case-no-recipient`",
    );

    let steps = edited_steps(
        "{ law = \"PIPL\", article = \"21\", mark = \"checked\" }",
        "{ law = \"PIPLX\", article = \"21\", mark = \"checked\" }",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "law `PIPLX` is not declared",
    );
}

#[test]
fn unknown_kinds_and_reasons_are_rejected() {
    let steps = edited_steps(
        "applies_when = { kinds = [\"courier-station\"] }",
        "applies_when = { kinds = [\"courier\"] }",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `inventory-platform`: applies_when.kinds has unknown value `courier` (known: courier-station, shop, company)",
    );

    let steps = edited_steps(
        "applies_when = { reasons = [\"sale-list\"] }",
        "applies_when = { reasons = [\"sale-of-list\"] }",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "applies_when.reasons has unknown value `sale-of-list`",
    );
}

#[test]
fn conditions_need_a_reason_and_must_be_able_to_fail() {
    let steps = edited_steps(
        "not_applicable_reason.zh = \"没有接收方，不需要填写。\"\nnot_applicable_reason.en = \"There is no recipient, so there is nothing to enter.\"\n",
        "",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `case-recipient`: applies_when needs a not_applicable_reason",
    );

    let steps = edited_steps(
        "applies_when = { kinds = [\"courier-station\"] }",
        "applies_when = { kinds = [\"courier-station\", \"shop\", \"company\"] }",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `inventory-platform`: applies_when always holds",
    );

    // Within a step that needs a recipient, an item for "no recipient" can never apply.
    let steps = edited_steps(
        "id = \"agreement-parties\"\n",
        "id = \"agreement-parties\"\napplies_when = { recipient = false }\nnot_applicable_reason.zh = \"不适用。\"\nnot_applicable_reason.en = \"Does not apply.\"\n",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `agreement-parties`: applies_when never holds within its step",
    );
}

#[test]
fn steps_out_of_order_and_duplicate_ids_are_rejected() {
    let steps = edited_steps("id = \"transfer\"\n", "id = \"destruction\"\n");
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "the steps must be, in this order: case, inventory, classification, minimisation, decisions, notices, agreement, transfer, destruction, security, summary; found: case, inventory, classification, minimisation, decisions, notices, agreement, destruction, destruction",
    );
    assert_problem(&p, "id `destruction` is used more than once");

    let steps = edited_steps("id = \"case-date\"\n", "id = \"case-kind\"\n");
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "id `case-kind` is used more than once",
    );

    let steps = edited_steps(
        "blocking = false\nderived_from = \"case.handover-date\"\n",
        "derived_from = \"case.handover-date\"\n",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `case-date`: blocking = true or false is missing",
    );
}

#[test]
fn items_answered_by_the_case_details_are_checked() {
    let w = wizard();
    let derived: Vec<(&str, CaseFact)> = w
        .steps
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| {
            i.derived_from
                .and_then(DerivedFrom::case_fact)
                .map(|f| (i.id.as_str(), f))
        })
        .collect();
    assert_eq!(
        derived,
        [
            ("case-kind", CaseFact::Kind),
            ("case-reason", CaseFact::Reason),
            ("case-seller", CaseFact::Seller),
            ("case-responsible", CaseFact::Responsible),
            ("case-recipient", CaseFact::Recipient),
            ("case-date", CaseFact::HandoverDate),
            ("case-purpose-change", CaseFact::PurposeChange),
            ("case-cross-border", CaseFact::CrossBorder),
        ]
    );
    // The owner's confirmation that nobody takes over is not read from an empty field.
    assert_eq!(w.item("case-no-recipient").unwrap().1.derived_from, None);

    let steps = edited_steps(
        "derived_from = \"case.seller\"",
        "derived_from = \"case.seller-name\"",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `case-seller`: derived_from has unknown value `case.seller-name` (known: case.kind, case.reason, case.seller, case.responsible, case.recipient, case.handover-date, case.purpose-change, case.cross-border, overview.columns, overview.minors, minimisation.fields, plan.prepaid, plan.parcels, plan.legal-hold, notices.replies)",
    );

    let steps = edited_steps(
        "id = \"agreement-parties\"\n",
        "id = \"agreement-parties\"\nderived_from = \"case.responsible\"\n",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "item `agreement-parties`: derived_from is only for items of the case step",
    );
    assert_problem(
        &p,
        "item `agreement-parties`: derived_from `case.responsible` is already the fact of `case-responsible`",
    );

    let steps = edited_steps(
        "derived_from = \"case.handover-date\"",
        "derived_from = \"case.recipient\"",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "item `case-date`: derived_from `case.recipient` is already the fact of `case-recipient`",
    );
    assert_problem(
        &p,
        "item `case-date`: derived_from `case.recipient` needs applies_when = { recipient = true }",
    );
}

#[test]
fn items_answered_by_the_apps_figures_are_checked() {
    let w = wizard();
    let derived: Vec<(&str, DataFact)> = w
        .steps
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|i| {
            i.derived_from
                .and_then(DerivedFrom::data_fact)
                .map(|f| (i.id.as_str(), f))
        })
        .collect();
    assert_eq!(
        derived,
        [
            ("classification-categories", DataFact::Columns),
            ("classification-minors", DataFact::Minors),
            ("minimisation-fields", DataFact::FieldsKept),
            ("decisions-legal-hold", DataFact::LegalHold),
            ("decisions-prepaid", DataFact::Prepaid),
            ("decisions-parcels", DataFact::Parcels),
            ("consent-records", DataFact::Replies),
        ]
    );
    // Every figure the app can work out answers one item.
    assert_eq!(derived.len(), DataFact::ALL.len());

    // An unknown source is refused, naming the known ones.
    let steps = edited_steps(
        "derived_from = \"plan.prepaid\"",
        "derived_from = \"plan.prepaid-total\"",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "item `decisions-prepaid`: derived_from has unknown value `plan.prepaid-total` (known: case.kind,",
    );
    assert_problem(
        &p,
        "plan.prepaid, plan.parcels, plan.legal-hold, notices.replies)",
    );

    // A figure only on the step that works it out or a later one: the plan's not before the decisions.
    let steps = edited_steps(
        "derived_from = \"overview.minors\"",
        "derived_from = \"plan.legal-hold\"",
    );
    let p = problems(&steps, CONTENT_MAP_TOML);
    assert_problem(
        &p,
        "item `classification-minors`: derived_from `plan.legal-hold` is worked out in step `decisions`; use it on that step or a later one",
    );
    // ... and not twice.
    assert_problem(
        &p,
        "item `decisions-legal-hold`: derived_from `plan.legal-hold` is already the fact of `classification-minors`",
    );
    // Never on the case step, whose items the details answer.
    let steps = edited_steps(
        "derived_from = \"case.handover-date\"",
        "derived_from = \"overview.columns\"",
    );
    assert_problem(
        &problems(&steps, CONTENT_MAP_TOML),
        "item `case-date`: derived_from `overview.columns` is worked out in step `inventory`; use it on that step or a later one",
    );
}

#[test]
fn case_facts_follow_the_details() {
    let mut d = CaseDetails {
        kind: BusinessKind::Shop,
        reason: TransferReason::SaleWhole,
        seller: Seller {
            name: "王记便利店".into(),
            contact: "  ".into(),
            responsible_person: String::new(),
        },
        recipient: Some(Recipient {
            name: "赵六超市".into(),
            contact: String::new(),
        }),
        handover_date: None,
        notes: String::new(),
    };
    let holding = |d: &CaseDetails, facts: &CaseFacts| -> Vec<&str> {
        CaseFact::ALL
            .into_iter()
            .filter(|f| f.holds(d, facts))
            .map(CaseFact::id)
            .collect()
    };
    let mut facts = CaseFacts::default();
    assert_eq!(holding(&d, &facts), ["case.kind", "case.reason"]);
    d.seller.contact = "13800001111".into();
    d.seller.responsible_person = "王五".into();
    d.recipient.as_mut().unwrap().contact = "13900002222".into();
    d.handover_date = chrono::NaiveDate::from_ymd_opt(2026, 12, 31);
    assert_eq!(holding(&d, &facts).len(), CaseFact::ALL.len() - 2);
    // The questions about the recipient are answered by the facts; "abroad" only with its mechanism.
    facts.purpose_change = Some(false);
    facts.cross_border = Some(true);
    assert!(!CaseFact::CrossBorder.holds(&d, &facts));
    facts.cross_border_mechanism = Some(crate::case::CrossBorderMechanism::StandardContract);
    assert_eq!(holding(&d, &facts).len(), CaseFact::ALL.len());
    d.recipient = None;
    assert!(!CaseFact::Recipient.holds(&d, &facts));
    for f in CaseFact::ALL {
        assert_eq!(CaseFact::parse(f.id()), Some(f));
        // The serialised form is the one steps.toml uses.
        assert_eq!(serde_json::to_value(f).unwrap(), f.id());
        for holds in [true, false] {
            let n = f.note(holds);
            assert!(
                n.zh.contains("案件信息") && n.en.contains("case details"),
                "{n:?}"
            );
        }
    }
}

#[test]
fn the_content_map_must_map_every_section_both_ways() {
    // A section with neither coverage nor background.
    let map = edited_map("background = true\nreason = \"why\"\n", "");
    assert_problem(
        &problems(STEPS_TOML, &map),
        "section company-deregistration 1.1: not mapped; give covered_by",
    );

    // Background without a reason.
    let map = edited_map(
        "background = true\nreason = \"why\"\n",
        "background = true\n",
    );
    assert_problem(
        &problems(STEPS_TOML, &map),
        "section company-deregistration 1.1: background = true needs a reason",
    );

    // An unknown reason.
    let map = edited_map("reason = \"why\"\n", "reason = \"because\"\n");
    assert_problem(
        &problems(STEPS_TOML, &map),
        "reason `because` is not declared under [reasons]",
    );

    // A step or item cites a section the map calls background.
    let map = edited_map(
        "section = \"1\"\nheading_lost = true\ncovered_by = [\"case\", \"case-kind\"]",
        "section = \"1\"\nheading_lost = true\nbackground = true\nreason = \"why\"",
    );
    let p = problems(STEPS_TOML, &map);
    assert_problem(
        &p,
        "section company-deregistration 1: marked background, but it is a source of `case`, `case-kind`",
    );

    // covered_by names an item that does not exist.
    let map = edited_map(
        "covered_by = [\"case\", \"case-kind\"]",
        "covered_by = [\"case\", \"case-kind\", \"case-colour\"]",
    );
    assert_problem(
        &problems(STEPS_TOML, &map),
        "covered_by names `case-colour`, which is no step or item",
    );

    // A section missing from the map entirely: the item citing it dangles.
    let entry = "[[sections]]\narticle = \"courier-station\"\nsection = \"3.3\"\n";
    let start = CONTENT_MAP_TOML.find(entry).unwrap();
    let end = start + CONTENT_MAP_TOML[start..].find("\n\n").unwrap() + 2;
    let map = format!("{}{}", &CONTENT_MAP_TOML[..start], &CONTENT_MAP_TOML[end..]);
    assert_problem(
        &problems(STEPS_TOML, &map),
        "item `inventory-paper`: source courier-station 3.3 is not a section in content-map.toml",
    );

    // A title must be given for a numbered section.
    let map = edited_map("title = \"客户信任的基石\"\n", "");
    assert_problem(
        &problems(STEPS_TOML, &map),
        "section company-deregistration 1.1: the title, as written in the article, is missing",
    );
}

#[test]
fn unparsable_toml_is_reported_with_its_file() {
    let p = problems("[[steps]\n", "sections = 3\n");
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("steps.toml: "), "{p:?}");
    assert!(p[1].starts_with("content-map.toml: "), "{p:?}");
}

// ---------------------------------------------------------------------------------------------------------
// (c) What applies to which case

fn find<'a>(steps: &'a [StepForCase], item: &str) -> &'a ItemForCase {
    steps
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.id == item)
        .unwrap_or_else(|| panic!("no item {item}"))
}

fn step(steps: &[StepForCase], id: StepId) -> &StepForCase {
    steps.iter().find(|s| s.id == id).unwrap()
}

#[test]
fn dissolution_without_recipient_explains_why_the_agreement_does_not_apply() {
    let steps = wizard().steps_for(BusinessKind::Company, TransferReason::Dissolution);
    let agreement = step(&steps, StepId::Agreement);
    assert!(!agreement.applies);
    let reason = agreement.not_applicable_reason.as_ref().unwrap();
    assert!(reason.zh.contains("没有接收方"), "{}", reason.zh);
    assert!(reason.en.contains("no recipient"), "{}", reason.en);
    // Its items are still listed, each with the step's reason, and none blocks printing.
    assert!(!agreement.items.is_empty());
    for item in &agreement.items {
        assert!(!item.applies);
        assert_eq!(item.not_applicable_reason.as_ref(), Some(reason));
        assert!(!item.blocks_printing, "{}", item.id);
    }
    for id in [StepId::Minimisation, StepId::Transfer] {
        assert!(!step(&steps, id).applies, "{id:?}");
    }
    // What does apply: deleting, the closing notice, confirming there is no recipient.
    assert!(step(&steps, StepId::Destruction).applies);
    assert!(find(&steps, "notices-closing").applies);
    assert!(find(&steps, "case-no-recipient").blocks_printing);
    assert!(!find(&steps, "case-recipient").applies);
    assert!(!find(&steps, "notices-art22").applies);
}

#[test]
fn dissolution_with_a_successor_has_an_agreement() {
    let details = CaseDetails {
        kind: BusinessKind::Company,
        reason: TransferReason::Dissolution,
        seller: Seller {
            name: "某某卫浴设备有限公司".into(),
            contact: "021-12345678".into(),
            responsible_person: "王某".into(),
        },
        recipient: Some(Recipient {
            name: "某某洁具有限公司".into(),
            contact: "021-87654321".into(),
        }),
        handover_date: None,
        notes: String::new(),
    };
    let steps = wizard().steps_for_case(&details);
    assert!(step(&steps, StepId::Agreement).applies);
    assert!(find(&steps, "notices-art22").applies);
    assert!(!find(&steps, "notices-closing").applies);

    let without = CaseDetails {
        recipient: None,
        ..details
    };
    assert!(!step(&wizard().steps_for_case(&without), StepId::Agreement).applies);
}

#[test]
fn selling_only_the_list_needs_each_customers_consent() {
    let steps = wizard().steps_for(BusinessKind::Shop, TransferReason::SaleList);
    let consent = find(&steps, "consent-sale-list");
    assert!(consent.applies && consent.blocks_printing);
    assert!(consent
        .citations
        .iter()
        .any(|c| c.law == "PIPL" && c.article == "23"));
    // The Art. 22 notice is not the route here, and says why.
    let notice = find(&steps, "notices-art22");
    assert!(!notice.applies);
    assert!(notice
        .not_applicable_reason
        .as_ref()
        .unwrap()
        .zh
        .contains("单独同意"));

    // For a whole-business sale it is the other way round.
    let steps = wizard().steps_for(BusinessKind::Shop, TransferReason::SaleWhole);
    assert!(find(&steps, "notices-art22").applies);
    let consent = find(&steps, "consent-sale-list");
    assert!(!consent.applies && !consent.blocks_printing);
    assert!(consent.not_applicable_reason.is_some());
}

#[test]
fn courier_platform_items_apply_to_stations_and_explain_themselves_to_shops() {
    let platform_items = [
        "inventory-platform",
        "decisions-courier-return",
        "decisions-parcels",
        "agreement-courier-brand",
        "destruction-waybills",
        "destruction-platform-account",
        "incident-postal",
    ];
    let station = wizard().steps_for(BusinessKind::CourierStation, TransferReason::SaleWhole);
    let shop = wizard().steps_for(BusinessKind::Shop, TransferReason::SaleWhole);
    for id in platform_items {
        let s = find(&station, id);
        assert!(s.applies, "{id} for a courier station");
        assert!(s.not_applicable_reason.is_none(), "{id}");
        let h = find(&shop, id);
        assert!(!h.applies, "{id} for a shop");
        let reason = h
            .not_applicable_reason
            .as_ref()
            .unwrap_or_else(|| panic!("{id}: no reason for a shop"));
        assert!(reason.zh.contains("驿站"), "{id}: {}", reason.zh);
        assert!(!h.blocks_printing, "{id}");
    }
    // The prepaid items are the shop's, with a reason for the station.
    assert!(find(&shop, "decisions-prepaid").applies);
    assert!(!find(&station, "decisions-prepaid").applies);
    // Nothing is hidden: both see the same items.
    let count = |steps: &[StepForCase]| steps.iter().map(|s| s.items.len()).sum::<usize>();
    assert_eq!(count(&station), count(&shop));
}

#[test]
fn in_every_situation_every_step_and_item_is_listed_and_explained() {
    let w = wizard();
    let total: usize = w.steps.iter().map(|s| s.items.len()).sum();
    for situation in Situation::all() {
        let steps = w.steps_for_situation(situation);
        assert_eq!(
            steps.iter().map(|s| s.id).collect::<Vec<_>>(),
            StepId::ALL,
            "{situation:?}"
        );
        assert_eq!(steps.iter().map(|s| s.items.len()).sum::<usize>(), total);
        for s in &steps {
            assert_eq!(s.applies, s.not_applicable_reason.is_none(), "{:?}", s.id);
            for i in &s.items {
                assert_eq!(i.applies, i.not_applicable_reason.is_none(), "{}", i.id);
                assert_eq!(i.blocks_printing, i.blocking && i.applies, "{}", i.id);
            }
        }
        // Every case has something that must be done before printing in steps 1, 2 and 9.
        for id in [StepId::Case, StepId::Inventory, StepId::Destruction] {
            assert!(
                step(&steps, id).items.iter().any(|i| i.blocks_printing),
                "{situation:?} {id:?}"
            );
        }
    }
}

#[test]
fn the_ui_types_have_typescript_declarations() {
    use ts_rs::Config;
    let cfg = &Config::new().with_large_int("number");
    let step = <StepForCase as ts_rs::TS>::decl(cfg);
    assert!(step.contains("applies: boolean"), "{step}");
    assert!(
        step.contains("not_applicable_reason: Text | null"),
        "{step}"
    );
    assert!(step.contains("items: Array<ItemForCase>"), "{step}");
    let item = <ItemForCase as ts_rs::TS>::decl(cfg);
    assert!(item.contains("blocks_printing: boolean"), "{item}");
    assert!(item.contains("citations: Array<Citation>"), "{item}");
    let mark = <Mark as ts_rs::TS>::decl(cfg);
    assert!(
        mark.contains("\"checked\" | \"secondary\" | \"unverified\""),
        "{mark}"
    );
    let coverage = <Coverage as ts_rs::TS>::decl(cfg);
    assert!(coverage.contains("\"kind\": \"covered\""), "{coverage}");
    let id = <StepId as ts_rs::TS>::decl(cfg);
    assert!(id.contains("\"minimisation\""), "{id}");
}
