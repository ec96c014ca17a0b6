//! A full USER_SRP_AUTH sign-in through the `userpool` facade on `MemoryStore` —
//! InitiateAuth + RespondToAuthChallenge, two RS256 tokens and a refresh-token family —
//! beside its irreducible core measured in the same run: the server's SRP math plus two RS256
//! signatures, with our crates (`core`) and, with `--features openssl-reference`, with
//! OpenSSL (`openssl`, the issue's reference).
//!
//! ```sh
//! cargo bench -p userpool-benches --bench signin                               # ours + core
//! cargo bench -p userpool-benches --bench signin --features openssl-reference  # + OpenSSL
//! ```
//!
//! Only server work is timed: the client's SRP computations run between the two timed calls.
//! `facade − core` is everything outside SRP and signing (sealing, JSON, store, claims).
//! `http` is the same sign-in through `userpool-http` over loopback HTTP/1.1 (client round
//! trips included), to compare with the facade called directly.

use std::time::{Duration, Instant};

use criterion::Criterion;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use time::OffsetDateTime;
use userpool_benches::facade::{Fixture, NOW, PASSWORD};
use userpool_benches::{criterion_dir, human, median_ns, ratio};

/// The same service behind `userpool-http` on a loopback port, and an HTTP client.
struct HttpFixture {
    runtime: tokio::runtime::Runtime,
    endpoint: String,
    http: reqwest::Client,
    client_id: String,
    pool: String,
    rng: ChaCha20Rng,
}

fn http_fixture(f: &Fixture) -> HttpFixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    // No rate limits: the bench measures the adapter, not the limiter.
    let config = userpool_http::HttpConfig::default().rate_limits(userpool_http::RateLimits::off());
    let app: axum::Router = userpool_http::router_with(f.service.clone(), config);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    HttpFixture {
        runtime,
        endpoint,
        http: reqwest::Client::new(),
        client_id: f.client.clone(),
        pool: f.pool.clone(),
        rng: ChaCha20Rng::seed_from_u64(5),
    }
}

