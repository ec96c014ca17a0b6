//! Starting and killing `server` processes, and talking to them.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::{Client, Config};

/// The admin key pair every test server is started with.
pub const ADMIN_KEY: &str = "AKIDSERVERTEST";
/// Its secret.
pub const ADMIN_SECRET: &str = "server-test-secret";

/// The `server` example binary cargo built beside this test.
fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    profile_dir.join("examples").join("server")
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    /// An SDK client signed with the admin key.
    pub sdk: Client,
    /// For `GET /_dev/messages`.
    pub http: reqwest::Client,
}

/// `server` with a free port and `args`, its stdout piped (and stderr, if `capture_stderr`).
fn spawn(port: u16, args: &[&str], capture_stderr: bool) -> Child {
    let binary = server_binary();
    assert!(
        binary.exists(),
        "{} is missing: `cargo test` builds the examples first",
        binary.display()
    );
    Command::new(&binary)
        .args(["--port", &port.to_string()])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(if capture_stderr {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .spawn()
        .expect("spawn server")
}

/// Runs `server` with `args` (and nothing else but a free port) expecting it to refuse to
/// start: its exit code and what it wrote to stderr. Panics (after killing it) if it listens.
pub fn refused(args: &[&str]) -> (Option<i32>, String) {
    let mut child = spawn(free_port(), args, true);
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        if line
            .as_deref()
            .is_ok_and(|l| l.starts_with("userpool listening on"))
        {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server started: {args:?}");
        }
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
        .expect("stderr");
    let status = child.wait().expect("exit status");
    (status.code(), stderr)
}

impl Server {
    /// Starts `server` with `args` (plus a free port, the admin key and the dev outbox) and
    /// waits for its "listening" line.
    pub fn start(args: &[&str]) -> Self {
        let admin = format!("{ADMIN_KEY}:{ADMIN_SECRET}");
        let mut all = vec!["--admin-credentials", &admin, "--dev-outbox"];
        all.extend_from_slice(args);
        Self::start_exactly(&all)
    }

    /// Starts `server` with a free port and `args` alone, and waits for its "listening" line.
    /// (Its SDK client is signed with [`ADMIN_KEY`] all the same.)
    pub fn start_exactly(args: &[&str]) -> Self {
        let port = free_port();
        let mut child = spawn(port, args, false);
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line.starts_with("userpool listening on") => break,
                Some(Ok(_)) => {}
                _ => {
                    let status = child.wait();
                    panic!("the server exited before listening: {status:?}");
                }
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let endpoint = format!("http://127.0.0.1:{port}");
        let conf = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&endpoint)
            .credentials_provider(Credentials::new(
                ADMIN_KEY,
                ADMIN_SECRET,
                None,
                None,
                "test",
            ))
            // A request to a killed server fails at once instead of being retried.
            .retry_config(RetryConfig::disabled())
            .build();
        Self {
            child,
            endpoint,
            sdk: Client::from_conf(conf),
            http: reqwest::Client::new(),
        }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// The latest code sent to `username`.
    pub async fn code(&self, pool: &str, username: &str) -> String {
        userpool_testkit::dev_code(&self.http, &self.endpoint, pool, username).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new directory for one test's data.
pub fn data_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("server-tests")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("data dir");
    dir
}

pub use userpool_testkit::{PASSWORD, pool_and_client};

/// SignUp with an email (the error as text).
pub async fn sign_up(sdk: &Client, client: &str, username: &str) -> Result<(), String> {
    userpool_testkit::sign_up(sdk, client, username)
        .await
        .map(drop)
}
