//! One cell's normalised value, by the field its column was mapped to.
//!
//! The original cell is always stored beside the result; a cell that cannot be normalised is kept as
//! written and its row flagged with the reason, never dropped.

use crate::detect;
use crate::detect::chars::trim_white;
use crate::field::FieldType;
use crate::import::normalize;

/// Why a cell could not be normalised. The ids are part of the CLI's `--json` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellProblem {
    InvalidMobile,
    InvalidLandline,
    InvalidIdNumber,
    InvalidBankCard,
    InvalidEmail,
    UnparseableDate,
    UnparseableAmount,
    /// An amount above [`crate::rules::prepaid::max_balance`] (10¹⁵ yuan): no shop's ledger holds one, and
    /// sums of such amounts would leave the exact decimal's range.
    AmountBeyondBound,
}

impl CellProblem {
    pub const ALL: [CellProblem; 8] = [
        CellProblem::InvalidMobile,
        CellProblem::InvalidLandline,
        CellProblem::InvalidIdNumber,
        CellProblem::InvalidBankCard,
        CellProblem::InvalidEmail,
        CellProblem::UnparseableDate,
        CellProblem::UnparseableAmount,
        CellProblem::AmountBeyondBound,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CellProblem::InvalidMobile => "invalid_mobile",
            CellProblem::InvalidLandline => "invalid_landline",
            CellProblem::InvalidIdNumber => "invalid_id_number",
            CellProblem::InvalidBankCard => "invalid_bank_card",
            CellProblem::InvalidEmail => "invalid_email",
            CellProblem::UnparseableDate => "unparseable_date",
            CellProblem::UnparseableAmount => "unparseable_amount",
            CellProblem::AmountBeyondBound => "amount_beyond_bound",
        }
    }
}

/// The normalised value of `raw` for `field`: `Ok(None)` when there is nothing to normalise (an empty cell
/// or a free-text field), `Err` when the cell is not what its column says.
pub fn cell(field: FieldType, raw: &str) -> Result<Option<String>, CellProblem> {
    cell_checked(field, raw).map(|n| n.value)
}

/// A normalised cell, and what validating it showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub value: Option<String>,
    /// The kind of personal information the value was validated as, for the fields whose normalising
    /// validates (mobile, landline, ID number, bank card, e-mail): usually `field`, but a landline column's
    /// mobile number is a `Mobile`. `None` for an empty cell and for fields not validated here.
    pub valid_as: Option<FieldType>,
    /// The day of a date field's value (whether or not the value is written out): what the import reads a
    /// birthday as, without writing the date and reading it back.
    pub day: Option<chrono::NaiveDate>,
}

/// Like [`cell`], also saying what kind of personal information a valid value is, so classifying a row
/// does not validate the same cell twice.
pub fn cell_checked(field: FieldType, raw: &str) -> Result<Normalised, CellProblem> {
    cell_validated(field, raw, true)
}

/// [`cell_checked`], writing the normalised value only when `keep_value` (else `value` is `None`): an import
/// stores the values of a few columns (name, mobile, ID number, balance, last activity) and only validates the
/// others, and writing a date or an amount it does not keep costs a formatting and an allocation per cell.
/// The validation, its problem and `valid_as` are the same either way.
pub fn cell_validated(
    field: FieldType,
    raw: &str,
    keep_value: bool,
) -> Result<Normalised, CellProblem> {
    let mut value = String::new();
    let checked = cell_into(field, raw, keep_value.then_some(&mut value))?;
    Ok(Normalised {
        value: checked.written.then_some(value),
        valid_as: checked.valid_as,
        day: checked.day,
    })
}

/// What validating a cell showed, its normalised value written to the caller's buffer ([`cell_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Whether a value was appended to the buffer (never for an empty cell, a free-text field, or a mobile
    /// column's landline number, which is no mobile number).
    pub written: bool,
    /// As [`Normalised::valid_as`].
    pub valid_as: Option<FieldType>,
    /// As [`Normalised::day`].
    pub day: Option<chrono::NaiveDate>,
}

/// Where [`cell_into`] writes a value, if the caller keeps it.
struct Out<'o>(Option<&'o mut String>);