fn post(h: &HttpFixture, target: &str, body: serde_json::Value) -> serde_json::Value {
    h.runtime.block_on(async {
        h.http
            .post(&h.endpoint)
            .header(
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{target}"),
            )
            .header("content-type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .expect("send")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    })
}

/// One sign-in over HTTP; the client's SRP work is not timed.
fn http_sign_in(h: &mut HttpFixture) -> Duration {
    let handshake = srp::ClientHandshake::start(&mut h.rng).expect("client");
    let t0 = Instant::now();
    let challenge = post(
        h,
        "InitiateAuth",
        serde_json::json!({"ClientId": h.client_id, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "alice", "SRP_A": handshake.srp_a()}}),
    );
    let first = t0.elapsed();
    let p = &challenge["ChallengeParameters"];
    let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    let user = text("USER_ID_FOR_SRP");
    let pool_name = h.pool.split_once('_').map_or("", |(_, n)| n).to_owned();
    let timestamp = srp::format_timestamp(OffsetDateTime::from_unix_timestamp(NOW).expect("time"));
    let signature = handshake
        .respond(
            &srp::ClaimIdentity::user(&pool_name, &user),
            &srp::Password::new(PASSWORD),
            &srp::PasswordVerifierChallenge {
                salt: &text("SALT"),
                srp_b: &text("SRP_B"),
                secret_block: &text("SECRET_BLOCK"),
            },
            &timestamp,
        )
        .expect("signature");
    let body = serde_json::json!({
        "ClientId": h.client_id, "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {"USERNAME": user, "PASSWORD_CLAIM_SECRET_BLOCK": text("SECRET_BLOCK"), "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": timestamp},
    });
    let t1 = Instant::now();
    let done = post(h, "RespondToAuthChallenge", body);
    let second = t1.elapsed();
    assert!(done.get("AuthenticationResult").is_some(), "{done}");
    first + second
}

/// The core with our crates: the server's SRP steps and two RS256 signatures.
struct Core {
    salt: srp::Salt,
    verifier: srp::Verifier,
    keys: jwt_tokens::KeySet,
    claims: serde_json::Map<String, serde_json::Value>,
    rng: ChaCha20Rng,
}

const BLOCK: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";

fn core() -> Core {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let (salt, verifier) =
        srp::generate_verifier("bench", "alice", &srp::Password::new(PASSWORD), &mut rng);
    let keys = jwt_tokens::KeySet::new(
        jwt_tokens::SigningKey::generate(jwt_tokens::Algorithm::RS256, &mut rng).expect("key"),
        jwt_tokens::SigningKey::generate(jwt_tokens::Algorithm::RS256, &mut rng).expect("key"),
    )
    .expect("keys");
    let claims = serde_json::json!({
        "sub": "68baf0fd-17ee-42b4-b0bb-57dfa2377058",
        "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
        "token_use": "access", "exp": NOW + 3600, "iat": NOW, "auth_time": NOW,
        "jti": "baa6d6da-3817-4ce3-841b-09a6b2113759", "username": "alice",
    });
    Core {
        salt,
        verifier,
        keys,
        claims: claims.as_object().cloned().unwrap_or_default(),
        rng,
    }
}

/// The server's part of an SRP sign-in with our crates, and two signatures; the client's
/// answer is computed untimed in between.
fn core_sign_in(c: &mut Core) -> Duration {
    let client = srp::ClientHandshake::start(&mut c.rng).expect("client");
    let srp_a = client.srp_a();
    let t0 = Instant::now();
    let server = srp::ServerHandshake::start(&c.verifier, &srp_a, &mut c.rng).expect("server");
    let srp_b = server.srp_b();
    let first = t0.elapsed();
    let now = OffsetDateTime::from_unix_timestamp(NOW).expect("time");
    let timestamp = srp::format_timestamp(now);
    let identity = srp::ClaimIdentity::user("bench", "alice");
    let signature = client
        .respond(
            &identity,
            &srp::Password::new(PASSWORD),
            &srp::PasswordVerifierChallenge {
                salt: &c.salt.to_wire_hex(),
                srp_b: &srp_b,
                secret_block: BLOCK,
            },
            &timestamp,
        )
        .expect("signature");
    let t1 = Instant::now();
    server
        .verify(
            &c.verifier,
            &identity,
            &srp::PasswordClaim {
                secret_block: BLOCK,
                signature: &signature,
                timestamp: &timestamp,
            },
            now,
            time::Duration::minutes(5),
        )
        .expect("verified");
    let id = c
        .keys
        .sign(jwt_tokens::TokenUse::Id, &c.claims)
        .expect("id");
    let access = c
        .keys
        .sign(jwt_tokens::TokenUse::Access, &c.claims)
        .expect("access");
    std::hint::black_box((id, access));
    first + t1.elapsed()
}

#[cfg(feature = "openssl-reference")]
fn openssl_reference(c: &mut Criterion) {
    use openssl::bn::{BigNum, BigNumContext};
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::rsa::Rsa;
    use openssl::sign::Signer;
    use rand_core::Rng;
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let (_, verifier) =
        srp::generate_verifier("bench", "alice", &srp::Password::new(PASSWORD), &mut rng);
    let n = BigNum::from_hex_str(srp::N_HEX).expect("N");
    let g = BigNum::from_u32(2).expect("g");
    let k = BigNum::from_slice(&srp::k().to_be_bytes()).expect("k");
    let v = BigNum::from_slice(&verifier.to_bytes()).expect("v");
    let key = PKey::from_rsa(Rsa::generate(2048).expect("rsa")).expect("pkey");
    let mut ctx = BigNumContext::new().expect("ctx");
    let mut a = [0u8; 32];
    rng.fill_bytes(&mut a);
    let mut big_a = BigNum::new().expect("bn");
    big_a
        .mod_exp(&g, &BigNum::from_slice(&a).expect("a"), &n, &mut ctx)
        .expect("A");
    let message = [0x5au8; 700];
    c.benchmark_group("signin")
        .bench_function("openssl", |bench| {
            bench.iter(|| {
                let mut b = [0u8; 32];
                rng.fill_bytes(&mut b);
                let b = BigNum::from_slice(&b).expect("b");
                let mut gb = BigNum::new().expect("bn");
                gb.mod_exp(&g, &b, &n, &mut ctx).expect("exp");
                let mut kv = BigNum::new().expect("bn");
                kv.mod_mul(&k, &v, &n, &mut ctx).expect("mul");
                let mut big_b = BigNum::new().expect("bn");
                big_b.mod_add(&kv, &gb, &n, &mut ctx).expect("add");
                use sha2::Digest as _;
                let u = sha2::Sha256::new()
                    .chain_update(srp::pad_hex(&big_a.to_vec()))
                    .chain_update(srp::pad_hex(&big_b.to_vec()))
                    .finalize();
                let u = BigNum::from_slice(&u).expect("u");
                let mut vu = BigNum::new().expect("bn");
                vu.mod_exp(&v, &u, &n, &mut ctx).expect("exp");
                let mut base = BigNum::new().expect("bn");
                base.mod_mul(&big_a, &vu, &n, &mut ctx).expect("mul");
                let mut s = BigNum::new().expect("bn");
                s.mod_exp(&base, &b, &n, &mut ctx).expect("exp");
                for _ in 0..2 {
                    let mut signer = Signer::new(MessageDigest::sha256(), &key).expect("signer");
                    signer.update(&message).expect("update");
                    std::hint::black_box(signer.sign_to_vec().expect("sign"));
                }
                s
            })
        });
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut f = Fixture::in_memory();
    c.benchmark_group("signin")
        .bench_function("facade", |bench| {
            bench.iter_custom(|iterations| (0..iterations).map(|_| f.sign_in()).sum())
        });
    let mut h = http_fixture(&f);
    c.benchmark_group("signin").bench_function("http", |bench| {
        bench.iter_custom(|iterations| (0..iterations).map(|_| http_sign_in(&mut h)).sum())
    });
    c.benchmark_group("signin")
        .bench_function("http-round-trip", |bench| {
            bench.iter(|| post(&h, "NoSuchAction", serde_json::json!({})))
        });
    let mut core = core();
    c.benchmark_group("signin").bench_function("core", |bench| {
        bench.iter_custom(|iterations| (0..iterations).map(|_| core_sign_in(&mut core)).sum())
    });
    #[cfg(feature = "openssl-reference")]
    openssl_reference(&mut c);
    c.final_summary();

    println!("\nUSER_SRP_AUTH sign-in, server time (criterion medians, same run)");
    let facade = median_ns("signin", "facade");
    let core = median_ns("signin", "core");
    let openssl = median_ns("signin", "openssl");
    let http = median_ns("signin", "http");
    for (name, value) in [
        ("facade", facade),
        ("http (userpool-http)", http),
        ("core (SRP + 2×RS256)", core),
        ("openssl reference", openssl),
    ] {
        if let Some(v) = value {
            println!(
                "{name:<24} {:>12}  ({:.0} sign-ins/s/core)",
                human(v),
                1e9 / v
            );
        }
    }
    if let (Some(f), Some(c)) = (facade, core) {
        println!(
            "outside SRP and signing: {} ({:.1}% of the facade)",
            human(f - c),
            (f - c) / f * 100.0
        );
    }
    if let (Some(f), Some(h)) = (facade, http) {
        println!("http rate / facade rate: {:.0}%", f / h * 100.0);
    }
    if let (Some(f), Some(o)) = (facade, openssl) {
        println!("facade / openssl reference: {}", ratio(f, o));
    }
}
