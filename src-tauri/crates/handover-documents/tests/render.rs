//! The renderer on a small generic model: both formats come out, model text prints literally (typst markup
//! in a name does not run), unknown fields fail, the shipped templates parse.

use std::process::Command;

use handover_documents::{render, Format, RenderOptions, Template};
use serde_json::json;

const TEMPLATE: &str = r#"
id = "test"
lang = "zh-CN"
title = "测试文件 {name}"
header = "{name}"
page_label = "第 {page} 页，共 {pages} 页"
watermark = "草稿"

[[block]]
type = "heading"
text = "一、{name}"

[[block]]
type = "paragraph"
text = "客户：{customer}；余额 {balance} 元。"

[[block]]
type = "fields"
rows = [["名称", "{name}"], ["客户", "{customer}"]]

[[block]]
type = "table"
rows = "items"
empty = "无"
columns = [{ title = "序号", cell = "{@index}" }, { title = "名字", cell = "{label}", width = 3 }]

[[block]]
type = "signatures"
parties = [{ role = "转让方", name = "{name}", lines = ["签字：", "日期："] }]
"#;

/// Text typst markup would act on if it were not escaped.
const HOSTILE: &str = r#"#set text(red) *粗* _斜_ $x$ \ "引号" <lbl> @ref [x] // 注释 {braces}"#;

fn model() -> serde_json::Value {
    json!({
        "name": "张记驿站",
        "customer": HOSTILE,
        "balance": "1234.56",
        "items": [ { "label": "𠮷 生僻字 龘" }, { "label": "#strong[x]" } ],
    })
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_prints_model_text_literally_with_page_numbers_and_watermark() {
    let t = Template::parse("test.zh-CN.toml", TEMPLATE).unwrap();
    let r = render(&t, &model(), Format::Pdf, &RenderOptions { draft: true }).unwrap();
    assert!(r.bytes.starts_with(b"%PDF"));
    assert_eq!(r.template_sha256.len(), 64);
    assert_eq!(r.pages, Some(1));
    let text = squash(&pdftotext(&r.bytes));
    assert!(text.contains(&squash(HOSTILE)), "{text}");
    assert!(text.contains("#strong[x]"), "{text}");
    assert!(text.contains("𠮷生僻字龘"), "{text}");
    assert!(text.contains("第1页，共1页"), "{text}");
    assert!(text.contains("草稿"), "{text}");
    assert!(text.contains("余额1234.56元"), "{text}");
}

#[test]
fn docx_reads_back_with_the_same_text() {
    let t = Template::parse("test.zh-CN.toml", TEMPLATE).unwrap();
    let r = render(&t, &model(), Format::Docx, &RenderOptions::default()).unwrap();
    assert!(r.bytes.starts_with(b"PK"));
    docx_rs::read_docx(&r.bytes).expect("docx-rs reads the DOCX back");
    let json = docx_rs::read_docx(&r.bytes).unwrap().json();
    assert!(json.contains("张记驿站"));
    assert!(json.contains("生僻字"));
}

#[test]
fn unknown_fields_fail_and_name_the_field() {
    let bad = TEMPLATE.replace("{customer}；", "{customer.phone}；");
    let t = Template::parse("bad.toml", &bad).unwrap();
    let e = render(&t, &model(), Format::Pdf, &RenderOptions::default()).unwrap_err();
    assert!(e.to_string().contains("customer.phone"), "{e}");
    let e = Template::parse("bad.toml", &TEMPLATE.replace("{name}\"", "{name\"")).unwrap_err();
    assert!(e.to_string().contains("bad.toml"), "{e}");
    let e = Template::parse(
        "bad.toml",
        &TEMPLATE.replace("type = \"heading\"", "type = \"heading\"\ncolour = \"red\""),
    )
    .unwrap_err();
    assert!(e.to_string().contains("colour"), "{e}");
}

#[test]
fn shipped_templates_parse() {
    let all = handover_documents::all_builtin().unwrap();
    assert!(all.len() >= 2);
    for t in &all {
        assert_eq!(t.sha256.len(), 64);
    }
}

#[test]
fn a_missing_font_names_the_font_and_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let e = handover_documents::fonts::load_from(&[dir.path().to_path_buf()]).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("Noto Sans CJK SC Regular"), "{msg}");
    assert!(msg.contains("fonts-noto-cjk"), "{msg}");
}

/// A letter as the core fills it (`LetterDocument`): the notice's paragraphs as a list.
fn letter(customer: &str) -> serde_json::Value {
    json!({
        "title": "客户个人信息转移告知书",
        "customer": customer,
        "paragraphs": [format!("尊敬的{customer}："), "因本店整体转让……".to_string(), HOSTILE.to_string()],
        "seller": "张记驿站",
        "handover_date": "2026-12-31",
        "mask_style": "保留姓氏",
    })
}

