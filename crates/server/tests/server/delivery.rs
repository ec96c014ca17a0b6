//! `--smtp-url` / `--email-from`: a sign-up code leaves the server process as email to a real
//! SMTP server (aiosmtpd 1.4.6 from PyPI, in a virtualenv made by the test, on loopback) and
//! the code it carries confirms the user; and `--dev-outbox` beside it still keeps the code.
//! Without Python or pip here, the test says SKIPPED.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{self, Server};

/// aiosmtpd, as pinned by the delivery crate's tests.
const AIOSMTPD: &str = "aiosmtpd==1.4.6";

fn venv() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-smtp-venv");
    let python = dir.join("bin/python");
    if dir.join("ready").exists() {
        return Some(python);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let ok = |c: &mut Command| c.status().is_ok_and(|s| s.success());
    if !ok(Command::new("python3").args(["-m", "venv"]).arg(&dir)) {
        return None;
    }
    if !ok(Command::new(&python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        AIOSMTPD,
    ])) {
        return None;
    }
    std::fs::write(dir.join("ready"), AIOSMTPD).ok()?;
    Some(python)
}

/// aiosmtpd's own command line with its `Debugging` handler: every message it accepts is
/// printed to its stdout, which goes to `log`.
struct Sink {
    child: Child,
    log: PathBuf,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    fn start(python: &PathBuf, port: u16) -> Self {
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("smtp-sink-{}-{port}.log", std::process::id()));
        let out = std::fs::File::create(&log).expect("log");
        let child = Command::new(python)
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Debugging",
                "-l",
            ])
            .arg(format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::yield_now();
        }
        Self { child, log }
    }

    /// Waits for a message whose text contains `needle`; returns everything received.
    async fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no mail with {needle:?}:\n{text}"
            );
            tokio::task::yield_now().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_code_arrives_by_smtp() {
    let Some(python) = tokio::task::spawn_blocking(venv).await.expect("join") else {
        println!("SKIPPED: a_sign_up_code_arrives_by_smtp (no python3 venv/pip here)");
        return;
    };
    let port = process::free_port();
    let sink = Sink::start(&python, port);
    let smtp = format!("smtp://127.0.0.1:{port}");
    let server = Server::start(&[
        "--in-memory",
        "--smtp-url",
        &smtp,
        "--email-from",
        "no-reply@auth.example.com",
    ]);
    let (pool, client) = process::pool_and_client(&server.sdk, false).await;
    process::sign_up(&server.sdk, &client, "alice")
        .await
        .expect("sign up");
    // The outbox beside SMTP has the code; the mail carries the same one.
    let code = server.code(&pool, "alice").await;
    let mail = sink.wait_for(&code).await;
    assert!(mail.contains("no-reply@auth.example.com"), "{mail}");
    assert!(mail.contains("alice@example.com"), "{mail}");
    server
        .sdk
        .confirm_sign_up()
        .client_id(&client)
        .username("alice")
        .confirmation_code(&code)
        .send()
        .await
        .expect("the mailed code confirms");
}

#[test]
fn delivery_settings_that_cannot_work_are_refused_at_start() {
    for (args, says) in [
        (
            vec!["--in-memory", "--smtp-url", "smtp://127.0.0.1:1"],
            "--email-from",
        ),
        (
            vec!["--in-memory", "--sms-webhook", "http://127.0.0.1:1/sms"],
            "USERPOOL_SMS_WEBHOOK_SECRET",
        ),
        (
            vec![
                "--in-memory",
                "--email-from",
                "a@example.com",
                "--smtp-url",
                "smtp://127.0.0.1:1",
                "--ses-endpoint",
                "http://127.0.0.1:1",
            ],
            "not both",
        ),
    ] {
        let (code, stderr) = process::Launch::admin(&args).refused();
        assert_ne!(code, Some(0), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
