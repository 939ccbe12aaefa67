//! Document templates: one TOML description per document and language (`assets/documents/<id>.<lang>.toml`),
//! which the PDF and the DOCX writers both walk, so the two never say different things.
//!
//! A template is a title, a page header, a page-number line and a list of blocks. Text holds placeholders
//! `{path.to.field}` naming a value of the model (the model is any `Serialize` value, seen as JSON); a table
//! is bound to a list of the model and its cells name fields of one list item. `{{` and `}}` print a brace.
//! A placeholder that names nothing in the model is an error, at validation and at rendering: a template
//! never prints an empty hole where a lawyer expected a value.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::DocumentError;

/// One document template as written in `assets/documents/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    /// The document's id (`summary`, `agreement`, …); the file name starts with it.
    pub id: String,
    /// `zh-CN` or `en`.
    pub lang: String,
    /// The title on the first page.
    pub title: String,
    /// A line under the title (placeholders allowed).
    #[serde(default)]
    pub subtitle: String,
    /// The page header's text, on every page.
    pub header: String,
    /// The page-number line: must contain `{page}` and `{pages}` (e.g. "第 {page} 页，共 {pages} 页").
    pub page_label: String,
    /// The word printed across every page of a draft (e.g. "草稿").
    pub watermark: String,
    /// The East Asian font a DOCX names (DOCX does not embed fonts), with a Latin font beside it.
    #[serde(default = "default_docx_east_asia_font")]
    pub docx_east_asia_font: String,
    #[serde(default = "default_docx_latin_font")]
    pub docx_latin_font: String,
    /// The running text's size in points (default 10); a poster for the shop window sets a large one.
    #[serde(default = "default_font_size")]
    pub font_size: f32,
    #[serde(rename = "block")]
    pub blocks: Vec<Block>,
}

fn default_docx_east_asia_font() -> String {
    "宋体".into()
}
fn default_docx_latin_font() -> String {
    "Arial".into()
}
fn default_font_size() -> f32 {
    10.0
}

/// One block of a document, in reading order.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Block {
    /// A section heading, bold.
    Heading {
        text: String,
        #[serde(default)]
        when: Option<String>,
    },
    /// A paragraph of running text.
    Paragraph {
        text: String,
        /// `right` for a letter's sender and date; left by default.
        #[serde(default)]
        align: Align,
        #[serde(default)]
        when: Option<String>,
    },
    /// One paragraph per item of a list of texts in the model (a letter's paragraphs, as the notices'
    /// wording file gives them).
    Paragraphs {
        /// The dotted path of a list of strings in the model.
        list: String,
        #[serde(default)]
        when: Option<String>,
    },
    /// A two-column table of labels and values.
    Fields {
        rows: Vec<[String; 2]>,
        #[serde(default)]
        when: Option<String>,
    },
    /// A table with a header row, one row per item of the model's list `rows`.
    Table {
        /// The dotted path of a list in the model.
        rows: String,
        /// Column title and cell text (placeholders name fields of one item; `{@index}` is its 1-based number).
        columns: Vec<Column>,
        /// Printed instead of the table when the list is empty.
        #[serde(default)]
        empty: String,
        #[serde(default)]
        when: Option<String>,
    },
    /// Signature blocks that never split across pages: one box per party.
    Signatures {
        parties: Vec<Party>,
        #[serde(default)]
        when: Option<String>,
    },
}

/// How a paragraph sits on the line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// One column of a [`Block::Table`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub title: String,
    pub cell: String,
    /// Relative width (default 1).
    #[serde(default = "one")]
    pub width: u32,
}

fn one() -> u32 {
    1
}

/// One signature box: the role, the party's name, and the lines to sign and date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub role: String,
    #[serde(default)]
    pub name: String,
    /// Lines under the name, each followed by a rule to write on (e.g. "签字（盖章）", "日期").
    pub lines: Vec<String>,
}

/// A parsed, checked template with the SHA-256 of its source text (recorded in the audit entry).
#[derive(Debug, Clone)]
pub struct Template {
    pub spec: TemplateSpec,
    pub sha256: String,
}

/// A piece of a text with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(std::borrow::Cow<'a, str>),
    Field(&'a str),
}

