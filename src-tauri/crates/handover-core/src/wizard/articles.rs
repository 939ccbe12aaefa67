//! Finds every numbered section of a source article, so that a test can hold the content map against the
//! articles themselves.
//!
//! The numbering the articles use (see the comment at the top of `assets/wizard/content-map.toml`):
//! - level 1: a Chinese numeral and 、 at the start of a line ("二、客户信息处理的原则") → section `2`;
//! - level 2: an Arabic number, a full stop and a space ("1. 合法合规:…") → section `2.1` under the nearest
//!   level-1 heading. The title is the text before the first colon (ASCII or full-width), or the whole line
//!   after the number when there is no colon;
//! - a declared unnumbered heading (the publisher's "…服务见解") opens a block of points: `afterword`,
//!   `afterword.1`, …;
//! - when the first level-1 heading is 二、 the heading of section 一 was lost: the text before it is section
//!   `1` (`heading_lost`), and points before it are `1.1`, `1.2`, ….
//!
//! Numbers must run on without gaps, and a line that looks numbered in another style (（一）, (1), 1、, 一.)
//! is an error, not something to skip: an article that does not fit is reported, never half-read.

use serde::Serialize;
use ts_rs::TS;

use super::content::UnnumberedHeading;

/// One numbered section found in an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ArticleSection {
    /// `"2"`, `"2.1"`, `"afterword"`, `"afterword.3"`.
    pub section: String,
    /// The number as written: `"二、"`, `"1."`; `None` for a lost or unnumbered heading.
    pub numbering: Option<String>,
    /// As written; `None` when the heading was lost.
    pub title: Option<String>,
    pub heading_lost: bool,
    /// 1-based line of the heading; `None` when the heading was lost.
    pub line: Option<usize>,
}

/// An article whose numbering does not follow the rules above.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}: {text:?}")]
pub struct ArticleParseError {
    pub line: usize,
    pub message: String,
    pub text: String,
}

/// The value of a Chinese numeral from 一 to 九十九.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] if *d == '十' => Some(10),
        [d] => digit(*d),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

const CHINESE_DIGITS: &str = "一二三四五六七八九十";

/// `(numeral, rest)` for a line such as `二十、标题`.
fn level_one(line: &str) -> Option<(&str, &str)> {
    let end = line
        .char_indices()
        .find(|(_, c)| !CHINESE_DIGITS.contains(*c))
        .map(|(i, _)| i)?;
    if end == 0 {
        return None;
    }
    let rest = line[end..].strip_prefix('、')?;
    Some((&line[..end], rest))
}

/// `(digits, rest)` for a line such as `3. 标题:正文`.
fn level_two(line: &str) -> Option<(&str, &str)> {
    let end = line
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, _)| i)?;
    if end == 0 {
        return None;
    }
    let rest = line[end..].strip_prefix('.')?;
    // "3.5" is a decimal, not a numbered point.
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((&line[..end], rest.trim_start()))
}

/// A line numbered in a style the parser does not handle.
fn other_numbering(line: &str) -> bool {
    let mut chars = line.chars();
    let first = chars.next();
    let numeral = |c: char| CHINESE_DIGITS.contains(c) || c.is_ascii_digit();
    // （一） (1) （1）
    if matches!(first, Some('（' | '(')) {
        let inner: String = chars.clone().take_while(|c| numeral(*c)).collect();
        let after = chars.nth(inner.chars().count());
        return !inner.is_empty() && matches!(after, Some('）' | ')'));
    }
    let lead: String = line.chars().take_while(|c| numeral(*c)).collect();
    if lead.is_empty() {
        return false;
    }
    let after = line[lead.len()..].chars().next();
    let arabic = lead.chars().all(|c| c.is_ascii_digit());
    let chinese = lead.chars().all(|c| CHINESE_DIGITS.contains(c));
    // 1、 1） 1)   一. 一．
    (arabic && matches!(after, Some('、' | '）' | ')')))
        || (chinese && matches!(after, Some('.' | '．')) && chinese_number(&lead).is_some())
}

fn point_title(rest: &str) -> &str {
    match rest.find([':', '：']) {
        Some(i) => rest[..i].trim(),
        None => rest.trim(),
    }
}

