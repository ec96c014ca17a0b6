//! Authentication (WebAuthn §7.2): an `AuthenticationResponseJSON` checked against the
//! challenge, the relying party and the stored credential.

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
struct AssertionBody {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    authenticator_data: String,
    signature: String,
    #[serde(default)]
    user_handle: Option<String>,
}

/// `AuthenticationResponseJSON` (the `CREDENTIAL` answer of the `WEB_AUTHN` challenge).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResponse {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    response: AssertionBody,
}

impl std::fmt::Debug for AuthenticationResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticationResponse")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl AuthenticationResponse {
    /// Reads the JSON text (`CREDENTIAL` is a JSON string in `ChallengeResponses`).
    pub fn from_json_str(text: &str) -> Result<Self> {
        serde_json::from_str(text)
            .map_err(|_| WebAuthnError::Malformed("AuthenticationResponseJSON"))
    }

    /// The credential id the assertion names.
    pub fn credential_id(&self) -> Result<Vec<u8>> {
        b64::decode(&self.id, "id")
    }
}

/// The stored side of a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredential {
    /// The credential id.
    pub credential_id: Vec<u8>,
    /// The COSE public key.
    pub public_key: Vec<u8>,
    /// The last signature counter seen.
    pub sign_count: u32,
}

/// A verified assertion: what to store back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedAssertion {
    /// The new signature counter.
    pub sign_count: u32,
    /// UV was reported.
    pub user_verified: bool,
    /// BS: backed up now.
    pub backed_up: bool,
}

/// Checks an assertion made with `stored`: the challenge, origin, RP id, presence (and
/// verification when required), the signature and the counter (which must grow unless both
/// are zero, as authenticators without counters send).
pub fn verify_assertion(
    response: &AuthenticationResponse,
    challenge: &[u8],
    rp: &RelyingParty,
    stored: &StoredCredential,
) -> Result<VerifiedAssertion> {
    if response.kind != "public-key" {
        return Err(WebAuthnError::WrongType);
    }
    if response.credential_id()? != stored.credential_id {
        return Err(WebAuthnError::CredentialMismatch);
    }
    let client_json = b64::decode(&response.response.client_data_json, "clientDataJSON")?;
    client_data::check(&client_json, "webauthn.get", challenge, rp)?;
    let auth_bytes = b64::decode(&response.response.authenticator_data, "authenticatorData")?;
    let data = AuthenticatorData::parse(&auth_bytes)?;
    if data.rp_id_hash != rp.id_hash() {
        return Err(WebAuthnError::RelyingPartyMismatch);
    }
    if !data.flags.user_present {
        return Err(WebAuthnError::UserNotPresent);
    }
    if rp.user_verification == UserVerification::Required && !data.flags.user_verified {
        return Err(WebAuthnError::UserVerificationRequired);
    }
    if let Some(handle) = &response.response.user_handle {
        b64::decode(handle, "userHandle")?;
    }
    let key = CredentialPublicKey::from_cose(&stored.public_key)?;
    let signature = b64::decode(&response.response.signature, "signature")?;
    let mut signed = auth_bytes;
    signed.extend_from_slice(&Sha256::digest(&client_json));
    key.verify(&signed, &signature)?;
    if (data.sign_count != 0 || stored.sign_count != 0) && data.sign_count <= stored.sign_count {
        return Err(WebAuthnError::CounterRegressed);
    }
    Ok(VerifiedAssertion {
        sign_count: data.sign_count,
        user_verified: data.flags.user_verified,
        backed_up: data.flags.backed_up,
    })
}
