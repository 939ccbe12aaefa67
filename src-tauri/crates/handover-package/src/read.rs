//! Reading a package: [`verify`] (decrypt to the end, check the manifest against every part), then
//! [`Replay`] (the parts again, for the core, re-checked as they stream).

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use age::secrecy::SecretString;
use handover_core::transfer::{
    Manifest, PackageError, PartKind, PartSource, VerifiedPackage, FORMAT, FORMAT_VERSION,
    MANIFEST_NAME,
};
use handover_core::{Error, Result};
use sha2::{Digest, Sha256};

use crate::{MAX_EVIDENCE_BYTES, MAX_MANIFEST_BYTES, MAX_WORK_FACTOR};

const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// What one pass saw of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    size: u64,
    rows: u64,
    sha256: String,
}

/// Decrypts the whole package and checks it; nothing of it is trusted before this returns `Ok`.
pub fn verify(path: &Path, passphrase: &str) -> Result<VerifiedPackage> {
    let mut seen: Vec<(String, Seen)> = Vec::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let (sha256, size) = walk(path, passphrase, |name, entry| {
        if seen.iter().any(|(n, _)| n == name)
            || (name == MANIFEST_NAME && manifest_bytes.is_some())
        {
            return Err(PackageError::ExtraPart { part: name.into() }.into());
        }
        if name == MANIFEST_NAME {
            let mut bytes = Vec::new();
            entry
                .take(MAX_MANIFEST_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(read_error)?;
            if bytes.len() as u64 > MAX_MANIFEST_BYTES {
                return Err(PackageError::NotAPackage.into());
            }
            manifest_bytes = Some(bytes);
        } else {
            seen.push((name.to_string(), measure(entry)?));
        }
        Ok(())
    })?;
    let Some(bytes) = manifest_bytes else {
        return Err(PackageError::MissingPart {
            part: MANIFEST_NAME.into(),
        }
        .into());
    };
    let manifest = parse_manifest(&bytes)?;
    check_parts(&manifest, &seen)?;
    Ok(VerifiedPackage {
        manifest,
        sha256,
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size,
    })
}

fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    // The format and version first, so a newer package is told apart from a broken one.
    #[derive(serde::Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head =
        serde_json::from_slice(bytes).map_err(|_| Error::from(PackageError::NotAPackage))?;
    if head.format != FORMAT {
        return Err(PackageError::NotAPackage.into());
    }
    if head.version > FORMAT_VERSION {
        return Err(PackageError::NewerFormat {
            found: head.version,
            known: FORMAT_VERSION,
        }
        .into());
    }
    serde_json::from_slice(bytes).map_err(|_| PackageError::NotAPackage.into())
}

fn check_parts(manifest: &Manifest, seen: &[(String, Seen)]) -> Result<()> {
    let listed: HashMap<&str, &handover_core::transfer::PartEntry> = manifest
        .parts
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    if listed.len() != manifest.parts.len() {
        return Err(PackageError::NotAPackage.into());
    }
    for (name, _) in seen {
        if !listed.contains_key(name.as_str()) || PartKind::of(name).is_none() {
            return Err(PackageError::ExtraPart { part: name.clone() }.into());
        }
    }
    // The parts in the manifest's order, so the replay meets them as the core expects.
    if seen.len() != manifest.parts.len() {
        for p in &manifest.parts {
            if !seen.iter().any(|(n, _)| n == &p.name) {
                return Err(PackageError::MissingPart {
                    part: p.name.clone(),
                }
                .into());
            }
        }
    }
    for (p, (name, s)) in manifest.parts.iter().zip(seen) {
        if &p.name != name {
            return Err(PackageError::PartMismatch { part: name.clone() }.into());
        }
        let rows_ok = match PartKind::of(name) {
            Some(PartKind::Evidence) => p.rows == 1,
            _ => p.rows == s.rows,
        };
        if p.size != s.size || p.sha256 != s.sha256 || !rows_ok {
            return Err(PackageError::PartMismatch { part: name.clone() }.into());
        }
        if matches!(PartKind::of(name), Some(PartKind::Evidence)) && s.size > MAX_EVIDENCE_BYTES {
            return Err(PackageError::PartMismatch { part: name.clone() }.into());
        }
    }
    Ok(())
}

