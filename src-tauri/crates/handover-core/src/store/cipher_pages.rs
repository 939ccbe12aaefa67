//! The case file's pages as SQLCipher 4 writes them, read by the app itself: the key derived once, every
//! page's HMAC checked on all cores when the case is opened, and a page decrypted for the destruction's check.
//!
//! The layout: the first 16 bytes of the file are the salt; the key is PBKDF2-HMAC-SHA512(passphrase, salt,
//! 256,000 rounds, 32 bytes); each 4096-byte page is AES-256-CBC encrypted except its reserved tail, which
//! starts with the page's IV followed by its HMAC; page 1's first 16 bytes are the salt instead of "SQLite
//! format 3". The HMAC key is PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 rounds, 32 bytes), and a page's HMAC
//! covers its ciphertext and IV, then its page number (4 bytes, little-endian). The reserved tail is 48 bytes
//! for case files that authenticate pages with HMAC-SHA256 (the app's format since 2026-12-02) and 80 for
//! SQLCipher's default HMAC-SHA512; only the right key with the right IV position decrypts page 1's header to
//! SQLite's fixed values, which tells both.
//!
//! Why not SQLCipher's own `PRAGMA cipher_integrity_check`: it runs on one core, zeroes its buffers a byte
//! at a time and builds an OpenSSL HMAC context per page; on a million-row case it took about 2 s of every
//! opening. Why give SQLCipher the raw key: it would otherwise run the same 256,000 rounds a second time.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub(crate) const PAGE: usize = 4096;
const SALT: usize = 16;
const IV: usize = 16;
const KDF_ROUNDS: u32 = 256_000;
const HMAC_KDF_ROUNDS: u32 = 2;
const HMAC_SALT_MASK: u8 = 0x3a;
/// Reserved bytes per page: IV (16) + HMAC-SHA256 (32), or IV + HMAC-SHA512 (64).
const RESERVES: [usize; 2] = [48, 80];

type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// SQLite never writes the page that holds the lock bytes (the 512 bytes from offset 1 GiB,
/// `PENDING_BYTE`): in a file larger than 1 GiB it stays as the file system left it, so it is neither
/// encrypted nor authenticated (SQLCipher's own check skips it too). With 4 KiB pages, page 262,145.
const LOCK_BYTE_PAGE: u64 = 0x4000_0000 / PAGE as u64 + 1;

/// Whether page `number` holds data SQLite wrote: every page but the lock-byte page.
pub(crate) fn holds_data(number: u64) -> bool {
    number != LOCK_BYTE_PAGE
}

/// The keys of one case file and its page layout.
pub(crate) struct PageKey {
    key: Zeroizing<[u8; 32]>,
    hmac_key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT],
    reserve: usize,
    /// An HMAC of the passphrase the keys were derived from, so that a passphrase typed again (to confirm a
    /// destruction) is checked without deriving the keys again. It tells nothing the keys beside it do not.
    passphrase_tag: [u8; 32],
}

impl std::fmt::Debug for PageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageKey")
            .field("reserve", &self.reserve)
            .finish_non_exhaustive()
    }
}

impl PageKey {
    /// Derives the keys of the case file at `path` and checks them on page 1: [`Error::WrongPassphrase`] if
    /// the passphrase is not the file's (or page 1 is too damaged to tell).
    pub(crate) fn derive(path: &Path, passphrase: &str) -> Result<PageKey> {
        let mut first = [0u8; PAGE];
        File::open(path)
            .and_then(|mut f| f.read_exact(&mut first))
            .map_err(|e| Error::io(path, e))?;
        let mut salt = [0u8; SALT];
        salt.copy_from_slice(&first[..SALT]);
        let mut key = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<Sha512>(passphrase.as_bytes(), &salt, KDF_ROUNDS, &mut *key);
        for reserve in RESERVES {
            let mut page = Zeroizing::new(first);
            if decrypt_page(&key, reserve, 1, &mut page).is_ok() && header_ok(&page, reserve) {
                let mut hmac_salt = salt;
                for b in &mut hmac_salt {
                    *b ^= HMAC_SALT_MASK;
                }
                let mut hmac_key = Zeroizing::new([0u8; 32]);
                pbkdf2::pbkdf2_hmac::<Sha512>(&*key, &hmac_salt, HMAC_KDF_ROUNDS, &mut *hmac_key);
                let passphrase_tag = passphrase_tag(&hmac_key, passphrase)
                    .finalize()
                    .into_bytes()
                    .into();
                return Ok(PageKey {
                    key,
                    hmac_key,
                    salt,
                    reserve,
                    passphrase_tag,
                });
            }
        }
        Err(Error::WrongPassphrase(path.to_path_buf()))
    }

