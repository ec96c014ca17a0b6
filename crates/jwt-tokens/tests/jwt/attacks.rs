//! Forged, confused and malformed tokens, each with the exact error (security spec §7 items
//! 18, 25 and 27, plus header, structure and key-rotation rules).

use hmac::{KeyInit, Mac};
use jwt_tokens::backend::{Backend, RustCrypto};
use jwt_tokens::{
    Algorithm, ClaimOverrides, Error, KeySet, Segment, SigningKey, TokenUse, Validation,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{Value, json};

use crate::support::{CLIENT, ISS, NOW, access_claims, b64u, es_keys, id_claims, rsa_keys};

fn access() -> Validation {
    Validation::access_token(ISS).client(CLIENT).leeway(300)
}

fn id() -> Validation {
    Validation::id_token(ISS, CLIENT).leeway(300)
}

/// Signs an arbitrary header and payload with `key` (what a holder of our key could mint,
/// or what an attacker mints with their own key).
fn forge(key: &SigningKey, header: &Value, payload: &Value) -> String {
    let pem = key.to_pkcs8_pem().expect("pem");
    let (_, der) = rsa::pkcs8::der::pem::decode_vec(pem.as_bytes()).expect("der");
    let signer = RustCrypto.signer(key.algorithm(), &der).expect("signer");
    let input = format!(
        "{}.{}",
        b64u(header.to_string().as_bytes()),
        b64u(payload.to_string().as_bytes())
    );
    format!(
        "{input}.{}",
        b64u(&signer.sign(input.as_bytes()).expect("sign"))
    )
}

fn raw(header: &str, payload: &str, sig: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64u(header.as_bytes()),
        b64u(payload.as_bytes()),
        b64u(sig)
    )
}

fn access_payload() -> Value {
    Value::Object(access_claims().to_claims(None).expect("claims"))
}

fn kid(keys: &KeySet, use_: TokenUse) -> String {
    keys.active(use_).kid().to_owned()
}

#[test]
fn a_genuine_token_passes() {
    let keys = rsa_keys(1);
    let token = keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    assert!(keys.verify(&token, &access(), NOW).is_ok());
    let header = crate::support::b64u_decode(token.split('.').next().expect("header"));
    assert_eq!(
        String::from_utf8(header).expect("utf8"),
        format!(
            r#"{{"kid":"{}","alg":"RS256"}}"#,
            kid(&keys, TokenUse::Access)
        )
    );
}

/// ★18: alg none in every spelling, and empty.
#[test]
fn unsigned_tokens() {
    let keys = rsa_keys(1);
    let k = kid(&keys, TokenUse::Access);
    let payload = access_payload().to_string();
    for alg in ["none", "None", "NONE", "nOnE", ""] {
        let token = format!(
            "{}.{}.",
            b64u(json!({"alg": alg, "kid": k}).to_string().as_bytes()),
            b64u(payload.as_bytes())
        );
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::UnsignedToken),
            "{alg:?}"
        );
    }
    let no_alg = raw(&json!({"kid": k}).to_string(), &payload, b"x");
    assert_eq!(
        keys.verify(&no_alg, &access(), NOW),
        Err(Error::MissingAlgorithm)
    );
    let numeric = raw(&json!({"alg": 256, "kid": k}).to_string(), &payload, b"x");
    assert_eq!(
        keys.verify(&numeric, &access(), NOW),
        Err(Error::MissingAlgorithm)
    );
}

/// ★18: HS256 keyed with our public key as PEM, DER, JWK JSON and raw modulus.
#[test]
fn symmetric_key_confusion() {
    use rsa::pkcs8::EncodePublicKey;
    let keys = rsa_keys(1);
    let k = kid(&keys, TokenUse::Access);
    let jwk = keys.jwks().to_json();
    let jwt_tokens::PublicKey::Rsa { n, e } = keys.active(TokenUse::Access).public_key().clone()
    else {
        panic!("rsa")
    };
    let public = rsa::RsaPublicKey::new(
        rsa::BoxedUint::from_be_slice_vartime(&n),
        rsa::BoxedUint::from_be_slice_vartime(&e),
    )
    .expect("pk");
    let pem = public
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .expect("pem");
    let der = public.to_public_key_der().expect("der");
    let header = json!({"alg": "HS256", "kid": k}).to_string();
    let payload = access_payload().to_string();
    for secret in [pem.as_bytes(), der.as_bytes(), jwk.as_bytes(), &n[..]] {
        let input = format!("{}.{}", b64u(header.as_bytes()), b64u(payload.as_bytes()));
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("hmac");
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", b64u(&mac.finalize().into_bytes()));
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::UnsupportedAlgorithm)
        );
    }
}

