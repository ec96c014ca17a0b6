//! cargo-fuzz target: `user-pool-model` filter parsing (see `../harness/model.rs`).
#![no_main]

#[path = "../harness/model.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::filter(data));
