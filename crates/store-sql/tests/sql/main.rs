//! userpool-store-sql's integration tests: the store conformance suite on SQLite and on
//! PostgreSQL, then what only a database backend has (migrations, reconnection, clean-up).
//!
//! PostgreSQL checks read the server's URL from `USERPOOL_TEST_POSTGRES_URL` (`.ci/run` sets
//! it) and give each test a schema of its own; without the variable they say so and skip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod backend;
mod migrations;
mod refold;
mod resilience;

mod sqlite_conformance {
    userpool_store::conformance_tests!(crate::backend::sqlite());
}

mod postgres_conformance {
    userpool_store::conformance_tests!(optional: crate::backend::postgres());
}
