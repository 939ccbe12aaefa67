//! Passphrase strength. The case file is only as safe as its passphrase, and a forgotten passphrase cannot
//! be recovered, so the app refuses trivially weak ones and explains why in plain words.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Fewer characters than this is refused whatever they are.
pub const MIN_CHARS: usize = 8;
/// zxcvbn's score runs 0–4; 3 means "safely unguessable: moderate protection from offline attacks",
/// which is what an encrypted file on a laptop that may be lost needs.
pub const MIN_SCORE: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Weakness {
    Empty,
    TooShort,
    /// A dictionary word, a keyboard pattern, a date, a repeat such as `aaaaaaaa` or `12341234`…
    TooGuessable,
}

/// The result shown under the passphrase field while the owner types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PassphraseCheck {
    pub acceptable: bool,
    /// 0 (very weak) to 4 (very strong).
    pub score: u8,
    pub weakness: Option<Weakness>,
    // Filled by the edge in the owner's language (`crate::i18n::Localize`); empty from `check`.
    pub message: String,
}

/// Checks a passphrase. `context` holds words the owner is likely to reuse (the business name, the
/// seller's name), which make a passphrase easy to guess for anyone who knows the business.
pub fn check(passphrase: &str, context: &[&str]) -> PassphraseCheck {
    let weakness = weakness(passphrase, context);
    let score = if passphrase.is_empty() {
        0
    } else {
        u8::from(zxcvbn::zxcvbn(passphrase, context).score())
    };
    PassphraseCheck {
        acceptable: weakness.is_none(),
        score,
        weakness,
        message: String::new(),
    }
}

/// Why a passphrase is refused, or `None` when it is acceptable.
pub fn weakness(passphrase: &str, context: &[&str]) -> Option<Weakness> {
    if passphrase.is_empty() {
        return Some(Weakness::Empty);
    }
    if passphrase.chars().count() < MIN_CHARS {
        return Some(Weakness::TooShort);
    }
    let context: Vec<&str> = context
        .iter()
        .copied()
        .filter(|c| !c.trim().is_empty())
        .collect();
    let score = u8::from(zxcvbn::zxcvbn(passphrase, &context).score());
    if score < MIN_SCORE {
        return Some(Weakness::TooGuessable);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_refused() {
        assert_eq!(weakness("", &[]), Some(Weakness::Empty));
        assert_eq!(weakness("abc123", &[]), Some(Weakness::TooShort));
        assert_eq!(weakness("12345678", &[]), Some(Weakness::TooGuessable));
        assert_eq!(weakness("password1", &[]), Some(Weakness::TooGuessable));
        assert_eq!(weakness("aaaaaaaaaaaa", &[]), Some(Weakness::TooGuessable));
        assert_eq!(weakness("qwertyuiop", &[]), Some(Weakness::TooGuessable));
    }

    #[test]
    fn business_name_does_not_make_a_passphrase() {
        assert_eq!(
            weakness("zhangjiyizhan", &["zhangjiyizhan"]),
            Some(Weakness::TooGuessable)
        );
    }

    #[test]
    fn good_passphrases_pass() {
        assert_eq!(weakness("Correct-Horse-Battery-9", &[]), None);
        assert_eq!(weakness("我家门口有3棵桂花树呢", &[]), None);
        let c = check("Correct-Horse-Battery-9", &[]);
        assert!(c.acceptable);
        assert!(c.score >= MIN_SCORE);
    }
}
