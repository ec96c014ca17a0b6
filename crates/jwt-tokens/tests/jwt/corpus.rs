//! Replays the committed fuzz corpus through the fuzz harness, so CI exercises it.

#[path = "../../../../fuzz/harness/jwt.rs"]
mod harness;
#[path = "../../../../fuzz/harness/json.rs"]
mod json;
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

#[test]
fn differential_corpus() {
    let count = replay(
        env!("CARGO_MANIFEST_DIR"),
        "jwt_differential",
        harness::differential,
    );
    assert!(count >= 4, "{count}");
}

#[test]
fn strict_json_corpus() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "json_strict", json::strict) >= 8);
}
