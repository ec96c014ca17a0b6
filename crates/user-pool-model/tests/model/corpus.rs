//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/model.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn filter_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "model_filter", harness::filter) >= 8);
}

#[test]
fn csv_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "model_csv", harness::csv) >= 8);
}
