//! Fuzz harnesses for `jwt-tokens`, shared by the cargo-fuzz targets and by the crate's
//! integration test that replays the committed corpus. Every function must return normally
//! for every input.

use std::sync::OnceLock;

use jwt_tokens::{Algorithm, Jwks, KeySet, SigningKey, Validation, Verifier};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";
const NOW: i64 = 1_790_000_000;

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0);
        KeySet::new(
            SigningKey::generate(Algorithm::RS256, &mut rng).expect("fixed key"),
            SigningKey::generate(Algorithm::ES256, &mut rng).expect("fixed key"),
        )
        .expect("fixed key set")
    })
}

/// Token verification: arbitrary bytes against a fixed key set and clock. Nothing that was
/// not minted by the key set may verify.
pub(crate) fn verify(data: &[u8]) {
    let token = String::from_utf8_lossy(data);
    for validation in [
        Validation::access_token(ISS).any_client().leeway(300),
        Validation::id_token(ISS, "6tj4ekuni1b9sb91284hvkrb1u"),
    ] {
        assert!(
            keys().verify(&token, &validation, NOW).is_err(),
            "a token nobody signed verified"
        );
    }
    assert!(keys().verifier().verify_jws(&token, NOW).is_err());
    let _ = jwt_tokens::danger::decode_unverified(&token);
}

/// JWKS parsing: whatever parses must build a verifier and re-serialize to an equal set.
pub(crate) fn jwks(data: &[u8]) {
    if let Ok(jwks) = Jwks::parse(data) {
        let again = Jwks::parse(jwks.to_json().as_bytes()).expect("our own JWKS output parses");
        assert_eq!(again, jwks);
        let _ = Verifier::from_jwks(&jwks);
    }
}

/// Differential against `jsonwebtoken`: a token our key set signs over any claims object
/// verifies with us and, from our JWKS alone, with `jsonwebtoken`; the same token with one
/// byte altered never verifies with us (and any alteration we accept, they accept too).
pub(crate) fn differential(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let _ = jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER.install_default();
    let Some(claims) = jwt_tokens::strict_json::parse_object(rest) else {
        return;
    };
    let (use_, alg) = if which & 1 == 0 {
        (jwt_tokens::TokenUse::Id, jsonwebtoken::Algorithm::RS256)
    } else {
        (jwt_tokens::TokenUse::Access, jsonwebtoken::Algorithm::ES256)
    };
    let key = keys().active(use_);
    let Ok(token) = key.sign_claims(&claims) else {
        return;
    };
    let verified = keys()
        .verifier()
        .verify_jws(&token, NOW)
        .expect("our own token verifies");
    assert_eq!(
        jwt_tokens::strict_json::parse_object(&verified.payload).as_ref(),
        Some(&claims),
        "the payload changed on the way"
    );
    let theirs = |token: &str| {
        let set: jsonwebtoken::jwk::JwkSet =
            serde_json::from_str(&keys().jwks().to_json()).expect("their JWKS parser accepts ours");
        let header = jsonwebtoken::decode_header(token).ok()?;
        let jwk = set.find(header.kid.as_deref()?)?;
        let decoding = jsonwebtoken::DecodingKey::from_jwk(jwk).ok()?;
        let (message, signature) = token.rsplit_once('.')?;
        jsonwebtoken::crypto::verify(signature, message.as_bytes(), &decoding, alg).ok()
    };
    assert_eq!(theirs(&token), Some(true), "jsonwebtoken refused our token");
    let mut bytes = token.clone().into_bytes();
    let at = usize::from(which >> 1) * 7 % bytes.len();
    if let Some(b) = bytes.get_mut(at) {
        *b = match *b {
            b'A' => b'B',
            b'.' => b'A',
            _ => b'A',
        };
    }
    let altered = String::from_utf8_lossy(&bytes).into_owned();
    if altered != token {
        let ours = keys().verifier().verify_jws(&altered, NOW);
        assert!(ours.is_err(), "an altered token verified");
        let _ = theirs(&altered);
    }
}
