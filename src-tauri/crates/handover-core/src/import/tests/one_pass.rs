//! One pass (issue 18): the digest a read reports is the SHA-256 of exactly the bytes it read, the whole
//! file (including bytes no row needed), and a file that changes while it is read is refused.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::*;

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads every row and returns the digest the reader reports.
fn digest_of_full_read(path: &Path) -> FileDigest {
    let reader = open(path, &ReadOptions::default()).unwrap();
    let handle = reader.digest_handle();
    assert!(handle.get().is_none(), "no digest before the read ends");
    for row in reader {
        row.unwrap();
    }
    handle.get().cloned().expect("a finished read has a digest")
}

fn members_csv(rows: usize) -> Vec<u8> {
    let mut csv = String::from("姓名,手机,备注\n");
    for i in 0..rows {
        csv.push_str(&format!("客户{i},139{:08},常来买牛奶的老客户\n", i));
    }
    csv.into_bytes()
}

#[test]
fn the_digest_is_the_hash_of_the_whole_file_as_read() {
    let d = Dir::new();
    // A CSV longer than the part read for sniffing, so both the head and the rest go through the hash.
    let bytes = members_csv(20_000);
    assert!(bytes.len() > 4 * SNIFF_BYTES);
    let p = d.file("会员.csv", &bytes);
    assert_eq!(
        digest_of_full_read(&p),
        FileDigest {
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64
        }
    );

    // UTF-16 with an odd last byte: the byte is left out of the rows but not out of the hash.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "姓名\t手机\r\n张三\t13812345678\r\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    utf16.push(0x41);
    let p = d.file("单字节.txt", &utf16);
    assert_eq!(digest_of_full_read(&p).sha256, sha256_hex(&utf16));

    // A workbook: the bytes handed to the parser are the bytes hashed.
    let p = d.path("会员.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "姓名").unwrap();
    ws.write(0, 1, "手机").unwrap();
    for r in 1..2000u32 {
        ws.write(r, 0, format!("客户{r}")).unwrap();
        ws.write(r, 1, format!("139{r:08}")).unwrap();
    }
    wb.save(&p).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    assert_eq!(
        digest_of_full_read(&p),
        FileDigest {
            sha256: sha256_hex(&bytes),
            size: bytes.len() as u64
        }
    );
}

#[test]
fn a_file_appended_to_while_it_is_read_is_refused() {
    let d = Dir::new();
    let p = d.file("会员.csv", &members_csv(50_000));
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let handle = reader.digest_handle();
    // The header and the preview are read; the export tool then writes more.
    let mut row = RawRow::default();
    assert!(reader.read_row(&mut row).unwrap());
    let mut more = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    more.write_all("客户X,13900000000,后来写入的\n".as_bytes())
        .unwrap();
    drop(more);
    let err = loop {
        match reader.read_row(&mut row) {
            Ok(true) => continue,
            Ok(false) => panic!("the changed file was read as if whole"),
            Err(e) => break e,
        }
    };
    assert_eq!(err, ReadError::ChangedWhileReading);
    assert!(handle.get().is_none());
}

#[test]
fn a_file_rewritten_in_place_with_its_time_put_back_yields_the_hash_of_what_was_read() {
    // The size and time checks cannot see this one; the digest differs from the one taken before, which is
    // what the import compares with its preview's hash (records::import_file::run).
    let d = Dir::new();
    let original = members_csv(50_000);
    let p = d.file("会员.csv", &original);
    let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
    let mut reader = open(&p, &ReadOptions::default()).unwrap();
    let handle = reader.digest_handle();
    let mut row = RawRow::default();
    assert!(reader.read_row(&mut row).unwrap());
    // The last line changes, keeping the size; the modification time is put back.
    let mut changed = original.clone();
    let n = changed.len();
    changed[n - 4..n - 1].copy_from_slice("熟".as_bytes());
    assert_ne!(changed, original);
    std::fs::write(&p, &changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let mut last = RawRow::default();
    while reader.read_row(&mut row).unwrap() {
        std::mem::swap(&mut last, &mut row);
    }
    // What was read is the changed line, and the digest is the hash of the changed bytes.
    assert!(last.cells[2].ends_with('熟'), "{:?}", last.cells);
    let digest = handle.get().unwrap();
    assert_eq!(digest.sha256, sha256_hex(&changed));
    assert_ne!(digest.sha256, sha256_hex(&original));
}
