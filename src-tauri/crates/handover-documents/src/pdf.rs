//! PDF: the template and the model become typst source (every model text as a typst *string literal*, so a
//! customer named `#set` or `*` prints literally), compiled in a small in-memory `World` and written by
//! typst-pdf (fonts embedded as subsets with ToUnicode, so `pdftotext` gets the Chinese back exactly).

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::Value;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::template::{fill, Align, Block, Template};
use crate::{fonts, DocumentError, RenderOptions};

/// A typst string literal holding `s` exactly: the only way model text enters the source.
pub fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The typst source of a document.
pub fn source(
    template: &Template,
    model: &Value,
    options: &RenderOptions,
) -> Result<String, DocumentError> {
    let mut s = preamble(template, model, options)?;
    body(&mut s, template, model, options)?;
    Ok(latin_quotes(template, s))
}

/// The one font (Noto Sans CJK SC) draws curly quotes full width, as Chinese sets them; an English
/// document gets straight quotes instead, which it draws at Latin width. Model text only enters the source
/// inside string literals, so a double quote is written escaped.
fn latin_quotes(template: &Template, source: String) -> String {
    if template.spec.lang.starts_with("zh") {
        return source;
    }
    source.replace(['“', '”'], "\\\"").replace(['‘', '’'], "'")
}

/// The typst source of several documents of one template in one file, each starting on a new page (the
/// letters of a notice). The page set-up (header, title in the header) comes from the first model, so the
/// template's header should name what the documents share.
pub fn source_many(
    template: &Template,
    models: &[Value],
    options: &RenderOptions,
) -> Result<String, DocumentError> {
    let Some(first) = models.first() else {
        return Err(DocumentError::Render {
            what: template.name(),
            reason: "nothing to render".into(),
        });
    };
    let mut s = preamble(template, first, options)?;
    for (i, model) in models.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(s, "#pagebreak()");
        }
        body(&mut s, template, model, options)?;
    }
    Ok(latin_quotes(template, s))
}

/// The document's set-up: fonts, the A4 page with its header, footer and draft mark.
fn preamble(
    template: &Template,
    model: &Value,
    options: &RenderOptions,
) -> Result<String, DocumentError> {
    let name = template.name();
    let spec = &template.spec;
    let f = |text: &str| fill(&name, text, model, None).map(|s| lit(&s));
    let (pa, pb, pc) = template.page_label_parts();
    let zh = spec.lang.starts_with("zh");
    let mut s = String::new();
    let title = f(&spec.title)?;
    let header = f(&spec.header)?;
    let _ = writeln!(s, "#set document(title: {title})");
    let _ = writeln!(
        s,
        "#set text(font: {}, size: {}pt, lang: {}, cjk-latin-spacing: none)",
        lit(fonts::FAMILY),
        spec.font_size,
        if zh {
            "\"zh\", region: \"cn\""
        } else {
            "\"en\""
        }
    );
    // A draft says so twice on every page: a large diagonal word in the page background (for the eye) and
    // the same word at the start of the running header (upright, so text extraction finds it on each page;
    // poppler drops diagonal text).
    let (background, header_mark) = if options.draft {
        let mark = f(&spec.watermark)?;
        (
            format!(
                "align(center + horizon, rotate(-40deg, text(size: 90pt, weight: \"bold\", fill: rgb(200, 30, 30, 50), {mark})))"
            ),
            format!("text(weight: \"bold\", fill: rgb(190, 30, 30), \"【\" + {mark} + \"】\") + h(0.5em) + "),
        )
    } else {
        ("none".into(), String::new())
    };
    let _ = writeln!(
        s,
        "#set page(paper: \"a4\", margin: (x: 2cm, top: 2.5cm, bottom: 2.2cm),\n  \
         header: context {{ set text(size: 8pt, fill: luma(90)); grid(columns: (1fr, auto), {header_mark}{header}, {title}); v(-0.5em); line(length: 100%, stroke: 0.4pt + luma(160)) }},\n  \
         footer: context align(center, text(size: 8pt, fill: luma(90), {} + str(here().page()) + {} + str(counter(page).final().first()) + {})),\n  \
         background: {background})",
        lit(&pa),
        lit(&pb),
        lit(&pc)
    );
    let _ = writeln!(s, "#set par(leading: 0.7em, spacing: 0.9em)");
    let _ = writeln!(
        s,
        "#set table(stroke: 0.4pt + luma(140), inset: (x: 5pt, y: 4pt))"
    );
    Ok(s)
}

