//! Loading and validating the rulebook (`assets/rulebook/rules.toml`; its schema is written at the top of that
//! file).
//!
//! The file is deserialised with serde, rejecting unknown keys, and then validated as a whole; every problem
//! is reported at once, naming the rule: a missing citation or explanation, an unknown law id, a retention
//! period on a rule that does not retain, two rules with the same precedence and different outcomes whose
//! conditions can hold together. [`rulebook`] is the built-in copy; [`Rulebook::from_toml`] and
//! [`Rulebook::load`] read any other (a lawyer's edited copy, a test's).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::citation::{Cited, Numbering};
use super::conditions::When;
use super::retention::RetainSpec;
use super::terms::{BlockedBy, Outcome};
use crate::wizard::{Mark, Text};

impl From<RulebookError> for crate::Error {
    fn from(e: RulebookError) -> crate::Error {
        crate::Error::Rules(super::error::RulesError::InvalidRulebook {
            problems: e.problems,
        })
    }
}

const RULES_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/rulebook/rules.toml"
));

/// The built-in rulebook, validated on first use. The test suite validates the same file, so a failure here
/// is a build that skipped its tests.
pub fn rulebook() -> &'static Rulebook {
    static BOOK: OnceLock<Rulebook> = OnceLock::new();
    BOOK.get_or_init(|| {
        Rulebook::from_toml(RULES_TOML)
            .unwrap_or_else(|e| panic!("the built-in rulebook is invalid: {e}"))
    })
}

/// The text of the built-in rulebook, e.g. for a test that edits a copy.
pub fn builtin_toml() -> &'static str {
    RULES_TOML
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    version: u32,
    #[serde(default)]
    laws: Vec<RawLaw>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    zh: Option<String>,
    en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    id: String,
    short: Option<RawText>,
    name: Option<RawText>,
    numbering: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    law: String,
    article: String,
    quote: Option<String>,
    mark: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: Option<RawText>,
    #[serde(default)]
    when: When,
    outcome: Outcome,
    retain: Option<RetainSpec>,
    blocked_by: Option<BlockedBy>,
    #[serde(default)]
    strip_sensitive: bool,
    #[serde(default)]
    strip_unneeded: bool,
    #[serde(default)]
    only_over: Vec<Outcome>,
    precedence: Option<i32>,
    #[serde(default)]
    citations: Vec<RawCitation>,
    explanation: Option<RawText>,
}

/// A law the rules cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LawInfo {
    pub id: String,
    /// How citations name it: 个人信息保护法 / PIPL.
    pub short: Text,
    /// The full title.
    pub name: Text,
    pub by_section: bool,
}

/// One article a rule relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RuleCitation {
    /// A [`LawInfo::id`].
    pub law: String,
    /// "22", "253-1", "9.3"; empty when the article number is not known (mark unverified).
    pub article: String,
    /// The article's words, or a summary marked （大意）.
    pub quote: String,
    pub mark: Mark,
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rule {
    pub id: String,
    pub title: Text,
    pub when: When,
    pub outcome: Outcome,
    pub retain: Option<RetainSpec>,
    pub blocked_by: Option<BlockedBy>,
    pub strip_sensitive: bool,
    pub strip_unneeded: bool,
    pub only_over: Vec<Outcome>,
    /// The effective precedence: as written, or the outcome's rank.
    pub precedence: i32,
    pub citations: Vec<RuleCitation>,
    pub explanation: Text,
}

impl Rule {
    /// Whether the rule only removes fields from a transfer (it never decides the route by itself).
    pub fn is_strip_modifier(&self) -> bool {
        self.outcome == Outcome::Transfer && self.strip_sensitive
    }
}

/// The validated rulebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rulebook {
    pub laws: Vec<LawInfo>,
    /// In the file's order.
    pub rules: Vec<Rule>,
    /// SHA-256 of the text it was read from, recorded with every computed plan.
    pub sha256: String,
}

/// A rulebook that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid rulebook ({} problem(s)):\n- {}", .problems.len(), .problems.join("\n- "))]
pub struct RulebookError {
    pub problems: Vec<String>,
}

