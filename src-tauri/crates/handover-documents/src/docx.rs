//! DOCX: the same template walk as the PDF, into docx-rs calls. A DOCX does not embed fonts, so it names
//! fonts the reader has (the template's East Asian font, e.g. 宋体, and a Latin one). A draft says so in the
//! page header (on every page) and under the title.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, Footer, Header, LineSpacing, NumPages, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, ShdType, Table, TableCell, TableRow, WidthType,
};
use serde_json::Value;

use crate::template::{fill, lookup, Align, Block, Template};
use crate::{DocumentError, RenderOptions};

/// A4 in twentieths of a point, and the text width inside 2 cm margins.
const A4_W: u32 = 11906;
const A4_H: u32 = 16838;
const MARGIN: i32 = 1134;
const TEXT_W: usize = (A4_W as usize) - 2 * (MARGIN as usize);

/// A size in points as DOCX writes it (half-points).
fn half_points(points: f32) -> usize {
    (points * 2.0).round() as usize
}

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

fn cell(p: Paragraph, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa)
}

fn shaded(c: TableCell) -> TableCell {
    c.shading(Shading::new().shd_type(ShdType::Clear).fill("EEEEEE"))
}

/// Renders the DOCX bytes.
pub fn render(
    template: &Template,
    model: &Value,
    options: &RenderOptions,
) -> Result<Vec<u8>, DocumentError> {
    render_many(template, std::slice::from_ref(model), options)
}

/// Renders several models with one template into one DOCX, each starting on a new page (the letters of a
/// notice). The page set-up (header, footer) comes from the first model.
pub fn render_many(
    template: &Template,
    models: &[Value],
    options: &RenderOptions,
) -> Result<Vec<u8>, DocumentError> {
    let name = template.name();
    let Some(first) = models.first() else {
        return Err(DocumentError::Render {
            what: name,
            reason: "nothing to render".into(),
        });
    };
    let mut doc = setup(template, first, options)?;
    for (i, model) in models.iter().enumerate() {
        doc = body(doc, template, model, options, i > 0)?;
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| DocumentError::Render {
            what: name,
            reason: e.to_string(),
        })?;
    Ok(out.into_inner())
}

/// The document with its page, fonts, header (the draft mark on every page) and page-number footer.
fn setup(
    template: &Template,
    model: &Value,
    options: &RenderOptions,
) -> Result<Docx, DocumentError> {
    let name = template.name();
    let spec = &template.spec;
    let f = |text: &str| fill(&name, text, model, None);
    let fonts = RunFonts::new()
        .east_asia(&spec.docx_east_asia_font)
        .ascii(&spec.docx_latin_font)
        .hi_ansi(&spec.docx_latin_font);
    let watermark = f(&spec.watermark)?;
    let mut header_text = format!("{}    {}", f(&spec.header)?, f(&spec.title)?);
    if options.draft {
        header_text = format!("【{watermark}】 {header_text}");
    }
    let header = Header::new().add_paragraph(
        Paragraph::new().add_run(run(&header_text).size(16).color(if options.draft {
            "BE1E1E"
        } else {
            "595959"
        })),
    );
    let (pa, pb, pc) = template.page_label_parts();
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(&pa).size(16))
            .add_page_num(PageNum::new())
            .add_run(run(&pb).size(16))
            .add_num_pages(NumPages::new())
            .add_run(run(&pc).size(16)),
    );
    Ok(Docx::new()
        .page_size(A4_W, A4_H)
        .page_margin(
            PageMargin::new()
                .top(1417)
                .bottom(1247)
                .left(MARGIN)
                .right(MARGIN)
                .header(709)
                .footer(567),
        )
        .default_fonts(fonts)
        .default_size(half_points(spec.font_size))
        .default_line_spacing(LineSpacing::new().after(120))
        .header(header)
        .footer(footer))
}

