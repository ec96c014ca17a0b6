//! The hosted UI's passwordless steps through the facade (on every store backend): which
//! first factors the sign-in page offers, an email code (wrong, then right, then spent), and a
//! passkey registered with the hosted sign-in cookie and then used to sign in, with a software
//! authenticator.

use userpool::wire::*;
use userpool::{Error, ErrorKind};
use webauthn_rp::{SoftAttestation, SoftAuthenticator};

use super::support::*;

const ORIGIN: &str = "https://app.example.com";
const QUERY_TAIL: &str = "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=s";

/// A pool allowing `factors`, with a domain and passkeys for RP `app.example.com`, a
/// code-flow client (with `ALLOW_USER_AUTH` when `user_auth`) and a confirmed `alice`.
async fn hosted(w: &World, prefix: &str, factors: &[&str], user_auth: bool) -> (String, String) {
    let pool = w
        .pool_with(|p| {
            p.user_pool_tier = Some("ESSENTIALS".into());
            p.policies = Some(Policies {
                sign_in_policy: Some(SignInPolicy {
                    allowed_first_auth_factors: factors.iter().map(|f| (*f).to_owned()).collect(),
                }),
                ..Default::default()
            });
        })
        .await;
    w.service
        .admin()
        .create_user_pool_domain(UserPoolDomainRequest {
            domain: prefix.into(),
            user_pool_id: pool.clone(),
            ..Default::default()
        })
        .await
        .expect("domain");
    w.service
        .admin()
        .set_user_pool_mfa_config(UserPoolMfaConfig {
            user_pool_id: pool.clone(),
            web_authn_configuration: Some(WebAuthnConfiguration {
                relying_party_id: Some("app.example.com".into()),
                user_verification: Some("preferred".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await
        .expect("SetUserPoolMfaConfig");
    let client = w
        .client_with(&pool, |c| {
            if user_auth {
                c.explicit_auth_flows
                    .get_or_insert_with(Vec::new)
                    .push("ALLOW_USER_AUTH".into());
            }
            c.allowed_oauth_flows_user_pool_client = true;
            c.allowed_oauth_flows = vec!["code".into()];
            c.allowed_oauth_scopes = vec!["openid".into()];
            c.callback_urls = vec![format!("{ORIGIN}/cb")];
            c.supported_identity_providers = vec!["COGNITO".into()];
        })
        .await
        .client_id;
    w.user(&client, "alice", PASSWORD).await;
    (pool, client)
}

async fn request(w: &World, client: &str) -> HostedRequest {
    w.service
        .hosted()
        .hosted_request(
            &format!("response_type=code&client_id={client}&{QUERY_TAIL}"),
            None,
        )
        .await
        .expect("a valid request")
}

fn challenge(
    step: HostedStep,
) -> (
    String,
    SecretString,
    std::collections::BTreeMap<String, String>,
) {
    match step {
        HostedStep::Challenge {
            name,
            session,
            parameters,
        } => (name, session, parameters),
        other => panic!("a challenge: {other:?}"),
    }
}

fn kind<T: std::fmt::Debug>(r: Result<T, Error>) -> ErrorKind {
    r.expect_err("an error").kind()
}

#[tokio::test]
async fn the_page_offers_what_client_and_pool_allow() {
    let w = world!();
    let (_, client) = hosted(
        &w,
        "pl-offer",
        &["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
        true,
    )
    .await;
    assert_eq!(
        request(&w, &client).await.first_factors,
        vec!["EMAIL_OTP", "WEB_AUTHN"]
    );
    let (_, plain) = hosted(&w, "pl-plain", &["PASSWORD", "EMAIL_OTP", "SMS_OTP"], false).await;
    let req = request(&w, &plain).await;
    assert!(req.first_factors.is_empty());
    let refused = w
        .service
        .hosted()
        .hosted_passwordless(&req, "alice", "EMAIL_OTP")
        .await;
    assert_error(
        refused,
        "InvalidParameterException",
        "The sign-in method is not offered for this client.",
    );
}

#[tokio::test]
async fn an_email_code_signs_in_once() {
    let w = world!();
    let (pool, client) = hosted(&w, "pl-email", &["PASSWORD", "EMAIL_OTP"], true).await;
    let req = request(&w, &client).await;
    let hosted = w.service.hosted();
    let (name, session, _) = challenge(
        hosted
            .hosted_passwordless(&req, "alice", "EMAIL_OTP")
            .await
            .expect("EMAIL_OTP"),
    );
    assert_eq!(name, "EMAIL_OTP");
    let code = w
        .outbox
        .last_code(&pool, &w.username_of(&pool, "alice").await)
        .expect("a code");
    let answer =
        |c: &str| std::collections::BTreeMap::from([("EMAIL_OTP_CODE".to_owned(), c.to_owned())]);
    let wrong = if code.as_str() == "000000" {
        "000001"
    } else {
        "000000"
    };
    assert_eq!(
        kind(
            hosted
                .hosted_respond(&req, "EMAIL_OTP", &session, "alice", answer(wrong))
                .await
        ),
        ErrorKind::CodeMismatch
    );
    match hosted
        .hosted_respond(&req, "EMAIL_OTP", &session, "alice", answer(code.as_str()))
        .await
        .expect("signed in")
    {
        HostedStep::SignedIn { location, .. } => {
            assert!(
                location.starts_with(&format!("{ORIGIN}/cb?code=")),
                "{location}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        hosted
            .hosted_respond(&req, "EMAIL_OTP", &session, "alice", answer(code.as_str()))
            .await
            .is_err(),
        "the session is spent"
    );
}

#[tokio::test]
async fn a_passkey_registered_with_the_cookie_signs_in() {
    let w = world!();
    let (_, client) = hosted(&w, "pl-passkey", &["PASSWORD", "WEB_AUTHN"], true).await;
    let req = request(&w, &client).await;
    let hosted = w.service.hosted();

    // Not signed in: no registration.
    assert_eq!(
        kind(hosted.hosted_passkey_options(&req, None).await),
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        kind(hosted.hosted_passkey_options(&req, Some("forged")).await),
        ErrorKind::NotAuthorized
    );
    // No passkey yet: the passkey factor is not available to alice.
    assert_error(
        hosted.hosted_passwordless(&req, "alice", "WEB_AUTHN").await,
        "InvalidParameterException",
        "The sign-in method is not available for this user.",
    );

    let cookie = match hosted
        .hosted_sign_in(&req, "alice", &PASSWORD.into())
        .await
        .expect("password sign-in")
    {
        HostedStep::SignedIn { session, .. } => session.cookie,
        other => panic!("{other:?}"),
    };
    let cookie = Some(cookie.expose_secret());
    let options = hosted
        .hosted_passkey_options(&req, cookie)
        .await
        .expect("creation options");
    assert_eq!(options["rp"]["id"], "app.example.com");
    assert_eq!(
        kind(
            hosted
                .hosted_passkey_register(&req, cookie, "not json")
                .await
        ),
        ErrorKind::InvalidParameter
    );
    let mut authenticator = SoftAuthenticator::new([7; 32], b"hosted-passkey");
    let credential = authenticator.register(&options, ORIGIN, SoftAttestation::None, None);
    hosted
        .hosted_passkey_register(&req, cookie, &credential.to_string())
        .await
        .expect("registered");
    assert_eq!(
        kind(
            hosted
                .hosted_passkey_register(&req, cookie, &credential.to_string())
                .await
        ),
        ErrorKind::WebAuthnChallengeNotFound,
        "a ceremony completes once"
    );

    let (name, session, parameters) = challenge(
        hosted
            .hosted_passwordless(&req, "alice", "WEB_AUTHN")
            .await
            .expect("WEB_AUTHN"),
    );
    assert_eq!(name, "WEB_AUTHN");
    let request_options: serde_json::Value =
        serde_json::from_str(&parameters["CREDENTIAL_REQUEST_OPTIONS"]).expect("options");
    let assertion = authenticator.authenticate(&request_options, ORIGIN, None);
    match hosted
        .hosted_respond(
            &req,
            "WEB_AUTHN",
            &session,
            "alice",
            std::collections::BTreeMap::from([("CREDENTIAL".to_owned(), assertion.to_string())]),
        )
        .await
        .expect("signed in with the passkey")
    {
        HostedStep::SignedIn { location, .. } => {
            assert!(
                location.starts_with(&format!("{ORIGIN}/cb?code=")),
                "{location}"
            );
        }
        other => panic!("{other:?}"),
    }
}
