//! Where the app may write: only places the owner chose in a save dialog that the shell itself showed.
//!
//! The frontend never names a path to write to. It asks for a place (`pick_save_file`), the shell shows the
//! native save dialog and keeps the chosen path under a one-use number, and the commands that write take that
//! number. A page script that went wrong (or was made to) can therefore not overwrite the owner's files, and no
//! command writes over the open case file. The writing itself is atomic (temporary file beside the target,
//! then rename) in the core's `output::write_atomic` and the package crate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use handover_core::Error;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::commands::CmdResult;
use crate::state::AppState;

/// What is being saved: decides the dialog's file-type filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SaveKind {
    Csv,
    Pdf,
    Docx,
    /// A document the owner may save as PDF or DOCX (the name's extension decides).
    Document,
    Package,
    /// A case file (a backup).
    Case,
    /// A copy of an evidence file: any type.
    Any,
}

const PDF: (&str, &[&str]) = ("PDF", &["pdf"]);
const DOCX: (&str, &[&str]) = ("Word (DOCX)", &["docx"]);

impl SaveKind {
    fn filters(self) -> Vec<(&'static str, &'static [&'static str])> {
        match self {
            SaveKind::Csv => vec![("CSV", &["csv"])],
            SaveKind::Pdf => vec![PDF],
            SaveKind::Docx => vec![DOCX],
            SaveKind::Document => vec![PDF, DOCX],
            SaveKind::Package => vec![("Handover package", &[handover_package::EXTENSION])],
            SaveKind::Case => vec![("Handover", &[handover_core::store::EXTENSION])],
            SaveKind::Any => Vec::new(),
        }
    }
}

/// A place the owner chose: the number the writing commands take, and the path to show.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ChosenFile {
    #[ts(type = "number")]
    pub target: u64,
    pub path: String,
}

/// The places chosen and not yet used.
#[derive(Debug, Default)]
pub struct ChosenFiles {
    next: Mutex<u64>,
    chosen: Mutex<HashMap<u64, PathBuf>>,
}

impl ChosenFiles {
    /// The number a save dialog's answer would have: for the integration tests, whose mock runtime shows
    /// no dialog. Only with the `test-support` feature.
    #[cfg(feature = "test-support")]
    pub fn choose_for_test(&self, path: PathBuf) -> u64 {
        self.keep(path)
    }

    fn keep(&self, path: PathBuf) -> u64 {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        *next += 1;
        let target = *next;
        self.chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(target, path);
        target
    }

    /// The path chosen under `target`, used up. Refused when it was not chosen in the dialog or when it is
    /// the open case file (or one of SQLite's files beside it).
    /// `finish` may complete the name (an extension the file type needs); the check is on the final path.
    pub fn take(
        &self,
        target: u64,
        open_case: Option<&Path>,
        finish: impl FnOnce(PathBuf) -> PathBuf,
    ) -> Result<PathBuf, Error> {
        let chosen = self
            .chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&target)
            .ok_or(Error::SaveTargetNotChosen)?;
        let path = finish(chosen);
        if let Some(case) = open_case {
            if is_case_or_beside(&path, case) {
                return Err(Error::SaveTargetIsTheCase(path));
            }
        }
        Ok(path)
    }
}

/// `path` names `case` or its `-wal`/`-journal`/`-shm` file (compared after resolving links and `..`).
fn is_case_or_beside(path: &Path, case: &Path) -> bool {
    let resolve = |p: &Path| -> PathBuf {
        match (p.parent(), p.file_name()) {
            (Some(dir), Some(name)) => {
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                dir.canonicalize()
                    .unwrap_or_else(|_| dir.to_path_buf())
                    .join(name)
            }
            _ => p.to_path_buf(),
        }
    };
    let target = resolve(path);
    let case = case.canonicalize().unwrap_or_else(|_| resolve(case));
    if target == case {
        return true;
    }
    ["-wal", "-journal", "-shm"].iter().any(|suffix| {
        let mut beside = case.clone().into_os_string();
        beside.push(suffix);
        target.as_os_str() == beside.as_os_str()
    })
}

/// Shows the save dialog (title and suggested file name from the screen) and keeps the place the owner chose.
/// `None` when the owner cancelled.
///
/// Test builds only (debug assertions): with `HANDOVER_E2E_SAVE_DIR` set, the end-to-end tests' WebDriver
/// cannot reach a native dialog, so the place is that folder with the suggested name. Release builds always
/// show the dialog.
#[tauri::command]
pub async fn pick_save_file<R: Runtime>(
    app: AppHandle<R>,
    kind: SaveKind,
    title: String,
    suggested_name: String,
) -> CmdResult<Option<ChosenFile>> {
    let chosen = match e2e_save_dir() {
        Some(dir) => Some(dir.join(file_name_only(&suggested_name))),
        None => {
            let mut dialog = app
                .dialog()
                .file()
                .set_title(title)
                .set_file_name(file_name_only(&suggested_name));
            for (name, extensions) in kind.filters() {
                dialog = dialog.add_filter(name, extensions);
            }
            // An async command runs on a worker thread, where the blocking form is the documented one.
            dialog.blocking_save_file().and_then(|p| p.into_path().ok())
        }
    };
    Ok(chosen.map(|path| {
        let state = app.state::<AppState>();
        ChosenFile {
            target: state.chosen_files.keep(path.clone()),
            path: path.display().to_string(),
        }
    }))
}

/// A suggested name is only ever a file name: no folder from the page.
fn file_name_only(suggested: &str) -> String {
    Path::new(suggested.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(debug_assertions)]
fn e2e_save_dir() -> Option<PathBuf> {
    std::env::var_os("HANDOVER_E2E_SAVE_DIR").map(PathBuf::from)
}

#[cfg(not(debug_assertions))]
fn e2e_save_dir() -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_place_is_used_once_and_never_the_open_case() {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("案件.handover");
        std::fs::write(&case, b"x").unwrap();
        let files = ChosenFiles::default();

        let out = dir.path().join("问题行.csv");
        let t = files.keep(out.clone());
        assert_eq!(files.take(t, Some(&case), |p| p).unwrap(), out);
        assert!(matches!(
            files.take(t, Some(&case), |p| p),
            Err(Error::SaveTargetNotChosen)
        ));
        assert!(matches!(
            files.take(999, None, |p| p),
            Err(Error::SaveTargetNotChosen)
        ));

        for name in [
            "案件.handover",
            "案件.handover-wal",
            "案件.handover-journal",
        ] {
            let t = files.keep(dir.path().join("sub/..").join(name));
            std::fs::create_dir_all(dir.path().join("sub")).unwrap();
            assert!(
                matches!(
                    files.take(t, Some(&case), |p| p),
                    Err(Error::SaveTargetIsTheCase(_))
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn a_suggested_name_cannot_carry_a_folder() {
        assert_eq!(file_name_only("../../etc/passwd"), "passwd");
        assert_eq!(file_name_only("/home/a/b.csv"), "b.csv");
        assert_eq!(file_name_only("王记-问题行.csv"), "王记-问题行.csv");
    }
}