/// ★18: other algorithms on an RS256 key, and an ES256 token naming an RS256 key.
#[test]
fn algorithm_substitution() {
    let keys = rsa_keys(1);
    let k = kid(&keys, TokenUse::Access);
    let payload = access_payload();
    for alg in [
        "RS512", "RS384", "PS256", "ES384", "HS512", "EdDSA", "rs256",
    ] {
        let token = raw(
            &json!({"alg": alg, "kid": k}).to_string(),
            &payload.to_string(),
            &[1; 256],
        );
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::UnsupportedAlgorithm),
            "{alg}"
        );
    }
    let attacker =
        SigningKey::generate(Algorithm::ES256, &mut ChaCha20Rng::seed_from_u64(9)).expect("key");
    let token = forge(&attacker, &json!({"alg": "ES256", "kid": k}), &payload);
    assert_eq!(
        keys.verify(&token, &access(), NOW),
        Err(Error::AlgorithmMismatch)
    );
}

/// ★18: embedded keys and key URLs are refused, never followed.
#[test]
fn embedded_and_remote_keys() {
    let keys = rsa_keys(1);
    let k = kid(&keys, TokenUse::Access);
    let attacker =
        SigningKey::generate(Algorithm::RS256, &mut ChaCha20Rng::seed_from_u64(8)).expect("key");
    let attacker_jwk: Value = serde_json::from_str::<Value>(
        &jwt_tokens::Jwks {
            keys: vec![jwt_tokens::Jwk {
                kid: k.clone(),
                key: attacker.public_key().clone(),
            }],
        }
        .to_json(),
    )
    .expect("jwk")["keys"][0]
        .clone();
    let payload = access_payload();
    let cases: [(&str, Value); 9] = [
        ("jwk", attacker_jwk),
        ("x5c", json!(["MIIBIjANBgkq"])),
        ("jku", json!("https://evil.example/jwks.json")),
        ("x5u", json!("https://evil.example/cert.pem")),
        ("x5t", json!("abc")),
        ("x5t#S256", json!("abc")),
        ("crit", json!(["exp"])),
        ("b64", json!(false)),
        ("zip", json!("DEF")),
    ];
    for (member, value) in cases {
        let mut header = json!({"alg": "RS256", "kid": k});
        header[member] = value;
        let token = forge(&attacker, &header, &payload);
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::ForbiddenHeader(member)),
            "{member}"
        );
    }
    let token = forge(
        &attacker,
        &json!({"alg": "RS256", "kid": k, "typ": 1}),
        &payload,
    );
    assert_eq!(
        keys.verify(&token, &access(), NOW),
        Err(Error::InvalidHeader("typ"))
    );
    // The attacker's key under our kid: the signature fails.
    let token = forge(&attacker, &json!({"alg": "RS256", "kid": k}), &payload);
    assert_eq!(
        keys.verify(&token, &access(), NOW),
        Err(Error::InvalidSignature)
    );
}

#[test]
fn kid_is_an_exact_lookup() {
    let keys = rsa_keys(1);
    let key = keys.active(TokenUse::Access);
    let payload = access_payload();
    let k = key.kid().to_owned();
    for other in [
        format!("{k} "),
        k.to_uppercase(),
        format!("../{k}"),
        format!("{k}' OR '1'='1"),
        String::new(),
    ] {
        let token = forge(key, &json!({"alg": "RS256", "kid": other}), &payload);
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::UnknownKeyId),
            "{other:?}"
        );
    }
    for bad in [json!(null), json!(1), json!([k]), json!({"k": k})] {
        let token = forge(key, &json!({"alg": "RS256", "kid": bad}), &payload);
        assert_eq!(
            keys.verify(&token, &access(), NOW),
            Err(Error::MissingKeyId)
        );
    }
    let token = forge(key, &json!({"alg": "RS256"}), &payload);
    assert_eq!(
        keys.verify(&token, &access(), NOW),
        Err(Error::MissingKeyId)
    );
}

