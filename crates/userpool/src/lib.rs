//! `userpool`: Amazon-Cognito-style user pools as a library — the facade an embedder adds.
//!
//! A [`Service`] (built with [`ServiceBuilder`]) holds any number of pools on any
//! [`userpool_store::Store`]. It is made of components, each holding only what it needs:
//! [`SignIn`] (`service.sign_in()`), [`Tokens`], [`Accounts`], [`Passkeys`], [`Admin`], [`Hosted`],
//! [`ThreatProtection`] and [`Federation`] (external OIDC and social identity providers,
//! provider links, sign-in through a provider). Each
//! Cognito action is one async method of its component, named after it, taking and returning
//! the service's JSON shapes ([`wire`], PascalCase via serde), failing with one [`Error`]
//! whose [`ErrorKind`] is Cognito's exception. [`UserPool`] is one pool as its relying
//! parties see it (issuer, JWKS, token verification). [`IdentityService`] is the identity
//! pools' service (Cognito Identity) on the same store.
//!
//! * Sign-in runs the flow engine (`auth-flow-state-machine`): sessions and `SECRET_BLOCK`
//!   are sealed per pool ([`Sealer`]) and single use; failures count toward lockout; SMS /
//!   email codes go through the [`MessageSender`] (the development [`Outbox`] records them).
//! * Tokens (spec §7) are signed with the pool's own keys, after PreTokenGeneration (rotated
//!   with [`Admin::rotate_signing_keys`](crate::Admin::rotate_signing_keys), a userpool extension); refresh
//!   tokens are opaque, stored as hashes, in families (rotation, reuse detection, revocation
//!   by GlobalSignOut / RevokeToken / AdminDisableUser).
//! * Verifiers, TOTP seeds, signing keys and client secrets are sealed at rest under the
//!   [`MasterKey`], or a [`Keyring`] of them while it rotates; a [`Resealer`] moves them to
//!   another key (data export and import, [`reseal`]).
//! * Triggers are [`custom_auth_triggers::TriggerRegistry`] handlers per pool (Rust closures
//!   or Lambda functions) with Cognito's failure semantics. A pool's `CustomEmailSender` /
//!   `CustomSMSSender` replaces the [`MessageSender`] when the service has a
//!   [`CodeEncryptor`] ([`ServiceBuilder::code_encryptor`]): the function gets the code
//!   encrypted (senders and encryptors: the `userpool-delivery` crate).
//! * The hosted domain (spec §9): `oauth_authorize`, `oauth_token` (authorization code with
//!   PKCE, refresh, client credentials), `oauth_user_info`, `oauth_revoke`, `oauth_logout`
//!   and the `hosted_*` steps of the hosted UI's pages; authorization codes and the sign-in
//!   cookie are sealed, codes single use through replay markers.
//! * Every operation logs an audit event on the `userpool::audit` tracing target (parameters
//!   masked as CloudTrail masks them); counters on `userpool::metrics`.
//!
//! ```
//! use std::sync::Arc;
//! use userpool::wire::*;
//! use userpool::{MasterKey, Outbox, Service};
//! use userpool_store::MemoryStore;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let outbox = Arc::new(Outbox::new());
//! let service = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([7; 32]))
//!     .sender(outbox.clone())
//!     .signing_algorithm(jwt_tokens::Algorithm::ES256)
//!     .build()?;
//! let pool = service
//!     .admin()
//!     .create_user_pool(UserPoolRequest {
//!         pool_name: "example".into(),
//!         auto_verified_attributes: vec!["email".into()],
//!         ..Default::default()
//!     })
//!     .await?
//!     .user_pool
//!     .id;
//! let client = service
//!     .admin()
//!     .create_user_pool_client(UserPoolClientRequest {
//!         user_pool_id: pool.clone(),
//!         client_name: Some("web".into()),
//!         explicit_auth_flows: Some(vec!["ALLOW_USER_PASSWORD_AUTH".into()]),
//!         ..Default::default()
//!     })
//!     .await?
//!     .user_pool_client
//!     .client_id;
//!
//! service
//!     .accounts()
//!     .sign_up(SignUpRequest {
//!         client_id: client.clone(),
//!         username: "alice".into(),
//!         password: "Corr3ct-Horse!".into(),
//!         user_attributes: vec![user_pool_model::Attribute::new("email", "alice@example.com")],
//!         ..Default::default()
//!     })
//!     .await?;
//! let code = outbox.last_code(&pool, "alice").expect("a confirmation code was sent");
//! service
//!     .accounts()
//!     .confirm_sign_up(ConfirmSignUpRequest {
//!         client_id: client.clone(),
//!         username: "alice".into(),
//!         confirmation_code: code.as_str().into(),
//!         ..Default::default()
//!     })
//!     .await?;
//!
//! let signed_in = service
//!     .sign_in()
//!     .initiate_auth(InitiateAuthRequest {
//!         client_id: client.clone(),
//!         auth_flow: "USER_PASSWORD_AUTH".into(),
//!         auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", "Corr3ct-Horse!")]),
//!         ..Default::default()
//!     })
//!     .await?;
//! let tokens = signed_in.authentication_result.expect("no MFA in this pool");
//! let me = service
//!     .accounts()
//!     .get_user(AccessTokenRequest { access_token: tokens.access_token.clone() })
//!     .await?;
//! assert_eq!(me.username, "alice");
//!
//! // Wrong passwords get Cognito's exception and message.
//! let wrong = service
//!     .sign_in()
//!     .initiate_auth(InitiateAuthRequest {
//!         client_id: client,
//!         auth_flow: "USER_PASSWORD_AUTH".into(),
//!         auth_parameters: SecretMap::of(&[("USERNAME", "alice"), ("PASSWORD", "guess")]),
//!         ..Default::default()
//!     })
//!     .await
//!     .unwrap_err();
//! assert_eq!((wrong.exception_name(), wrong.message()), ("NotAuthorizedException", "Incorrect username or password."));
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

