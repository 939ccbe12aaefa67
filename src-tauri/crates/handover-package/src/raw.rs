//! The container without the checks, for tests and diagnosis: the entries of a package as they are (after
//! age has authenticated the whole file, but before any manifest check), and a writer of arbitrary entries
//! — names with `..`, links, parts the manifest does not list — to build the packages the reader must
//! refuse. Never import from [`entries`]: [`crate::verify`] is the way in.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use age::secrecy::SecretString;
use handover_core::{Error, Result};

use crate::write::encryptor;
use crate::WORK_FACTOR;

/// One entry of a package's tar: its raw name, whether it is a symbolic link, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub symlink: bool,
    pub data: Vec<u8>,
}

impl RawEntry {
    pub fn file(name: &str, data: Vec<u8>) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            symlink: false,
            data,
        }
    }
}

/// Decrypts the whole package into memory and lists its entries, unchecked.
pub fn entries(path: &Path, passphrase: &str) -> Result<Vec<RawEntry>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(file))
        .map_err(|e| Error::Internal(format!("age: {e}")))?;
    let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    let mut plain = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| Error::Internal(format!("age: {e}")))?
        .read_to_end(&mut plain)
        .map_err(|e| Error::io(path, e))?;
    let mut archive = tar::Archive::new(plain.as_slice());
    let mut out = Vec::new();
    for entry in archive.entries().map_err(|e| Error::io(path, e))? {
        let mut entry = entry.map_err(|e| Error::io(path, e))?;
        let name = entry.path_bytes().into_owned();
        let symlink = entry.header().entry_type() == tar::EntryType::Symlink;
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| Error::io(path, e))?;
        out.push(RawEntry {
            name,
            symlink,
            data,
        });
    }
    Ok(out)
}

/// Writes `entries` as a package (tar in age, the same work factor), names taken byte for byte.
pub fn write_entries(out: &Path, passphrase: &str, entries: &[RawEntry]) -> Result<()> {
    let result = (|| -> io::Result<()> {
        let file = File::create(out)?;
        let encrypted = encryptor(passphrase, WORK_FACTOR)?.wrap_output(file)?;
        let mut builder = tar::Builder::new(encrypted);
        for e in entries {
            append(&mut builder, e)?;
        }
        builder.into_inner()?.finish()?.sync_all()
    })();
    result.map_err(|e| Error::io(out, e))
}

/// Encrypts `plain` (a container's bytes, well formed or not) as a package file would be, with the scrypt
/// work factor given: the fuzz target feeds the reader containers that age authenticates, so the fuzzer
/// reaches the tar, name, manifest and part checks behind the encryption (a low work factor keeps each
/// input fast; the reader accepts any factor up to [`crate::MAX_WORK_FACTOR`]).
pub fn encrypt(plain: &[u8], passphrase: &str, work_factor: u8) -> Result<Vec<u8>> {
    let result = (|| -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut w = encryptor(passphrase, work_factor.clamp(1, crate::MAX_WORK_FACTOR))?
            .wrap_output(&mut out)?;
        io::Write::write_all(&mut w, plain)?;
        w.finish()?;
        Ok(out)
    })();
    result.map_err(|e| Error::Internal(format!("encrypting a raw container: {e}")))
}

/// The tar container of `entries` (as [`write_entries`] writes them), unencrypted: the fuzz corpus's seeds.
pub fn container(entries: &[RawEntry]) -> Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let result = (|| -> io::Result<Vec<u8>> {
        for e in entries {
            append(&mut builder, e)?;
        }
        builder.into_inner()
    })();
    result.map_err(|e| Error::Internal(format!("writing a raw container: {e}")))
}

/// Appends one raw entry to a tar: the name byte for byte; a link points at `/etc/passwd`.
fn append<W: io::Write>(builder: &mut tar::Builder<W>, e: &RawEntry) -> io::Result<()> {
    let mut header = tar::Header::new_ustar();
    let name = &mut header.as_ustar_mut().expect("ustar header").name;
    if e.name.len() > name.len() {
        return Err(io::Error::other("name too long for a raw entry"));
    }
    name[..e.name.len()].copy_from_slice(&e.name);
    header.set_mode(0o600);
    header.set_mtime(0);
    if e.symlink {
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_link_name("/etc/passwd")?;
        header.set_size(0);
        header.set_cksum();
        builder.append(&header, io::empty())
    } else {
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(e.data.len() as u64);
        header.set_cksum();
        builder.append(&header, e.data.as_slice())
    }
}
