//! A federated user's sessions: `/oauth2/token` with `grant_type=refresh_token` gives new
//! tokens with `identities`; the pool session the federated sign-in opened gives single
//! sign-on until `/logout` clears it, and GlobalSignOut ends the session and the refresh
//! tokens.

use openidconnect::PkceCodeChallenge;
use serde_json::Value;
use userpool_testkit::oauth::{self, CALLBACK, location, param};

use super::{SCOPES, Setup, app_query, browser, claims, redeem_tokens, setup, sign_in_in};

async fn refresh(s: &Setup, token: &Value) -> reqwest::Response {
    oauth::no_redirects()
        .post(format!("{}/oauth2/token", s.server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id={}&refresh_token={}",
            s.client,
            oauth::encode(token.as_str().expect("a refresh token"))
        ))
        .send()
        .await
        .expect("token")
}

/// Where `/oauth2/authorize` without a provider sends `jar`: the app (single sign-on) or the
/// pool's sign-in page.
async fn authorize_without_provider(s: &Setup, jar: &reqwest::Client) -> String {
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let r = jar
        .get(format!(
            "{}/oauth2/authorize?{}",
            s.server.endpoint,
            app_query(&s.client, &challenge, "")
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(r.status(), 302);
    location(&r)
}

fn signed_in(to: &str) -> bool {
    to.starts_with(CALLBACK) && param(to, "code").is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn federated_users_refresh_and_sign_out() {
    let s = setup().await;
    let jar = browser();
    let (callback, verifier) = sign_in_in(&jar, &s, "dave", "identity_provider=corp", SCOPES).await;
    let first = redeem_tokens(&s, &callback, &verifier).await;
    let id = claims(first["id_token"].as_str().expect("ID token"));

    // Refreshed: new tokens for the same federated user, `identities` and the group kept.
    let response = refresh(&s, &first["refresh_token"]).await;
    assert_eq!(response.status(), 200);
    let refreshed: Value = response.json().await.expect("json");
    let again = claims(refreshed["id_token"].as_str().expect("a new ID token"));
    assert_ne!(refreshed["id_token"], first["id_token"]);
    for claim in [
        "sub",
        "cognito:username",
        "identities",
        "cognito:groups",
        "email",
    ] {
        assert_eq!(again[claim], id[claim], "{claim}");
    }
    assert_eq!(again["cognito:username"], "corp_dave");
    assert_eq!(again["identities"][0]["userId"], "dave");
    assert_eq!(again["identities"][0]["providerName"], "corp");
    let access = claims(refreshed["access_token"].as_str().expect("access token"));
    assert_eq!(access["username"], "corp_dave");
    assert_eq!(access["token_use"], "access");

    // The federated sign-in opened the pool's session: single sign-on without a provider…
    let to = authorize_without_provider(&s, &jar).await;
    assert!(signed_in(&to), "{to}");
    // …until /logout.
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    let out = jar
        .get(format!(
            "{}/logout?{}",
            s.server.endpoint,
            app_query(&s.client, &challenge, "")
        ))
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 302);
    let to = authorize_without_provider(&s, &jar).await;
    assert!(to.contains("login?"), "the sign-in page: {to}");

    // GlobalSignOut with a federated user's access token (asked for with the admin scope).
    let (callback, verifier) = sign_in_in(
        &jar,
        &s,
        "dave",
        "identity_provider=corp",
        &format!("{SCOPES}+aws.cognito.signin.user.admin"),
    )
    .await;
    let second = redeem_tokens(&s, &callback, &verifier).await;
    assert!(signed_in(&authorize_without_provider(&s, &jar).await));
    s.server
        .sdk
        .global_sign_out()
        .access_token(second["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("GlobalSignOut");
    for tokens in [&first, &second] {
        let response = refresh(&s, &tokens["refresh_token"]).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], "invalid_grant", "{body}");
    }
    let to = authorize_without_provider(&s, &jar).await;
    assert!(to.contains("login?"), "signed out everywhere: {to}");
}