impl Out<'_> {
    /// Lets `write` append the value when it is kept (so a value is only made when kept); whether it was.
    fn with(&mut self, write: impl FnOnce(&mut String)) -> bool {
        self.0.as_mut().map(|out| write(out)).is_some()
    }

    fn text(&mut self, value: &str) -> bool {
        self.with(|out| out.push_str(value))
    }
}

/// [`cell_validated`], appending the normalised value to `out` when one is given, instead of returning it in a
/// string of its own: an import's reading thread gives each row's values one buffer, reused row after row,
/// rather than allocating (and later freeing) a string for every kept cell of a million rows.
pub fn cell_into(
    field: FieldType,
    raw: &str,
    out: Option<&mut String>,
) -> Result<Checked, CellProblem> {
    let t = trim_white(raw);
    let nothing = Checked {
        written: false,
        valid_as: None,
        day: None,
    };
    if t.is_empty() {
        return Ok(nothing);
    }
    let mut out = Out(out);
    let mut valid = |value: &str, kind: FieldType| Checked {
        written: out.text(value),
        valid_as: Some(kind),
        day: None,
    };
    match field {
        // A phone column holds landlines too (联系电话 of firms): each number counts as what it is. A landline
        // is no mobile number, so it is not the record's mobile (no SMS goes to it, it links no customer).
        FieldType::Mobile => detect::mobile::normalize(t)
            .map(|v| valid(&v, FieldType::Mobile))
            .or_else(|| {
                detect::landline::normalize(t).map(|_| Checked {
                    valid_as: Some(FieldType::Landline),
                    ..nothing
                })
            })
            .ok_or(CellProblem::InvalidMobile),
        FieldType::Landline => match detect::landline::normalize(t) {
            Some(v) => Ok(valid(&v, FieldType::Landline)),
            None => detect::mobile::normalize(t)
                .map(|v| valid(&v, FieldType::Mobile))
                .ok_or(CellProblem::InvalidLandline),
        },
        FieldType::IdCard => detect::id_card::parse(t)
            .map(|id| valid(&id.number, FieldType::IdCard))
            .ok_or(CellProblem::InvalidIdNumber),
        FieldType::BankCard => detect::bank_card::normalize(t)
            .map(|v| valid(&v, FieldType::BankCard))
            .ok_or(CellProblem::InvalidBankCard),
        FieldType::Email => {
            if detect::email::is_valid(t) {
                // Lower-cased only when kept: it takes a string of its own.
                Ok(Checked {
                    written: out.with(|o| o.push_str(&t.to_lowercase())),
                    valid_as: Some(FieldType::Email),
                    day: None,
                })
            } else {
                Err(CellProblem::InvalidEmail)
            }
        }
        // Most amounts are already written as the exact decimal would print them (`4845.27`, `10743`): kept
        // as written, skipping a parse and a print per cell (the test below holds this to `money`).
        FieldType::PrepaidBalance
        | FieldType::Points
        | FieldType::AmountOwed
        | FieldType::TransactionAmount
        | FieldType::TopUpAmount
            if is_canonical_amount(t) =>
        {
            Ok(Checked {
                written: out.text(t),
                ..nothing
            })
        }
        FieldType::PrepaidBalance
        | FieldType::Points
        | FieldType::AmountOwed
        | FieldType::TransactionAmount
        | FieldType::TopUpAmount => match normalize::money(t) {
            Ok(d) if crate::rules::prepaid::check_balance(d).is_err() => {
                Err(CellProblem::AmountBeyondBound)
            }
            Ok(d) => Ok(Checked {
                written: out.with(|o| {
                    use std::fmt::Write;
                    // Writing to a String cannot fail.
                    let _ = write!(o, "{d}");
                }),
                ..nothing
            }),
            Err(_) => Err(CellProblem::UnparseableAmount),
        },
        FieldType::LastActivity
        | FieldType::Birthday
        | FieldType::DocumentDate
        | FieldType::ParcelArrivalTime
        | FieldType::PickupTime => normalize::date(t)
            .map(|d| Checked {
                written: out.with(|o| d.push_to(o)),
                valid_as: None,
                day: Some(d.date()),
            })
            .map_err(|_| CellProblem::UnparseableDate),
        FieldType::Name => Ok(Checked {
            written: out.text(t),
            ..nothing
        }),
        // A firm's contact person is a person: a name there counts as a name.
        FieldType::ContactPerson => Ok(Checked {
            written: out.text(t),
            valid_as: detect::name::is_chinese_name(t).then_some(FieldType::Name),
            day: None,
        }),
        _ => Ok(nothing),
    }
}