/// ★25: `exp`/`nbf`/`iat` of the wrong type or out of range, never a skipped check.
#[test]
fn time_claims_of_the_wrong_type() {
    let keys = es_keys(2);
    let key = keys.active(TokenUse::Access);
    let header = json!({"alg": "ES256", "kid": key.kid()});
    let wrong_types = [
        json!("1790003600"),
        json!(1_790_003_600.5),
        json!(null),
        json!([1_790_003_600]),
        json!({"t": 1}),
        json!(1e300),
        json!(true),
        json!(18_446_744_073_709_551_615u64),
        json!(-1.0),
    ];
    for claim in ["exp", "nbf", "iat"] {
        for value in &wrong_types {
            let mut payload = access_payload();
            payload[claim] = value.clone();
            let token = forge(key, &header, &payload);
            assert_eq!(
                keys.verify(&token, &access(), NOW),
                Err(Error::InvalidClaimType(match claim {
                    "exp" => "exp",
                    "nbf" => "nbf",
                    _ => "iat",
                })),
                "{claim} = {value}"
            );
        }
    }
    let with = |claim: &str, value: Value| {
        let mut payload = access_payload();
        payload[claim] = value;
        keys.verify(&forge(key, &header, &payload), &access(), NOW)
    };
    assert_eq!(with("exp", json!(-1)), Err(Error::Expired));
    assert_eq!(with("exp", json!(i64::MIN)), Err(Error::Expired));
    assert_eq!(with("exp", json!(i64::MAX)), Err(Error::ExpiryTooFar));
    assert_eq!(with("exp", json!(NOW - 301)), Err(Error::Expired));
    assert!(with("exp", json!(NOW - 299)).is_ok(), "inside the leeway");
    assert_eq!(with("nbf", json!(i64::MAX)), Err(Error::NotYetValid));
    assert!(with("nbf", json!(i64::MIN)).is_ok());
    assert_eq!(with("iat", json!(i64::MAX)), Err(Error::IssuedInFuture));
    assert_eq!(with("iat", json!(NOW + 301)), Err(Error::IssuedInFuture));
    let mut payload = access_payload();
    payload.as_object_mut().expect("obj").remove("exp");
    assert_eq!(
        keys.verify(&forge(key, &header, &payload), &access(), NOW),
        Err(Error::MissingClaim("exp"))
    );
}

