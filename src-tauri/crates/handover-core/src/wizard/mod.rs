//! The guided wizard: eleven steps, each with a checklist, built from the numbered sections of the
//! articles the project started from.
//!
//! The content is data, not code: `assets/wizard/steps.toml` holds the steps and their checklist items,
//! `assets/wizard/content-map.toml` holds every numbered section of the three source articles
//! (`assets/wizard/articles/`) and says which step or item covers it, or why it is background. Both files
//! are compiled in with `include_str!`, deserialised with serde (unknown keys rejected) and validated once
//! ([`wizard`]); [`Wizard::from_toml`] validates any other pair of strings and reports every problem it
//! finds.
//!
//! Nothing is hidden from the owner: [`Wizard::steps_for`] returns every step and item, each with whether it
//! applies to the case and, when it does not, the reason the UI shows in its place.
//!
//! Some items are answered by the case details themselves (`derived_from` in `steps.toml`, a [`CaseFact`]):
//! "enter the seller's name and contact" is done exactly when the details hold them. Their state is not
//! stored but worked out from the details whenever the wizard's state is read ([`state::review`]), so it
//! can never disagree with them. Others are answered by figures the app works out from the case's data
//! (`derived_from = "plan.prepaid"`, a [`DataFact`]; see [`derived`]): the item shows the figure ("预付余额
//! 合计 ¥1,234.50") instead of answer buttons, or which step to do first while the figure is not known.

mod articles;
mod content;
pub mod derived;
pub mod inventory;
mod raw;
pub mod state;
mod validate;

#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use crate::case::{BusinessKind, CaseDetails, TransferReason};

pub use articles::{parse_sections, ArticleParseError, ArticleSection};
pub use content::*;

/// The wizard content compiled into the binary.
const STEPS_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/wizard/steps.toml"
));
const CONTENT_MAP_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/wizard/content-map.toml"
));

/// The built-in wizard, validated on first use. The content is fixed at compile time and the test suite
/// validates it, so a failure here is a build that skipped its tests.
pub fn wizard() -> &'static Wizard {
    static WIZARD: OnceLock<Wizard> = OnceLock::new();
    WIZARD.get_or_init(|| {
        Wizard::from_toml(STEPS_TOML, CONTENT_MAP_TOML)
            .unwrap_or_else(|e| panic!("the built-in wizard content is invalid: {e}"))
    })
}

impl Wizard {
    /// Parses and validates the two content files. All problems are reported at once, each naming the file
    /// and the step, item or section concerned.
    pub fn from_toml(steps_toml: &str, content_map_toml: &str) -> Result<Wizard, ContentError> {
        validate::build(steps_toml, content_map_toml)
    }

    pub fn step(&self, id: StepId) -> &Step {
        // Validation guarantees one step per id, in order.
        &self.steps[id.number() - 1]
    }

    pub fn item(&self, id: &str) -> Option<(&Step, &ChecklistItem)> {
        self.steps
            .iter()
            .find_map(|s| s.items.iter().find(|i| i.id == id).map(|i| (s, i)))
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// Every step and item for a business kind and reason, in the usual situation for that reason (see
    /// [`Situation::new`]: a dissolution is taken to have no recipient).
    pub fn steps_for(&self, kind: BusinessKind, reason: TransferReason) -> Vec<StepForCase> {
        self.steps_for_situation(Situation::new(kind, reason))
    }

    /// Every step and item for a case as entered (a dissolution with a successor has a recipient).
    pub fn steps_for_case(&self, details: &CaseDetails) -> Vec<StepForCase> {
        self.steps_for_situation(Situation::of_case(details))
    }

    /// Every step and item, none hidden: those that do not apply carry the reason to show instead.
    pub fn steps_for_situation(&self, situation: Situation) -> Vec<StepForCase> {
        self.steps
            .iter()
            .map(|step| {
                let step_reason = unmet_reason(step.condition.as_ref(), situation);
                let items = step
                    .items
                    .iter()
                    .map(|item| {
                        let reason = step_reason
                            .clone()
                            .or_else(|| unmet_reason(item.condition.as_ref(), situation));
                        let applies = reason.is_none();
                        ItemForCase {
                            id: item.id.clone(),
                            text: item.text.clone(),
                            help: item.help.clone(),
                            sources: item.sources.clone(),
                            citations: item.citations.clone(),
                            blocking: item.blocking,
                            applies,
                            not_applicable_reason: reason,
                            blocks_printing: item.blocking && applies,
                            derived_from: item.derived_from,
                        }
                    })
                    .collect();
                StepForCase {
                    id: step.id,
                    number: step.id.number(),
                    title: step.title.clone(),
                    why: step.why.clone(),
                    what_to_do: step.what_to_do.clone(),
                    sources: step.sources.clone(),
                    applies: step_reason.is_none(),
                    not_applicable_reason: step_reason,
                    items,
                }
            })
            .collect()
    }
}

/// The reason to show when a condition does not hold; `None` when it holds or there is none.
fn unmet_reason(condition: Option<&Condition>, situation: Situation) -> Option<Text> {
    condition
        .filter(|c| !c.applies_when.holds(situation))
        .map(|c| c.not_applicable_reason.clone())
}
