//! Who is under 14 (PIPL Art. 31): the tests the overview (`handover status`), the import's tally of it and
//! the plan share, so they agree on who is a minor.

use chrono::NaiveDate;

use super::id_card;

/// Under 14 on `on` by an ID number.
pub fn minor_by_id_number(id: &str, on: NaiveDate) -> bool {
    id_card::parse_on(id, on).is_some_and(|c| c.is_minor_on(on))
}

/// Under 14 on `on` by a birthday cell as written (a date, with or without a time; not after `on`). Only a
/// column mapped as a birthday is read so: a document date (开票日期, 凭证日期) never is.
pub fn minor_by_birthday(raw: &str, on: NaiveDate) -> bool {
    birthday_cell_date(raw).is_some_and(|b| minor_by_birth_date(b, on))
}

/// The date a birthday cell holds, as [`minor_by_birthday`] reads it: the cell can be read once (on the
/// import's reading thread) and the date tested later.
pub fn birthday_cell_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    crate::import::normalize::date(raw)
        .ok()
        .map(|d| d.date())
        .or_else(|| {
            let day = raw.split([' ', 'T']).next().unwrap_or("");
            ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        })
}

/// Under 14 on `on` by a date of birth read from a birthday cell ([`birthday_cell_date`]).
pub fn minor_by_birth_date(birth: NaiveDate, on: NaiveDate) -> bool {
    birth <= on && id_card::under_fourteen_on(birth, on)
}