/// ★27: token purpose, audience and issuer.
#[test]
fn token_purpose_audience_and_issuer() {
    let keys = rsa_keys(1);
    let id_token = keys
        .sign(TokenUse::Id, &id_claims().to_claims(None).expect("claims"))
        .expect("sign");
    let access_token = keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    assert!(keys.verify(&id_token, &id(), NOW).is_ok());
    assert_eq!(
        keys.verify(&id_token, &access(), NOW),
        Err(Error::WrongTokenUse)
    );
    assert_eq!(
        keys.verify(&access_token, &id(), NOW),
        Err(Error::WrongTokenUse)
    );
    // Audience: ID tokens on `aud`, access tokens on `client_id`.
    assert_eq!(
        keys.verify(&id_token, &Validation::id_token(ISS, "otherclient"), NOW),
        Err(Error::WrongAudience)
    );
    assert_eq!(
        keys.verify(
            &access_token,
            &Validation::access_token(ISS).client("otherclient"),
            NOW
        ),
        Err(Error::WrongAudience)
    );
    assert_eq!(
        keys.verify(&access_token, &Validation::access_token(ISS), NOW),
        Err(Error::WrongAudience),
        "no client named: fail closed"
    );
    assert!(
        keys.verify(
            &access_token,
            &Validation::access_token(ISS).any_client(),
            NOW
        )
        .is_ok()
    );
    // Another pool's issuer, even with our key.
    let other_pool = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_ZzZzZzZz9";
    assert_eq!(
        keys.verify(
            &access_token,
            &Validation::access_token(other_pool).client(CLIENT),
            NOW
        ),
        Err(Error::WrongIssuer)
    );
    let mut foreign = access_payload();
    foreign["iss"] = json!(other_pool);
    let forged = forge(
        keys.active(TokenUse::Access),
        &json!({"alg": "RS256", "kid": kid(&keys, TokenUse::Access)}),
        &foreign,
    );
    assert_eq!(
        keys.verify(&forged, &access(), NOW),
        Err(Error::WrongIssuer)
    );
    // Another pool's key.
    let other_keys = rsa_keys(2);
    let theirs = other_keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    assert_eq!(
        keys.verify(&theirs, &access(), NOW),
        Err(Error::UnknownKeyId)
    );
    // aud as an array, token_use missing or mis-cased, scope missing.
    let id_header = json!({"alg": "RS256", "kid": kid(&keys, TokenUse::Id)});
    let mut array_aud = Value::Object(id_claims().to_claims(None).expect("claims"));
    array_aud["aud"] = json!([CLIENT]);
    assert_eq!(
        keys.verify(
            &forge(keys.active(TokenUse::Id), &id_header, &array_aud),
            &id(),
            NOW
        ),
        Err(Error::InvalidClaimType("aud"))
    );
    let header = json!({"alg": "RS256", "kid": kid(&keys, TokenUse::Access)});
    let mut no_use = access_payload();
    no_use.as_object_mut().expect("obj").remove("token_use");
    assert_eq!(
        keys.verify(
            &forge(keys.active(TokenUse::Access), &header, &no_use),
            &access(),
            NOW
        ),
        Err(Error::MissingClaim("token_use"))
    );
    let mut cased = access_payload();
    cased["token_use"] = json!("Access");
    assert_eq!(
        keys.verify(
            &forge(keys.active(TokenUse::Access), &header, &cased),
            &access(),
            NOW
        ),
        Err(Error::WrongTokenUse)
    );
    assert_eq!(
        keys.verify(&access_token, &access().require_scope("openid"), NOW),
        Err(Error::MissingScope)
    );
    assert!(
        keys.verify(
            &access_token,
            &access().require_scope("aws.cognito.signin.user.admin"),
            NOW
        )
        .is_ok()
    );
}

#[test]
fn structure_and_encoding() {
    let keys = rsa_keys(1);
    let token = keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    let parts: Vec<&str> = token.split('.').collect();
    let v = access();
    assert_eq!(
        keys.verify(&format!("{}.{}", parts[0], parts[1]), &v, NOW),
        Err(Error::Malformed)
    );
    assert_eq!(
        keys.verify(&format!("{token}.x"), &v, NOW),
        Err(Error::Malformed)
    );
    assert_eq!(keys.verify("a.b.c.d.e", &v, NOW), Err(Error::Malformed));
    assert_eq!(keys.verify("", &v, NOW), Err(Error::Malformed));
    assert_eq!(
        keys.verify(&format!("{}=.{}.{}", parts[0], parts[1], parts[2]), &v, NOW),
        Err(Error::Base64(Segment::Header))
    );
    assert_eq!(
        keys.verify(&format!(" {token}"), &v, NOW),
        Err(Error::Base64(Segment::Header))
    );
    assert_eq!(
        keys.verify(&format!("{}.{}.{}=", parts[0], parts[1], parts[2]), &v, NOW),
        Err(Error::Base64(Segment::Signature))
    );
    assert_eq!(
        keys.verify(
            &format!("{}.{}.+{}", parts[0], parts[1], &parts[2][1..]),
            &v,
            NOW
        ),
        Err(Error::Base64(Segment::Signature))
    );
    let long = "a".repeat(jwt_tokens::MAX_TOKEN_LEN + 1);
    assert_eq!(
        keys.verify(&long, &v, NOW),
        Err(Error::TokenTooLong {
            max: jwt_tokens::MAX_TOKEN_LEN
        })
    );
    let dup_header = format!(
        r#"{{"alg":"RS256","kid":"{}","alg":"none"}}"#,
        kid(&keys, TokenUse::Access)
    );
    assert_eq!(
        keys.verify(&raw(&dup_header, "{}", b"x"), &v, NOW),
        Err(Error::Json(Segment::Header))
    );
    // A payload with a duplicate claim, validly signed with our own key, is still refused.
    let key = keys.active(TokenUse::Access);
    let pem = key.to_pkcs8_pem().expect("pem");
    let (_, der) = rsa::pkcs8::der::pem::decode_vec(pem.as_bytes()).expect("der");
    let signer = RustCrypto.signer(Algorithm::RS256, &der).expect("signer");
    let header = json!({"alg": "RS256", "kid": key.kid()}).to_string();
    for payload in [
        r#"{"token_use":"access","token_use":"id"}"#.to_owned(),
        format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40)),
        "[1,2,3]".to_owned(),
        "\u{feff}{}".to_owned(),
    ] {
        let input = format!("{}.{}", b64u(header.as_bytes()), b64u(payload.as_bytes()));
        let token = format!(
            "{input}.{}",
            b64u(&signer.sign(input.as_bytes()).expect("sign"))
        );
        assert_eq!(
            keys.verify(&token, &v, NOW),
            Err(Error::Json(Segment::Payload)),
            "{payload}"
        );
    }
}

