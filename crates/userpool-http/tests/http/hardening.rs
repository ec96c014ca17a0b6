//! What scripted clients and an attack run found wrong (issue 17) and what the security review
//! asked for (issue 18), over HTTP with the clients a user would use: the Rust AWS SDK, reqwest
//! with a cookie store on plain http, raw requests for what no SDK sends, the official
//! `aws-sigv4` signer for signatures the SDK would never make.

use std::time::{Duration, Instant, SystemTime};

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, FeatureType, OAuthFlowType, RefreshTokenRotationType,
};
use userpool_http::{Category, Rate, RateLimits};
use userpool_testkit::PASSWORD;
use userpool_testkit::oauth::{self, CALLBACK, location, param};

use crate::sdk::{Server, serve, serve_config};

const TARGET: &str = "AWSCognitoIdentityProviderService.";

async fn post(server: &Server, action: &str, body: &str) -> (u16, serde_json::Value) {
    let r = server
        .http
        .post(&server.endpoint)
        .header("x-amz-target", format!("{TARGET}{action}"))
        .header("content-type", "application/x-amz-json-1.1")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.unwrap_or_default())
}

fn error_code<E: ProvideErrorMetadata>(e: &E) -> &str {
    e.code().unwrap_or_default()
}

/// A duplicated member anywhere in a body is a `SerializationException`, never one of the two
/// values silently.
#[tokio::test]
async fn duplicated_members_are_refused() {
    let server = serve().await;
    let (_, client) = server.pool_and_client().await;
    for body in [
        format!(r#"{{"ClientId":"{client}","ClientId":"other","AuthFlow":"USER_PASSWORD_AUTH"}}"#),
        format!(
            r#"{{"ClientId":"{client}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"a","PASSWORD":"x","PASSWORD":"y"}}}}"#
        ),
        format!(
            r#"{{"ClientId":"{client}","AuthFlow":"USER_SRP_AUTH","AuthFlow":"USER_PASSWORD_AUTH"}}"#
        ),
    ] {
        let (status, answer) = post(&server, "InitiateAuth", &body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["__type"], "SerializationException", "{body}");
    }
}

/// The whole hosted code flow from a scripted client: reqwest's own cookie store on plain
/// `http://127.0.0.1` (no `Secure` cookies there), no hand-made cookie headers.
#[tokio::test]
async fn a_cookie_jar_client_signs_in_at_the_hosted_pages_over_plain_http() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "jar-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        false,
        &[OAuthFlowType::Code],
        &["openid", "email"],
        &[],
    )
    .await;
    oauth::confirmed_user(&server.sdk, &pool, "alice").await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let authorize = browser
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state=jar&scope=openid",
            server.endpoint,
            client.id,
            oauth::encode(CALLBACK)
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(authorize.status(), 302);
    let login = location(&authorize).replacen("../login?", "/login?", 1);
    let page = browser
        .get(format!("{}{login}", server.endpoint))
        .send()
        .await
        .expect("page");
    for cookie in page.headers().get_all("set-cookie") {
        let cookie = cookie.to_str().unwrap_or_default();
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
        assert!(!cookie.starts_with("__Host-"), "plain http: {cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
    }
    let html = page.text().await.expect("html");
    let csrf = oauth::form_value(&html, "_csrf").expect("csrf field");
    let signed_in = browser
        .post(format!("{}{login}", server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={csrf}&username=alice&password={}",
            oauth::encode(PASSWORD)
        ))
        .send()
        .await
        .expect("sign in");
    assert_eq!(signed_in.status(), 303, "the jar sent the CSRF cookie back");
    let to = location(&signed_in);
    assert!(to.starts_with(&format!("{CALLBACK}?code=")), "{to}");
    // Single sign-on from the jar's sign-in cookie: straight back with a code.
    let again = browser
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state=two",
            server.endpoint,
            client.id,
            oauth::encode(CALLBACK)
        ))
        .send()
        .await
        .expect("authorize again");
    assert!(location(&again).starts_with(&format!("{CALLBACK}?code=")));
}

