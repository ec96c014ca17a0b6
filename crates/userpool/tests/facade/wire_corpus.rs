//! Replays the committed fuzz corpus of `wire_decode` (request bodies for every operation's
//! request type) through its harness.

#[path = "../../../../fuzz/harness/wire.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

#[test]
fn wire_decode_corpus() {
    let count = replay::replay(
        env!("CARGO_MANIFEST_DIR"),
        "wire_decode",
        harness::decode_request,
    );
    assert!(count >= 8, "{count}");
}

#[test]
fn wire_structured_corpus() {
    let count = replay::replay(
        env!("CARGO_MANIFEST_DIR"),
        "wire_structured",
        harness::decode_structured,
    );
    assert!(count >= 4, "{count}");
}

/// Every action of the adapter's tables is in the harness's table.
#[test]
fn the_harness_covers_every_operation() {
    assert!(harness::OPERATIONS.len() >= 115);
}
