//! The case file's pages as SQLCipher 4 writes them, read by the app itself: the key derived once, every
//! page's HMAC checked on all cores when the case is opened, and a page decrypted for the destruction's check.
//!
//! The layout: the first 16 bytes of the file are the salt; the key is PBKDF2-HMAC-SHA512(passphrase, salt,
//! 256,000 rounds, 32 bytes); each page is AES-256-CBC encrypted except its reserved tail, which starts with
//! the page's IV followed by its HMAC; page 1's first 16 bytes are the salt instead of "SQLite format 3". The
//! HMAC key is PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 rounds, 32 bytes), and a page's HMAC covers its
//! ciphertext and IV, then its page number (4 bytes, little-endian). The reserved tail is 48 bytes for case
//! files that authenticate pages with HMAC-SHA256 (the app's format since 2026-12-02) and 80 for SQLCipher's
//! default HMAC-SHA512. Pages are 16 KiB in files created since 2026-12-07, 4 KiB before (see
//! [`CipherFormat`]). Only the right key with the right page size and IV position decrypts page 1's header to
//! SQLite's fixed values, which tells all of them.
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

const SALT: usize = 16;
const IV: usize = 16;
const KDF_ROUNDS: u32 = 256_000;
const HMAC_KDF_ROUNDS: u32 = 2;
const HMAC_SALT_MASK: u8 = 0x3a;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// How a case file's pages are laid out: their size and the MAC that authenticates them. A copy of a case
/// (a backup, the destruction's rebuilt file) is written in the case's own format, so the keys derived for
/// the case read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CipherFormat {
    pub(crate) page_size: usize,
    pub(crate) sha256_pages: bool,
}

impl CipherFormat {
    /// The format of new case files. 16 KiB pages: an import of a million rows writes a quarter as many pages,
    /// each encrypted, authenticated, given a fresh IV and handed to the kernel once, and its b-trees split
    /// a quarter as often — 11 % off the import's time (docs/benchmarks.md, session 21). HMAC-SHA256: this
    /// CPU generation computes it in hardware (SHA-NI), more than twice as fast as SQLCipher's default.
    pub(crate) const NEW: CipherFormat = CipherFormat {
        page_size: 16_384,
        sha256_pages: true,
    };

    /// Every format a case file may be in, newest first: 16 KiB pages since 2026-12-07, 4 KiB before;
    /// HMAC-SHA256 since 2026-12-02, SQLCipher's default HMAC-SHA512 before.
    const KNOWN: [CipherFormat; 4] = [
        CipherFormat::NEW,
        CipherFormat {
            page_size: 4096,
            sha256_pages: true,
        },
        CipherFormat {
            page_size: 4096,
            sha256_pages: false,
        },
        CipherFormat {
            page_size: 16_384,
            sha256_pages: false,
        },
    ];

    /// Reserved bytes per page: IV (16) + HMAC-SHA256 (32), or IV + HMAC-SHA512 (64).
    fn reserve(self) -> usize {
        if self.sha256_pages {
            48
        } else {
            80
        }
    }

    /// The statements that give `schema` (`main`, or an attached database) this format. They must follow
    /// its key, before its first page is read or written.
    pub(crate) fn pragmas(self, schema: &str) -> String {
        let mac = if self.sha256_pages {
            "HMAC_SHA256"
        } else {
            "HMAC_SHA512"
        };
        format!(
            "PRAGMA {schema}.cipher_page_size = {}; PRAGMA {schema}.cipher_hmac_algorithm = {mac};",
            self.page_size
        )
    }

    /// Whether page `number` holds data SQLite wrote: every page but the lock-byte page. SQLite never writes
    /// the page that holds the lock bytes (the 512 bytes from offset 1 GiB, `PENDING_BYTE`): in a file larger
    /// than 1 GiB it stays as the file system left it, so it is neither encrypted nor authenticated
    /// (SQLCipher's own check skips it too) — page 262,145 with 4 KiB pages, 65,537 with 16 KiB ones.
    pub(crate) fn holds_data(self, number: u64) -> bool {
        number != 0x4000_0000 / self.page_size as u64 + 1
    }
}

/// The keys of one case file and its page layout.
pub(crate) struct PageKey {
    key: Zeroizing<[u8; 32]>,
    hmac_key: Zeroizing<[u8; 32]>,
    salt: [u8; SALT],
    format: CipherFormat,
    /// An HMAC of the passphrase the keys were derived from, so that a passphrase typed again (to confirm a
    /// destruction) is checked without deriving the keys again. It tells nothing the keys beside it do not.
    passphrase_tag: [u8; 32],
}

