//! pycognito, unchanged, against the served router: USER_SRP_AUTH with its own SRP (the
//! PASSWORD_VERIFIER answer carries no Session), token verification (pycognito expects `iss` to
//! be `<endpoint_url>/<pool>`, our `self` issuer mode, and fetches the JWKS from there), GetUser,
//! refresh, a wrong password. Python runs
//! `tests/py/pycognito_sign_in.py` in a virtualenv under the target directory; its packages come
//! from PyPI (`requirements.txt`, pinned) the first time.

use std::path::PathBuf;
use std::process::Command;

use userpool::wire::*;

use crate::sdk::serve;

fn py_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/py")
}

/// A virtualenv with the pinned requirements; its interpreter.
fn venv() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pycognito-venv");
    let python = dir.join("bin/python");
    if dir.join("ready").exists() {
        return python;
    }
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status()
        .expect("python3 is needed for the pycognito test");
    assert!(made.success(), "python3 -m venv failed");
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(py_dir().join("requirements.txt"))
        .status()
        .expect("pip");
    assert!(
        installed.success(),
        "pip install -r requirements.txt failed"
    );
    std::fs::write(dir.join("ready"), b"").expect("marker");
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pycognito_signs_in_with_srp() {
    let s = serve().await;
    let (pool, client) = s.pool_and_client().await;
    s.service
        .accounts()
        .admin_create_user(AdminCreateUserRequest {
            user_pool_id: pool.clone(),
            username: "pyuser".into(),
            user_attributes: vec![
                Attribute::new("email", "py@example.com"),
                Attribute::new("email_verified", "true"),
            ],
            message_action: Some("SUPPRESS".into()),
            ..Default::default()
        })
        .await
        .expect("user");
    s.service
        .accounts()
        .admin_set_user_password(AdminSetUserPasswordRequest {
            user_pool_id: pool.clone(),
            username: "pyuser".into(),
            password: "Py-Passw0rd!".into(),
            permanent: true,
        })
        .await
        .expect("password");
    let endpoint = s.endpoint.clone();
    let output = tokio::task::spawn_blocking(move || {
        let python = venv();
        Command::new(python)
            .arg("pycognito_sign_in.py")
            .current_dir(py_dir())
            .env("ENDPOINT", endpoint)
            .env("POOL_ID", pool)
            .env("CLIENT_ID", client)
            .output()
            .expect("python")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pycognito failed: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(result["username_claim"], "pyuser");
    assert_eq!(result["token_use"], "access");
    assert_eq!(result["email"], "py@example.com");
    assert_eq!(result["renewed"], true);
    assert_eq!(result["wrong_password"], "NotAuthorizedException");
}
