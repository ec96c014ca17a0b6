//! Cognito-compatible ID and access tokens: minting, JWKS and strict verification, sans-IO.
//!
//! * Compact JWS with **RS256** (RSA-2048, what Cognito clients expect) and **ES256**, behind
//!   one [`Backend`] trait: pure Rust (`rsa` + `p256`, the default) or aws-lc-rs (`aws-lc`
//!   feature; see [`backend`] for which to run in production).
//! * The token is attacker input: the parser bounds its size before decoding, demands three
//!   canonical base64url segments and duplicate-free JSON of bounded depth, binds `alg` to the
//!   key found by an exact `kid` lookup (never `none`, never HS*), and refuses `jku`, `x5u`,
//!   `jwk`, `x5c`, `crit` and friends instead of following them.
//! * Claims are checked with `now` passed in; a claim of the wrong JSON type is an error, never
//!   a skipped check, and an ID token never passes where an access token is required.
//!
//! # Minting and verifying a Cognito access token
//!
//! ```
//! use jwt_tokens::{AccessTokenClaims, Algorithm, KeySet, SigningKey, TokenUse, Validation};
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(1);
//! let keys = KeySet::new(
//!     SigningKey::generate(Algorithm::ES256, &mut rng)?,
//!     SigningKey::generate(Algorithm::ES256, &mut rng)?,
//! )?;
//! let iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";
//! let now = 1_790_000_000;
//! let claims = AccessTokenClaims {
//!     sub: "68baf0fd-17ee-42b4-b0bb-57dfa2377058".into(),
//!     iss: iss.into(),
//!     client_id: "6tj4ekuni1b9sb91284hvkrb1u".into(),
//!     username: Some("martin".into()),
//!     auth_time: now,
//!     iat: now,
//!     exp: now + 3600,
//!     jti: "baa6d6da-3817-4ce3-841b-09a6b2113759".into(),
//!     origin_jti: Some("97678329-7450-4dd7-be56-270871b81267".into()),
//!     event_id: None,
//!     groups: vec![],
//!     scopes: vec!["aws.cognito.signin.user.admin".into()],
//!     device_key: None,
//!     version: None,
//! };
//! let token = keys.sign(TokenUse::Access, &claims.to_claims(None)?)?;
//!
//! let validation = Validation::access_token(iss)
//!     .client("6tj4ekuni1b9sb91284hvkrb1u")
//!     .require_scope("aws.cognito.signin.user.admin");
//! let verified = keys.verify(&token, &validation, now + 60)?;
//! assert_eq!(verified.username(), Some("martin"));
//!
//! // The same token is not an ID token, and it expires.
//! let as_id = Validation::id_token(iss, "6tj4ekuni1b9sb91284hvkrb1u");
//! assert_eq!(keys.verify(&token, &as_id, now), Err(jwt_tokens::Error::WrongTokenUse));
//! assert_eq!(keys.verify(&token, &validation, now + 3601), Err(jwt_tokens::Error::Expired));
//!
//! // Embedders in another process verify with the published JWKS alone.
//! let jwks = jwt_tokens::Jwks::parse(keys.jwks().to_json().as_bytes())?;
//! let verifier = jwt_tokens::Verifier::from_jwks(&jwks)?;
//! assert!(verifier.verify(&token, &validation, now).is_ok());
//! # Ok::<(), jwt_tokens::Error>(())
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

mod algorithm;
pub mod backend;
mod base64url;
mod claims;
pub mod danger;
mod error;
mod jwk;
mod jws;
mod key;
mod key_set;
mod roca;
pub mod strict_json;
mod validation;

pub use algorithm::Algorithm;
pub use backend::{Backend, default_backend};
pub use claims::{
    AccessTokenClaims, ClaimOverrides, IdTokenClaims, PROTECTED_CLAIMS, TokenUse, attribute_claim,
};
pub use error::{Error, Result, Segment};
pub use jwk::{Jwk, Jwks, MAX_JWKS_KEYS, MAX_JWKS_LEN};
pub use jws::MAX_TOKEN_LEN;
pub use key::{MAX_RSA_BITS, MIN_RSA_BITS, PublicKey, SigningKey};
pub use key_set::{KeySet, VerifiedJws, Verifier};
pub use strict_json::MAX_DEPTH;
pub use validation::{Claims, DEFAULT_MAX_LIFETIME_SECONDS, MAX_LEEWAY_SECONDS, Validation};
