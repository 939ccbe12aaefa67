//! The recipient's package (issue 14), through the `handover` CLI as a process on real files: a seller's case
//! with a plan → `handover export` → `handover receive` gives the recipient a case with exactly the
//! transferred customers, only the kept fields, the same prepaid total and the customers' statuses; and every
//! damaged, altered or foreign package is refused with its own code, exit 2 and no case file left behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use handover_core::rules::plan;
use handover_core::rules::{rulebook, Outcome};
use handover_core::store::Case;
use handover_package::raw::{self, RawEntry};
use handover_testkit::fixtures::{handover_command, raw_connection, PASSPHRASE};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The recipient's own passphrase for the case they receive into.
const RECIPIENT_PASSPHRASE: &str = "Recipient-Own-Phrase-42";

/// Every phone number and ID number in the seller's data, and other values the minimisation strips.
const PHONES: [&str; 6] = [
    "13812345678",
    "13912345678",
    "13612345678",
    "13512345678",
    "13412345678",
    "13700001111",
];
const ADDRESS: &str = "北京市朝阳区建国路88号";
const NOTE: &str = "喜欢安静";

fn id_number() -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1980, 5, 17).unwrap();
    handover_testkit::values::id_card::compose("110101", born, 123)
}

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

/// A shop sold whole: five customers. 张伟 (balance, consented) and 赵六 (balance, consented) and 李娜 (no
/// balance) go to the buyer; 王五's balance has no consent yet (blocked); 孙七 objected.
fn seller_case(dir: &Path) -> PathBuf {
    let case = dir.join("seller.handover");
    let c = case.to_str().unwrap();
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
            "--buyer",
            "李四便民服务部",
            "--buyer-contact",
            "13900002222",
            "--handover-date",
            "2026-12-31",
        ],
        &[],
    ));
    let csv = dir.join("会员.csv");
    std::fs::write(
        &csv,
        format!(
            "姓名,手机号,身份证号,地址,储值余额,备注\n\
             张伟,13812345678,{id},{ADDRESS},100.00,{NOTE}\n\
             李娜,13912345678,,,,电话13700001111\n\
             王五,13612345678,,,20.05,\n\
             赵六,13512345678,,,0.10,\n\
             孙七,13412345678,,,,\n",
            id = id_number()
        ),
    )
    .unwrap();
    ok(&run(&["import", "--case", c, csv.to_str().unwrap()], &[]));
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
    case
}

