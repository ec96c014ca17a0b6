//! `/health/live` and `/health/ready`: 200 when the store is reachable and migrated, 503 with
//! a small JSON body when it is not (a PostgreSQL URL on a closed port); never throttled.

use serde_json::Value;

use crate::process::{self, Launch, Server};

#[tokio::test]
async fn ready_on_sqlite_and_not_ready_when_postgres_is_unreachable() {
    let dir = process::data_dir("health");
    let server = Server::start(&["--data-dir", dir.to_str().unwrap()]);
    let (status, body) = server.get("/health/live").await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"live"}"#));
    let (status, body) = server.get("/health/ready").await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["store"], "ok");
    assert_eq!(body["schema_version"], body["expected_schema_version"]);
    // Probes are not rate limited: far more than any per-IP bucket allows.
    for _ in 0..300 {
        assert_eq!(server.get("/health/ready").await.0, 200);
    }
    drop(server);

    // A database that is not there: the server starts, is live, and is not ready.
    let closed = process::free_port();
    let unreachable = Launch::admin(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--database-url",
        &format!("postgres://postgres@127.0.0.1:{closed}/nowhere"),
    ])
    .start();
    assert_eq!(unreachable.get("/health/live").await.0, 200);
    let (status, body) = unreachable.get("/health/ready").await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["status"], "not ready");
    assert!(
        body["store"] == "unreachable" || body["store"] == "timed out",
        "{body}"
    );
    assert!(!body.to_string().contains("postgres://"), "no URL: {body}");
}

#[tokio::test]
async fn ready_on_postgres() {
    let Some(url) = process::postgres_url("ready_on_postgres") else {
        return;
    };
    let dir = process::data_dir("health-pg");
    let schema = format!("up_t_health_{}", std::process::id());
    let server = Server::start(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--database-url",
        &url,
        "--database-schema",
        &schema,
    ]);
    let url = format!("{}/health/ready", server.endpoint);
    assert_eq!(process::poll_status(&server.http, &url, 200).await, 200);
}
