use serde_json::{Value, json};

use super::*;
use crate::arn::{OidcProviderArn, SamlProviderArn};
use crate::ids::IdentityPoolId;
use crate::pool::CognitoIdentityProvider;

const UP: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";
const CLIENT: &str = "6tj4ekuni1b9sb91284hvkrb1u";
const GH: &str = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SAML: &str = "arn:aws:iam::123456789012:saml-provider/Okta";
const NOW: i64 = 1_790_000_000;

fn pool() -> IdentityPool {
    let mut p = IdentityPool::new(
        IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").unwrap(),
        "pool",
        true,
    )
    .unwrap();
    p.cognito_identity_providers.push(CognitoIdentityProvider {
        provider_name: UP.into(),
        client_id: CLIENT.into(),
        server_side_token_check: false,
    });
    p.supported_login_providers
        .insert("accounts.google.com".into(), "g-client".into());
    p.supported_login_providers
        .insert("graph.facebook.com".into(), "fb-app".into());
    p.developer_provider_name = Some("login.mycompany.myapp".into());
    p.open_id_connect_provider_arns
        .push(OidcProviderArn::parse(GH).unwrap());
    p.saml_provider_arns
        .push(SamlProviderArn::parse(SAML).unwrap());
    p
}

fn settings() -> Settings {
    Settings::new().with_oidc_client_ids(
        &OidcProviderArn::parse(GH).unwrap(),
        vec!["sts.amazonaws.com".into()],
    )
}

fn map(v: Value) -> ClaimsMap {
    v.as_object().cloned().unwrap()
}

fn id_token() -> ClaimsMap {
    map(json!({
        "iss": format!("https://{UP}"), "aud": CLIENT, "token_use": "id",
        "sub": "68baf0fd", "exp": NOW + 3600, "iat": NOW,
    }))
}

#[test]
fn classifies_every_kind() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    assert!(matches!(c.classify(UP), Ok(Provider::UserPool(_))));
    assert!(matches!(
        c.classify("accounts.google.com"),
        Ok(Provider::Social {
            provider: SocialProvider::Google,
            ..
        })
    ));
    assert!(matches!(
        c.classify("token.actions.githubusercontent.com"),
        Ok(Provider::Oidc(_))
    ));
    assert!(matches!(c.classify(SAML), Ok(Provider::Saml(_))));
    assert!(matches!(
        c.classify("login.mycompany.myapp"),
        Ok(Provider::Developer(_))
    ));
    assert!(matches!(
        c.classify("cognito-identity.amazonaws.com"),
        Ok(Provider::CognitoIdentity(_))
    ));
    for unknown in [
        "www.amazon.com",
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1",
        "evil.example.com",
    ] {
        assert_eq!(
            c.classify(unknown),
            Err(Error::UnsupportedProvider),
            "{unknown}"
        );
    }
}

#[test]
fn user_pool_id_tokens() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let login = c.check(UP, &id_token(), NOW).unwrap();
    assert_eq!(login.subject(), "68baf0fd");
    assert_eq!(login.client_id(), Some(CLIENT));
    assert_eq!(
        login.key(),
        LoginKey {
            provider: UP.into(),
            subject: "68baf0fd".into()
        }
    );
    assert_eq!(
        login.role_mapping_keys(),
        [format!("{UP}:{CLIENT}"), UP.to_owned()]
    );
    assert_eq!(
        login.amr(),
        [UP.to_owned(), format!("{UP}:CognitoSignIn:68baf0fd")]
    );

    let with = |k: &str, v: Value| {
        let mut t = id_token();
        t.insert(k.into(), v);
        c.check(UP, &t, NOW)
    };
    assert_eq!(
        with(
            "iss",
            json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1")
        ),
        Err(Error::IssuerMismatch)
    );
    assert_eq!(
        with("aud", json!("other-client")),
        Err(Error::UnsupportedProvider)
    );
    assert_eq!(with("token_use", json!("access")), Err(Error::NotAnIdToken));
    assert_eq!(
        with("exp", json!(NOW)),
        Err(Error::TokenExpired { now: NOW, exp: NOW })
    );
    assert_eq!(with("exp", json!("later")), Err(Error::InvalidClaim("exp")));
    assert_eq!(with("sub", json!(7)), Err(Error::InvalidClaim("sub")));
    let mut access = id_token();
    access.remove("aud");
    access.insert("client_id".into(), json!(CLIENT));
    access.insert("token_use".into(), json!("access"));
    assert_eq!(c.check(UP, &access, NOW), Err(Error::MissingClaim("aud")));
}

