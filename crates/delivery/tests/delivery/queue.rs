//! The delivery queue on a paused tokio clock: retries with exponential backoff and jitter,
//! a bounded queue that refuses rather than blocks (and what the facade answers then), a
//! failure logged without the code or body, the counters, shutdown.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::time::Instant;
use userpool::wire::*;
use userpool::{DeliveryFailure, DeliveryMedium, Message, MessageKind, MessageSender};
use userpool_delivery::{DeliveryQueue, Error, QueueConfig, StatsSnapshot};

use crate::support::*;

/// Fails its first `failures` sends (with the code in its reason, as a careless sender
/// might), then succeeds; records when each attempt came.
struct Flaky {
    failures: usize,
    attempts: Mutex<Vec<Instant>>,
}

#[async_trait]
impl MessageSender for Flaky {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let mut attempts = self.attempts.lock().expect("lock");
        attempts.push(Instant::now());
        if attempts.len() <= self.failures {
            return Err(DeliveryFailure(format!(
                "relay said 451 for {} ({})",
                message.code, message.body
            )));
        }
        Ok(())
    }
}

/// Never answers.
struct Stuck;

#[async_trait]
impl MessageSender for Stuck {
    async fn send(&self, _message: Message) -> Result<(), DeliveryFailure> {
        std::future::pending().await
    }
}

fn message(code: &str) -> Message {
    Message {
        pool_id: "us-east-1_AbCdEf123".into(),
        username: "alice".into(),
        destination: "alice@example.com".into(),
        delivery_medium: DeliveryMedium::Email,
        kind: MessageKind::ForgotPassword,
        code: code.into(),
        subject: "Reset".into(),
        body: format!("Body-Sentinel {code}"),
        sent_at: 0,
        from: None,
        reply_to: None,
        html_body: None,
    }
}

fn config(capacity: usize, concurrency: usize, max_attempts: u32) -> QueueConfig {
    QueueConfig {
        capacity,
        concurrency,
        max_attempts,
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(4),
        jitter_seed: Some(21),
    }
}

#[tokio::test(start_paused = true)]
async fn retries_back_off_exponentially_with_jitter() {
    let flaky = Arc::new(Flaky {
        failures: 4,
        attempts: Mutex::default(),
    });
    let queue = DeliveryQueue::start(flaky.clone(), config(8, 2, 6)).expect("queue");
    let start = Instant::now();
    queue.send(message("123456")).await.expect("queued at once");
    assert_eq!(Instant::now(), start, "sending does not wait for the relay");
    queue.shutdown().await;
    let attempts = flaky.attempts.lock().expect("lock").clone();
    assert_eq!(attempts.len(), 5);
    let gaps: Vec<Duration> = attempts.windows(2).map(|w| w[1] - w[0]).collect();
    // Equal jitter: each wait lies in [ceiling/2, ceiling], ceiling = min(4 s, 1 s × 2^n).
    let ceilings = [1000, 2000, 4000, 4000];
    for (gap, ceiling) in gaps.iter().zip(ceilings) {
        let ms = gap.as_millis();
        assert!((ceiling / 2..=ceiling).contains(&ms), "{gaps:?}");
    }
    assert!(
        gaps.iter()
            .zip(ceilings)
            .any(|(g, c)| g.as_millis() != c && g.as_millis() != c / 2),
        "jittered: {gaps:?}"
    );
    assert_eq!(
        queue.stats().snapshot(),
        StatsSnapshot {
            sent: 1,
            retried: 4,
            failed: 0,
            dropped: 0
        }
    );
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_message_that_keeps_failing_is_logged_without_its_code_and_counted() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let flaky = Arc::new(Flaky {
        failures: usize::MAX,
        attempts: Mutex::default(),
    });
    let queue = DeliveryQueue::start(flaky.clone(), config(8, 1, 3)).expect("queue");
    queue.send(message("987654")).await.expect("queued");
    queue.shutdown().await;
    assert_eq!(flaky.attempts.lock().expect("lock").len(), 3);
    assert_eq!(
        queue.stats().snapshot(),
        StatsSnapshot {
            sent: 0,
            retried: 2,
            failed: 1,
            dropped: 0
        }
    );
    let logs = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf-8");
    let gave_up: Vec<&str> = logs.lines().filter(|l| l.contains("giving up")).collect();
    assert_eq!(gave_up.len(), 1, "{logs}");
    let line = gave_up.first().expect("line");
    for expected in [
        "WARN",
        "userpool::messages",
        "pool=us-east-1_AbCdEf123",
        "kind=\"forgot_password\"",
        "medium=\"EMAIL\"",
        "attempts=3",
        "relay said 451 for <redacted>",
    ] {
        assert!(line.contains(expected), "{expected} in {line}");
    }
    assert_eq!(logs.lines().filter(|l| l.contains("retrying")).count(), 2);
    assert!(!logs.contains("987654"), "{logs}");
    assert!(!logs.contains("Body-Sentinel"), "{logs}");
    assert!(!logs.contains("alice@example.com"), "{logs}");
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_refuses_at_once_and_the_request_fails_with_code_delivery_failure() {
    let queue = Arc::new(DeliveryQueue::start(Arc::new(Stuck), config(2, 1, 1)).expect("queue"));
    queue
        .send(message("000001"))
        .await
        .expect("taken by the worker");
    tokio::time::sleep(Duration::from_millis(1)).await;
    queue.send(message("000002")).await.expect("waits");
    queue.send(message("000003")).await.expect("waits");
    assert_eq!(queue.try_enqueue(message("000004")), Err(Error::QueueFull));
    assert_eq!(
        queue.send(message("000005")).await.unwrap_err(),
        DeliveryFailure("the delivery queue is full".into())
    );
    assert_eq!(queue.stats().snapshot().dropped, 2);

    let service = service(queue.clone(), None, None);
    let (_pool, client) = pool_and_client(
        &service,
        UserPoolRequest {
            pool_name: "full".into(),
            auto_verified_attributes: vec!["email".into()],
            ..Default::default()
        },
    )
    .await;
    let failed = sign_up(&service, &client, "late", ("email", "late@example.com"))
        .await
        .unwrap_err();
    assert_eq!(failed.exception_name(), "CodeDeliveryFailureException");
    assert_eq!(queue.stats().snapshot().dropped, 3);
}

#[tokio::test(start_paused = true)]
async fn a_shut_down_queue_refuses_messages() {
    let flaky = Arc::new(Flaky {
        failures: 0,
        attempts: Mutex::default(),
    });
    let queue = DeliveryQueue::start(flaky.clone(), config(4, 2, 1)).expect("queue");
    queue.send(message("111111")).await.expect("queued");
    queue.send(message("222222")).await.expect("queued");
    queue.shutdown().await;
    assert_eq!(
        flaky.attempts.lock().expect("lock").len(),
        2,
        "drained first"
    );
    assert_eq!(
        queue.try_enqueue(message("333333")),
        Err(Error::QueueClosed)
    );
    assert_eq!(
        queue.stats().snapshot(),
        StatsSnapshot {
            sent: 2,
            retried: 0,
            failed: 0,
            dropped: 1
        }
    );
    assert_eq!(
        DeliveryQueue::start(flaky, config(0, 1, 1)).unwrap_err(),
        Error::Config("capacity, concurrency and max_attempts must be at least 1".into())
    );
}
