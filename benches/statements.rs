//! Counting the SQL statements a piece of work sends: every statement sqlx runs is a
//! `sqlx::query` tracing event, counted by a global subscriber.

use std::sync::atomic::{AtomicU64, Ordering};

use tracing::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct Counter;

impl<S: Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _cx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Installs the counting subscriber for the whole process (once; later calls do nothing).
pub fn install() {
    let subscriber = tracing_subscriber::registry().with(Counter);
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The statements `work` sent (on any thread; run nothing else meanwhile).
pub fn count<T>(work: impl FnOnce() -> T) -> (u64, T) {
    let before = STATEMENTS.load(Ordering::Relaxed);
    let out = work();
    (STATEMENTS.load(Ordering::Relaxed) - before, out)
}
