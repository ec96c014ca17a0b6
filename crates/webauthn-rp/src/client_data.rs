//! `clientDataJSON` (WebAuthn §5.8.1): the ceremony type, the challenge echoed back and the
//! origin the browser saw.

use serde::Deserialize;
use subtle::ConstantTimeEq as _;

use crate::b64;
use crate::error::{Result, WebAuthnError};
use crate::relying_party::RelyingParty;

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
}

/// Checks `clientDataJSON` for ceremony `kind` (`webauthn.create` / `webauthn.get`): the
/// challenge must be `challenge` and the origin one `rp` allows.
pub(crate) fn check(json: &[u8], kind: &str, challenge: &[u8], rp: &RelyingParty) -> Result<()> {
    let data: ClientData =
        serde_json::from_slice(json).map_err(|_| WebAuthnError::Malformed("clientDataJSON"))?;
    if data.kind != kind {
        return Err(WebAuthnError::WrongType);
    }
    let echoed = b64::decode(&data.challenge, "clientDataJSON.challenge")?;
    if !bool::from(echoed.ct_eq(challenge)) {
        return Err(WebAuthnError::ChallengeMismatch);
    }
    if !rp.allows_origin(&data.origin) {
        return Err(WebAuthnError::OriginNotAllowed);
    }
    Ok(())
}

/// The challenge a `clientDataJSON` carries, unchecked (to find the ceremony it belongs to
/// when the challenge itself is the sealed ceremony state).
pub fn challenge_of(json_b64: &str) -> Result<Vec<u8>> {
    let json = b64::decode(json_b64, "clientDataJSON")?;
    let data: ClientData =
        serde_json::from_slice(&json).map_err(|_| WebAuthnError::Malformed("clientDataJSON"))?;
    b64::decode(&data.challenge, "clientDataJSON.challenge")
}
