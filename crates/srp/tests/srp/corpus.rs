//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/srp.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.expect("entry").path();
        run(&std::fs::read(&path).expect("corpus file"));
        count += 1;
    }
    count
}

#[test]
fn server_claim_corpus() {
    assert!(replay("srp_server", harness::server) >= 8);
}

#[test]
fn hex_corpus() {
    assert!(replay("srp_hex", harness::hex) >= 8);
}

#[test]
fn timestamp_corpus() {
    assert!(replay("srp_timestamp", harness::timestamp) >= 8);
}
