//! Writing a package: parts → tar → age → a temporary file beside the target → rename.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

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
        let (sha256, size, manifest) = {
            // The parts are read from the case on this thread while another derives the package's key from
            // the passphrase (scrypt: 128 MiB and most of a second), then encrypts, hashes and writes what
            // this one hands it. At most `IN_FLIGHT` chunks wait between them, so memory stays bounded.
            let (chunks, received) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
            let file = &mut *file;
            std::thread::scope(|s| {
                let encrypting = s.spawn(move || -> io::Result<(String, u64)> {
                    let mut encrypted = encryptor(passphrase, WORK_FACTOR)?
                        .wrap_output(HashingWriter::new(file))?;
                    for chunk in received {
                        encrypted.write_all(&chunk)?;
                    }
                    Ok(encrypted.finish()?.finish())
                });
                let sink = TarSink {
                    builder: tar::Builder::new(io::BufWriter::with_capacity(
                        CHUNK,
                        ToEncrypting(chunks),
                    )),
                    parts: Vec::new(),
                };
                // The sink is moved in, so that it (and the sender) is gone when this returns, however it
                // returns: the other thread then sees the end of the chunks.
                let filled =
                    (|mut sink: TarSink<io::BufWriter<ToEncrypting>>| -> io::Result<Manifest> {
                        let mut manifest = match fill(&mut sink) {
                            Ok(m) => m,
                            Err(e) => {
                                failure = Some(e);
                                return Err(io::Error::other("export failed"));
                            }
                        };
                        manifest.parts = std::mem::take(&mut sink.parts);
                        let bytes =
                            serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
                        append(&mut sink.builder, MANIFEST_NAME, &bytes)?;
                        sink.builder
                            .into_inner()?
                            .into_inner()
                            .map_err(|e| e.into_error())?;
                        Ok(manifest)
                    })(sink);
                // Whatever happened here, the sender is gone now and the other thread ends; its error (a full
                // disk) is the one to tell, not the "stopped" this side saw.
                let encrypted = encrypting
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("encrypting the package stopped")));
                let (sha256, size) = encrypted?;
                Ok::<_, io::Error>((sha256, size, filled?))
            })?
        };
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

/// Chunks waiting between the thread that reads the case and the one that encrypts (1 MiB each).
const IN_FLIGHT: usize = 16;
const CHUNK: usize = 1 << 20;

/// Hands each buffer written to it to the encrypting thread (behind a `BufWriter` of [`CHUNK`] bytes, so in
/// chunks of at most that).
struct ToEncrypting(mpsc::SyncSender<Vec<u8>>);

impl Write for ToEncrypting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| io::Error::other("the package could not be written"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An age encryptor to `passphrase` with scrypt at `work_factor` (log2 N).
pub(crate) fn encryptor(passphrase: &str, work_factor: u8) -> io::Result<age::Encryptor> {
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(work_factor);
    age::Encryptor::with_recipients(std::iter::once(&recipient as _))
        .map_err(|e| io::Error::other(format!("age: {e}")))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A failure while the parts are read ends the encrypting thread too (no wait for chunks that never come),
    /// reports that failure, and leaves no file: even after more than the chunks in flight were handed over.
    #[test]
    fn a_failed_fill_ends_both_threads_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.hopkg");
        let recorded = std::cell::Cell::new(false);
        let result = write(
            &out,
            "1234-5678-9012-3456",
            |sink| {
                let big = vec![7u8; (IN_FLIGHT + 4) * CHUNK];
                sink.part("records.jsonl", 1, &big)?;
                Err(Error::Internal("the case could not be read".into()))
            },
            |_, _, _| {
                recorded.set(true);
                Ok(())
            },
        );
        match result {
            Err(Error::Internal(m)) => assert_eq!(m, "the case could not be read"),
            other => panic!("expected the fill's error, got {other:?}"),
        }
        assert!(
            !recorded.get(),
            "nothing is recorded for a package that failed"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(
            left.is_empty(),
            "no package and no temporary file: {left:?}"
        );
    }
}
