//! The `jwt-tokens` crate's integration tests.

mod attacks;
mod corpus;
mod interop;
mod properties;
mod rfc7515;
mod support;
mod wycheproof;
