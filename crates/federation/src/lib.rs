//! Cognito-compatible federation with OpenID Connect and social identity providers, sans-IO:
//! time and randomness are parameters, HTTP is described ([`OutboundRequest`]) and its
//! answers parsed, never sent from here.
//!
//! * [`ProviderType`] and names ([`provider`]), [`ProviderDetails`] checked per type with
//!   Cognito's key names, the social presets' well-known endpoints ([`presets`]; every URL
//!   overridable) and secrets held apart ([`ProviderSecret`]).
//! * [`AttributeMapping`] applied to the provider's claims.
//! * The authorization request towards the provider ([`authorize_url`]: `state`, `nonce`,
//!   PKCE S256) and its answer ([`parse_answer`]).
//! * The code exchange ([`token_request`], [`parse_token_response`]), Apple's client secret,
//!   OIDC discovery, the user-info call ([`user_info_request`]).
//! * ID-token validation ([`validate_id_token`]: RS256/ES256 over the provider's JWKS through
//!   `jwt-tokens`, `iss`, `aud`/`azp`, `nonce`, `exp`/`iat` with skew; never `none` or HS*).
//! * Federated users: `<ProviderName>_<sub>` ([`federated_username`]), their group and the
//!   `identities` attribute ([`Identity`]).
//!
//! Hand-rolled on `jwt-tokens` rather than the `openidconnect` crate: that crate owns the
//! HTTP exchange (its own client trait and async plumbing), its verifier reads its own JWK
//! types and clock, and it would bring a second RSA/ECDSA stack into the library; the thin
//! parts here keep one strict JWS verifier for the whole workspace. `openidconnect` stays the
//! relying party the HTTP tests drive against userpool itself.
//!
//! ```
//! use std::collections::BTreeMap;
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//! use userpool_federation::*;
//!
//! let details: BTreeMap<String, String> = [
//!     ("client_id", "rp"),
//!     ("client_secret", "s3cret"),
//!     ("authorize_scopes", "openid email"),
//!     ("attributes_request_method", "GET"),
//!     ("oidc_issuer", "https://idp.example"),
//!     ("authorize_url", "https://idp.example/auth"),
//! ]
//! .iter()
//! .map(|(k, v)| (k.to_string(), v.to_string()))
//! .collect();
//! let details = ProviderDetails::parse(ProviderType::Oidc, &details)?;
//! assert_eq!(details.described()["client_secret"], SECRET_MASK);
//!
//! let secrets = FlowSecrets::generate(&mut ChaCha20Rng::seed_from_u64(1));
//! let url = authorize_url(
//!     &details,
//!     details.endpoints().authorize_url.as_deref().unwrap_or_default(),
//!     "https://auth.example.com/oauth2/idpresponse",
//!     &secrets,
//! )?;
//! assert!(url.starts_with("https://idp.example/auth?response_type=code&client_id=rp&"));
//! assert!(url.contains("code_challenge_method=S256"));
//!
//! let mapping = AttributeMapping::parse(ProviderType::Oidc, &BTreeMap::from([("email".to_string(), "email".to_string())]))?;
//! let claims = serde_json::json!({"sub": "248289761001", "email": "j@example.com"});
//! let claims = claims.as_object().unwrap();
//! assert_eq!(federated_username("corp", &subject(&mapping, claims)?), "corp_248289761001");
//! assert_eq!(mapping.apply(claims), [("email".to_string(), "j@example.com".to_string())]);
//! # Ok::<(), userpool_federation::Error>(())
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
mod details;
mod error;
mod id_token;
mod identity;
mod mapping;
pub mod presets;
pub mod provider;
mod token;

pub use authorize::{FlowSecrets, ProviderAnswer, authorize_url, parse_answer};
pub use details::{
    Endpoints, ProviderDetails, ProviderSecret, RequestMethod, SAML_KEYS, SECRET_KEYS, SECRET_MASK,
    valid_url,
};
pub use error::{Error, IdTokenError, Result};
pub use id_token::{
    DEFAULT_SKEW_SECONDS, Expected, check_claims, merge_user_info, provider_keys,
    provider_keys_with, validate_id_token,
};
pub use identity::{
    Identity, add_identity, federated_username, identities_attribute, provider_group,
    remove_identity, subject,
};
pub use mapping::{AttributeMapping, claim_text};
pub use provider::{
    COGNITO_PROVIDER, COGNITO_SUBJECT, ProviderType, SAML_NAME_ID, validate_idp_identifier,
    validate_idp_identifiers, validate_provider_name,
};
pub use token::{
    APPLE_SECRET_SECONDS, MAX_ANSWER_LEN, OutboundRequest, TokenResponse, apple_client_secret,
    apply_discovery, calls_user_info, discovery_url, parse_token_response, parse_user_info,
    token_request, user_info_request,
};
