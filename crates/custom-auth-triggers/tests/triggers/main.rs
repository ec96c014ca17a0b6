//! The `custom-auth-triggers` crate's integration tests.

mod golden;
mod lambda;
mod registry;
