//! Fuzz harness for `identity-pool-model`: the `Logins` map of GetId / GetCredentialsForIdentity
//! / GetOpenIdToken (provider names classified against a pool), ARNs and ids, and STS answers,
//! shared by the `identity_logins` target and the crate's corpus replay.
//!
//! Properties: no panic; an accepted `Logins` map respects every bound and rebuilds from its own
//! pairs to an equal map; a provider name is classified the same however often it is asked;
//! parsed ids and ARNs re-render to the input.

use identity_pool_model::{
    CognitoIdentityProvider, IdentityPool, IdentityPoolId, LoginChecker, Logins,
    MAX_LOGIN_TOKEN_LEN, MAX_LOGINS, MAX_PROVIDER_NAME_LEN, OidcProviderArn, RoleArn, Settings,
    sts::parse_assume_role_with_web_identity_response,
};

const GH: &str = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

fn pool() -> IdentityPool {
    let mut p = IdentityPool::new(
        IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").expect("id"),
        "pool",
        true,
    )
    .expect("pool");
    p.cognito_identity_providers.push(CognitoIdentityProvider {
        provider_name: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123".into(),
        client_id: "6tj4ekuni1b9sb91284hvkrb1u".into(),
        server_side_token_check: false,
    });
    p.supported_login_providers
        .insert("accounts.google.com".into(), "g-client".into());
    p.developer_provider_name = Some("login.mycompany.myapp".into());
    p.open_id_connect_provider_arns
        .push(OidcProviderArn::parse(GH).expect("arn"));
    p
}

/// One input, its kind chosen by the first byte.
pub(crate) fn logins(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => logins_map(rest),
        1 => {
            let text = String::from_utf8_lossy(rest);
            if let Ok(id) = IdentityPoolId::parse(&text) {
                assert_eq!(id.as_str(), text);
            }
            if let Ok(arn) = RoleArn::parse(&text) {
                assert_eq!(arn.as_str(), text);
            }
            if let Ok(arn) = OidcProviderArn::parse(&text) {
                assert_eq!(arn.as_str(), text);
            }
        }
        _ => {
            let _ = parse_assume_role_with_web_identity_response(rest);
        }
    }
}

/// `Logins` as the wire has it: a JSON object of provider name to token.
fn logins_map(bytes: &[u8]) {
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(bytes) else {
        return;
    };
    let pairs: Vec<(String, String)> = object
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
    let Ok(logins) = Logins::parse(pairs) else {
        return;
    };
    assert!(logins.len() <= MAX_LOGINS);
    for (name, token) in logins.iter() {
        assert!((1..=MAX_PROVIDER_NAME_LEN).contains(&name.len()));
        assert!((1..=MAX_LOGIN_TOKEN_LEN).contains(&token.expose_secret().len()));
    }
    let again = Logins::parse(
        logins
            .iter()
            .map(|(k, t)| (k.to_owned(), t.expose_secret().to_owned())),
    )
    .expect("an accepted map rebuilds");
    assert_eq!(again, logins);
    let (pool, settings) = (pool(), Settings::new());
    let checker = LoginChecker::new(&pool, &settings);
    for name in logins.provider_names() {
        let first = checker.classify(name);
        assert_eq!(
            format!("{first:?}"),
            format!("{:?}", checker.classify(name))
        );
    }
}
