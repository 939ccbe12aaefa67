//! Shared helpers for the integration tests. They live in `handover-testkit` (with the generated test data),
//! re-exported here so the tests keep naming them `handover_tests::…`.

pub use handover_testkit::{
    handover_command, members_with_minor_csv, new_shop_case, new_shop_case_sold, raw_connection,
    run_within, sample_details, PASSPHRASE,
};

/// Every page of a case file decrypted with the passphrase (SQLCipher 4: PBKDF2-HMAC-SHA512 key from the
/// file's salt, AES-256-CBC pages with the IV in each page's reserved tail), free pages included, the reserved
/// tail left out — the tests' own reader, independent of the product's verifier.
pub fn decrypted_pages(path: &std::path::Path, passphrase: &str) -> Vec<Vec<u8>> {
    use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
    let bytes = std::fs::read(path).unwrap();
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(passphrase.as_bytes(), &bytes[..16], 256_000, &mut key);
    // Pages of 16 KiB (new files) or 4 KiB; HMAC-SHA256 pages reserve 48 bytes (IV + 32), SHA-512 ones 80: the
    // right page size and reserve decrypt page 1's header.
    let decrypt = |n: usize, (size, reserve): (usize, usize)| -> Vec<u8> {
        let mut page = bytes[n * size..(n + 1) * size].to_vec();
        let start = if n == 0 { 16 } else { 0 };
        let end = size - reserve;
        let iv: [u8; 16] = page[end..end + 16].try_into().unwrap();
        cbc::Decryptor::<aes::Aes256>::new(&key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut page[start..end])
            .unwrap();
        page.truncate(end);
        page
    };
    let format = [(16_384, 48), (4096, 48), (4096, 80)]
        .into_iter()
        .filter(|&(size, _)| bytes.len() >= size)
        .find(|&(size, reserve)| {
            let p = decrypt(0, (size, reserve));
            usize::from(u16::from_be_bytes([p[16], p[17]])) == size && p[21..24] == [64, 32, 32]
        })
        .expect("the passphrase decrypts page 1");
    assert_eq!(bytes.len() % format.0, 0, "a case file is whole pages");
    (0..bytes.len() / format.0)
        .map(|n| decrypt(n, format))
        .collect()
}

/// Runs a command and returns its output, failing the test with its stderr if it did not succeed.
pub fn run_ok(command: &mut std::process::Command) -> std::process::Output {
    let out = command.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{:?}: {}",
        command,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The text of a PDF as `pdftotext` extracts it (pages separated by form feeds): what a reader's copy and
/// paste and a search would find.
pub fn pdf_text(pdf: &std::path::Path) -> String {
    pdf_page_text(pdf, None)
}

/// As [`pdf_text`], of one page (1-based) or of every page.
pub fn pdf_page_text(pdf: &std::path::Path, page: Option<usize>) -> String {
    let mut c = std::process::Command::new("pdftotext");
    c.args(["-enc", "UTF-8"]);
    if let Some(p) = page {
        c.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = c
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}
