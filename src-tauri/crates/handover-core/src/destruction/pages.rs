//! Reading every page of a case file with its key, free pages included, to check that a deleted value is
//! gone from the file and not merely from the tables. The bundled SQLCipher is built without `sqlite_dbpage`,
//! and SQL only ever shows live rows, so the pages are decrypted by the store's [`PageKey`] (the file's page
//! format is described there). Plaintext stays in memory, one page at a time.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::store::read_page_at;
pub(crate) use crate::store::PageKey;

use crate::error::{Error, Result};

/// What reading every page found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageScan {
    pub pages: u64,
    /// The canaries found on some page (the values themselves stay in the core; callers count them).
    pub found: HashSet<Vec<u8>>,
}

/// Decrypts every page of the file and looks for the canaries wherever a value could be left behind: in the
/// free pages (the freelist), and on each b-tree page in the bytes no cell holds — the gap between the cell
/// pointers and the cells, and the freed blocks between cells (a deleted row's cell becomes one). The cells
/// themselves are the file's live rows: a deleted number found there is held by a row that stays (another
/// record of the same person, a note that mentions it), which is not a leftover, and a byte search cannot
/// tell it from one. Overflow pages (the rest of a long row) belong to live rows the same way once no page
/// is free, which the verification requires. A value cannot run from one page's free space into another's:
/// free space ends at the page's cells or its end.
pub(crate) fn scan(path: &Path, key: &PageKey, canaries: &Canaries) -> Result<PageScan> {
    let free = free_pages(path, key)?;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut out = PageScan::default();
    let mut page = vec![0u8; key.page_size()];
    loop {
        match read_page(&mut reader, &mut page) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(Error::io(path, e)),
        }
        out.pages += 1;
        if !key.holds_data(out.pages) {
            // Never written by SQLite: neither encrypted nor a place a value could be left in.
            continue;
        }
        key.decrypt(out.pages, &mut page)?;
        let body = &page[..key.usable()];
        if free.contains(&out.pages) {
            canaries.find_in(body, &mut out.found);
            continue;
        }
        for range in unallocated(body, out.pages) {
            canaries.find_in(&body[range], &mut out.found);
        }
    }
    Ok(out)
}

/// The numbers of the file's free pages: the freelist's trunk pages and the leaves each lists.
fn free_pages(path: &Path, key: &PageKey) -> Result<HashSet<u64>> {
    let pages = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len()
        / key.page_size() as u64;
    let mut page = vec![0u8; key.page_size()];
    let read = |n: u64, page: &mut [u8]| -> Result<()> {
        read_page_at(path, n, page).map_err(|e| Error::io(path, e))?;
        key.decrypt(n, page)
    };
    read(1, &mut page)?;
    let be32 =
        |p: &[u8], at: usize| u32::from_be_bytes([p[at], p[at + 1], p[at + 2], p[at + 3]]) as u64;
    let mut free = HashSet::new();
    let mut trunk = be32(&page, 32);
    let usable = key.usable();
    while trunk != 0 && trunk <= pages && free.insert(trunk) {
        read(trunk, &mut page)?;
        let leaves = (be32(&page, 4) as usize).min((usable - 8) / 4);
        for i in 0..leaves {
            let leaf = be32(&page, 8 + 4 * i);
            if leaf != 0 && leaf <= pages {
                free.insert(leaf);
            }
        }
        trunk = be32(&page, 0);
    }
    Ok(free)
}

/// One range, as a list (clippy reads `vec![a..b]` as a mistaken `(a..b).collect()`).
fn whole(range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::with_capacity(4);
    ranges.push(range);
    ranges
}

