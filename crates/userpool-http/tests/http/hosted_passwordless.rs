//! The hosted UI's passwordless sign-in over plain HTTP with a cookie jar (a browser's cookies
//! and CSRF token by hand): the sign-in page's buttons where the client allows `USER_AUTH`,
//! an email code and an SMS code read from the dev outbox, a wrong code, the OAuth redirect
//! and token exchange, the CSRF refusal, a client without `ALLOW_USER_AUTH`, a pool whose MFA
//! is required. The passkey pages over HTTP are in `hosted_passkeys.rs`.

use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, AuthFactorType, ExplicitAuthFlowsType, OAuthFlowType, SignInPolicyType,
    UserPoolPolicyType, UserPoolTierType, UserVerificationType, VerifiedAttributeType,
    WebAuthnConfigurationType,
};
use userpool_testkit::oauth::{self, Jar, OAuthClient, form_value, location, param};

use crate::sdk::{Server, serve};

/// A pool allowing every first factor, with the domain `prefix` and passkeys for RP
/// `localhost`, and a confidential code-flow client calling back to `callback`, allowing
/// `USER_AUTH` when `user_auth`.
pub(crate) async fn hosted_pool(
    s: &Server,
    prefix: &str,
    callback: &str,
    user_auth: bool,
) -> (String, OAuthClient) {
    let sdk = &s.sdk;
    let pool = sdk
        .create_user_pool()
        .pool_name("hosted-passwordless")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .user_pool_tier(UserPoolTierType::Essentials)
        .policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::Password)
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .allowed_first_auth_factors(AuthFactorType::SmsOtp)
                        .allowed_first_auth_factors(AuthFactorType::WebAuthn)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .and_then(|p| p.id)
        .expect("pool id");
    sdk.create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(prefix)
        .send()
        .await
        .expect("CreateUserPoolDomain");
    sdk.set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .web_authn_configuration(
            WebAuthnConfigurationType::builder()
                .relying_party_id("localhost")
                .user_verification(UserVerificationType::Preferred)
                .build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    let client = new_client(s, &pool, callback, user_auth).await;
    (pool, client)
}

/// A confidential code-flow client of `pool` calling back to `callback` (and signing out
/// to it), allowing `USER_AUTH` when `user_auth`.
pub(crate) async fn new_client(
    s: &Server,
    pool: &str,
    callback: &str,
    user_auth: bool,
) -> OAuthClient {
    let mut flows = vec![ExplicitAuthFlowsType::AllowRefreshTokenAuth];
    if user_auth {
        flows.push(ExplicitAuthFlowsType::AllowUserAuth);
    }
    let created = s
        .sdk
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("hosted-passwordless")
        .generate_secret(true)
        .set_explicit_auth_flows(Some(flows))
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("aws.cognito.signin.user.admin")
        .callback_urls(callback)
        .logout_urls(callback)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .expect("CreateUserPoolClient")
        .user_pool_client
        .expect("client");
    OAuthClient {
        pool: pool.to_owned(),
        id: created.client_id.expect("id"),
        secret: created.client_secret,
    }
}

/// Redeems `code` at `/oauth2/token` (client secret by Basic auth).
pub(crate) async fn redeem(
    s: &Server,
    client: &OAuthClient,
    callback: &str,
    code: &str,
) -> serde_json::Value {
    let response = s
        .http
        .post(format!("{}/oauth2/token", s.endpoint))
        .basic_auth(&client.id, client.secret.as_ref())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&code={}&redirect_uri={}",
            oauth::encode(code),
            oauth::encode(callback)
        ))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), 200);
    response.json().await.expect("tokens")
}

/// A browser by hand: the jar, the sign-in page's path and its latest HTML.
pub(crate) struct Browser {
    http: reqwest::Client,
    endpoint: String,
    jar: Jar,
    pub(crate) login: String,
}

