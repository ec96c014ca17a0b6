//! Role resolution, table-driven: every MatchType, ambiguous resolution both ways, Token
//! mappings, CustomRoleArn allowed and refused, guests, several logins.

use identity_pool_model::*;
use serde_json::{Value, json};

use crate::support::*;

fn rules(
    ambiguous: AmbiguousRoleResolution,
    rules: &[(&str, MatchType, &str, &str)],
) -> RoleMapping {
    RoleMapping::Rules {
        ambiguous_role_resolution: ambiguous,
        rules: rules
            .iter()
            .map(|(claim, m, value, r)| MappingRule {
                claim: (*claim).into(),
                match_type: *m,
                value: (*value).into(),
                role_arn: role(r),
            })
            .collect(),
    }
}

fn token(ambiguous: AmbiguousRoleResolution) -> RoleMapping {
    RoleMapping::Token {
        ambiguous_role_resolution: ambiguous,
    }
}

fn default_roles() -> IdentityPoolRoles {
    IdentityPoolRoles {
        authenticated: Some(role("Auth")),
        unauthenticated: Some(role("Guest")),
    }
}

struct Case {
    name: &'static str,
    key: String,
    mapping: Option<RoleMapping>,
    claims: Value,
    custom: Option<&'static str>,
    expect: Result<&'static str, Error>,
}

fn keyed() -> String {
    format!("{UP}:{CLIENT}")
}

