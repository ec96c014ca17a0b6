//! cargo-fuzz target: the SAML response validator (see `../harness/saml.rs`).
#![no_main]

#[path = "../harness/saml.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::response(data));
