//! cargo-fuzz target: `srp` server (see `../harness/srp.rs`).
#![no_main]

#[path = "../harness/srp.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::server(data));
