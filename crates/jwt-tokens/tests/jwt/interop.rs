//! Cross-checks with the `jsonwebtoken` crate: our tokens verify with it using only our JWKS,
//! and its tokens verify with us.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, EncodingKey, Header, decode, encode};
use jwt_tokens::{TokenUse, Validation};

use crate::support::{CLIENT, ISS, NOW, access_claims, es_keys, id_claims, rsa_keys};

/// jsonwebtoken picks a process-wide provider from its features; with both enabled (feature
/// unification in a workspace build) it must be named.
fn provider() {
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
}

fn their_validation(alg: jsonwebtoken::Algorithm, aud: Option<&str>) -> jsonwebtoken::Validation {
    let mut v = jsonwebtoken::Validation::new(alg);
    v.set_issuer(&[ISS]);
    match aud {
        Some(a) => v.set_audience(&[a]),
        None => v.validate_aud = false,
    }
    // Our fixture time is fixed; give their clock-based check room.
    v.validate_exp = false;
    v
}

#[test]
fn our_tokens_verify_with_jsonwebtoken_from_our_jwks() {
    provider();
    for (keys, alg) in [
        (rsa_keys(20), jsonwebtoken::Algorithm::RS256),
        (es_keys(21), jsonwebtoken::Algorithm::ES256),
    ] {
        let set: JwkSet =
            serde_json::from_str(&keys.jwks().to_json()).expect("their JWKS parser accepts ours");
        let id_token = keys
            .sign(TokenUse::Id, &id_claims().to_claims(None).expect("claims"))
            .expect("sign");
        let access_token = keys
            .sign(
                TokenUse::Access,
                &access_claims().to_claims(None).expect("claims"),
            )
            .expect("sign");
        for (token, use_, aud) in [
            (&id_token, TokenUse::Id, Some(CLIENT)),
            (&access_token, TokenUse::Access, None),
        ] {
            let header = jsonwebtoken::decode_header(token).expect("header");
            let jwk = set
                .find(header.kid.as_deref().expect("kid"))
                .expect("kid in JWKS");
            let key = DecodingKey::from_jwk(jwk).expect("decoding key");
            let data = decode::<serde_json::Value>(token, &key, &their_validation(alg, aud))
                .expect("jsonwebtoken verifies our token");
            assert_eq!(data.claims["token_use"], use_.as_str());
        }
    }
}

#[test]
fn jsonwebtoken_tokens_verify_with_us() {
    provider();
    for (keys, alg) in [
        (rsa_keys(22), jsonwebtoken::Algorithm::RS256),
        (es_keys(23), jsonwebtoken::Algorithm::ES256),
    ] {
        let key = keys.active(TokenUse::Access);
        let pem = key.to_pkcs8_pem().expect("pem");
        let encoding = match alg {
            jsonwebtoken::Algorithm::RS256 => EncodingKey::from_rsa_pem(pem.as_bytes()),
            _ => EncodingKey::from_ec_pem(pem.as_bytes()),
        }
        .expect("their key import");
        let mut header = Header::new(alg);
        header.kid = Some(key.kid().to_owned());
        let claims = serde_json::Value::Object(access_claims().to_claims(None).expect("claims"));
        let token = encode(&header, &claims, &encoding).expect("their signer");
        let verified = keys
            .verify(&token, &Validation::access_token(ISS).client(CLIENT), NOW)
            .expect("we verify their token");
        assert_eq!(verified.username(), Some("martin"));
    }
}
