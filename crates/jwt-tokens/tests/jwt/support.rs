//! Shared fixtures.

use jwt_tokens::backend::{Backend, RustCrypto};
use jwt_tokens::{AccessTokenClaims, Algorithm, IdTokenClaims, KeySet, SigningKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

pub(crate) const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";
pub(crate) const CLIENT: &str = "6tj4ekuni1b9sb91284hvkrb1u";
pub(crate) const NOW: i64 = 1_790_000_000;

/// Every backend compiled in.
pub(crate) fn backends() -> Vec<&'static dyn Backend> {
    #[cfg(feature = "aws-lc")]
    {
        vec![&RustCrypto, &jwt_tokens::backend::AwsLc]
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        vec![&RustCrypto]
    }
}

/// A deterministic key set: RS256 keys like Cognito's.
pub(crate) fn rsa_keys(seed: u64) -> KeySet {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    KeySet::new(
        SigningKey::generate(Algorithm::RS256, &mut rng).expect("id key"),
        SigningKey::generate(Algorithm::RS256, &mut rng).expect("access key"),
    )
    .expect("key set")
}

pub(crate) fn es_keys(seed: u64) -> KeySet {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    KeySet::new(
        SigningKey::generate(Algorithm::ES256, &mut rng).expect("id key"),
        SigningKey::generate(Algorithm::ES256, &mut rng).expect("access key"),
    )
    .expect("key set")
}

pub(crate) fn access_claims() -> AccessTokenClaims {
    AccessTokenClaims {
        sub: "68baf0fd-17ee-42b4-b0bb-57dfa2377058".into(),
        iss: ISS.into(),
        client_id: CLIENT.into(),
        username: Some("martin".into()),
        auth_time: NOW,
        iat: NOW,
        exp: NOW + 3600,
        jti: "baa6d6da-3817-4ce3-841b-09a6b2113759".into(),
        origin_jti: Some("97678329-7450-4dd7-be56-270871b81267".into()),
        event_id: Some("ccfd9e93-a04d-40ee-b8d0-f85e3041b2af".into()),
        groups: vec!["admins".into()],
        scopes: vec!["aws.cognito.signin.user.admin".into()],
        device_key: None,
        version: None,
    }
}

pub(crate) fn id_claims() -> IdTokenClaims {
    let mut attributes = serde_json::Map::new();
    attributes.insert("email".into(), "martin@example.com".into());
    attributes.insert(
        "email_verified".into(),
        jwt_tokens::attribute_claim("email_verified", "true"),
    );
    attributes.insert(
        "custom:tier".into(),
        jwt_tokens::attribute_claim("custom:tier", "3"),
    );
    IdTokenClaims {
        sub: "68baf0fd-17ee-42b4-b0bb-57dfa2377058".into(),
        iss: ISS.into(),
        aud: CLIENT.into(),
        cognito_username: "martin".into(),
        auth_time: NOW,
        iat: NOW,
        exp: NOW + 3600,
        jti: "baec95f3-9ce1-4f7b-aa17-770323876fe4".into(),
        origin_jti: Some("97678329-7450-4dd7-be56-270871b81267".into()),
        event_id: Some("ccfd9e93-a04d-40ee-b8d0-f85e3041b2af".into()),
        groups: vec!["admins".into()],
        roles: vec![],
        preferred_role: None,
        attributes,
        nonce: None,
        at_hash: None,
    }
}

pub(crate) fn b64u(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn b64u_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .expect("base64url")
}

pub(crate) fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}
