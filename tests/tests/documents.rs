//! `handover summary` on a real case (seller, recipient, 2,000 generated shop members plus a small list with
//! ID numbers, a computed plan): the PDF's text (pdftotext) carries the business, the recipient and the
//! plan's figures exactly as `handover plan --json` prints them; the fonts are embedded subsets with
//! ToUnicode (pdffonts); the draft watermark is on every page; no phone or ID number of the case appears
//! unmasked in the PDF, the DOCX or the annex; the DOCX reads back; the audit log records the document.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use handover_core::i18n::{Label, Lang};
use handover_core::rules::Outcome;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn handover() -> Command {
    handover_tests::handover_command()
}

fn run_json(args: &[&str], case: &Path) -> Value {
    let out = handover()
        .args(args)
        .arg("--case")
        .arg(case)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The case of the acceptance line, and every phone and ID number in its input files.
struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    case: PathBuf,
    secrets: BTreeSet<String>,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let case = dir.join("王记便利店.handover");
    handover_tests::new_shop_case_sold(&case, "sale-whole");
    let shop = dir.join("会员列表.csv");
    handover_testkit::generate::shop_csv(&shop, 2_000, 13).unwrap();
    let small = handover_tests::members_with_minor_csv(&dir);
    let out = handover()
        .args(["import", "--json", "--case"])
        .arg(&case)
        .arg(&shop)
        .arg(&small)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut secrets = BTreeSet::new();
    for f in [&shop, &small] {
        secrets.extend(numbers_in(&std::fs::read_to_string(f).unwrap()));
    }
    secrets.insert("13800001111".into());
    secrets.insert("13900002222".into());
    assert!(secrets.len() > 1_500, "{}", secrets.len());
    assert!(
        secrets.iter().any(|s| s.len() == 18),
        "an ID number is among them"
    );
    Fixture {
        _dir: tmp,
        dir,
        case,
        secrets,
    }
}

/// Mobile numbers (11 digits starting with 1, separators removed) and ID numbers (18 characters) in a text.
fn numbers_in(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for cell in text.split([',', '\n', '\r', '"']) {
        let compact: String = cell.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        let chars: Vec<char> = compact.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == 'X') {
                    i += 1;
                }
                let run: String = chars[start..i].iter().collect();
                if (run.len() == 11 && run.starts_with('1')) || run.len() == 18 {
                    out.insert(run);
                }
            } else {
                i += 1;
            }
        }
    }
    out
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

fn assert_no_secret(what: &str, text: &str, secrets: &BTreeSet<String>) {
    let flat = squash(text);
    for s in secrets {
        assert!(!flat.contains(s.as_str()), "{what} shows {s} unmasked");
    }
}

