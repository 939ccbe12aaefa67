//! The receipt (签收单) and the destruction certificate (销毁证明) as real PDF and DOCX files, and what the
//! destruction carries out besides deletions (issue 14), through the `handover` CLI as a process:
//!
//! - `handover receive --pdf --docx` writes the receipt: the package's SHA-256, the counts and the prepaid
//!   total exact to the fen, both sides' signature blocks; no customer's phone number. The recipient's case
//!   counts its personal information per source, like an imported one.
//! - `handover destroy --confirm --pdf --docx` writes the certificate: its counts equal the plan's, the method,
//!   the page check's result, the audit entry's hash; `handover certificate` writes it again (English too).
//! - A record whose outcome is de-identify loses every identifier (cells, normalised values, numbers inside its
//!   notes) and keeps the rest; an attached evidence file holding a deleted customer's number is deleted; the
//!   test's own page reader finds none of those values on any page, free pages included.

use std::path::{Path, PathBuf};
use std::process::Output;

use handover_core::rules::status::{set_override, OverrideRequest, OverrideTarget};
use handover_core::rules::{rulebook, Outcome};
use handover_core::store::{Actor, Case};
use handover_testkit::fixtures::{handover_command, raw_connection, PASSPHRASE};
use handover_tests::decrypted_pages;
use serde_json::Value;
use sha2::{Digest, Sha256};

const RECIPIENT_PASSPHRASE: &str = "Recipient-Own-Phrase-42";
const PACKAGE_PASSPHRASE: &str = "2468 1357 9753 8642 1111";

/// Every customer's mobile number in the seller's data (the parties' own contacts are not customers').
const CUSTOMER_PHONES: [&str; 6] = [
    "13812345678",
    "13912345678",
    "13612345678",
    "13512345678",
    "13412345678",
    "13312345678",
];
/// The number inside the de-identified customer's note.
const NOTE_PHONE: &str = "13300009999";
const DEID_ADDRESS: &str = "上海市徐汇区漕溪北路1号";

fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = handover_command();
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn docx_text(docx: &Path) -> String {
    let bytes = std::fs::read(docx).unwrap();
    docx_rs::read_docx(&bytes).expect("the DOCX reads back");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    xml
}

fn sha256_file(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

fn assert_no_customer_number(what: &str, text: &str) {
    let flat = squash(text);
    for p in CUSTOMER_PHONES.iter().chain([&NOTE_PHONE]) {
        assert!(!flat.contains(p), "{what} shows the customer number {p}");
    }
}

fn on_pages(pages: &[u8], values: &[&str]) -> Vec<String> {
    values
        .iter()
        .filter(|v| pages.windows(v.len()).any(|w| w == v.as_bytes()))
        .map(|v| v.to_string())
        .collect()
}

fn id_number() -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1980, 5, 17).unwrap();
    handover_testkit::values::id_card::compose("110101", born, 123)
}

/// A shop sold whole: 张伟 and 赵六 (balances, consented) and 李娜 go to the buyer; 王五's balance has no
/// consent (blocked); 孙七 objected (deleted); 周八 is de-identified by the owner's override. An evidence file
/// (a list of replies) names 孙七's number.
struct Seller {
    dir: tempfile::TempDir,
    case: PathBuf,
}

