//! Shared fixtures: one pool with a user pool client, Google, an OIDC provider and a
//! developer provider.

use identity_pool_model::*;
use serde_json::{Value, json};

pub(crate) const UP: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
pub(crate) const CLIENT: &str = "6tj4ekuni1b9sb91284hvkrb1u";
pub(crate) const GH_ARN: &str =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
pub(crate) const GH: &str = "token.actions.githubusercontent.com";
pub(crate) const DEV: &str = "login.mycompany.myapp";
pub(crate) const SUB: &str = "68baf0fd-17ee-42b4-b0bb-57dfa2377058";
pub(crate) const NOW: i64 = 1_790_000_000;

pub(crate) fn pool() -> IdentityPool {
    let mut p = IdentityPool::new(
        IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").unwrap(),
        "Integration pool",
        true,
    )
    .unwrap();
    p.cognito_identity_providers.push(CognitoIdentityProvider {
        provider_name: UP.into(),
        client_id: CLIENT.into(),
        server_side_token_check: false,
    });
    p.supported_login_providers.insert(
        "accounts.google.com".into(),
        "g-client.apps.googleusercontent.com".into(),
    );
    p.open_id_connect_provider_arns
        .push(OidcProviderArn::parse(GH_ARN).unwrap());
    p.developer_provider_name = Some(DEV.into());
    p.validate(&settings()).unwrap();
    p
}

pub(crate) fn settings() -> Settings {
    Settings::new().with_oidc_client_ids(
        &OidcProviderArn::parse(GH_ARN).unwrap(),
        vec!["sts.amazonaws.com".into()],
    )
}

/// `arn:aws:iam::123456789012:role/<name>`.
pub(crate) fn role(name: &str) -> RoleArn {
    RoleArn::parse(&format!("arn:aws:iam::123456789012:role/{name}")).unwrap()
}

pub(crate) fn claims(v: Value) -> ClaimsMap {
    v.as_object().cloned().unwrap()
}

/// A user pool ID token for `CLIENT`, plus `extra` claims (which may override).
pub(crate) fn id_token(extra: Value) -> ClaimsMap {
    let mut c = claims(json!({
        "iss": format!("https://{UP}"), "aud": CLIENT, "token_use": "id",
        "sub": SUB, "cognito:username": "alice", "iat": NOW - 10, "exp": NOW + 3600,
    }));
    if let Value::Object(extra) = extra {
        c.extend(extra);
    }
    c
}

/// The principal of one user pool login with these claims.
pub(crate) fn user_pool_principal(token: ClaimsMap) -> Principal {
    let (pool, settings) = (pool(), settings());
    let logins = Logins::parse([(UP, "token")]).unwrap();
    LoginChecker::new(&pool, &settings)
        .authenticate(&logins, NOW, |_, _| Some(token.clone()))
        .unwrap()
}