#[test]
fn self_hosted_user_pools() {
    let mut pool = pool();
    let hosted = "127.0.0.1:9229/us-east-1_AbC123";
    pool.cognito_identity_providers[0].provider_name = hosted.into();
    let settings = Settings::new()
        .with_user_pool_issuer_base("http://127.0.0.1:9229")
        .unwrap();
    let c = LoginChecker::new(&pool, &settings);
    let mut t = id_token();
    t.insert("iss".into(), json!(format!("http://{hosted}")));
    assert_eq!(c.check(hosted, &t, NOW).unwrap().subject(), "68baf0fd");
    t.insert("iss".into(), json!(format!("https://{hosted}")));
    assert_eq!(c.check(hosted, &t, NOW), Err(Error::IssuerMismatch));
}

#[test]
fn social_providers() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let google = map(
        json!({"iss": "accounts.google.com", "aud": "g-client", "sub": "1098", "exp": NOW + 10}),
    );
    let login = c.check("accounts.google.com", &google, NOW).unwrap();
    assert_eq!(
        login.amr(),
        ["accounts.google.com", "accounts.google.com:g-client:1098"]
    );
    let mut wrong = google;
    wrong.insert("aud".into(), json!("other"));
    assert_eq!(
        c.check("accounts.google.com", &wrong, NOW),
        Err(Error::UnsupportedProvider)
    );
    wrong.insert("aud".into(), json!("g-client"));
    wrong.insert("iss".into(), json!("https://evil.example.com"));
    assert_eq!(
        c.check("accounts.google.com", &wrong, NOW),
        Err(Error::IssuerMismatch)
    );
    // Facebook: the facade passes what Facebook confirmed; no iss, exp optional.
    let fb = map(json!({"aud": "fb-app", "sub": "10229"}));
    assert_eq!(
        c.check("graph.facebook.com", &fb, NOW).unwrap().subject(),
        "10229"
    );
    assert_eq!(
        c.check(
            "graph.facebook.com",
            &map(json!({"aud": "x", "sub": "1"})),
            NOW
        ),
        Err(Error::UnsupportedProvider)
    );
}

#[test]
fn oidc_providers() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let key = "token.actions.githubusercontent.com";
    let gh = map(json!({
        "iss": "https://token.actions.githubusercontent.com", "aud": ["sts.amazonaws.com"],
        "sub": "repo:org/repo:ref:refs/heads/main", "exp": NOW + 300,
    }));
    let login = c.check(key, &gh, NOW).unwrap();
    assert_eq!(
        login.amr(),
        [
            key.to_owned(),
            format!("{GH}:OIDC:repo:org/repo:ref:refs/heads/main")
        ]
    );
    assert_eq!(login.role_mapping_keys(), [key]);
    // No audiences registered for the provider: nothing is accepted.
    let bare = Settings::new();
    assert_eq!(
        LoginChecker::new(&pool, &bare).check(key, &gh, NOW),
        Err(Error::UnsupportedProvider)
    );
}

