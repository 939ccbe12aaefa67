//! Domain core of Handover (客户信息交接助手).
//!
//! Plain Rust with no Tauri anywhere in its dependency tree: the desktop shell and the `handover` CLI are
//! both thin layers over this crate. One module per concern.

pub mod audit;
pub mod backup;
mod budgets;
pub mod case;
pub mod classification;
mod clock;
pub mod config;
pub mod customer_table;
pub mod destruction;
pub mod detect;
pub mod error;
pub mod error_code;
pub mod field;
pub mod i18n;
mod ids;
pub mod import;
pub mod messages;
pub mod notices;
pub mod output;
pub mod passphrase;
pub mod records;
pub mod rules;
pub mod store;
pub mod summary;
pub mod transfer;
pub mod wizard;

pub use error::{Error, ErrorPayload, Result};
pub use error_code::ErrorCode;
pub use i18n::Lang;
