//! Customer notices and replies (issue 13): which notices the plan needs, per route; their wording as data
//! (`assets/documents/notices/`); the SMS text with its 【signature】 and parts; the SMS platform's file; the
//! letters' models for the documents crate; and the customers' replies, recorded where the rulebook reads
//! them.
//!
//! Floor: beside `rules` and `wizard` (it reads the plan and the customers' statuses). Its submodules take
//! from each other by name (`super::sms`), never from this file.

pub mod error;
pub mod generate;
pub mod kinds;
pub mod model;
pub mod replies;
pub mod sms;
pub mod template;
