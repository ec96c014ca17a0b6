//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/model.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        run(&std::fs::read(entry.expect("entry").path()).expect("corpus file"));
        count += 1;
    }
    count
}

#[test]
fn filter_corpus() {
    assert!(replay("model_filter", harness::filter) >= 8);
}

#[test]
fn csv_corpus() {
    assert!(replay("model_csv", harness::csv) >= 8);
}
