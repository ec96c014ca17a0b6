//! The `userpool-federation` crate's integration test: the committed fuzz corpus of
//! `federation_oidc` replayed through its harness (providers' answers and ID tokens).

#[path = "../../../../fuzz/harness/federation.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

#[test]
fn federation_oidc_corpus() {
    let count = replay::replay(env!("CARGO_MANIFEST_DIR"), "federation_oidc", harness::oidc);
    assert!(count >= 8, "{count}");
}