/// Behind a TLS-terminating proxy the operator trusts, `X-Forwarded-Proto: https` makes the
/// cookies `Secure` and `__Host-`; the same header from anyone else does nothing.
#[tokio::test]
async fn cookies_are_secure_when_the_request_came_over_https() {
    let trusting =
        serve_config(|c| c.trusted_proxies(vec!["127.0.0.0/8".parse().expect("cidr")])).await;
    let plain = serve().await;
    for (server, secure) in [(&trusting, true), (&plain, false)] {
        let pool = oauth::pool_with_domain(&server.sdk, "tls-app").await;
        let client = oauth::client(
            &server.sdk,
            &pool,
            false,
            &[OAuthFlowType::Code],
            &["openid"],
            &[],
        )
        .await;
        let page = server
            .http
            .get(format!(
                "{}/login?response_type=code&client_id={}&redirect_uri={}",
                server.endpoint,
                client.id,
                oauth::encode(CALLBACK)
            ))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .expect("page");
        let cookie = page.headers()["set-cookie"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(
            cookie.starts_with("__Host-userpool_csrf="),
            secure,
            "{cookie}"
        );
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
    }
}

/// A scope the client may not ask for is `invalid_scope` at the redirect URI, with `state`.
#[tokio::test]
async fn unallowed_scopes_are_refused_at_authorize() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "scope-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        false,
        &[OAuthFlowType::Code],
        &["openid"],
        &[],
    )
    .await;
    let r = oauth::no_redirects()
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state=s1&scope=openid+email",
            server.endpoint,
            client.id,
            oauth::encode(CALLBACK)
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(r.status(), 302);
    let to = r.headers()["location"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(to.starts_with(&format!("{CALLBACK}?")), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_scope"));
    assert_eq!(param(&to, "state").as_deref(), Some("s1"));
    assert_eq!(param(&to, "code"), None);
}

/// Cognito's rule for registered URLs, through the SDK.
#[tokio::test]
async fn plain_http_callbacks_are_only_for_localhost() {
    let server = serve().await;
    let (pool, _) = server.pool_and_client().await;
    let refused = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .callback_urls("http://app.example.com/cb")
        .send()
        .await
        .expect_err("http for a real host");
    assert_eq!(error_code(&refused), "InvalidParameterException");
    server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .callback_urls("http://localhost:8080/cb")
        .logout_urls("https://app.example.com/out")
        .send()
        .await
        .expect("localhost may use http");
}

/// Grace 0: of 50 parallel refreshes with one token exactly one succeeds, none is a server
/// error; the rest are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_refreshes_have_one_winner() {
    let server = serve().await;
    let (pool, _) = server.pool_and_client().await;
    let client = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("rotating")
        .explicit_auth_flows("ALLOW_USER_PASSWORD_AUTH".into())
        .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(0)
                .build()
                .expect("rotation"),
        )
        .send()
        .await
        .expect("client")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("id");
    server.user(&pool, &client, "alice").await;
    let tokens = server
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("sign in")
        .authentication_result
        .expect("tokens");
    let refresh = tokens.refresh_token.expect("refresh token");
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let sdk = server.sdk.clone();
            let (client, refresh) = (client.clone(), refresh.clone());
            tokio::spawn(async move {
                sdk.get_tokens_from_refresh_token()
                    .client_id(client)
                    .refresh_token(refresh)
                    .send()
                    .await
            })
        })
        .collect();
    let mut wins = 0;
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => wins += 1,
            Err(e) => {
                let code = error_code(&e).to_owned();
                assert!(
                    matches!(
                        code.as_str(),
                        "NotAuthorizedException" | "RefreshTokenReuseException"
                    ),
                    "{code}"
                );
            }
        }
    }
    assert_eq!(wins, 1);
}

/// RevokeToken with another client's id is refused and the token keeps working.
#[tokio::test]
async fn revoking_with_another_client_is_refused() {
    let server = serve().await;
    let (pool, client) = server.pool_and_client().await;
    let other = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("other")
        .send()
        .await
        .expect("client")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("id");
    server.user(&pool, &client, "alice").await;
    let tokens = server
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("sign in")
        .authentication_result
        .expect("tokens");
    let refresh = tokens.refresh_token.clone().expect("refresh token");
    let refused = server
        .sdk
        .revoke_token()
        .client_id(&other)
        .token(&refresh)
        .send()
        .await
        .expect_err("another client's token");
    assert_eq!(error_code(&refused), "UnauthorizedException");
    server
        .sdk
        .get_tokens_from_refresh_token()
        .client_id(&client)
        .refresh_token(&refresh)
        .send()
        .await
        .expect("the token still works");
}

