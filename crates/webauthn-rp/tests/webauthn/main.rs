//! Registration and assertion, end to end with the software authenticator: `none` and
//! `packed` attestation, and every refusal a relying party owes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod ceremonies;
mod corpus;
