//! [`DeliveryQueue`]: a bounded queue in front of a slow sender, drained by background tasks
//! with retries and exponential backoff with jitter.
//!
//! # What a request returns
//!
//! Cognito answers an operation normally once a message is handed off and fails it with
//! `CodeDeliveryFailureException` only when the hand-off itself fails. Behind the queue the
//! hand-off is the enqueueing: a request gets its normal answer as soon as the message is
//! queued, and `CodeDeliveryFailureException` only when the queue is full ([`Error::QueueFull`],
//! counted as `dropped`) or shut down — it never waits for the relay. A queued message that
//! later fails every attempt cannot change the answer already given: it is logged on target
//! `userpool::messages` (pool, kind, medium, attempts, reason — never the code, body or
//! destination) and counted as `failed`; the user asks for a new code (ResendConfirmationCode,
//! ForgotPassword again).
//!
//! The queue is in memory: [`DeliveryQueue::shutdown`] delivers what is queued (retries
//! included, so bound it with `tokio::time::timeout` at process exit); messages still queued
//! when a process stops without it are lost, like a code whose SMS never arrived.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use rand::RngExt as _;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;
use userpool::{DeliveryFailure, Message, MessageSender};

use crate::error::Error;

/// How the queue behaves.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// Messages waiting at most (beyond it, sends fail with [`Error::QueueFull`]).
    pub capacity: usize,
    /// Deliveries in flight at once.
    pub concurrency: usize,
    /// Attempts per message, the first included.
    pub max_attempts: u32,
    /// The delay before the first retry (doubled for each further one).
    pub initial_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// Seeds the jitter (tests); `None`: from the operating system.
    pub jitter_seed: Option<u64>,
}

impl Default for QueueConfig {
    /// 1024 waiting, 8 in flight, 5 attempts, 1 s doubling up to 60 s.
    fn default() -> Self {
        Self {
            capacity: 1024,
            concurrency: 8,
            max_attempts: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            jitter_seed: None,
        }
    }
}

/// The queue's counters, readable by a metrics endpoint.
#[derive(Debug, Default)]
pub struct QueueStats {
    sent: AtomicU64,
    retried: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
}

/// The counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatsSnapshot {
    /// Messages delivered.
    pub sent: u64,
    /// Attempts that failed and were retried.
    pub retried: u64,
    /// Messages given up after their last attempt.
    pub failed: u64,
    /// Messages refused because the queue was full or closed.
    pub dropped: u64,
}

impl QueueStats {
    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            sent: self.sent.load(Ordering::Relaxed),
            retried: self.retried.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}

/// A bounded, retrying queue in front of a [`MessageSender`]; itself a `MessageSender`.
pub struct DeliveryQueue {
    tx: Mutex<Option<mpsc::Sender<Message>>>,
    stats: Arc<QueueStats>,
    dispatcher: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for DeliveryQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveryQueue")
            .field("stats", &self.stats.snapshot())
            .finish_non_exhaustive()
    }
}

struct Worker {
    inner: Arc<dyn MessageSender>,
    config: QueueConfig,
    stats: Arc<QueueStats>,
    rng: Mutex<ChaCha20Rng>,
}