    /// Whether `passphrase` is the one these keys were derived from (compared in constant time).
    pub(crate) fn is_passphrase(&self, passphrase: &str) -> bool {
        passphrase_tag(&self.hmac_key, passphrase)
            .verify_slice(&self.passphrase_tag)
            .is_ok()
    }

    /// True when the file authenticates pages with HMAC-SHA256 (the app's format since 2026-12-02).
    pub(crate) fn sha256_pages(&self) -> bool {
        self.reserve == 48
    }

    /// The bytes of a page that hold data (the rest is the cipher's reserved tail).
    pub(crate) fn usable(&self) -> usize {
        PAGE - self.reserve
    }

    /// `PRAGMA key` with the derived key and the salt, in SQLCipher's raw-key form, so SQLCipher does not
    /// derive it again. Built in memory that is wiped when dropped.
    pub(crate) fn raw_key_statement(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "PRAGMA key = \"x'{}{}'\"",
            hex::encode(self.key.as_slice()),
            hex::encode(self.salt)
        ))
    }

    /// The derived key and the salt as SQLCipher's raw-key literal (`x'…'`), for `ATTACH … KEY`: a file
    /// attached with it is keyed exactly like the case, salt included.
    pub(crate) fn raw_key_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "x'{}{}'",
            hex::encode(self.key.as_slice()),
            hex::encode(self.salt)
        ))
    }

    /// Decrypts page `number` (1-based) in place; the reserved tail is left as it was.
    pub(crate) fn decrypt(&self, number: u64, page: &mut [u8; PAGE]) -> Result<()> {
        decrypt_page(&self.key, self.reserve, number, page)
    }

    /// Whether page `number` carries the HMAC its content and number call for.
    fn authentic(&self, number: u64, page: &[u8; PAGE]) -> bool {
        let start = if number == 1 { SALT } else { 0 };
        let covered = &page[start..PAGE - self.reserve + IV];
        let stored = &page[PAGE - self.reserve + IV..];
        let pgno = (number as u32).to_le_bytes();
        if self.sha256_pages() {
            mac_matches::<Hmac<Sha256>>(&*self.hmac_key, covered, &pgno, &stored[..32])
        } else {
            mac_matches::<Hmac<Sha512>>(&*self.hmac_key, covered, &pgno, &stored[..64])
        }
    }
}

fn passphrase_tag(hmac_key: &[u8; 32], passphrase: &str) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(hmac_key).expect("HMAC takes a key of any length");
    mac.update(b"handover passphrase\n");
    mac.update(passphrase.as_bytes());
    mac
}

/// Whether `tag` is the HMAC of `covered` then `pgno` under `key`.
fn mac_matches<M: Mac + hmac::digest::KeyInit>(
    key: &[u8],
    covered: &[u8],
    pgno: &[u8],
    tag: &[u8],
) -> bool {
    let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(covered);
    mac.update(pgno);
    mac.verify_slice(tag).is_ok()
}

fn decrypt_page(key: &[u8; 32], reserve: usize, number: u64, page: &mut [u8; PAGE]) -> Result<()> {
    let start = if number == 1 { SALT } else { 0 };
    let end = PAGE - reserve;
    let mut iv = [0u8; IV];
    iv.copy_from_slice(&page[end..end + IV]);
    Aes256CbcDec::new(key.into(), &iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut page[start..end])
        .map_err(|_| Error::Internal(format!("page {number} did not decrypt")))?;
    Ok(())
}

/// Page 1's decrypted header: page size 4096 (big-endian at 16), SQLite's reserved size at 20 (at least the
/// cipher's: a file keyed before its HMAC was switched to SHA-256 keeps SQLite's 80 while the cipher uses 48),
/// and SQLite's fixed payload fractions 64/32/32 at 21..24. A wrong key or a wrong IV position garbles the
/// first block, so this holds only for the right ones.
fn header_ok(page: &[u8; PAGE], reserve: usize) -> bool {
    page[16..18] == [0x10, 0x00] && usize::from(page[20]) >= reserve && page[21..24] == [64, 32, 32]
}

/// Checks every page's HMAC, on all cores, and that the file is as long as its header says. Any change to
/// a page from outside — a flipped bit, a cut-off copy, an edit without the key — fails it. Returns the
/// number of pages, or [`Error::Corrupted`] naming the first bad page.
pub(crate) fn verify_pages(path: &Path, key: &PageKey) -> Result<u64> {
    verify_pages_reporting(path, key, &mut |_, _| {})
}

