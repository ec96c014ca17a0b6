//! Tests of `details.rs`: ProviderDetails per provider type.

use super::*;
use crate::error::Error;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn google_gets_cognito_endpoints_and_its_secret_is_held_apart() {
    let d = ProviderDetails::parse(
        ProviderType::Google,
        &map(&[
            ("client_id", "g-client"),
            ("client_secret", "g-secret"),
            ("authorize_scopes", "profile email openid"),
        ]),
    )
    .unwrap();
    assert_eq!(
        d.get("authorize_url"),
        Some("https://accounts.google.com/o/oauth2/v2/auth")
    );
    assert_eq!(d.get("oidc_issuer"), Some("https://accounts.google.com"));
    assert!(d.public().get("client_secret").is_none());
    assert_eq!(
        d.secret("client_secret").unwrap().expose_secret(),
        "g-secret"
    );
    assert_eq!(d.described()["client_secret"], SECRET_MASK);
    assert!(d.requests_openid());
    assert_eq!(
        format!("{:?}", d.secret("client_secret").unwrap()),
        "ProviderSecret(<redacted>)"
    );
}

#[test]
fn overrides_win_and_are_checked() {
    let d = ProviderDetails::parse(
        ProviderType::Google,
        &map(&[
            ("client_id", "c"),
            ("client_secret", "s"),
            ("authorize_scopes", "openid"),
            ("token_url", "http://127.0.0.1:9/token"),
        ]),
    )
    .unwrap();
    assert_eq!(
        d.endpoints().token_url.as_deref(),
        Some("http://127.0.0.1:9/token")
    );
    let bad = ProviderDetails::parse(
        ProviderType::Google,
        &map(&[
            ("client_id", "c"),
            ("client_secret", "s"),
            ("authorize_scopes", "openid"),
            ("token_url", "http://evil.example/token"),
        ]),
    );
    assert!(bad.is_err());
}

#[test]
fn oidc_requires_issuer_and_method_and_refuses_foreign_keys() {
    let base = [
        ("client_id", "c"),
        ("authorize_scopes", "openid"),
        ("attributes_request_method", "GET"),
        ("oidc_issuer", "https://idp.example"),
    ];
    let d = ProviderDetails::parse(ProviderType::Oidc, &map(&base)).unwrap();
    assert!(d.endpoints().incomplete(true));
    let mut no_issuer = map(&base);
    no_issuer.remove("oidc_issuer");
    assert_eq!(
        ProviderDetails::parse(ProviderType::Oidc, &no_issuer),
        Err(invalid(
            "ProviderDetails for provider type OIDC must contain oidc_issuer."
        ))
    );
    let mut foreign = map(&base);
    foreign.insert("team_id".into(), "t".into());
    assert!(ProviderDetails::parse(ProviderType::Oidc, &foreign).is_err());
    let mut method = map(&base);
    method.insert("attributes_request_method".into(), "PUT".into());
    assert!(ProviderDetails::parse(ProviderType::Oidc, &method).is_err());
}

#[test]
fn an_update_keeps_masked_or_omitted_secrets() {
    let first = ProviderDetails::parse(
        ProviderType::Facebook,
        &map(&[
            ("client_id", "c"),
            ("client_secret", "old"),
            ("authorize_scopes", "public_profile,email"),
        ]),
    )
    .unwrap();
    let masked = ProviderDetails::parse_update(
        ProviderType::Facebook,
        &map(&[
            ("client_id", "c2"),
            ("client_secret", SECRET_MASK),
            ("authorize_scopes", "email"),
        ]),
        &first,
    )
    .unwrap();
    assert_eq!(
        masked.secret("client_secret").unwrap().expose_secret(),
        "old"
    );
    assert_eq!(masked.client_id(), "c2");
    let replaced = ProviderDetails::parse_update(
        ProviderType::Facebook,
        &map(&[
            ("client_id", "c"),
            ("client_secret", "new"),
            ("authorize_scopes", "email"),
        ]),
        &first,
    )
    .unwrap();
    assert_eq!(
        replaced.secret("client_secret").unwrap().expose_secret(),
        "new"
    );
    assert_eq!(replaced.token_request_method(), RequestMethod::Get);
}

#[test]
fn saml_takes_metadata_and_flags() {
    let d = ProviderDetails::parse(
        ProviderType::Saml,
        &map(&[
            ("MetadataURL", "https://idp.example/metadata"),
            ("IDPInit", "true"),
        ]),
    )
    .unwrap();
    assert!(d.flag("IDPInit"));
    assert!(!d.flag("IDPSignout"));
    assert_eq!(d.described()["MetadataURL"], "https://idp.example/metadata");
    for bad in [
        map(&[]),
        map(&[("MetadataURL", "ftp://x"), ("IDPInit", "true")]),
        map(&[
            ("MetadataFile", "<x/>"),
            ("MetadataURL", "https://idp.example/m"),
        ]),
        map(&[("MetadataFile", "<x/>"), ("IDPSignout", "yes")]),
        map(&[
            ("MetadataFile", "<x/>"),
            ("RequestSigningAlgorithm", "rsa-sha1"),
        ]),
        map(&[("MetadataFile", "<x/>"), ("client_id", "x")]),
    ] {
        assert!(
            matches!(
                ProviderDetails::parse(ProviderType::Saml, &bad),
                Err(Error::InvalidParameter(_))
            ),
            "{bad:?}"
        );
    }
}

#[test]
fn apple_needs_its_key() {
    let partial = map(&[("client_id", "c"), ("authorize_scopes", "email name")]);
    assert!(ProviderDetails::parse(ProviderType::SignInWithApple, &partial).is_err());
}
