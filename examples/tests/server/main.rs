//! The `server` example as operators run it: real processes on loopback ports, driven by the
//! Rust AWS SDK. Two servers sharing one PostgreSQL database act as one service; a server on
//! SQLite killed with SIGKILL at random points loses nothing it acknowledged. Secret files are
//! private or refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod crash;
mod process;
mod secret_files;
mod two_instances;
