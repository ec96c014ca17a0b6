//! A tiny in-test provider: its keys, its JWKS and tokens it signs, good and bad.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_tokens::{Algorithm, Jwk, Jwks, SigningKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::json;

use super::*;

const ISS: &str = "https://idp.example";
const NOW: i64 = 1_790_000_000;

fn key(alg: Algorithm, seed: u64, kid: &str) -> SigningKey {
    SigningKey::generate(alg, &mut ChaCha20Rng::seed_from_u64(seed))
        .unwrap()
        .with_kid(kid)
}

fn jwks_of(keys: &[&SigningKey]) -> Vec<u8> {
    Jwks {
        keys: keys
            .iter()
            .map(|k| Jwk {
                kid: k.kid().to_owned(),
                key: k.public_key().clone(),
            })
            .collect(),
    }
    .to_json()
    .into_bytes()
}

fn claims() -> Map<String, Value> {
    json!({
        "iss": ISS, "sub": "user-1", "aud": "rp", "exp": NOW + 600, "iat": NOW,
        "nonce": "n-1", "email": "u@example.com"
    })
    .as_object()
    .unwrap()
    .clone()
}

fn expected() -> Expected<'static> {
    Expected {
        issuer: ISS,
        client_id: "rp",
        nonce: "n-1",
        now: NOW,
        skew: DEFAULT_SKEW_SECONDS,
    }
}

fn signed(k: &SigningKey, c: &Map<String, Value>) -> String {
    k.sign_claims(c).unwrap()
}

fn with(change: impl FnOnce(&mut Map<String, Value>)) -> Map<String, Value> {
    let mut c = claims();
    change(&mut c);
    c
}

#[test]
fn rs256_and_es256_tokens_verify() {
    let rs = key(Algorithm::RS256, 1, "rs");
    let es = key(Algorithm::ES256, 2, "es");
    let keys = provider_keys(&jwks_of(&[&rs, &es])).unwrap();
    for k in [&rs, &es] {
        let got = validate_id_token(&signed(k, &claims()), &keys, &expected()).unwrap();
        assert_eq!(got["email"], "u@example.com");
    }
}

#[test]
fn a_bad_signature_is_refused() {
    let real = key(Algorithm::ES256, 2, "k");
    let forger = key(Algorithm::ES256, 3, "k");
    let keys = provider_keys(&jwks_of(&[&real])).unwrap();
    assert_eq!(
        validate_id_token(&signed(&forger, &claims()), &keys, &expected()),
        Err(Error::IdToken(IdTokenError::Jws(
            jwt_tokens::Error::InvalidSignature
        )))
    );
}

#[test]
fn alg_none_and_hs256_are_refused() {
    let k = key(Algorithm::ES256, 2, "k");
    let keys = provider_keys(&jwks_of(&[&k])).unwrap();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","kid":"k"}"#);
    assert_eq!(
        validate_id_token(&format!("{none_header}.{payload}."), &keys, &expected()),
        Err(Error::IdToken(IdTokenError::Jws(
            jwt_tokens::Error::UnsignedToken
        )))
    );
    // HS256 keyed with the public key's bytes: the classic confusion attack.
    let hs_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","kid":"k"}"#);
    let sig = URL_SAFE_NO_PAD.encode([7u8; 32]);
    assert_eq!(
        validate_id_token(&format!("{hs_header}.{payload}.{sig}"), &keys, &expected()),
        Err(Error::IdToken(IdTokenError::Jws(
            jwt_tokens::Error::UnsupportedAlgorithm
        )))
    );
}

#[test]
fn claims_are_checked() {
    let k = key(Algorithm::ES256, 2, "k");
    let keys = provider_keys(&jwks_of(&[&k])).unwrap();
    let check = |c: Map<String, Value>| validate_id_token(&signed(&k, &c), &keys, &expected());
    let err = |e| Err(Error::IdToken(e));
    assert_eq!(
        check(with(|c| {
            c.insert("aud".into(), "other".into());
        })),
        err(IdTokenError::WrongAudience)
    );
    assert_eq!(
        check(with(|c| {
            c.insert("iss".into(), "https://evil.example".into());
        })),
        err(IdTokenError::WrongIssuer)
    );
    assert_eq!(
        check(with(|c| {
            c.insert("nonce".into(), "n-2".into());
        })),
        err(IdTokenError::WrongNonce)
    );
    assert_eq!(
        check(with(|c| {
            c.remove("nonce");
        })),
        err(IdTokenError::WrongNonce)
    );
    assert_eq!(
        check(with(|c| {
            c.insert("exp".into(), (NOW - DEFAULT_SKEW_SECONDS - 1).into());
        })),
        err(IdTokenError::Expired)
    );
    // Within the skew, an expired-by-seconds token still passes.
    assert!(
        check(with(|c| {
            c.insert("exp".into(), (NOW - 10).into());
        }))
        .is_ok()
    );
    assert_eq!(
        check(with(|c| {
            c.insert("iat".into(), (NOW + DEFAULT_SKEW_SECONDS + 1).into());
        })),
        err(IdTokenError::IssuedInFuture)
    );
    assert_eq!(
        check(with(|c| {
            c.insert("aud".into(), json!(["rp", "other"]));
        })),
        err(IdTokenError::WrongAuthorizedParty)
    );
    assert!(
        check(with(|c| {
            c.insert("aud".into(), json!(["rp", "other"]));
            c.insert("azp".into(), "rp".into());
        }))
        .is_ok()
    );
    assert_eq!(
        check(with(|c| {
            c.insert("exp".into(), "soon".into());
        })),
        err(IdTokenError::Claim("exp"))
    );
    assert_eq!(
        check(with(|c| {
            c.remove("sub");
        })),
        err(IdTokenError::Claim("sub"))
    );
}

#[test]
fn an_unknown_kid_says_so() {
    let old = key(Algorithm::ES256, 2, "old");
    let new = key(Algorithm::ES256, 4, "new");
    let keys = provider_keys(&jwks_of(&[&old])).unwrap();
    assert_eq!(
        validate_id_token(&signed(&new, &claims()), &keys, &expected()),
        Err(Error::IdToken(IdTokenError::Jws(
            jwt_tokens::Error::UnknownKeyId
        )))
    );
}

#[test]
fn encryption_and_symmetric_keys_in_the_set_are_skipped() {
    let k = key(Algorithm::RS256, 1, "sig");
    let mut doc: Value = serde_json::from_slice(&jwks_of(&[&k])).unwrap();
    let keys = doc["keys"].as_array_mut().unwrap();
    let mut enc = keys[0].clone();
    enc["kid"] = "enc".into();
    enc["use"] = "enc".into();
    enc["alg"] = "RSA-OAEP".into();
    keys.push(enc);
    keys.push(json!({"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}));
    let verifier = provider_keys(doc.to_string().as_bytes()).unwrap();
    assert!(validate_id_token(&signed(&k, &claims()), &verifier, &expected()).is_ok());
    assert_eq!(
        provider_keys(br#"{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}"#).unwrap_err(),
        Error::Jwks("no usable signing key")
    );
}

#[test]
fn user_info_must_name_the_same_subject() {
    let mut id = claims();
    let info = json!({"sub": "user-1", "name": "U", "email": "other@example.com"});
    merge_user_info(&mut id, info.as_object().unwrap().clone()).unwrap();
    assert_eq!(id["name"], "U");
    assert_eq!(id["email"], "u@example.com");
    let other = json!({"sub": "user-2"});
    assert_eq!(
        merge_user_info(&mut id, other.as_object().unwrap().clone()),
        Err(Error::UserInfo("the user-info sub is not the ID token's"))
    );
}
