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

/// `SigningKey::sign_claims`: any claims object, signed with one key, verifies with our
/// `Verifier::verify_jws` and with jsonwebtoken from the key's JWKS, and altering it breaks it.
#[test]
fn sign_claims_signs_any_object_verifiably() {
    provider();
    let claims = serde_json::json!({
        "iss": "https://id.example.com/identity", "aud": "us-east-1:0a1b", "sub": "us-east-1:2c3d",
        "amr": ["unauthenticated"], "iat": NOW, "exp": NOW + 600,
    });
    let claims = claims.as_object().expect("object");
    for (keys, alg) in [
        (rsa_keys(30), jsonwebtoken::Algorithm::RS256),
        (es_keys(31), jsonwebtoken::Algorithm::ES256),
    ] {
        let key = keys.active(TokenUse::Id);
        let token = key.sign_claims(claims).expect("sign");
        let header = jsonwebtoken::decode_header(&token).expect("header");
        assert_eq!(header.kid.as_deref(), Some(key.kid()));
        let verified = keys.verifier().verify_jws(&token, NOW).expect("ours");
        assert_eq!(verified.kid, key.kid());
        let back: serde_json::Value = serde_json::from_slice(&verified.payload).expect("json");
        assert_eq!(back.as_object(), Some(claims));
        let set: JwkSet = serde_json::from_str(&keys.jwks().to_json()).expect("jwks");
        let their_key = DecodingKey::from_jwk(set.find(key.kid()).expect("kid")).expect("key");
        let mut v = jsonwebtoken::Validation::new(alg);
        v.set_audience(&["us-east-1:0a1b"]);
        v.validate_exp = false;
        let data = decode::<serde_json::Value>(&token, &their_key, &v).expect("theirs");
        assert_eq!(data.claims["sub"], "us-east-1:2c3d");
        let mut parts: Vec<&str> = token.split('.').collect();
        let other = key
            .sign_claims(&serde_json::Map::from_iter([(
                "sub".to_owned(),
                "x".into(),
            )]))
            .expect("sign");
        parts[1] = other.split('.').nth(1).expect("payload");
        assert_eq!(
            keys.verifier().verify_jws(&parts.join("."), NOW),
            Err(jwt_tokens::Error::InvalidSignature)
        );
    }
}
