//! cargo-fuzz target: the sign-in state machine driven by structured request scripts (see
//! `../harness/flow_driver.rs`), with fixed SRP ephemerals and memoised 3072-bit arithmetic
//! (`srp::fuzzing`, which exists only in fuzz builds) so it runs thousands of scripts a second.
#![no_main]

#[path = "../harness/flow_driver.rs"]
mod driver;
#[path = "../harness/flow.rs"]
mod world;

libfuzzer_sys::fuzz_target!(|script: driver::Script| {
    srp::fuzzing::set_fast_arithmetic(true);
    driver::drive(&script);
});
