//! Token signing and verification: our two backends vs the `jsonwebtoken` crate (both of its
//! providers) vs raw aws-lc-rs vs OpenSSL (`--features openssl-reference`), plus minting a
//! full Cognito ID token and verifying a full access token.
//!
//! ```sh
//! cargo bench -p userpool-benches --bench jwt
//! cargo bench -p userpool-benches --bench jwt --features openssl-reference
//! ```
//!
//! `jsonwebtoken` picks one provider per process; to measure both in one run its public
//! provider factories are called directly, which is what its `encode`/`decode` do per call
//! (the key is parsed again for every token).

use std::hint::black_box;

use criterion::Criterion;
use jwt_tokens::backend::{AwsLc, Backend, RustCrypto};
use jwt_tokens::{Algorithm, IdTokenClaims, KeySet, SigningKey, TokenUse, Validation};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use userpool_benches::{criterion_dir, human, median_ns, print_table};

const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123";
const CLIENT: &str = "6tj4ekuni1b9sb91284hvkrb1u";
const NOW: i64 = 1_790_000_000;

fn id_claims() -> IdTokenClaims {
    let mut attributes = serde_json::Map::new();
    attributes.insert("email".into(), "martin@example.com".into());
    attributes.insert("email_verified".into(), true.into());
    attributes.insert("custom:tier".into(), "gold".into());
    IdTokenClaims {
        sub: "68baf0fd-17ee-42b4-b0bb-57dfa2377058".into(),
        iss: ISS.into(),
        aud: CLIENT.into(),
        cognito_username: "martin".into(),
        auth_time: NOW,
        iat: NOW,
        exp: NOW + 3600,
        jti: "baec95f3-9ce1-4f7b-aa17-770323876fe4".into(),
        origin_jti: Some("97678329-7450-4dd7-be56-270871b81267".into()),
        event_id: Some("ccfd9e93-a04d-40ee-b8d0-f85e3041b2af".into()),
        groups: vec!["admins".into(), "editors".into()],
        roles: vec![],
        preferred_role: None,
        attributes,
        nonce: None,
        at_hash: None,
    }
}

fn access_claims() -> jwt_tokens::AccessTokenClaims {
    jwt_tokens::AccessTokenClaims {
        sub: "68baf0fd-17ee-42b4-b0bb-57dfa2377058".into(),
        iss: ISS.into(),
        client_id: CLIENT.into(),
        username: Some("martin".into()),
        auth_time: NOW,
        iat: NOW,
        exp: NOW + 3600,
        jti: "baa6d6da-3817-4ce3-841b-09a6b2113759".into(),
        origin_jti: Some("97678329-7450-4dd7-be56-270871b81267".into()),
        event_id: Some("ccfd9e93-a04d-40ee-b8d0-f85e3041b2af".into()),
        groups: vec!["admins".into()],
        scopes: vec!["aws.cognito.signin.user.admin".into()],
        device_key: None,
        version: None,
    }
}

struct Material {
    alg: Algorithm,
    pem: String,
    der: Vec<u8>,
    public: jwt_tokens::PublicKey,
    message: Vec<u8>,
    signature: Vec<u8>,
}

fn material(alg: Algorithm, seed: u64) -> Material {
    let key = SigningKey::generate_with(alg, &mut ChaCha20Rng::seed_from_u64(seed), &RustCrypto)
        .expect("key");
    let pem = key.to_pkcs8_pem().expect("pem").to_string();
    let der = pem_to_der(&pem);
    let message = format!(
        "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.{}",
        "eyJzdWIiOiJ4In0".repeat(40)
    )
    .into_bytes();
    let signature = RustCrypto
        .signer(alg, &der)
        .expect("signer")
        .sign(&message)
        .expect("sign");
    Material {
        alg,
        pem,
        der,
        public: key.public_key().clone(),
        message,
        signature,
    }
}

fn pem_to_der(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("pem body")
}

fn group(alg: Algorithm, op: &str) -> String {
    format!("{}_{op}", alg.name().to_lowercase())
}

