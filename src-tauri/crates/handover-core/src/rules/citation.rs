//! How a citation is written: "PIPL Art. 22" in English, "个人信息保护法 第二十二条" in Chinese; standards by
//! section ("GB/T 35273-2020 §9.3"). These strings are part of the CLI's JSON (docs/cli.md).

use crate::i18n::Text;

/// Whether a law is cited by article (第N条) or by section (standards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbering {
    #[default]
    Article,
    Section,
}

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1–9999 in Chinese numerals as laws write article numbers: 十二, 二十二, 一百零一, 二百五十三.
pub fn chinese_number(n: u32) -> Option<String> {
    if n == 0 || n > 9999 {
        return None;
    }
    let units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut out = String::new();
    let mut zero_pending = false;
    let mut rest = n;
    for (value, unit) in units {
        let d = rest / value;
        rest %= value;
        if d == 0 {
            if !out.is_empty() && rest > 0 {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            out.push_str(DIGITS[0]);
            zero_pending = false;
        }
        // 10–19 are written 十, 十一 … (not 一十一) when they stand alone.
        if !(value == 10 && d == 1 && out.is_empty()) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(unit);
    }
    Some(out)
}

/// The article in Chinese: "22" → 第二十二条, "253-1" → 第二百五十三条之一. `None` when the article is not a
/// plain number (then it is written as given).
pub fn chinese_article(article: &str) -> Option<String> {
    let (main, sub) = match article.split_once('-') {
        Some((m, s)) => (m, Some(s)),
        None => (article, None),
    };
    let main = chinese_number(main.parse().ok()?)?;
    match sub {
        None => Some(format!("第{main}条")),
        Some(s) => Some(format!("第{main}条之{}", chinese_number(s.parse().ok()?)?)),
    }
}

/// One citation, for the owner and the CLI's JSON: the law's short name in both languages, how the law
/// is numbered, and the article or section (empty: not yet verified). Written out in `crate::i18n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    pub short: Text,
    pub numbering: Numbering,
    pub article: String,
    /// The source is only secondary (◐) or unverified (❌): written with "待核实 / to be verified".
    pub to_verify: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Message};

    fn format(short_name: &str, numbering: Numbering, article: &str, lang: Lang) -> String {
        Cited {
            short: Text {
                zh: short_name.into(),
                en: short_name.into(),
            },
            numbering,
            article: article.into(),
            to_verify: false,
        }
        .message(lang)
    }

    #[test]
    fn chinese_numbers() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (20, "二十"),
            (22, "二十二"),
            (29, "二十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (253, "二百五十三"),
            (555, "五百五十五"),
            (1038, "一千零三十八"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese_number(n).as_deref(), Some(s), "{n}");
        }
        assert_eq!(chinese_number(0), None);
    }

    #[test]
    fn citations_are_written_as_documented() {
        assert_eq!(
            format("个人信息保护法", Numbering::Article, "22", Lang::ZhCn),
            "个人信息保护法 第二十二条"
        );
        assert_eq!(
            format("PIPL", Numbering::Article, "22", Lang::En),
            "PIPL Art. 22"
        );
        assert_eq!(
            format("刑法", Numbering::Article, "253-1", Lang::ZhCn),
            "刑法 第二百五十三条之一"
        );
        assert_eq!(
            format("GB/T 35273-2020", Numbering::Section, "9.3", Lang::ZhCn),
            "GB/T 35273-2020 §9.3"
        );
        assert!(format("X", Numbering::Article, "", Lang::En).contains("to be verified"));
        let secondary = Cited {
            short: Text {
                zh: "会计档案管理办法".into(),
                en: "Accounting Archives Measures".into(),
            },
            numbering: Numbering::Article,
            article: "14".into(),
            to_verify: true,
        };
        assert_eq!(
            secondary.message(Lang::ZhCn),
            "会计档案管理办法 第十四条（待核实）"
        );
        assert_eq!(
            secondary.message(Lang::En),
            "Accounting Archives Measures Art. 14 (to be verified)"
        );
    }
}
