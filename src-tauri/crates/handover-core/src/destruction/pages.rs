//! Reading every page of a case file with its key, free pages included, to check that a deleted value is
//! gone from the file and not merely from the tables. The bundled SQLCipher is built without `sqlite_dbpage`,
//! and SQL only ever shows live rows, so the pages are decrypted by the store's [`PageKey`] (the file's page
//! format is described there). Plaintext stays in memory, one page at a time.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub(crate) use crate::store::PageKey;
use crate::store::{holds_data, PAGE};

use crate::error::{Error, Result};

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
        if !holds_data(out.pages) {
            // Never written by SQLite: neither encrypted nor a place a value could be left in.
            carry.clear();
            continue;
        }
        key.decrypt(out.pages, &mut page)?;
        let body = &page[..key.usable()];
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
/// not grow with the number of canaries. The set hashes with FxHash, not SipHash: every live row of the case
/// is searched (tens of millions of lookups on a million-row case), and the values are the case's own, not
/// an attacker's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Canaries {
    values: rustc_hash::FxHashSet<Vec<u8>>,
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
