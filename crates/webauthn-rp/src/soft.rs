//! A software authenticator for tests (feature `soft-authenticator`): one ES256 passkey,
//! `none` or `packed` self attestation, a signature counter, chosen flags. It answers the
//! options documents this crate writes with the JSON a browser would hand the page.

use ciborium::Value;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{DerSignature, SigningKey};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use crate::b64;

/// The attestation statement to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoftAttestation {
    /// `none`, as synced passkeys send.
    None,
    /// `packed` self attestation (signed with the credential key).
    Packed,
}

/// A one-credential software authenticator.
#[derive(Debug, Clone)]
pub struct SoftAuthenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
    /// The counter the next assertion reports (incremented first); 0 keeps it at 0.
    pub counter: u32,
    /// Report user verification.
    pub user_verified: bool,
    /// Report backup eligibility and state (a synced passkey).
    pub backed_up: bool,
    /// Report user presence.
    pub user_present: bool,
}

fn flags(up: bool, uv: bool, backed_up: bool, at: bool) -> u8 {
    u8::from(up) | (u8::from(uv) << 2) | (u8::from(backed_up) * 0x18) | (u8::from(at) << 6)
}

fn str_of<'a>(value: &'a serde_json::Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}

impl SoftAuthenticator {
    /// An authenticator whose key is derived from `seed` and whose credential id is `id`.
    ///
    /// # Panics
    /// If `seed` is not a valid P-256 scalar (test use only).
    #[allow(clippy::expect_used, reason = "test helper")]
    pub fn new(seed: [u8; 32], credential_id: &[u8]) -> Self {
        Self {
            key: SigningKey::from_slice(&seed).expect("a valid P-256 scalar"),
            credential_id: credential_id.to_vec(),
            counter: 1,
            user_verified: true,
            backed_up: true,
            user_present: true,
        }
    }

    /// The credential id.
    pub fn credential_id(&self) -> &[u8] {
        &self.credential_id
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let x = bytes.get(1..33).unwrap_or_default().to_vec();
        let y = bytes.get(33..65).unwrap_or_default().to_vec();
        let key = Value::Map(vec![
            (Value::from(1), Value::from(2)),
            (Value::from(3), Value::from(-7)),
            (Value::from(-1), Value::from(1)),
            (Value::from(-2), Value::Bytes(x)),
            (Value::from(-3), Value::Bytes(y)),
        ]);
        cbor(&key)
    }

    fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        let sig: DerSignature = self.key.sign(message);
        sig.as_bytes().to_vec()
    }

    /// Answers creation options (`navigator.credentials.create`) for `origin`:
    /// `RegistrationResponseJSON`. `rp_id` overrides the options' `rp.id` (to test a
    /// mismatch).
    pub fn register(
        &self,
        options: &serde_json::Value,
        origin: &str,
        attestation: SoftAttestation,
        rp_id: Option<&str>,
    ) -> serde_json::Value {
        let rp = rp_id.unwrap_or_else(|| {
            options
                .get("rp")
                .map(|rp| str_of(rp, "id"))
                .unwrap_or_default()
        });
        let client = Self::client_data("webauthn.create", str_of(options, "challenge"), origin);
        let mut auth = Sha256::digest(rp.as_bytes()).to_vec();
        auth.push(flags(
            self.user_present,
            self.user_verified,
            self.backed_up,
            true,
        ));
        auth.extend_from_slice(&0u32.to_be_bytes());
        auth.extend_from_slice(&[0; 16]);
        auth.extend_from_slice(
            &u16::try_from(self.credential_id.len())
                .unwrap_or(0)
                .to_be_bytes(),
        );
        auth.extend_from_slice(&self.credential_id);
        auth.extend_from_slice(&self.cose_key());
        let statement = match attestation {
            SoftAttestation::None => Value::Map(Vec::new()),
            SoftAttestation::Packed => {
                let mut signed = auth.clone();
                signed.extend_from_slice(&Sha256::digest(&client));
                Value::Map(vec![
                    (Value::from("alg"), Value::from(-7)),
                    (Value::from("sig"), Value::Bytes(self.sign(&signed))),
                ])
            }
        };
        let fmt = match attestation {
            SoftAttestation::None => "none",
            SoftAttestation::Packed => "packed",
        };
        let object = Value::Map(vec![
            (Value::from("fmt"), Value::from(fmt)),
            (Value::from("attStmt"), statement),
            (Value::from("authData"), Value::Bytes(auth)),
        ]);
        let id = b64::encode(&self.credential_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64::encode(&client),
                "attestationObject": b64::encode(&cbor(&object)),
                "transports": ["internal", "hybrid"],
            },
        })
    }

    /// Answers request options (`navigator.credentials.get`) for `origin`:
    /// `AuthenticationResponseJSON`, the counter incremented first (unless it is 0).
    pub fn authenticate(
        &mut self,
        options: &serde_json::Value,
        origin: &str,
        user_handle: Option<&[u8]>,
    ) -> serde_json::Value {
        if self.counter != 0 {
            self.counter += 1;
        }
        let client = Self::client_data("webauthn.get", str_of(options, "challenge"), origin);
        let mut auth = Sha256::digest(str_of(options, "rpId").as_bytes()).to_vec();
        auth.push(flags(
            self.user_present,
            self.user_verified,
            self.backed_up,
            false,
        ));
        auth.extend_from_slice(&self.counter.to_be_bytes());
        let mut signed = auth.clone();
        signed.extend_from_slice(&Sha256::digest(&client));
        let id = b64::encode(&self.credential_id);
        json!({
            "id": id,
            "rawId": id,
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64::encode(&client),
                "authenticatorData": b64::encode(&auth),
                "signature": b64::encode(&self.sign(&signed)),
                "userHandle": user_handle.map(b64::encode),
            },
        })
    }
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = ciborium::into_writer(value, &mut out);
    out
}
