//! Invariants: Rules resolution is the first matching rule in order; the parsers never panic
//! and bound their input; OpenID tokens live exactly their duration.

use identity_pool_model::*;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::support::*;

const CLAIMS: [&str; 3] = ["custom:dept", "custom:tier", "email"];
const WORDS: [&str; 5] = ["a", "ab", "abc", "b", "ba"];

fn match_type() -> impl Strategy<Value = MatchType> {
    prop_oneof![
        Just(MatchType::Equals),
        Just(MatchType::Contains),
        Just(MatchType::StartsWith),
        Just(MatchType::NotEqual),
    ]
}

fn rule() -> impl Strategy<Value = (usize, MatchType, usize)> {
    (0..CLAIMS.len(), match_type(), 0..WORDS.len())
}

/// Claims: each of `CLAIMS` absent or one of `WORDS`.
fn user_claims() -> impl Strategy<Value = Vec<Option<usize>>> {
    proptest::collection::vec(proptest::option::of(0..WORDS.len()), CLAIMS.len())
}

/// The reference: the Developer Guide's words, written out independently of the crate.
fn reference(rules: &[(usize, MatchType, usize)], claims: &[Option<usize>]) -> Option<usize> {
    rules.iter().position(|(c, m, w)| {
        let Some(Some(have)) = claims.get(*c) else {
            return false;
        };
        let (have, want) = (WORDS[*have], WORDS[*w]);
        match m {
            MatchType::Equals => have == want,
            MatchType::Contains => have.contains(want),
            MatchType::StartsWith => have.starts_with(want),
            MatchType::NotEqual => have != want,
            _ => unreachable!("a new MatchType needs a reference"),
        }
    })
}

proptest! {
    #[test]
    fn rules_resolve_to_the_first_matching_rule(
        rules in proptest::collection::vec(rule(), 1..=MAX_RULES),
        claims in user_claims(),
        deny in any::<bool>(),
    ) {
        let mapping = RoleMapping::Rules {
            ambiguous_role_resolution: if deny { AmbiguousRoleResolution::Deny } else { AmbiguousRoleResolution::AuthenticatedRole },
            rules: rules.iter().enumerate().map(|(i, (c, m, w))| MappingRule {
                claim: CLAIMS[*c].into(),
                match_type: *m,
                value: WORDS[*w].into(),
                role_arn: role(&format!("R{i}")),
            }).collect(),
        };
        let mappings = RoleMappings::new([(format!("{UP}:{CLIENT}"), mapping)]).unwrap();
        let extra: Map<String, Value> = CLAIMS.iter().zip(&claims)
            .filter_map(|(name, v)| v.map(|w| ((*name).to_owned(), json!(WORDS[w]))))
            .collect();
        let principal = user_pool_principal(id_token(Value::Object(extra)));
        let roles = IdentityPoolRoles { authenticated: Some(role("Auth")), unauthenticated: None };
        let got = resolve_role(&roles, &mappings, &principal, None);
        let want = match reference(&rules, &claims) {
            Some(i) => Ok(role(&format!("R{i}"))),
            None if deny => Err(Error::AmbiguousRoleDenied { provider: UP.into() }),
            None => Ok(role("Auth")),
        };
        prop_assert_eq!(got, want);
    }

    #[test]
    fn a_custom_role_is_granted_only_if_a_matching_rule_names_it(
        rules in proptest::collection::vec(rule(), 1..=8),
        claims in user_claims(),
        pick in 0..8usize,
    ) {
        let mapping = RoleMapping::Rules {
            ambiguous_role_resolution: AmbiguousRoleResolution::Deny,
            rules: rules.iter().enumerate().map(|(i, (c, m, w))| MappingRule {
                claim: CLAIMS[*c].into(), match_type: *m, value: WORDS[*w].into(), role_arn: role(&format!("R{i}")),
            }).collect(),
        };
        let mappings = RoleMappings::new([(format!("{UP}:{CLIENT}"), mapping)]).unwrap();
        let extra: Map<String, Value> = CLAIMS.iter().zip(&claims)
            .filter_map(|(name, v)| v.map(|w| ((*name).to_owned(), json!(WORDS[w]))))
            .collect();
        let principal = user_pool_principal(id_token(Value::Object(extra)));
        let roles = IdentityPoolRoles { authenticated: Some(role("Auth")), unauthenticated: None };
        let custom = role(&format!("R{pick}"));
        let got = resolve_role(&roles, &mappings, &principal, Some(&custom));
        let any_match = reference(&rules, &claims).is_some();
        let picked_matches = pick < rules.len() && reference(&rules[pick..=pick], &claims).is_some();
        if picked_matches {
            prop_assert_eq!(got, Ok(custom));
        } else if any_match {
            prop_assert_eq!(got, Err(Error::CustomRoleRefused(custom.as_str().into())));
        } else {
            prop_assert_eq!(got, Err(Error::AmbiguousRoleDenied { provider: UP.into() }));
        }
    }

    #[test]
    fn sts_parser_never_panics(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = sts::parse_assume_role_with_web_identity_response(&body);
    }

    #[test]
    fn sts_parser_survives_mangled_fixtures(cut in 0usize..1800, junk in "[<>&;/a-zA-Z!?\\[\\]-]{0,12}") {
        let fixture = include_str!("../vectors/sts_assume_role_with_web_identity.xml");
        let cut = fixture.char_indices().map(|(i, _)| i).find(|i| *i >= cut).unwrap_or(fixture.len());
        let body = format!("{}{junk}{}", &fixture[..cut], &fixture[cut..]);
        if let Ok(r) = sts::parse_assume_role_with_web_identity_response(body.as_bytes()) {
            prop_assert!(!r.credentials.access_key_id.is_empty());
        }
    }

    #[test]
    fn logins_parse_iff_within_bounds(entries in proptest::collection::btree_map("[a-z.]{0,130}", "[a-zA-Z0-9.]{0,40}", 0..14)) {
        let ok = entries.len() <= MAX_LOGINS
            && entries.iter().all(|(k, v)| (1..=MAX_PROVIDER_NAME_LEN).contains(&k.len()) && !v.is_empty());
        let parsed = Logins::parse(entries.clone());
        prop_assert_eq!(parsed.is_ok(), ok);
        if let Ok(l) = parsed {
            prop_assert!(l.provider_names().eq(entries.keys().map(String::as_str)));
        }
    }

    #[test]
    fn openid_tokens_live_exactly_their_duration(seconds in 1i64..=86_400, now in 0i64..4_000_000_000) {
        let (pool, settings) = (pool(), settings());
        let guest = LoginChecker::new(&pool, &settings).guest().unwrap();
        let identity = IdentityId::parse("us-east-1:0d7f4c1e").unwrap();
        let claims = open_id_token_claims(&OpenIdTokenParams {
            issuer: settings.identity_issuer(),
            identity_pool_id: &pool.identity_pool_id,
            identity_id: &identity,
            principal: &guest,
            account_id: None,
            principal_tags: None,
            now,
            duration: TokenDuration::parse(seconds).unwrap(),
        }).unwrap();
        prop_assert_eq!(claims["iat"].as_i64(), Some(now));
        prop_assert_eq!(claims["exp"].as_i64(), Some(now + seconds));
    }
}