/// Size, lines and SHA-256 of a part, streaming.
fn measure(entry: &mut dyn Read) -> Result<Seen> {
    let mut hash = Sha256::new();
    let mut size = 0u64;
    let mut rows = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = entry.read(&mut buf).map_err(read_error)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        size += n as u64;
        rows += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    Ok(Seen {
        size,
        rows,
        sha256: hex::encode(hash.finalize()),
    })
}

/// An error while reading decrypted bytes: only a failed authentication can cause one (a cut, changed or
/// lengthened file), or the disk.
fn read_error(e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => PackageError::Damaged.into(),
        _ => Error::Internal(format!("reading the package: {e}")),
    }
}

/// Decrypts `path` to its end, calling `visit` for each entry of the tar with its checked plain name; returns
/// the SHA-256 and size of the whole file. Every way the file can be wrong ends in a [`PackageError`].
fn walk(
    path: &Path,
    passphrase: &str,
    mut visit: impl FnMut(&str, &mut dyn Read) -> Result<()>,
) -> Result<(String, u64)> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::FileNotFound(path.to_path_buf()),
        _ => Error::io(path, e),
    })?;
    if !meta.is_file() {
        return Err(PackageError::NotAPackage.into());
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let hashed = Rc::new(HashState::default());
    let mut raw = BufReader::new(HashingReader {
        inner: file,
        state: hashed.clone(),
    });
    // Not an age file at all: not a package.
    let starts = raw.fill_buf().map_err(|e| Error::io(path, e))?;
    let is_age = starts.starts_with(AGE_MAGIC);
    if !is_age {
        return Err(PackageError::NotAPackage.into());
    }
    let decryptor = age::Decryptor::new_buffered(&mut raw).map_err(decrypt_error)?;
    if !decryptor.is_scrypt() {
        return Err(PackageError::NotAPackage.into());
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let stream = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(decrypt_error)?;
    let failed = Rc::new(Cell::new(false));
    let mut plain = Watch {
        inner: stream,
        failed: failed.clone(),
    };
    {
        let mut archive = tar::Archive::new(&mut plain);
        let entries = archive.entries().map_err(|e| tar_error(e, &failed))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| tar_error(e, &failed))?;
            let name = checked_name(&entry)?;
            visit(&name, &mut entry)?;
            // Whatever the visitor left unread is still read (and authenticated).
            io::copy(&mut entry, &mut io::sink()).map_err(|e| tar_error(e, &failed))?;
        }
    }
    // The tar's end is not the file's end: read on to the last chunk, which age authenticates as the last.
    io::copy(&mut plain, &mut io::sink()).map_err(read_error)?;
    drop(plain);
    // Anything after age's last chunk (age stops there) is not part of a package.
    let mut rest = [0u8; 1];
    if raw.read(&mut rest).map_err(|e| Error::io(path, e))? != 0 {
        return Err(PackageError::Damaged.into());
    }
    drop(raw);
    Ok(hashed.finish())
}

/// An error opening the age header. The passphrase unwraps the file key there, so a key that does not
/// decrypt (`DecryptionFailed` at this stage) is a wrong passphrase — or an altered passphrase stanza, which
/// no reader can tell apart; a header altered elsewhere fails its MAC.
fn decrypt_error(e: age::DecryptError) -> Error {
    match e {
        age::DecryptError::NoMatchingKeys
        | age::DecryptError::KeyDecryptionFailed
        | age::DecryptError::DecryptionFailed => PackageError::WrongPassphrase.into(),
        age::DecryptError::UnknownFormat => PackageError::NotAPackage.into(),
        age::DecryptError::Io(e) => read_error(e),
        _ => PackageError::Damaged.into(),
    }
}