#[test]
fn letters_render_one_after_another_each_on_its_own_page() {
    let t = handover_documents::builtin("letter", "zh-CN").unwrap();
    let letters: Vec<_> = ["张*", "李*", "𠮷*"].iter().map(|c| letter(c)).collect();
    let r = handover_documents::render_many(&t, &letters, Format::Pdf, &RenderOptions::default())
        .unwrap();
    assert_eq!(r.pages, Some(3));
    let text = pdftotext(&r.bytes);
    let pages: Vec<&str> = text
        .split('\x0c')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(pages.len(), 3);
    for (page, customer) in pages.iter().zip(["张*", "李*", "𠮷*"]) {
        let page = squash(page);
        assert!(page.contains(&format!("尊敬的{customer}：")), "{page}");
        assert!(page.contains(&squash(HOSTILE)), "{page}");
        assert!(page.contains("按“保留姓氏”方式遮蔽"), "{page}");
    }
    // The same letters as one DOCX, each after a page break.
    let docx =
        handover_documents::render_many(&t, &letters, Format::Docx, &RenderOptions::default())
            .unwrap();
    let read = docx_rs::read_docx(&docx.bytes).unwrap();
    let breaks = read
        .document
        .children
        .iter()
        .filter(|c| {
            matches!(c, docx_rs::DocumentChild::Paragraph(p) if p.property.page_break_before == Some(true))
        })
        .count();
    assert_eq!(
        breaks, 2,
        "a page break before the second and the third letter"
    );
    let xml = read.json();
    for customer in ["张*", "李*", "𠮷*"] {
        assert!(xml.contains(&format!("尊敬的{customer}：")), "{customer}");
    }
    // A letter missing a field is refused before anything is laid out.
    let mut bad = letter("王*");
    bad.as_object_mut().unwrap().remove("mask_style");
    let e = handover_documents::render_many(
        &t,
        &[letter("张*"), bad],
        Format::Pdf,
        &RenderOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("mask_style"), "{e}");
    // So is a paragraph list that is not a list of texts.
    let mut bad = letter("王*");
    bad["paragraphs"] = json!([1, 2]);
    assert!(render(&t, &bad, Format::Pdf, &RenderOptions::default()).is_err());
}

#[test]
fn the_poster_is_one_page_in_large_type_in_both_languages() {
    for (lang, title) in [("zh-CN", "告顾客书"), ("en", "Notice to customers")] {
        let t = handover_documents::builtin("poster", lang).unwrap();
        assert!(t.spec.font_size >= 18.0, "large type");
        let model = json!({
            "title": title,
            "paragraphs": ["本店将于2026-12-31由周记面包坊承接。", "如不同意，请联系本店。"],
            "seller": "李记烘焙",
            "seller_contact": "0571-88886666",
            "handover_date": "2026-12-31",
        });
        let r = render(&t, &model, Format::Pdf, &RenderOptions::default()).unwrap();
        assert_eq!(r.pages, Some(1), "{lang}");
        let text = squash(&pdftotext(&r.bytes));
        assert!(text.contains(&squash(title)), "{text}");
        assert!(text.contains("周记面包坊承接"), "{text}");
        let docx = render(&t, &model, Format::Docx, &RenderOptions::default()).unwrap();
        assert!(docx_rs::read_docx(&docx.bytes)
            .unwrap()
            .json()
            .contains("李记烘焙"));
    }
    // A size no poster or letter has is refused when the template is read.
    let e = Template::parse(
        "big.toml",
        &TEMPLATE.replace(
            "watermark = \"草稿\"",
            "watermark = \"草稿\"\nfont_size = 200",
        ),
    )
    .unwrap_err();
    assert!(e.to_string().contains("font_size"), "{e}");
}

#[test]
fn english_documents_print_straight_quotes_at_latin_width() {
    // The one font draws curly quotes full width (as Chinese sets them): English gets straight ones.
    let t = handover_documents::builtin("poster", "en").unwrap();
    let model = json!({
        "title": "Notice to customers",
        "paragraphs": ["Empty the phone album’s “recently deleted” folder."],
        "seller": "李记烘焙",
        "seller_contact": "0571-88886666",
        "handover_date": "2026-12-31",
    });
    let r = render(&t, &model, Format::Pdf, &RenderOptions::default()).unwrap();
    let text = pdftotext(&r.bytes);
    assert!(
        text.contains("album's \"recently deleted\" folder"),
        "{text}"
    );
    // Chinese keeps its own quotes.
    let t = handover_documents::builtin("poster", "zh-CN").unwrap();
    let mut zh = model.clone();
    zh["paragraphs"] = json!(["请清空相册的“最近删除”。"]);
    let text = pdftotext(
        &render(&t, &zh, Format::Pdf, &RenderOptions::default())
            .unwrap()
            .bytes,
    );
    assert!(text.contains("“最近删除”"), "{text}");
}
