//! Which way a workbook is read: in a child process with an address-space limit ([`super::child`], the
//! shipped binaries) or on a thread of this process ([`super::sheet`], tests and the fuzz harness). Kept apart
//! from both so neither needs the other's way (the child runs the sheet reader; the sheet reader knows
//! nothing of children).

use super::child::{self, ChildRecords, ReaderMode};
use super::digest::HashingFile;
use super::error::ReadError;
use super::record::Record;
use super::sheet::{self, SheetInfo, ThreadRecords};
use super::types::Format;

/// The records of one sheet: from the workbook thread, or from the child process.
#[derive(Debug)]
pub(crate) enum SheetRecords {
    Thread(ThreadRecords),
    Child(Box<ChildRecords>),
}

impl SheetRecords {
    pub(crate) fn next_record(&mut self, rec: &mut Record) -> Result<bool, ReadError> {
        match self {
            SheetRecords::Thread(t) => t.next_record(rec),
            SheetRecords::Child(c) => c.next_record(rec),
        }
    }
}

/// Opens the workbook whose first bytes are `head` and the rest still in `file` (recognised as `format`)
/// and chooses the sheet: the one named, or else the first worksheet with any data. The shipped binaries
/// parse it in a child process with an address-space limit; elsewhere (tests) on a thread.
pub(crate) fn open(
    file: &HashingFile,
    head: Vec<u8>,
    format: Format,
    sheet: Option<&str>,
) -> Result<(SheetInfo, SheetRecords), ReadError> {
    match child::mode() {
        ReaderMode::Child(exe) => {
            let (info, records) = child::spawn(exe, file, head, format, sheet)?;
            Ok((info, SheetRecords::Child(Box::new(records))))
        }
        ReaderMode::Unavailable(reason) => Err(ReadError::UnreadableSpreadsheet(reason.clone())),
        ReaderMode::InProcess => {
            let (info, records) = sheet::open_in_process(file, head, format, sheet)?;
            Ok((info, SheetRecords::Thread(records)))
        }
    }
}
