//! Registration and assertion, end to end with the software authenticator: `none` and
//! `packed` attestation, and every refusal a relying party owes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

// The fuzz harness (shared with `fuzz/`) names the crate as its dependents do.
extern crate userpool_webauthn as webauthn_rp;

mod ceremonies;
mod corpus;