/// A tar error: when the decrypting reader failed underneath, the file is damaged; otherwise the
/// authenticated content is not a well-formed package.
fn tar_error(e: io::Error, failed: &Cell<bool>) -> Error {
    if failed.get() {
        PackageError::Damaged.into()
    } else {
        match e.kind() {
            io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof | io::ErrorKind::Other => {
                PackageError::NotAPackage.into()
            }
            _ => Error::Internal(format!("reading the package: {e}")),
        }
    }
}

/// The entry's name if it is a regular file with a plain name (no folder, no `..`, not absolute, no link).
fn checked_name<R: Read>(entry: &tar::Entry<'_, R>) -> Result<String> {
    let raw = entry.path_bytes();
    let shown = String::from_utf8_lossy(&raw).into_owned();
    let unsafe_path = || -> Error {
        PackageError::UnsafePath {
            part: shown.clone(),
        }
        .into()
    };
    if entry.header().entry_type() != tar::EntryType::Regular {
        return Err(unsafe_path());
    }
    let Ok(name) = std::str::from_utf8(&raw) else {
        return Err(unsafe_path());
    };
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if !plain {
        return Err(unsafe_path());
    }
    Ok(name.to_string())
}

/// Notes whether the decrypting reader failed, so a tar error caused by it is reported as damage.
struct Watch<R: Read> {
    inner: R,
    failed: Rc<Cell<bool>>,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).inspect_err(|_| self.failed.set(true))
    }
}

#[derive(Default)]
struct HashState {
    hash: std::cell::RefCell<Sha256>,
    size: Cell<u64>,
}

impl HashState {
    fn finish(&self) -> (String, u64) {
        (
            hex::encode(self.hash.borrow().clone().finalize()),
            self.size.get(),
        )
    }
}

/// Hashes the package file's bytes as they are read.
struct HashingReader {
    inner: File,
    state: Rc<HashState>,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.state.hash.borrow_mut().update(&buf[..n]);
        self.state.size.set(self.state.size.get() + n as u64);
        Ok(n)
    }
}

/// The second pass over a verified package: hands the core each part (in the manifest's order) and checks
/// again that each part and the whole file are what [`verify`] saw.
#[derive(Debug)]
pub struct Replay {
    path: PathBuf,
    passphrase: String,
    verified: VerifiedPackage,
}

impl Replay {
    pub fn new(path: &Path, passphrase: &str, verified: &VerifiedPackage) -> Replay {
        Replay {
            path: path.to_path_buf(),
            passphrase: passphrase.to_string(),
            verified: verified.clone(),
        }
    }
}

impl PartSource for Replay {
    fn replay(&mut self, visit: &mut dyn FnMut(&str, &mut dyn Read) -> Result<()>) -> Result<()> {
        let parts = &self.verified.manifest.parts;
        let mut next = 0usize;
        let changed = || -> Error { PackageError::Changed.into() };
        let (sha256, size) = walk(&self.path, &self.passphrase, |name, entry| {
            if name == MANIFEST_NAME {
                return Ok(());
            }
            let Some(expected) = parts.get(next).filter(|p| p.name == name) else {
                return Err(changed());
            };
            next += 1;
            let mut hashed = PartReader {
                inner: entry,
                hash: Sha256::new(),
                size: 0,
            };
            visit(name, &mut hashed)?;
            io::copy(&mut hashed, &mut io::sink()).map_err(read_error)?;
            if hashed.size != expected.size
                || hex::encode(hashed.hash.finalize()) != expected.sha256
            {
                return Err(changed());
            }
            Ok(())
        })
        .map_err(|e| match e {
            // Damage found now that was not there during the check: the file changed in between.
            Error::Package(PackageError::Damaged) => changed(),
            other => other,
        })?;
        if next != parts.len() || sha256 != self.verified.sha256 || size != self.verified.size {
            return Err(changed());
        }
        Ok(())
    }
}

struct PartReader<'a> {
    inner: &'a mut dyn Read,
    hash: Sha256,
    size: u64,
}

impl Read for PartReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}
