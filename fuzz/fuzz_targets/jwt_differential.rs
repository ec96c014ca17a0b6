//! cargo-fuzz target: our JWS signing and verification against `jsonwebtoken`, and altered tokens (see `../harness/jwt.rs`).
#![no_main]

#[path = "../harness/jwt.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::differential(data));
