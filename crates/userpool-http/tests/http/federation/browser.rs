//! Federation in headless Chromium: the hosted sign-in page's provider button → panva's
//! `oidc-provider`'s own login and consent pages, filled in the browser → `/oauth2/idpresponse`
//! → the app's callback (a stand-in relying party) with a code and the app's `state` → the
//! code redeemed with PKCE: an ID token with `identities`. Screenshots go beside the hosted
//! UI's (`target/hosted-ui-screenshots/federation-*.png`).
//!
//! Without `/usr/bin/chromedriver` or `/usr/bin/chromium` the test prints why it was skipped.

use std::path::Path;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use fantoccini::{Client, Locator};
use serde_json::Value;
use userpool_testkit::oauth::{self, param};

use super::{claims, setup};
use crate::browser::{
    CHALLENGE, CHROMEDRIVER, CHROMIUM, VERIFIER, browser, driver, relying_party, shot, wait_for,
};

async fn type_into(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .send_keys(value)
        .await
        .expect("type");
}

async fn submit(c: &Client) {
    c.find(Locator::Css("button[type=\"submit\"]"))
        .await
        .expect("a submit button")
        .click()
        .await
        .expect("click");
}

/// The browser's URL once it starts with `prefix` (at most 10 s: a click returns before the
/// next page has loaded).
async fn arrived_at(c: &Client, prefix: &str) -> String {
    let mut url = String::new();
    for _ in 0..200 {
        url = c.current_url().await.expect("url").to_string();
        if url.starts_with(prefix) {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never at {prefix}; at {url}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_button_in_headless_chromium() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        eprintln!(
            "SKIPPED: federation browser test: {CHROMEDRIVER} or {CHROMIUM} is missing \
             (apt-get install -y chromium chromium-driver; .ci/run does this)"
        );
        return;
    }
    let s = setup().await;
    // A public client calling back to a page that loads, offering both sign-in options.
    let callback = relying_party().await;
    let client = s
        .server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&s.pool)
        .client_name("federated-browser-app")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("profile")
        .callback_urls(&callback)
        .supported_identity_providers("COGNITO")
        .supported_identity_providers("corp")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");
    let driver = driver().await;
    let c = browser(&driver, "en").await;
    // The server's own origin (127.0.0.1): the provider sends the browser back to the redirect
    // URI registered with it, and the binding cookie must be there.
    c.goto(&format!(
        "{}/oauth2/authorize?response_type=code&client_id={client}&redirect_uri={}&state=b1&scope=openid+email+profile&code_challenge={CHALLENGE}&code_challenge_method=S256",
        s.server.endpoint,
        oauth::encode(&callback)
    ))
    .await
    .expect("authorize");
    let button = "a[data-provider=\"corp\"]";
    wait_for(&c, button).await;
    assert!(
        c.current_url()
            .await
            .expect("url")
            .to_string()
            .contains("/login?")
    );
    shot(&c, "federation", "01-sign-in-page").await;
    c.find(Locator::Css(button))
        .await
        .expect("the corp button")
        .click()
        .await
        .expect("click");

    // The provider's pages, in the browser.
    wait_for(&c, "input[name=\"login\"]").await;
    arrived_at(&c, &format!("{}/", s.provider.issuer)).await;
    shot(&c, "federation", "02-provider-login").await;
    type_into(&c, "input[name=\"login\"]", "grace").await;
    type_into(&c, "input[name=\"password\"]", "anything").await;
    submit(&c).await;
    wait_for(&c, "input[name=\"prompt\"][value=\"consent\"]").await;
    shot(&c, "federation", "03-provider-consent").await;
    submit(&c).await;

    // Back through /oauth2/idpresponse to the app, with a code and the app's state.
    let url = arrived_at(&c, &callback).await;
    shot(&c, "federation", "04-relying-party").await;
    assert_eq!(param(&url, "state").as_deref(), Some("b1"), "{url}");
    let code = param(&url, "code").unwrap_or_else(|| panic!("a code: {url}"));
    c.close().await.expect("close");
    let response = oauth::no_redirects()
        .post(format!("{}/oauth2/token", s.server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={client}&code={}&redirect_uri={}&code_verifier={VERIFIER}",
            oauth::encode(&code),
            oauth::encode(&callback)
        ))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.expect("tokens");
    let id = claims(tokens["id_token"].as_str().expect("an ID token"));
    assert_eq!(id["cognito:username"], "corp_grace");
    assert_eq!(id["email"], "grace@idp.example");
    assert_eq!(id["identities"][0]["userId"], "grace");
    assert_eq!(id["identities"][0]["providerName"], "corp");
}