fn seller() -> Seller {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("王记便利店.handover");
    let c = s(&case);
    ok(&run(
        &[
            "new",
            "--case",
            c,
            "--kind",
            "shop",
            "--reason",
            "sale-whole",
            "--seller",
            "王记便利店",
            "--seller-contact",
            "13800001111",
            "--responsible",
            "王老板",
            "--buyer",
            "李四便民服务部",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
        ],
        &[],
    ));
    let csv = dir.path().join("会员.csv");
    std::fs::write(
        &csv,
        format!(
            "姓名,手机号,身份证号,地址,储值余额,备注\n\
             张伟,13812345678,{id},北京市朝阳区建国路88号,100.00,喜欢安静\n\
             李娜,13912345678,,,,\n\
             王五,13612345678,,,20.05,\n\
             赵六,13512345678,,,0.10,\n\
             孙七,13412345678,,,,\n\
             周八,13312345678,,{DEID_ADDRESS},,电话{NOTE_PHONE}\n",
            id = id_number()
        ),
    )
    .unwrap();
    ok(&run(&["import", "--case", c, s(&csv)], &[]));
    for phone in ["13812345678", "13512345678"] {
        ok(&run(
            &["set", "--case", c, "--phone", phone, "--consent", "yes"],
            &[],
        ));
    }
    ok(&run(
        &[
            "set",
            "--case",
            c,
            "--phone",
            "13412345678",
            "--objection",
            "yes",
        ],
        &[],
    ));
    ok(&run(&["plan", "--case", c, "--json"], &[]));
    // The owner de-identifies 周八 and attaches a reply list naming 孙七.
    let replies = dir.path().join("客户回复.txt");
    std::fs::write(&replies, "13412345678 回复：不同意转给新老板\n").unwrap();
    {
        let mut opened = Case::open(&case, PASSPHRASE).unwrap();
        let actor = Actor("test:transfer-documents".into());
        let customer: i64 = opened
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT customer_id FROM records WHERE mobile = '13312345678'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        set_override(
            &opened,
            rulebook(),
            &OverrideRequest {
                target: OverrideTarget::Customer(customer),
                outcome: Outcome::Deidentify,
                reason: "只保留消费统计".into(),
                acknowledged: false,
            },
            &actor,
        )
        .unwrap();
        handover_core::wizard::state::attach_evidence(
            &mut opened,
            "consent-records",
            &replies,
            &actor,
        )
        .unwrap();
        opened.close().unwrap();
    }
    ok(&run(&["plan", "--case", c, "--json"], &[]));
    Seller { dir, case }
}

