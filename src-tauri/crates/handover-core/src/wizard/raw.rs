//! The two content files exactly as written, before validation. Unknown keys are rejected; values that
//! validation should name precisely (a missing language, a missing mark, an unknown business kind) are
//! read loosely here so that the error can say which step or item is wrong.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSteps {
    #[serde(default)]
    pub laws: Vec<RawLaw>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawText {
    pub zh: Option<String>,
    pub en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLaw {
    pub id: String,
    #[serde(default)]
    pub name: RawText,
    pub note: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub id: String,
    #[serde(default)]
    pub title: RawText,
    #[serde(default)]
    pub why: RawText,
    #[serde(default)]
    pub what_to_do: RawText,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    pub applies_when: Option<RawAppliesWhen>,
    pub not_applicable_reason: Option<RawText>,
    #[serde(default)]
    pub items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub id: String,
    #[serde(default)]
    pub text: RawText,
    pub help: Option<RawText>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub citations: Vec<RawCitation>,
    pub blocking: Option<bool>,
    pub applies_when: Option<RawAppliesWhen>,
    pub not_applicable_reason: Option<RawText>,
    pub derived_from: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub article: String,
    pub section: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCitation {
    pub law: String,
    pub article: String,
    pub mark: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAppliesWhen {
    pub kinds: Option<Vec<String>>,
    pub reasons: Option<Vec<String>>,
    pub recipient: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContentMap {
    #[serde(default)]
    pub articles: Vec<RawArticle>,
    #[serde(default)]
    pub reasons: BTreeMap<String, RawText>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArticle {
    pub id: String,
    pub file: String,
    pub title: String,
    pub seed: String,
    pub url: Option<String>,
    #[serde(default)]
    pub unnumbered_headings: Vec<RawUnnumberedHeading>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnnumberedHeading {
    pub section: String,
    pub heading: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub article: String,
    pub section: String,
    pub numbering: Option<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub heading_lost: bool,
    pub covered_by: Option<Vec<String>>,
    #[serde(default)]
    pub background: bool,
    pub reason: Option<String>,
}
