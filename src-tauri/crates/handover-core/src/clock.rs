//! The core's one clock: every timestamp the core writes (into a case or the app's config) comes from
//! [`now`], so they all read alike — RFC 3339, UTC, milliseconds.
//!
//! A change to a case takes its timestamp once, when it starts (`Writer::now` in `store::write`), and uses
//! it for every row and audit entry it writes.

use chrono::{SecondsFormat, Utc};

/// The current time as RFC 3339 in UTC with milliseconds, e.g. `2026-12-05T06:40:19.123Z`.
pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
