//! amazon-cognito-identity-js, unchanged, against the served router: sign-up, confirmation,
//! USER_SRP_AUTH with the library's own SRP, refresh, GetUser, a wrong password. Node.js runs
//! `tests/js/acij_sign_in.js`; its dependencies come from the npm registry (`npm ci`, pinned by
//! `package-lock.json`) the first time.

use std::path::PathBuf;
use std::process::Command;

use crate::sdk::serve;

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

/// `npm ci` unless the pinned dependencies are installed already.
fn install() {
    crate::node::install(&js_dir(), "amazon-cognito-identity-js");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_cognito_identity_js_signs_in_with_srp() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    let endpoint = s.endpoint.clone();
    let output = tokio::task::spawn_blocking(move || {
        install();
        Command::new("node")
            .arg("acij_sign_in.js")
            .current_dir(js_dir())
            .env("ENDPOINT", endpoint)
            .env("POOL_ID", pool)
            .env("CLIENT_ID", client)
            .output()
            .expect("node")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "acij failed: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(result["userConfirmed"], false);
    assert_eq!(result["confirm"], "SUCCESS");
    assert_eq!(result["idTokenUsername"], "jsuser");
    assert_eq!(result["accessTokenScope"], "aws.cognito.signin.user.admin");
    assert_eq!(result["valid"], true);
    assert_eq!(result["refreshedOrigin"], true);
    assert_eq!(result["email"], "js@example.com");
    assert_eq!(
        result["wrongPassword"],
        "NotAuthorizedException: Incorrect username or password."
    );
}
