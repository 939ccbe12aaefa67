//! handover-documents: the papers that leave the app, rendered from templates (`assets/documents/`) and a
//! serialisable model the core builds. One call for every document and form:
//!
//! ```text
//! render(&template, &model, Format::Pdf, &RenderOptions { draft }) -> Rendered { bytes, sha256, template_sha256, pages }
//! ```
//!
//! The PDF is set by typst (as a library, with an in-memory world and Noto Sans CJK SC), the DOCX is written
//! by docx-rs, both from the same walk over the same template, so the two never say different things. The
//! core never depends on this crate (`make core-has-no-pdf`).

mod docx;
pub mod fonts;
mod pdf;
pub mod template;

use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use template::Template;

/// What can go wrong while rendering. Messages are English; the edges (CLI, app) give their own words by
/// matching on the variant.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DocumentError {
    /// A template is malformed or names a field the model does not have.
    #[error("template {template}: {reason}")]
    Template { template: String, reason: String },
    /// No template of that document and language.
    #[error("no template “{0}” in the documents folder")]
    NoTemplate(String),
    /// The font files were not found.
    #[error("font {font} not found (looked in {}); install it with `apt-get install {package}` or set HANDOVER_FONT_DIR to a folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc", looked_in.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    FontMissing {
        font: String,
        package: &'static str,
        looked_in: Vec<PathBuf>,
    },
    /// A font file exists but cannot be used.
    #[error("font {font} cannot be used: {reason}")]
    Font { font: String, reason: String },
    /// typst or docx-rs failed.
    #[error("rendering {what} failed: {reason}")]
    Render { what: String, reason: String },
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn id(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// A draft carries the template's watermark word on every page.
    pub draft: bool,
}

/// A rendered document: the bytes and their SHA-256, the template's SHA-256 (for the audit entry), and the
/// page count (PDF only).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub template_sha256: String,
    pub pages: Option<usize>,
}

/// Loads what every PDF needs (the fonts, typst's library and font book) if not yet loaded: about half a
/// second, which a caller can spend on another thread while it does something else (a destruction checking
/// its pages). A PDF rendered meanwhile waits for it rather than loading twice.
pub fn prepare_pdf() -> Result<(), DocumentError> {
    pdf::prepare()
}

/// Renders `model` (any `Serialize` value) with `template` into `format`. The template is validated against
/// the model first: an unknown field is an error, never an empty hole.
pub fn render<M: Serialize>(
    template: &Template,
    model: &M,
    format: Format,
    options: &RenderOptions,
) -> Result<Rendered, DocumentError> {
    let model = serde_json::to_value(model).map_err(|e| DocumentError::Render {
        what: template.name(),
        reason: e.to_string(),
    })?;
    template.validate(&model)?;
    let (bytes, pages) = match format {
        Format::Pdf => {
            let src = pdf::source(template, &model, options)?;
            let (b, p) = pdf::compile(&template.name(), src)?;
            (b, Some(p))
        }
        Format::Docx => (docx::render(template, &model, options)?, None),
    };
    Ok(Rendered {
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
        template_sha256: template.sha256.clone(),
        pages,
    })
}

/// Renders several models with one template into one file, each starting on a new page (the letters of a
/// notice, one per customer). Every model is validated first.
pub fn render_many<M: Serialize>(
    template: &Template,
    models: &[M],
    format: Format,
    options: &RenderOptions,
) -> Result<Rendered, DocumentError> {
    let models = models
        .iter()
        .map(|m| {
            let v = serde_json::to_value(m).map_err(|e| DocumentError::Render {
                what: template.name(),
                reason: e.to_string(),
            })?;
            template.validate(&v)?;
            Ok(v)
        })
        .collect::<Result<Vec<_>, DocumentError>>()?;
    let (bytes, pages) = match format {
        Format::Pdf => {
            let src = pdf::source_many(template, &models, options)?;
            let (b, p) = pdf::compile(&template.name(), src)?;
            (b, Some(p))
        }
        Format::Docx => (docx::render_many(template, &models, options)?, None),
    };
    Ok(Rendered {
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
        template_sha256: template.sha256.clone(),
        pages,
    })
}

/// The typst source a PDF would be compiled from (for tests and for looking at a template's output).
pub fn typst_source<M: Serialize>(
    template: &Template,
    model: &M,
    options: &RenderOptions,
) -> Result<String, DocumentError> {
    let model = serde_json::to_value(model).map_err(|e| DocumentError::Render {
        what: template.name(),
        reason: e.to_string(),
    })?;
    template.validate(&model)?;
    pdf::source(template, &model, options)
}

/// The templates shipped with the app: compiled in, so the binary and the `.deb` need no asset folder.
/// (file name, TOML text)
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "summary.zh-CN.toml",
        include_str!("../../../../assets/documents/summary.zh-CN.toml"),
    ),
    (
        "summary.en.toml",
        include_str!("../../../../assets/documents/summary.en.toml"),
    ),
    (
        "agreement.zh-CN.toml",
        include_str!("../../../../assets/documents/agreement.zh-CN.toml"),
    ),
    (
        "agreement.en.toml",
        include_str!("../../../../assets/documents/agreement.en.toml"),
    ),
    (
        "assessment.zh-CN.toml",
        include_str!("../../../../assets/documents/assessment.zh-CN.toml"),
    ),
    (
        "assessment.en.toml",
        include_str!("../../../../assets/documents/assessment.en.toml"),
    ),
    (
        "receipt.zh-CN.toml",
        include_str!("../../../../assets/documents/receipt.zh-CN.toml"),
    ),
    (
        "receipt.en.toml",
        include_str!("../../../../assets/documents/receipt.en.toml"),
    ),
    (
        "certificate.zh-CN.toml",
        include_str!("../../../../assets/documents/certificate.zh-CN.toml"),
    ),
    (
        "certificate.en.toml",
        include_str!("../../../../assets/documents/certificate.en.toml"),
    ),
    (
        "letter.zh-CN.toml",
        include_str!("../../../../assets/documents/letter.zh-CN.toml"),
    ),
    (
        "letter.en.toml",
        include_str!("../../../../assets/documents/letter.en.toml"),
    ),
    (
        "poster.zh-CN.toml",
        include_str!("../../../../assets/documents/poster.zh-CN.toml"),
    ),
    (
        "poster.en.toml",
        include_str!("../../../../assets/documents/poster.en.toml"),
    ),
];

/// The shipped template of a document in a language (`zh-CN` or `en`), parsed and form-checked.
pub fn builtin(id: &str, lang: &str) -> Result<Template, DocumentError> {
    let file = format!("{id}.{lang}.toml");
    let (_, text) = BUILTIN
        .iter()
        .find(|(n, _)| *n == file)
        .ok_or_else(|| DocumentError::NoTemplate(file.clone()))?;
    Template::parse(&file, text)
}

/// Every shipped template, parsed (the start-up check: a malformed template fails here).
pub fn all_builtin() -> Result<Vec<Template>, DocumentError> {
    BUILTIN.iter().map(|(n, t)| Template::parse(n, t)).collect()
}
