//! The wording of the notices: data in `assets/documents/notices/` (`zh-CN.toml`, `en.toml`), compiled in,
//! read once and validated (unknown keys, unknown placeholders, a placeholder a form may not carry, a notice
//! missing in a language). [`fill`] puts the case's values into a text.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::error::NoticeError;
use super::kinds::{NoticeForm, NoticeKind};
use crate::case::TransferReason;
use crate::i18n::Lang;

const ZH_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/documents/notices/zh-CN.toml"
));
const EN_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../assets/documents/notices/en.toml"
));

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 11] = [
    "seller",
    "seller_contact",
    "responsible_person",
    "recipient",
    "recipient_contact",
    "handover_date",
    "reason",
    "categories",
    "customer",
    "balance",
    "mask_style",
];

/// Placeholders that carry personal data of one customer, and the forms that may not carry them: a poster
/// names nobody; an SMS carries no name (see `notices::model` for why).
fn allowed(form: NoticeForm, placeholder: &str) -> bool {
    !matches!(
        (form, placeholder),
        (NoticeForm::Poster, "customer" | "balance")
            | (NoticeForm::Sms | NoticeForm::Csv, "customer")
    )
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeTemplate {
    pub id: String,
    pub title: String,
    /// How many SMS parts the text is declared to fit (1: 70 units; n > 1: n × 67 units).
    pub sms_parts: u32,
    pub sms: String,
    pub letter: Vec<String>,
    pub poster: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    pub lang: String,
    /// Joins the categories of information.
    pub separator: String,
    /// The reason, as the notices say it.
    pub reasons: BTreeMap<String, String>,
    pub notices: Vec<NoticeTemplate>,
    #[serde(skip)]
    pub sha256: String,
}

impl Templates {
    pub fn notice(&self, kind: NoticeKind) -> &NoticeTemplate {
        self.notices
            .iter()
            .find(|n| n.id == kind.id())
            .expect("validated: every notice has a template")
    }

    pub fn reason(&self, reason: TransferReason) -> &str {
        self.reasons
            .get(reason.id())
            .map(String::as_str)
            .expect("validated: every reason has a phrase")
    }
}

/// The placeholders in a text, in order (`{name}`; `{{`/`}}` are not used by the templates).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => {
                out.push(after);
                break;
            }
        }
    }
    out
}

/// Fills the placeholders of `text` from `value` (which answers `None` for one it does not know: left as is,
/// which validation makes impossible for the compiled-in templates).
pub fn fill(text: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads and checks one language's templates.
pub fn parse(source: &str) -> Result<Templates, Vec<String>> {
    let mut t: Templates = toml::from_str(source).map_err(|e| vec![e.to_string()])?;
    t.sha256 = hex::encode(Sha256::digest(source.as_bytes()));
    let mut problems = Vec::new();
    for kind in NoticeKind::ALL {
        if t.notices.iter().filter(|n| n.id == kind.id()).count() != 1 {
            problems.push(format!("{}: notice {} missing or twice", t.lang, kind.id()));
        }
    }
    for reason in TransferReason::ALL {
        if !t.reasons.contains_key(reason.id()) {
            problems.push(format!("{}: reason {} has no phrase", t.lang, reason.id()));
        }
    }
    for n in &t.notices {
        if NoticeKind::from_id(&n.id).is_none() {
            problems.push(format!("{}: unknown notice {}", t.lang, n.id));
        }
        if n.sms_parts == 0 || n.sms_parts > 5 {
            problems.push(format!("{}: {}: sms_parts must be 1 to 5", t.lang, n.id));
        }
        let forms: [(NoticeForm, Vec<&String>); 3] = [
            (NoticeForm::Sms, vec![&n.sms]),
            (
                NoticeForm::Letter,
                n.letter.iter().chain([&n.title]).collect(),
            ),
            (NoticeForm::Poster, n.poster.iter().collect()),
        ];
        for (form, texts) in forms {
            for text in texts {
                for p in placeholders(text) {
                    if !PLACEHOLDERS.contains(&p) {
                        problems.push(format!(
                            "{}: {} ({}): unknown placeholder {{{p}}}",
                            t.lang,
                            n.id,
                            form.id()
                        ));
                    } else if !allowed(form, p) {
                        problems.push(format!(
                            "{}: {} ({}): {{{p}}} carries personal data this form may not hold",
                            t.lang,
                            n.id,
                            form.id()
                        ));
                    }
                    if p == "recipient" || p == "recipient_contact" {
                        if let Some(k) = NoticeKind::from_id(&n.id) {
                            if !k.names_recipient() {
                                problems.push(format!(
                                    "{}: {}: names the recipient, but is also sent when there is none",
                                    t.lang, n.id
                                ));
                            }
                        }
                    }
                }
            }
        }
        if n.letter.is_empty() || n.poster.is_empty() || n.sms.trim().is_empty() {
            problems.push(format!("{}: {}: a form is empty", t.lang, n.id));
        }
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(problems)
    }
}

fn all() -> &'static Result<(Templates, Templates), Vec<String>> {
    static ALL: OnceLock<Result<(Templates, Templates), Vec<String>>> = OnceLock::new();
    ALL.get_or_init(|| {
        let zh = parse(ZH_TOML);
        let en = parse(EN_TOML);
        match (zh, en) {
            (Ok(zh), Ok(en)) => Ok((zh, en)),
            (zh, en) => Err([zh.err(), en.err()]
                .into_iter()
                .flatten()
                .flatten()
                .collect()),
        }
    })
}

/// The compiled-in templates of a language, or why they are unusable.
pub fn templates(lang: Lang) -> Result<&'static Templates, NoticeError> {
    match all() {
        Ok((zh, en)) => Ok(match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }),
        Err(problems) => Err(NoticeError::InvalidTemplates {
            problems: problems.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_validate() {
        for lang in [Lang::ZhCn, Lang::En] {
            let t = templates(lang).unwrap();
            assert_eq!(t.sha256.len(), 64);
        }
    }

    #[test]
    fn validation_catches_unknown_and_forbidden_placeholders() {
        let bad = ZH_TOML.replacen("将于{handover_date}转移", "将于{handover_day}转移", 1);
        let problems = parse(&bad).unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("{handover_day}")),
            "{problems:?}"
        );
        // A customer's name on a poster, a balance on a poster, a name in an SMS.
        let bad = ZH_TOML.replacen(
            "poster = [\n  \"因{reason}",
            "poster = [\n  \"{customer}{balance}因{reason}",
            1,
        );
        let problems = parse(&bad).unwrap_err();
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.contains("personal data"))
                .count(),
            2,
            "{problems:?}"
        );
        let bad = ZH_TOML.replacen("sms = \"因{reason}", "sms = \"{customer}因{reason}", 1);
        assert!(parse(&bad).unwrap_err()[0].contains("(sms)"));
        let bad = ZH_TOML.replacen("id = \"art23\"", "id = \"art24\"", 1);
        let problems = parse(&bad).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("art23 missing")));
        assert!(problems.iter().any(|p| p.contains("unknown notice art24")));
        assert!(parse(&ZH_TOML.replacen("lang =", "langue =", 1)).is_err());
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown() {
        let v = |n: &str| (n == "a").then(|| "甲".to_string());
        assert_eq!(fill("x{a}y{b}z{a}", &v), "x甲y{b}z甲");
        assert_eq!(fill("no braces", &v), "no braces");
        assert_eq!(fill("open {a", &v), "open {a");
        assert_eq!(placeholders("{a}{b} {c"), ["a", "b", "c"]);
    }
}
