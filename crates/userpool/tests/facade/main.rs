//! The `userpool` facade's integration tests: every operation through the public API, on
//! `MemoryStore` (the `support::World` takes any store).

mod support;

mod admin_users;
mod groups;
mod log_scrub;
mod mfa_devices;
mod passwords;
mod pools_clients;
mod resources;
mod sign_in;
mod sign_up;
mod tokens;
mod triggers;
