//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/srp.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn server_claim_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "srp_server", harness::server) >= 8);
}

#[test]
fn hex_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "srp_hex", harness::hex) >= 8);
}

#[test]
fn timestamp_corpus() {
    assert!(
        replay(
            env!("CARGO_MANIFEST_DIR"),
            "srp_timestamp",
            harness::timestamp
        ) >= 8
    );
}