impl std::fmt::Debug for PageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageKey")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl PageKey {
    /// Derives the keys of the case file at `path` and checks them on page 1: [`Error::WrongPassphrase`] if
    /// the passphrase is not the file's (or page 1 is too damaged to tell).
    pub(crate) fn derive(path: &Path, passphrase: &str) -> Result<PageKey> {
        // Page 1 of the largest size; a file of smaller pages may be shorter than that.
        let mut first = Vec::with_capacity(CipherFormat::NEW.page_size);
        File::open(path)
            .and_then(|f| {
                f.take(CipherFormat::NEW.page_size as u64)
                    .read_to_end(&mut first)
            })
            .map_err(|e| Error::io(path, e))?;
        if first.len() < SALT {
            return Err(Error::WrongPassphrase(path.to_path_buf()));
        }
        let mut salt = [0u8; SALT];
        salt.copy_from_slice(&first[..SALT]);
        let mut key = Zeroizing::new([0u8; 32]);
        pbkdf2::pbkdf2_hmac::<Sha512>(passphrase.as_bytes(), &salt, KDF_ROUNDS, &mut *key);
        for format in CipherFormat::KNOWN {
            let Some(bytes) = first.get(..format.page_size) else {
                continue;
            };
            let mut page = Zeroizing::new(bytes.to_vec());
            if decrypt_page(&key, format, 1, &mut page).is_ok() && header_ok(&page, format) {
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
                    format,
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

    /// The file's page size and page MAC.
    pub(crate) fn format(&self) -> CipherFormat {
        self.format
    }

    /// The size of the file's pages, in bytes.
    pub(crate) fn page_size(&self) -> usize {
        self.format.page_size
    }

    /// The bytes of a page that hold data (the rest is the cipher's reserved tail).
    pub(crate) fn usable(&self) -> usize {
        self.format.page_size - self.format.reserve()
    }

    /// Whether page `number` holds data SQLite wrote (see [`CipherFormat::holds_data`]).
    pub(crate) fn holds_data(&self, number: u64) -> bool {
        self.format.holds_data(number)
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

    /// Decrypts page `number` (1-based, [`PageKey::page_size`] bytes) in place; the reserved tail is left as
    /// it was.
    pub(crate) fn decrypt(&self, number: u64, page: &mut [u8]) -> Result<()> {
        decrypt_page(&self.key, self.format, number, page)
    }

    /// Whether page `number` carries the HMAC its content and number call for.
    fn authentic(&self, number: u64, page: &[u8]) -> bool {
        let start = if number == 1 { SALT } else { 0 };
        let tail = self.usable();
        let covered = &page[start..tail + IV];
        let stored = &page[tail + IV..];
        let pgno = (number as u32).to_le_bytes();
        if self.format.sha256_pages {
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

fn decrypt_page(key: &[u8; 32], format: CipherFormat, number: u64, page: &mut [u8]) -> Result<()> {
    if page.len() != format.page_size {
        return Err(Error::Internal(format!(
            "page {number}: {} bytes read, {} expected",
            page.len(),
            format.page_size
        )));
    }
    let start = if number == 1 { SALT } else { 0 };
    let end = format.page_size - format.reserve();
    let mut iv = [0u8; IV];
    iv.copy_from_slice(&page[end..end + IV]);
    Aes256CbcDec::new(key.into(), &iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut page[start..end])
        .map_err(|_| Error::Internal(format!("page {number} did not decrypt")))?;
    Ok(())
}

/// Page 1's decrypted header: the format's page size (big-endian at 16), SQLite's reserved size at 20 (at
/// least the cipher's: a file keyed before its HMAC was switched to SHA-256 keeps SQLite's 80 while the cipher
/// uses 48), and SQLite's fixed payload fractions 64/32/32 at 21..24. A wrong key, page size or IV position
/// garbles the first block, so this holds only for the right ones.
fn header_ok(page: &[u8], format: CipherFormat) -> bool {
    usize::from(u16::from_be_bytes([page[16], page[17]])) == format.page_size
        && usize::from(page[20]) >= format.reserve()
        && page[21..24] == [64, 32, 32]
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
    let page_size = key.page_size() as u64;
    if len % page_size != 0 {
        return Err(corrupted(
            "the file was cut off (its length is not a whole number of pages)".into(),
        ));
    }
    let pages = len / page_size;
    // The database size in page 1's header (big-endian at 28), valid when the "version valid for" number
    // at 92 equals the change counter at 24 (every SQLite since 3.7.0 keeps them equal).
    let mut first = Zeroizing::new(vec![0u8; key.page_size()]);
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
    file.seek(SeekFrom::Start((first - 1) * key.page_size() as u64))
        .map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut page = vec![0u8; key.page_size()];
    for number in first..=last {
        reader
            .read_exact(&mut page)
            .map_err(|e| Error::io(path, e))?;
        // Counted in steps, so the threads do not contend for one counter on every page.
        if number % 1024 == 0 {
            checked.fetch_add(1024, Ordering::Relaxed);
        }
        if !key.holds_data(number) || key.authentic(number, &page) {
            continue;
        }
        let mut again = vec![0u8; key.page_size()];
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

/// Reads page `number` (1-based) of the file at `path`, as it is on disk, into `page` (one page's length).
pub(crate) fn read_page_at(path: &Path, number: u64, page: &mut [u8]) -> std::io::Result<()> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start((number - 1) * page.len() as u64))?;
    f.read_exact(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case file over 1 GiB (a five-million-row import) failed its opening at page 262,145 until the
    /// lock-byte page was left out of the check.
    #[test]
    fn the_lock_byte_page_is_the_one_page_without_data() {
        for (format, lock) in [
            (CipherFormat::KNOWN[1], 262_145),
            (CipherFormat::NEW, 65_537),
        ] {
            assert_eq!(
                lock as usize * format.page_size,
                0x4000_0000 + format.page_size
            );
            assert!(!format.holds_data(lock));
            assert!(
                format.holds_data(1) && format.holds_data(lock - 1) && format.holds_data(lock + 1)
            );
        }
    }

    /// The formats a case file may be in differ, so page 1's header tells them apart.
    #[test]
    fn every_known_format_is_a_different_one() {
        let formats: std::collections::HashSet<_> = CipherFormat::KNOWN
            .iter()
            .map(|f| (f.page_size, f.sha256_pages))
            .collect();
        assert_eq!(formats.len(), CipherFormat::KNOWN.len());
        assert_eq!(CipherFormat::KNOWN[0], CipherFormat::NEW);
    }
}