fn ours(c: &mut Criterion, m: &Material) {
    for backend in [&RustCrypto as &dyn Backend, &AwsLc] {
        let signer = backend.signer(m.alg, &m.der).expect("signer");
        let verifier = backend.verifier(&m.public).expect("verifier");
        let name = format!("userpool-{}", backend.name());
        c.benchmark_group(group(m.alg, "sign"))
            .bench_function(&name, |b| {
                b.iter(|| signer.sign(black_box(&m.message)).expect("sign"))
            });
        c.benchmark_group(group(m.alg, "verify"))
            .bench_function(&name, |b| {
                b.iter(|| {
                    verifier
                        .verify(black_box(&m.message), &m.signature)
                        .expect("verify")
                })
            });
    }
}

fn jsonwebtoken_providers(c: &mut Criterion, m: &Material) {
    use jsonwebtoken::{DecodingKey, EncodingKey, crypto};
    let (their_alg, enc, dec) = match m.alg {
        Algorithm::RS256 => {
            let jwt_tokens::PublicKey::Rsa { n, e } = &m.public else {
                unreachable!("rsa")
            };
            (
                jsonwebtoken::Algorithm::RS256,
                EncodingKey::from_rsa_pem(m.pem.as_bytes()).expect("enc"),
                DecodingKey::from_rsa_raw_components(n, e),
            )
        }
        _ => {
            let jwt_tokens::PublicKey::P256 { x, y } = &m.public else {
                unreachable!("ec")
            };
            let x = base64_url(x);
            let y = base64_url(y);
            (
                jsonwebtoken::Algorithm::ES256,
                EncodingKey::from_ec_pem(m.pem.as_bytes()).expect("enc"),
                DecodingKey::from_ec_components(&x, &y).expect("dec"),
            )
        }
    };
    for (name, provider) in [
        (
            "jsonwebtoken-rust_crypto",
            &crypto::rust_crypto::DEFAULT_PROVIDER,
        ),
        ("jsonwebtoken-aws_lc", &crypto::aws_lc::DEFAULT_PROVIDER),
    ] {
        c.benchmark_group(group(m.alg, "sign"))
            .bench_function(name, |b| {
                b.iter(|| {
                    (provider.signer_factory)(&their_alg, &enc)
                        .expect("signer")
                        .try_sign(black_box(&m.message))
                        .expect("sign")
                })
            });
        c.benchmark_group(group(m.alg, "verify"))
            .bench_function(name, |b| {
                b.iter(|| {
                    (provider.verifier_factory)(&their_alg, &dec)
                        .expect("verifier")
                        .verify(black_box(&m.message), &m.signature.clone())
                        .expect("verify")
                })
            });
    }
}

fn base64_url(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Raw aws-lc-rs: the floor for signing with aws-lc.
fn raw_aws_lc(c: &mut Criterion, m: &Material) {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
    };
    let rng = SystemRandom::new();
    match m.alg {
        Algorithm::RS256 => {
            let key = RsaKeyPair::from_pkcs8(&m.der).expect("key");
            c.benchmark_group(group(m.alg, "sign"))
                .bench_function("aws-lc-raw", |b| {
                    b.iter(|| {
                        let mut sig = vec![0u8; key.public_modulus_len()];
                        key.sign(&RSA_PKCS1_SHA256, &rng, black_box(&m.message), &mut sig)
                            .expect("sign");
                        sig
                    })
                });
        }
        _ => {
            let key =
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &m.der).expect("key");
            c.benchmark_group(group(m.alg, "sign"))
                .bench_function("aws-lc-raw", |b| {
                    b.iter(|| key.sign(&rng, black_box(&m.message)).expect("sign"))
                });
        }
    }
}

