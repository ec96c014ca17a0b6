//! Identity pools (Cognito's `cognito-identity`), the second service beside the user pools:
//! [`IdentityService`], on the same store (its identity-pool part) or alone.
//!
//! * Pools and roles: [`pools`](IdentityService::create_identity_pool) …, role mappings of
//!   `Token` and `Rules` type checked against the pool's providers.
//! * `Logins` verified for real ([`logins`](self)): our user pools' ID tokens in process
//!   (signature by the pool's keys, issuer, `aud` one of the configured app clients, expiry,
//!   and, with `ServerSideTokenCheck`, not revoked), external OpenID Connect providers by their
//!   JWKS (discovered, cached by `kid`, refreshed on an unknown one), our own OpenID tokens.
//! * One identity per (pool, login), stable; several logins link to one identity; guests only
//!   where the pool allows them.
//! * OpenID tokens signed by the service's own RSA key (sealed at rest), published as a JWKS
//!   and a discovery document under the issuer (`<base>/identity/.well-known/…`), so IAM can
//!   register the issuer as an OIDC provider.
//! * Credentials through STS `AssumeRoleWithWebIdentity` at a configurable endpoint, or local
//!   development credentials when none is configured (logged loudly).
//!
//! Errors are [`IdentityError`]s with Cognito Identity's exception names.

mod error;
mod identities;
mod keys;
mod logins;
mod oidc;
mod outbound;
mod pools;
mod resolve;
mod service;
mod sts;
mod tokens;
pub mod wire;

pub use error::{IdentityError, IdentityErrorKind, IdentityResult};
pub use pools::MAX_QUERY_LIMIT;
pub use resolve::MAX_LINKED_LOGINS;
pub use service::{
    DEFAULT_OUTBOUND_TIMEOUT, IDENTITY_PATH, IdentityService, IdentityServiceBuilder,
};
