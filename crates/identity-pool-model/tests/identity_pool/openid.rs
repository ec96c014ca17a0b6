//! The OpenID token's claims for guests, user pools, OIDC and developer logins.

use identity_pool_model::*;
use serde_json::{Map, Value, json};

use crate::support::*;

const IDENTITY: &str = "us-east-1:0d7f4c1e-3b5a-4c89-9f3e-1a2b3c4d5e6f";

fn claims_for(
    principal: &Principal,
    account: Option<&str>,
    tags: Option<&PrincipalTags>,
    duration: TokenDuration,
) -> Map<String, Value> {
    let pool = pool();
    let identity = IdentityId::parse(IDENTITY).unwrap();
    open_id_token_claims(&OpenIdTokenParams {
        issuer: COGNITO_IDENTITY_ISSUER,
        identity_pool_id: &pool.identity_pool_id,
        identity_id: &identity,
        principal,
        account_id: account,
        principal_tags: tags,
        now: NOW,
        duration,
    })
    .unwrap()
}

#[test]
fn guest() {
    let (pool, settings) = (pool(), settings());
    let guest = LoginChecker::new(&pool, &settings).guest().unwrap();
    let c = claims_for(&guest, None, None, TokenDuration::OPEN_ID_TOKEN);
    assert_eq!(
        Value::Object(c),
        json!({
            "iss": "https://cognito-identity.amazonaws.com",
            "aud": "us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10",
            "sub": IDENTITY,
            "amr": ["unauthenticated"],
            "iat": NOW,
            "exp": NOW + 600,
        })
    );
}

#[test]
fn user_pool_login_with_pool_arn() {
    let principal = user_pool_principal(id_token(json!({})));
    let c = claims_for(
        &principal,
        Some("123456789012"),
        None,
        TokenDuration::OPEN_ID_TOKEN,
    );
    assert_eq!(
        c["amr"],
        json!(["authenticated", UP, format!("{UP}:CognitoSignIn:{SUB}")])
    );
    assert_eq!(
        c[IDENTITY_POOL_ARN_CLAIM],
        "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10"
    );
    assert!(!c.contains_key(TAGS_CLAIM));
}

#[test]
fn oidc_and_developer_logins_with_tags() {
    let (pool, settings) = (pool(), settings());
    let checker = LoginChecker::new(&pool, &settings);
    let logins = Logins::parse([(DEV, "alice"), (GH, "jwt")]).unwrap();
    let gh = claims(json!({
        "iss": "https://token.actions.githubusercontent.com", "aud": "sts.amazonaws.com",
        "sub": "repo:org/repo:environment:dev", "exp": NOW + 300,
    }));
    let principal = checker
        .authenticate_developer(&logins, NOW, |_, _| Some(gh.clone()))
        .unwrap();
    let tags = PrincipalTags::parse([("repository".to_owned(), "org/repo".to_owned())]).unwrap();
    let duration = TokenDuration::parse(86_400).unwrap();
    let c = claims_for(&principal, None, Some(&tags), duration);
    assert_eq!(
        c["amr"],
        json!([
            "authenticated",
            DEV,
            "login.mycompany.myapp:alice",
            GH,
            format!("{GH_ARN}:OIDC:repo:org/repo:environment:dev"),
        ])
    );
    assert_eq!(
        c[TAGS_CLAIM],
        json!({"principal_tags": {"repository": ["org/repo"]}})
    );
    assert_eq!(c["exp"], json!(NOW + 86_400));
}

#[test]
fn identity_and_pool_regions_must_agree() {
    let principal = user_pool_principal(id_token(json!({})));
    let pool = pool();
    let identity = IdentityId::parse("eu-west-1:0d7f4c1e").unwrap();
    let err = open_id_token_claims(&OpenIdTokenParams {
        issuer: COGNITO_IDENTITY_ISSUER,
        identity_pool_id: &pool.identity_pool_id,
        identity_id: &identity,
        principal: &principal,
        account_id: None,
        principal_tags: None,
        now: NOW,
        duration: TokenDuration::DEVELOPER_DEFAULT,
    })
    .unwrap_err();
    assert_eq!(err.exception_name(), "InvalidParameterException");
}

#[test]
fn our_token_comes_back_as_a_login() {
    // The developer flow: GetOpenIdTokenForDeveloperIdentity's token is then presented to
    // GetCredentialsForIdentity under `cognito-identity.amazonaws.com`.
    let (pool, settings) = (pool(), settings());
    let checker = LoginChecker::new(&pool, &settings);
    let logins = Logins::parse([(DEV, "alice")]).unwrap();
    let principal = checker
        .authenticate_developer(&logins, NOW, |_, _| None)
        .unwrap();
    let issued = claims_for(&principal, None, None, TokenDuration::DEVELOPER_DEFAULT);
    let back = checker
        .check("cognito-identity.amazonaws.com", &issued, NOW + 899)
        .unwrap();
    assert_eq!(back.subject(), IDENTITY);
    assert_eq!(
        checker
            .check("cognito-identity.amazonaws.com", &issued, NOW + 900)
            .unwrap_err(),
        Error::TokenExpired {
            now: NOW + 900,
            exp: NOW + 900
        }
    );
}