/// PreventUserExistenceErrors: an unknown username answers exactly as a real one through the
/// SDK, lockout included.
#[tokio::test]
async fn lockout_does_not_reveal_unknown_users() {
    let server = serve().await;
    let (pool, _) = server.pool_and_client().await;
    let client = server
        .sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("hidden")
        .explicit_auth_flows("ALLOW_USER_PASSWORD_AUTH".into())
        .explicit_auth_flows("ALLOW_REFRESH_TOKEN_AUTH".into())
        .prevent_user_existence_errors(
            aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Enabled,
        )
        .send()
        .await
        .expect("client")
        .user_pool_client
        .and_then(|c| c.client_id)
        .expect("id");
    server.user(&pool, &client, "alice").await;
    let mut runs = Vec::new();
    for user in ["alice", "ghost"] {
        let mut answers = Vec::new();
        for _ in 0..7 {
            let e = server
                .sdk
                .initiate_auth()
                .client_id(&client)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", user)
                .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
                .send()
                .await
                .expect_err("wrong password");
            answers.push(format!(
                "{}: {}",
                error_code(&e),
                e.message().unwrap_or_default()
            ));
        }
        runs.push(answers);
    }
    assert_eq!(runs[0], runs[1]);
    assert_eq!(
        runs[0][5],
        "NotAuthorizedException: Password attempts exceeded"
    );
}

/// Default limits are per source and generous: one IP signs up 150 users at once unthrottled.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_test_suite_signing_up_many_users_is_not_throttled() {
    let server = serve().await;
    let (_, client) = server.pool_and_client().await;
    let calls: Vec<_> = (0..150)
        .map(|i| {
            let sdk = server.sdk.clone();
            let client = client.clone();
            tokio::spawn(async move {
                userpool_testkit::sign_up(&sdk, &client, &format!("user{i}")).await
            })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("no throttling");
    }
}

/// Per-username limits: one name is throttled, another (existing or not) is not; unknown and
/// existing names are throttled alike.
#[tokio::test]
async fn per_username_limits_treat_unknown_and_existing_users_alike() {
    let server = serve_config(|c| {
        c.rate_limits(
            RateLimits::per_source().per_username(Category::UserAuthentication, Rate::new(1, 3)),
        )
    })
    .await;
    let (pool, client) = server.pool_and_client().await;
    server.user(&pool, &client, "alice").await;
    // The SDK retries throttled calls by itself; this client shows each answer.
    let no_retries = aws_sdk_cognitoidentityprovider::Client::from_conf(
        server
            .sdk
            .config()
            .to_builder()
            .retry_config(aws_sdk_cognitoidentityprovider::config::retry::RetryConfig::disabled())
            .build(),
    );
    let attempt = |user: &'static str| {
        let sdk = no_retries.clone();
        let client = client.clone();
        async move {
            sdk.initiate_auth()
                .client_id(client)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", user)
                .auth_parameters("PASSWORD", "Wrong-Passw0rd!")
                .send()
                .await
                .map_or_else(|e| error_code(&e).to_owned(), |_| "ok".to_owned())
        }
    };
    for user in ["alice", "ghost"] {
        let mut answers = Vec::new();
        for _ in 0..5 {
            answers.push(attempt(user).await);
        }
        assert_eq!(
            answers
                .iter()
                .filter(|a| *a == "TooManyRequestsException")
                .count(),
            2,
            "{user}: {answers:?}"
        );
    }
    assert_ne!(
        attempt("bob").await,
        "TooManyRequestsException",
        "other names are not"
    );
}