fn text(raw: &Option<RawText>, what: &str, problems: &mut Vec<String>) -> Text {
    let zh = raw.as_ref().and_then(|t| t.zh.clone()).unwrap_or_default();
    let en = raw.as_ref().and_then(|t| t.en.clone()).unwrap_or_default();
    if zh.trim().is_empty() {
        problems.push(format!("{what}: the Chinese text (.zh) is missing"));
    }
    if en.trim().is_empty() {
        problems.push(format!("{what}: the English text (.en) is missing"));
    }
    Text { zh, en }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Rulebook {
    /// Reads and validates a rulebook file.
    pub fn load(path: &Path) -> Result<Rulebook, RulebookError> {
        let text = std::fs::read_to_string(path).map_err(|e| RulebookError {
            problems: vec![format!("{}: {e}", path.display())],
        })?;
        Rulebook::from_toml(&text)
    }

    /// Parses and validates a rulebook; reports every problem at once.
    pub fn from_toml(source: &str) -> Result<Rulebook, RulebookError> {
        let raw: RawBook = toml::from_str(source).map_err(|e| RulebookError {
            problems: vec![format!("rules.toml: {e}")],
        })?;
        let mut problems = Vec::new();
        if raw.version != 1 {
            problems.push(format!(
                "version {} is not supported (this app reads version 1)",
                raw.version
            ));
        }
        let mut laws = Vec::new();
        let mut law_ids = BTreeSet::new();
        for l in &raw.laws {
            let what = format!("law {}", l.id);
            if l.id.trim().is_empty() {
                problems.push("a law has an empty id".into());
            }
            if !law_ids.insert(l.id.clone()) {
                problems.push(format!("{what}: declared twice"));
            }
            let by_section = match l.numbering.as_deref() {
                None | Some("article") => false,
                Some("section") => true,
                Some(other) => {
                    problems.push(format!(
                        "{what}: numbering \"{other}\" is neither \"article\" nor \"section\""
                    ));
                    false
                }
            };
            laws.push(LawInfo {
                id: l.id.clone(),
                short: text(&l.short, &format!("{what} short"), &mut problems),
                name: text(&l.name, &format!("{what} name"), &mut problems),
                by_section,
            });
        }
        let mut rules = Vec::new();
        let mut rule_ids = BTreeSet::new();
        for r in &raw.rules {
            let what = format!("rule {}", r.id);
            if !valid_id(&r.id) {
                problems.push(format!(
                    "{what}: an id is lower-case letters, digits and '-' only"
                ));
            }
            if !rule_ids.insert(r.id.clone()) {
                problems.push(format!("{what}: the id is used twice"));
            }
            let title = text(&r.title, &format!("{what} title"), &mut problems);
            let explanation = text(
                &r.explanation,
                &format!("{what} explanation"),
                &mut problems,
            );
            match (r.outcome, &r.retain) {
                (Outcome::Retain, None) => problems.push(format!(
                    "{what}: outcome retain needs retain = {{ years, from }}"
                )),
                (Outcome::Retain, Some(spec)) if spec.years == 0 => {
                    problems.push(format!("{what}: a retention period of 0 years"))
                }
                (o, Some(_)) if o != Outcome::Retain => problems.push(format!(
                    "{what}: retain is only for outcome retain, not {}",
                    o.id()
                )),
                _ => {}
            }
            match (r.outcome, r.blocked_by) {
                (Outcome::Blocked, None) => {
                    problems.push(format!("{what}: outcome blocked needs blocked_by"))
                }
                (o, Some(_)) if o != Outcome::Blocked => problems.push(format!(
                    "{what}: blocked_by is only for outcome blocked, not {}",
                    o.id()
                )),
                _ => {}
            }
            if (r.strip_sensitive || r.strip_unneeded) && r.outcome != Outcome::Transfer {
                problems.push(format!(
                    "{what}: strip_sensitive / strip_unneeded are only for outcome transfer"
                ));
            }
            // Only a block may follow its own outcome: it adds what else the record waits for (a child's
            // record with a balance waits for a refund and a guardian). Any other outcome over itself changes
            // nothing and hides a mistake in the file.
            if r.only_over.contains(&r.outcome) && r.outcome != Outcome::Blocked {
                problems.push(format!("{what}: only_over lists its own outcome"));
            }
            if r.citations.is_empty() {
                problems.push(format!(
                    "{what}: no citation (every rule needs its legal basis)"
                ));
            }
            let mut citations = Vec::new();
            for c in &r.citations {
                let cwhat = format!("{what} citation {} {}", c.law, c.article);
                if !law_ids.contains(&c.law) {
                    problems.push(format!(
                        "{cwhat}: unknown law id \"{}\" (declare it under [[laws]])",
                        c.law
                    ));
                }
                let mark = match c.mark.as_deref().map(Mark::parse) {
                    Some(Some(m)) => m,
                    Some(None) => {
                        problems.push(format!("{cwhat}: mark is checked, secondary or unverified"));
                        Mark::Unverified
                    }
                    None => {
                        problems.push(format!("{cwhat}: the verification mark is missing"));
                        Mark::Unverified
                    }
                };
                if c.article.trim().is_empty() && mark != Mark::Unverified {
                    problems.push(format!(
                        "{cwhat}: an article number may be left out only when the mark is unverified"
                    ));
                }
                let quote = c.quote.clone().unwrap_or_default();
                if quote.trim().is_empty() {
                    problems.push(format!("{cwhat}: the short quote is missing"));
                }
                citations.push(RuleCitation {
                    law: c.law.clone(),
                    article: c.article.trim().to_string(),
                    quote,
                    mark,
                });
            }
            rules.push(Rule {
                id: r.id.clone(),
                title,
                when: r.when.clone(),
                outcome: r.outcome,
                retain: r.retain.clone(),
                blocked_by: r.blocked_by,
                strip_sensitive: r.strip_sensitive,
                strip_unneeded: r.strip_unneeded,
                only_over: r.only_over.clone(),
                precedence: r.precedence.unwrap_or_else(|| r.outcome.rank()),
                citations,
                explanation,
            });
        }
        // Equal precedence must never leave the outcome to the order of the file.
        for (i, a) in rules.iter().enumerate() {
            for b in &rules[i + 1..] {
                if a.precedence == b.precedence
                    && a.outcome != b.outcome
                    && a.when.can_overlap(&b.when)
                {
                    problems.push(format!(
                        "rules {} ({}) and {} ({}) have the same precedence {} and conflicting outcomes, and both can apply to one record",
                        a.id,
                        a.outcome.id(),
                        b.id,
                        b.outcome.id(),
                        a.precedence
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(RulebookError { problems });
        }
        Ok(Rulebook {
            laws,
            rules,
            sha256: hex::encode(Sha256::digest(source.as_bytes())),
        })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn law(&self, id: &str) -> Option<&LawInfo> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// A citation for the owner: "PIPL Art. 22" / "个人信息保护法 第二十二条" (worded by `crate::i18n`).
    pub fn cite(&self, c: &RuleCitation) -> Cited {
        let (short, numbering) = match self.law(&c.law) {
            Some(l) => (
                l.short.clone(),
                if l.by_section {
                    Numbering::Section
                } else {
                    Numbering::Article
                },
            ),
            None => (
                Text {
                    zh: c.law.clone(),
                    en: c.law.clone(),
                },
                Numbering::Article,
            ),
        };
        Cited {
            short,
            numbering,
            article: c.article.clone(),
            to_verify: c.mark.needs_verification(),
        }
    }

    /// The citations of several rules, each written once, in the order the rules list them.
    pub fn citations_of(&self, rule_ids: &[String]) -> Vec<Cited> {
        let mut out: Vec<Cited> = Vec::new();
        for id in rule_ids {
            if let Some(rule) = self.rule(id) {
                for c in &rule.citations {
                    let cited = self.cite(c);
                    if !out.contains(&cited) {
                        out.push(cited);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Message};
    use crate::wizard::wizard;

    #[test]
    fn the_builtin_rulebook_is_valid() {
        let book = Rulebook::from_toml(RULES_TOML).unwrap_or_else(|e| panic!("{e}"));
        assert!(book.rules.len() >= 15);
        assert!(std::ptr::eq(rulebook(), rulebook()));
    }

    /// The rulebook and the wizard cite the same laws by the same ids, with the same marks.
    #[test]
    fn laws_and_marks_agree_with_the_wizard() {
        let book = rulebook();
        let w = wizard();
        for law in &book.laws {
            if let Some(wl) = w.law(&law.id) {
                assert_eq!(wl.name.zh, law.name.zh, "law {}", law.id);
            }
        }
        for step in &w.steps {
            for item in &step.items {
                for wc in &item.citations {
                    for rule in &book.rules {
                        for rc in &rule.citations {
                            if rc.law == wc.law && rc.article == wc.article {
                                assert_eq!(
                                    rc.mark, wc.mark,
                                    "{} {}: rule {} and wizard item {} disagree",
                                    rc.law, rc.article, rule.id, item.id
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    fn minimal(rule: &str) -> String {
        format!(
            "version = 1\n[[laws]]\nid = \"PIPL\"\nshort.zh = \"个人信息保护法\"\nshort.en = \"PIPL\"\nname.zh = \"x\"\nname.en = \"x\"\n{rule}"
        )
    }

    const OK_RULE: &str = r#"
[[rules]]
id = "a"
title.zh = "甲"
title.en = "A"
outcome = "delete"
citations = [{ law = "PIPL", article = "47", quote = "q", mark = "checked" }]
explanation.zh = "删"
explanation.en = "delete"
"#;

    #[test]
    fn a_minimal_rule_is_accepted() {
        let book = Rulebook::from_toml(&minimal(OK_RULE)).unwrap();
        assert_eq!(book.rules[0].precedence, Outcome::Delete.rank());
        assert_eq!(
            book.cite(&book.rules[0].citations[0]).message(Lang::ZhCn),
            "个人信息保护法 第四十七条"
        );
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let bad = minimal(&OK_RULE.replace("outcome =", "colour = \"red\"\noutcome ="));
        let e = Rulebook::from_toml(&bad).unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let bad = minimal(&OK_RULE.replace(
            "outcome = \"delete\"",
            "outcome = \"delete\"\nwhen = { weather = \"rain\" }",
        ));
        assert!(Rulebook::from_toml(&bad)
            .unwrap_err()
            .to_string()
            .contains("weather"));
        let bad = minimal(&OK_RULE.replace("\"delete\"", "\"shred\""));
        assert!(Rulebook::from_toml(&bad).is_err());
    }

    #[test]
    fn missing_citations_and_unknown_laws_fail() {
        let no_cite = minimal(&OK_RULE.replace(
            "citations = [{ law = \"PIPL\", article = \"47\", quote = \"q\", mark = \"checked\" }]",
            "",
        ));
        let e = Rulebook::from_toml(&no_cite).unwrap_err();
        assert!(e.to_string().contains("no citation"), "{e}");
        let unknown = minimal(&OK_RULE.replace("law = \"PIPL\"", "law = \"GDPR\""));
        let e = Rulebook::from_toml(&unknown).unwrap_err();
        assert!(e.to_string().contains("unknown law id \"GDPR\""), "{e}");
        let no_mark = minimal(&OK_RULE.replace(", mark = \"checked\"", ""));
        assert!(Rulebook::from_toml(&no_mark)
            .unwrap_err()
            .to_string()
            .contains("mark"));
        let no_en = minimal(&OK_RULE.replace("explanation.en = \"delete\"", ""));
        assert!(Rulebook::from_toml(&no_en)
            .unwrap_err()
            .to_string()
            .contains("English"));
    }

    #[test]
    fn conflicting_outcomes_at_equal_precedence_fail() {
        let second = OK_RULE.replace("id = \"a\"", "id = \"b\"").replace(
            "outcome = \"delete\"",
            "outcome = \"keep\"\nprecedence = 50",
        );
        let e = Rulebook::from_toml(&minimal(&format!("{OK_RULE}{second}"))).unwrap_err();
        assert!(e.to_string().contains("conflicting outcomes"), "{e}");
        // Exclusive conditions do not conflict.
        let a = OK_RULE.replace("outcome =", "when = { objection = true }\noutcome =");
        let b = second.replace("outcome =", "when = { objection = false }\noutcome =");
        Rulebook::from_toml(&minimal(&format!("{a}{b}"))).unwrap();
    }

    #[test]
    fn outcome_details_must_fit_the_outcome() {
        let retain_without_period = minimal(&OK_RULE.replace("\"delete\"", "\"retain\""));
        assert!(Rulebook::from_toml(&retain_without_period)
            .unwrap_err()
            .to_string()
            .contains("retain ="));
        let blocked = minimal(&OK_RULE.replace("\"delete\"", "\"blocked\""));
        assert!(Rulebook::from_toml(&blocked)
            .unwrap_err()
            .to_string()
            .contains("blocked_by"));
        let strip = minimal(&OK_RULE.replace("outcome =", "strip_sensitive = true\noutcome ="));
        assert!(Rulebook::from_toml(&strip)
            .unwrap_err()
            .to_string()
            .contains("only for outcome transfer"));
    }
}
