//! The hosted domain over HTTP (spec §9; security.md ★33, ★35, ★36, ★42): authorize →
//! hosted sign-in → code → token with PKCE → userInfo → refresh → revoke; code reuse, PKCE
//! failures, redirect-URI variants, parallel redemptions, implicit and client-credentials
//! grants, single sign-on with the cookie, logout, CSRF, discovery.

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use base64::Engine as _;
use userpool_testkit::PASSWORD;
use userpool_testkit::oauth::{self, CALLBACK, Jar, LOGOUT, OAuthClient, location, param};

use crate::sdk::{Server, serve};

/// RFC 7636 Appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct World {
    server: Server,
    http: reqwest::Client,
    pool: String,
    client: OAuthClient,
}

async fn world(secret: bool) -> World {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "my-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        secret,
        &[OAuthFlowType::Code, OAuthFlowType::Implicit],
        &["openid", "email", "aws.cognito.signin.user.admin"],
        &[],
    )
    .await;
    oauth::confirmed_user(&server.sdk, &pool, "alice").await;
    World {
        server,
        http: oauth::no_redirects(),
        pool,
        client,
    }
}

fn authorize_query(client: &str, extra: &str) -> String {
    format!(
        "response_type=code&client_id={client}&redirect_uri={}&state=st4te&scope=openid+email&nonce=n0nce&code_challenge={CHALLENGE}&code_challenge_method=S256{extra}",
        oauth::encode(CALLBACK)
    )
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.endpoint)
    }

    /// Signs alice in and returns the code (and the browser's jar).
    async fn code(&self) -> (String, Jar) {
        let mut jar = Jar::default();
        let response = oauth::hosted_sign_in(
            &self.http,
            &self.server.endpoint,
            &authorize_query(&self.client.id, ""),
            &mut jar,
            "alice",
            PASSWORD,
        )
        .await;
        assert_eq!(response.status(), 303);
        let to = location(&response);
        assert!(to.starts_with(&format!("{CALLBACK}?code=")), "{to}");
        assert_eq!(param(&to, "state").as_deref(), Some("st4te"));
        (param(&to, "code").expect("code"), jar)
    }

    async fn token(&self, body: &str) -> (u16, serde_json::Value) {
        let mut request = self
            .http
            .post(self.url("/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(secret) = &self.client.secret {
            request = request.basic_auth(&self.client.id, Some(secret));
        }
        let response = request.body(body.to_owned()).send().await.expect("token");
        let status = response.status().as_u16();
        if status != 200 {
            assert_eq!(
                response.headers()["content-type"],
                "application/json;charset=UTF-8"
            );
        }
        (status, response.json().await.unwrap_or_default())
    }

    async fn redeem(&self, code: &str, verifier: Option<&str>) -> (u16, serde_json::Value) {
        let mut body = format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}",
            self.client.id,
            oauth::encode(code),
            oauth::encode(CALLBACK)
        );
        if let Some(v) = verifier {
            body.push_str(&format!("&code_verifier={v}"));
        }
        self.token(&body).await
    }

    async fn user_info(&self, access: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .get(self.url("/oauth2/userInfo"))
            .bearer_auth(access)
            .send()
            .await
            .expect("userInfo");
        (
            response.status().as_u16(),
            response.json().await.unwrap_or_default(),
        )
    }
}

fn claims(jwt: &str) -> serde_json::Value {
    let payload = jwt.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("b64"),
    )
    .expect("json")
}

