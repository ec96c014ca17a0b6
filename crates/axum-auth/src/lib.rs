//! `userpool-axum`: protect your own axum routes with a user pool's access tokens.
//!
//! An embedder of `userpool` (or anyone whose users sign in with Amazon Cognito) wants its own
//! API to accept the pool's access tokens. This crate is that, in one line per router:
//!
//! * [`AccessToken`] — an extractor: a handler that takes one runs only for a request whose
//!   `Authorization: Bearer` token verifies, and gets its claims (`sub`, `username`,
//!   `client_id`, scopes, groups).
//! * [`AuthLayer`] offers the verifier to the routes below it; [`RequireAccessToken`] refuses
//!   every request below it without an acceptable token.
//! * Two verifiers ([`Authenticator`]): [`Local`] — a `userpool::Service` in this process,
//!   which also sees revocation (GlobalSignOut, RevokeToken) and disabled users; [`Remote`] —
//!   any pool's JWKS URL (this server's or Cognito's), cached, refetched once on an unknown
//!   `kid`, checking `iss`, `token_use`, expiry, and optionally app client and scope.
//! * Refusals follow RFC 6750: 401 with `WWW-Authenticate: Bearer …, error="invalid_token"`,
//!   403 `insufficient_scope`, 503 when the verifier cannot decide ([`Rejection`]).
//!
//! ```
//! use std::sync::Arc;
//! use axum::{Router, routing::get, body::Body, http::Request};
//! use tower::ServiceExt as _;
//! use userpool::{MasterKey, Service, wire::UserPoolRequest};
//! use userpool_axum::{AccessToken, AuthLayer, Local};
//! use userpool_store::MemoryStore;
//!
//! async fn me(token: AccessToken) -> String {
//!     format!("hello {}", token.username().unwrap_or_default())
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let service = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([7; 32])).build()?;
//! let pool = service.admin().create_user_pool(UserPoolRequest {
//!     pool_name: "app".into(),
//!     ..Default::default()
//! }).await?.user_pool.id;
//!
//! let app: Router = Router::new()
//!     .route("/me", get(me))
//!     .layer(AuthLayer::new(Local::new(service, pool)));
//!
//! let response = app
//!     .oneshot(Request::get("/me").body(Body::empty())?)
//!     .await?;
//! assert_eq!(response.status(), 401);
//! assert_eq!(response.headers()["www-authenticate"], r#"Bearer realm="userpool""#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! Compared with `jwt-authorizer` (a general OIDC/JWKS layer for axum) and AWS's
//! `aws-jwt-verify` (TypeScript): [`Remote`] does what they do for Cognito tokens
//! (`token_use`, `client_id` instead of `aud` on access tokens, scope); [`Local`] adds what
//! no JWKS verifier can — revocation and the user's standing — without a network hop.

#![forbid(unsafe_code)]

mod authenticator;
mod error;
mod extract;
mod local;
mod remote;

pub use authenticator::{AccessToken, Authenticator, SharedAuthenticator};
pub use error::Rejection;
pub use extract::{AuthLayer, RequireAccessToken, WithAuthenticator};
pub use local::Local;
pub use remote::{KEYS_TTL_SECONDS, MIN_REFRESH_SECONDS, Remote};
