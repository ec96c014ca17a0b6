//! Single logout (`IDPSignout`) with samlify: `/logout` → the IdP's single logout service
//! with our signed `LogoutRequest` (samlify verifies it with the certificate of our metadata)
//! → its signed `LogoutResponse` at `/saml2/logout` → the app; a replayed, tampered, unsigned
//! or mismatched `LogoutResponse` refused; and an IdP-initiated `LogoutRequest` answered with
//! our signed `LogoutResponse` (samlify verifies it too).

use oauth::{CALLBACK, location, param};
use openidconnect::PkceCodeChallenge;
use serde_json::Value;
use userpool_testkit::oauth;

use super::{PROVIDER, Setup, browser, post_to_acs, setup, to_idp_and_back};

async fn signout_on(s: &Setup) {
    s.server
        .sdk
        .update_identity_provider()
        .user_pool_id(&s.pool)
        .provider_name(PROVIDER)
        .provider_details("MetadataURL", format!("{}/metadata", s.idp.base))
        .provider_details("IDPSignout", "true")
        .send()
        .await
        .expect("UpdateIdentityProvider");
}

/// Signs `username` in through the IdP: the browser holds the pool's sign-in cookie.
async fn sign_in(s: &Setup, browser: &reqwest::Client, username: &str) {
    let (posted, _) = to_idp_and_back(s, browser, username).await;
    let answer = post_to_acs(browser, &posted).await;
    assert_eq!(answer.status(), 302);
    assert!(location(&answer).starts_with(CALLBACK));
}

fn logout_query(s: &Setup) -> String {
    let (challenge, _) = PkceCodeChallenge::new_random_sha256();
    format!(
        "client_id={}&redirect_uri={}&response_type=code&code_challenge={}&code_challenge_method=S256",
        s.client,
        oauth::encode(CALLBACK),
        challenge.as_str()
    )
}

/// `/logout` → the IdP → its answer's URL (to `/saml2/logout`), not yet followed.
async fn logout_to_idp_and_back(s: &Setup, browser: &reqwest::Client) -> String {
    let out = browser
        .get(format!("{}/logout?{}", s.server.endpoint, logout_query(s)))
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 302);
    let cleared = out
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap_or_default().contains("Max-Age=0"));
    assert!(cleared, "the sign-in cookie is cleared at /logout");
    let to_idp = location(&out);
    assert!(
        to_idp.starts_with(&format!("{}/slo?SAMLRequest=", s.idp.base)),
        "{to_idp}"
    );
    assert!(param(&to_idp, "Signature").is_some() && param(&to_idp, "RelayState").is_some());
    let idp = browser.get(&to_idp).send().await.expect("the IdP's SLO");
    assert_eq!(
        idp.status(),
        302,
        "{}",
        idp.text().await.unwrap_or_default()
    );
    let back = location(&idp);
    assert!(
        back.starts_with(&format!("{}/saml2/logout?SAMLResponse=", s.server.endpoint)),
        "{back}"
    );
    back
}

async fn slo_log(s: &Setup) -> Vec<Value> {
    reqwest::get(format!("{}/slo-log", s.idp.base))
        .await
        .expect("slo-log")
        .json()
        .await
        .expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_goes_through_the_idp_when_idp_signout_is_on() {
    let s = setup(false).await;
    let browser = browser();

    // IDPSignout off: /logout ends here.
    sign_in(&s, &browser, "carol").await;
    let out = browser
        .get(format!("{}/logout?{}", s.server.endpoint, logout_query(&s)))
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 302);
    assert!(location(&out).starts_with("login?"), "{}", location(&out));

    signout_on(&s).await;
    sign_in(&s, &browser, "alice").await;
    let back = logout_to_idp_and_back(&s, &browser).await;
    let log = slo_log(&s).await;
    assert_eq!(log[0]["kind"], "LogoutRequest");
    assert_eq!(log[0]["nameID"], "alice@example.com");
    assert!(
        log[0]["sessionIndex"]
            .as_str()
            .is_some_and(|i| i.starts_with('_'))
    );

    // A changed RelayState or a dropped signature is refused; the genuine answer finishes
    // the logout at the sign-in page of the app, once.
    let tampered = back.replace("RelayState=", "RelayState=x");
    let refused = browser.get(&tampered).send().await.expect("tampered");
    assert_eq!(refused.status(), 400);
    let unsigned = back.split("&SigAlg=").next().expect("query").to_owned();
    let refused = browser.get(&unsigned).send().await.expect("unsigned");
    assert_eq!(refused.status(), 400);
    let done = browser.get(&back).send().await.expect("/saml2/logout");
    assert_eq!(done.status(), 302);
    let end = location(&done);
    assert!(
        end.starts_with(&format!(
            "{}/login?client_id={}",
            s.server.endpoint, s.client
        )),
        "{end}"
    );
    let replayed = browser.get(&back).send().await.expect("replay");
    assert_eq!(replayed.status(), 400, "the logout state is single use");

    // The IdP answers another request: refused.
    reqwest::get(format!("{}/slo-mode?mode=wrong-irt", s.idp.base))
        .await
        .expect("mode");
    sign_in(&s, &browser, "alice").await;
    let back = logout_to_idp_and_back(&s, &browser).await;
    let refused = browser.get(&back).send().await.expect("wrong InResponseTo");
    assert_eq!(refused.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idp_initiated_logout_ends_the_session_and_is_answered() {
    let s = setup(false).await;
    signout_on(&s).await;
    let browser = browser();
    sign_in(&s, &browser, "bob").await;
    let start = browser
        .get(format!(
            "{}/logout-initiate?username=bob&RelayState=idp-relay",
            s.idp.base
        ))
        .send()
        .await
        .expect("logout-initiate");
    assert_eq!(start.status(), 302);
    let to_us = location(&start);
    assert!(
        to_us.starts_with(&format!("{}/saml2/logout?SAMLRequest=", s.server.endpoint)),
        "{to_us}"
    );
    // A browser without bob's session: nothing to end, refused.
    let stranger = browser_without_cookies()
        .get(&to_us)
        .send()
        .await
        .expect("stranger");
    assert_eq!(stranger.status(), 400);

    let ours = browser.get(&to_us).send().await.expect("/saml2/logout");
    assert_eq!(ours.status(), 302);
    let cleared = ours
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap_or_default().contains("Max-Age=0"));
    assert!(cleared, "the session cookie is cleared");
    let answer = location(&ours);
    assert!(
        answer.starts_with(&format!("{}/slo?SAMLResponse=", s.idp.base)),
        "{answer}"
    );
    assert_eq!(param(&answer, "RelayState").as_deref(), Some("idp-relay"));
    let verified = browser.get(&answer).send().await.expect("the IdP");
    assert_eq!(
        verified.status(),
        200,
        "samlify verifies our LogoutResponse: {}",
        verified.text().await.unwrap_or_default()
    );
    let log = slo_log(&s).await;
    assert_eq!(log[0]["kind"], "LogoutResponse");

    // The session is gone: the same request again finds no session to end.
    let again = browser.get(&to_us).send().await.expect("again");
    assert_eq!(again.status(), 400);
}

fn browser_without_cookies() -> reqwest::Client {
    oauth::no_redirects()
}
