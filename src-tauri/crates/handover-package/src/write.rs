//! Writing a package: parts → tar → age → a temporary file beside the target → rename.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use handover_core::transfer::{Manifest, PartEntry, PartSink, MANIFEST_NAME};
use handover_core::{Error, Result};
use sha2::{Digest, Sha256};

use crate::WORK_FACTOR;

/// A finished package.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    /// SHA-256 of the whole file (lowercase hex).
    pub sha256: String,
    pub size: u64,
    pub manifest: Manifest,
}

/// Writes a package to `out`: `fill` hands every part to the sink (in package order) and returns the
/// manifest without its parts; the parts' sizes, rows and hashes are filled in here and the manifest is
/// written last. The file appears under `out` only when complete; `out` must not exist.
///
/// `record` is called with the finished package's manifest, SHA-256 and size *before* the file is moved to
/// `out` (the seller's audit entry): a kill in between leaves an audited export whose file never appeared,
/// never a package that left without its entry. If `record` fails, no package appears.
pub fn write(
    out: &Path,
    passphrase: &str,
    fill: impl FnOnce(&mut dyn PartSink) -> Result<Manifest>,
    record: impl FnOnce(&Manifest, &str, u64) -> Result<()>,
) -> Result<Written> {
    if out.exists() {
        return Err(Error::FileExists(out.to_path_buf()));
    }
    let mut failure: Option<Error> = None;
    let result = handover_core::output::write_atomic(out, |file| {
        let written = {
            let hashed = HashingWriter::new(&mut *file);
            let mut recipient =
                age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
            recipient.set_work_factor(WORK_FACTOR);
            let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
                .map_err(|e| io::Error::other(format!("age: {e}")))?;
            let encrypted = encryptor.wrap_output(hashed)?;
            let mut sink = TarSink {
                builder: tar::Builder::new(encrypted),
                parts: Vec::new(),
            };
            let mut manifest = match fill(&mut sink) {
                Ok(m) => m,
                Err(e) => {
                    failure = Some(e);
                    return Err(io::Error::other("export failed"));
                }
            };
            manifest.parts = std::mem::take(&mut sink.parts);
            let bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
            append(&mut sink.builder, MANIFEST_NAME, &bytes)?;
            let encrypted = sink.builder.into_inner()?;
            let hashed = encrypted.finish()?;
            let (sha256, size) = hashed.finish();
            (manifest, sha256, size)
        };
        let (manifest, sha256, size) = written;
        // On disk before the entry is committed, and the entry committed before the rename.
        file.flush()?;
        file.get_ref().sync_all()?;
        if let Err(e) = record(&manifest, &sha256, size) {
            failure = Some(e);
            return Err(io::Error::other("recording the export failed"));
        }
        Ok((manifest, sha256, size))
    });
    match (result, failure) {
        (Ok((manifest, sha256, size)), _) => Ok(Written {
            path: out.to_path_buf(),
            sha256,
            size,
            manifest,
        }),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(Error::io(out, e)),
    }
}

struct TarSink<W: Write> {
    builder: tar::Builder<W>,
    parts: Vec<PartEntry>,
}

impl<W: Write> PartSink for TarSink<W> {
    fn part(&mut self, name: &str, rows: u64, bytes: &[u8]) -> Result<()> {
        append(&mut self.builder, name, bytes).map_err(|e| Error::Internal(format!("{e}")))?;
        self.parts.push(PartEntry {
            name: name.to_string(),
            size: bytes.len() as u64,
            rows,
            sha256: hex::encode(Sha256::digest(bytes)),
        });
        Ok(())
    }
}

/// One regular file entry: a plain name, owner-only mode, no owner names, time 0 (the manifest carries the
/// time), so the container says nothing the manifest does not.
pub(crate) fn append<W: Write>(
    builder: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
) -> io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    builder.append_data(&mut header, name, bytes)
}

/// Counts and hashes what passes through to the file.
pub(crate) struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(crate) fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hash: Sha256::new(),
            size: 0,
        }
    }

    pub(crate) fn finish(self) -> (String, u64) {
        (hex::encode(self.hash.finalize()), self.size)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
