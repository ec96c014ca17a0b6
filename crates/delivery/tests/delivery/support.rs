//! Shared fixtures: the Python virtualenv, child processes that die with the test, a service.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use userpool::wire::*;
use userpool::{CodeEncryptor, MasterKey, MessageSender, Service};
use userpool_store::MemoryStore;

pub(crate) fn py_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/delivery/py")
}

pub(crate) fn handlers_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("handlers")
}

/// A fresh directory under the target directory.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("delivery-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The virtualenv's interpreter, made (once per run, under a lock) with the pinned
/// requirements; `None` when Python or pip are not available here.
pub(crate) async fn venv() -> Option<PathBuf> {
    static VENV: OnceLock<Option<PathBuf>> = OnceLock::new();
    tokio::task::spawn_blocking(|| VENV.get_or_init(make_venv).clone())
        .await
        .expect("join")
}

fn make_venv() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("delivery-venv");
    let python = dir.join("bin/python");
    let requirements = py_dir().join("requirements.txt");
    let wanted = std::fs::read(&requirements).expect("requirements");
    if std::fs::read(dir.join("ready")).is_ok_and(|r| r == wanted) {
        return Some(python);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let made = std::process::Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return None;
    }
    let installed = std::process::Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements)
        .status();
    if !installed.is_ok_and(|s| s.success()) {
        return None;
    }
    std::fs::write(dir.join("ready"), wanted).expect("marker");
    Some(python)
}

/// The virtualenv, or a `SKIPPED: …` line.
pub(crate) async fn venv_or_skip(test: &str) -> Option<PathBuf> {
    let venv = venv().await;
    if venv.is_none() {
        println!("SKIPPED: {test}: python3 with venv and pip (and PyPI) are needed");
    }
    venv
}

/// A child process killed when dropped, with its first stdout line.
pub(crate) struct Server {
    _child: Child,
    pub(crate) first_line: String,
}

/// Starts `program args…` and waits (up to 60 s) for its first line on stdout.
pub(crate) async fn start(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first_line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the server did not start in time")
        .expect("read")
        .expect("a first line");
    Server {
        _child: child,
        first_line,
    }
}

/// A service over a memory store with `sender` (and `encryptor`).
pub(crate) fn service(
    sender: Arc<dyn MessageSender>,
    encryptor: Option<Arc<dyn CodeEncryptor>>,
    lambda: Option<custom_auth_triggers::LambdaClient>,
) -> Service {
    let mut builder = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([7; 32]))
        .sender(sender)
        .signing_algorithm(jwt_tokens::Algorithm::ES256);
    if let Some(e) = encryptor {
        builder = builder.code_encryptor(e);
    }
    if let Some(l) = lambda {
        builder = builder.lambda_client(l);
    }
    builder.build().expect("service")
}

/// A pool from `request` and a client allowed USER_PASSWORD_AUTH: (pool id, client id).
pub(crate) async fn pool_and_client(
    service: &Service,
    request: UserPoolRequest,
) -> (String, String) {
    let pool = service
        .admin()
        .create_user_pool(request)
        .await
        .expect("pool")
        .user_pool
        .id;
    let client = service
        .admin()
        .create_user_pool_client(UserPoolClientRequest {
            user_pool_id: pool.clone(),
            client_name: Some("web".into()),
            explicit_auth_flows: Some(vec!["ALLOW_USER_PASSWORD_AUTH".into()]),
            ..Default::default()
        })
        .await
        .expect("client")
        .user_pool_client
        .client_id;
    (pool, client)
}

/// Signs `username` up with `attribute`, password `Corr3ct-Horse!`.
pub(crate) async fn sign_up(
    service: &Service,
    client: &str,
    username: &str,
    attribute: (&str, &str),
) -> userpool::Result<SignUpResponse> {
    service
        .accounts()
        .sign_up(SignUpRequest {
            client_id: client.to_owned(),
            username: username.into(),
            password: "Corr3ct-Horse!".into(),
            user_attributes: vec![Attribute::new(attribute.0, attribute.1)],
            ..Default::default()
        })
        .await
}

/// Confirms the sign-up with `code` and checks the user is CONFIRMED.
pub(crate) async fn confirm(
    service: &Service,
    pool: &str,
    client: &str,
    username: &str,
    code: &str,
) {
    service
        .accounts()
        .confirm_sign_up(ConfirmSignUpRequest {
            client_id: client.to_owned(),
            username: username.into(),
            confirmation_code: code.into(),
            ..Default::default()
        })
        .await
        .expect("the delivered code confirms the sign-up");
    let user = service
        .accounts()
        .admin_get_user(AdminUserRequest {
            user_pool_id: pool.to_owned(),
            username: username.into(),
            ..Default::default()
        })
        .await
        .expect("user");
    assert_eq!(user.user_status.as_deref(), Some("CONFIRMED"));
}

/// The first run of six digits in `text`.
pub(crate) fn six_digits(text: &str) -> String {
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(6)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .map(|w| w.iter().collect())
        .unwrap_or_else(|| panic!("no code in {text:?}"))
}
