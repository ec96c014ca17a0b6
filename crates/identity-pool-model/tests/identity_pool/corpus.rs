//! Replays the committed fuzz corpus of `identity_logins` through its harness.

#[path = "../../../../fuzz/harness/identity.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

#[test]
fn identity_logins_corpus() {
    let count = replay::replay(
        env!("CARGO_MANIFEST_DIR"),
        "identity_logins",
        harness::logins,
    );
    assert!(count >= 8, "{count}");
}
