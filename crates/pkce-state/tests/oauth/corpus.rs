//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/pkce.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn authorize_corpus() {
    assert!(
        replay(
            env!("CARGO_MANIFEST_DIR"),
            "pkce_authorize",
            harness::authorize
        ) >= 8
    );
}