/// The byte ranges of a decrypted page that no cell holds, if it is a b-tree page (SQLite's file format,
/// section 1.6): the gap between the cell pointer array and the cell content area, and each freeblock. An
/// overflow page starts with the number of the next one, whose first byte is 0 in any file under 64 GiB,
/// never a b-tree page's type (2, 5, 10 or 13): it has no such ranges. A page whose header does not hold
/// together is searched whole, so nothing is skipped on a page the scan does not understand.
fn unallocated(body: &[u8], number: u64) -> Vec<std::ops::Range<usize>> {
    let h = if number == 1 { 100 } else { 0 };
    let be16 = |at: usize| usize::from(u16::from_be_bytes([body[at], body[at + 1]]));
    let header = match body[h] {
        2 | 5 => 12,
        10 | 13 => 8,
        _ => return Vec::new(),
    };
    let cells = be16(h + 3);
    let content = match be16(h + 5) {
        0 => 65_536,
        c => c,
    };
    let pointers_end = h + header + 2 * cells;
    if pointers_end > content || content > body.len() {
        return whole(h..body.len());
    }
    let mut ranges = whole(pointers_end..content);
    let mut block = be16(h + 1);
    let mut seen = 0;
    while block != 0 {
        if block < content || block + 4 > body.len() || seen > body.len() / 4 {
            return whole(h..body.len());
        }
        let size = be16(block + 2);
        let end = (block + size).min(body.len());
        ranges.push(block + 4..end.max(block + 4));
        block = be16(block);
        seen += 1;
    }
    ranges
}