#[test]
fn our_own_openid_tokens() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let key = "cognito-identity.amazonaws.com";
    let token = map(json!({
        "iss": "https://cognito-identity.amazonaws.com", "aud": pool.identity_pool_id.as_str(),
        "sub": "us-east-1:0d7f4c1e-3b5a-4c89-9f3e-1a2b3c4d5e6f",
        "amr": ["authenticated", "login.mycompany.myapp", "login.mycompany.myapp:alice"],
        "exp": NOW + 600,
    }));
    let login = c.check(key, &token, NOW).unwrap();
    assert_eq!(
        login.subject(),
        "us-east-1:0d7f4c1e-3b5a-4c89-9f3e-1a2b3c4d5e6f"
    );
    assert_eq!(
        login.amr(),
        ["login.mycompany.myapp", "login.mycompany.myapp:alice"]
    );
    let mut guest = token.clone();
    guest.insert("amr".into(), json!(["unauthenticated"]));
    assert_eq!(c.check(key, &guest, NOW), Err(Error::InvalidClaim("amr")));
    let mut other_pool = token;
    other_pool.insert("aud".into(), json!("us-east-1:ffff"));
    assert_eq!(
        c.check(key, &other_pool, NOW),
        Err(Error::UnsupportedProvider)
    );
}

#[test]
fn developer_and_saml_keys_carry_no_checkable_token() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let any = map(json!({"sub": "x"}));
    assert_eq!(
        c.check("login.mycompany.myapp", &any, NOW),
        Err(Error::UnsupportedProvider)
    );
    assert_eq!(c.check(SAML, &any, NOW), Err(Error::UnsupportedProvider));
    let dev = c.developer("login.mycompany.myapp", "alice").unwrap();
    assert_eq!(
        dev.key(),
        LoginKey {
            provider: "login.mycompany.myapp".into(),
            subject: "alice".into()
        }
    );
    assert!(dev.claims().is_empty());
    assert_eq!(
        c.developer("login.other", "alice"),
        Err(Error::UnsupportedProvider)
    );
    assert!(c.developer("login.mycompany.myapp", "").is_err());
    assert!(
        c.developer("login.mycompany.myapp", &"a".repeat(1025))
            .is_err()
    );
}

#[test]
fn authenticate_guests_and_logins() {
    let (mut pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let empty = Logins::default();
    let guest = c.authenticate(&empty, NOW, |_, _| None).unwrap();
    assert!(!guest.is_authenticated());
    assert!(guest.logins().is_empty());

    let logins = Logins::parse([(UP, "t")]).unwrap();
    let p = c
        .authenticate(&logins, NOW, |_, _| Some(id_token()))
        .unwrap();
    assert!(p.is_authenticated());
    assert_eq!(p.logins().len(), 1);
    assert_eq!(
        c.authenticate(&logins, NOW, |_, _| None),
        Err(Error::SignatureNotVerified)
    );
    // The closure sees the token, and unknown providers never reach it.
    let mut seen = Vec::new();
    let _ = c.authenticate(&logins, NOW, |k, t| {
        seen.push((k.to_owned(), t.expose_secret().to_owned()));
        None
    });
    assert_eq!(seen, [(UP.to_owned(), "t".to_owned())]);
    let unknown = Logins::parse([("evil.example.com", "t")]).unwrap();
    assert_eq!(
        c.authenticate(&unknown, NOW, |_, _| panic!(
            "asked to verify an unknown provider"
        )),
        Err(Error::UnsupportedProvider)
    );

    pool.allow_unauthenticated_identities = false;
    let c = LoginChecker::new(&pool, &settings);
    assert_eq!(
        c.authenticate(&empty, NOW, |_, _| None),
        Err(Error::UnauthenticatedNotSupported)
    );
    assert_eq!(c.guest(), Err(Error::UnauthenticatedNotSupported));
}

#[test]
fn authenticate_developer_mixes_identifiers_and_tokens() {
    let (pool, settings) = (pool(), settings());
    let c = LoginChecker::new(&pool, &settings);
    let logins = Logins::parse([("login.mycompany.myapp", "alice"), (UP, "t")]).unwrap();
    let p = c
        .authenticate_developer(&logins, NOW, |_, _| Some(id_token()))
        .unwrap();
    let subjects: Vec<&str> = p.logins().iter().map(Login::subject).collect();
    assert_eq!(subjects, ["68baf0fd", "alice"], "provider-name order");
    let without = Logins::parse([(UP, "t")]).unwrap();
    assert!(matches!(
        c.authenticate_developer(&without, NOW, |_, _| Some(id_token())),
        Err(Error::InvalidParameter(_))
    ));
}
