//! Crafted files (issue 18, acceptance line 1): spreadsheets that declare absurd sizes or expand without end,
//! and text files that once lost or broke things, each imported by the release-shaped CLI under
//! `ulimit -v 1000000` (about 1 GB of address space). Every one is answered with exit 0 or 2 and a plain
//! message naming the file — never a panic, an abort or an allocator's complaint — and the case opens and
//! its audit chain verifies afterwards. The files are made here, small (compression does the rest).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The address-space limit the CLI runs under, in KiB (`ulimit -v`).
const ULIMIT_KB: u64 = 1_000_000;

fn handover_bin() -> PathBuf {
    PathBuf::from(handover_tests::handover_command().get_program())
}

/// `handover ARGS…` under `ulimit -v`, with the test passphrase; killed (and failed) after `limit`.
fn limited(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {ULIMIT_KB}; exec \"$0\" \"$@\""))
        .arg(handover_bin())
        .args(args)
        .env("HANDOVER_PASSPHRASE", handover_tests::PASSPHRASE)
        .env("HANDOVER_LANG", "zh-CN");
    handover_tests::run_within(cmd, limit)
}

/// Imports `file` into `case` under the limit and checks the answer; returns (exit code, message).
fn import_checked(case: &Path, file: &Path) -> (i32, String) {
    let started = Instant::now();
    let out = limited(
        &[
            "import".as_ref(),
            "--json".as_ref(),
            "--case".as_ref(),
            case.as_os_str(),
            file.as_os_str(),
        ],
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or_else(|| {
        panic!("killed by a signal ({:?}): {stderr}", out.status);
    });
    assert!(
        code == 0 || code == 2,
        "{}: exit {code}\n{stdout}\n{stderr}",
        file.display()
    );
    for bad in [
        "panicked",
        "memory allocation",
        "RUST_BACKTRACE",
        "capacity overflow",
        "Aborted",
    ] {
        assert!(
            !stdout.contains(bad) && !stderr.contains(bad),
            "{bad}: {stdout}\n{stderr}"
        );
    }
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let message = if code == 2 {
        // The refusal is plain words naming the file.
        let error = &json["sources"][0];
        let message = error["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error listed: {stdout}"))
            .to_string();
        assert!(message.contains(&name), "{message}");
        assert_eq!(error["code"], "import_refused", "{stdout}");
        message
    } else {
        let s = &json["sources"][0];
        format!(
            "imported {} rows, {} flagged, {} rejected",
            s["rows_imported"], s["rows_flagged"], s["rows_rejected"]
        )
    };
    // The case opens and its audit chain verifies.
    let verify = limited(
        &[
            "audit".as_ref(),
            "--verify".as_ref(),
            "--json".as_ref(),
            "--case".as_ref(),
            case.as_os_str(),
        ],
        Duration::from_secs(30),
    );
    let report: Value = serde_json::from_slice(&verify.stdout).unwrap();
    assert_eq!(verify.status.code(), Some(0), "{report}");
    assert_eq!(report["ok"], true, "{report}");
    eprintln!(
        "{name}: {} bytes, exit {code}, {:.1} s: {message}",
        std::fs::metadata(file).map_or(0, |m| m.len()),
        started.elapsed().as_secs_f64()
    );
    (code, message)
}

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("王记便利店.handover");
    handover_tests::new_shop_case(&case);
    case
}

