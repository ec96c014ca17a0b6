//! The `pkce-state` crate's integration tests: the security spec's redirect, PKCE and code
//! items, authorization-request rules, properties, and the fuzz corpus replay.

mod authorize;
mod corpus;
mod properties;