#[test]
fn summary_pdf_docx_and_annex_carry_the_plan_and_no_personal_numbers() {
    let f = fixture();
    let plan = run_json(&["plan", "--json"], &f.case);
    let pdf = f.dir.join("交接清单.pdf");
    let docx = f.dir.join("交接清单.docx");
    let out = handover()
        .args(["summary", "--json", "--operator", "赵六", "--case"])
        .arg(&f.case)
        .arg("--pdf")
        .arg(&pdf)
        .arg("--docx")
        .arg(&docx)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();

    // The JSON: the files with their SHA-256, the counts as the plan prints them.
    let files = result["files"].as_array().unwrap();
    assert_eq!(files.len(), 3, "{result}");
    for file in files {
        let p = PathBuf::from(file["path"].as_str().unwrap());
        assert_eq!(
            file["sha256"].as_str().unwrap(),
            sha256_of(&p),
            "{}",
            p.display()
        );
    }
    assert_eq!(result["counts"]["records"], plan["records_total"]);
    assert_eq!(result["counts"]["prepaid_total"], plan["prepaid_total"]);
    assert_eq!(result["counts"]["outcomes"], plan["outcomes"]);
    assert_eq!(result["draft"], true, "blocking checklist items are open");

    // The PDF's text.
    let text = handover_tests::pdf_page_text(&pdf, None);
    let flat = squash(&text);
    for needle in [
        "客户个人信息交接清单",
        "王记便利店",
        "李四便民服务部",
        "赵六",
        "第1页，共",
        "草稿",
    ] {
        assert!(flat.contains(needle), "the PDF lacks {needle}:\n{text}");
    }
    let records = plan["records_total"].as_u64().unwrap();
    assert!(flat.contains(&format!("记录总数{records}")), "{text}");
    let total = plan["prepaid_total"].as_str().unwrap();
    assert!(total.contains('.'), "{total}");
    assert!(
        flat.contains(&format!("预付款余额合计（元）{total}")),
        "{text}"
    );
    let mut nonzero = 0;
    for o in Outcome::ALL {
        let n = plan["outcomes"][o.id()].as_u64().unwrap();
        if n > 0 {
            nonzero += 1;
            let label = squash(o.label(Lang::ZhCn));
            assert!(
                flat.contains(&format!("{label}{n}")),
                "{label} {n}:\n{text}"
            );
        }
    }
    assert!(nonzero > 0);
    let annex = &files[2];
    assert!(flat.contains(annex["sha256"].as_str().unwrap()), "{text}");
    assert_no_secret("the PDF", &text, &f.secrets);

    // Every page carries the watermark.
    let pages = files[0]["pages"].as_u64().unwrap() as usize;
    assert!(pages >= 2, "{pages}");
    for p in 1..=pages {
        let page = squash(&handover_tests::pdf_page_text(&pdf, Some(p)));
        assert!(page.contains("草稿"), "page {p} has no watermark");
        assert!(
            page.contains(&format!("第{p}页，共{pages}页")),
            "page {p}: {page}"
        );
    }

    // Embedded subset fonts with ToUnicode.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_lines.is_empty(), "{fonts}");
    for l in &font_lines {
        assert!(l.contains("NotoSansCJK"), "{fonts}");
        assert!(
            l.trim_end().ends_with("yes yes yes") || l.contains(" yes yes yes "),
            "{fonts}"
        );
    }

    // The DOCX: a valid package docx-rs reads back, with the same figures and no personal numbers.
    let bytes = std::fs::read(&docx).unwrap();
    docx_rs::read_docx(&bytes).expect("the DOCX reads back");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("王记便利店") && xml.contains("李四便民服务部"));
    assert!(xml.contains(total));
    assert_no_secret("the DOCX", &xml, &f.secrets);
    for name in ["word/header1.xml", "word/footer1.xml"] {
        if let Ok(mut part) = zip.by_name(name) {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut part, &mut s).unwrap();
            assert_no_secret(name, &s, &f.secrets);
        }
    }

    // The annex: formula-safe UTF-8 CSV with BOM, one row per customer with a balance, masked.
    let annex_path = PathBuf::from(annex["path"].as_str().unwrap());
    let annex_bytes = std::fs::read(&annex_path).unwrap();
    assert!(annex_bytes.starts_with(b"\xEF\xBB\xBF"));
    let annex_text = String::from_utf8(annex_bytes[3..].to_vec()).unwrap();
    assert_eq!(
        annex_text.lines().count() as u64,
        annex["rows"].as_u64().unwrap() + 1
    );
    // One row per customer with a balance (records without a customer would add their own rows).
    assert!(annex["rows"].as_u64().unwrap() >= plan["prepaid"]["customers"].as_u64().unwrap());
    assert!(annex["rows"].as_u64().unwrap() > 0);
    for cell in annex_text.split([',', '\r', '\n']) {
        assert!(handover_core::output::is_formula_safe(cell), "{cell}");
    }
    assert_no_secret("the annex", &annex_text, &f.secrets);

    // The audit log: one entry per document with the template's and the output's SHA-256, the operator
    // and the account.
    let audit = run_json(&["audit", "--json"], &f.case);
    let entries: Vec<&Value> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "document.summary")
        .collect();
    assert_eq!(entries.len(), 2);
    let detail: Value = serde_json::from_str(entries[0]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["sha256"], files[0]["sha256"]);
    assert_eq!(detail["template_sha256"], result["template_sha256"]);
    assert_eq!(detail["operator"], "赵六");
    assert!(detail["os_account"].as_str().unwrap().starts_with("cli:"));
    assert_eq!(detail["annex"]["sha256"], annex["sha256"]);
    let verify = handover()
        .args(["audit", "--verify", "--case"])
        .arg(&f.case)
        .output()
        .unwrap();
    assert!(verify.status.success());
}

#[test]
fn english_summary_names_the_operator_from_the_case_details() {
    let f = fixture();
    run_json(&["plan", "--json"], &f.case);
    let pdf = f.dir.join("summary.pdf");
    let out = handover()
        .args(["--lang", "en", "summary", "--json", "--case"])
        .arg(&f.case)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = handover_tests::pdf_page_text(&pdf, None);
    let flat = squash(&text);
    for needle in [
        "CustomerDataHandoverSummary",
        "Page1of",
        "DRAFT",
        "王记便利店",
        "李四便民服务部",
        "王五",
    ] {
        assert!(flat.contains(needle), "the PDF lacks {needle}:\n{text}");
    }
    assert_no_secret("the English PDF", &text, &f.secrets);
}

#[test]
fn the_person_working_the_case_is_the_operator_and_the_audit_log_keeps_the_login_beside_them() {
    let f = fixture();
    run_json(&["plan", "--json"], &f.case);
    let pdf = f.dir.join("summary.pdf");
    let out = handover()
        .env("HANDOVER_OPERATOR", "孙七")
        .args(["summary", "--json", "--case"])
        .arg(&f.case)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["operator"], "孙七");
    assert!(squash(&handover_tests::pdf_text(&pdf)).contains("孙七"));
    // The entry names the person and the account; the document's entry says which is which.
    let audit = run_json(&["audit", "--json"], &f.case);
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"] == "document.summary")
        .expect("document.summary entry");
    let actor = entry["actor"].as_str().unwrap();
    assert!(
        actor.starts_with("孙七 (cli:") && actor.ends_with(')'),
        "{actor}"
    );
    let detail: Value = serde_json::from_str(entry["detail"].as_str().unwrap()).unwrap();
    assert_eq!(detail["operator"], "孙七");
    assert_eq!(
        detail["os_account"], actor,
        "the entry's actor, person and login"
    );
}