#[tokio::test]
async fn code_flow_with_pkce_then_user_info_refresh_and_revoke() {
    let w = world(true).await;
    let (code, _) = w.code().await;
    let (status, tokens) = w.redeem(&code, Some(VERIFIER)).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    assert_eq!(id["nonce"], "n0nce");
    assert_eq!(id["aud"], w.client.id.as_str());
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["cognito:username"], "alice");
    let access_token = tokens["access_token"].as_str().expect("access");
    let access = claims(access_token);
    assert_eq!(access["scope"], "openid email");
    assert_eq!(access["version"], 2);
    let server_id = w
        .server
        .verify_id_token(&w.pool, &w.client.id, tokens["id_token"].as_str().unwrap())
        .await;
    assert_eq!(server_id["sub"], id["sub"]);

    let (status, info) = w.user_info(access_token).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["username"], "alice");
    assert_eq!(info["sub"], id["sub"]);
    // Without the admin scope the token cannot call the self-service API.
    let denied = w
        .server
        .sdk
        .get_user()
        .access_token(access_token)
        .send()
        .await
        .expect_err("no aws.cognito.signin.user.admin scope");
    assert_eq!(
        aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata::code(&denied),
        Some("NotAuthorizedException")
    );

    let refresh = tokens["refresh_token"].as_str().expect("refresh");
    let (status, refreshed) = w
        .token(&format!(
            "grant_type=refresh_token&refresh_token={}",
            oauth::encode(refresh)
        ))
        .await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed["id_token"].is_string());
    assert!(refreshed.get("refresh_token").is_none());
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email",
        "refresh keeps the granted scopes"
    );

    let revoke = w
        .http
        .post(w.url("/oauth2/revoke"))
        .basic_auth(&w.client.id, w.client.secret.as_ref())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={}", oauth::encode(refresh)))
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoke.status(), 200);
    let (status, body) = w
        .token(&format!(
            "grant_type=refresh_token&refresh_token={}",
            oauth::encode(refresh)
        ))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let response = w
        .http
        .get(w.url("/oauth2/userInfo"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("error=\"invalid_token\"")
    );
    // An access token is not a refresh token; an unknown token revokes "fine".
    let wrong = w
        .http
        .post(w.url("/oauth2/revoke"))
        .basic_auth(&w.client.id, w.client.secret.as_ref())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={access_token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        wrong.json::<serde_json::Value>().await.unwrap()["error"],
        "unsupported_token_type"
    );
}

