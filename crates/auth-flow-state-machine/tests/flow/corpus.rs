//! Replays the committed fuzz corpus of `flow_driver` through the fuzz harness, and checks
//! that the corpus reaches every kind of outcome (so the driver's assertions are exercised).

use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

static TOKENS: AtomicUsize = AtomicUsize::new(0);
static CHALLENGES: AtomicUsize = AtomicUsize::new(0);
static ERRORS: AtomicUsize = AtomicUsize::new(0);

fn run(data: &[u8]) {
    let tally = crate::driver::drive_bytes(data);
    TOKENS.fetch_add(tally.tokens, Ordering::Relaxed);
    CHALLENGES.fetch_add(tally.challenges, Ordering::Relaxed);
    ERRORS.fetch_add(tally.errors, Ordering::Relaxed);
}

#[test]
fn flow_driver_corpus() {
    let count = replay::replay(env!("CARGO_MANIFEST_DIR"), "flow_driver", run);
    assert!(count >= 8, "the corpus has {count} entries");
    let (tokens, challenges, errors) = (
        TOKENS.load(Ordering::Relaxed),
        CHALLENGES.load(Ordering::Relaxed),
        ERRORS.load(Ordering::Relaxed),
    );
    assert!(tokens >= 4, "tokens {tokens}");
    assert!(challenges >= 20, "challenges {challenges}");
    assert!(errors >= 10, "errors {errors}");
}
