//! Fuzz harness for `userpool-federation`: what external identity providers send back (token
//! endpoint answers, user info, discovery documents, JWKS, ID tokens, the redirect's query),
//! shared by the `federation_oidc` target and the crate's corpus replay.
//!
//! Properties: no panic; whatever the strict JSON reader accepts, serde_json accepts too; an ID
//! token nobody signed never validates; a token signed over arbitrary claims validates exactly
//! when the claim checks alone pass (the full path and `check_claims` agree), and never once
//! one byte of it is altered.

use std::sync::OnceLock;

use jwt_tokens::{Algorithm, KeySet, SigningKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{Map, Value};
use userpool_federation::{
    Endpoints, Expected, apply_discovery, check_claims, merge_user_info, parse_answer,
    parse_token_response, parse_user_info, provider_keys, validate_id_token,
};

const ISSUER: &str = "https://accounts.example.com";
const NOW: i64 = 1_790_000_000;

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        KeySet::new(
            SigningKey::generate(Algorithm::ES256, &mut rng).expect("fixed key"),
            SigningKey::generate(Algorithm::ES256, &mut rng).expect("fixed key"),
        )
        .expect("fixed key set")
    })
}

fn expected() -> Expected<'static> {
    Expected {
        issuer: ISSUER,
        client_id: "client-1",
        nonce: "n-0S6_WzA2Mj",
        now: NOW,
        skew: 300,
    }
}

fn serde_agrees(body: &[u8], strict: Option<&Map<String, Value>>) {
    if let Some(map) = strict {
        let loose: Value = serde_json::from_slice(body).expect("strict JSON is JSON");
        assert_eq!(
            loose.as_object(),
            Some(map),
            "the readers disagree on a value"
        );
    }
}

/// One provider answer, chosen by the first byte.
pub(crate) fn oidc(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let status = if which & 0x80 == 0 { 200 } else { 400 };
    match which % 8 {
        0 => {
            serde_agrees(rest, jwt_tokens::strict_json::parse_object(rest).as_ref());
            if let Ok(answer) = parse_token_response(status, rest) {
                assert!(!answer.access_token.is_empty());
                assert_eq!(status, 200);
            }
        }
        1 => {
            if let Ok(info) = parse_user_info(status, rest) {
                let mut claims = Map::from_iter([("sub".to_owned(), Value::from("alice"))]);
                if merge_user_info(&mut claims, info).is_ok() {
                    assert_eq!(claims.get("sub"), Some(&Value::from("alice")));
                }
            }
        }
        2 => {
            let endpoints = Endpoints::default();
            let _ = apply_discovery(&endpoints, rest);
        }
        3 => {
            if let Ok(verifier) = provider_keys(rest) {
                let token = String::from_utf8_lossy(rest);
                assert!(verifier.verify_jws(&token, NOW).is_err());
            }
        }
        4 => {
            let token = String::from_utf8_lossy(rest);
            assert!(
                validate_id_token(&token, keys().verifier(), &expected()).is_err(),
                "an ID token nobody signed validated"
            );
        }
        5 | 6 => signed(which, rest),
        _ => {
            let query = String::from_utf8_lossy(rest);
            if let Ok(params) = pkce_state::parse_query(&query) {
                let _ = parse_answer(&params);
            }
        }
    }
}

/// Signs `rest` (a JSON object) and checks the full validation against the claim checks; then
/// alters one byte of the token.
fn signed(which: u8, rest: &[u8]) {
    let Some(claims) = jwt_tokens::strict_json::parse_object(rest) else {
        return;
    };
    let Ok(token) = keys().active(jwt_tokens::TokenUse::Id).sign_claims(&claims) else {
        return;
    };
    let full = validate_id_token(&token, keys().verifier(), &expected());
    let claims_only = check_claims(&claims, &expected());
    assert_eq!(
        full.is_ok(),
        claims_only.is_ok(),
        "validate_id_token and check_claims disagree: {full:?} vs {claims_only:?}"
    );
    let mut bytes = token.into_bytes();
    let at = usize::from(which) * 31 % bytes.len();
    if let Some(b) = bytes.get_mut(at) {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    let altered = String::from_utf8_lossy(&bytes);
    assert!(
        validate_id_token(&altered, keys().verifier(), &expected()).is_err(),
        "an altered ID token validated"
    );
}
