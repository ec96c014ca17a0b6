//! A sans-IO WebAuthn (passkey) relying party, as Cognito's passkey operations use it.
//!
//! * [`RelyingParty`]: the RP id, the origins allowed to run ceremonies and the user
//!   verification asked for; it writes the options documents ([`RelyingParty::creation_options`]
//!   for StartWebAuthnRegistration, [`RelyingParty::request_options`] for the `WEB_AUTHN`
//!   challenge's `CREDENTIAL_REQUEST_OPTIONS`).
//! * [`verify_registration`]: a `RegistrationResponseJSON` against the challenge issued and
//!   the RP; attestation `none` (what synced passkeys send) and `packed` are accepted.
//! * [`verify_assertion`]: an `AuthenticationResponseJSON` against the challenge, the RP and
//!   the stored key; the signature counter must grow (unless the authenticator keeps none).
//! * ES256 (P-256) and RS256 keys ([`CredentialPublicKey`]), on the workspace's `p256` and
//!   `rsa`; CBOR with `ciborium`. No clock, no randomness, no storage: challenges come in.
//! * Feature `soft-authenticator`: `SoftAuthenticator`, a software passkey for tests.
//!
//! ```
//! use userpool_webauthn::*;
//!
//! let rp = RelyingParty {
//!     id: "example.com".into(),
//!     name: "Example".into(),
//!     origins: vec!["https://example.com".into()],
//!     user_verification: UserVerification::Preferred,
//! };
//! let options = rp.request_options(&[7; 32], &[]);
//! assert_eq!(options["rpId"], "example.com");
//! assert_eq!(options["userVerification"], "preferred");
//!
//! // A browser's answer from another origin is refused before any key is looked at.
//! let json = r#"{"id":"AQI","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3Y0hCd2NIQndjSEJ3YyIsIm9yaWdpbiI6Imh0dHBzOi8vZXZpbC5leGFtcGxlIn0","authenticatorData":"","signature":""}}"#;
//! let answer = AuthenticationResponse::from_json_str(json)?;
//! let stored = StoredCredential { credential_id: vec![1, 2], public_key: vec![], sign_count: 0 };
//! assert_eq!(
//!     verify_assertion(&answer, &[7; 32], &rp, &stored),
//!     Err(WebAuthnError::OriginNotAllowed)
//! );
//! # Ok::<(), WebAuthnError>(())
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

mod assertion;
mod auth_data;
pub mod b64;
mod client_data;
mod cose;
mod error;
mod registration;
mod relying_party;
#[cfg(feature = "soft-authenticator")]
mod soft;

pub use assertion::{
    AuthenticationResponse, StoredCredential, VerifiedAssertion, verify_assertion,
};
pub use auth_data::{AttestedCredential, AuthenticatorData, Flags};
pub use client_data::challenge_of;
pub use cose::{CredentialPublicKey, ES256, RS256};
pub use error::{Result, WebAuthnError};
pub use registration::{NewCredential, RegistrationResponse, verify_registration};
pub use relying_party::{
    CEREMONY_TIMEOUT_MS, CredentialDescriptor, RelyingParty, UserVerification,
};
#[cfg(feature = "soft-authenticator")]
pub use soft::{SoftAttestation, SoftAuthenticator};
