//! Two `userpool-server` processes on different ports sharing one PostgreSQL database (and one master
//! key and public URL, as instances behind a load balancer would): every step of a user's life
//! may land on either.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use crate::process::{self, PASSWORD, Server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_database_act_as_one() {
    let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set, so the two-server PostgreSQL test \
             did not run (.ci/run starts PostgreSQL and sets it)"
        );
        return;
    };
    let dir = process::data_dir("two-instances");
    let key = dir.join("shared-master.key");
    let schema = format!("up_t_{}_{}_two", unix_now(), std::process::id());
    let start = |name: &str| shared_server(&dir.join(name), &url, &schema, &key);
    let a = start("a");
    let b = start("b");

    let (pool, client) = process::pool_and_client(&a.sdk, false).await;
    // Sign up on A; confirm on B with the code A sent.
    process::sign_up(&a.sdk, &client, "alice").await.unwrap();
    let code = a.code(&pool, "alice").await;
    b.sdk
        .confirm_sign_up()
        .client_id(&client)
        .username("alice")
        .confirmation_code(code)
        .send()
        .await
        .expect("ConfirmSignUp on B");

    // SRP step 1 on B, step 2 on A.
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let tokens = userpool_testkit::srp_sign_in(
        &b.sdk,
        &a.sdk,
        &client,
        &pool,
        "alice",
        PASSWORD,
        time::OffsetDateTime::now_utc().unix_timestamp(),
        &mut rng,
    )
    .await;
    let refresh = tokens.refresh_token().unwrap().to_owned();

    // Refresh on either; each accepts the other's access tokens.
    let mut access = Vec::new();
    for server in [&a, &b] {
        let t = server
            .sdk
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .send()
            .await
            .expect("refresh")
            .authentication_result
            .expect("tokens");
        access.push(t.access_token().unwrap().to_owned());
    }
    for (server, token) in [(&a, &access[1]), (&b, &access[0])] {
        let me = server.sdk.get_user().access_token(token).send().await;
        assert_eq!(me.expect("GetUser across servers").username(), "alice");
    }

    // GlobalSignOut on A is refused on B: the access token and the refresh token.
    a.sdk
        .global_sign_out()
        .access_token(&access[0])
        .send()
        .await
        .expect("GlobalSignOut on A");
    let refused = b
        .sdk
        .get_user()
        .access_token(&access[0])
        .send()
        .await
        .expect_err("revoked on B")
        .into_service_error();
    assert!(refused.is_not_authorized_exception(), "{refused:?}");
    let refused = b
        .sdk
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .expect_err("refresh token revoked on B")
        .into_service_error();
    assert!(refused.is_not_authorized_exception(), "{refused:?}");
}

/// The hosted domain across two servers on one PostgreSQL database: sign in on A, redeem the
/// code on B; the second redemption (on A) fails and revokes what B issued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_from_one_server_is_redeemed_once_on_either() {
    use userpool_testkit::oauth::{self, CALLBACK, Jar, location, param};
    let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
        eprintln!("SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set (.ci/run sets it)");
        return;
    };
    let dir = process::data_dir("two-instances-oauth");
    let key = dir.join("shared-master.key");
    let schema = format!("up_t_{}_{}_oauth", unix_now(), std::process::id());
    let start = |name: &str| shared_server(&dir.join(name), &url, &schema, &key);
    let a = start("a");
    let b = start("b");
    let pool = oauth::pool_with_domain(&a.sdk, "two-servers").await;
    let client = oauth::client(
        &a.sdk,
        &pool,
        false,
        &[aws_sdk_cognitoidentityprovider::types::OAuthFlowType::Code],
        &["openid", "email"],
        &[],
    )
    .await;
    oauth::confirmed_user(&a.sdk, &pool, "alice").await;
    let http = oauth::no_redirects();
    let query = format!(
        "response_type=code&client_id={}&redirect_uri={}&state=x",
        client.id,
        oauth::encode(CALLBACK)
    );
    let signed_in = oauth::hosted_sign_in(
        &http,
        &a.endpoint,
        &query,
        &mut Jar::default(),
        "alice",
        PASSWORD,
    )
    .await;
    let code = param(&location(&signed_in), "code").expect("a code from A");
    let redeem = |endpoint: String| {
        let body = format!(
            "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}",
            client.id,
            oauth::encode(&code),
            oauth::encode(CALLBACK)
        );
        let http = http.clone();
        async move {
            let r = http
                .post(format!("{endpoint}/oauth2/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("token");
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let (status, tokens) = redeem(b.endpoint.clone()).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let user_info = |endpoint: String| {
        let http = http.clone();
        let access = access.clone();
        async move {
            http.get(format!("{endpoint}/oauth2/userInfo"))
                .bearer_auth(access)
                .send()
                .await
                .expect("userInfo")
                .status()
                .as_u16()
        }
    };
    assert_eq!(user_info(a.endpoint.clone()).await, 200);
    let (status, body) = redeem(a.endpoint.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(
        user_info(b.endpoint.clone()).await,
        401,
        "B's tokens revoked by A"
    );
}

/// A server on the shared database, schema and master key, behind one public URL.
fn shared_server(data: &std::path::Path, url: &str, schema: &str, key: &std::path::Path) -> Server {
    Server::start(&[
        "--data-dir",
        data.to_str().unwrap(),
        "--database-url",
        url,
        "--database-schema",
        schema,
        "--master-key-file",
        key.to_str().unwrap(),
        "--public-url",
        "https://auth.example.test",
    ])
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
