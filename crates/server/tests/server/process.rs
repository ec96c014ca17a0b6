//! Starting, stopping and killing `userpool-server` processes, and talking to them.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::config::retry::RetryConfig;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::{Client, Config};

/// The admin key pair every test server is started with.
pub const ADMIN_KEY: &str = "AKIDSERVERTEST";
/// Its secret.
pub const ADMIN_SECRET: &str = "server-test-secret";

/// The binary cargo built for this test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_userpool-server");

/// How long a server may take to start or stop.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// A free loopback port (for tests that must know it before the server starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A command line for the server: arguments and environment variables. The listen address
/// is `127.0.0.1:0` unless the arguments or environment name one.
#[derive(Clone, Default)]
pub struct Launch {
    args: Vec<String>,
    env: Vec<(String, String)>,
    own_bind: bool,
}

impl Launch {
    /// `args` alone.
    pub fn new(args: &[&str]) -> Self {
        Self {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// With the admin key and the dev outbox, and `args`.
    pub fn admin(args: &[&str]) -> Self {
        let admin = format!("{ADMIN_KEY}:{ADMIN_SECRET}");
        let mut all = vec!["--admin-credentials", &admin, "--dev-outbox"];
        all.extend_from_slice(args);
        Self::new(&all)
    }

    /// Also this environment variable.
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Let the arguments, environment or configuration file choose the listen address.
    pub fn own_bind(mut self) -> Self {
        self.own_bind = true;
        self
    }

    fn spawn(&self) -> Child {
        let mut command = Command::new(BINARY);
        if !self.own_bind {
            command.args(["--bind", "127.0.0.1:0"]);
        }
        command
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn userpool-server")
    }

    /// Starts the server and waits for its "listening" line.
    pub fn start(&self) -> Server {
        let mut child = self.spawn();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut pipe = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(&mut pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut banner = Vec::new();
        let endpoint = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    let found = line
                        .strip_prefix("userpool listening on ")
                        .and_then(|rest| rest.split_whitespace().next())
                        .map(str::to_owned);
                    banner.push(line);
                    if let Some(endpoint) = found {
                        break endpoint;
                    }
                }
                _ => {
                    let status = child.wait();
                    panic!(
                        "the server exited before listening: {status:?}\n{}",
                        stderr.lock().unwrap()
                    );
                }
            }
        };
        // The rest of the banner (metrics address), then keep draining stdout.
        let stdout_rest = Arc::new(Mutex::new(Vec::new()));
        let rest = stdout_rest.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                rest.lock().unwrap().push(line);
            }
        });
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
        Server {
            child,
            endpoint,
            banner,
            stdout_rest,
            stderr,
            sdk: Client::from_conf(conf),
            http: reqwest::Client::new(),
        }
    }

    /// Runs the server expecting it to refuse to start: its exit code and stderr. Panics
    /// (after killing it) if it listens.
    pub fn refused(&self) -> (Option<i32>, String) {
        let mut child = self.spawn();
        let stdout = child.stdout.take().expect("stdout");
        for line in BufReader::new(stdout).lines() {
            if line
                .as_deref()
                .is_ok_and(|l| l.starts_with("userpool listening on"))
            {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server started: {:?}", self.args);
            }
        }
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("exit status");
        (status.code(), stderr)
    }
}

/// Runs `userpool-server` with `args` to completion: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(BINARY)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run userpool-server");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub endpoint: String,
    /// The banner's lines up to the "listening" line.
    pub banner: Vec<String>,
    stdout_rest: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
    /// An SDK client signed with the admin key.
    pub sdk: Client,
    /// For `GET /_dev/messages`, health and metrics.
    pub http: reqwest::Client,
}

impl Server {
    /// Starts `userpool-server` with the admin key, the dev outbox and `args`.
    pub fn start(args: &[&str]) -> Self {
        Launch::admin(args).start()
    }

    /// Starts `userpool-server` with `args` alone (its SDK client is signed with
    /// [`ADMIN_KEY`] all the same).
    pub fn start_exactly(args: &[&str]) -> Self {
        Launch::new(args).start()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The stdout line starting with `prefix`, once the server printed it (within the
    /// deadline).
    pub fn stdout_line(&self, prefix: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(line) = self
                .banner
                .iter()
                .chain(self.stdout_rest.lock().unwrap().iter())
                .find(|l| l.starts_with(prefix))
            {
                return line.clone();
            }
            assert!(started.elapsed() < DEADLINE, "no line {prefix:?} on stdout");
            std::thread::yield_now();
        }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// Sends SIGTERM (without waiting).
    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }

    /// Waits (within the deadline) for the process to exit.
    pub async fn exited(mut self) -> (ExitStatus, String) {
        let stderr = self.stderr.clone();
        let mut child = std::mem::replace(
            &mut self.child,
            Command::new("true").spawn().expect("placeholder"),
        );
        let status = tokio::time::timeout(
            DEADLINE,
            tokio::task::spawn_blocking(move || child.wait().expect("wait")),
        )
        .await
        .expect("the server exits in time")
        .expect("joined");
        let stderr = stderr.lock().unwrap().clone();
        (status, stderr)
    }

    /// The latest code sent to `username`.
    pub async fn code(&self, pool: &str, username: &str) -> String {
        userpool_testkit::dev_code(&self.http, &self.endpoint, pool, username).await
    }

    /// `GET path`: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.endpoint))
            .send()
            .await
            .expect("GET");
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `url` until it answers `want` (or the deadline passes): the status last seen.
pub async fn poll_status(http: &reqwest::Client, url: &str, want: u16) -> u16 {
    let started = Instant::now();
    loop {
        let seen = match http.get(url).send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        if seen == want || started.elapsed() > DEADLINE {
            return seen;
        }
        tokio::task::yield_now().await;
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

/// A PostgreSQL URL for the tests that need one, or `None` after saying SKIPPED.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("USERPOOL_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            eprintln!("SKIPPED: {test}: USERPOOL_TEST_POSTGRES_URL is not set (.ci/run sets it)");
            None
        }
    }
}