/// Splits a text into literal pieces and placeholders. `{{` and `}}` are literal braces; an unclosed `{`, a
/// lone `}` or an empty or malformed placeholder is an error.
pub fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        lit.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            lit.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            lit.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(format!(
                "a lone “}}” in “{text}” (write “}}}}” for a brace)"
            ));
        } else {
            let end = tail
                .find('}')
                .ok_or_else(|| format!("an unclosed “{{” in “{text}”"))?;
            let name = &tail[1..end];
            let ok = !name.is_empty()
                && name.split('.').all(|seg| {
                    !seg.is_empty()
                        && seg
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
                });
            if !ok {
                return Err(format!("“{{{name}}}” is not a field name (in “{text}”)"));
            }
            if !lit.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut lit).into()));
            }
            out.push(Piece::Field(name));
            rest = &tail[end + 1..];
        }
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        out.push(Piece::Text(lit.into()));
    }
    Ok(out)
}

/// The value at a dotted path, or `None` if the path names nothing.
pub fn lookup<'v>(model: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(model, |v, seg| match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// How a value prints: strings as they are, numbers in their JSON form (decimals arrive as strings), null and
/// false as empty, true as ✓, lists joined with "、" (their items printed the same way).
pub fn display(v: &Value) -> String {
    match v {
        Value::Null | Value::Bool(false) => String::new(),
        Value::Bool(true) => "✓".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => a.iter().map(display).collect::<Vec<_>>().join("、"),
        Value::Object(_) => String::new(),
    }
}

/// True when a `when` condition holds: the value exists and is not null, false, 0, "" or an empty list.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(_) => true,
    }
}

/// Fills a text's placeholders from `item` (a table row, when given: `{@index}` and fields of the item) or
/// the model. Errors name the template, the placeholder and the text.
pub fn fill(
    template: &str,
    text: &str,
    model: &Value,
    item: Option<(&Value, usize)>,
) -> Result<String, DocumentError> {
    let bad = |reason: String| DocumentError::Template {
        template: template.to_string(),
        reason,
    };
    let mut out = String::new();
    for p in pieces(text).map_err(bad)? {
        match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Field(name) => {
                let v = match item {
                    Some((_, i)) if name == "@index" => Value::from(i + 1),
                    Some((it, _)) => lookup(it, name).cloned().ok_or_else(|| {
                        bad(format!("unknown field “{{{name}}}” of a row (in “{text}”)"))
                    })?,
                    None => lookup(model, name)
                        .cloned()
                        .ok_or_else(|| bad(format!("unknown field “{{{name}}}” (in “{text}”)")))?,
                };
                out.push_str(&display(&v));
            }
        }
    }
    Ok(out)
}

impl Template {
    /// Parses a template's TOML text and checks its own form (placeholders well formed, the page label has
    /// `{page}` and `{pages}`, tables have columns). Fields are checked against a model by [`Self::validate`].
    pub fn parse(name: &str, source: &str) -> Result<Template, DocumentError> {
        let bad = |reason: String| DocumentError::Template {
            template: name.to_string(),
            reason,
        };
        let spec: TemplateSpec = toml::from_str(source).map_err(|e| bad(e.to_string()))?;
        if !(spec.page_label.contains("{page}") && spec.page_label.contains("{pages}")) {
            return Err(bad(format!(
                "page_label “{}” needs {{page}} and {{pages}}",
                spec.page_label
            )));
        }
        for text in spec.texts() {
            pieces(text).map_err(bad)?;
        }
        if !(6.0..=60.0).contains(&spec.font_size) {
            return Err(bad(format!(
                "font_size {} is outside 6–60 points",
                spec.font_size
            )));
        }
        for b in &spec.blocks {
            if let Block::Table { columns, .. } = b {
                if columns.is_empty() {
                    return Err(bad("a table without columns".into()));
                }
            }
        }
        let sha256 = hex::encode(Sha256::digest(source.as_bytes()));
        Ok(Template { spec, sha256 })
    }

