//! The `custom-auth-triggers` crate's integration tests.

mod golden;
#[cfg(feature = "lambda")]
mod lambda;
mod registry;
