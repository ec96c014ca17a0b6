//! The hosted passkey pages over plain HTTP with a cookie jar: `/passkeys/add` without a
//! sign-in, the pages' Content-Security-Policy (the one inline script admitted by its hash),
//! a forged credential, then what the pages' script does done by hand with a software
//! authenticator — registration, a refused empty credential, a passkey sign-in and the token
//! exchange.

use userpool_testkit::oauth::{self, Jar, form_value, location, param};

use crate::hosted_passwordless::{Browser, CALLBACK, ORIGIN, hosted_pool, redeem};
use crate::sdk::serve;

#[tokio::test]
async fn the_passkey_pages_admit_their_script_by_hash_only() {
    let s = serve().await;
    let (pool, client) = hosted_pool(&s, "passkey-csp", CALLBACK, true).await;
    oauth::confirmed_user(&s.sdk, &pool, "dave").await;

    // /passkeys/add without a sign-in: on to the sign-in page with the same request.
    let query = format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid",
        client.id,
        oauth::encode(CALLBACK)
    );
    let http = oauth::no_redirects();
    let r = http
        .get(format!("{}/passkeys/add?{query}", s.endpoint))
        .send()
        .await
        .expect("passkeys/add");
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), format!("../login?{query}"));

    // Signed in (password), the page carries the options and the hashed script.
    let mut jar = Jar::default();
    let signed_in = oauth::hosted_sign_in(
        &http,
        &s.endpoint,
        &query,
        &mut jar,
        "dave",
        userpool_testkit::PASSWORD,
    )
    .await;
    assert_eq!(signed_in.status(), 303);
    let r = http
        .get(format!("{}/passkeys/add?{query}", s.endpoint))
        .header("cookie", jar.header())
        .send()
        .await
        .expect("passkeys/add");
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    let html = r.text().await.expect("html");
    assert!(html.contains("data-ceremony=\"create\""), "{html}");
    assert!(
        html.contains("&quot;localhost&quot;"),
        "the RP id in the options"
    );
    let script = html
        .split_once("<script>")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(s, _)| s)
        .expect("one inline script");
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    assert!(
        csp.contains(&format!("script-src 'sha256-{hash}';")),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'unsafe"), "{csp}");
    assert_eq!(html.matches("<script").count(), 1);

    // No CSRF token: the page again (its relative links stay right).
    let r = http
        .post(format!("{}/passkeys/add?{query}", s.endpoint))
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("credential=%7B%7D")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("add?{query}"));

    // A forged credential: refused, the page shown again with a fresh ceremony.
    let csrf = form_value(&html, "_csrf").expect("csrf");
    let r = http
        .post(format!("{}/passkeys/add?{query}", s.endpoint))
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={csrf}&credential=%7B%7D"))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(html.contains("The passkey could not be used."), "{html}");
    assert!(html.contains("data-ceremony=\"create\""));

    // What the page's script does, by hand with a software authenticator: the options from
    // `data-options`, the credential posted through the form.
    let authenticator = webauthn_rp::SoftAuthenticator::new([9; 32], b"jar-passkey");
    let csrf = form_value(&html, "_csrf").expect("csrf");
    let credential = authenticator.register(
        &data_options(&html),
        ORIGIN,
        webauthn_rp::SoftAttestation::None,
        None,
    );
    let r = http
        .post(format!("{}/passkeys/add?{query}", s.endpoint))
        .header("cookie", jar.header())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&credential={}",
            oauth::encode(&credential.to_string())
        ))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 303, "registered, then on to the client");
    assert!(location(&r).starts_with(&format!("{CALLBACK}?code=")));

    // Signed out, the passkey button: the ceremony page with the request options and the
    // hashed script; an empty credential (no script ran) is refused with the page's words.
    let mut authenticator = authenticator;
    let (mut b, page) = Browser::open(&s, &client, "k1").await;
    let csrf = form_value(&page, "_csrf").expect("csrf");
    let (csp, html) = b.passkey_page(&csrf, "dave").await;
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(html.contains("data-ceremony=\"get\""), "{html}");
    let session = form_value(&html, "session").expect("session");
    let challenge = b.challenge_path();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("challenge", "WEB_AUTHN"),
        ("session", session.as_str()),
        ("username", "dave"),
        ("credential", ""),
    ];
    let r = b.post(&challenge, &fields).await;
    let html = r.text().await.expect("html");
    assert!(html.contains("The passkey could not be used."), "{html}");
    assert!(html.contains("id=\"signin-passkey\""));

    let (_, html) = b.passkey_page(&csrf, "dave").await;
    let session = form_value(&html, "session").expect("session");
    let assertion = authenticator.authenticate(&data_options(&html), ORIGIN, None);
    let assertion = assertion.to_string();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("challenge", "WEB_AUTHN"),
        ("session", session.as_str()),
        ("username", "dave"),
        ("credential", assertion.as_str()),
    ];
    let r = b.post(&challenge, &fields).await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(param(&to, "state").as_deref(), Some("k1"), "{to}");
    redeem(&s, &client, CALLBACK, &param(&to, "code").expect("code")).await;
}

/// The JSON in a page's `data-options` attribute.
fn data_options(html: &str) -> serde_json::Value {
    let start = html.find("data-options=\"").expect("data-options") + "data-options=\"".len();
    let end = html[start..].find('"').expect("end") + start;
    let json = html[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("options JSON")
}