/// Reads the next page into `page` (one page's length): false at the end of the file.
fn read_page(reader: &mut impl Read, page: &mut [u8]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < page.len() {
        let n = reader.read(&mut page[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    match filled {
        0 => Ok(false),
        n if n == page.len() => Ok(true),
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
/// digits and X), and the digits of numbers found in free text. Every window of a run of such characters is
/// looked up in a set, so the cost does not grow with the number of canaries. The set hashes with FxHash, not
/// SipHash: every live row of the case is searched (tens of millions of lookups on a million-row case), and the
/// values are the case's own, not an attacker's.
///
/// A value is kept packed, four bits a character ([`pack`]), in a `u128`: as bytes each took its own heap
/// allocation (~60 bytes a value in the set, ~20 packed) and a five-million-row case's destruction holds
/// millions of them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Canaries {
    packed: rustc_hash::FxHashSet<u128>,
    /// Values longer than [`PACKED_MAX`] characters (no phone, ID or card number is), as bytes.
    long: rustc_hash::FxHashSet<Vec<u8>>,
    lengths: Vec<usize>,
}

/// The longest value [`pack`] takes: 32 characters of four bits.
const PACKED_MAX: usize = 32;

/// A character of a value in four bits: 0–9 as 1–10, X as 11, x as 12. No character packs to 0, so values of
/// different lengths never pack alike.
fn nibble(b: u8) -> u128 {
    match b {
        b'0'..=b'9' => u128::from(b - b'0') + 1,
        b'X' => 11,
        _ => 12,
    }
}

/// A value of at most [`PACKED_MAX`] value bytes ([`is_value_byte`]), packed.
fn pack(v: &[u8]) -> u128 {
    v.iter().fold(0, |key, b| (key << 4) | nibble(*b))
}

impl Canaries {
    /// Adds a value if it has the shape of a normalised phone or ID number (anything else is not a canary).
    pub(crate) fn add(&mut self, value: &str) {
        let v = value.trim().as_bytes();
        if v.len() >= 6 && v.iter().all(|b| is_value_byte(*b)) {
            if !self.lengths.contains(&v.len()) {
                self.lengths.push(v.len());
            }
            if v.len() <= PACKED_MAX {
                self.packed.insert(pack(v));
            } else {
                self.long.insert(v.to_vec());
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.packed.len() + self.long.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds to `found` every canary that occurs in `bytes`.
    pub(crate) fn find_in(&self, bytes: &[u8], found: &mut HashSet<Vec<u8>>) {
        if self.is_empty() {
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
                let mut hit = |w: &[u8]| {
                    if !found.contains(w) {
                        found.insert(w.to_vec());
                    }
                };
                if len > PACKED_MAX {
                    for w in run.windows(len) {
                        if self.long.contains(w) {
                            hit(w);
                        }
                    }
                    continue;
                }
                // The window's key rolls along the run: one character in, the oldest masked out.
                let mask = if len == PACKED_MAX {
                    u128::MAX
                } else {
                    (1u128 << (4 * len)) - 1
                };
                let mut key = 0u128;
                for (end, b) in run.iter().enumerate() {
                    key = ((key << 4) | nibble(*b)) & mask;
                    if end + 1 >= len && self.packed.contains(&key) {
                        hit(&run[end + 1 - len..=end]);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A leaf table page laid out by hand: two cells at its end, a freed block between them, the gap after
    /// the cell pointers. Only the gap and the freed block (past its 4-byte header) are searched.
    #[test]
    fn only_the_bytes_no_cell_holds_are_searched() {
        let mut page = vec![0u8; 4048];
        page[0] = 13; // leaf table b-tree page
        page[1..3].copy_from_slice(&3000u16.to_be_bytes()); // first freeblock
        page[3..5].copy_from_slice(&2u16.to_be_bytes()); // two cells
        page[5..7].copy_from_slice(&2000u16.to_be_bytes()); // cell content area
        page[8..10].copy_from_slice(&2000u16.to_be_bytes());
        page[10..12].copy_from_slice(&3500u16.to_be_bytes());
        page[100..111].copy_from_slice(b"13800000001"); // in the gap: a leftover
        page[2010..2021].copy_from_slice(b"13800000002"); // inside a cell: a live row
        page[3002..3004].copy_from_slice(&100u16.to_be_bytes()); // freeblock of 100 bytes, no next
        page[3010..3021].copy_from_slice(b"13800000003"); // inside the freed block: a leftover
        page[3600..3611].copy_from_slice(b"13800000004"); // inside a cell
        let mut c = Canaries::default();
        for v in ["13800000001", "13800000002", "13800000003", "13800000004"] {
            c.add(v);
        }
        let mut found = HashSet::new();
        for range in unallocated(&page, 2) {
            c.find_in(&page[range], &mut found);
        }
        let mut found: Vec<String> = found
            .into_iter()
            .map(|v| String::from_utf8(v).unwrap())
            .collect();
        found.sort();
        assert_eq!(found, ["13800000001", "13800000003"]);
        // An overflow page (first bytes: the next page's number) has no such bytes: it belongs to a live row.
        let mut overflow = vec![0u8; 4048];
        overflow[3] = 7;
        assert!(unallocated(&overflow, 9).is_empty());
        // A header that does not hold together: the whole page is searched.
        page[3..5].copy_from_slice(&2000u16.to_be_bytes());
        assert_eq!(unallocated(&page, 2), whole(0..4048));
    }

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

    /// The packed set finds exactly what a set of the values as bytes finds, in runs of any length.
    #[test]
    fn packed_canaries_find_what_the_values_as_bytes_find() {
        use proptest::prelude::*;
        let value = "[0-9Xx]{6,40}";
        proptest!(ProptestConfig::with_cases(300), |(
            values in proptest::collection::vec(value, 1..8),
            text in proptest::collection::vec(prop_oneof![value, "[a-z ]{0,3}"], 0..12),
            picks in proptest::collection::vec(0usize..8, 0..4),
        )| {
            let mut c = Canaries::default();
            for v in &values {
                c.add(v);
            }
            // Some canaries inside the text, among other runs.
            let mut text = text.concat();
            for p in &picks {
                text.push_str(&values[p % values.len()]);
                text.push(' ');
            }
            let mut found = HashSet::new();
            c.find_in(text.as_bytes(), &mut found);
            let mut expected = HashSet::new();
            let bytes = text.as_bytes();
            for v in &values {
                let v = v.as_bytes();
                if bytes.windows(v.len()).enumerate().any(|(i, w)| {
                    // A whole window of one run of value characters (as `find_in` reads runs).
                    w == v && (i..i + v.len()).all(|j| is_value_byte(bytes[j]))
                }) {
                    expected.insert(v.to_vec());
                }
            }
            prop_assert_eq!(found, expected);
        });
    }
}
