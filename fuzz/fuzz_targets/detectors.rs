//! Any text through the free-text scanner, the column classifier, the maskers and the value matchers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| handover_testkit::fuzz::detect_text(data));
