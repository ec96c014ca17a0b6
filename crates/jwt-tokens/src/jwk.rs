//! JWK and JWKS documents: output exactly as Cognito serves them, strict parsing of others'.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::algorithm::Algorithm;
use crate::base64url;
use crate::error::{Error, Result, Segment};
use crate::key::PublicKey;
use crate::roca;
use crate::strict_json::parse_object;

/// Largest JWKS document parsed, in bytes.
pub const MAX_JWKS_LEN: usize = 64 * 1024;
/// Most keys in one JWKS.
pub const MAX_JWKS_KEYS: usize = 32;

/// A public key with its id, as one entry of a JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// `kid`.
    pub kid: String,
    /// The key; its type fixes `alg` (RS256 for RSA, ES256 for P-256).
    pub key: PublicKey,
}

/// A JWK Set (`/.well-known/jwks.json`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Jwks {
    /// The keys, in order.
    pub keys: Vec<Jwk>,
}

#[derive(Serialize)]
struct RsaOut<'a> {
    alg: &'static str,
    e: String,
    kid: &'a str,
    kty: &'static str,
    n: String,
    #[serde(rename = "use")]
    use_: &'static str,
}

#[derive(Serialize)]
struct EcOut<'a> {
    alg: &'static str,
    crv: &'static str,
    kid: &'a str,
    kty: &'static str,
    #[serde(rename = "use")]
    use_: &'static str,
    x: String,
    y: String,
}

impl Jwk {
    fn to_value(&self) -> Value {
        let value = match &self.key {
            PublicKey::Rsa { n, e } => serde_json::to_value(RsaOut {
                alg: "RS256",
                e: base64url::encode(e),
                kid: &self.kid,
                kty: "RSA",
                n: base64url::encode(n),
                use_: "sig",
            }),
            PublicKey::P256 { x, y } => serde_json::to_value(EcOut {
                alg: "ES256",
                crv: "P-256",
                kid: &self.kid,
                kty: "EC",
                use_: "sig",
                x: base64url::encode(x),
                y: base64url::encode(y),
            }),
        };
        value.unwrap_or(Value::Null)
    }

    /// Reads one JWK object strictly (see [`Jwks::parse`]).
    fn from_object(obj: &Map<String, Value>) -> Result<Self> {
        const PRIVATE: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
        if PRIVATE.iter().any(|m| obj.contains_key(*m)) {
            return Err(Error::InvalidJwks("private or symmetric key material"));
        }
        let kid = match obj.get("kid") {
            Some(Value::String(k)) if !k.is_empty() => k.clone(),
            _ => return Err(Error::InvalidJwks("key without a string kid")),
        };
        match obj.get("use") {
            None => {}
            Some(Value::String(u)) if u == "sig" => {}
            _ => return Err(Error::InvalidJwks("key not for signatures (use)")),
        }
        if let Some(ops) = obj.get("key_ops") {
            let ok = ops.as_array().is_some_and(|ops| {
                !ops.is_empty() && ops.iter().all(|o| o.as_str() == Some("verify"))
            });
            if !ok {
                return Err(Error::InvalidJwks("key_ops other than verify"));
            }
        }
        let string = |name: &'static str| -> Result<Vec<u8>> {
            obj.get(name)
                .and_then(Value::as_str)
                .and_then(base64url::decode)
                .ok_or(Error::InvalidJwks("key member missing or not base64url"))
        };
        let key = match obj.get("kty").and_then(Value::as_str) {
            Some("RSA") => {
                let n = string("n")?;
                let key = PublicKey::rsa(&n, &string("e")?)?;
                if roca::has_fingerprint(&n) {
                    return Err(Error::InvalidKey("RSA modulus has the ROCA fingerprint"));
                }
                key
            }
            Some("EC") => {
                if obj.get("crv").and_then(Value::as_str) != Some("P-256") {
                    return Err(Error::InvalidJwks("curve other than P-256"));
                }
                PublicKey::p256(&string("x")?, &string("y")?)?
            }
            _ => return Err(Error::InvalidJwks("key type other than RSA or EC")),
        };
        match obj.get("alg") {
            None => {}
            Some(Value::String(a)) if Algorithm::from_name(a) == Some(key.algorithm()) => {}
            _ => return Err(Error::InvalidJwks("alg does not match the key")),
        }
        Ok(Self { kid, key })
    }
}

impl Jwks {
    /// The document as Cognito serves it: `{"keys":[{"alg","e","kid","kty","n","use"},…]}`.
    pub fn to_json(&self) -> String {
        let keys: Vec<Value> = self.keys.iter().map(Jwk::to_value).collect();
        serde_json::json!({ "keys": keys }).to_string()
    }

    /// Parses someone else's JWKS, strictly: a JSON object (no duplicate members, bounded size
    /// and depth) whose `keys` are RSA (2048–8192 bits, odd `e ≥ 3`, no ROCA fingerprint) or
    /// P-256 (point on the curve) public keys for signatures, each with a unique `kid` and an
    /// `alg`, if given, that matches the key. A private or symmetric key, an unknown `kty`,
    /// `use` other than `sig` or `key_ops` other than `verify` rejects the whole set.
    pub fn parse(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_JWKS_LEN {
            return Err(Error::InvalidJwks("document too large"));
        }
        let obj = parse_object(json).ok_or(Error::Json(Segment::Jwk))?;
        let keys = obj
            .get("keys")
            .and_then(Value::as_array)
            .ok_or(Error::InvalidJwks("no keys array"))?;
        if keys.len() > MAX_JWKS_KEYS {
            return Err(Error::InvalidJwks("too many keys"));
        }
        let mut out: Vec<Jwk> = Vec::with_capacity(keys.len());
        for key in keys {
            let jwk = Jwk::from_object(
                key.as_object()
                    .ok_or(Error::InvalidJwks("key is not an object"))?,
            )?;
            if out.iter().any(|k| k.kid == jwk.kid) {
                return Err(Error::InvalidJwks("duplicate kid"));
            }
            out.push(jwk);
        }
        Ok(Self { keys: out })
    }
}
