//! Login checks, table-driven: what each wrong token gets, with Cognito's exception and message.

use identity_pool_model::*;
use serde_json::{Value, json};

use crate::support::*;

struct Case {
    name: &'static str,
    key: &'static str,
    claims: ClaimsMap,
    expect: Result<&'static str, (&'static str, &'static str)>,
}

fn oidc(extra: Value) -> ClaimsMap {
    let mut c = claims(json!({
        "iss": "https://token.actions.githubusercontent.com", "aud": "sts.amazonaws.com",
        "sub": "repo:org/repo:ref:refs/heads/main", "exp": NOW + 300,
    }));
    if let Value::Object(extra) = extra {
        c.extend(extra);
    }
    c
}

fn cases() -> Vec<Case> {
    const NA: &str = "NotAuthorizedException";
    let access_token = claims(json!({
        "iss": format!("https://{UP}"), "client_id": CLIENT, "token_use": "access",
        "scope": "aws.cognito.signin.user.admin", "sub": SUB, "exp": NOW + 3600,
    }));
    vec![
        Case {
            name: "a user pool ID token",
            key: UP,
            claims: id_token(json!({})),
            expect: Ok(SUB),
        },
        Case {
            name: "an OIDC token",
            key: GH,
            claims: oidc(json!({})),
            expect: Ok("repo:org/repo:ref:refs/heads/main"),
        },
        Case {
            name: "a Google ID token",
            key: "accounts.google.com",
            claims: claims(
                json!({"iss": "https://accounts.google.com", "aud": "g-client.apps.googleusercontent.com", "sub": "1098", "exp": NOW + 1}),
            ),
            expect: Ok("1098"),
        },
        Case {
            name: "an unknown provider",
            key: "www.amazon.com",
            claims: id_token(json!({})),
            expect: Err((
                NA,
                "Token is not from a supported provider of this identity pool.",
            )),
        },
        Case {
            name: "another user pool",
            key: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other9",
            claims: id_token(json!({})),
            expect: Err((
                NA,
                "Token is not from a supported provider of this identity pool.",
            )),
        },
        Case {
            name: "wrong audience (another app client)",
            key: UP,
            claims: id_token(json!({"aud": "someotherclient"})),
            expect: Err((
                NA,
                "Token is not from a supported provider of this identity pool.",
            )),
        },
        Case {
            name: "wrong audience (OIDC)",
            key: GH,
            claims: oidc(json!({"aud": "not-registered"})),
            expect: Err((
                NA,
                "Token is not from a supported provider of this identity pool.",
            )),
        },
        Case {
            name: "an access token instead of the ID token",
            key: UP,
            claims: access_token,
            expect: Err((NA, "Invalid login token. Missing a required claim: aud")),
        },
        Case {
            name: "an ID-shaped token whose token_use is access",
            key: UP,
            claims: id_token(json!({"token_use": "access"})),
            expect: Err((NA, "Invalid login token. Not an ID token.")),
        },
        Case {
            name: "the issuer of another pool",
            key: UP,
            claims: id_token(
                json!({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other9"}),
            ),
            expect: Err((NA, "Invalid login token. Issuer doesn't match providerName")),
        },
        Case {
            name: "an OIDC token from another issuer",
            key: GH,
            claims: oidc(json!({"iss": "https://evil.example.com"})),
            expect: Err((NA, "Invalid login token. Issuer doesn't match providerName")),
        },
        Case {
            name: "expired",
            key: UP,
            claims: id_token(json!({"exp": NOW - 1})),
            expect: Err((
                NA,
                "Invalid login token. Token expired: 1790000000 >= 1789999999",
            )),
        },
        Case {
            name: "not yet valid",
            key: UP,
            claims: id_token(json!({"nbf": NOW + 60})),
            expect: Err((NA, "Invalid login token. Token is not yet valid.")),
        },
        Case {
            name: "no exp",
            key: GH,
            claims: {
                let mut c = oidc(json!({}));
                c.remove("exp");
                c
            },
            expect: Err((NA, "Invalid login token. Missing a required claim: exp")),
        },
        Case {
            name: "no sub",
            key: UP,
            claims: {
                let mut c = id_token(json!({}));
                c.remove("sub");
                c
            },
            expect: Err((NA, "Invalid login token. Missing a required claim: sub")),
        },
        Case {
            name: "exp as a string",
            key: UP,
            claims: id_token(json!({"exp": "1790003600"})),
            expect: Err((NA, "Invalid login token. Invalid claim: exp")),
        },
    ]
}

#[test]
fn table() {
    let (pool, settings) = (pool(), settings());
    let checker = LoginChecker::new(&pool, &settings);
    let mut ran = 0;
    for case in cases() {
        let got = checker.check(case.key, &case.claims, NOW);
        match (&got, case.expect) {
            (Ok(login), Ok(subject)) => {
                assert_eq!(login.subject(), subject, "{}", case.name);
                assert_eq!(login.key().provider, case.key, "{}", case.name);
            }
            (Err(e), Err((exception, message))) => {
                assert_eq!(
                    (e.exception_name(), e.to_string().as_str()),
                    (exception, message),
                    "{}",
                    case.name
                );
            }
            _ => panic!("{}: got {got:?}", case.name),
        }
        ran += 1;
    }
    assert_eq!(ran, 16);
}

#[test]
fn one_identity_per_provider_subject() {
    let (pool, settings) = (pool(), settings());
    let checker = LoginChecker::new(&pool, &settings);
    let a = checker
        .check(UP, &id_token(json!({"iat": NOW - 100})), NOW)
        .unwrap();
    let b = checker
        .check(
            UP,
            &id_token(json!({"iat": NOW - 5, "auth_time": NOW - 5})),
            NOW,
        )
        .unwrap();
    assert_eq!(a.key(), b.key(), "two tokens of one user find one identity");
    let other = checker
        .check(UP, &id_token(json!({"sub": "another-user"})), NOW)
        .unwrap();
    assert_ne!(a.key(), other.key());
}

#[test]
fn logins_map_limits() {
    assert!(Logins::parse((0..10).map(|i| (format!("p{i}"), "t"))).is_ok());
    let err = Logins::parse((0..11).map(|i| (format!("p{i}"), "t"))).unwrap_err();
    assert_eq!(err.exception_name(), "InvalidParameterException");
}
