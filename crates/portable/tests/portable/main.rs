//! Export and import through the facade: a pool with a password user, TOTP MFA, a group and a
//! confidential client moves SQLite → PostgreSQL and memory → memory under another master key,
//! and every way a dump can be wrong is refused before anything is written.

mod every_kind;
mod refusals;
mod round_trip;
mod support;
