//! What the shell keeps between commands: the config folder and the one open case.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use handover_core::audit::Actor;
use handover_core::config::Config;
use handover_core::store::Case;
use handover_core::{Error, ErrorPayload, Lang};

use crate::files::ChosenFiles;

#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    /// Where new cases are suggested to go: a folder in the owner's documents.
    pub default_case_dir: PathBuf,
    lang: Mutex<Lang>,
    case: Mutex<Option<Case>>,
    /// Set by `cancel_import`; read by the running import. Outside the case lock on purpose: the import
    /// holds that lock while it runs.
    pub cancel_import: AtomicBool,
    /// Set by `cancel_plan`, read by a running plan computation (same reasoning).
    pub cancel_plan: AtomicBool,
    /// The places the owner chose in a save dialog, not yet written to.
    pub chosen_files: ChosenFiles,
    /// The person working cases (经办人) as the owner named them in the app; empty: the open case's
    /// responsible person.
    operator: Mutex<String>,
    /// The open case's responsible person, read each time a command takes the case (see `actor`).
    responsible_person: Mutex<String>,
}

impl AppState {
    pub fn new(config_dir: PathBuf, documents_dir: PathBuf) -> AppState {
        let config = Config::new(config_dir);
        let lang = config.language();
        let operator = config.operator();
        AppState {
            config,
            default_case_dir: documents_dir.join("交接案件"),
            lang: Mutex::new(lang),
            case: Mutex::new(None),
            cancel_import: AtomicBool::new(false),
            cancel_plan: AtomicBool::new(false),
            chosen_files: ChosenFiles::default(),
            operator: Mutex::new(operator),
            responsible_person: Mutex::new(String::new()),
        }
    }

    /// The person the owner named as operator (empty when none).
    pub fn operator(&self) -> String {
        self.operator
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_operator(&self, name: &str) -> Result<(), ErrorPayload> {
        self.config.set_operator(name).map_err(|e| self.fail(e))?;
        *self.operator.lock().unwrap_or_else(|e| e.into_inner()) = name.trim().to_string();
        Ok(())
    }

    /// Who the audit log names for a change made now: the login (`app:owner`) and the person working the
    /// case — the operator the owner named, else the open case's responsible person.
    pub fn actor(&self) -> Actor {
        let responsible = self
            .responsible_person
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        self.actor_or(&responsible)
    }

    /// As [`AppState::actor`], with `fallback` as the person when the owner named no operator (a case
    /// being created has no details stored yet).
    pub fn actor_or(&self, fallback: &str) -> Actor {
        let named = self.operator();
        let person = if named.is_empty() { fallback } else { &named };
        Actor::current("app").with_person(person)
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|e| e.into_inner()) = lang;
    }

    /// Turns a core error into what the frontend receives: `{code, message}` in the owner's language.
    pub fn fail(&self, e: Error) -> ErrorPayload {
        e.payload(self.lang())
    }

    /// Runs `f` on the open case.
    pub fn with_case<T>(
        &self,
        f: impl FnOnce(&mut Case) -> Result<T, Error>,
    ) -> Result<T, ErrorPayload> {
        // A panic while the lock was held cannot leave the case half-written (SQLite transactions), so a
        // poisoned lock is safe to take over.
        let mut guard = self.case.lock().unwrap_or_else(|e| e.into_inner());
        let case = guard
            .as_mut()
            .ok_or(Error::NoCaseOpen)
            .map_err(|e| self.fail(e))?;
        // Fresh for every command, so a change of responsible person counts from the next change on.
        // A case whose details cannot be read keeps the last name: the command itself will report why.
        if let Ok(details) = case.details() {
            *self
                .responsible_person
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = details.seller.responsible_person;
        }
        f(case).map_err(|e| self.fail(e))
    }

    /// The place the owner chose in the save dialog under `target` (used up); never the open case file.
    pub fn take_chosen(&self, target: u64) -> Result<PathBuf, ErrorPayload> {
        self.take_chosen_as(target, |p| p)
    }

    /// As [`AppState::take_chosen`], with the name completed by `finish` (an extension) before the check.
    pub fn take_chosen_as(
        &self,
        target: u64,
        finish: impl FnOnce(PathBuf) -> PathBuf,
    ) -> Result<PathBuf, ErrorPayload> {
        let guard = self.case.lock().unwrap_or_else(|e| e.into_inner());
        let open = guard.as_ref().map(|c| c.path().to_path_buf());
        drop(guard);
        self.chosen_files
            .take(target, open.as_deref(), finish)
            .map_err(|e| self.fail(e))
    }

    /// Makes `case` the open case, closing the previous one.
    pub fn replace_case(&self, case: Option<Case>) -> Result<(), ErrorPayload> {
        let mut guard = self.case.lock().unwrap_or_else(|e| e.into_inner());
        let previous = std::mem::replace(&mut *guard, case);
        match previous {
            Some(old) => old.close().map_err(|e| self.fail(e)),
            None => Ok(()),
        }
    }
}
