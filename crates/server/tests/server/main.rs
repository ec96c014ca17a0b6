//! `userpool-server` as operators run it: the built binary started as a process on loopback
//! (port 0, its address read from its banner), driven by the Rust AWS SDK and plain HTTP.
//! Configuration layers, the bind address, health and readiness, metrics, JSON logs without
//! secrets, a SIGTERM drain that loses no acknowledged write, TLS, the data commands (export,
//! import, backup); two
//! servers sharing one PostgreSQL database act as one service; a server on SQLite killed
//! with SIGKILL at random points loses nothing it acknowledged; secret files are private or
//! refused. No sleeps: readiness is polled with a deadline.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod commands;
mod config_layers;
mod container;
mod crash;
mod data;
mod delivery;
mod health;
mod logs;
mod metrics;
mod process;
mod secret_files;
mod shutdown;
mod tls;
mod two_instances;
mod user_import;
