//! Retention dates: until when a record under legal hold is kept, storage only.
//!
//! A period runs from a start date and ends the day before its N-th anniversary ("kept 10 years from
//! 1 January 2027" = up to and including 31 December 2036). The start is one of:
//! - `fiscal-year-end`: the day after the end of the record's fiscal year (the calendar year in China), the
//!   basis of the accounting-archive periods (会计档案管理办法: "从会计年度终了后的第一天算起");
//! - `record-date`: the record's own date;
//! - `handover-date`: the handover.
//!
//! The record's date is its mapped date column (last activity / 日期). A record without a date is counted
//! from the handover date, which is never earlier than any real record date, so the hold is never cut short.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a retention period starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StartBasis {
    FiscalYearEnd,
    RecordDate,
    HandoverDate,
}

/// A retention period as the rulebook writes it: `retain = { years = 30, from = "fiscal-year-end" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct RetainSpec {
    pub years: u32,
    pub from: StartBasis,
}

impl RetainSpec {
    /// The first day of the period.
    pub fn start(&self, record_date: Option<NaiveDate>, handover: NaiveDate) -> NaiveDate {
        let date = record_date.unwrap_or(handover);
        match self.from {
            StartBasis::FiscalYearEnd => {
                NaiveDate::from_ymd_opt(date.year() + 1, 1, 1).unwrap_or(date)
            }
            StartBasis::RecordDate => date,
            StartBasis::HandoverDate => handover,
        }
    }

    /// The last day the record is kept (inclusive).
    pub fn until(&self, record_date: Option<NaiveDate>, handover: NaiveDate) -> NaiveDate {
        let start = self.start(record_date, handover);
        let year = start.year().saturating_add(self.years as i32);
        // The anniversary of 29 February in a common year is 1 March: the hold never ends early.
        let anniversary = start
            .with_year(year)
            .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1));
        anniversary
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn thirty_years_from_the_day_after_the_fiscal_year() {
        let spec = RetainSpec {
            years: 30,
            from: StartBasis::FiscalYearEnd,
        };
        assert_eq!(
            spec.start(Some(d(2024, 3, 5)), d(2026, 12, 31)),
            d(2025, 1, 1)
        );
        assert_eq!(
            spec.until(Some(d(2024, 3, 5)), d(2026, 12, 31)),
            d(2054, 12, 31)
        );
        // No record date: counted from the handover, the latest possible start.
        assert_eq!(spec.until(None, d(2026, 12, 31)), d(2056, 12, 31));
    }

    #[test]
    fn other_bases_and_leap_days() {
        let spec = RetainSpec {
            years: 5,
            from: StartBasis::RecordDate,
        };
        assert_eq!(
            spec.until(Some(d(2024, 2, 29)), d(2026, 1, 1)),
            d(2029, 2, 28)
        );
        let spec = RetainSpec {
            years: 5,
            from: StartBasis::HandoverDate,
        };
        assert_eq!(
            spec.until(Some(d(2000, 1, 1)), d(2026, 12, 31)),
            d(2031, 12, 30)
        );
    }
}
