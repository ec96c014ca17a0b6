//! Known answers from the real clients (pycognito, amazon-cognito-identity-js) and the spec.
//!
//! Provenance: `tests/vectors/README.md`. Each vector is what a real client put on the wire
//! against a fake server written independently of this crate.

use cognito_srp6a::{
    ClaimIdentity, ClientHandshake, DeviceSecretVerifierConfig, Error, Password, PasswordClaim,
    PasswordVerifierChallenge, Salt, ServerHandshake, Verifier, parse_timestamp,
};
use serde::Deserialize;
use time::Duration;

use crate::support::hex_bytes;

#[derive(Debug, Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "fields documented in the data files")]
struct Vector {
    name: String,
    client: String,
    kind: String,
    pool_id: String,
    pool: String,
    user_id: String,
    password: String,
    salt: String,
    verifier: String,
    a: String,
    b: String,
    srp_a: String,
    srp_b: String,
    secret_block: String,
    timestamp: String,
    signature: String,
    b_minus_kgx_negative: bool,
    device_verifier_config: Option<Config>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Config {
    password_verifier: String,
    salt: String,
}

fn load(name: &str) -> Vec<Vector> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("vector file");
    serde_json::from_str::<File>(&text)
        .expect("vector json")
        .vectors
}

const WINDOW: Duration = Duration::minutes(5);