/// Digits, at most one point with digits on both sides, no leading zero (but `0` or `0.5`), at most 20 digits:
/// an amount `rust_decimal` prints exactly as written.
fn is_canonical_amount(t: &str) -> bool {
    let b = t.as_bytes();
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i.as_bytes(), Some(f.as_bytes())),
        None => (b, None),
    };
    let digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
    // At most 15 integer digits: below the bound, so the fast path never skips its check.
    b.len() <= 21
        && int.len() <= 15
        && digits(int)
        && (int.len() == 1 || int[0] != b'0')
        && frac.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Not writing the value out changes nothing else: the same problem, the same kind of personal
        /// information, for every field.
        #[test]
        fn validating_without_the_value_validates_as_normalising_does(
            s in "[0-9 .,:/年月日号元¥-]{0,20}|1[3-9][0-9]{9}|[0-9]{17}[0-9X]|[a-z]{1,5}@[a-z]{1,5}\\.com|\\PC{0,12}",
            field in 0..FieldType::ALL.len(),
        ) {
            let field = FieldType::ALL[field];
            let bare = || cell_validated(field, &s, false);
            prop_assert_eq!(bare().map(|n| n.value), cell_checked(field, &s).map(|_| None));
            prop_assert_eq!(bare().map(|n| n.valid_as), cell_checked(field, &s).map(|n| n.valid_as));
        }

        /// The shortcut for amounts gives exactly what parsing and printing the exact decimal gives.
        #[test]
        fn canonical_amounts_normalise_as_money_does(s in "[0-9]{0,12}(\\.[0-9]{0,8})?|0\\.[0-9]{1,4}|[0-9.]{1,8}") {
            if is_canonical_amount(&s) {
                let slow = normalize::money(&s).map(|d| d.to_string());
                prop_assert_eq!(slow, Ok(s.clone()));
            }
        }
    }

    #[test]
    fn amounts_that_are_not_canonical_go_the_long_way() {
        for s in ["007", "1.", ".5", "1.2.3", "+5", "1,000", "¥5", "", "00.5"] {
            assert!(!is_canonical_amount(s), "{s}");
        }
        for s in ["0", "0.50", "10743", "4845.27"] {
            assert!(is_canonical_amount(s), "{s}");
        }
        assert_eq!(cell(FieldType::Points, "007"), Ok(Some("7".into())));
        assert_eq!(
            cell(FieldType::PrepaidBalance, "0.50"),
            Ok(Some("0.50".into()))
        );
    }

    #[test]
    fn amounts_above_the_bound_are_flagged_not_stored() {
        // 10¹⁵ yuan is the largest amount kept; one fen more, or a 16-digit integer, is flagged.
        assert_eq!(
            cell(FieldType::PrepaidBalance, "1000000000000000"),
            Ok(Some("1000000000000000".into()))
        );
        assert_eq!(
            cell(FieldType::PrepaidBalance, "999999999999999.99"),
            Ok(Some("999999999999999.99".into()))
        );
        for (field, raw) in [
            (FieldType::PrepaidBalance, "1000000000000000.01"),
            (FieldType::PrepaidBalance, "1234567890123456"),
            (FieldType::TopUpAmount, "79228162514264337593543950335"),
            (FieldType::AmountOwed, "-2000000000000000"),
            (FieldType::TransactionAmount, "¥1,000,000,000,000,000.50"),
        ] {
            assert_eq!(
                cell(field, raw),
                Err(CellProblem::AmountBeyondBound),
                "{raw}"
            );
        }
        // Beyond what an exact decimal holds at all: still not an amount.
        assert_eq!(
            cell(FieldType::PrepaidBalance, "792281625142643375935439503350"),
            Err(CellProblem::UnparseableAmount)
        );
    }
}