#[test]
fn rotation_keeps_old_tokens_until_they_expire() {
    let mut keys = rsa_keys(3);
    let old = keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    let old_kid = kid(&keys, TokenUse::Access);
    let new_key =
        SigningKey::generate(Algorithm::RS256, &mut ChaCha20Rng::seed_from_u64(33)).expect("key");
    keys.rotate(TokenUse::Access, new_key, NOW + 3600)
        .expect("rotate");
    assert_ne!(kid(&keys, TokenUse::Access), old_kid);
    let jwks = keys.jwks();
    assert_eq!(jwks.keys.len(), 3, "two active keys and the retired one");
    assert!(jwks.keys.iter().any(|k| k.kid == old_kid));
    assert!(
        keys.verify(&old, &access(), NOW + 10).is_ok(),
        "old tokens still verify"
    );
    let fresh = keys
        .sign(
            TokenUse::Access,
            &access_claims().to_claims(None).expect("claims"),
        )
        .expect("sign");
    assert!(keys.verify(&fresh, &access(), NOW).is_ok());
    keys.prune(NOW + 3601);
    assert_eq!(keys.jwks().keys.len(), 2);
    assert_eq!(
        keys.verify(
            &old,
            &Validation::access_token(ISS)
                .client(CLIENT)
                .max_lifetime(u32::MAX),
            NOW + 10
        ),
        Err(Error::UnknownKeyId)
    );
    let dup = SigningKey::from_pkcs8_pem(&keys.active(TokenUse::Id).to_pkcs8_pem().expect("pem"))
        .expect("key");
    assert_eq!(
        keys.rotate(TokenUse::Access, dup, NOW).err(),
        Some(Error::KeySet("kid already in the set"))
    );
    // ID and access tokens use different keys, as Cognito's do.
    assert_ne!(kid(&keys, TokenUse::Id), kid(&keys, TokenUse::Access));
}

#[test]
fn pre_token_generation_overrides() {
    let claims = id_claims();
    let mut add = serde_json::Map::new();
    add.insert("sub".into(), json!("attacker"));
    add.insert("iss".into(), json!("https://evil"));
    add.insert("token_use".into(), json!("access"));
    add.insert("favourite".into(), json!("tea"));
    add.insert("email".into(), json!("new@example.com"));
    add.insert("suppressed".into(), json!("x"));
    let overrides = ClaimOverrides {
        claims_to_add_or_override: add,
        claims_to_suppress: vec!["suppressed".into(), "custom:tier".into(), "aud".into()],
        ..ClaimOverrides::default()
    };
    let m = claims.to_claims(Some(&overrides)).expect("claims");
    assert_eq!(m["sub"], json!(claims.sub));
    assert_eq!(m["iss"], json!(ISS));
    assert_eq!(m["token_use"], json!("id"));
    assert_eq!(m["aud"], json!(CLIENT));
    assert_eq!(m["favourite"], json!("tea"));
    assert_eq!(m["email"], json!("new@example.com"));
    assert!(!m.contains_key("suppressed"), "suppress wins over add");
    assert!(!m.contains_key("custom:tier"));
    assert_eq!(m["email_verified"], json!(true));
    let mut complex = serde_json::Map::new();
    complex.insert("email_verified".into(), json!({"x": 1}));
    let bad = ClaimOverrides {
        claims_to_add_or_override: complex,
        ..ClaimOverrides::default()
    };
    assert!(matches!(
        claims.to_claims(Some(&bad)),
        Err(Error::Claims(_))
    ));
    let scopes = ClaimOverrides {
        scopes_to_add: vec!["openid".into(), "res/read".into()],
        scopes_to_suppress: vec!["res/read".into()],
        ..ClaimOverrides::default()
    };
    let m = access_claims().to_claims(Some(&scopes)).expect("claims");
    assert_eq!(m["scope"], json!("aws.cognito.signin.user.admin openid"));
}

