//! Finding and classifying the personal information in a customer list.
//!
//! - One validator and normaliser per kind of value: [`mobile`], [`landline`], [`id_card`], [`bank_card`],
//!   [`email`], [`qq`], [`wechat`], [`plate`], [`waybill`], [`pickup_code`], [`name`], [`address`],
//!   [`birth_date`]. Each accepts the ways people really type the value (full-width digits, `+86`,
//!   spaces and dashes) and rejects look-alikes by structure and check digits.
//! - [`text::scan`] finds all of them inside free text, in linear time.
//! - [`mask`] is the one place that decides what of a value may be shown.
//! - [`classify`] guesses what a column holds from its header and a sample of its values.
//! - [`category`] says which category and sensitivity each field type has, with the legal reasons.
//!
//! Test data (labelled cells and their scoring, builders of written values) is not here but in
//! `handover-testkit`.
//!
//! Two rules run through all of it. A value is reported only when its structure is right — check digits
//! (ID numbers, bank cards, S10 waybills), real dates, known prefixes — and, for shapes that many other
//! numbers share (QQ numbers, digit-only waybills, old 15-digit IDs next to courier words), only with a
//! label or context word saying what it is. And nothing here can make a scan slow: every detector works
//! on bounded windows, so scanning is linear in the length of the text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::field::FieldType;

pub mod address;
pub mod bank_card;
pub mod birth_date;
pub mod category;
pub(crate) mod chars;
pub mod classify;
pub(crate) mod context;
pub mod email;
pub mod id_card;
pub mod landline;
pub mod mask;
pub mod minor;
pub mod mobile;
pub mod name;
pub mod pickup_code;
pub mod plate;
pub mod qq;
pub(crate) mod shape;
pub mod text;
pub mod waybill;
pub mod wechat;

/// A kind of personal information found in a value or in free text.
///
/// The identifiers are stable: they appear in stored scan results and the CLI's `--json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Mobile,
    Landline,
    IdCard,
    BankCard,
    Email,
    Qq,
    Wechat,
    Plate,
    Waybill,
    PickupCode,
    Name,
    Address,
    BirthDate,
}

impl PiiKind {
    pub const ALL: [PiiKind; 13] = [
        PiiKind::Mobile,
        PiiKind::Landline,
        PiiKind::IdCard,
        PiiKind::BankCard,
        PiiKind::Email,
        PiiKind::Qq,
        PiiKind::Wechat,
        PiiKind::Plate,
        PiiKind::Waybill,
        PiiKind::PickupCode,
        PiiKind::Name,
        PiiKind::Address,
        PiiKind::BirthDate,
    ];

    /// The stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            PiiKind::Mobile => "mobile",
            PiiKind::Landline => "landline",
            PiiKind::IdCard => "id_card",
            PiiKind::BankCard => "bank_card",
            PiiKind::Email => "email",
            PiiKind::Qq => "qq",
            PiiKind::Wechat => "wechat",
            PiiKind::Plate => "plate",
            PiiKind::Waybill => "waybill",
            PiiKind::PickupCode => "pickup_code",
            PiiKind::Name => "name",
            PiiKind::Address => "address",
            PiiKind::BirthDate => "birth_date",
        }
    }

    /// Parses a stable identifier.
    pub fn from_id(id: &str) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// The field type a column of such values has; masking and categories are defined per field type.
    pub fn field(self) -> FieldType {
        match self {
            PiiKind::Mobile => FieldType::Mobile,
            PiiKind::Landline => FieldType::Landline,
            PiiKind::IdCard => FieldType::IdCard,
            PiiKind::BankCard => FieldType::BankCard,
            PiiKind::Email => FieldType::Email,
            PiiKind::Qq => FieldType::Qq,
            PiiKind::Wechat => FieldType::Wechat,
            PiiKind::Plate => FieldType::Plate,
            PiiKind::Waybill => FieldType::Waybill,
            PiiKind::PickupCode => FieldType::PickupCode,
            PiiKind::Name => FieldType::Name,
            PiiKind::Address => FieldType::Address,
            PiiKind::BirthDate => FieldType::Birthday,
        }
    }

    /// The kind found in values of a field type, if the field type is one.
    pub fn of_field(field: FieldType) -> Option<PiiKind> {
        PiiKind::ALL.into_iter().find(|k| k.field() == field)
    }
}

/// One piece of personal information found in a text: its kind, its byte span in the text, and its
/// normalised value (e.g. the 11 digits of a mobile written `+86 138-1234-5678`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    pub kind: PiiKind,
    /// Byte offset of the first byte (UTF-8).
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
    pub value: String,
}

impl Finding {
    pub fn new(kind: PiiKind, start: usize, end: usize, value: String) -> Finding {
        Finding {
            kind,
            start,
            end,
            value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Label, Lang};

    #[test]
    fn kind_ids_round_trip_and_match_serde() {
        for k in PiiKind::ALL {
            assert_eq!(PiiKind::from_id(k.id()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.id())
            );
            assert_eq!(PiiKind::of_field(k.field()), Some(k));
            assert!(!k.label(Lang::ZhCn).is_empty());
        }
        assert_eq!(PiiKind::of_field(FieldType::Notes), None);
        let f = Finding::new(PiiKind::Mobile, 0, 11, "13812345678".into());
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"mobile","start":0,"end":11,"value":"13812345678"}"#
        );
    }
}