mod accounts;
mod admin;
mod at_rest;
mod audit;
mod builder;
mod clock;
mod code_encryption;
mod core;
mod entropy;
mod error;
mod federation;
mod hooks;
mod hosted;
pub mod identity;
pub mod imported_hash;
mod keys;
mod messages;
mod passkeys;
pub mod reseal;
mod seal;
mod service;
mod sign_in;
mod srp_client;
mod threat;
mod tokens;
pub mod wire;

pub use accounts::Accounts;
pub use admin::Admin;
pub use admin::import_jobs::{IMPORT_URL_SECONDS, MAX_IMPORT_CSV_BYTES};
pub use admin::import_worker::{BATCH_ROWS, MAX_KEPT_ERRORS, STALE_SECONDS};
pub use admin::ui::{MAX_CSS_BYTES, MAX_LOGO_BYTES};
pub use audit::TARGET as AUDIT_TARGET;
pub use builder::ServiceBuilder;
pub use clock::{Clock, FixedClock, SystemClock};
pub use code_encryption::{CodeContext, CodeEncryptor};
pub use core::code_limits::{CODE_GUESSES_PER_HOUR, CODES_SENT_PER_HOUR};
pub use core::codes::Purged;
pub use error::{Error, ErrorKind, INCORRECT_CREDENTIALS, Result};
pub use federation::Federation;
pub use federation::flow::FEDERATION_STATE_SECONDS;
pub use federation::links::MAX_LINKS_PER_USER;
pub use hosted::Hosted;
pub use hosted::authorize::HOSTED_SESSION_SECONDS;
pub use hosted::pages::HOSTED_CHALLENGES;
pub use hosted::token_endpoint::MAX_FORM_BYTES;
pub use identity::{IdentityError, IdentityErrorKind, IdentityService, IdentityServiceBuilder};
pub use keys::{KEY_CACHE_SECONDS, SigningKeyRotation};
pub use messages::{
    DEFAULT_OUTBOX_MESSAGES, DEFAULT_OUTBOX_SECONDS, DeliveryFailure, DeliveryMedium, Message,
    MessageKind, MessageSender, NoDelivery, Outbox, html_to_text, is_html_template,
    render_html_template, render_template,
};
pub use passkeys::{MAX_PASSKEYS_PER_USER, Passkeys};
pub use reseal::Resealer;
pub use seal::{
    FORMAT_V1, HEADER_BYTES, Keyring, MasterKey, NONCE_BYTES, Purpose, Sealer, TAG_BYTES,
    Unsealable,
};
pub use service::{DEFAULT_BASE_URL, Issuer, Service, UserPool};
pub use sign_in::SignIn;
pub use srp_client::SrpSignIn;
pub use threat::ThreatProtection;
pub use threat::source::with_source_ip;
pub use tokens::{ADMIN_SCOPE, Tokens};
/// For [`audit!`]: the `tracing` it expands to, whatever the caller depends on.
#[doc(hidden)]
pub use tracing as __tracing;
/// The standard attributes every pool has (names, order).
pub use user_pool_model::StandardAttribute;
/// Threat protection's pure parts (breached-password filter, scorer, configuration types).
pub use userpool_risk;
pub use wire::{
    CsvHeaderResponse, EmailMfaConfiguration, SmsMfaConfiguration, SoftwareTokenMfaConfiguration,
    UserPoolMfaConfig,
};
