//! cargo-fuzz target: the same scripts as `flow_driver` with the real SRP cost end to end
//! (fresh ephemerals, every exponentiation computed) — slow (tens of inputs a second); run it
//! on the corpus `flow_driver` built.
#![no_main]

#[path = "../harness/flow_driver.rs"]
mod driver;
#[path = "../harness/flow.rs"]
mod world;

libfuzzer_sys::fuzz_target!(|script: driver::Script| {
    srp::fuzzing::set_fast_arithmetic(false);
    driver::drive(&script);
});