fn cases() -> Vec<Case> {
    use AmbiguousRoleResolution::{AuthenticatedRole as Auth, Deny};
    use MatchType::*;
    let denied = || {
        Err(Error::AmbiguousRoleDenied {
            provider: UP.into(),
        })
    };
    let refused = |r: &str| Err(Error::CustomRoleRefused(role(r).as_str().into()));
    let two_roles = json!({"cognito:roles": [role("A").as_str(), role("B").as_str()]});
    vec![
        Case {
            name: "no mapping: the authenticated role",
            key: keyed(),
            mapping: None,
            claims: json!({}),
            custom: None,
            expect: Ok("Auth"),
        },
        Case {
            name: "no mapping: custom = the authenticated role",
            key: keyed(),
            mapping: None,
            claims: json!({}),
            custom: Some("Auth"),
            expect: Ok("Auth"),
        },
        Case {
            name: "no mapping: another custom role",
            key: keyed(),
            mapping: None,
            claims: json!({}),
            custom: Some("Other"),
            expect: refused("Other"),
        },
        Case {
            name: "Equals",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", Equals, "Sales", "S")])),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: Ok("S"),
        },
        Case {
            name: "Equals is exact",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", Equals, "Sales", "S")])),
            claims: json!({"custom:dept": "Sales-EU"}),
            custom: None,
            expect: denied(),
        },
        Case {
            name: "Contains",
            key: keyed(),
            mapping: Some(rules(Deny, &[("email", Contains, "@example.com", "S")])),
            claims: json!({"email": "a@example.com"}),
            custom: None,
            expect: Ok("S"),
        },
        Case {
            name: "StartsWith",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", StartsWith, "Sal", "S")])),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: Ok("S"),
        },
        Case {
            name: "NotEqual",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", NotEqual, "HR", "S")])),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: Ok("S"),
        },
        Case {
            name: "NotEqual on a missing claim is not evaluated",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", NotEqual, "HR", "S")])),
            claims: json!({}),
            custom: None,
            expect: denied(),
        },
        Case {
            name: "Contains on cognito:groups",
            key: keyed(),
            mapping: Some(rules(
                Deny,
                &[("cognito:groups", Equals, "admins", "Admin")],
            )),
            claims: json!({"cognito:groups": ["users", "admins"]}),
            custom: None,
            expect: Ok("Admin"),
        },
        Case {
            name: "no rule matches: AuthenticatedRole",
            key: keyed(),
            mapping: Some(rules(Auth, &[("custom:dept", Equals, "HR", "H")])),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: Ok("Auth"),
        },
        Case {
            name: "no rule matches: Deny",
            key: keyed(),
            mapping: Some(rules(Deny, &[("custom:dept", Equals, "HR", "H")])),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: denied(),
        },
        Case {
            name: "first matching rule wins",
            key: keyed(),
            mapping: Some(rules(
                Deny,
                &[
                    ("custom:dept", Equals, "HR", "H"),
                    ("custom:dept", StartsWith, "S", "S1"),
                    ("custom:dept", Contains, "ales", "S2"),
                ],
            )),
            claims: json!({"custom:dept": "Sales"}),
            custom: None,
            expect: Ok("S1"),
        },
        Case {
            name: "custom role of a later matching rule",
            key: keyed(),
            mapping: Some(rules(
                Deny,
                &[
                    ("custom:dept", StartsWith, "S", "S1"),
                    ("custom:dept", Contains, "ales", "S2"),
                ],
            )),
            claims: json!({"custom:dept": "Sales"}),
            custom: Some("S2"),
            expect: Ok("S2"),
        },
        Case {
            name: "custom role of a rule that does not match",
            key: keyed(),
            mapping: Some(rules(
                Deny,
                &[
                    ("custom:dept", StartsWith, "S", "S1"),
                    ("custom:dept", Equals, "HR", "H"),
                ],
            )),
            claims: json!({"custom:dept": "Sales"}),
            custom: Some("H"),
            expect: refused("H"),
        },
        Case {
            name: "custom role, no rule matches, AuthenticatedRole",
            key: keyed(),
            mapping: Some(rules(Auth, &[("custom:dept", Equals, "HR", "H")])),
            claims: json!({}),
            custom: Some("Auth"),
            expect: Ok("Auth"),
        },
        Case {
            name: "Token: preferred role",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: json!({"cognito:roles": [role("A").as_str(), role("B").as_str()], "cognito:preferred_role": role("B").as_str()}),
            custom: None,
            expect: Ok("B"),
        },
        Case {
            name: "Token: the single role",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: json!({"cognito:roles": [role("A").as_str()]}),
            custom: None,
            expect: Ok("A"),
        },
        Case {
            name: "Token: single role as a comma-separated string",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: json!({"cognito:roles": role("A").as_str()}),
            custom: None,
            expect: Ok("A"),
        },
        Case {
            name: "Token: several roles, AuthenticatedRole",
            key: keyed(),
            mapping: Some(token(Auth)),
            claims: two_roles.clone(),
            custom: None,
            expect: Ok("Auth"),
        },
        Case {
            name: "Token: several roles, Deny",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: two_roles.clone(),
            custom: None,
            expect: denied(),
        },
        Case {
            name: "Token: no roles, Deny",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: json!({}),
            custom: None,
            expect: denied(),
        },
        Case {
            name: "Token: custom role in cognito:roles",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: two_roles.clone(),
            custom: Some("A"),
            expect: Ok("A"),
        },
        Case {
            name: "Token: custom role beats the preferred role",
            key: keyed(),
            mapping: Some(token(Deny)),
            claims: json!({"cognito:roles": [role("A").as_str(), role("B").as_str()], "cognito:preferred_role": role("B").as_str()}),
            custom: Some("A"),
            expect: Ok("A"),
        },
        Case {
            name: "Token: custom role not in cognito:roles",
            key: keyed(),
            mapping: Some(token(Auth)),
            claims: two_roles,
            custom: Some("Auth"),
            expect: refused("Auth"),
        },
        Case {
            name: "mapping keyed by the bare user pool provider",
            key: UP.into(),
            mapping: Some(token(Deny)),
            claims: json!({"cognito:roles": [role("A").as_str()]}),
            custom: None,
            expect: Ok("A"),
        },
        Case {
            name: "mapping for another client does not apply",
            key: format!("{UP}:otherclient"),
            mapping: Some(token(Deny)),
            claims: json!({}),
            custom: None,
            expect: Ok("Auth"),
        },
    ]
}