impl DeliveryQueue {
    /// Starts the queue's tasks on the current tokio runtime.
    pub fn start(inner: Arc<dyn MessageSender>, config: QueueConfig) -> Result<Self, Error> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::Config("the delivery queue needs a tokio runtime".into()))?;
        if config.capacity == 0 || config.concurrency == 0 || config.max_attempts == 0 {
            return Err(Error::Config(
                "capacity, concurrency and max_attempts must be at least 1".into(),
            ));
        }
        let rng = match config.jitter_seed {
            Some(seed) => ChaCha20Rng::seed_from_u64(seed),
            None => ChaCha20Rng::try_from_rng(&mut rand::rngs::SysRng)
                .map_err(|_| Error::Config("no operating-system randomness".into()))?,
        };
        let (tx, rx) = mpsc::channel(config.capacity);
        let stats = Arc::new(QueueStats::default());
        let worker = Arc::new(Worker {
            inner,
            config,
            stats: stats.clone(),
            rng: Mutex::new(rng),
        });
        let dispatcher = runtime.spawn(dispatch(rx, worker));
        Ok(Self {
            tx: Mutex::new(Some(tx)),
            stats,
            dispatcher: Mutex::new(Some(dispatcher)),
        })
    }

    /// The counters.
    pub fn stats(&self) -> Arc<QueueStats> {
        self.stats.clone()
    }

    /// Queues `message` without waiting: [`Error::QueueFull`] when no room is left.
    pub fn try_enqueue(&self, message: Message) -> Result<(), Error> {
        let sent = match self.tx.lock().ok().as_ref().and_then(|tx| tx.as_ref()) {
            Some(tx) => tx.try_send(message).map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => Error::QueueFull,
                mpsc::error::TrySendError::Closed(_) => Error::QueueClosed,
            }),
            None => Err(Error::QueueClosed),
        };
        if sent.is_err() {
            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
        }
        sent
    }

    /// Stops accepting messages and waits until every queued one is delivered or given up
    /// (retries included).
    pub async fn shutdown(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let handle = self.dispatcher.lock().ok().and_then(|mut d| d.take());
        if let Some(handle) = handle {
            let _ = handle.await;
        }
    }
}

async fn dispatch(mut rx: mpsc::Receiver<Message>, worker: Arc<Worker>) {
    let slots = worker.config.concurrency;
    let permits = Arc::new(Semaphore::new(slots));
    while let Some(message) = rx.recv().await {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let worker = worker.clone();
        tokio::spawn(async move {
            worker.deliver(message).await;
            drop(permit);
        });
    }
    let _ = permits
        .acquire_many(u32::try_from(slots).unwrap_or(u32::MAX))
        .await;
}

impl Worker {
    async fn deliver(&self, message: Message) {
        let mut attempt = 1;
        loop {
            match self.inner.send(message.clone()).await {
                Ok(()) => {
                    self.stats.sent.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Err(failure) if attempt < self.config.max_attempts => {
                    self.stats.retried.fetch_add(1, Ordering::Relaxed);
                    let delay = self.backoff(attempt);
                    tracing::debug!(
                        target: "userpool::messages",
                        pool = %message.pool_id,
                        kind = message.kind.as_str(),
                        medium = message.delivery_medium.as_str(),
                        attempt,
                        retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        reason = %scrub(&failure, &message),
                        "message delivery failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(failure) => {
                    self.stats.failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(
                        target: "userpool::messages",
                        pool = %message.pool_id,
                        kind = message.kind.as_str(),
                        medium = message.delivery_medium.as_str(),
                        attempts = attempt,
                        reason = %scrub(&failure, &message),
                        "message delivery failed; giving up"
                    );
                    return;
                }
            }
        }
    }

    /// The delay after failed attempt `attempt` (1-based): half of
    /// `min(max, initial × 2^(attempt-1))` plus a random part up to the other half.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .config
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let ceiling = exp.min(self.config.max_backoff);
        let half = ceiling / 2;
        let jitter_ms = u64::try_from((ceiling - half).as_millis()).unwrap_or(u64::MAX);
        let random = self
            .rng
            .lock()
            .map(|mut r| r.random_range(0..=jitter_ms))
            .unwrap_or(jitter_ms);
        half + Duration::from_millis(random)
    }
}

/// A failure's reason with the message's code and body cut out, should a sender have put
/// them there.
fn scrub(failure: &DeliveryFailure, message: &Message) -> String {
    let mut reason = failure.0.clone();
    for secret in [&message.body, &message.code] {
        if !secret.is_empty() {
            reason = reason.replace(secret.as_str(), "<redacted>");
        }
    }
    reason
}

#[async_trait]
impl MessageSender for DeliveryQueue {
    /// Queues the message; fails only when the queue is full or closed.
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        self.try_enqueue(message).map_err(Into::into)
    }
}
