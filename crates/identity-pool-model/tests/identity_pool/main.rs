//! The `identity-pool-model` crate's integration tests: table-driven role resolution and login
//! checks, OpenID-token claims, the STS fixtures, and properties.

mod corpus;
mod logins;
mod openid;
mod properties;
mod roles;
mod sts;
mod support;