#[test]
fn claim_shapes_match_cognito() {
    let id = id_claims().to_claims(None).expect("claims");
    for k in [
        "sub",
        "iss",
        "aud",
        "cognito:username",
        "token_use",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "origin_jti",
        "event_id",
        "cognito:groups",
        "email",
        "email_verified",
        "custom:tier",
    ] {
        assert!(id.contains_key(k), "ID token has {k}");
    }
    for k in ["scope", "client_id", "username"] {
        assert!(!id.contains_key(k), "ID token has no {k}");
    }
    assert_eq!(
        id["custom:tier"],
        json!("3"),
        "custom attributes are strings"
    );
    assert_eq!(
        id["email_verified"],
        json!(true),
        "verified flags are booleans"
    );
    let access = access_claims().to_claims(None).expect("claims");
    for k in [
        "sub",
        "iss",
        "client_id",
        "username",
        "token_use",
        "scope",
        "auth_time",
        "exp",
        "iat",
        "jti",
        "origin_jti",
        "event_id",
    ] {
        assert!(access.contains_key(k), "access token has {k}");
    }
    assert!(!access.contains_key("aud"), "access tokens carry no aud");
    assert_eq!(
        jwt_tokens::attribute_claim("address", "1 Main St"),
        json!({"formatted": "1 Main St"})
    );
    assert_eq!(
        jwt_tokens::attribute_claim("updated_at", "1700000000"),
        json!(1_700_000_000)
    );
}

#[test]
fn keys_round_trip_and_stay_secret() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for alg in [Algorithm::RS256, Algorithm::ES256] {
        let key = SigningKey::generate(alg, &mut rng).expect("key");
        let pem = key.to_pkcs8_pem().expect("pem");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let again = SigningKey::from_pkcs8_pem(&pem).expect("import");
        assert_eq!(again.kid(), key.kid());
        assert_eq!(again.public_key(), key.public_key());
        let debug = format!("{key:?}");
        assert!(
            debug.contains("redacted") && !debug.contains(&pem[40..80]),
            "{debug}"
        );
        assert_eq!(
            key.kid().len(),
            43,
            "RFC 7638 thumbprint, base64url SHA-256"
        );
    }
    assert_eq!(
        SigningKey::from_pkcs8_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
            .err(),
        Some(Error::InvalidKey("PEM is not a PKCS#8 PRIVATE KEY"))
    );
    assert_eq!(
        SigningKey::from_pkcs8_der(b"garbage").err(),
        Some(Error::InvalidKey("not an RSA or P-256 PKCS#8 private key"))
    );
    let small = rsa::RsaPrivateKey::new(&mut rng, 1024).expect("1024");
    let der = rsa::pkcs8::EncodePrivateKey::to_pkcs8_der(&small).expect("der");
    assert_eq!(
        SigningKey::from_pkcs8_der(der.as_bytes()).err(),
        Some(Error::InvalidKey("RSA modulus size out of range"))
    );
}

#[test]
fn rfc7638_thumbprint_example() {
    // RFC 7638 §3.1: the thumbprint of its example RSA key.
    let n = crate::support::b64u_decode(
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    );
    let key = jwt_tokens::PublicKey::rsa(&n, &[1, 0, 1]).expect("key");
    assert_eq!(
        key.thumbprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}
