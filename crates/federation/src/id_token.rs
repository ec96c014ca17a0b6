//! The provider's ID token: its key set and the checks an OIDC relying party makes
//! (OpenID Connect Core §3.1.3.7): signature over the provider's JWKS (RS256/ES256 only,
//! through `jwt-tokens`' strict verifier: never `alg: none`, never HS*), `iss`, `aud`/`azp`,
//! `nonce`, `exp` and `iat` with a clock skew.

use serde_json::{Map, Value};
use subtle::ConstantTimeEq as _;

use crate::error::{Error, IdTokenError, Result};

/// Clock skew allowed on `exp` and `iat`, seconds.
pub const DEFAULT_SKEW_SECONDS: i64 = 300;

/// A provider's key set from its JWKS document. Keys that cannot sign ID tokens for us
/// (`use: enc`, symmetric keys, curves and algorithms other than RS256/ES256, keys without
/// `kid`) are skipped rather than refusing the whole set, as a provider's set may hold them.
pub fn provider_keys(jwks: &[u8]) -> Result<jwt_tokens::Verifier> {
    provider_keys_with(jwks, jwt_tokens::default_backend())
}

/// [`provider_keys`] with a signature backend.
pub fn provider_keys_with(
    jwks: &[u8],
    backend: &dyn jwt_tokens::Backend,
) -> Result<jwt_tokens::Verifier> {
    if jwks.len() > jwt_tokens::MAX_JWKS_LEN {
        return Err(Error::Jwks("too large"));
    }
    let doc = jwt_tokens::strict_json::parse_object(jwks).ok_or(Error::Jwks("not JSON"))?;
    let keys = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or(Error::Jwks("no keys"))?;
    let usable: Vec<Value> = keys
        .iter()
        .filter_map(Value::as_object)
        .filter(|k| k.get("use").is_none_or(|u| u == "sig"))
        .filter(|k| k.get("kid").is_some_and(Value::is_string))
        .filter(
            |k| match (k.get("kty").and_then(Value::as_str), k.get("alg")) {
                (Some("RSA"), None) => true,
                (Some("RSA"), Some(a)) => a == "RS256",
                (Some("EC"), alg) => {
                    k.get("crv").and_then(Value::as_str) == Some("P-256")
                        && alg.is_none_or(|a| a == "ES256")
                }
                _ => false,
            },
        )
        .map(|k| {
            // Only the members a public signing key needs.
            let keep = ["kty", "kid", "use", "alg", "n", "e", "crv", "x", "y"];
            Value::Object(
                k.iter()
                    .filter(|(name, _)| keep.contains(&name.as_str()))
                    .map(|(n, v)| (n.clone(), v.clone()))
                    .collect(),
            )
        })
        .take(jwt_tokens::MAX_JWKS_KEYS)
        .collect();
    if usable.is_empty() {
        return Err(Error::Jwks("no usable signing key"));
    }
    let filtered = serde_json::json!({ "keys": usable }).to_string();
    let parsed =
        jwt_tokens::Jwks::parse(filtered.as_bytes()).map_err(|_| Error::Jwks("invalid key"))?;
    jwt_tokens::Verifier::from_jwks_with(&parsed, backend).map_err(|_| Error::Jwks("invalid key"))
}

/// What an ID token must match.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The provider's issuer (`oidc_issuer`), compared exactly.
    pub issuer: &'a str,
    /// Our client id at the provider.
    pub client_id: &'a str,
    /// The nonce sent with the authorization request.
    pub nonce: &'a str,
    /// Unix seconds now.
    pub now: i64,
    /// Allowed clock skew (seconds).
    pub skew: i64,
}

fn int_claim(claims: &Map<String, Value>, name: &'static str) -> Result<i64, IdTokenError> {
    claims
        .get(name)
        .and_then(Value::as_i64)
        .ok_or(IdTokenError::Claim(name))
}

/// Verifies `token` with `keys` and checks its claims against `expected`; the claims on
/// success. `Err(IdToken(Jws(UnknownKeyId)))` means the key set may be stale (refetch once).
pub fn validate_id_token(
    token: &str,
    keys: &jwt_tokens::Verifier,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>> {
    let jws = keys
        .verify_jws(token, expected.now)
        .map_err(IdTokenError::Jws)?;
    let claims =
        jwt_tokens::strict_json::parse_object(&jws.payload).ok_or(IdTokenError::Payload)?;
    check_claims(&claims, expected)?;
    Ok(claims)
}

/// The claim checks of [`validate_id_token`] on an already verified payload.
pub fn check_claims(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(), IdTokenError> {
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or(IdTokenError::Claim("iss"))?;
    if iss != expected.issuer {
        return Err(IdTokenError::WrongIssuer);
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() => {}
        _ => return Err(IdTokenError::Claim("sub")),
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| v.as_str().ok_or(IdTokenError::Claim("aud")))
            .collect::<Result<_, _>>()?,
        _ => return Err(IdTokenError::Claim("aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(IdTokenError::WrongAudience);
    }
    match claims.get("azp") {
        None => {
            if audiences.len() > 1 {
                return Err(IdTokenError::WrongAuthorizedParty);
            }
        }
        Some(Value::String(azp)) if azp == expected.client_id => {}
        Some(_) => return Err(IdTokenError::WrongAuthorizedParty),
    }
    let exp = int_claim(claims, "exp")?;
    if expected.now > exp.saturating_add(expected.skew) {
        return Err(IdTokenError::Expired);
    }
    let iat = int_claim(claims, "iat")?;
    if iat > expected.now.saturating_add(expected.skew) {
        return Err(IdTokenError::IssuedInFuture);
    }
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .ok_or(IdTokenError::WrongNonce)?;
    if !bool::from(nonce.as_bytes().ct_eq(expected.nonce.as_bytes())) {
        return Err(IdTokenError::WrongNonce);
    }
    Ok(())
}

/// Merges user-info claims into the ID token's: the user-info `sub`, if any, must be the ID
/// token's (OpenID Connect Core §5.3.2); ID-token claims win.
pub fn merge_user_info(
    id_claims: &mut Map<String, Value>,
    user_info: Map<String, Value>,
) -> Result<()> {
    if let (Some(a), Some(b)) = (id_claims.get("sub"), user_info.get("sub"))
        && a != b
    {
        return Err(Error::UserInfo("the user-info sub is not the ID token's"));
    }
    for (k, v) in user_info {
        id_claims.entry(k).or_insert(v);
    }
    Ok(())
}

#[cfg(test)]
#[path = "id_token_tests.rs"]
mod tests;