impl Browser {
    pub(crate) async fn open(s: &Server, client: &OAuthClient, state: &str) -> (Self, String) {
        let http = oauth::no_redirects();
        let query = format!(
            "response_type=code&client_id={}&redirect_uri={}&scope=openid+email&state={state}",
            client.id,
            oauth::encode(CALLBACK)
        );
        let authorize = http
            .get(format!("{}/oauth2/authorize?{query}", s.endpoint))
            .send()
            .await
            .expect("authorize");
        assert_eq!(authorize.status(), 302);
        let login = location(&authorize).replacen("../login?", "/login?", 1);
        let mut b = Self {
            http,
            endpoint: s.endpoint.clone(),
            jar: Jar::default(),
            login,
        };
        let page = b.get(&b.login.clone()).await;
        (b, page)
    }

    pub(crate) async fn get(&mut self, path: &str) -> String {
        let r = self
            .http
            .get(format!("{}{path}", self.endpoint))
            .header("cookie", self.jar.header())
            .send()
            .await
            .expect("get");
        self.jar.absorb(&r);
        r.text().await.expect("html")
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", oauth::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let r = self
            .http
            .post(format!("{}{path}", self.endpoint))
            .header("cookie", self.jar.header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("post");
        self.jar.absorb(&r);
        r
    }

    /// "Sign in with a passkey" for `username`: the ceremony page's CSP and HTML.
    pub(crate) async fn passkey_page(&mut self, csrf: &str, username: &str) -> (String, String) {
        let login = self.login.clone();
        let fields = [
            ("_csrf", csrf),
            ("username", username),
            ("factor", "WEB_AUTHN"),
        ];
        let r = self.post(&login, &fields).await;
        assert_eq!(r.status(), 200);
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        (csp, r.text().await.expect("html"))
    }

    /// The `/challenge` path beside the sign-in page.
    pub(crate) fn challenge_path(&self) -> String {
        self.login.replacen("/login?", "/challenge?", 1)
    }
}

pub(crate) const CALLBACK: &str = "http://localhost:3000/callback";
/// The callback's origin: where an app's passkey ceremonies may run.
pub(crate) const ORIGIN: &str = "http://localhost:3000";

#[tokio::test]
async fn email_and_sms_codes_at_the_hosted_ui() {
    let s = serve().await;
    let (pool, client) = hosted_pool(&s, "passwordless-jar", CALLBACK, true).await;
    oauth::confirmed_user(&s.sdk, &pool, "alice").await;
    s.sdk
        .admin_update_user_attributes()
        .user_pool_id(&pool)
        .username("alice")
        .user_attributes(
            AttributeType::builder()
                .name("phone_number")
                .value("+15555550100")
                .build()
                .expect("attribute"),
        )
        .user_attributes(
            AttributeType::builder()
                .name("phone_number_verified")
                .value("true")
                .build()
                .expect("attribute"),
        )
        .send()
        .await
        .expect("AdminUpdateUserAttributes");

    // The sign-in page offers the three passwordless buttons, and runs no script.
    let (mut b, page) = Browser::open(&s, &client, "e1").await;
    for id in ["signin-email", "signin-sms", "signin-passkey"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "#{id}: {page}");
    }
    assert!(!page.contains("<script"));
    let csrf = form_value(&page, "_csrf").expect("csrf");

    // No CSRF token: refused like every other form.
    let refused = b
        .post(
            &b.login.clone(),
            &[("username", "alice"), ("factor", "EMAIL_OTP")],
        )
        .await;
    assert_eq!(refused.status(), 403);

