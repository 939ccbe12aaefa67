//! One pass over the file: every byte the readers take is hashed as it is taken, so the hash a case records
//! is the hash of exactly what was read; and at the end of the read the file's size and modification time
//! are compared with what they were when it was opened, so a file that changed while being read is refused
//! ([`ReadError::ChangedWhileReading`]) instead of being recorded under a hash of something else.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::error::ReadError;

/// What was read: the SHA-256 of the bytes (hex) and how many there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: String,
    pub size: u64,
}

/// The digest of a finished read, shared with whoever started it (set once the last row has been read and
/// the file was found unchanged).
pub type DigestHandle = Arc<OnceLock<FileDigest>>;

struct State {
    file: File,
    sha: Sha256,
    bytes: u64,
}

/// The file, read once from its start: a reader that hashes what it hands out. Clones share the file and
/// the hash (the workbook reader hands the bytes to a child process from a thread of its own).
#[derive(Clone)]
pub(crate) struct HashingFile {
    state: Arc<Mutex<State>>,
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl std::fmt::Debug for HashingFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashingFile")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

fn poisoned() -> io::Error {
    io::Error::other("the file reader failed on another thread")
}

impl HashingFile {
    /// Wraps `file` (opened from `path`, at its start), noting its size and modification time.
    pub(crate) fn new(file: File, path: &Path) -> Result<HashingFile, ReadError> {
        let meta = file.metadata().map_err(ReadError::io)?;
        Ok(HashingFile {
            state: Arc::new(Mutex::new(State {
                file,
                sha: Sha256::new(),
                bytes: 0,
            })),
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// The size of the file when it was opened.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Hashes what is left of the file (bytes a reader chose not to take, such as UTF-16's odd last byte),
    /// then checks that the file is as it was when opened: same size, same modification time, and as many
    /// bytes read as it had.
    pub(crate) fn finish(&self) -> Result<FileDigest, ReadError> {
        let mut state = self.state.lock().map_err(|_| ReadError::io(poisoned()))?;
        let mut buf = vec![0u8; 64 << 10];
        loop {
            let n = state.file.read(&mut buf).map_err(ReadError::io)?;
            if n == 0 {
                break;
            }
            state.sha.update(&buf[..n]);
            state.bytes += n as u64;
        }
        let digest = FileDigest {
            sha256: hex::encode(state.sha.clone().finalize()),
            size: state.bytes,
        };
        let now = std::fs::metadata(&self.path).map_err(ReadError::io)?;
        if digest.size != self.len || now.len() != self.len || now.modified().ok() != self.modified
        {
            return Err(ReadError::ChangedWhileReading);
        }
        Ok(digest)
    }
}

impl Read for HashingFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut state = self.state.lock().map_err(|_| poisoned())?;
        let n = state.file.read(buf)?;
        state.sha.update(&buf[..n]);
        state.bytes += n as u64;
        Ok(n)
    }
}
