//! cargo-fuzz target: identity providers' token, user-info, discovery, JWKS and ID-token answers (see `../harness/federation.rs`).
#![no_main]

#[path = "../harness/federation.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::oidc(data));
