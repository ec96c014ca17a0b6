//! The facade suite on SQLite (a new database file per test), plus what only a file can
//! show (nothing secret at rest) and the log scrub.

const BACKEND: crate::Backend = crate::Backend::Sqlite;
#[macro_use]
#[path = "support.rs"]
mod support;
#[macro_use]
#[path = "identity_world.rs"]
mod identity_world;
#[path = "admin_users.rs"]
mod admin_users;
#[path = "at_rest.rs"]
mod at_rest;
#[path = "attribute_updates.rs"]
mod attribute_updates;
#[path = "code_limits.rs"]
mod code_limits;
#[path = "faults.rs"]
mod faults;
#[path = "groups.rs"]
mod groups;
#[path = "history.rs"]
mod history;
#[path = "identity_flows.rs"]
mod identity_flows;
#[path = "identity_pools.rs"]
mod identity_pools;
#[path = "import_jobs.rs"]
mod import_jobs;
#[path = "import_load.rs"]
mod import_load;
#[path = "keys.rs"]
mod keys;
// The log scrub installs the process's one global subscriber, so it runs in one copy: this
// one, where the SQL store's own logging is in the scenario too.
#[path = "hosted_passwordless.rs"]
mod hosted_passwordless;
#[path = "lockout.rs"]
mod lockout;
#[path = "log_scrub.rs"]
mod log_scrub;
#[path = "mfa_devices.rs"]
mod mfa_devices;
#[path = "oauth.rs"]
mod oauth;
#[path = "passwords.rs"]
mod passwords;
#[path = "pools_clients.rs"]
mod pools_clients;
#[path = "resources.rs"]
mod resources;
#[path = "rotation.rs"]
mod rotation;
#[path = "sign_in.rs"]
mod sign_in;
#[path = "sign_up.rs"]
mod sign_up;
#[path = "store_calls.rs"]
mod store_calls;
#[path = "threat_protection.rs"]
mod threat_protection;
#[path = "tokens.rs"]
mod tokens;
#[path = "triggers.rs"]
mod triggers;
