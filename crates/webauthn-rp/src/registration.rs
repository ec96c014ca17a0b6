//! Registration (WebAuthn §7.1): a `RegistrationResponseJSON` checked against the challenge
//! issued and the relying party; attestation `none` and `packed` accepted.

use ciborium::Value;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::auth_data::AuthenticatorData;
use crate::b64;
use crate::client_data;
use crate::cose::CredentialPublicKey;
use crate::error::{Result, WebAuthnError};
use crate::relying_party::{RelyingParty, UserVerification};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attestation {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
    #[serde(default)]
    transports: Vec<String>,
}

/// `RegistrationResponseJSON` (the `Credential` of CompleteWebAuthnRegistration).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationResponse {
    id: String,
    #[serde(default)]
    raw_id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    response: Attestation,
    #[serde(default)]
    authenticator_attachment: Option<String>,
}

impl std::fmt::Debug for RegistrationResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationResponse")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl RegistrationResponse {
    /// Reads the JSON document.
    pub fn from_json(value: &serde_json::Value) -> Result<Self> {
        Self::deserialize(value).map_err(|_| WebAuthnError::Malformed("RegistrationResponseJSON"))
    }

    /// The challenge `clientDataJSON` echoes (unchecked).
    pub fn challenge(&self) -> Result<Vec<u8>> {
        client_data::challenge_of(&self.response.client_data_json)
    }
}

/// A verified new credential, to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    /// The credential id.
    pub credential_id: Vec<u8>,
    /// The public key, COSE-encoded.
    pub public_key: Vec<u8>,
    /// The COSE algorithm.
    pub algorithm: i64,
    /// The signature counter at registration.
    pub sign_count: u32,
    /// The authenticator model.
    pub aaguid: [u8; 16],
    /// UV was reported.
    pub user_verified: bool,
    /// BE: a synced (backup-eligible) passkey.
    pub backup_eligible: bool,
    /// BS: backed up now.
    pub backed_up: bool,
    /// The attestation format (`none` / `packed`).
    pub attestation_format: String,
    /// `response.transports`.
    pub transports: Vec<String>,
    /// `authenticatorAttachment` (`platform` / `cross-platform`).
    pub authenticator_attachment: Option<String>,
}

fn text<'a>(map: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
}

/// Checks a registration: the challenge, origin, RP id, user presence (and verification when
/// required), the credential's algorithm and the attestation statement.
pub fn verify_registration(
    response: &RegistrationResponse,
    challenge: &[u8],
    rp: &RelyingParty,
) -> Result<NewCredential> {
    if response.kind != "public-key" {
        return Err(WebAuthnError::WrongType);
    }
    let client_json = b64::decode(&response.response.client_data_json, "clientDataJSON")?;
    client_data::check(&client_json, "webauthn.create", challenge, rp)?;
    let object = b64::decode(&response.response.attestation_object, "attestationObject")?;
    let object: Value = ciborium::from_reader(object.as_slice())
        .map_err(|_| WebAuthnError::Malformed("attestationObject"))?;
    let map = object
        .as_map()
        .ok_or(WebAuthnError::Malformed("attestationObject"))?;
    let format = text(map, "fmt")
        .and_then(Value::as_text)
        .ok_or(WebAuthnError::Malformed("attestationObject.fmt"))?;
    let statement = text(map, "attStmt")
        .and_then(Value::as_map)
        .ok_or(WebAuthnError::Malformed("attestationObject.attStmt"))?;
    let auth_bytes = text(map, "authData")
        .and_then(Value::as_bytes)
        .ok_or(WebAuthnError::Malformed("attestationObject.authData"))?;
    let data = AuthenticatorData::parse(auth_bytes)?;
    if data.rp_id_hash != rp.id_hash() {
        return Err(WebAuthnError::RelyingPartyMismatch);
    }
    if !data.flags.user_present {
        return Err(WebAuthnError::UserNotPresent);
    }
    if rp.user_verification == UserVerification::Required && !data.flags.user_verified {
        return Err(WebAuthnError::UserVerificationRequired);
    }
    let credential = data
        .credential
        .as_ref()
        .ok_or(WebAuthnError::Malformed("attested credential data"))?;
    let id = b64::decode(&response.id, "id")?;
    let raw_id = match &response.raw_id {
        Some(raw) => b64::decode(raw, "rawId")?,
        None => id.clone(),
    };
    if id != credential.credential_id || raw_id != id {
        return Err(WebAuthnError::CredentialMismatch);
    }
    match format {
        "none" if statement.is_empty() => {}
        "none" => return Err(WebAuthnError::InvalidAttestation),
        "packed" => packed(statement, auth_bytes, &client_json, &credential.public_key)?,
        _ => return Err(WebAuthnError::UnsupportedAttestation),
    }
    Ok(NewCredential {
        credential_id: credential.credential_id.clone(),
        public_key: credential.public_key_cose.clone(),
        algorithm: credential.public_key.algorithm(),
        sign_count: data.sign_count,
        aaguid: credential.aaguid,
        user_verified: data.flags.user_verified,
        backup_eligible: data.flags.backup_eligible,
        backed_up: data.flags.backed_up,
        attestation_format: format.to_owned(),
        transports: response.response.transports.clone(),
        authenticator_attachment: response.authenticator_attachment.clone(),
    })
}

/// `packed` (WebAuthn §8.2). Self attestation (no `x5c`) is verified with the credential's
/// own key. With `x5c` the statement is accepted unverified: the options ask for no
/// attestation and the pool keeps no trust anchors, so a certificate chain would prove
/// nothing the pool uses (browsers replace it with `none` for such requests anyway).
fn packed(
    statement: &[(Value, Value)],
    auth_data: &[u8],
    client_json: &[u8],
    key: &CredentialPublicKey,
) -> Result<()> {
    let alg = text(statement, "alg")
        .and_then(Value::as_integer)
        .map(i128::from)
        .ok_or(WebAuthnError::InvalidAttestation)?;
    let sig = text(statement, "sig")
        .and_then(Value::as_bytes)
        .ok_or(WebAuthnError::InvalidAttestation)?;
    if text(statement, "x5c").is_some() {
        return Ok(());
    }
    if alg != i128::from(key.algorithm()) {
        return Err(WebAuthnError::InvalidAttestation);
    }
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_json));
    key.verify(&signed, sig)
        .map_err(|_| WebAuthnError::InvalidAttestation)
}
