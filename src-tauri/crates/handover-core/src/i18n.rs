//! Language at the edges: the language type and the traits the edges render with.
//!
//! The domain never picks a language: it returns codes with arguments (its error and problem enums, the
//! labels of its value types) or a [`Text`] in both languages for content that is data (wizard and rulebook
//! texts loaded from assets). The sentences for people live in one place per language,
//! `crate::messages::zh` and `crate::messages::en`, each an exhaustive `match` per kind of message, so a
//! message without a translation does not compile. This module is the bottom layer every other module may
//! use; `crate::messages` is the top layer that knows every message type, and no domain module imports it.
//!
//! The edges — the desktop shell, the CLI, and later the documents — pick the language:
//! - [`render`] / [`Message::message`] turn a message value into a sentence;
//! - [`Label::label`] names a value (a field, an outcome, a category…);
//! - [`Localize`] fills the sentence fields of a result that crosses IPC (`message` of an audit report,
//!   of a passphrase check, of the case details' problems) just before it is returned;
//! - `Error::payload(lang)` is the `{code, message}` of the IPC error and `--json`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// Picks a language from a tag such as `zh_CN.UTF-8`, `en_US`, `zh-CN` or `en`. Anything that is not
    /// recognisably English falls back to Chinese, the product's default.
    pub fn from_tag(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("en") {
            Lang::En
        } else {
            Lang::ZhCn
        }
    }

    /// Chooses between the Chinese and the English version of something the edge already holds in both.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }
}

/// A text in both languages of the app: content that is data (loaded from assets, or composed from
/// labels), carried through the core as is and picked by the edge or the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// The text of a message in both languages.
    pub fn of<M: Message + ?Sized>(msg: &M) -> Text {
        Text {
            zh: msg.message(Lang::ZhCn),
            en: msg.message(Lang::En),
        }
    }

    /// The label of a value in both languages.
    pub fn label<L: Label>(value: L) -> Text {
        Text {
            zh: value.label(Lang::ZhCn).to_string(),
            en: value.label(Lang::En).to_string(),
        }
    }
}

/// A value that says something to people: an error, a problem, a note. Its sentences are in
/// `crate::messages`.
pub trait Message {
    fn message(&self, lang: Lang) -> String;
}

/// A value with a short name for people (a field type, an outcome, a category…), in `crate::messages`.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// The sentence of `msg` in `lang`: the one render call of the edges.
pub fn render<M: Message + ?Sized>(msg: &M, lang: Lang) -> String {
    msg.message(lang)
}

/// A result that crosses to the UI with sentence fields: the core leaves them empty, the edge fills them
/// in the owner's language before returning.
pub trait Localize {
    fn localize(&mut self, lang: Lang);

    fn localized(mut self, lang: Lang) -> Self
    where
        Self: Sized,
    {
        self.localize(lang);
        self
    }
}

impl<T: Localize> Localize for Vec<T> {
    fn localize(&mut self, lang: Lang) {
        for t in self {
            t.localize(lang);
        }
    }
}

impl<T: Localize> Localize for Option<T> {
    fn localize(&mut self, lang: Lang) {
        if let Some(t) = self {
            t.localize(lang);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_map_to_languages() {
        assert_eq!(Lang::from_tag("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_tag(""), Lang::ZhCn);
        assert_eq!(Lang::from_tag("C"), Lang::ZhCn);
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
    }
}