    /// Checks every placeholder against a model: each must name a value of the model; a table's cells must
    /// name fields of every item of its list (and the list must be a list). This is the "unknown field"
    /// check, run before rendering and by the tests on every template.
    pub fn validate(&self, model: &Value) -> Result<(), DocumentError> {
        let name = self.name();
        let bad = |reason: String| DocumentError::Template {
            template: name.clone(),
            reason,
        };
        let check = |text: &str| -> Result<(), DocumentError> {
            fill(&name, text, model, None).map(|_| ())
        };
        check(&self.spec.title)?;
        check(&self.spec.subtitle)?;
        check(&self.spec.header)?;
        check(&self.spec.watermark)?;
        for b in &self.spec.blocks {
            if let Some(w) = b.when() {
                if lookup(model, w).is_none() {
                    return Err(bad(format!("unknown field “{w}” in a `when`")));
                }
                // A block whose condition does not hold is not printed, and the fields it names may be
                // absent (no annex: no annex file name).
                if !truthy(lookup(model, w)) {
                    continue;
                }
            }
            match b {
                Block::Heading { text, .. } | Block::Paragraph { text, .. } => check(text)?,
                Block::Paragraphs { list, .. } => match lookup(model, list) {
                    Some(Value::Array(a)) if a.iter().all(Value::is_string) => {}
                    Some(_) => return Err(bad(format!("“{list}” is not a list of texts"))),
                    None => return Err(bad(format!("unknown list “{list}”"))),
                },
                Block::Fields { rows, .. } => {
                    for [k, v] in rows {
                        check(k)?;
                        check(v)?;
                    }
                }
                Block::Table {
                    rows,
                    columns,
                    empty,
                    ..
                } => {
                    check(empty)?;
                    let list = match lookup(model, rows) {
                        Some(Value::Array(a)) => a,
                        Some(_) => return Err(bad(format!("“{rows}” is not a list"))),
                        None => return Err(bad(format!("unknown list “{rows}”"))),
                    };
                    for c in columns {
                        check(&c.title)?;
                        for (i, item) in list.iter().enumerate() {
                            fill(&name, &c.cell, model, Some((item, i)))?;
                        }
                    }
                }
                Block::Signatures { parties, .. } => {
                    for p in parties {
                        check(&p.role)?;
                        check(&p.name)?;
                        for l in &p.lines {
                            check(l)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// `summary.zh-CN` etc.
    pub fn name(&self) -> String {
        format!("{}.{}", self.spec.id, self.spec.lang)
    }

    /// The page label split around `{page}` and `{pages}`: (before, between, after).
    pub fn page_label_parts(&self) -> (String, String, String) {
        let l = &self.spec.page_label;
        let (a, rest) = l.split_once("{page}").unwrap_or((l, ""));
        let (b, c) = rest.split_once("{pages}").unwrap_or((rest, ""));
        (a.to_string(), b.to_string(), c.to_string())
    }
}

impl Block {
    fn when(&self) -> Option<&str> {
        match self {
            Block::Heading { when, .. }
            | Block::Paragraph { when, .. }
            | Block::Paragraphs { when, .. }
            | Block::Fields { when, .. }
            | Block::Table { when, .. }
            | Block::Signatures { when, .. } => when.as_deref(),
        }
    }

    /// True if the block is shown for this model.
    pub fn shown(&self, model: &Value) -> bool {
        self.when().is_none_or(|w| truthy(lookup(model, w)))
    }
}

impl TemplateSpec {
    /// Every text of the template that may hold placeholders (for the form check).
    fn texts(&self) -> Vec<&str> {
        let mut t = vec![
            self.title.as_str(),
            &self.subtitle,
            &self.header,
            &self.watermark,
        ];
        for b in &self.blocks {
            match b {
                Block::Heading { text, .. } | Block::Paragraph { text, .. } => t.push(text),
                Block::Paragraphs { .. } => {}
                Block::Fields { rows, .. } => {
                    for [k, v] in rows {
                        t.push(k);
                        t.push(v);
                    }
                }
                Block::Table { columns, empty, .. } => {
                    t.push(empty);
                    for c in columns {
                        t.push(&c.title);
                        t.push(&c.cell);
                    }
                }
                Block::Signatures { parties, .. } => {
                    for p in parties {
                        t.push(&p.role);
                        t.push(&p.name);
                        for l in &p.lines {
                            t.push(l);
                        }
                    }
                }
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pieces_split_text_and_fields() {
        assert_eq!(
            pieces("甲{a.b}乙{{x}}").unwrap(),
            vec![
                Piece::Text("甲".into()),
                Piece::Field("a.b"),
                Piece::Text("乙{x}".into())
            ]
        );
        assert!(pieces("{a").is_err());
        assert!(pieces("a}").is_err());
        assert!(pieces("{}").is_err());
        assert!(pieces("{a b}").is_err());
    }

    #[test]
    fn fill_refuses_unknown_fields() {
        let m = json!({ "seller": { "name": "张记" }, "n": 3, "list": ["a", "b"] });
        assert_eq!(
            fill("t", "{seller.name}：{n}", &m, None).unwrap(),
            "张记：3"
        );
        assert_eq!(fill("t", "{list}", &m, None).unwrap(), "a、b");
        let e = fill("t", "{seller.phone}", &m, None).unwrap_err();
        assert!(e.to_string().contains("seller.phone"), "{e}");
    }
}
