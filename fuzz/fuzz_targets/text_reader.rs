//! Any bytes as a CSV/TXT file to import (encodings, delimiters, quotes, header detection, normalisers).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    handover_testkit::fuzz::read_file(data);
});