/// One document's content: the title, the subtitle, the draft line and the blocks.
fn body(
    s: &mut String,
    template: &Template,
    model: &Value,
    options: &RenderOptions,
) -> Result<(), DocumentError> {
    let name = template.name();
    let spec = &template.spec;
    let f = |text: &str| fill(&name, text, model, None).map(|s| lit(&s));
    let title = f(&spec.title)?;
    let _ = writeln!(
        s,
        "#align(center, text(size: 1.7em, weight: \"bold\", {title}))"
    );
    if !spec.subtitle.is_empty() {
        let _ = writeln!(
            s,
            "#align(center, text(size: 1.1em, {}))",
            f(&spec.subtitle)?
        );
    }
    if options.draft {
        let _ = writeln!(
            s,
            "#align(center, text(size: 1em, weight: \"bold\", fill: rgb(190, 30, 30), {}))",
            f(&spec.watermark)?
        );
    }
    let _ = writeln!(s, "#v(0.6em)");
    for b in &spec.blocks {
        if !b.shown(model) {
            continue;
        }
        match b {
            Block::Heading { text, .. } => {
                let _ = writeln!(
                    s,
                    "#block(above: 1.3em, below: 0.6em, sticky: true, text(size: 1.2em, weight: \"bold\", {}))",
                    f(text)?
                );
            }
            Block::Paragraph { text, align, .. } => match align {
                Align::Left => {
                    let _ = writeln!(s, "#par({})\n", f(text)?);
                }
                Align::Center | Align::Right => {
                    let side = if *align == Align::Right {
                        "right"
                    } else {
                        "center"
                    };
                    let _ = writeln!(s, "#align({side}, par({}))\n", f(text)?);
                }
            },
            Block::Paragraphs { list, .. } => {
                if let Some(Value::Array(items)) = crate::template::lookup(model, list) {
                    for item in items {
                        let _ = writeln!(s, "#par({})\n", lit(item.as_str().unwrap_or_default()));
                    }
                }
            }
            Block::Fields { rows, .. } => {
                let _ = write!(
                    s,
                    "#table(columns: (32%, 1fr), fill: (x, _) => if x == 0 {{ luma(242) }},"
                );
                for [k, v] in rows {
                    let value = fill(&name, v, model, None)?;
                    // A hash or another long unbroken token has no break opportunity: a smaller size keeps a
                    // SHA-256 inside its cell.
                    let long = value.split_whitespace().any(|w| w.chars().count() > 40);
                    let value = if long {
                        format!("text(size: 7.5pt, {})", lit(&value))
                    } else {
                        lit(&value)
                    };
                    let _ = write!(s, " text(weight: \"bold\", {}), {value},", f(k)?);
                }
                let _ = writeln!(s, ")");
            }
            Block::Table {
                rows,
                columns,
                empty,
                ..
            } => {
                let list = match crate::template::lookup(model, rows) {
                    Some(Value::Array(a)) => a.as_slice(),
                    _ => &[],
                };
                if list.is_empty() {
                    let _ = writeln!(s, "#par({})\n", f(empty)?);
                    continue;
                }
                let widths: Vec<String> =
                    columns.iter().map(|c| format!("{}fr", c.width)).collect();
                let _ = write!(
                    s,
                    "#table(columns: ({},), fill: (_, y) => if y == 0 {{ luma(235) }}, table.header(",
                    widths.join(", ")
                );
                for c in columns {
                    let _ = write!(s, "text(weight: \"bold\", {}),", f(&c.title)?);
                }
                let _ = write!(s, "),");
                for (i, item) in list.iter().enumerate() {
                    for c in columns {
                        let v = fill(&name, &c.cell, model, Some((item, i)))?;
                        let _ = write!(s, " {},", lit(&v));
                    }
                }
                let _ = writeln!(s, ")");
            }
            Block::Signatures { parties, .. } => {
                let n = parties.len().clamp(1, 3);
                let _ = write!(
                    s,
                    "#v(1em)\n#block(breakable: false, grid(columns: ({}), gutter: 10pt,",
                    vec!["1fr"; n].join(", ")
                );
                for p in parties {
                    let _ = write!(
                        s,
                        " block(width: 100%, stroke: 0.4pt + luma(140), inset: 8pt, {{ text(weight: \"bold\", {}); linebreak(); text({}); v(0.8em);",
                        f(&p.role)?,
                        f(&p.name)?
                    );
                    for l in &p.lines {
                        let _ = write!(
                            s,
                            " v(0.9em); grid(columns: (auto, 1fr), gutter: 2pt, text({}), box(width: 100%, height: 1em, stroke: (bottom: 0.5pt)));",
                            f(l)?
                        );
                    }
                    let _ = write!(s, " }}),");
                }
                let _ = writeln!(s, "))");
            }
        }
    }
    Ok(())
}

/// A world with one source file and the fonts; no files, no packages, no clock.
struct DocWorld {
    main: FileId,
    source: Source,
    fonts: &'static [Font],
}

fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(<Library as LibraryExt>::default()))
}

fn book(fonts: &'static [Font]) -> &'static LazyHash<FontBook> {
    static BOOK: OnceLock<LazyHash<FontBook>> = OnceLock::new();
    BOOK.get_or_init(|| LazyHash::new(FontBook::from_fonts(fonts)))
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }
    fn book(&self) -> &LazyHash<FontBook> {
        book(self.fonts)
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// The fonts, the font book and the library, loaded once per process.
pub(crate) fn prepare() -> Result<(), DocumentError> {
    book(fonts::fonts()?);
    library();
    Ok(())
}

/// Compiles typst source to PDF bytes; returns them and the page count.
pub fn compile(name: &str, text: String) -> Result<(Vec<u8>, usize), DocumentError> {
    let fonts = fonts::fonts()?;
    let vpath = VirtualPath::new("/main.typ").map_err(|e| DocumentError::Render {
        what: name.to_string(),
        reason: format!("{e:?}"),
    })?;
    let main = RootedPath::new(VirtualRoot::Project, vpath).intern();
    let world = DocWorld {
        main,
        source: Source::new(main, text),
        fonts,
    };
    let diag = |d: typst::ecow::EcoVec<typst::diag::SourceDiagnostic>| DocumentError::Render {
        what: name.to_string(),
        reason: d
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let doc: PagedDocument = typst::compile(&world).output.map_err(diag)?;
    let pages = doc.pages().len();
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(name.to_string()),
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&doc, &options).map_err(diag)?;
    Ok((bytes, pages))
}
