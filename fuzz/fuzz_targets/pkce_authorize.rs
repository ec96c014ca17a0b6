//! cargo-fuzz target: `pkce-state` authorization-request parsing (see `../harness/pkce.rs`).
#![no_main]

#[path = "../harness/pkce.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::authorize(data));