fn export(case: &Path, out: &Path) -> Value {
    ok(&run(
        &[
            "export",
            "--case",
            case.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
        &[],
    ))
}

fn receive(new_case: &Path, package: &Path, passphrase: &str) -> Output {
    run(
        &[
            "receive",
            "--case",
            new_case.to_str().unwrap(),
            package.to_str().unwrap(),
            "--json",
        ],
        &[
            ("HANDOVER_PACKAGE_PASSPHRASE", passphrase),
            ("HANDOVER_PASSPHRASE", RECIPIENT_PASSPHRASE),
        ],
    )
}

fn mobiles_of(conn: &rusqlite::Connection, sql: &str) -> BTreeSet<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_package_carries_exactly_the_transferred_customers_with_the_kept_fields() {
    let dir = tempfile::tempdir().unwrap();
    let seller = seller_case(dir.path());
    let package = dir.path().join("交接包.hopkg");
    let exported = export(&seller, &package);
    let passphrase = exported["passphrase"].as_str().unwrap().to_string();
    assert_eq!(
        passphrase.len(),
        39,
        "eight groups of four digits: {passphrase}"
    );

    // The file: its hash is the one printed, and nothing of the case is in it in clear.
    let bytes = std::fs::read(&package).unwrap();
    assert_eq!(exported["size"].as_u64().unwrap(), bytes.len() as u64);
    let sha = hex::encode(Sha256::digest(&bytes));
    assert_eq!(exported["sha256"].as_str().unwrap(), sha);
    let id = id_number();
    for needle in PHONES.iter().copied().chain([id.as_str(), ADDRESS, "张伟"]) {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} is in the package in clear"
        );
    }

    // What the seller's plan transfers.
    let seller_conn = raw_connection(&seller, PASSPHRASE);
    let expected = mobiles_of(
        &seller_conn,
        "SELECT DISTINCT c.mobile FROM plan p JOIN customers c ON c.id = p.customer_id WHERE p.outcome = 'transfer'",
    );
    assert_eq!(
        expected,
        ["13512345678", "13812345678", "13912345678"]
            .map(String::from)
            .into(),
        "the scenario: 王五 (balance without consent) and 孙七 (objection) stay"
    );
    let seller_case = Case::open(&seller, PASSPHRASE).unwrap();
    let summary = seller_case
        .read(|conn| plan::summary(conn, rulebook()))
        .unwrap()
        .unwrap();
    let transfer_total = summary
        .prepaid
        .by_outcome
        .iter()
        .find(|o| o.outcome == Outcome::Transfer)
        .map(|o| o.total.clone())
        .unwrap();
    assert_eq!(transfer_total, "100.10");
    assert_eq!(exported["prepaid_total"], transfer_total);
    let export_entry = seller_case
        .audit_entries()
        .unwrap()
        .into_iter()
        .find(|e| e.action == "package.export")
        .expect("package.export in the seller's audit log");
    let detail: Value = serde_json::from_str(&export_entry.detail).unwrap();
    assert_eq!(detail["package_sha256"], sha);
    assert_eq!(detail["records"], 3);
    assert!(!export_entry.detail.contains(&passphrase));
    // The manifest carries the seller's audit log as it was just before the export's own entry.
    let manifest: Value = serde_json::from_slice(
        &raw::entries(&package, &passphrase)
            .unwrap()
            .into_iter()
            .find(|e| e.name == b"manifest.json")
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!(
        manifest["seller_audit"]["head_hash"], export_entry.prev_hash,
        "{manifest}"
    );
    assert_eq!(manifest["seller_audit"]["entries"], export_entry.seq - 1);
    seller_case.close().unwrap();

    // Receive it.
    let new_case = dir.path().join("李四.handover");
    let received = ok(&receive(&new_case, &package, &passphrase));
    let receipt = &received["receipt"];
    assert_eq!(receipt["package_sha256"], sha);
    assert_eq!(receipt["customers"], 3);
    assert_eq!(receipt["records"], 3);
    assert_eq!(receipt["prepaid_total"], transfer_total);
    assert_eq!(receipt["seller"]["name"], "王记便利店");
    assert_eq!(receipt["recipient"]["name"], "李四便民服务部");

    let conn = raw_connection(&new_case, RECIPIENT_PASSPHRASE);
    // Exactly the transferred customers, linked by their phone numbers.
    assert_eq!(
        mobiles_of(
            &conn,
            "SELECT mobile FROM customers WHERE mobile IS NOT NULL"
        ),
        expected
    );
    let customers: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(customers, 3);
    assert_eq!(
        mobiles_of(
            &conn,
            "SELECT value FROM customer_keys WHERE kind = 'mobile'"
        ),
        expected
    );
    // Only the kept fields: the columns are the needed ones, and no stripped value is anywhere.
    let fields = mobiles_of(&conn, "SELECT field FROM source_columns");
    assert_eq!(
        fields,
        ["mobile", "name", "prepaid_balance"]
            .map(String::from)
            .into()
    );
    let raw: Vec<String> = conn
        .prepare("SELECT raw FROM records ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(raw.len(), 3);
    let all = raw.join("\n");
    for stripped in [id.as_str(), ADDRESS, NOTE, "13700001111"] {
        assert!(!all.contains(stripped), "{stripped} was transferred: {all}");
    }
    let id_numbers: i64 = conn
        .query_row(
            "SELECT count(*) FROM records WHERE id_number IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(id_numbers, 0);
    // The same prepaid total, exact to the fen.
    let balances: Vec<String> = conn
        .prepare("SELECT balance FROM records WHERE balance IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let total: rust_decimal::Decimal = balances
        .iter()
        .map(|b| b.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(total.to_string(), "100.10");
    // The customers' statuses as the seller recorded them.
    let consent: BTreeSet<(String, String)> = conn
        .prepare(
            "SELECT c.mobile, s.consent FROM customers c JOIN customer_status s ON s.customer_id = c.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        consent,
        [
            ("13512345678", "yes"),
            ("13812345678", "yes"),
            ("13912345678", "unknown")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .into()
    );
    // Where it came from.
    let (seller_name, seller_case_id, package_sha): (String, String, String) = conn
        .query_row(
            "SELECT seller_name, seller_case_id, package_sha256 FROM received_package",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(seller_name, "王记便利店");
    assert_eq!(package_sha, sha);
    let original_id: String = seller_conn
        .query_row("SELECT case_id FROM case_meta", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seller_case_id, original_id);
    drop(conn);

    // The new case is a full case: it opens with the recipient's passphrase and its audit chain verifies.
    let case = Case::open(&new_case, RECIPIENT_PASSPHRASE).unwrap();
    assert!(case.verify_audit().unwrap().ok);
    let actions: Vec<String> = case
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["case.create", "package.receive"]);
    let receipt = handover_core::transfer::receipt(&case).unwrap().unwrap();
    assert_eq!(receipt.package_sha256, sha);
    assert_eq!(receipt.prepaid_total, "100.10");
}

#[test]
fn export_is_refused_while_the_plan_is_out_of_date() {
    let dir = tempfile::tempdir().unwrap();
    let seller = seller_case(dir.path());
    let c = seller.to_str().unwrap();
    // Changing the minimisation marks the plan stale.
    ok(&run(
        &[
            "set",
            "--case",
            c,
            "--phone",
            "13612345678",
            "--consent",
            "yes",
        ],
        &[],
    ));
    let minimise = run(&["plan", "--case", c, "--json"], &[]);
    assert!(minimise.status.success());
    // Stale: a new record arrives after the plan.
    let more = dir.path().join("补充.csv");
    std::fs::write(&more, "姓名,手机号\n周八,13312345678\n").unwrap();
    ok(&run(&["import", "--case", c, more.to_str().unwrap()], &[]));
    let out_path = dir.path().join("p.hopkg");
    let out = run(
        &[
            "export",
            "--case",
            c,
            "--out",
            out_path.to_str().unwrap(),
            "--json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "plan_stale");
    assert!(!out_path.exists());
}

/// Runs `receive` on a package that must be refused: exit 2, the code, a message, no case file and nothing
/// half-made beside it.
fn refused(dir: &Path, package: &Path, passphrase: &str) -> String {
    let new_case = dir.join("received.handover");
    let out = receive(&new_case, package, passphrase);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}: {}",
        package.display(),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!new_case.exists(), "a case file was left behind");
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("received"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(
        !v["error"]["message"].as_str().unwrap_or("").is_empty(),
        "{}: {}",
        package.display(),
        String::from_utf8_lossy(&out.stdout)
    );
    v["error"]["code"].as_str().unwrap_or("").to_string()
}

#[test]
fn damaged_altered_and_foreign_packages_are_refused_and_leave_no_case() {
    let dir = tempfile::tempdir().unwrap();
    let seller = seller_case(dir.path());
    let good = dir.path().join("good.hopkg");
    let passphrase = export(&seller, &good)["passphrase"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = std::fs::read(&good).unwrap();
    let work = tempfile::tempdir().unwrap();
    let variant = |name: &str, content: &[u8]| -> PathBuf {
        let p = work.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };
    let flipped = |at: usize| {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        b
    };
    // Where age's header ends ("--- " MAC line), so "header" and "payload" flips hit what they say.
    let header_end = bytes
        .windows(4)
        .position(|w| w == b"--- ")
        .and_then(|p| {
            bytes[p..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|n| p + n + 1)
        })
        .unwrap();
    let mac_at = header_end - 10;
    let middle = header_end + (bytes.len() - header_end) / 2;

    let mut cases: Vec<(&str, PathBuf, &str, String)> = vec![
        (
            "flipped byte in the header's MAC",
            // Another base64 letter, so the MAC still parses and only fails to verify (flipping a bit
            // could make it `@` or `*`, not base64 at all: then "not a package", about 6 % of runs).
            variant("mac.hopkg", &{
                let mut b = bytes.clone();
                b[mac_at] = if b[mac_at] == b'A' { b'B' } else { b'A' };
                b
            }),
            "package_damaged",
            passphrase.clone(),
        ),
        (
            "flipped byte in the header's version line",
            variant("version.hopkg", &flipped(5)),
            "not_a_package",
            passphrase.clone(),
        ),
        (
            "flipped byte in the middle",
            variant("middle.hopkg", &flipped(middle)),
            "package_damaged",
            passphrase.clone(),
        ),
        (
            "flipped last byte",
            variant("last.hopkg", &flipped(bytes.len() - 1)),
            "package_damaged",
            passphrase.clone(),
        ),
        (
            "truncated",
            variant("cut.hopkg", &bytes[..bytes.len() - 100]),
            "package_damaged",
            passphrase.clone(),
        ),
        (
            "one byte appended",
            variant("longer.hopkg", &[bytes.as_slice(), b"x"].concat()),
            "package_damaged",
            passphrase.clone(),
        ),
        (
            "wrong passphrase",
            good.clone(),
            "package_wrong_passphrase",
            "1111-2222-3333-4444-5555-6666-7777-8888".to_string(),
        ),
        (
            "not a package (the case file)",
            seller.clone(),
            "not_a_package",
            passphrase.clone(),
        ),
        (
            "not a package (a CSV)",
            dir.path().join("会员.csv"),
            "not_a_package",
            passphrase.clone(),
        ),
    ];

    // Packages rebuilt from the good one's entries with the crate's lower-level writer.
    let entries = raw::entries(&good, &passphrase).unwrap();
    let names: Vec<String> = entries
        .iter()
        .map(|e| String::from_utf8_lossy(&e.name).into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "sources.jsonl",
            "customers-000001.jsonl",
            "records-000001.jsonl",
            "manifest.json"
        ]
    );
    let rebuilt = |name: &str, entries: Vec<RawEntry>| -> PathBuf {
        let p = work.path().join(name);
        raw::write_entries(&p, &passphrase, &entries).unwrap();
        p
    };
    // The unchanged entries rebuilt are accepted (so each refusal below is for its one change).
    let same = rebuilt("same.hopkg", entries.clone());
    let same_case = work.path().join("same.handover");
    ok(&receive(&same_case, &same, &passphrase));

    let mut extra = entries.clone();
    extra.insert(
        3,
        RawEntry::file("records-000002.jsonl", b"{\"id\":99}\n".to_vec()),
    );
    cases.push((
        "a part the manifest does not list",
        rebuilt("extra.hopkg", extra),
        "package_extra_part",
        passphrase.clone(),
    ));
    let mut missing = entries.clone();
    missing.remove(1);
    cases.push((
        "a part missing",
        rebuilt("missing.hopkg", missing),
        "package_missing_part",
        passphrase.clone(),
    ));
    let mut escaping = entries.clone();
    escaping[2].name = b"../records-000001.jsonl".to_vec();
    cases.push((
        "a path with ..",
        rebuilt("escape.hopkg", escaping),
        "package_unsafe_path",
        passphrase.clone(),
    ));
    let mut absolute = entries.clone();
    absolute[2].name = b"/tmp/records-000001.jsonl".to_vec();
    cases.push((
        "an absolute path",
        rebuilt("absolute.hopkg", absolute),
        "package_unsafe_path",
        passphrase.clone(),
    ));
    let mut link = entries.clone();
    link.insert(
        0,
        RawEntry {
            name: b"evidence-1".to_vec(),
            symlink: true,
            data: Vec::new(),
        },
    );
    cases.push((
        "a link",
        rebuilt("link.hopkg", link),
        "package_unsafe_path",
        passphrase.clone(),
    ));
    let mut changed = entries.clone();
    let records = &mut changed[2].data;
    let at = records.iter().position(|&b| b == b'5').unwrap();
    records[at] = b'6';
    cases.push((
        "a part changed (hash differs from the manifest)",
        rebuilt("changed.hopkg", changed),
        "package_part_mismatch",
        passphrase.clone(),
    ));
    let mut newer = entries.clone();
    let mut manifest: Value = serde_json::from_slice(&newer[3].data).unwrap();
    manifest["version"] = Value::from(2);
    newer[3].data = serde_json::to_vec(&manifest).unwrap();
    cases.push((
        "a newer format version",
        rebuilt("newer.hopkg", newer),
        "package_newer_format",
        passphrase.clone(),
    ));

    let mut wrong = Vec::new();
    for (what, package, expected, pass) in &cases {
        let code = refused(work.path(), package, pass);
        if code != *expected {
            wrong.push(format!("{what}: {code}, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The package reader's fuzz target seals its input with its own passphrase: a real package's container,
/// sealed that way, verifies (so the target reaches past every check with a good input, and mutations of
/// the seed start from a package the reader accepts). `UPDATE_FUZZ_SEEDS=1` writes this container as the
/// corpus seeds `fuzz/corpus/package_reader/export.tar` and, sealed, `export.hopkg`.
#[test]
fn a_real_container_sealed_by_the_fuzz_target_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let seller = seller_case(dir.path());
    let package = dir.path().join("交接包.hopkg");
    let passphrase = export(&seller, &package)["passphrase"]
        .as_str()
        .unwrap()
        .to_string();
    let entries = raw::entries(&package, &passphrase).unwrap();
    assert!(entries.iter().any(|e| e.name == b"manifest.json"));
    let container = raw::container(&entries).unwrap();
    assert!(handover_testkit::fuzz::read_package(&container));
    // One byte changed in the manifest's hashes: the same container no longer verifies.
    let mut altered = entries.clone();
    let manifest = altered
        .iter_mut()
        .find(|e| e.name == b"manifest.json")
        .unwrap();
    let parts = manifest
        .data
        .windows(7)
        .position(|w| w == b"\"parts\"")
        .unwrap();
    let at = parts
        + manifest.data[parts..]
            .windows(8)
            .position(|w| w == b"\"sha256\"")
            .unwrap()
        + 12;
    manifest.data[at] = if manifest.data[at] == b'0' {
        b'1'
    } else {
        b'0'
    };
    assert!(!handover_testkit::fuzz::read_package(
        &raw::container(&altered).unwrap()
    ));
    if std::env::var_os("UPDATE_FUZZ_SEEDS").is_some() {
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/package_reader");
        std::fs::create_dir_all(&seeds).unwrap();
        std::fs::write(seeds.join("export.tar"), &container).unwrap();
        // The same container as a package file (age header and chunks for the fuzzer to mutate).
        let sealed =
            raw::encrypt(&container, handover_testkit::fuzz::PACKAGE_PASSPHRASE, 1).unwrap();
        std::fs::write(seeds.join("export.hopkg"), sealed).unwrap();
    }
}