/// Writes a zip: each entry is (name, parts), the parts written in turn (a part repeated many times is how a
/// few KB of file become a gigabyte of content). `stored_first` keeps the first entry uncompressed (ODS's
/// mimetype).
/// One zip entry: its name and its content as (bytes, times repeated) pieces.
type ZipEntry<'a> = (&'a str, Vec<(&'a [u8], usize)>);

fn zip_file(path: &Path, entries: &[ZipEntry<'_>], stored_first: bool) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (i, (name, parts)) in entries.iter().enumerate() {
        let options = if i == 0 && stored_first {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1))
                .large_file(true)
        };
        w.start_file(*name, options).unwrap();
        for (bytes, times) in parts {
            for _ in 0..*times {
                w.write_all(bytes).unwrap();
            }
        }
    }
    w.finish().unwrap();
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// An xlsx with one sheet whose XML is `sheet_parts` inside `<sheetData>`, and a shared-string table made of
/// `sst_parts` (whole `<sst>` element), if any.
fn xlsx(path: &Path, sheet_parts: Vec<(&[u8], usize)>, sst_parts: Option<Vec<(&[u8], usize)>>) {
    let content_types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sheet_head = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>"#
    );
    let mut sheet = vec![(sheet_head.as_bytes(), 1)];
    sheet.extend(sheet_parts);
    sheet.push((b"</sheetData></worksheet>".as_slice(), 1));
    let mut entries = vec![
        ("[Content_Types].xml", vec![(content_types.as_bytes(), 1)]),
        ("_rels/.rels", vec![(rels.as_bytes(), 1)]),
        ("xl/workbook.xml", vec![(workbook.as_bytes(), 1)]),
        (
            "xl/_rels/workbook.xml.rels",
            vec![(workbook_rels.as_bytes(), 1)],
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(sst) = sst_parts {
        entries.push(("xl/sharedStrings.xml", sst));
    }
    zip_file(path, &entries, false);
}

/// An ods whose one table's rows are `table_parts`.
fn ods(path: &Path, table_parts: Vec<(&[u8], usize)>) {
    let head = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="会员">"#.as_bytes();
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut content = vec![(head, 1)];
    content.extend(table_parts);
    content.push((
        b"</table:table></office:spreadsheet></office:body></office:document-content>".as_slice(),
        1,
    ));
    zip_file(
        path,
        &[
            (
                "mimetype",
                vec![(
                    b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
                    1,
                )],
            ),
            ("META-INF/manifest.xml", vec![(manifest.as_slice(), 1)]),
            ("content.xml", content),
        ],
        true,
    );
}

const ODS_HEADER: &[u8] = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>手机</text:p></table:table-cell></table:table-row>"#.as_bytes();
const XLSX_HEADER: &[u8] = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c></row>"#.as_bytes();

/// An OLE (xls) file whose header says its FAT has 2³¹ sectors, in a 1.5 KB file.
fn xls_sector_bomb(path: &Path) {
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes()); // minor version
    h[26..28].copy_from_slice(&3u16.to_le_bytes()); // major version 3: 512-byte sectors
    h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes()); // byte order
    h[30..32].copy_from_slice(&9u16.to_le_bytes()); // sector shift
    h[32..34].copy_from_slice(&6u16.to_le_bytes()); // mini sector shift
    h[44..48].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes()); // FAT sectors: absurd
    h[48..52].copy_from_slice(&0u32.to_le_bytes()); // directory start
    h[56..60].copy_from_slice(&4096u32.to_le_bytes()); // mini stream cutoff
    h[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes()); // mini FAT start: none
    h[64..68].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes()); // mini FAT sectors: absurd
    h[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes()); // DIFAT start: none
    h[72..76].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes()); // DIFAT sectors: absurd
    for i in (76..512).step_by(4) {
        h[i..i + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    h[76..80].copy_from_slice(&1u32.to_le_bytes()); // the first FAT sector is sector 1
    let mut file = h;
    file.extend(vec![0u8; 512]); // sector 0: directory
    let mut fat = vec![0xFFu8; 512]; // sector 1: FAT, all free
    fat[..4].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    file.extend(fat);
    std::fs::write(path, file).unwrap();
}

#[test]
fn crafted_files_are_answered_plainly_under_a_memory_limit_and_the_case_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    let mut answers = Vec::new();
    let mut check = |file: PathBuf| {
        let answer = import_checked(&case, &file);
        answers.push((file, answer));
    };

    // xls: a header claiming 2³¹ FAT, mini-FAT and DIFAT sectors.
    let p = dir.path().join("扇区.xls");
    xls_sector_bomb(&p);
    check(p);

    // ods: one row repeated a million times, one cell repeated across every column.
    let p = dir.path().join("重复.ods");
    ods(
        &p,
        vec![
            (ODS_HEADER, 1),
            (br#"<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>13812345678</text:p></table:table-cell></table:table-row>"#.as_slice(), 1),
        ],
    );
    check(p);

    // ods: two cells at opposite corners of the largest sheet (a "sparse" sheet calamine builds whole).
    let p = dir.path().join("稀疏.ods");
    ods(
        &p,
        vec![
            (ODS_HEADER, 1),
            (br#"<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#.as_slice(), 1),
            (br#"<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>13812345678</text:p></table:table-cell></table:table-row>"#.as_slice(), 1),
        ],
    );
    check(p);

    // xlsx: 10 000 cells each pointing at one 1 MB shared string (10 GB of text, from a few tens of KB).
    let p = dir.path().join("共享字符串.xlsx");
    let rows: String = (2..10_002)
        .map(|r| {
            format!(
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>张三</t></is></c><c r="B{r}" t="s"><v>0</v></c></row>"#
            )
        })
        .collect();
    xlsx(
        &p,
        vec![(XLSX_HEADER, 1), (rows.as_bytes(), 1)],
        Some(vec![
            (
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>"#).as_bytes(),
                1,
            ),
            (b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".as_slice(), 10_000),
            (b"</t></si></sst>".as_slice(), 1),
        ]),
    );
    check(p);

    // xlsx: a shared-string table that declares 10¹⁰ entries.
    let p = dir.path().join("声明数量.xlsx");
    xlsx(
        &p,
        vec![
            (XLSX_HEADER, 1),
            (br#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#.as_slice(), 1),
        ],
        Some(vec![(
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="10000000000" uniqueCount="10000000000"><si><t>张三</t></si></sst>"#).as_bytes(),
            1,
        )]),
    );
    check(p);

    // xlsx: one cell of 640 MiB (under a MB of file).
    let p = dir.path().join("巨大单元格.xlsx");
    let chunk = vec![b'A'; 1 << 20];
    xlsx(
        &p,
        vec![
            (XLSX_HEADER, 1),
            (r#"<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" t="inlineStr"><is><t>"#.as_bytes(), 1),
            (chunk.as_slice(), 640),
            (b"</t></is></c></row>".as_slice(), 1),
        ],
        None,
    );
    check(p);

    // CSV: a quote opened on the second line that never closes.
    let p = dir.path().join("引号.csv");
    let mut csv = String::from("姓名,手机,备注\n张三,13812345678,\"老客户\n");
    for i in 0..500 {
        csv.push_str(&format!("客户{i},139{i:08},普通\n"));
    }
    std::fs::write(&p, csv).unwrap();
    check(p);

    // UTF-16 text with an odd byte at its end.
    let p = dir.path().join("单字节.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "姓名\t手机\r\n张三\t13812345678\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes.push(0x41);
    std::fs::write(&p, bytes).unwrap();
    check(p);

    // Amounts at Decimal::MAX and beyond it.
    let p = dir.path().join("余额.csv");
    std::fs::write(
        &p,
        "会员号,姓名,手机号,储值余额\n\
         V1,李四,13912345678,79228162514264337593543950335\n\
         V2,王五,13712345678,792281625142643375935439503350\n",
    )
    .unwrap();
    check(p);

    // A named pipe: refused at once, not waited on.
    #[cfg(unix)]
    {
        let p = dir.path().join("管道.csv");
        assert!(Command::new("mkfifo").arg(&p).status().unwrap().success());
        check(p);
    }

    let by_name = |n: &str| {
        answers
            .iter()
            .find(|(p, _)| p.file_name().unwrap().to_string_lossy() == n)
            .map(|(_, a)| a.clone())
            .unwrap()
    };
    // The bombs are refused; the memory-limit ones say so in plain words.
    for name in [
        "扇区.xls",
        "声明数量.xlsx",
        "巨大单元格.xlsx",
        "共享字符串.xlsx",
    ] {
        let (code, message) = by_name(name);
        assert_eq!(code, 2, "{name}: {message}");
    }
    for name in ["声明数量.xlsx", "巨大单元格.xlsx", "共享字符串.xlsx"] {
        let (_, message) = by_name(name);
        assert!(message.contains("内存超过上限"), "{name}: {message}");
    }
    // The text files import (the open quote flagged, the odd byte left out, the amounts kept as written).
    for name in ["引号.csv", "单字节.txt", "余额.csv"] {
        assert_eq!(by_name(name).0, 0, "{name}");
    }
    assert_eq!(by_name("管道.csv").0, 2);
}

/// What the fuzzers found that the product answers with a refusal rather than in-process: inputs whose
/// parse needs more memory than any limit (`oom-*`: the fuzzer runs the reader in-process, so it reports
/// them; the product's child process refuses them) and inputs on which a library panics (`library-panic-*`:
/// caught as the product catches it). They live in `fuzz/found/<target>/`, not in the corpus, which is
/// replayed in-process. Each is imported by the CLI under the memory limit like the crafted files above.
#[test]
fn inputs_the_fuzzers_found_are_refused_plainly_under_a_memory_limit() {
    let found = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/found/sheet_reader");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&found)
        .unwrap_or_else(|e| panic!("{}: {e}", found.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    let dir = tempfile::tempdir().unwrap();
    let case = new_case(dir.path());
    for file in files {
        // Under a name an owner's file would have (the format is sniffed from the bytes either way).
        let name = file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".bin", ".xls");
        let copy = dir.path().join(&name);
        std::fs::copy(&file, &copy).unwrap();
        let (code, message) = import_checked(&case, &copy);
        assert_eq!(code, 2, "{name}: {message}");
        if name.starts_with("oom-") {
            assert!(message.contains("内存超过上限"), "{name}: {message}");
        }
    }
}
