//! The recipient's package in the app: "hand over" (export with a generated passphrase, shown once) in the
//! wizard's hand-over step, and "receive a handover" on the home screen. Thin: the core decides what goes in
//! and makes the recipient's case; `handover-package` writes and checks the bytes.

use std::path::PathBuf;

use handover_core::i18n::Localize;
use handover_core::store::{Case, CaseOverview};
use handover_core::transfer::{self, ReceiptModel};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::commands::CmdResult;
use crate::state::AppState;

/// A package just written. The passphrase is here once, for the screen to show; it is stored nowhere.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExportedPackage {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    #[ts(type = "number")]
    pub customers: u64,
    #[ts(type = "number")]
    pub records: u64,
    pub prepaid_total: String,
    pub passphrase: String,
}

/// What receiving a package asks for: the package and its passphrase (from the seller), the new case's file
/// and the recipient's own passphrase for it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReceiveRequest {
    pub package_path: String,
    pub package_passphrase: String,
    /// Full path of the new case file; `.handover` is added when missing.
    pub case_path: String,
    pub case_passphrase: String,
}

/// The recipient's new case (now the open case) and the receipt's data.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReceivedCase {
    pub overview: CaseOverview,
    pub receipt: ReceiptModel,
}

fn with_package_extension(path: &str) -> PathBuf {
    let p = PathBuf::from(path.trim());
    if p.extension()
        .is_some_and(|e| e == handover_package::EXTENSION)
    {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(format!(".{}", handover_package::EXTENSION));
        PathBuf::from(s)
    }
}

#[tauri::command]
pub async fn export_package(state: State<'_, AppState>, target: u64) -> CmdResult<ExportedPackage> {
    let out = state.take_chosen_as(target, |p| with_package_extension(&p.to_string_lossy()))?;
    state.with_case(|case| {
        transfer::check_ready(case)?;
        let passphrase = handover_package::passphrase::generate()?;
        let written = handover_package::write(
            &out,
            &passphrase,
            |sink| transfer::export(case, sink),
            |manifest, sha256, size| {
                transfer::record_export(case, &state.actor(), manifest, sha256, size)
            },
        )?;
        Ok(ExportedPackage {
            path: written.path.display().to_string(),
            sha256: written.sha256,
            size: written.size,
            customers: written.manifest.customers,
            records: written.manifest.records,
            prepaid_total: written.manifest.prepaid_total,
            passphrase,
        })
    })
}

#[tauri::command]
pub async fn receive_package(
    state: State<'_, AppState>,
    request: ReceiveRequest,
) -> CmdResult<ReceivedCase> {
    let lang = state.lang();
    let case_path = crate::commands::with_extension(&request.case_path);
    let package = PathBuf::from(request.package_path.trim());
    let passphrase = handover_package::passphrase::normalize(&request.package_passphrase);
    let received = (|| -> handover_core::Result<(Case, ReceiptModel)> {
        if case_path.exists() {
            return Err(handover_core::Error::FileExists(case_path.clone()));
        }
        let verified = handover_package::verify(&package, &passphrase)?;
        let mut replay = handover_package::Replay::new(&package, &passphrase, &verified);
        transfer::receive(
            &case_path,
            &request.case_passphrase,
            // The received case has no responsible person of the recipient's yet: the named operator.
            &state.actor_or(""),
            &verified,
            &mut replay,
        )
    })();
    let (case, receipt) = received.map_err(|e| state.fail(e))?;
    let overview = case.overview().map_err(|e| state.fail(e))?.localized(lang);
    state.replace_case(Some(case))?;
    state
        .config
        .touch_recent(&case_path)
        .map_err(|e| state.fail(e))?;
    Ok(ReceivedCase { overview, receipt })
}
