//! The relying party (RP id, allowed origins, user verification) and the options documents a
//! ceremony starts with: `CredentialCreationOptions` (StartWebAuthnRegistration) and the
//! request options of the `WEB_AUTHN` challenge (`CREDENTIAL_REQUEST_OPTIONS`).

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::b64;
use crate::cose::{ES256, RS256};

/// How much user verification the pool asks for (`WebAuthnConfiguration.UserVerification`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserVerification {
    /// `required`: a credential must report UV.
    Required,
    /// `preferred` (Cognito's default): UV is asked for, not insisted on.
    #[default]
    Preferred,
}

impl UserVerification {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Preferred => "preferred",
        }
    }

    /// The value named `name` (`required` / `preferred`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "required" => Some(Self::Required),
            "preferred" => Some(Self::Preferred),
            _ => None,
        }
    }
}

/// Milliseconds a ceremony's options give the browser.
pub const CEREMONY_TIMEOUT_MS: u64 = 180_000;

/// The relying party a ceremony runs for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// The RP id: a domain (`example.com`, `auth.example.com`, `localhost`).
    pub id: String,
    /// The RP's display name in the creation options.
    pub name: String,
    /// Origins allowed in `clientDataJSON.origin` (`https://app.example.com`), compared
    /// exactly.
    pub origins: Vec<String>,
    /// User verification.
    pub user_verification: UserVerification,
}

/// A credential to list in `excludeCredentials` / `allowCredentials`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialDescriptor {
    /// The credential id.
    pub id: Vec<u8>,
    /// Its transports (`internal`, `hybrid`, `usb`…), as registered.
    pub transports: Vec<String>,
}

fn descriptors(credentials: &[CredentialDescriptor]) -> Value {
    Value::Array(
        credentials
            .iter()
            .map(|c| {
                let mut d = json!({ "type": "public-key", "id": b64::encode(&c.id) });
                if !c.transports.is_empty()
                    && let Some(map) = d.as_object_mut()
                {
                    map.insert("transports".into(), json!(c.transports));
                }
                d
            })
            .collect(),
    )
}

impl RelyingParty {
    /// SHA-256 of the RP id (what authenticator data must carry).
    pub fn id_hash(&self) -> [u8; 32] {
        Sha256::digest(self.id.as_bytes()).into()
    }

    /// Whether `origin` may run ceremonies for this RP.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }

    /// `PublicKeyCredentialCreationOptionsJSON` (WebAuthn Level 3 §5.4 JSON form): a
    /// discoverable credential (passkey), ES256 then RS256, no attestation asked for, the
    /// user's other credentials excluded.
    pub fn creation_options(
        &self,
        challenge: &[u8],
        user_handle: &[u8],
        user_name: &str,
        display_name: &str,
        exclude: &[CredentialDescriptor],
    ) -> Value {
        json!({
            "challenge": b64::encode(challenge),
            "rp": { "id": self.id, "name": self.name },
            "user": {
                "id": b64::encode(user_handle),
                "name": user_name,
                "displayName": display_name,
            },
            "pubKeyCredParams": [
                { "type": "public-key", "alg": ES256 },
                { "type": "public-key", "alg": RS256 },
            ],
            "timeout": CEREMONY_TIMEOUT_MS,
            "excludeCredentials": descriptors(exclude),
            "authenticatorSelection": {
                "residentKey": "required",
                "requireResidentKey": true,
                "userVerification": self.user_verification.as_str(),
            },
            "attestation": "none",
            "hints": [],
            "extensions": { "credProps": true },
        })
    }

    /// `PublicKeyCredentialRequestOptionsJSON` for a sign-in with one of `allow`.
    pub fn request_options(&self, challenge: &[u8], allow: &[CredentialDescriptor]) -> Value {
        json!({
            "challenge": b64::encode(challenge),
            "rpId": self.id,
            "timeout": CEREMONY_TIMEOUT_MS,
            "allowCredentials": descriptors(allow),
            "userVerification": self.user_verification.as_str(),
        })
    }
}
