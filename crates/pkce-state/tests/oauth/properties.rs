//! Invariants over arbitrary input.

use pkce_state::*;
use proptest::prelude::*;

proptest! {
    #[test]
    fn every_valid_verifier_matches_only_its_own_challenge(v in "[A-Za-z0-9._~-]{43,128}", w in "[A-Za-z0-9._~-]{43,128}") {
        let verifier = CodeVerifier::parse(&v).expect("valid");
        let challenge = CodeChallenge::parse(verifier.challenge().as_str(), Some("S256")).expect("challenge");
        prop_assert!(challenge.verify(&verifier));
        if v != w {
            prop_assert!(!challenge.verify(&CodeVerifier::parse(&w).expect("valid")));
        }
    }

    #[test]
    fn query_parsing_never_panics_and_keeps_unique_pairs(pairs in proptest::collection::btree_map("[a-z_]{1,10}", ".{0,20}", 0..8)) {
        let q: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs.iter()).finish();
        let parsed = parse_query(&q).expect("unique names");
        prop_assert_eq!(parsed.len(), pairs.len());
        for (k, v) in parsed {
            prop_assert_eq!(pairs.get(&k), Some(&v));
        }
    }

    #[test]
    fn arbitrary_redirects_are_refused_unless_exact(uri in ".{0,80}") {
        let registered = vec!["https://app.example.com/callback".to_owned()];
        prop_assert_eq!(match_redirect_uri(&registered, &uri).is_ok(), uri == "https://app.example.com/callback");
    }
}
