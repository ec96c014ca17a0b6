//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/pkce.rs"]
mod harness;

#[test]
fn authorize_corpus() {
    let dir = format!(
        "{}/../../fuzz/corpus/pkce_authorize",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        harness::authorize(&std::fs::read(entry.expect("entry").path()).expect("corpus file"));
        count += 1;
    }
    assert!(count >= 8);
}
