//! cargo-fuzz target: `srp` timestamp (see `../harness/srp.rs`).
#![no_main]

#[path = "../harness/srp.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::timestamp(data));
