//! Any bytes as a recipient's package: an age file as it is, or else a container sealed with age first so
//! the fuzzer reaches the tar entries, names, manifest and part checks behind the encryption (seed: the
//! container of a real export).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    handover_testkit::fuzz::read_package(data);
});
