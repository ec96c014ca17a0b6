//! The SP-initiated SAML chain once in headless Chromium (the hosted-UI browser test's
//! chromedriver and fantoccini): the app's authorize → samlify's login page → its
//! auto-posting form → `/saml2/idpresponse` (with the browser's own binding cookie) → the
//! relying party with a code → tokens; then `/logout` through the IdP's single logout
//! service (`IDPSignout`) back to the hosted sign-in page.

use std::path::Path;

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use fantoccini::Locator;
use serde_json::Value;
use userpool_testkit::oauth::{self, param};

use super::{PROVIDER, claims, setup};
use crate::browser::{
    CHALLENGE, CHROMEDRIVER, CHROMIUM, VERIFIER, browser, driver, relying_party, wait_for,
};

/// Waits (at most 10 s) for the page to say `text`.
async fn wait_for_text(c: &fantoccini::Client, text: &str) {
    c.wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(Locator::XPath(&format!("//*[contains(text(), '{text}')]")))
        .await
        .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saml_sign_in_and_single_logout_in_headless_chromium() {
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        eprintln!(
            "SKIPPED: SAML browser test: {CHROMEDRIVER} or {CHROMIUM} is missing \
             (apt-get install -y chromium chromium-driver; .ci/run does this)"
        );
        return;
    }
    let s = setup(true).await;
    s.server
        .sdk
        .update_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .provider_details("MetadataURL", format!("{}/metadata", s.idp.base))
        .provider_details("RequestSigningAlgorithm", "rsa-sha256")
        .provider_details("IDPSignout", "true")
        .send()
        .await
        .expect("UpdateIdentityProvider");
    let callback = relying_party().await;
    let client = s
        .server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&s.pool)
        .client_name("saml-browser-app")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(&callback)
        .supported_identity_providers(PROVIDER)
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("client id");

    let driver = driver().await;
    let c = browser(&driver, "en").await;
    c.goto(&format!(
        "{}/oauth2/authorize?response_type=code&client_id={client}&redirect_uri={}&scope=openid+email&state=b1&code_challenge={CHALLENGE}&code_challenge_method=S256&identity_provider={PROVIDER}",
        s.server.endpoint,
        oauth::encode(&callback)
    ))
    .await
    .expect("authorize");
    // samlify's login page (it verified our signed AuthnRequest to show it).
    wait_for(&c, "input[name=username]").await;
    c.find(Locator::Css("input[name=username]"))
        .await
        .expect("username")
        .send_keys("grace")
        .await
        .expect("type");
    c.find(Locator::Css("button"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    // Its form posts itself to /saml2/idpresponse, which sends the browser to the app.
    wait_for_text(&c, "signed in at the relying party").await;
    let url = c.current_url().await.expect("url").to_string();
    assert!(url.starts_with(&callback), "at the relying party: {url}");
    assert_eq!(param(&url, "state").as_deref(), Some("b1"));
    let code = param(&url, "code").unwrap_or_else(|| panic!("a code: {url}"));
    let tokens: Value = reqwest::Client::new()
        .post(format!("{}/oauth2/token", s.server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={client}&code={}&redirect_uri={}&code_verifier={VERIFIER}",
            oauth::encode(&code),
            oauth::encode(&callback)
        ))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("tokens");
    let id = claims(tokens["id_token"].as_str().expect("an ID token"));
    assert_eq!(
        id["cognito:username"],
        format!("{PROVIDER}_grace@example.com")
    );
    assert_eq!(id["identities"][0]["providerType"], "SAML");

    // Single logout: /logout → the IdP's SLO service → /saml2/logout → the sign-in page.
    c.goto(&format!(
        "{}/logout?client_id={client}&redirect_uri={}&response_type=code&scope=openid&state=b2",
        s.server.endpoint,
        oauth::encode(&callback)
    ))
    .await
    .expect("logout");
    wait_for(&c, "#username").await;
    let url = c.current_url().await.expect("url").to_string();
    assert!(
        url.starts_with(&format!("{}/login?client_id={client}", s.server.endpoint)),
        "{url}"
    );
    let log: Vec<Value> = reqwest::get(format!("{}/slo-log", s.idp.base))
        .await
        .expect("slo-log")
        .json()
        .await
        .expect("json");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["nameID"], "grace@example.com");
    c.close().await.expect("close");
}