    // Email code: the code page, a wrong code, then the right one and the redirect.
    let login = b.login.clone();
    let r = b
        .post(
            &login,
            &[
                ("_csrf", &csrf),
                ("username", "alice"),
                ("factor", "EMAIL_OTP"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert_eq!(
        form_value(&html, "challenge").as_deref(),
        Some("EMAIL_OTP"),
        "{html}"
    );
    assert!(html.contains("Enter the code we sent by email."), "{html}");
    let session = form_value(&html, "session").expect("session");
    let code = s.code(&pool, "alice").await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let challenge = b.challenge_path();
    let answer = |code: String| {
        vec![
            ("_csrf", csrf.clone()),
            ("challenge", "EMAIL_OTP".to_owned()),
            ("session", session.clone()),
            ("username", "alice".to_owned()),
            ("code", code),
        ]
    };
    let fields = answer(wrong.to_owned());
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&challenge, &borrowed).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(html.contains("Invalid code provided"), "{html}");
    let fields = answer(code);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post(&challenge, &borrowed).await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(to.starts_with(&format!("{CALLBACK}?code=")), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("e1"));
    let tokens = redeem(&s, &client, CALLBACK, &param(&to, "code").expect("code")).await;
    assert!(tokens["id_token"].is_string() && tokens["access_token"].is_string());
    let claims = s
        .verify_id_token(
            &pool,
            &client.id,
            tokens["id_token"].as_str().unwrap_or_default(),
        )
        .await;
    assert_eq!(claims["cognito:username"], "alice");

    // SMS code, in a fresh browser.
    let (mut b, page) = Browser::open(&s, &client, "e2").await;
    let csrf = form_value(&page, "_csrf").expect("csrf");
    let login = b.login.clone();
    let r = b
        .post(
            &login,
            &[
                ("_csrf", &csrf),
                ("username", "alice"),
                ("factor", "SMS_OTP"),
            ],
        )
        .await;
    let html = r.text().await.expect("html");
    assert_eq!(
        form_value(&html, "challenge").as_deref(),
        Some("SMS_OTP"),
        "{html}"
    );
    assert!(html.contains("Enter the code we sent by SMS."), "{html}");
    let session = form_value(&html, "session").expect("session");
    let code = s.code(&pool, "alice").await;
    let challenge = b.challenge_path();
    let r = b
        .post(
            &challenge,
            &[
                ("_csrf", &csrf),
                ("challenge", "SMS_OTP"),
                ("session", &session),
                ("username", "alice"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(param(&to, "state").as_deref(), Some("e2"), "{to}");
    redeem(&s, &client, CALLBACK, &param(&to, "code").expect("code")).await;

    // A passkey for a user without one: the method is not available (the page says so).
    let (mut b, page) = Browser::open(&s, &client, "e3").await;
    let csrf = form_value(&page, "_csrf").expect("csrf");
    let login = b.login.clone();
    let r = b
        .post(
            &login,
            &[
                ("_csrf", &csrf),
                ("username", "alice"),
                ("factor", "WEB_AUTHN"),
            ],
        )
        .await;
    let html = r.text().await.expect("html");
    assert!(
        html.contains("This sign-in method is not available for this account."),
        "{html}"
    );

    // A client without ALLOW_USER_AUTH: no buttons, and a forged post is refused.
    let plain = new_client(&s, &pool, CALLBACK, false).await;
    let (mut b, page) = Browser::open(&s, &plain, "e4").await;
    assert!(!page.contains("signin-email"), "{page}");
    let csrf = form_value(&page, "_csrf").expect("csrf");
    let login = b.login.clone();
    let r = b
        .post(
            &login,
            &[
                ("_csrf", &csrf),
                ("username", "alice"),
                ("factor", "EMAIL_OTP"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("This sign-in method is not available for this account."),
        "{html}"
    );
    assert!(!html.contains("name=\"challenge\""));

    // MFA required: Cognito refuses passwordless first factors, so the page offers none.
    s.sdk
        .set_user_pool_mfa_config()
        .user_pool_id(&pool)
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::On)
        .software_token_mfa_configuration(
            aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .expect("SetUserPoolMfaConfig");
    let (_, page) = Browser::open(&s, &client, "e5").await;
    assert!(page.contains("id=\"signin\""), "{page}");
    assert!(!page.contains("signin-email") && !page.contains("signin-passkey"));
}
