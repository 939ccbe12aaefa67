//! Any bytes as a workbook to import: the seeds are xlsx/ods/xls files, so mutations stay near zip and
//! compound-document structure. (The format is sniffed from the bytes, as for the owner's files.)
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    handover_testkit::fuzz::read_file(data);
});
