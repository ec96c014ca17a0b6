//! The `userpool` facade's integration tests: every operation through the public API, run
//! three times — on `MemoryStore`, on SQLite and on PostgreSQL (skipped, saying so, when
//! `USERPOOL_TEST_POSTGRES_URL` is not set). Each copy of the suite has its own `support`
//! whose `world!()` builds a service on that copy's backend.

#![allow(
    clippy::duplicate_mod,
    reason = "the same test files are compiled once per backend, on purpose"
)]

/// The store a copy of the suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Memory,
    Sqlite,
    Postgres,
}

mod memory;
mod postgres;
mod sqlite;
mod wire_corpus;