#[cfg(feature = "openssl-reference")]
fn openssl_reference(c: &mut Criterion, m: &Material) {
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::sign::{Signer, Verifier};
    let key = PKey::private_key_from_der(&m.der).expect("key");
    let public = PKey::public_key_from_der(&key.public_key_to_der().expect("pub")).expect("pub");
    let signature = match m.alg {
        Algorithm::RS256 => m.signature.clone(),
        _ => {
            let (r, s) = m.signature.split_at(32);
            openssl::ecdsa::EcdsaSig::from_private_components(
                openssl::bn::BigNum::from_slice(r).expect("r"),
                openssl::bn::BigNum::from_slice(s).expect("s"),
            )
            .expect("sig")
            .to_der()
            .expect("der")
        }
    };
    c.benchmark_group(group(m.alg, "sign"))
        .bench_function("openssl", |b| {
            b.iter(|| {
                let mut signer = Signer::new(MessageDigest::sha256(), &key).expect("signer");
                signer
                    .sign_oneshot_to_vec(black_box(&m.message))
                    .expect("sign")
            })
        });
    c.benchmark_group(group(m.alg, "verify"))
        .bench_function("openssl", |b| {
            b.iter(|| {
                let mut verifier =
                    Verifier::new(MessageDigest::sha256(), &public).expect("verifier");
                assert!(
                    verifier
                        .verify_oneshot(&signature, black_box(&m.message))
                        .expect("verify")
                );
            })
        });
}

/// Full tokens: claims → compact JWS (ID token), and verify + validate (access token).
fn full_tokens(c: &mut Criterion) {
    for backend in [&RustCrypto as &'static dyn Backend, &AwsLc] {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let keys = KeySet::with_backend(
            SigningKey::generate_with(Algorithm::RS256, &mut rng, backend).expect("key"),
            SigningKey::generate_with(Algorithm::RS256, &mut rng, backend).expect("key"),
            backend,
        )
        .expect("keys");
        let claims = id_claims();
        let name = format!("userpool-{}", backend.name());
        c.benchmark_group("mint_id_token")
            .bench_function(&name, |b| {
                b.iter(|| {
                    keys.sign(
                        TokenUse::Id,
                        &black_box(&claims).to_claims(None).expect("claims"),
                    )
                    .expect("sign")
                })
            });
        let token = keys
            .sign(
                TokenUse::Access,
                &access_claims().to_claims(None).expect("claims"),
            )
            .expect("sign");
        let validation = Validation::access_token(ISS)
            .client(CLIENT)
            .require_scope("aws.cognito.signin.user.admin");
        c.benchmark_group("verify_access_token")
            .bench_function(&name, |b| {
                b.iter(|| {
                    keys.verify(black_box(&token), &validation, NOW)
                        .expect("verify")
                })
            });
    }
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .configure_from_args();
    for (alg, seed) in [(Algorithm::RS256, 1), (Algorithm::ES256, 2)] {
        let m = material(alg, seed);
        ours(&mut c, &m);
        jsonwebtoken_providers(&mut c, &m);
        raw_aws_lc(&mut c, &m);
        #[cfg(feature = "openssl-reference")]
        openssl_reference(&mut c, &m);
    }
    full_tokens(&mut c);
    c.final_summary();
    let groups = ["rs256_sign", "rs256_verify", "es256_sign", "es256_verify"];
    for ours in ["userpool-aws-lc", "userpool-rust-crypto"] {
        print_table(
            &format!("JWS primitives, {ours}"),
            &groups,
            ours,
            &[
                "aws-lc-raw",
                "openssl",
                "jsonwebtoken-aws_lc",
                "jsonwebtoken-rust_crypto",
            ],
        );
    }
    println!("\nFull tokens (criterion medians, same run)");
    let raw = median_ns("rs256_sign", "aws-lc-raw");
    for name in ["userpool-aws-lc", "userpool-rust-crypto"] {
        if let (Some(mint), Some(verify)) = (
            median_ns("mint_id_token", name),
            median_ns("verify_access_token", name),
        ) {
            let vs_raw = raw.map_or_else(
                || "—".to_owned(),
                |r| format!("{:.2}× raw aws-lc RS256 sign", mint / r),
            );
            println!(
                "{name:<22} mint ID token {} ({vs_raw}); verify access token {} = {:.0} tokens/s/core",
                human(mint),
                human(verify),
                1e9 / verify
            );
        }
    }
}