#[test]
fn the_receipt_and_the_certificate_carry_the_figures_and_the_destruction_applies_the_plan_whole() {
    let seller = seller();
    let dir = seller.dir.path();
    let c = s(&seller.case);
    let plan = ok(&run(&["plan", "--case", c, "--json"], &[]));
    let deletes = plan["outcomes"]["delete"].as_u64().unwrap();
    assert_eq!(deletes, 1, "{plan}");
    assert_eq!(plan["outcomes"]["deidentify"], 1, "{plan}");

    // Export, then receive with the receipt as PDF and DOCX.
    let package = dir.join("交接数据包.hopkg");
    let exported = ok(&run(
        &["export", "--case", c, "--out", s(&package), "--json"],
        &[("HANDOVER_PACKAGE_PASSPHRASE", PACKAGE_PASSPHRASE)],
    ));
    let sha = exported["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha, sha256_file(&package));
    let recipient = dir.join("李四便民服务部.handover");
    let receipt_pdf = dir.join("签收单.pdf");
    let receipt_docx = dir.join("签收单.docx");
    let received = ok(&run(
        &[
            "receive",
            "--case",
            s(&recipient),
            s(&package),
            "--pdf",
            s(&receipt_pdf),
            "--docx",
            s(&receipt_docx),
            "--json",
        ],
        &[
            ("HANDOVER_PACKAGE_PASSPHRASE", PACKAGE_PASSPHRASE),
            ("HANDOVER_PASSPHRASE", RECIPIENT_PASSPHRASE),
        ],
    ));
    let r = &received["receipt"];
    assert_eq!(r["customers"], 3);
    assert_eq!(r["records"], 3);
    assert_eq!(r["prepaid_total"], "100.10");
    let files = received["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["sha256"], sha256_file(&receipt_pdf));
    assert_eq!(files[1]["sha256"], sha256_file(&receipt_docx));

    // The seller's audit log as the package was made (the export entry's predecessor) is on the receipt.
    let seller_file = Case::open(Path::new(c), PASSPHRASE).unwrap();
    let export_entry = seller_file
        .audit_entries()
        .unwrap()
        .into_iter()
        .find(|e| e.action == "package.export")
        .unwrap();
    seller_file.close().unwrap();
    let seller_audit = format!(
        "卖方操作记录（制作时）共{}条，最后一条的哈希{}",
        export_entry.seq - 1,
        export_entry.prev_hash
    );

    let text = handover_tests::pdf_text(&receipt_pdf);
    let flat = squash(&text);
    for needle in [
        seller_audit.as_str(),
        "客户个人信息数据包签收单",
        "王记便利店",
        "李四便民服务部",
        sha.as_str(),
        "客户数3",
        "记录数3",
        "预付款（储值余额）合计（元）100.10",
        "转让方（交付）",
        "接收方（签收）",
        "签字（盖章）：",
        "第1页，共",
    ] {
        assert!(flat.contains(needle), "the receipt lacks {needle}:\n{text}");
    }
    assert_no_customer_number("the receipt PDF", &text);
    let xml = docx_text(&receipt_docx);
    assert!(xml.contains(&sha) && xml.contains("100.10") && xml.contains("李四便民服务部"));
    assert_no_customer_number("the receipt DOCX", &xml);

    // The recipient's case counts its personal information per source, as an import does, and holds what
    // the seller's notices step recorded for each customer.
    let conn = raw_connection(&recipient, RECIPIENT_PASSPHRASE);
    let pii: Vec<(String, i64)> = conn
        .prepare("SELECT kind, column_cells FROM source_pii ORDER BY kind")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(pii.contains(&("mobile".to_string(), 3)), "{pii:?}");
    assert!(pii.contains(&("name".to_string(), 3)), "{pii:?}");
    let masks: i64 = conn
        .query_row(
            "SELECT count(*) FROM records WHERE pii_mask <> 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(masks, 3);
    drop(conn);
    let status = ok(&run(
        &["status", "--case", s(&recipient), "--json"],
        &[("HANDOVER_PASSPHRASE", RECIPIENT_PASSPHRASE)],
    ));
    assert_eq!(status["records"], 3, "{status}");

    // `handover receipt --pdf` on the recipient's case writes it again (English here); on the seller's case
    // it is refused: that case was not received.
    let again = dir.join("receipt.pdf");
    let out = ok(&run(
        &[
            "receipt",
            "--case",
            s(&recipient),
            "--pdf",
            s(&again),
            "--lang",
            "en",
            "--json",
        ],
        &[("HANDOVER_PASSPHRASE", RECIPIENT_PASSPHRASE)],
    ));
    assert_eq!(out["files"][0]["sha256"], sha256_file(&again));
    let en = squash(&handover_tests::pdf_text(&again));
    assert!(
        en.contains("ReceiptfortheCustomerPersonalInformationPackage"),
        "{en}"
    );
    assert!(
        en.contains(&sha) && en.contains("Prepaidbalances,total(CNY)100.10"),
        "{en}"
    );
    let refused = run(
        &[
            "receipt",
            "--case",
            c,
            "--pdf",
            s(&dir.join("x.pdf")),
            "--json",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(v["error"]["code"], "not_received");

    // The seller records the signed receipt, then destroys with the certificate as PDF and DOCX.
    ok(&run(
        &[
            "receipt",
            "--case",
            c,
            "--package-sha256",
            &sha,
            "--signed-on",
            "2026-12-31",
            "--json",
        ],
        &[],
    ));
    let before = decrypted_pages(&seller.case, PASSPHRASE).concat();
    let gone = [
        "13412345678",
        "13312345678",
        NOTE_PHONE,
        DEID_ADDRESS,
        "13812345678",
    ];
    assert_eq!(on_pages(&before, &gone).len(), gone.len(), "the control");
    let cert_pdf = dir.join("销毁证明.pdf");
    let cert_docx = dir.join("销毁证明.docx");
    let out = ok(&run(
        &[
            "destroy",
            "--case",
            c,
            "--confirm",
            "--pdf",
            s(&cert_pdf),
            "--docx",
            s(&cert_docx),
            "--json",
        ],
        &[],
    ));
    let counts = &out["counts"];
    assert_eq!(counts["records"], deletes);
    assert_eq!(out["certificate"]["destroyed"]["deidentified_records"], 1);
    assert_eq!(out["certificate"]["destroyed"]["evidence_files"], 1);
    assert_eq!(out["verification"]["passed"], true, "{out}");
    let transferred = counts["transferred_copies"].as_u64().unwrap();
    assert_eq!(transferred, 3);
    let audit_hash = out["audit_hash"].as_str().unwrap().to_string();
    let cert_sha = out["certificate_sha256"].as_str().unwrap().to_string();
    let reference = out["certificate"]["reference"]
        .as_str()
        .unwrap()
        .to_string();

    let text = handover_tests::pdf_text(&cert_pdf);
    let flat = squash(&text);
    for needle in [
        "个人信息销毁证明".to_string(),
        reference.clone(),
        format!("按方案删除的记录{deletes}"),
        format!("转让方保留的已移交记录副本（签收后删除）{transferred}"),
        "去标识化的记录1".into(),
        "删除的含个人信息的附件1".into(),
        "sqlcipher-rebuild".into(),
        "在文件中找到的（保留记录仍在使用的号码除外）0".into(),
        "空闲页数0".into(),
        "核验结果：通过".into(),
        out["certificate"]["destroyed"]["deleted_ids_sha256"]
            .as_str()
            .unwrap()
            .to_string(),
        cert_sha.clone(),
        audit_hash.clone(),
        "执行人".into(),
        "个人信息保护负责人".into(),
        "王老板".into(),
        "建议更换案卷口令".into(),
    ] {
        assert!(
            flat.contains(&needle),
            "the certificate lacks {needle}:\n{text}"
        );
    }
    assert!(!flat.contains("未通过"));
    assert_no_customer_number("the certificate PDF", &text);
    let xml = docx_text(&cert_docx);
    assert!(xml.contains(&reference) && xml.contains(&audit_hash));
    assert_no_customer_number("the certificate DOCX", &xml);

    // The audit entry the certificate names is the one that recorded it, and the documents are audited.
    let audit = ok(&run(&["audit", "--case", c, "--json"], &[]));
    let entries = audit["entries"].as_array().unwrap();
    let recorded = entries
        .iter()
        .find(|e| e["action"] == "destruction.certificate")
        .unwrap();
    assert_eq!(recorded["hash"], audit_hash.as_str());
    assert_eq!(recorded["seq"], out["audit_seq"]);
    let docs: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "document.certificate")
        .collect();
    assert_eq!(docs.len(), 2);
    assert!(docs[0]["detail"]
        .to_string()
        .contains(&sha256_file(&cert_pdf)));
    ok(&run(&["audit", "--verify", "--case", c, "--json"], &[]));

    // De-identified: 周八's record stays, without name, number, address or note; the deleted customer and the
    // evidence naming them are gone; the test's own reading of every page finds none of those values.
    let conn = raw_connection(&seller.case, PASSPHRASE);
    let (raw, name, mobile): (String, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT r.raw, r.name, r.mobile FROM records r JOIN plan p ON p.record_id = r.id
             WHERE p.outcome = 'deidentify'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((name, mobile), (None, None));
    let cells: Vec<String> = serde_json::from_str(&raw).unwrap();
    assert!(cells.iter().all(|c| c.is_empty()), "{cells:?}");
    let evidence: i64 = conn
        .query_row("SELECT count(*) FROM wizard_evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(evidence, 0);
    drop(conn);
    let after = decrypted_pages(&seller.case, PASSPHRASE).concat();
    assert_eq!(on_pages(&after, &gone), Vec::<String>::new());
    // The blocked balance stays whole.
    assert_eq!(on_pages(&after, &["13612345678"]).len(), 1);

    // `handover certificate` writes the stored certificate again, in English.
    let en_pdf = dir.join("certificate.pdf");
    let again = ok(&run(
        &[
            "certificate",
            "--case",
            c,
            "--pdf",
            s(&en_pdf),
            "--lang",
            "en",
            "--json",
        ],
        &[],
    ));
    assert_eq!(again["reference"], reference.as_str());
    assert_eq!(again["certificate_sha256"], cert_sha.as_str());
    assert_eq!(again["audit_hash"], audit_hash.as_str());
    let en = squash(&handover_tests::pdf_text(&en_pdf));
    for needle in [
        "CertificateofDestructionofPersonalInformation".to_string(),
        format!("Recordsdeletedbytheplan{deletes}"),
        "Recordsde-identified1".into(),
        "Result:passed".into(),
        audit_hash.clone(),
    ] {
        assert!(en.contains(&needle), "{needle}: {en}");
    }
    let unknown = run(
        &["certificate", "--case", c, "--reference", "XH-0", "--json"],
        &[],
    );
    assert_eq!(unknown.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&unknown.stdout).unwrap();
    assert_eq!(v["error"]["code"], "no_certificate");
}
