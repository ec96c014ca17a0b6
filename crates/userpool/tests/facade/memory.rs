//! The facade suite on `MemoryStore`.

const BACKEND: crate::Backend = crate::Backend::Memory;
#[macro_use]
#[path = "support.rs"]
mod support;
#[macro_use]
#[path = "identity_world.rs"]
mod identity_world;
#[path = "admin_users.rs"]
mod admin_users;
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
#[path = "hosted_passwordless.rs"]
mod hosted_passwordless;
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
#[path = "lockout.rs"]
mod lockout;
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
