//! cargo-fuzz target: SigV4 `Authorization` parsing and verification of the adapter
//! (`userpool_http::fuzzing::sigv4`, which exists only in fuzz and test builds).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| userpool_http::fuzzing::sigv4(data));
