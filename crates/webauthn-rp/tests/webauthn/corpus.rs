//! Replays the committed fuzz corpus of `webauthn_rp` through its harness.

#[path = "../../../../fuzz/harness/webauthn.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

#[test]
fn webauthn_rp_corpus() {
    let count = replay::replay(env!("CARGO_MANIFEST_DIR"), "webauthn_rp", harness::webauthn);
    assert!(count >= 8, "{count}");
}
