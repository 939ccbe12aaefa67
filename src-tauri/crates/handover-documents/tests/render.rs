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
