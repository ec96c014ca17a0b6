//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/jwt.rs"]
mod harness;
#[path = "../../../../fuzz/harness/replay.rs"]
mod replay;

use replay::replay;

#[test]
fn verify_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "jwt_verify", harness::verify) >= 8);
}

#[test]
fn jwks_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "jwt_jwks", harness::jwks) >= 8);
}
