//! Reading every page of a case file with its key, free pages included, to check that a deleted value is
//! gone from the file and not merely from the tables.
//!
//! The bundled SQLCipher is built without `sqlite_dbpage`, and SQL only ever shows live rows, so the pages are
//! decrypted here the way SQLCipher 4 writes them: the first 16 bytes of the file are the salt; the key is
//! PBKDF2-HMAC-SHA512(passphrase, salt, 256,000 rounds, 32 bytes); each 4096-byte page is AES-256-CBC
//! encrypted except its reserved tail, which starts with the page's IV (followed by the page's HMAC); page 1's
//! first 16 bytes are the salt instead of "SQLite format 3". The cipher's reserved tail is 48 bytes for case
//! files that authenticate pages with HMAC-SHA256 and 80 for SQLCipher's default HMAC-SHA512; only the right
//! key with the right IV position decrypts page 1's header to SQLite's fixed values, which tells both. Plaintext stays in memory,
//! one page at a time.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
use sha2::Sha512;

use crate::error::{Error, Result};

const PAGE: usize = 4096;
const SALT: usize = 16;
const KDF_ROUNDS: u32 = 256_000;
/// Reserved bytes per page: IV (16) + HMAC-SHA256 (32), or IV + HMAC-SHA512 (64).
const RESERVES: [usize; 2] = [48, 80];

type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// The key of one case file and its page layout.
pub(crate) struct PageKey {
    key: [u8; 32],
    reserve: usize,
}

impl std::fmt::Debug for PageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageKey")
            .field("reserve", &self.reserve)
            .finish_non_exhaustive()
    }
}

impl PageKey {
    /// Derives the key of the case file at `path` and checks it on page 1: [`Error::WrongPassphrase`] if the
    /// passphrase is not the file's.
    pub(crate) fn derive(path: &Path, passphrase: &str) -> Result<PageKey> {
        let mut first = [0u8; PAGE];
        File::open(path)
            .and_then(|mut f| f.read_exact(&mut first))
            .map_err(|e| Error::io(path, e))?;
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha512>(passphrase.as_bytes(), &first[..SALT], KDF_ROUNDS, &mut key);
        for reserve in RESERVES {
            let candidate = PageKey { key, reserve };
            let mut page = first;
            if candidate.decrypt(1, &mut page).is_ok() && header_ok(&page, reserve) {
                return Ok(candidate);
            }
        }
        Err(Error::WrongPassphrase(path.to_path_buf()))
    }

    /// True when the file authenticates pages with HMAC-SHA256 (the app's format since 2026-12-02).
    pub(crate) fn sha256_pages(&self) -> bool {
        self.reserve == 48
    }

    /// Decrypts page `number` (1-based) in place; the reserved tail is left as it was.
    fn decrypt(&self, number: u64, page: &mut [u8; PAGE]) -> Result<()> {
        let start = if number == 1 { SALT } else { 0 };
        let end = PAGE - self.reserve;
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&page[end..end + 16]);
        Aes256CbcDec::new(&self.key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut page[start..end])
            .map_err(|_| Error::Internal(format!("page {number} did not decrypt")))?;
        Ok(())
    }
}

/// Page 1's decrypted header: page size 4096 (big-endian at 16), SQLite's reserved size at 20 (at least the
/// cipher's: a file keyed before its HMAC was switched to SHA-256 keeps SQLite's 80 while the cipher uses 48),
/// and SQLite's fixed payload fractions 64/32/32 at 21..24. A wrong key or a wrong IV position garbles the
/// first block, so this holds only for the right ones.
fn header_ok(page: &[u8; PAGE], reserve: usize) -> bool {
    page[16..18] == [0x10, 0x00] && usize::from(page[20]) >= reserve && page[21..24] == [64, 32, 32]
}

/// What reading every page found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageScan {
    pub pages: u64,
    /// The canaries found on some page (the values themselves stay in the core; callers count them).
    pub found: HashSet<Vec<u8>>,
}

/// Decrypts every page of the file and looks for the canaries on each (see [`Canaries`]).
pub(crate) fn scan(path: &Path, key: &PageKey, canaries: &Canaries) -> Result<PageScan> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = PageScan::default();
    let mut page = [0u8; PAGE];
    // The digits at the end of the previous page, so a value that runs across two pages is still seen.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        match read_page(&mut reader, &mut page) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(Error::io(path, e)),
        }
        out.pages += 1;
        key.decrypt(out.pages, &mut page)?;
        let body = &page[..PAGE - key.reserve];
        let mut joined = std::mem::take(&mut carry);
        joined.extend_from_slice(body);
        canaries.find_in(&joined, &mut out.found);
        let tail = joined
            .iter()
            .rev()
            .take_while(|b| is_value_byte(**b))
            .count()
            .min(canaries.longest.saturating_sub(1));
        carry = joined[joined.len() - tail..].to_vec();
    }
    Ok(out)
}

fn read_page(reader: &mut impl Read, page: &mut [u8; PAGE]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < PAGE {
        let n = reader.read(&mut page[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    match filled {
        0 => Ok(false),
        PAGE => Ok(true),
        _ => Err(std::io::Error::other(
            "the file is not a whole number of pages",
        )),
    }
}

/// The bytes a phone or ID number is written with.
fn is_value_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'X' || b == b'x'
}

/// The deleted values to look for: normalised mobile numbers (11 digits) and ID numbers (15 or 18 characters,
/// digits and X), as bytes. Every window of a run of such characters is looked up in a set, so the cost does
/// not grow with the number of canaries.
#[derive(Debug, Clone, Default)]
pub(crate) struct Canaries {
    values: HashSet<Vec<u8>>,
    lengths: Vec<usize>,
    longest: usize,
}

impl Canaries {
    /// Adds a value if it has the shape of a normalised phone or ID number (anything else is not a canary).
    pub(crate) fn add(&mut self, value: &str) {
        let v = value.trim().as_bytes();
        if v.len() >= 6 && v.iter().all(|b| is_value_byte(*b)) {
            if !self.lengths.contains(&v.len()) {
                self.lengths.push(v.len());
            }
            self.longest = self.longest.max(v.len());
            self.values.insert(v.to_vec());
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Drops the canaries in `gone` (values found in live rows: they are not deleted values any more).
    pub(crate) fn remove_all(&mut self, gone: &HashSet<Vec<u8>>) {
        self.values.retain(|v| !gone.contains(v));
    }

    /// Adds to `found` every canary that occurs in `bytes`.
    pub(crate) fn find_in(&self, bytes: &[u8], found: &mut HashSet<Vec<u8>>) {
        if self.values.is_empty() {
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            if !is_value_byte(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_value_byte(bytes[i]) {
                i += 1;
            }
            let run = &bytes[start..i];
            for &len in &self.lengths {
                if run.len() < len {
                    continue;
                }
                for w in run.windows(len) {
                    if self.values.contains(w) && !found.contains(w) {
                        found.insert(w.to_vec());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canaries_are_found_inside_runs_of_digits() {
        let mut c = Canaries::default();
        c.add("13812345678");
        c.add("11010119800517123X");
        c.add("张三");
        assert_eq!(c.len(), 2);
        let mut found = HashSet::new();
        c.find_in(b"\x01913812345678\x00 abc 11010119800517123X", &mut found);
        assert_eq!(found.len(), 2);
        let mut none = HashSet::new();
        c.find_in(b"1381234567 138-1234-5678", &mut none);
        assert!(none.is_empty());
    }
}
