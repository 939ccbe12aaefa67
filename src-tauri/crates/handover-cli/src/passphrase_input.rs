//! Where the CLI gets the passphrase: the HANDOVER_PASSPHRASE environment variable, or a prompt on the
//! terminal. Never a command-line argument, which other users could read from the process list.

use handover_core::{Error, Lang};
use zeroize::Zeroizing;

use crate::text::{say_err, Word};

const ENV: &str = "HANDOVER_PASSPHRASE";

/// A passphrase, wiped from memory when dropped.
pub type Passphrase = Zeroizing<String>;

fn from_env() -> Option<Passphrase> {
    std::env::var(ENV)
        .ok()
        .map(Zeroizing::new)
        .filter(|p| !p.is_empty())
}

fn prompt(text: &str) -> Result<Passphrase, Error> {
    // Without a terminal (a script, CI) rpassword fails to open /dev/tty: say how to pass it instead.
    rpassword::prompt_password(text)
        .map(Zeroizing::new)
        .map_err(|_| Error::NoPassphrase)
}

pub fn for_existing_case(lang: Lang) -> Result<Passphrase, Error> {
    match from_env() {
        Some(p) => Ok(p),
        None => prompt(Word::CasePassphrase.get(lang)),
    }
}

/// Asks twice on a terminal, because a mistyped passphrase on a new case can never be recovered.
pub fn for_new_case(lang: Lang) -> Result<Passphrase, Error> {
    if let Some(p) = from_env() {
        return Ok(p);
    }
    say_err!("{}", Word::NewCasePassphraseIntro.get(lang));
    let first = prompt(Word::NewPassphrase.get(lang))?;
    let second = prompt(Word::RepeatPassphrase.get(lang))?;
    if first != second {
        return Err(Error::PassphraseMismatch);
    }
    Ok(first)
}

const PACKAGE_ENV: &str = "HANDOVER_PACKAGE_PASSPHRASE";

/// A package passphrase given by the owner, if any (`HANDOVER_PACKAGE_PASSPHRASE`); otherwise the export
/// generates one.
pub fn package_from_env() -> Option<Passphrase> {
    std::env::var(PACKAGE_ENV)
        .ok()
        .map(Zeroizing::new)
        .filter(|p| !p.trim().is_empty())
}

/// The passphrase of a package being received: the environment variable, or asked on the terminal.
pub fn for_package(lang: Lang) -> Result<Passphrase, Error> {
    match package_from_env() {
        Some(p) => Ok(p),
        None => prompt(Word::PackagePassphrase.get(lang)),
    }
}

/// The new case's passphrase when receiving: like `handover new` (the variable, or asked twice).
pub fn for_received_case(lang: Lang) -> Result<Passphrase, Error> {
    if let Some(p) = from_env() {
        return Ok(p);
    }
    say_err!("{}", Word::NewReceivedCasePassphraseIntro.get(lang));
    let first = prompt(Word::NewPassphrase.get(lang))?;
    let second = prompt(Word::RepeatPassphrase.get(lang))?;
    if first != second {
        return Err(Error::PassphraseMismatch);
    }
    Ok(first)
}
