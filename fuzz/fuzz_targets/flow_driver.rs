//! cargo-fuzz target: the sign-in state machine driven by arbitrary request scripts
//! (see `../harness/flow.rs`).
#![no_main]

#[path = "../harness/flow.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    harness::drive(data);
});
