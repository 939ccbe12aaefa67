//! The owner's language. zh-CN is the default everywhere; English is the second language.

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

    /// Chooses between the Chinese and the English text of a message.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::ZhCn => zh,
            Lang::En => en,
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
