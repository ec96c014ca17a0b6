//! Amplify JS v6 (`aws-amplify`, unchanged) against the served router: `signIn` with
//! `authFlowType: 'USER_AUTH'` and `preferredChallenge: 'EMAIL_OTP'`, then `confirmSignIn`
//! with the code from the dev outbox; and passkeys (`associateWebAuthnCredential`, then
//! `preferredChallenge: 'WEB_AUTHN'`) with a software authenticator standing in for the
//! browser's WebAuthn API (`tests/amplify/soft_authenticator.mjs`). Node.js runs `tests/amplify/user_auth.mjs`; its
//! dependencies come from the npm registry (`npm ci`, pinned by `package-lock.json`) the
//! first time.

use std::path::PathBuf;
use std::process::Command;

use crate::passwordless::{ORIGIN, passwordless_pool};
use crate::sdk::serve;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/amplify")
}

/// `npm ci` unless the pinned dependencies are installed already.
fn install() {
    crate::node::install(&dir(), "aws-amplify");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_v6_signs_in_with_an_email_code() {
    let s = serve().await;
    let (pool, client) = passwordless_pool(&s).await;
    let endpoint = s.endpoint.clone();
    let output = tokio::task::spawn_blocking(move || {
        install();
        Command::new("node")
            .arg("user_auth.mjs")
            .current_dir(dir())
            .env("ENDPOINT", endpoint)
            .env("POOL_ID", pool)
            .env("CLIENT_ID", client)
            .env("USERNAME", "alice")
            .output()
            .expect("node")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "Amplify failed: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap_or_default()).expect("JSON");
    assert_eq!(result["firstStep"], "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    assert_eq!(result["destination"], "a***@e***");
    assert_eq!(result["signedIn"], true);
    assert_eq!(result["secondStep"], "DONE");
    assert_eq!(result["username"], "alice");
    assert_eq!(result["hasIdToken"], true);
    assert_eq!(result["tokenUse"], "access");
}

/// Runs `script` under Node with the server and pool in its environment; the last line of
/// its output, as JSON.
async fn run(
    script: &'static str,
    endpoint: String,
    pool: String,
    client: String,
) -> serde_json::Value {
    let output = tokio::task::spawn_blocking(move || {
        install();
        Command::new("node")
            .arg(script)
            .current_dir(dir())
            .env("ENDPOINT", endpoint)
            .env("POOL_ID", pool)
            .env("CLIENT_ID", client)
            .env("USERNAME", "alice")
            .env("ORIGIN", ORIGIN)
            .output()
            .expect("node")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "Amplify failed: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim().lines().last().unwrap_or_default()).expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amplify_v6_registers_a_passkey_and_signs_in_with_it() {
    let s = serve().await;
    let (pool, client) = passwordless_pool(&s).await;
    let result = run("passkey.mjs", s.endpoint.clone(), pool, client).await;
    assert_eq!(result["registered"], 1, "{result}");
    assert_eq!(result["relyingPartyId"], "localhost");
    assert_eq!(result["held"], 1);
    assert_eq!(result["uses"], 1, "one assertion: the WEB_AUTHN sign-in");
    assert_eq!(result["signedIn"], true);
    assert_eq!(result["step"], "DONE");
    assert_eq!(result["username"], "alice");
    assert_eq!(result["tokenUse"], "access");
}
