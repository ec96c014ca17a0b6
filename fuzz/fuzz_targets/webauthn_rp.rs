//! cargo-fuzz target: WebAuthn authenticator data, COSE keys, attestation objects and assertions (see `../harness/webauthn.rs`).
#![no_main]

#[path = "../harness/webauthn.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::webauthn(data));
