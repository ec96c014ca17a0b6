//! cargo-fuzz target: identity-pool `Logins` maps, ids, ARNs and STS answers (see `../harness/identity.rs`).
#![no_main]

#[path = "../harness/identity.rs"]
#[allow(dead_code, reason = "each target uses one harness function")]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::logins(data));
