//! The words: every sentence and label the core has for people, one file per language ([`zh`], [`en`]),
//! each an exhaustive `match` per kind of message (no `_ =>` arm), so a new variant does not compile until
//! it has its words in both. This module implements `crate::i18n`'s [`Message`], [`Label`] and
//! [`Localize`] for the core's types; it is the top layer of the core: it may use every module, and no
//! domain module uses it (they render through the traits, which the edges call).

mod en;
mod money;
mod zh;

use crate::i18n::{render, Label, Lang, Localize, Message};

/// `impl Message for $ty` through the function `$f` of [`zh`] and [`en`].
macro_rules! message {
    ($($ty:ty => $f:ident),* $(,)?) => {$(
        impl Message for $ty {
            fn message(&self, lang: Lang) -> String {
                match lang {
                    Lang::ZhCn => zh::$f(self),
                    Lang::En => en::$f(self),
                }
            }
        }
    )*};
}

/// `impl Label for $ty` through the function `$f` of [`zh`] and [`en`].
macro_rules! label {
    ($($ty:ty => $f:ident),* $(,)?) => {$(
        impl Label for $ty {
            fn label(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::ZhCn => zh::$f(self),
                    Lang::En => en::$f(self),
                }
            }
        }
    )*};
}

message! {
    crate::Error => error,
    crate::passphrase::Weakness => weakness,
    crate::passphrase::PassphraseCheck => passphrase_check,
    crate::case::DetailProblemCode => detail_problem,
    crate::audit::AuditProblem => audit_problem,
    crate::audit::AuditReport => audit_report,
    crate::rules::status::RulesError => rules_error,
    crate::import::ReadError => read_error,
    crate::detect::category::SensitivityReason => sensitivity_reason,
    crate::detect::classify::Evidence => evidence,
    crate::detect::mask::MaskStyle => mask_style_description,
    crate::import::RowProblem => row_problem,
    crate::import::PreviewNote => preview_note,
    crate::import::UnnamedColumn => unnamed_column,
    crate::import::normalize::ValueProblem => value_problem,
    crate::records::normalise::CellProblem => cell_problem,
    crate::records::import_file::RememberedMapping => remembered_mapping,
    crate::rules::status::SourceKindEvidence => source_kind_evidence,
    crate::rules::exposure::ExposureCheck => exposure_check,
    crate::rules::citation::Cited => cited,
    crate::rules::plan::OwnerOverride => owner_override,
    crate::rules::plan::HoldNotice => hold_notice,
    crate::rules::plan::DeletionRefused => deletion_refused,
    crate::wizard::DerivedNote => derived_note,
    crate::wizard::derived::DataNote => data_note,
}

label! {
    crate::case::BusinessKind => business_kind,
    crate::case::TransferReason => transfer_reason,
    crate::case::LegalForm => legal_form,
    crate::case::CrossBorderMechanism => cross_border_mechanism,
    crate::rules::Outcome => outcome,
    crate::field::FieldType => field,
    crate::detect::waybill::Carrier => carrier,
    crate::detect::category::Category => category,
    crate::detect::category::Sensitivity => sensitivity,
    crate::detect::category::LawSource => law_source,
    crate::detect::category::Article => article,
    crate::detect::mask::MaskStyle => mask_style,
    crate::import::Format => format,
    crate::records::ingest::ProblemsCsv => problems_csv,
    crate::rules::BlockedBy => blocked_by,
    crate::rules::SourceKind => source_kind,
    crate::summary::SummaryWord => summary_word,
    crate::rules::exposure::ExposureClass => exposure_class,
}

impl Label for crate::detect::PiiKind {
    /// The field type's label.
    fn label(self, lang: Lang) -> &'static str {
        self.field().label(lang)
    }
}

impl crate::Error {
    /// What crosses to the UI and into `--json`: the stable code, and the message in `lang`.
    pub fn payload(&self, lang: Lang) -> crate::ErrorPayload {
        crate::ErrorPayload {
            code: self.code(),
            message: render(self, lang),
        }
    }
}

impl Localize for crate::passphrase::PassphraseCheck {
    fn localize(&mut self, lang: Lang) {
        self.message = render(self, lang);
    }
}

impl Localize for crate::audit::AuditReport {
    fn localize(&mut self, lang: Lang) {
        self.message = render(self, lang);
    }
}

impl Localize for crate::case::DetailProblem {
    fn localize(&mut self, lang: Lang) {
        self.message = render(&self.code, lang);
    }
}

impl Localize for crate::store::CaseOverview {
    fn localize(&mut self, lang: Lang) {
        self.problems.localize(lang);
    }
}

impl Localize for crate::classification::ColumnSummary {
    fn localize(&mut self, lang: Lang) {
        self.field_label = self.field.label(lang).to_string();
    }
}

impl Localize for crate::classification::ClassificationSummary {
    fn localize(&mut self, lang: Lang) {
        self.columns.localize(lang);
    }
}

impl Localize for crate::classification::ColumnReview {
    fn localize(&mut self, lang: Lang) {
        if let Some(e) = &self.suggestion_evidence {
            self.evidence = e.message(lang);
        }
    }
}

impl Localize for crate::rules::exposure::ExposureCheck {
    fn localize(&mut self, lang: Lang) {
        self.explanation = render(self, lang);
        self.citations = self.cited.iter().map(|t| t.get(lang).to_string()).collect();
        for c in &mut self.counts {
            c.label = c.class.label(lang).to_string();
        }
    }
}

impl Localize for crate::rules::plan::PlanSummary {
    fn localize(&mut self, lang: Lang) {
        self.exposure.localize(lang);
    }
}

impl Localize for crate::rules::status::SourceKindInfo {
    fn localize(&mut self, lang: Lang) {
        if let Some(why) = &self.guessed_from {
            self.evidence = render(why, lang);
        }
    }
}

#[cfg(test)]
mod tests;
