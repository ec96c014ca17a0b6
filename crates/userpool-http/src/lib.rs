//! `userpool-http`: Cognito's own wire protocol over axum, so the real AWS SDKs, the AWS CLI,
//! amazon-cognito-identity-js, Amplify and pycognito work against a [`userpool::Service`]
//! unchanged (endpoint override only).
//!
//! * [`router`] / [`router_with`] give an `axum::Router<S>` for any state `S`, to serve or to
//!   nest into the embedder's own app. They never start a server, install tracing or spawn.
//! * `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>` and a JSON 1.1
//!   body, for every facade operation ([`OPERATIONS`]); errors as `{"__type", "message"}` with
//!   `x-amzn-ErrorType`; `x-amzn-RequestId` on every answer; CORS for browser clients.
//! * Actions Cognito signs (Admin*, pool management) need a valid SigV4 signature by one of the
//!   configured [`AdminCredentials`]; user actions stay unsigned, as on Cognito.
//! * Bodies over the limit get 413, slow requests 408, malformed JSON `SerializationException`,
//!   unknown targets `UnknownOperationException`, rates over the quota
//!   `TooManyRequestsException` — never a 500 for bad input.
//! * `GET /{poolId}/.well-known/jwks.json` and `/.well-known/openid-configuration`.
//! * Identity pools on the same listener when [`HttpConfig::identity`] names an
//!   [`userpool::IdentityService`] (or alone: [`identity_router`]): `X-Amz-Target:
//!   AWSCognitoIdentityService.<Action>` for every identity action ([`IDENTITY_OPERATIONS`];
//!   the ones Cognito signs need SigV4 for service `cognito-identity`), and the OpenID tokens'
//!   keys at `GET /identity/.well-known/jwks.json` and `/identity/.well-known/openid-configuration`.
//! * The hosted domain (pools with a domain): `/oauth2/authorize`, `/oauth2/token`,
//!   `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`, and the hosted UI pages (`/login`,
//!   `/signup`, `/confirm`, `/forgotPassword`, `/confirmForgotPassword`, challenges, TOTP
//!   setup) — server-rendered, CSRF-protected, English and Japanese, no CORS; relative links,
//!   so they work nested too.
//!
//! ```
//! use std::sync::Arc;
//! use axum::body::Body;
//! use axum::http::Request;
//! use tower::ServiceExt as _;
//! use userpool::{MasterKey, Service};
//! use userpool_store::MemoryStore;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let service = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([1; 32])).build()?;
//! let app: axum::Router = axum::Router::new().nest("/cognito", userpool_http::router(service));
//! let answer = app
//!     .oneshot(
//!         Request::post("/cognito")
//!             .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
//!             .header("content-type", "application/x-amz-json-1.1")
//!             .body(Body::from(r#"{"ClientId":"nope","AuthFlow":"USER_SRP_AUTH"}"#))
//!             .unwrap(),
//!     )
//!     .await
//!     .unwrap();
//! assert_eq!(answer.status(), 400);
//! assert_eq!(answer.headers()["x-amzn-errortype"], "ResourceNotFoundException");
//! # Ok::<(), userpool::Error>(())
//! # }).unwrap();
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod client_info;
mod config;
#[cfg(any(test, fuzzing))]
pub mod fuzzing;
mod hosted;
mod identity_api;
mod limits;
mod oauth;
mod operations;
mod protocol;
mod routes;
mod sigv4;

pub use config::{AdminAuth, HttpConfig, IpNet};
pub use identity_api::{IDENTITY_OPERATIONS, identity_router};
pub use limits::{Category, Rate, RateLimits};
pub use operations::OPERATIONS;
pub use protocol::CONTENT_TYPE;
pub use routes::{router, router_with};
pub use sigv4::AdminCredentials;