/// One document's content: the title (on a new page when `new_page`), subtitle, draft line and blocks.
fn body(
    mut doc: Docx,
    template: &Template,
    model: &Value,
    options: &RenderOptions,
    new_page: bool,
) -> Result<Docx, DocumentError> {
    let name = template.name();
    let spec = &template.spec;
    let f = |text: &str| fill(&name, text, model, None);
    doc = doc.add_paragraph(
        Paragraph::new()
            .page_break_before(new_page)
            .align(AlignmentType::Center)
            .add_run(
                run(&f(&spec.title)?)
                    .bold()
                    .size(half_points(spec.font_size * 1.7)),
            ),
    );
    if !spec.subtitle.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&f(&spec.subtitle)?).size(22)),
        );
    }
    if options.draft {
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&f(&spec.watermark)?).bold().color("BE1E1E")),
        );
    }
    for b in &spec.blocks {
        if !b.shown(model) {
            continue;
        }
        match b {
            Block::Heading { text, .. } => {
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .line_spacing(LineSpacing::new().before(240).after(120))
                        .add_run(run(&f(text)?).bold().size(24)),
                );
            }
            Block::Paragraph { text, align, .. } => {
                let alignment = match align {
                    Align::Left => AlignmentType::Left,
                    Align::Center => AlignmentType::Center,
                    Align::Right => AlignmentType::Right,
                };
                doc = doc.add_paragraph(para(&f(text)?).align(alignment));
            }
            Block::Paragraphs { list, .. } => {
                if let Some(Value::Array(items)) = lookup(model, list) {
                    for item in items {
                        doc = doc.add_paragraph(para(item.as_str().unwrap_or_default()));
                    }
                }
            }
            Block::Fields { rows, .. } => {
                let (w0, w1) = (TEXT_W * 32 / 100, TEXT_W - TEXT_W * 32 / 100);
                let mut trs = Vec::new();
                for [k, v] in rows {
                    trs.push(TableRow::new(vec![
                        shaded(cell(Paragraph::new().add_run(run(&f(k)?).bold()), w0)),
                        cell(para(&f(v)?), w1),
                    ]));
                }
                doc = doc.add_table(
                    Table::new(trs)
                        .set_grid(vec![w0, w1])
                        .width(TEXT_W, WidthType::Dxa),
                );
                doc = doc.add_paragraph(Paragraph::new());
            }
            Block::Table {
                rows,
                columns,
                empty,
                ..
            } => {
                let list = match lookup(model, rows) {
                    Some(Value::Array(a)) => a.as_slice(),
                    _ => &[],
                };
                if list.is_empty() {
                    doc = doc.add_paragraph(para(&f(empty)?));
                    continue;
                }
                let total: usize = columns
                    .iter()
                    .map(|c| c.width as usize)
                    .sum::<usize>()
                    .max(1);
                let widths: Vec<usize> = columns
                    .iter()
                    .map(|c| TEXT_W * c.width as usize / total)
                    .collect();
                let mut trs = vec![TableRow::new(
                    columns
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| {
                            Ok(shaded(cell(
                                Paragraph::new().add_run(run(&f(&c.title)?).bold()),
                                *w,
                            )))
                        })
                        .collect::<Result<Vec<_>, DocumentError>>()?,
                )
                .cant_split()];
                for (i, item) in list.iter().enumerate() {
                    let mut cells = Vec::new();
                    for (c, w) in columns.iter().zip(&widths) {
                        cells.push(cell(
                            para(&fill(&name, &c.cell, model, Some((item, i)))?),
                            *w,
                        ));
                    }
                    trs.push(TableRow::new(cells).cant_split());
                }
                doc = doc.add_table(
                    Table::new(trs)
                        .set_grid(widths.clone())
                        .width(TEXT_W, WidthType::Dxa),
                );
                doc = doc.add_paragraph(Paragraph::new());
            }
            Block::Signatures { parties, .. } => {
                let w = TEXT_W / parties.len().max(1);
                let mut cells = Vec::new();
                for p in parties {
                    let mut c = TableCell::new()
                        .width(w, WidthType::Dxa)
                        .add_paragraph(
                            Paragraph::new()
                                .keep_next(true)
                                .add_run(run(&f(&p.role)?).bold()),
                        )
                        .add_paragraph(Paragraph::new().keep_next(true).add_run(run(&f(&p.name)?)));
                    for l in &p.lines {
                        c = c.add_paragraph(
                            Paragraph::new()
                                .keep_next(true)
                                .line_spacing(LineSpacing::new().before(360))
                                .add_run(run(&format!("{}______________", f(l)?))),
                        );
                    }
                    cells.push(c);
                }
                doc = doc
                    .add_paragraph(Paragraph::new().keep_next(true))
                    .add_table(
                        Table::new(vec![TableRow::new(cells).cant_split()])
                            .set_grid(vec![w; parties.len()])
                            .width(TEXT_W, WidthType::Dxa),
                    );
            }
        }
    }
    Ok(doc)
}
