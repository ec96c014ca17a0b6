//! The hosted passkey pages in a real browser: headless Chromium over WebDriver (as in
//! `browser.rs`) with a WebDriver **virtual authenticator** (CTAP2, internal transport,
//! resident keys, user verification). Password sign-in → `/passkeys/add` registers a passkey
//! through the page's script and `navigator.credentials.create` → sign-out → "Sign in with a
//! passkey" → the page's `navigator.credentials.get` → the callback with a code, exchanged
//! for tokens. The pages' Content-Security-Policy is live throughout: were the script not
//! admitted by its hash, no ceremony would run.
//!
//! Without `/usr/bin/chromedriver` the test prints why it was skipped (`.ci/run` installs it).

use std::path::Path;

use fantoccini::Client;
use userpool::Issuer;
use userpool_testkit::PASSWORD;
use userpool_testkit::oauth::{self, OAuthClient, param};

use crate::browser::{
    CHROMEDRIVER, CHROMIUM, Driver, browser, click, driver, fill, page_text, relying_party, shot,
    wait_for,
};
use crate::hosted_passwordless::{hosted_pool, redeem};
use crate::sdk::{Server, serve_with};

/// Adds a virtual authenticator to the session (WebDriver's WebAuthn extension commands);
/// returns its id.
async fn virtual_authenticator(driver: &Driver, c: &Client) -> String {
    let session = c
        .session_id()
        .await
        .expect("session")
        .expect("a session id");
    let added: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/session/{session}/webauthn/authenticator",
            driver.url
        ))
        .json(&serde_json::json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserVerified": true,
        }))
        .send()
        .await
        .expect("add a virtual authenticator")
        .json()
        .await
        .expect("json");
    added["value"]
        .as_str()
        .unwrap_or_else(|| panic!("an authenticator id: {added}"))
        .to_owned()
}

/// The credentials the virtual authenticator holds.
async fn held_credentials(
    driver: &Driver,
    c: &Client,
    authenticator: &str,
) -> Vec<serde_json::Value> {
    let session = c
        .session_id()
        .await
        .expect("session")
        .expect("a session id");
    let listed: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/session/{session}/webauthn/authenticator/{authenticator}/credentials",
            driver.url
        ))
        .send()
        .await
        .expect("credentials")
        .json()
        .await
        .expect("json");
    listed["value"].as_array().cloned().unwrap_or_default()
}

/// Waits (at most 10 s) until the browser is at `callback`; returns the URL.
async fn at_callback(c: &Client, callback: &str) -> String {
    let mut url = String::new();
    for _ in 0..200 {
        url = c.current_url().await.expect("url").to_string();
        if url.starts_with(callback) {
            return url;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("not at the relying party: {url}");
}

fn authorize_query(client: &OAuthClient, callback: &str, state: &str, lang: &str) -> String {
    format!(
        "response_type=code&client_id={}&redirect_uri={}&state={state}&scope=openid+email+aws.cognito.signin.user.admin&lang={lang}",
        client.id,
        oauth::encode(callback)
    )
}

#[tokio::test]
async fn passkey_registration_and_sign_in_in_chromium_with_a_virtual_authenticator() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        eprintln!("skipped: {CHROMEDRIVER} or {CHROMIUM} is missing");
        return;
    }
    let d = driver().await;
    for lang in ["en", "ja"] {
        passkey_round_trip(&d, lang).await;
    }
}

/// Password sign-in, `/passkeys/add`, sign-out, passkey sign-in — in `lang`.
async fn passkey_round_trip(d: &Driver, lang: &str) {
    // The browser reaches the server as `localhost` (a secure context for WebAuthn, and the
    // RP id), so the hosted pages' origin is `http://localhost:<port>`.
    let s: Server = serve_with(|endpoint| Issuer::SelfHosted {
        base_url: endpoint.replace("127.0.0.1", "localhost"),
    })
    .await;
    let origin = s.endpoint.replace("127.0.0.1", "localhost");
    let callback = relying_party().await;
    let (pool, client) = hosted_pool(&s, &format!("passkey-browser-{lang}"), &callback, true).await;
    oauth::confirmed_user(&s.sdk, &pool, "erin").await;

    let c = browser(d, lang).await;
    let authenticator = virtual_authenticator(d, &c).await;

    // 1. Password sign-in.
    c.goto(&format!(
        "{origin}/oauth2/authorize?{}",
        authorize_query(&client, &callback, "p1", lang)
    ))
    .await
    .expect("authorize");
    wait_for(&c, "#signin-passkey").await;
    shot(&c, lang, "20-sign-in-passwordless").await;
    let button = if lang == "ja" {
        "パスキーでサインイン"
    } else {
        "Sign in with a passkey"
    };
    assert!(
        page_text(&c).await.contains(button),
        "{}",
        page_text(&c).await
    );
    fill(&c, "username", "erin").await;
    fill(&c, "password", PASSWORD).await;
    click(&c, "signin").await;
    let url = at_callback(&c, &callback).await;
    assert_eq!(param(&url, "state").as_deref(), Some("p1"));
    let tokens = redeem(&s, &client, &callback, &param(&url, "code").expect("code")).await;
    let access = tokens["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();

    // 2. Register a passkey at /passkeys/add (the page's script, navigator.credentials.create).
    c.goto(&format!(
        "{origin}/passkeys/add?{}",
        authorize_query(&client, &callback, "p2", lang)
    ))
    .await
    .expect("passkeys/add");
    wait_for(&c, "#passkey").await;
    shot(&c, lang, "21-add-passkey").await;
    click(&c, "passkey").await;
    let url = at_callback(&c, &callback).await;
    assert_eq!(param(&url, "state").as_deref(), Some("p2"), "{url}");
    assert!(param(&url, "code").is_some(), "{url}");
    assert_eq!(held_credentials(d, &c, &authenticator).await.len(), 1);
    let listed = s
        .sdk
        .list_web_authn_credentials()
        .access_token(&access)
        .send()
        .await
        .expect("ListWebAuthnCredentials");
    assert_eq!(listed.credentials.len(), 1);
    assert_eq!(listed.credentials[0].relying_party_id, "localhost");

    // 3. Sign out: the next authorization shows the sign-in page again.
    let _ = c
        .goto(&format!(
            "{origin}/logout?client_id={}&logout_uri={}",
            client.id,
            oauth::encode(&callback)
        ))
        .await;
    c.goto(&format!(
        "{origin}/oauth2/authorize?{}",
        authorize_query(&client, &callback, "p3", lang)
    ))
    .await
    .expect("authorize again");
    wait_for(&c, "#signin-passkey").await;

    // 4. Sign in with the passkey: username, the button, the ceremony page, the callback.
    fill(&c, "username", "erin").await;
    click(&c, "signin-passkey").await;
    wait_for(&c, "#webauthn[data-ceremony=get]").await;
    shot(&c, lang, "22-passkey-sign-in").await;
    click(&c, "passkey").await;
    let url = at_callback(&c, &callback).await;
    assert_eq!(param(&url, "state").as_deref(), Some("p3"), "{url}");
    let tokens = redeem(&s, &client, &callback, &param(&url, "code").expect("code")).await;
    assert!(tokens["id_token"].is_string());
    let user = s
        .sdk
        .get_user()
        .access_token(tokens["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("GetUser with the passkey sign-in's token");
    assert_eq!(user.username, "erin");
    assert!(
        page_text(&c)
            .await
            .contains("signed in at the relying party")
    );
    c.close().await.expect("close");
}
