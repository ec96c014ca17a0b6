//! cargo-fuzz target: the JSON 1.1 request decoding of every operation (see
//! `../harness/wire.rs`).
#![no_main]

#[path = "../harness/wire.rs"]
#[allow(dead_code, reason = "the harness serves both wire targets")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::decode_request(data));