/// [`verify_pages`], telling `on_progress` the pages checked so far and the total about ten times a second
/// (a five-million-row case has 400,000 pages: a couple of seconds the owner should see moving).
pub(crate) fn verify_pages_reporting(
    path: &Path,
    key: &PageKey,
    on_progress: &mut dyn FnMut(u64, u64),
) -> Result<u64> {
    let corrupted = |detail: String| Error::Corrupted(path.to_path_buf(), detail);
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if len % PAGE as u64 != 0 {
        return Err(corrupted(
            "the file was cut off (its length is not a whole number of pages)".into(),
        ));
    }
    let pages = len / PAGE as u64;
    // The database size in page 1's header (big-endian at 28), valid when the "version valid for" number
    // at 92 equals the change counter at 24 (every SQLite since 3.7.0 keeps them equal).
    let mut first = Zeroizing::new([0u8; PAGE]);
    read_page_at(path, 1, &mut first).map_err(|e| Error::io(path, e))?;
    key.decrypt(1, &mut first)?;
    let in_header = u32::from_be_bytes([first[28], first[29], first[30], first[31]]) as u64;
    if first[92..96] == first[24..28] && in_header > pages {
        return Err(corrupted(format!(
            "the file was cut off: {pages} of its {in_header} pages are there"
        )));
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get() as u64)
        .unwrap_or(1)
        .clamp(1, 8);
    let per_thread = pages.div_ceil(threads).max(1);
    let checked = AtomicU64::new(0);
    on_progress(0, pages);
    let bad: Vec<Result<Option<u64>>> = std::thread::scope(|s| {
        let checked = &checked;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let first = t * per_thread + 1;
                let last = ((t + 1) * per_thread).min(pages);
                s.spawn(move || first_bad_page(path, key, first, last, checked))
            })
            .collect();
        // Looked at often, reported about ten times a second: a 100 ms sleep between looks added up to a tenth
        // of a second to the opening of every small case, whose check takes a millisecond.
        let mut reported = std::time::Instant::now();
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(std::time::Duration::from_millis(2));
            if reported.elapsed() >= std::time::Duration::from_millis(100) {
                reported = std::time::Instant::now();
                on_progress(checked.load(Ordering::Relaxed).min(pages), pages);
            }
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Internal("a page check stopped".into())))
            })
            .collect()
    });
    let mut first_bad: Option<u64> = None;
    for b in bad {
        if let Some(n) = b? {
            first_bad = Some(first_bad.map_or(n, |f| f.min(n)));
        }
    }
    match first_bad {
        Some(n) => Err(corrupted(format!("page {n} fails its check (HMAC)"))),
        None => {
            on_progress(pages, pages);
            Ok(pages)
        }
    }
}

/// The first page in `first..=last` whose HMAC does not match. A page that fails is read again a few times
/// before it is called bad: another connection's checkpoint may have been writing it at that moment.
fn first_bad_page(
    path: &Path,
    key: &PageKey,
    first: u64,
    last: u64,
    checked: &AtomicU64,
) -> Result<Option<u64>> {
    if first > last {
        return Ok(None);
    }
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    file.seek(SeekFrom::Start((first - 1) * PAGE as u64))
        .map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut page = [0u8; PAGE];
    for number in first..=last {
        reader
            .read_exact(&mut page)
            .map_err(|e| Error::io(path, e))?;
        // Counted in steps, so the threads do not contend for one counter on every page.
        if number % 1024 == 0 {
            checked.fetch_add(1024, Ordering::Relaxed);
        }
        if !holds_data(number) || key.authentic(number, &page) {
            continue;
        }
        let mut again = [0u8; PAGE];
        let mut settled = false;
        for _ in 0..3 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            read_page_at(path, number, &mut again).map_err(|e| Error::io(path, e))?;
            if key.authentic(number, &again) {
                settled = true;
                break;
            }
        }
        if !settled {
            return Ok(Some(number));
        }
    }
    Ok(None)
}

/// Reads page `number` (1-based) of the file at `path`, as it is on disk.
pub(crate) fn read_page_at(path: &Path, number: u64, page: &mut [u8; PAGE]) -> std::io::Result<()> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start((number - 1) * PAGE as u64))?;
    f.read_exact(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case file over 1 GiB (a five-million-row import) failed its opening at page 262,145 until the
    /// lock-byte page was left out of the check.
    #[test]
    fn the_lock_byte_page_is_the_one_page_without_data() {
        assert_eq!(LOCK_BYTE_PAGE, 262_145);
        assert!(!holds_data(262_145));
        assert!(holds_data(1) && holds_data(262_144) && holds_data(262_146));
    }
}
