//! Compact JWS: the exact header Cognito writes, and the strict verifier.

use serde_json::{Map, Value};

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::error::{Error, Result, Segment};
use crate::key::SigningKey;
use crate::strict_json::parse_object;

/// Longest token accepted, in bytes, checked before any decoding.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Header members that would make a verifier fetch or trust key material named by the token,
/// or change how the payload is read. They are rejected, never followed.
const FORBIDDEN: [&str; 10] = [
    "jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip", "enc",
];

/// Signs `payload` (a JSON object's bytes) with `key`: `{"kid":"…","alg":"…"}` header, as
/// Cognito writes it.
pub(crate) fn sign(key: &SigningKey, payload: &[u8]) -> Result<String> {
    let kid = serde_json::to_string(key.kid()).map_err(|_| Error::Claims("kid"))?;
    let header = format!(r#"{{"kid":{kid},"alg":"{}"}}"#, key.algorithm().name());
    let mut token = base64url::encode(header.as_bytes());
    token.push('.');
    token.push_str(&base64url::encode(payload));
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    token.push_str(&base64url::encode(&signature));
    Ok(token)
}

/// A token split and its header checked, not yet its signature.
pub(crate) struct Parsed<'a> {
    pub(crate) signing_input: &'a str,
    pub(crate) payload_b64: &'a str,
    pub(crate) signature: Vec<u8>,
    pub(crate) alg: Algorithm,
    pub(crate) kid: String,
}

/// Splits and checks a compact JWS up to the point where the key is needed.
pub(crate) fn parse(token: &str) -> Result<Parsed<'_>> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::TokenTooLong { max: MAX_TOKEN_LEN });
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::Malformed);
    };
    let header = base64url::decode(header_b64).ok_or(Error::Base64(Segment::Header))?;
    let header = parse_object(&header).ok_or(Error::Json(Segment::Header))?;
    let alg = check_header(&header)?;
    let Some(Value::String(kid)) = header.get("kid") else {
        return Err(Error::MissingKeyId);
    };
    let kid = kid.clone();
    let signature = base64url::decode(signature_b64).ok_or(Error::Base64(Segment::Signature))?;
    let signing_input = token
        .get(..header_b64.len() + 1 + payload_b64.len())
        .ok_or(Error::Malformed)?;
    Ok(Parsed {
        signing_input,
        payload_b64,
        signature,
        alg,
        kid,
    })
}

/// The header rules: a supported `alg`, nothing that names a key or changes processing.
fn check_header(header: &Map<String, Value>) -> Result<Algorithm> {
    let Some(Value::String(alg)) = header.get("alg") else {
        return Err(Error::MissingAlgorithm);
    };
    if alg.is_empty() || alg.eq_ignore_ascii_case("none") {
        return Err(Error::UnsignedToken);
    }
    let alg = Algorithm::from_name(alg).ok_or(Error::UnsupportedAlgorithm)?;
    if let Some(name) = FORBIDDEN.iter().find(|m| header.contains_key(**m)) {
        return Err(Error::ForbiddenHeader(name));
    }
    for name in ["typ", "cty"] {
        if header.get(name).is_some_and(|v| !v.is_string()) {
            return Err(Error::InvalidHeader(if name == "typ" {
                "typ"
            } else {
                "cty"
            }));
        }
    }
    Ok(alg)
}

/// Decodes the payload of a token whose signature was verified.
pub(crate) fn payload(payload_b64: &str) -> Result<Map<String, Value>> {
    let bytes = base64url::decode(payload_b64).ok_or(Error::Base64(Segment::Payload))?;
    parse_object(&bytes).ok_or(Error::Json(Segment::Payload))
}

/// The raw payload bytes of a token whose signature was verified (for non-claims JWS).
pub(crate) fn payload_bytes(payload_b64: &str) -> Result<Vec<u8>> {
    base64url::decode(payload_b64).ok_or(Error::Base64(Segment::Payload))
}
