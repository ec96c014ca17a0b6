//! RFC 7515 Appendix A.2 (RS256) and A.3 (ES256), from `tests/vectors/rfc7515.json`.

use jwt_tokens::{Algorithm, PublicKey};
use rsa::pkcs8::EncodePrivateKey;
use serde_json::Value;

use crate::support::{b64u, b64u_decode, backends};

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(format!(
        "{}/tests/vectors/rfc7515.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("rfc7515.json");
    serde_json::from_str::<Value>(&text).expect("json")["vectors"]
        .as_array()
        .expect("vectors")
        .clone()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().expect(k)
}

#[test]
fn a2_rs256_signature_is_reproduced_and_verifies() {
    let v = &vectors()[0];
    let (n, e, d) = (
        b64u_decode(s(v, "n")),
        b64u_decode(s(v, "e")),
        b64u_decode(s(v, "d")),
    );
    let key = PublicKey::rsa(&n, &e).expect("RFC key");
    let private = rsa::RsaPrivateKey::from_components(
        rsa::BoxedUint::from_be_slice_vartime(&n),
        rsa::BoxedUint::from_be_slice_vartime(&e),
        rsa::BoxedUint::from_be_slice_vartime(&d),
        vec![],
    )
    .expect("components");
    let der = private.to_pkcs8_der().expect("pkcs8");
    for backend in backends() {
        // PKCS#1 v1.5 is deterministic: our signer must produce the RFC's exact bytes.
        let signer = backend
            .signer(Algorithm::RS256, der.as_bytes())
            .expect("signer");
        let sig = signer.sign(s(v, "signing_input").as_bytes()).expect("sign");
        assert_eq!(b64u(&sig), s(v, "signature"), "{}", backend.name());
        let verifier = backend.verifier(&key).expect("verifier");
        assert!(
            verifier
                .verify(s(v, "signing_input").as_bytes(), &sig)
                .is_ok()
        );
        assert!(verifier.verify(b"eyJhbGciOiJSUzI1NiJ9.e30", &sig).is_err());
    }
}

#[test]
fn a3_es256_signature_verifies() {
    let v = &vectors()[1];
    let key = PublicKey::p256(&b64u_decode(s(v, "x")), &b64u_decode(s(v, "y"))).expect("RFC key");
    let sig = b64u_decode(s(v, "signature"));
    for backend in backends() {
        let verifier = backend.verifier(&key).expect("verifier");
        assert!(
            verifier
                .verify(s(v, "signing_input").as_bytes(), &sig)
                .is_ok(),
            "{}",
            backend.name()
        );
        let mut bad = sig.clone();
        bad[63] ^= 1;
        assert!(
            verifier
                .verify(s(v, "signing_input").as_bytes(), &bad)
                .is_err()
        );
    }
}
