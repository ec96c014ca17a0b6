//! Cognito-compatible SAML 2.0 service provider, sans-IO: the pool is the SP
//! (`urn:amazon:cognito:sp:<poolId>`), the IdP is described by its metadata, time and
//! randomness are parameters, and nothing here sends or receives.
//!
//! * [`IdpMetadata`]: the IdP's entity id, single sign-on and logout services, and signing
//!   certificates, from `MetadataFile` (or what `MetadataURL` answered). [`sp_metadata`]: the
//!   pool's own metadata for the IdP's operator.
//! * [`AuthnRequest`]: the request, sent by the HTTP-Redirect binding, optionally signed
//!   with RSA-SHA256 by the pool's [`SpKey`], whose self-signed certificate
//!   [`sp_certificate`] makes.
//! * [`validate_response`]: the IdP's `Response` (HTTP-POST binding) checked against XML
//!   signature wrapping (duplicate `ID`s, moved or extra assertions, signatures elsewhere or
//!   over other elements, partial-signing transforms), unsigned responses, inline attacker
//!   keys, wrong issuer, destination, audience or recipient, the time window (with
//!   [`DEFAULT_SKEW_SECONDS`]), `InResponseTo`, comments inside values, DTDs (XXE, entity
//!   expansion) and oversized messages ([`MAX_RESPONSE_LEN`]). Replays are the caller's to
//!   refuse: remember [`Assertion::id`] until [`Assertion::expires_at`].
//!
//! XML parsing is `uppsala` with DTDs refused; canonicalization and signature verification
//! are `bergshamra` (pure Rust, with the IdP's certificates as the only trusted keys):
//! nothing of XML-DSig is written here. Encrypted assertions (`EncryptedResponses`) are
//! decrypted by `bergshamra` too, with the pool's encryption key ([`Expected::decryption`]):
//! RSA-OAEP key transport, AES-CBC or AES-GCM content, nothing else.
//! * Single logout by the HTTP-Redirect binding: [`LogoutRequest`], [`LogoutResponse`],
//!   [`verify_redirect`], [`validate_logout_response`], [`validate_logout_request`].
//!
//! ```
//! use userpool_saml::*;
//!
//! let request = AuthnRequest {
//!     id: "_5f1c2b",
//!     issue_instant: 1_796_235_379,
//!     sp_entity_id: &sp_entity_id("us-east-1_Example"),
//!     acs_url: "https://auth.example.com/saml2/idpresponse",
//!     destination: "https://idp.example/sso",
//! };
//! let url = request.redirect_url(Some("relay"), None)?;
//! assert!(url.starts_with("https://idp.example/sso?SAMLRequest="));
//! let xml = decode_redirect(&url
//!     .split_once("SAMLRequest=").unwrap().1
//!     .split_once('&').unwrap().0
//!     .replace("%2B", "+").replace("%2F", "/").replace("%3D", "="))?;
//! assert!(xml.contains("<saml:Issuer>urn:amazon:cognito:sp:us-east-1_Example</saml:Issuer>"));
//!
//! let cert = include_str!("../tests/fixtures/idp.cert.pem")
//!     .lines().filter(|l| !l.starts_with("-----")).collect::<String>();
//! let metadata = format!(
//!     r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example">
//!          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
//!            <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
//!              <ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
//!            <md:SingleSignOnService Binding="{REDIRECT_BINDING}" Location="https://idp.example/sso"/>
//!          </md:IDPSSODescriptor></md:EntityDescriptor>"#
//! );
//! let idp = IdpMetadata::parse(&metadata)?;
//! let expected = Expected {
//!     idp: &idp,
//!     sp_entity_id: &sp_entity_id("us-east-1_Example"),
//!     acs_url: "https://auth.example.com/saml2/idpresponse",
//!     in_response_to: Some("_5f1c2b"),
//!     now: 1_796_235_379,
//!     skew: DEFAULT_SKEW_SECONDS,
//!     decryption: None,
//!     require_encryption: false,
//! };
//! // An unsigned response is refused.
//! let unsigned = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">
//!   <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0"/></samlp:Response>"#;
//! assert_eq!(validate_response_xml(unsigned, &expected), Err(Error::Unsigned));
//! # Ok::<(), userpool_saml::Error>(())
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

mod certificate;
mod decrypt;
mod error;
mod logout;
mod metadata;
mod request;
mod response;
#[cfg(test)]
mod response_tests;
#[cfg(test)]
mod testing;
mod xml;

pub use certificate::{CERTIFICATE_SECONDS, sp_certificate};
pub use decrypt::{CONTENT_ALGORITHMS, KEY_TRANSPORT_ALGORITHMS, XENC_NS};
pub use error::{Error, Result};
pub use logout::{
    IdpLogoutRequest, LogoutExpected, LogoutRequest, LogoutResponse, MessageKind,
    REDIRECT_SIGNATURE_ALGORITHMS, Redirected, validate_logout_request, validate_logout_response,
    verify_redirect,
};
pub use metadata::{IdpMetadata, MAX_METADATA_LEN, POST_BINDING, REDIRECT_BINDING, sp_metadata};
pub use request::{AuthnRequest, RSA_SHA256, SpKey, decode_redirect, request_id};
pub use response::{
    Assertion, DEFAULT_SKEW_SECONDS, Expected, MAX_RESPONSE_LEN, validate_response,
    validate_response_xml,
};
pub use xml::{ASSERTION_NS, DSIG_NS, METADATA_NS, PROTOCOL_NS};

/// The prefix of a pool's SP entity id.
pub const SP_ENTITY_PREFIX: &str = "urn:amazon:cognito:sp:";

/// The longest an assertion is remembered when it names no `NotOnOrAfter` of its own
/// beyond the bearer confirmation's (seconds).
pub const MAX_ASSERTION_LIFETIME_SECONDS: i64 = 3600;

/// The pool's SP entity id: `urn:amazon:cognito:sp:<poolId>`.
pub fn sp_entity_id(pool_id: &str) -> String {
    format!("{SP_ENTITY_PREFIX}{pool_id}")
}
