//! OAuth 2.0 authorization-code machinery as Cognito's hosted domain profiles it, sans-IO:
//! PKCE with S256 only (RFC 7636), `state` and `nonce`, single-use authorization codes bound to
//! client, redirect URI, challenge, scopes, nonce, user and auth time, and exact redirect-URI
//! matching with no open redirects.
//!
//! ```
//! use pkce_state::*;
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//!
//! let callbacks = vec!["https://app.example.com/callback".to_owned()];
//! let scopes = vec!["openid".to_owned(), "email".to_owned()];
//! let client = ClientPolicy { client_id: "abc", callback_urls: &callbacks, allow_code: true, allow_implicit: false, allowed_scopes: &scopes, require_pkce: true };
//!
//! let verifier = CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")?;
//! let query = format!(
//!     "response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&state=xyz&scope=openid&code_challenge={}&code_challenge_method=S256",
//!     verifier.challenge().as_str()
//! );
//! let request = check_authorize(&parse_query(&query)?, &client)?;
//! let (code, record) = issue_code(&request, "alice", 1_790_000_000, 1_790_000_000, &mut ChaCha20Rng::seed_from_u64(1));
//!
//! let token_request = TokenRequest { client_id: "abc", redirect_uri: Some("https://app.example.com/callback"), code_verifier: Some(verifier.expose_secret()) };
//! let redeemed = record.clone().redeem(&token_request, 1_790_000_060)?;
//! assert_eq!(redeemed.scopes, ["openid"]);
//! assert_eq!(record.redeem(&token_request, 1_790_000_301).unwrap_err().code(), OAuthErrorCode::InvalidGrant);
//! # let _ = code;
//! # Ok::<(), pkce_state::Error>(())
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

mod authorize;
mod code;
mod error;
mod pkce;
mod redirect;

pub use authorize::{
    AuthorizeRequest, ClientPolicy, MAX_OPAQUE_LEN, MAX_QUERY_LEN, ResponseType, check_authorize,
    error_redirect, param, parse_query,
};
pub use code::{AuthorizationCode, CODE_LIFETIME_SECONDS, CodeRecord, TokenRequest, issue_code};
pub use error::{Error, OAuthErrorCode, Result};
pub use pkce::{CodeChallenge, CodeVerifier};
pub use redirect::{MAX_REDIRECT_URI_LEN, match_redirect_uri, validate_redirect_uri};
