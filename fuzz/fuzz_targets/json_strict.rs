//! cargo-fuzz target: the strict JSON object reader against serde_json (see `../harness/json.rs`).
#![no_main]

#[path = "../harness/json.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::strict(data));