#[test]
fn table() {
    let mut ran = 0;
    for case in cases() {
        let mappings =
            RoleMappings::new(case.mapping.clone().map(|m| (case.key.clone(), m))).unwrap();
        let principal = user_pool_principal(id_token(case.claims.clone()));
        let custom = case.custom.map(role);
        let got = resolve_role(&default_roles(), &mappings, &principal, custom.as_ref());
        let want = case.expect.clone().map(role);
        assert_eq!(got, want, "{}", case.name);
        if let Err(e) = &got {
            assert_eq!(
                e.exception_name(),
                "NotAuthorizedException",
                "{}",
                case.name
            );
        }
        ran += 1;
    }
    assert!(ran >= 27);
}

#[test]
fn guests() {
    let (pool, settings) = (pool(), settings());
    let guest = LoginChecker::new(&pool, &settings).guest().unwrap();
    let none = RoleMappings::default();
    assert_eq!(
        resolve_role(&default_roles(), &none, &guest, None),
        Ok(role("Guest"))
    );
    assert_eq!(
        resolve_role(&default_roles(), &none, &guest, Some(&role("Auth"))),
        Err(Error::CustomRoleRefused(role("Auth").as_str().into()))
    );
    let only_auth = IdentityPoolRoles {
        authenticated: Some(role("Auth")),
        unauthenticated: None,
    };
    let err = resolve_role(&only_auth, &none, &guest, None).unwrap_err();
    assert_eq!(err, Error::NoRoleConfigured);
    assert_eq!(
        err.exception_name(),
        "InvalidIdentityPoolConfigurationException"
    );
    assert_eq!(
        err.to_string(),
        "Invalid identity pool configuration. Check assigned IAM roles for this pool."
    );

    let mut closed = pool;
    closed.allow_unauthenticated_identities = false;
    let err = LoginChecker::new(&closed, &settings).guest().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Unauthenticated access is not supported for this identity pool."
    );
    assert_eq!(err.exception_name(), "NotAuthorizedException");
}

#[test]
fn authenticated_without_an_authenticated_role() {
    let roles = IdentityPoolRoles {
        authenticated: None,
        unauthenticated: Some(role("Guest")),
    };
    let principal = user_pool_principal(id_token(json!({})));
    assert_eq!(
        resolve_role(&roles, &RoleMappings::default(), &principal, None),
        Err(Error::NoRoleConfigured)
    );
    let mappings =
        RoleMappings::new([(keyed(), token(AmbiguousRoleResolution::AuthenticatedRole))]).unwrap();
    assert_eq!(
        resolve_role(&roles, &mappings, &principal, None),
        Err(Error::NoRoleConfigured)
    );
}

#[test]
fn several_logins_the_first_mapped_one_decides() {
    let (pool, settings) = (pool(), settings());
    let checker = LoginChecker::new(&pool, &settings);
    let google = claims(json!({
        "iss": "https://accounts.google.com", "aud": "g-client.apps.googleusercontent.com",
        "sub": "1098", "exp": NOW + 60, "hd": "example.com",
    }));
    let logins = Logins::parse([("accounts.google.com", "g"), (UP, "u")]).unwrap();
    let principal = checker
        .authenticate(&logins, NOW, |k, _| {
            Some(if k == UP {
                id_token(json!({"custom:dept": "Sales"}))
            } else {
                google.clone()
            })
        })
        .unwrap();
    let sales = rules(
        AmbiguousRoleResolution::Deny,
        &[("custom:dept", MatchType::Equals, "Sales", "S")],
    );
    let domain = rules(
        AmbiguousRoleResolution::Deny,
        &[("hd", MatchType::Equals, "example.com", "G")],
    );

    // Only the user pool has a mapping: it decides, though Google sorts first.
    let m = RoleMappings::new([(keyed(), sales.clone())]).unwrap();
    assert_eq!(
        resolve_role(&default_roles(), &m, &principal, None),
        Ok(role("S"))
    );
    assert_eq!(
        mapped_login(principal.logins(), &m)
            .unwrap()
            .0
            .provider()
            .name(),
        UP
    );

    // Both have one: the first in provider-name order (accounts.google.com) decides.
    let m =
        RoleMappings::new([(keyed(), sales), ("accounts.google.com".to_owned(), domain)]).unwrap();
    assert_eq!(
        resolve_role(&default_roles(), &m, &principal, None),
        Ok(role("G"))
    );
}
