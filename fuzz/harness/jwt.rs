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