/// With Cognito's account-wide quotas, signed (admin) actions are charged only after their
/// signature verified: a flood of unsigned or forged calls cannot use up the quota.
#[tokio::test]
async fn admin_quotas_are_charged_after_the_signature() {
    let server = serve_config(|c| {
        c.rate_limits(RateLimits::off().account(Category::UserPoolResource, Rate::new(1, 2)))
    })
    .await;
    for _ in 0..20 {
        let (status, answer) = post(&server, "ListUserPools", r#"{"MaxResults":1}"#).await;
        assert_eq!(
            (status, answer["__type"].as_str()),
            (403, Some("MissingAuthenticationTokenException"))
        );
    }
    server
        .sdk
        .list_user_pools()
        .max_results(1)
        .send()
        .await
        .expect("the quota was not spent by unsigned calls");
}

fn sign(
    endpoint: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    region: &str,
    service: &str,
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let identity =
        aws_credential_types::Credentials::new("AKIDTEST", "test-secret-key", None, None, "test")
            .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let request = SignableRequest::new(
        "POST",
        endpoint,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(request, &params).expect("sign").into_parts();
    instructions
        .headers()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Signatures made by the official signer: accepted when they cover Cognito's headers and
/// scope; refused when x-amz-target is left out, or the scope names another region or
/// service.
#[tokio::test]
async fn signatures_must_cover_the_target_and_the_right_scope() {
    let server = serve().await;
    let host = server.endpoint.trim_start_matches("http://").to_owned();
    let body = br#"{"MaxResults":1}"#;
    let target = format!("{TARGET}ListUserPools");
    let send = |signed_target: bool, region: &'static str, service: &'static str| {
        let mut headers = vec![
            ("host", host.as_str()),
            ("content-type", "application/x-amz-json-1.1"),
        ];
        if signed_target {
            headers.push(("x-amz-target", target.as_str()));
        }
        let auth = sign(&server.endpoint, &headers, body, region, service);
        let mut request = server
            .http
            .post(&server.endpoint)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", &target)
            .body(body.to_vec());
        for (k, v) in auth {
            request = request.header(k, v);
        }
        request.send()
    };
    let ok = send(true, "us-east-1", "cognito-idp").await.expect("send");
    assert_eq!(ok.status(), 200, "{:?}", ok.text().await);
    for (target_signed, region, service, why) in [
        (false, "us-east-1", "cognito-idp", "x-amz-target unsigned"),
        (true, "eu-west-1", "cognito-idp", "another region"),
        (true, "us-east-1", "cognito-identity", "another service"),
    ] {
        let r = send(target_signed, region, service).await.expect("send");
        assert_eq!(r.status(), 400, "{why}");
        assert_eq!(
            r.headers()["x-amzn-errortype"],
            "InvalidSignatureException",
            "{why}"
        );
    }
}

/// The development outbox: loopback peer and loopback `Host` only, never through a proxy, never
/// readable cross-origin.
#[tokio::test]
async fn the_dev_outbox_stays_on_this_machine() {
    let server = serve().await;
    let url = format!("{}/_dev/messages?pool_id=p&username=u", server.endpoint);
    let ok = server.http.get(&url).send().await.expect("get");
    assert_eq!(ok.status(), 200);
    assert!(ok.headers().get("access-control-allow-origin").is_none());
    for (header, value) in [
        ("host", "attacker.example"),
        ("x-forwarded-for", "203.0.113.5"),
        ("forwarded", "for=203.0.113.5"),
    ] {
        let r = server
            .http
            .get(&url)
            .header(header, value)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 403, "{header}");
    }
    let preflight = server
        .http
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://attacker.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .expect("preflight");
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

/// A forged CSRF cookie (any 64 characters, echoed in the form) is refused.
#[tokio::test]
async fn csrf_tokens_must_be_issued_by_the_server() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "csrf-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        false,
        &[OAuthFlowType::Code],
        &["openid"],
        &[],
    )
    .await;
    oauth::confirmed_user(&server.sdk, &pool, "alice").await;
    let forged = "a".repeat(64);
    let r = server
        .http
        .post(format!(
            "{}/login?response_type=code&client_id={}&redirect_uri={}",
            server.endpoint,
            client.id,
            oauth::encode(CALLBACK)
        ))
        .header("cookie", format!("userpool_csrf={forged}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "_csrf={forged}&username=alice&password={}",
            oauth::encode(PASSWORD)
        ))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
}

/// The hosted sign-in cookie dies with GlobalSignOut: the next authorization asks for the
/// password again.
#[tokio::test]
async fn global_sign_out_ends_the_hosted_session() {
    let server = serve().await;
    let pool = oauth::pool_with_domain(&server.sdk, "gso-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        false,
        &[OAuthFlowType::Code],
        &["openid", "aws.cognito.signin.user.admin"],
        &[],
    )
    .await;
    oauth::confirmed_user(&server.sdk, &pool, "alice").await;
    let http = oauth::no_redirects();
    let mut jar = oauth::Jar::default();
    let query = format!(
        "response_type=code&client_id={}&redirect_uri={}&scope=openid+aws.cognito.signin.user.admin",
        client.id,
        oauth::encode(CALLBACK)
    );
    let r =
        oauth::hosted_sign_in(&http, &server.endpoint, &query, &mut jar, "alice", PASSWORD).await;
    let code = param(&location(&r), "code").expect("code");
    let tokens: serde_json::Value = http
        .post(format!("{}/oauth2/token", server.endpoint))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}",
            client.id,
            oauth::encode(&code),
            oauth::encode(CALLBACK)
        ))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let sso = http
        .get(format!("{}/oauth2/authorize?{query}", server.endpoint))
        .header("cookie", jar.header())
        .send()
        .await
        .expect("authorize");
    assert!(
        location(&sso).starts_with(CALLBACK),
        "signed in: single sign-on"
    );
    server
        .sdk
        .global_sign_out()
        .access_token(tokens["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("GlobalSignOut");
    let after = http
        .get(format!("{}/oauth2/authorize?{query}", server.endpoint))
        .header("cookie", jar.header())
        .send()
        .await
        .expect("authorize");
    assert!(
        location(&after).starts_with("../login?"),
        "the cookie no longer signs in: {}",
        location(&after)
    );
}

/// The user-import `PreSignedUrl` is a capability: a wrong signature is refused before the body
/// is read; the real URL takes one file, once.
#[tokio::test]
async fn import_urls_are_capabilities_checked_before_the_body() {
    let server = serve().await;
    let (pool, _) = server.pool_and_client().await;
    let job = server
        .sdk
        .create_user_import_job()
        .user_pool_id(&pool)
        .job_name("import")
        .cloud_watch_logs_role_arn("arn:aws:iam::123456789012:role/logs")
        .send()
        .await
        .expect("job")
        .user_import_job
        .expect("job");
    let url = job.pre_signed_url.expect("url");
    let forged = url.replace("signature=", "signature=AAAA");
    // A body that would take a minute to arrive: the refusal must come first.
    let slow = futures_util::stream::unfold(0u32, |n| async move {
        if n >= 60 {
            return None;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        Some((
            Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"x\n")),
            n + 1,
        ))
    });
    let started = Instant::now();
    let refused = server
        .http
        .put(&forged)
        .body(reqwest::Body::wrap_stream(slow))
        .send()
        .await
        .expect("put");
    assert_eq!(refused.status(), 403);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "refused before the body arrived"
    );
    let header = server
        .sdk
        .get_csv_header()
        .user_pool_id(&pool)
        .send()
        .await
        .expect("header")
        .csv_header
        .expect("columns")
        .join(",");
    let ok = server
        .http
        .put(&url)
        .body(format!("{header}\n"))
        .send()
        .await
        .expect("put");
    assert_eq!(ok.status(), 200);
    let again = server
        .http
        .put(&url)
        .body(format!("{header}\n"))
        .send()
        .await
        .expect("put");
    assert_eq!(again.status(), 403, "one file per job");
}

/// Every form body is read with a deadline: a client that starts a body and stalls gets an
/// answer, it does not hold the request open.
#[tokio::test]
async fn stalled_bodies_are_not_waited_for() {
    let server = serve_config(|c| c.request_timeout(Duration::from_secs(1))).await;
    let pool = oauth::pool_with_domain(&server.sdk, "slow-app").await;
    let client = oauth::client(
        &server.sdk,
        &pool,
        false,
        &[OAuthFlowType::Code],
        &["openid"],
        &[],
    )
    .await;
    let stalled = || {
        reqwest::Body::wrap_stream(futures_util::stream::unfold(0u32, |n| async move {
            if n > 0 {
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            Some((
                Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"grant_type=")),
                n + 1,
            ))
        }))
    };
    for path in [
        "/oauth2/token".to_owned(),
        format!(
            "/login?response_type=code&client_id={}&redirect_uri={}",
            client.id,
            oauth::encode(CALLBACK)
        ),
    ] {
        let started = Instant::now();
        let r = server
            .http
            .post(format!("{}{path}", server.endpoint))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(stalled())
            .send()
            .await
            .expect("answer");
        assert!(r.status().is_client_error(), "{path}: {}", r.status());
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} answered in time"
        );
    }
}