#[tokio::test]
async fn a_code_redeemed_twice_fails_and_revokes_the_first_tokens() {
    let w = world(false).await;
    let (code, _) = w.code().await;
    let (status, tokens) = w.redeem(&code, Some(VERIFIER)).await;
    assert_eq!(status, 200);
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(w.user_info(access).await.0, 200);
    let (status, body) = w.redeem(&code, Some(VERIFIER)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(w.user_info(access).await.0, 401, "first tokens revoked");
    let (status, _) = w
        .token(&format!(
            "grant_type=refresh_token&client_id={}&refresh_token={}",
            w.client.id,
            oauth::encode(tokens["refresh_token"].as_str().unwrap())
        ))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn pkce_failures_burn_the_code() {
    let w = world(false).await;
    let (code, _) = w.code().await;
    let (status, body) = w.redeem(&code, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, _) = w.redeem(&code, Some(VERIFIER)).await;
    assert_eq!(status, 400, "the code was burned by the failed attempt");

    let (code, _) = w.code().await;
    let wrong = "A".repeat(43);
    assert_eq!(
        w.redeem(&code, Some(&wrong)).await.1["error"],
        "invalid_grant"
    );

    let (code, _) = w.code().await;
    assert_eq!(
        w.redeem(&code, Some(&"A".repeat(42))).await.1["error"],
        "invalid_request",
        "42-character verifier"
    );

    // plain is refused at the authorization endpoint, with the error sent to the client.
    let query = authorize_query(&w.client.id, "").replace("S256", "plain");
    let response = w
        .http
        .get(w.url(&format!("/oauth2/authorize?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("invalid_request"),
        "{to}"
    );
    assert_eq!(param(&to, "state").as_deref(), Some("st4te"));

    // A verifier for a code issued without a challenge is a downgrade.
    let mut jar = Jar::default();
    let query = format!(
        "response_type=code&client_id={}&redirect_uri={}",
        w.client.id,
        oauth::encode(CALLBACK)
    );
    let response = oauth::hosted_sign_in(
        &w.http,
        &w.server.endpoint,
        &query,
        &mut jar,
        "alice",
        PASSWORD,
    )
    .await;
    let code = param(&location(&response), "code").expect("code");
    assert_eq!(
        w.redeem(&code, Some(VERIFIER)).await.1["error"],
        "invalid_grant"
    );
}

/// 50 parallel redemptions of one code: exactly one success, 49 `invalid_grant` (★36).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_redemptions_of_one_code_succeed_once() {
    let w = world(false).await;
    let (code, _) = w.code().await;
    let attempts = (0..50).map(|_| w.redeem(&code, Some(VERIFIER)));
    let results = futures_util::future::join_all(attempts).await;
    let ok = results.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(ok, 1, "{results:?}");
    assert_eq!(results.len(), 50);
    assert!(
        results
            .iter()
            .filter(|(s, _)| *s != 200)
            .all(|(s, b)| *s == 400 && b["error"] == "invalid_grant")
    );
}

#[tokio::test]
async fn unregistered_redirect_uris_get_the_error_page_never_a_redirect() {
    let w = world(false).await;
    let variants = [
        "https://app.example.com/callback/",
        "https://APP.example.com/callback",
        "https://app.example.com/Callback",
        "https://app.example.com/callback?x=1",
        "https://app.example.com/callback#f",
        "https://app.example.com@evil.example/callback",
        "https://app.example.com/callback/%2e%2e/evil",
        "https://app.example.com:8443/callback",
        "http://app.example.com/callback",
        "https://evil.app.example.com/callback",
        "https://xn--pp-8ka.example.com/callback",
        "https%3A%2F%2Fapp.example.com%2Fcallback",
        "javascript:alert(1)",
        "",
    ];
    for uri in variants {
        let query = format!(
            "response_type=code&client_id={}&redirect_uri={}&state=s",
            w.client.id,
            oauth::encode(uri)
        );
        let response = w
            .http
            .get(w.url(&format!("/oauth2/authorize?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{uri}");
        assert!(response.headers().get("location").is_none(), "{uri}");
        let html = response.text().await.unwrap();
        assert!(html.contains("redirect_mismatch"), "{uri}: {html}");
    }
    // Unknown client: the error page too.
    let response = w
        .http
        .get(w.url(&format!(
            "/oauth2/authorize?response_type=code&client_id=nosuchclient0000000000000&redirect_uri={}",
            oauth::encode(CALLBACK)
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn implicit_grant_returns_tokens_in_the_fragment_without_a_refresh_token() {
    let w = world(false).await;
    let mut jar = Jar::default();
    let query = format!(
        "response_type=token&client_id={}&redirect_uri={}&state=abc&scope=openid&nonce=nn",
        w.client.id,
        oauth::encode(CALLBACK)
    );
    let response = oauth::hosted_sign_in(
        &w.http,
        &w.server.endpoint,
        &query,
        &mut jar,
        "alice",
        PASSWORD,
    )
    .await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert!(to.starts_with(&format!("{CALLBACK}#access_token=")), "{to}");
    assert_eq!(param(&to, "token_type").as_deref(), Some("Bearer"));
    assert_eq!(param(&to, "state").as_deref(), Some("abc"));
    assert!(param(&to, "refresh_token").is_none());
    let id = claims(&param(&to, "id_token").expect("id_token"));
    assert_eq!(id["nonce"], "nn");
}

#[tokio::test]
async fn single_sign_on_across_clients_until_logout() {
    let w = world(false).await;
    let (_, mut jar) = w.code().await;
    let second = oauth::client(
        &w.server.sdk,
        &w.pool,
        false,
        &[OAuthFlowType::Code],
        &["openid"],
        &[],
    )
    .await;
    let query = format!(
        "response_type=code&client_id={}&redirect_uri={}&state=two",
        second.id,
        oauth::encode(CALLBACK)
    );
    let response = w
        .http
        .get(w.url(&format!("/oauth2/authorize?{query}")))
        .header("cookie", jar.header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let to = location(&response);
    assert!(
        to.starts_with(&format!("{CALLBACK}?code=")),
        "signed in without a form: {to}"
    );
    let (status, tokens) = {
        let body = format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}",
            second.id,
            oauth::encode(&param(&to, "code").unwrap()),
            oauth::encode(CALLBACK)
        );
        let r = w
            .http
            .post(w.url("/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        (
            r.status().as_u16(),
            r.json::<serde_json::Value>().await.unwrap(),
        )
    };
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        claims(tokens["id_token"].as_str().unwrap())["aud"],
        second.id.as_str()
    );

    // A logout_uri that is not registered is refused; a registered one clears the cookie.
    let bad = w
        .http
        .get(w.url(&format!(
            "/logout?client_id={}&logout_uri={}",
            w.client.id,
            oauth::encode("https://evil.example/")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let out = w
        .http
        .get(w.url(&format!(
            "/logout?client_id={}&logout_uri={}",
            w.client.id,
            oauth::encode(LOGOUT)
        )))
        .header("cookie", jar.header())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 302);
    assert_eq!(location(&out), LOGOUT);
    jar.absorb(&out);
    assert!(
        jar.0
            .iter()
            .all(|(k, _)| !k.starts_with("userpool_session_")),
        "{jar:?}"
    );
    let again = w
        .http
        .get(w.url(&format!("/oauth2/authorize?{query}")))
        .header("cookie", jar.header())
        .send()
        .await
        .unwrap();
    assert!(location(&again).starts_with("../login?"), "signed out");
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let w = world(false).await;
    let query = authorize_query(&w.client.id, "");
    let response = w
        .http
        .post(w.url(&format!("/login?{query}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("userpool_csrf={}", "a".repeat(64)))
        .body(format!(
            "_csrf={}&username=alice&password={PASSWORD}",
            "b".repeat(64)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.headers().get("location").is_none());
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[tokio::test]
async fn wrong_passwords_stay_on_the_page_in_the_chosen_language() {
    let w = world(false).await;
    let mut jar = Jar::default();
    let query = authorize_query(&w.client.id, "&lang=ja");
    let response = oauth::hosted_sign_in(
        &w.http,
        &w.server.endpoint,
        &query,
        &mut jar,
        "alice",
        "nope",
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("ユーザー名またはパスワードが正しくありません。"),
        "{html}"
    );
    assert!(html.contains("lang=\"ja\""));
    let english = w
        .http
        .get(w.url(&format!("/login?{}", authorize_query(&w.client.id, ""))))
        .header("accept-language", "fr, en;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Sign in with your username and password"));
}

#[tokio::test]
async fn client_credentials_with_resource_server_scopes() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "machines").await;
    oauth::resource_server(
        &server.sdk,
        &pool,
        "https://api.example.com",
        &["read", "write"],
    )
    .await;
    let m2m = oauth::client(
        &server.sdk,
        &pool,
        true,
        &[OAuthFlowType::ClientCredentials],
        &[
            "https://api.example.com/read",
            "https://api.example.com/write",
        ],
        &[],
    )
    .await;
    let http = oauth::no_redirects();
    let token = |body: &'static str, secret: Option<String>| {
        let mut r = http
            .post(format!("{}/oauth2/token", server.endpoint))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(s) = secret {
            r = r.basic_auth(&m2m.id, Some(s));
        }
        async move {
            let response = r.body(body).send().await.unwrap();
            (
                response.status().as_u16(),
                response
                    .json::<serde_json::Value>()
                    .await
                    .unwrap_or_default(),
            )
        }
    };
    let (status, body) = token(
        "grant_type=client_credentials&scope=https%3A%2F%2Fapi.example.com%2Fread",
        m2m.secret.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], m2m.id.as_str());
    assert_eq!(access["client_id"], m2m.id.as_str());
    assert_eq!(access["scope"], "https://api.example.com/read");
    assert_eq!(access["token_use"], "access");
    assert!(access.get("username").is_none());
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());

    let (_, all) = token("grant_type=client_credentials", m2m.secret.clone()).await;
    assert_eq!(
        claims(all["access_token"].as_str().unwrap())["scope"],
        "https://api.example.com/read https://api.example.com/write"
    );
    let (status, body) = token("grant_type=client_credentials", Some("wrong".into())).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(
        "grant_type=client_credentials&scope=openid",
        m2m.secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let (status, body) = token("grant_type=password", m2m.secret.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (status, body) = token(
        "grant_type=authorization_code&code=x&redirect_uri=y",
        m2m.secret.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
}

#[tokio::test]
async fn discovery_lists_the_endpoints_once_the_pool_has_a_domain() {
    let w = world(false).await;
    let doc: serde_json::Value = w
        .http
        .get(w.url(&format!("/{}/.well-known/openid-configuration", w.pool)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = &w.server.endpoint;
    assert_eq!(doc["issuer"], format!("{base}/{}", w.pool));
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{base}/oauth2/authorize")
    );
    assert_eq!(doc["token_endpoint"], format!("{base}/oauth2/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{base}/oauth2/userInfo"));
    assert_eq!(doc["revocation_endpoint"], format!("{base}/oauth2/revoke"));
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    // And by Host: the domain prefix names the pool.
    let response = w
        .http
        .get(w.url(&format!("/login?{}", authorize_query(&w.client.id, ""))))
        .header("host", "other-app.auth.us-east-1.amazoncognito.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "an unknown host falls back to the client"
    );
    oauth::pool_with_domain(&w.server.sdk, "other-app").await;
    let response = w
        .http
        .get(w.url(&format!("/login?{}", authorize_query(&w.client.id, ""))))
        .header("host", "other-app.auth.us-east-1.amazoncognito.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        400,
        "a client of another pool is refused on this pool's domain"
    );
}

/// A 160×48 PNG made for these tests.
const LOGO: &[u8] = include_bytes!("logo.png");

#[tokio::test]
async fn ui_customization_styles_the_pages_and_serves_the_logo() {
    use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata as _;
    use aws_sdk_cognitoidentityprovider::primitives::Blob;
    let w = world(false).await;
    let css = ".banner-customizable { background-color: #007a7a; }";
    let set = w
        .server
        .sdk
        .set_ui_customization()
        .user_pool_id(&w.pool)
        .css(css)
        .image_file(Blob::new(LOGO))
        .send()
        .await
        .expect("SetUICustomization")
        .ui_customization
        .expect("customization");
    assert_eq!(set.client_id(), Some("ALL"));
    assert_eq!(set.css(), Some(css));
    let image_url = set.image_url().expect("image url").to_owned();
    let got = w
        .server
        .sdk
        .get_ui_customization()
        .user_pool_id(&w.pool)
        .client_id(&w.client.id)
        .send()
        .await
        .expect("GetUICustomization")
        .ui_customization
        .expect("customization");
    assert_eq!(
        got.client_id(),
        Some("ALL"),
        "the client falls back to the pool's"
    );
    assert_eq!(got.css(), Some(css));

    let html = w
        .http
        .get(w.url(&format!("/login?{}", authorize_query(&w.client.id, ""))))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(css), "{html}");
    // The pages refer to it relatively (`logo/…` beside `/login`).
    let logo_path = image_url
        .trim_start_matches(&w.server.endpoint)
        .trim_start_matches('/');
    assert!(
        html.contains(&format!("src=\"{}\"", logo_path.replace('&', "&amp;"))),
        "{html}"
    );
    let logo = w.http.get(&image_url).send().await.unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.unwrap().as_ref(), LOGO);

    // Markup in CSS, a non-image logo, a pool without a domain: refused.
    for bad in [
        w.server
            .sdk
            .set_ui_customization()
            .user_pool_id(&w.pool)
            .css("</style><script>alert(1)</script>")
            .send()
            .await,
        w.server
            .sdk
            .set_ui_customization()
            .user_pool_id(&w.pool)
            .image_file(Blob::new(b"<svg/>".to_vec()))
            .send()
            .await,
    ] {
        assert_eq!(bad.unwrap_err().code(), Some("InvalidParameterException"));
    }
    let (bare, _) = w.server.pool_and_client().await;
    let err = w
        .server
        .sdk
        .set_ui_customization()
        .user_pool_id(&bare)
        .css(css)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    assert_eq!(
        err.message(),
        Some("There has to be an existing domain associated with this user pool")
    );
}

#[tokio::test]
async fn a_temporary_password_leads_to_the_new_password_page_then_to_the_client() {
    let w = world(false).await;
    w.server
        .sdk
        .admin_create_user()
        .user_pool_id(&w.pool)
        .username("dave")
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("dave@example.com")
                .build()
                .unwrap(),
        )
        .temporary_password("Temp-Passw0rd!")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("AdminCreateUser");
    let mut jar = Jar::default();
    let query = authorize_query(&w.client.id, "");
    let response = oauth::hosted_sign_in(
        &w.http,
        &w.server.endpoint,
        &query,
        &mut jar,
        "dave",
        "Temp-Passw0rd!",
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(
        oauth::form_value(&html, "challenge").as_deref(),
        Some("NEW_PASSWORD_REQUIRED")
    );
    let session = oauth::form_value(&html, "session").expect("session");
    let csrf = oauth::form_value(&html, "_csrf").expect("csrf");
    let post = |password: &'static str| {
        w.http
            .post(w.url(&format!("/challenge?{query}")))
            .header("cookie", jar.header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "_csrf={csrf}&challenge=NEW_PASSWORD_REQUIRED&session={}&username=dave&new_password={}",
                oauth::encode(&session),
                oauth::encode(password)
            ))
            .send()
    };
    let weak = post("short").await.unwrap();
    assert_eq!(weak.status(), 200);
    assert!(
        weak.text()
            .await
            .unwrap()
            .contains("The password does not meet the requirements.")
    );
    let done = post("N3w-Passw0rd!").await.unwrap();
    assert_eq!(done.status(), 303);
    assert!(location(&done).starts_with(&format!("{CALLBACK}?code=")));
}

#[tokio::test]
async fn the_hosted_pages_work_under_a_nested_prefix() {
    use tower::ServiceExt as _;
    let w = world(false).await;
    let app: axum::Router =
        axum::Router::new().nest("/cognito", userpool_http::router(w.server.service.clone()));
    let query = authorize_query(&w.client.id, "");
    let get = |uri: String| {
        app.clone().oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
    };
    let authorize = get(format!("/cognito/oauth2/authorize?{query}"))
        .await
        .unwrap();
    assert_eq!(authorize.status(), 302);
    let to = authorize.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("../login?"),
        "relative, so the prefix stays: {to}"
    );
    let page = get(format!("/cognito/login?{query}")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = String::from_utf8(
        axum::body::to_bytes(page.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(html.contains("action=\"login?"), "{html}");
    assert!(html.contains("href=\"signup?"), "{html}");
}
