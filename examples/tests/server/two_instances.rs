//! Two `server` processes on different ports sharing one PostgreSQL database (and one master
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
    let start = |name: &str| {
        let data = dir.join(name);
        Server::start(&[
            "--data-dir",
            data.to_str().unwrap(),
            "--database-url",
            &url,
            "--database-schema",
            &schema,
            "--master-key-file",
            key.to_str().unwrap(),
            "--public-url",
            "https://auth.example.test",
        ])
    };
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

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}
