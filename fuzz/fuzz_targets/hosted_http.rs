//! cargo-fuzz target: the hosted UI's `Cookie` header and form-action origin
//! (`userpool_http::fuzzing::hosted_http`, which exists only in fuzz and test builds).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| userpool_http::fuzzing::hosted_http(data));
