//! Invariants: minted tokens verify; any single-byte change is rejected.

use std::sync::OnceLock;

use jwt_tokens::{KeySet, TokenUse, Validation};
use proptest::prelude::*;

use crate::support::{CLIENT, ISS, NOW, access_claims, es_keys, rsa_keys};

fn keys() -> &'static [KeySet; 2] {
    static KEYS: OnceLock<[KeySet; 2]> = OnceLock::new();
    KEYS.get_or_init(|| [rsa_keys(10), es_keys(11)])
}

fn validation() -> Validation {
    Validation::access_token(ISS).client(CLIENT)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mint_then_verify(which in 0usize..2, username in ".{0,40}", groups in proptest::collection::vec("[a-z]{1,12}", 0..5), lifetime in 300i64..86_400, age in 0i64..300) {
        let ks = &keys()[which];
        let mut claims = access_claims();
        claims.username = Some(username.clone());
        claims.groups = groups.clone();
        claims.exp = NOW + lifetime;
        let token = ks.sign(TokenUse::Access, &claims.to_claims(None).expect("claims")).expect("sign");
        let verified = ks.verify(&token, &validation(), NOW + age.min(lifetime)).expect("verify");
        prop_assert_eq!(verified.username(), Some(username.as_str()));
        prop_assert_eq!(verified.groups(), groups.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn any_single_byte_change_is_rejected(which in 0usize..2, index in any::<prop::sample::Index>(), replacement in any::<u8>()) {
        let ks = &keys()[which];
        let token = ks.sign(TokenUse::Access, &access_claims().to_claims(None).expect("claims")).expect("sign");
        let mut bytes = token.into_bytes();
        let i = index.index(bytes.len());
        prop_assume!(bytes[i] != replacement);
        bytes[i] = replacement;
        let tampered = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert!(ks.verify(&tampered, &validation(), NOW).is_err(), "byte {} → {}", i, replacement);
    }

    #[test]
    fn arbitrary_strings_never_verify(s in ".{0,400}") {
        prop_assert!(keys()[0].verify(&s, &validation(), NOW).is_err());
    }
}