/// Our verifier, server and client against one real-client vector.
fn check(v: &Vector) {
    let identity = ClaimIdentity {
        pool: &v.pool,
        user_id: &v.user_id,
    };
    let password = Password::new(v.password.as_str());
    let expected = Verifier::from_bytes(&hex_bytes(&v.verifier)).expect("verifier in range");

    // 1. Verifier: ours equals the independently computed one (and the real client's config).
    let salt = match &v.device_verifier_config {
        None => {
            assert_eq!(v.kind, "user", "{}", v.name);
            assert_eq!(cognito_srp6a::pool_name(&v.pool_id), v.pool);
            Salt::from_wire_hex(&v.salt).expect("salt")
        }
        Some(cfg) => {
            assert_eq!(v.kind, "device", "{}", v.name);
            let config = DeviceSecretVerifierConfig {
                password_verifier: cfg.password_verifier.clone(),
                salt: cfg.salt.clone(),
            };
            let (salt, verifier) = config.decode().expect("the real client's device config");
            assert_eq!(verifier, expected, "{}: device verifier", v.name);
            assert_eq!(salt.to_wire_hex(), v.salt, "{}: device SALT", v.name);
            salt
        }
    };
    assert_eq!(
        salt.to_wire_hex(),
        v.salt,
        "{}: SALT is canonical padHex",
        v.name
    );
    let ours = cognito_srp6a::compute_verifier(&v.pool, &v.user_id, &password, &salt);
    assert_eq!(ours, expected, "{}: verifier", v.name);
    assert!(cognito_srp6a::verify_password(
        &v.pool, &v.user_id, &password, &salt, &expected
    ));

    // 2. Server: same SRP_B from the same b; accepts the real client's signature, also after
    //    a round trip through the serialized state; rejects it with one bit flipped.
    let now = parse_timestamp(&v.timestamp).expect("client timestamp is canonical");
    let server = ServerHandshake::from_ephemeral_secret(&expected, &v.srp_a, &hex_bytes(&v.b))
        .expect("server start");
    assert_eq!(server.srp_b(), v.srp_b, "{}: SRP_B", v.name);
    let claim = PasswordClaim {
        secret_block: &v.secret_block,
        signature: &v.signature,
        timestamp: &v.timestamp,
    };
    let state = server.to_bytes();
    assert_eq!(
        server
            .verify(&expected, &identity, &claim, now, WINDOW)
            .map(drop),
        Ok(()),
        "{}: real signature",
        v.name
    );
    let restored = ServerHandshake::from_bytes(state.expose_secret()).expect("state round trip");
    assert_eq!(restored.srp_b(), v.srp_b);
    assert!(
        restored
            .verify(&expected, &identity, &claim, now, WINDOW)
            .is_ok(),
        "{}: restored",
        v.name
    );

    let mut sig = base64_decode(&v.signature);
    sig[7] ^= 0x10;
    let flipped = base64_encode(&sig);
    let bad = PasswordClaim {
        signature: &flipped,
        ..claim
    };
    let server = ServerHandshake::from_ephemeral_secret(&expected, &v.srp_a, &hex_bytes(&v.b))
        .expect("server start");
    assert_eq!(
        server
            .verify(&expected, &identity, &bad, now, WINDOW)
            .map(drop),
        Err(Error::SignatureMismatch),
        "{}",
        v.name
    );

    // 3. Client: same SRP_A from the same a, and byte-identical signature.
    let client = ClientHandshake::from_ephemeral_secret(&hex_bytes(&v.a)).expect("client start");
    assert_eq!(client.srp_a(), v.srp_a, "{}: SRP_A", v.name);
    let challenge = PasswordVerifierChallenge {
        salt: &v.salt,
        srp_b: &v.srp_b,
        secret_block: &v.secret_block,
    };
    let signature = client
        .respond(&identity, &password, &challenge, &v.timestamp)
        .expect("client respond");
    assert_eq!(
        signature, v.signature,
        "{}: PASSWORD_CLAIM_SIGNATURE",
        v.name
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn check_file(name: &str, min: usize) -> Vec<Vector> {
    let vectors = load(name);
    assert!(vectors.len() >= min, "{name}: {} vectors", vectors.len());
    for v in &vectors {
        check(v);
    }
    vectors
}

/// What the real-client vectors must cover, so a regenerated file cannot silently shrink.
fn assert_coverage(vectors: &[Vector]) {
    let users: Vec<_> = vectors.iter().filter(|v| v.kind == "user").collect();
    assert!(vectors.iter().filter(|v| v.kind == "device").count() >= 4);
    assert!(
        users.iter().any(|v| v.salt.starts_with("00")),
        "a salt with the high bit set"
    );
    assert!(
        users.iter().any(|v| v.salt.len() < 32),
        "a salt with leading zero bytes"
    );
    assert!(
        users.iter().any(|v| !v.user_id.is_ascii()),
        "a non-ASCII user id"
    );
    assert!(
        users.iter().any(|v| !v.password.is_ascii()),
        "a non-ASCII password"
    );
    assert!(
        vectors.iter().any(|v| v.srp_b.len() % 2 == 1),
        "an odd-length SRP_B"
    );
    assert!(
        vectors.iter().any(|v| v.srp_a.len() % 2 == 1),
        "an odd-length SRP_A"
    );
    assert!(
        vectors.iter().all(|v| v.b_minus_kgx_negative),
        "B − k·g^x negative"
    );
    assert!(
        vectors
            .iter()
            .any(|v| v.timestamp.split(' ').nth(2).is_some_and(|d| d.len() == 1)),
        "a one-digit day"
    );
}

#[test]
fn spec_vectors_u_and_d() {
    let vectors = check_file("spec.json", 2);
    assert_eq!(
        vectors[0].signature,
        "wY0jdyzfxuiSxKZbdXwah/7pieEgiK668s602hFOVGw="
    );
    assert_eq!(
        vectors[1].signature,
        "c+udjxUOXqkSpEZTmuhl0GIRNN7ZvG8/T4kHOVRnNrE="
    );
}

#[test]
fn amazon_cognito_identity_js_vectors() {
    let vectors = check_file("acij.json", 20);
    assert!(
        vectors
            .iter()
            .all(|v| v.client.starts_with("amazon-cognito-identity-js 6.3.21"))
    );
    assert_coverage(&vectors);
}

#[test]
fn pycognito_vectors() {
    let vectors = check_file("pycognito.json", 20);
    assert!(vectors.iter().all(|v| v.client == "pycognito 2024.5.1"));
    assert_coverage(&vectors);
}
