//! `/metrics`: counters, active users and store timings move after a sign-in; `--metrics off` removes the route;
//! `--metrics-bind` moves it to a listener of its own.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;

use crate::process::{self, PASSWORD, Server};

/// The value of the sample `line_start` (a metric name with its labels) in `text`.
fn sample(text: &str, line_start: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .and_then(|rest| rest.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_move_after_a_sign_in() {
    let server = Server::start(&["--in-memory"]);
    let (pool, client) = process::pool_and_client(&server.sdk, false).await;
    process::sign_up(&server.sdk, &client, "alice")
        .await
        .unwrap();
    server
        .sdk
        .admin_confirm_sign_up()
        .user_pool_id(&pool)
        .username("alice")
        .send()
        .await
        .unwrap();
    let sign_in = |password: &'static str| {
        server
            .sdk
            .initiate_auth()
            .client_id(&client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", "alice")
            .auth_parameters("PASSWORD", password)
            .send()
    };
    sign_in(PASSWORD).await.expect("signed in");
    sign_in("Wrong-Pa55word!")
        .await
        .expect_err("wrong password");

    let (status, text) = server.get("/metrics").await;
    assert_eq!(status, 200);
    let pool_label = format!("{{pool=\"{pool}\"}}");
    for (metric, want) in [
        (format!("userpool_sign_ins_total{pool_label}"), 1.0),
        (format!("userpool_sign_ups_total{pool_label}"), 1.0),
        (format!("userpool_sign_in_failures_total{pool_label}"), 1.0),
        (
            format!("userpool_tokens_issued_total{{pool=\"{pool}\",grant=\"sign_in\"}}"),
            1.0,
        ),
        (
            "userpool_requests_total{operation=\"InitiateAuth\",outcome=\"Success\"}".to_owned(),
            1.0,
        ),
        (
            "userpool_requests_total{operation=\"InitiateAuth\",outcome=\"NotAuthorizedException\"}"
                .to_owned(),
            1.0,
        ),
        (
            "userpool_request_duration_seconds_count{operation=\"InitiateAuth\"}".to_owned(),
            2.0,
        ),
        (
            "userpool_requests_total{operation=\"SignUp\",outcome=\"Success\"}".to_owned(),
            1.0,
        ),
        (format!("userpool_daily_active_users{pool_label}"), 1.0),
        (format!("userpool_monthly_active_users{pool_label}"), 1.0),
    ] {
        assert_eq!(sample(&text, &metric), Some(want), "{metric} in\n{text}");
    }
    // Every store call is timed: the sign-in read its user.
    let reads = sample(
        &text,
        "userpool_store_duration_seconds_count{method=\"get_user\"}",
    );
    assert!(
        reads.is_some_and(|n| n >= 2.0),
        "get_user timings in\n{text}"
    );
    assert!(
        !text.contains("userpool_store_errors_total{"),
        "no backend failure:\n{text}"
    );
}

#[tokio::test]
async fn metrics_can_be_switched_off_or_moved() {
    let off = Server::start(&["--in-memory", "--metrics", "off"]);
    assert_eq!(off.get("/metrics").await.0, 404);
    drop(off);

    let moved = Server::start(&["--in-memory", "--metrics-bind", "127.0.0.1:0"]);
    assert_eq!(
        moved.get("/metrics").await.0,
        404,
        "not on the main listener"
    );
    assert_eq!(moved.get("/health/live").await.0, 200);
    let line = moved.stdout_line("metrics on ");
    let url = line.trim_start_matches("metrics on ").to_owned();
    let r = moved.http.get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    // The main listener's health probe was counted.
    let text = r.text().await.unwrap();
    assert_eq!(
        sample(
            &text,
            "userpool_requests_total{operation=\"health/live\",outcome=\"Success\"}"
        ),
        Some(1.0),
        "{text}"
    );
}
