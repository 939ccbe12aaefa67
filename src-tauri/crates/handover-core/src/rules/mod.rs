//! The rulebook: one decision for every customer record, each with its legal basis.
//!
//! The rules are data (`assets/rulebook/rules.toml`, schema and precedence written at the top of that file);
//! this module loads and validates them ([`book`]), matches their conditions against what is known about a
//! record ([`conditions`]), combines the rules that apply into one outcome ([`evaluate`]), computes retention
//! dates ([`retention`]), prepaid totals ([`prepaid`]) and the criminal-law exposure check ([`exposure`]),
//! stores what customers said and what the owner decided ([`status`]), and computes, stores and explains the
//! plan for a whole case ([`plan`]). The words they all share — outcomes, blocks, source kinds, a customer's
//! answer — are in [`terms`]; the refusals in [`error`]; the reads the plan and the status changes share in
//! `reads`. The children take these from there, never from this module, so the module graph has no circle.
//!
//! # Precedence
//! Every rule whose conditions hold is applied in order of precedence, lowest first, and replaces the outcome
//! so far unless its `only_over` list excludes it; so the highest applicable rule decides. The default
//! precedence of a rule is its outcome's rank ([`Outcome::rank`]): where rules disagree, the outcome that
//! moves less data wins (retain > blocked > delete > return > deidentify > keep > transfer). This gives: a
//! legal hold beats deletion; a positive balance blocks deletion; an objection blocks a transfer. Owner
//! overrides come last. See [`evaluate::evaluate`] and its tests.
//!
//! # Using it from the app
//! - [`plan::compute_plan`] (progress + cancel) computes and stores the plan, one row per record, in one
//!   transaction; [`plan::summary`], [`plan::page`], [`plan::explain`] read it.
//! - [`status::set_customer_status`], [`status::set_override`], [`status::set_minimisation`],
//!   [`status::set_source_kind`] record what customers said and what the owner decided, each audited; the first
//!   two update the stored plan of the customers concerned at once, the last two mark the plan stale.

pub mod book;
pub mod citation;
pub mod conditions;
pub mod error;
pub mod evaluate;
pub mod exposure;
pub mod plan;
pub mod prepaid;
mod reads;
pub mod retention;
pub mod status;
pub mod terms;

pub use book::{rulebook, Rule, Rulebook, RulebookError};
pub use error::RulesError;
pub use evaluate::{evaluate, Decision};
pub use terms::{Answer, BlockedBy, Outcome, SourceKind};