/// Every numbered section of `text`, in order. `unnumbered` lists the headings that open a block of points
/// without a number of their own.
pub fn parse_sections(
    text: &str,
    unnumbered: &[UnnumberedHeading],
) -> Result<Vec<ArticleSection>, ArticleParseError> {
    let mut out: Vec<ArticleSection> = Vec::new();
    // The current heading's section id and the last point number under it.
    let mut current: Option<String> = None;
    let mut last_point = 0u32;
    let mut last_heading = 0u32;
    let lost_heading_one = |out: &mut Vec<ArticleSection>| {
        out.push(ArticleSection {
            section: "1".into(),
            numbering: None,
            title: None,
            heading_lost: true,
            line: None,
        });
    };
    for (i, raw_line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw_line.trim();
        let err = |message: String| ArticleParseError {
            line: line_no,
            message,
            text: line.to_string(),
        };
        if let Some(h) = unnumbered.iter().find(|h| h.heading == line) {
            if out.iter().any(|s| s.section == h.section) {
                return Err(err(format!("heading `{}` appears twice", h.section)));
            }
            out.push(ArticleSection {
                section: h.section.clone(),
                numbering: None,
                title: Some(line.to_string()),
                heading_lost: false,
                line: Some(line_no),
            });
            current = Some(h.section.clone());
            last_point = 0;
        } else if let Some((numeral, rest)) = level_one(line) {
            let n = chinese_number(numeral)
                .ok_or_else(|| err(format!("`{numeral}` is not a Chinese numeral")))?;
            let lost_one = last_heading == 0 && n == 2;
            if lost_one {
                if current.is_none() {
                    lost_heading_one(&mut out);
                }
            } else if n != last_heading + 1 {
                return Err(err(format!(
                    "section {n} follows section {last_heading}; sections must run on without gaps"
                )));
            } else if current.as_deref() == Some("1") && last_heading == 0 {
                return Err(err("points before the first heading belong to a lost heading 一, so the first heading must be 二".into()));
            }
            if rest.trim().is_empty() {
                return Err(err("heading without a title".into()));
            }
            last_heading = n;
            out.push(ArticleSection {
                section: n.to_string(),
                numbering: Some(format!("{numeral}、")),
                title: Some(rest.trim().to_string()),
                heading_lost: false,
                line: Some(line_no),
            });
            current = Some(n.to_string());
            last_point = 0;
        } else if let Some((digits, rest)) = level_two(line) {
            let n: u32 = digits
                .parse()
                .map_err(|_| err(format!("`{digits}` is not a number")))?;
            let parent = match &current {
                Some(c) => c.clone(),
                None => {
                    // Points before any heading: section 一 whose heading was lost.
                    lost_heading_one(&mut out);
                    current = Some("1".into());
                    "1".into()
                }
            };
            if n != last_point + 1 {
                return Err(err(format!(
                    "point {n} follows point {last_point} under section {parent}; a block of points without its heading?"
                )));
            }
            if rest.is_empty() {
                return Err(err("numbered point without text".into()));
            }
            last_point = n;
            out.push(ArticleSection {
                section: format!("{parent}.{n}"),
                numbering: Some(format!("{digits}.")),
                title: Some(point_title(rest).to_string()),
                heading_lost: false,
                line: Some(line_no),
            });
        } else if other_numbering(line) {
            return Err(err("numbered in a style the parser does not handle".into()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn afterword() -> Vec<UnnumberedHeading> {
        vec![UnnumberedHeading {
            section: "afterword".into(),
            heading: "某某公司服务见解".into(),
        }]
    }

    fn ids(sections: &[ArticleSection]) -> Vec<&str> {
        sections.iter().map(|s| s.section.as_str()).collect()
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_number("一"), Some(1));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十一"), Some(11));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("二十三"), Some(23));
        assert_eq!(chinese_number("十十"), None);
        assert_eq!(chinese_number("一二"), None);
    }

    #[test]
    fn levels_titles_lost_heading_and_afterword() {
        let text = "标题?\n引言<\n1. 客户信任:正文\n2. 合规要求：正文\n二、处理原则\n说明\n1. 合法合规:严格遵守\n2. 制定严格的保密协议,明确责任。\n三、分类与存储\n某某公司服务见解\n1. 客户至上:正文\n";
        let s = parse_sections(text, &afterword()).unwrap();
        assert_eq!(
            ids(&s),
            [
                "1",
                "1.1",
                "1.2",
                "2",
                "2.1",
                "2.2",
                "3",
                "afterword",
                "afterword.1"
            ]
        );
        assert!(s[0].heading_lost && s[0].title.is_none() && s[0].line.is_none());
        assert_eq!(s[2].title.as_deref(), Some("合规要求"));
        assert_eq!(s[3].numbering.as_deref(), Some("二、"));
        assert_eq!(s[3].title.as_deref(), Some("处理原则"));
        assert_eq!(s[3].line, Some(5));
        assert_eq!(s[5].title.as_deref(), Some("制定严格的保密协议,明确责任。"));
        assert_eq!(s[7].title.as_deref(), Some("某某公司服务见解"));
        assert_eq!(s[7].numbering, None);
    }

    #[test]
    fn a_lost_heading_without_points_is_still_a_section() {
        let s = parse_sections("引言<\n二、分类\n三、保密\n1. 加密\n", &[]).unwrap();
        assert_eq!(ids(&s), ["1", "2", "3", "3.1"]);
        assert!(s[0].heading_lost);
    }

    #[test]
    fn gaps_and_undeclared_blocks_are_errors() {
        let e = parse_sections("一、甲\n三、丙\n", &[]).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("without gaps"), "{e}");

        let e = parse_sections("一、甲\n1. 子\n3. 子\n", &[]).unwrap_err();
        assert_eq!(e.line, 3);

        // A closing block whose heading is not declared restarts at 1 under the last heading.
        let e = parse_sections("一、甲\n1. 子\n2. 子\n某某公司服务见解\n1. 客户至上\n", &[])
            .unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.message.contains("without its heading"), "{e}");

        let e = parse_sections("引言\n1. 子\n一、甲\n", &[]).unwrap_err();
        assert!(e.message.contains("must be 二"), "{e}");
    }

    #[test]
    fn other_numbering_styles_are_rejected_not_skipped() {
        for line in ["（一）概述", "(1) 概述", "1、概述", "2）概述", "一.概述"] {
            let e = parse_sections(&format!("一、甲\n{line}\n"), &[]).unwrap_err();
            assert_eq!(e.line, 2, "{line}");
            assert!(e.message.contains("style"), "{line}: {e}");
        }
        // Plain prose that merely starts with a number is not a heading.
        let s = parse_sections("一、甲\n2024年发布\n3.5折优惠\n", &[]).unwrap();
        assert_eq!(ids(&s), ["1"]);
    }
}
