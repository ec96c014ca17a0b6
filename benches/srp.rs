//! SRP hot path: ours vs the `srp` 0.6 crate vs plain `num-bigint` vs OpenSSL's `BN_mod_exp`
//! (with `--features openssl-reference`), all on the 3072-bit group with 256-bit ephemerals.
//!
//! ```sh
//! cargo bench -p userpool-benches --bench srp                                  # ours, srp 0.6, num-bigint
//! cargo bench -p userpool-benches --bench srp --features openssl-reference     # + OpenSSL
//! ```
//!
//! Steps: `server_step1` (check A, pick b, B = k·v + g^b), `server_step2` (u, S = (A·v^u)^b,
//! HKDF, signature check), `server_whole` (both), `client_step` (a, A, x, S, signature) and
//! `verifier` (x and v = g^x). The references do the same exponentiations with the same
//! exponent sizes; hashing is included where it is cheap to replicate.

use std::hint::black_box;

use criterion::Criterion;
use num_bigint::BigUint;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use srp::{
    ClaimIdentity, ClientHandshake, Password, PasswordClaim, PasswordVerifierChallenge,
    ServerHandshake,
};
use time::{Duration, macros::datetime};
use userpool_benches::{criterion_dir, print_table};

const POOL: &str = "AbCdEf123";
const USER: &str = "alice";
const BLOCK: &str =
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw==";
const GROUPS: [&str; 5] = [
    "server_step1",
    "server_step2",
    "server_whole",
    "client_step",
    "verifier",
];

/// Everything a sign-in needs, fixed for the whole run.
struct Fixture {
    password: Password,
    salt: srp::Salt,
    verifier: srp::Verifier,
    srp_a: String,
    state: Vec<u8>,
    timestamp: String,
    signature: String,
    /// Raw values for the references (big-endian).
    v: Vec<u8>,
    a_pub: Vec<u8>,
    b_pub: Vec<u8>,
    a: [u8; 32],
    b: [u8; 32],
}

fn fixture() -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let password = Password::new("correct horse battery staple");
    let (salt, verifier) = srp::generate_verifier(POOL, USER, &password, &mut rng);
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    rng.fill_bytes(&mut a);
    rng.fill_bytes(&mut b);
    let client = ClientHandshake::from_ephemeral_secret(&a).expect("client");
    let srp_a = client.srp_a();
    let server = ServerHandshake::from_ephemeral_secret(&verifier, &srp_a, &b).expect("server");
    let timestamp = srp::format_timestamp(datetime!(2026-11-03 09:05:07 UTC));
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &server.srp_b(),
        secret_block: BLOCK,
    };
    let b_pub = hex(&server.srp_b());
    let signature = client
        .respond(
            &ClaimIdentity::user(POOL, USER),
            &password,
            &challenge,
            &timestamp,
        )
        .expect("respond");
    Fixture {
        v: verifier.to_bytes().to_vec(),
        a_pub: hex(&srp_a),
        b_pub,
        state: server.to_bytes().expose_secret().to_vec(),
        password,
        salt,
        verifier,
        srp_a,
        timestamp,
        signature,
        a,
        b,
    }
}

fn hex(s: &str) -> Vec<u8> {
    let s = if s.len() % 2 == 1 {
        format!("0{s}")
    } else {
        s.to_owned()
    };
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn ours(c: &mut Criterion, f: &Fixture) {
    let identity = ClaimIdentity::user(POOL, USER);
    let claim = PasswordClaim {
        secret_block: BLOCK,
        signature: &f.signature,
        timestamp: &f.timestamp,
    };
    let now = datetime!(2026-11-03 09:05:07 UTC);
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    c.benchmark_group("server_step1")
        .bench_function("userpool", |bench| {
            bench.iter(|| {
                ServerHandshake::start(black_box(&f.verifier), black_box(&f.srp_a), &mut rng)
                    .expect("start")
            })
        });
    c.benchmark_group("server_step2")
        .bench_function("userpool", |bench| {
            bench.iter_batched(
                || ServerHandshake::from_bytes(&f.state).expect("state"),
                |server| {
                    server
                        .verify(&f.verifier, &identity, &claim, now, Duration::minutes(5))
                        .expect("verify")
                },
                criterion::BatchSize::SmallInput,
            )
        });
    // The same step with a verifier stored without its powers (made before they existed, or
    // read from the wire): the generic exponentiation for v^u.
    let plain = srp::Verifier::from_bytes(&f.verifier.to_bytes()).expect("verifier");
    c.benchmark_group("server_step2")
        .bench_function("userpool-without-powers", |bench| {
            bench.iter_batched(
                || ServerHandshake::from_bytes(&f.state).expect("state"),
                |server| {
                    server
                        .verify(&plain, &identity, &claim, now, Duration::minutes(5))
                        .expect("verify")
                },
                criterion::BatchSize::SmallInput,
            )
        });
    c.benchmark_group("server_whole")
        .bench_function("userpool", |bench| {
            bench.iter(|| {
                let server =
                    ServerHandshake::from_ephemeral_secret(&f.verifier, black_box(&f.srp_a), &f.b)
                        .expect("start");
                server
                    .verify(&f.verifier, &identity, &claim, now, Duration::minutes(5))
                    .expect("verify")
            })
        });
    let salt_hex = f.salt.to_wire_hex();
    let srp_b = srp::pad_hex::to_plain_hex(&f.b_pub);
    c.benchmark_group("client_step")
        .bench_function("userpool", |bench| {
            bench.iter(|| {
                let client =
                    ClientHandshake::from_ephemeral_secret(black_box(&f.a)).expect("client");
                let challenge = PasswordVerifierChallenge {
                    salt: &salt_hex,
                    srp_b: &srp_b,
                    secret_block: BLOCK,
                };
                client
                    .respond(&identity, &f.password, &challenge, &f.timestamp)
                    .expect("respond")
            })
        });
    c.benchmark_group("verifier")
        .bench_function("userpool", |bench| {
            bench.iter(|| srp::compute_verifier(POOL, USER, black_box(&f.password), &f.salt))
        });
    c.benchmark_group("verifier")
        .bench_function("userpool-with-powers", |bench| {
            bench.iter(|| {
                srp::compute_verifier(POOL, USER, black_box(&f.password), &f.salt).with_powers()
            })
        });
}

fn srp06(c: &mut Criterion, f: &Fixture) {
    use sha2_010::Sha256;
    use srp06::client::SrpClient;
    use srp06::groups::G_3072;
    use srp06::server::SrpServer;
    let server = SrpServer::<Sha256>::new(&G_3072);
    let client = SrpClient::<Sha256>::new(&G_3072);
    let pw = f.password.expose_secret().as_bytes();
    c.benchmark_group("server_step1")
        .bench_function("srp-0.6", |bench| {
            bench.iter(|| server.compute_public_ephemeral(black_box(&f.b), &f.v))
        });
    c.benchmark_group("server_step2")
        .bench_function("srp-0.6", |bench| {
            bench.iter(|| {
                server
                    .process_reply(black_box(&f.b), &f.v, &f.a_pub)
                    .expect("reply")
            })
        });
    c.benchmark_group("server_whole")
        .bench_function("srp-0.6", |bench| {
            bench.iter(|| {
                let _ = server.compute_public_ephemeral(black_box(&f.b), &f.v);
                server.process_reply(&f.b, &f.v, &f.a_pub).expect("reply")
            })
        });
    c.benchmark_group("client_step")
        .bench_function("srp-0.6", |bench| {
            bench.iter(|| {
                let _ = client.compute_public_ephemeral(black_box(&f.a));
                client
                    .process_reply(&f.a, USER.as_bytes(), pw, f.salt.as_bytes(), &f.b_pub)
                    .expect("reply")
            })
        });
    c.benchmark_group("verifier")
        .bench_function("srp-0.6", |bench| {
            bench
                .iter(|| client.compute_verifier(USER.as_bytes(), black_box(pw), f.salt.as_bytes()))
        });
}

/// The server step with plain `num-bigint` (variable-time `modpow`), the user's big-integer crate.
fn num_bigint_reference(c: &mut Criterion, f: &Fixture) {
    let n = BigUint::parse_bytes(srp::N_HEX.as_bytes(), 16).expect("N");
    let g = BigUint::from(2u32);
    let k = BigUint::from_bytes_be(&srp::k().to_be_bytes());
    let (v, a_pub, b) = (
        BigUint::from_bytes_be(&f.v),
        BigUint::from_bytes_be(&f.a_pub),
        BigUint::from_bytes_be(&f.b),
    );
    let u = BigUint::from_bytes_be(&u_hash(&f.a_pub, &f.b_pub));
    c.benchmark_group("server_step1")
        .bench_function("num-bigint", |bench| {
            bench.iter(|| (&k * &v + g.modpow(black_box(&b), &n)) % &n)
        });
    c.benchmark_group("server_step2")
        .bench_function("num-bigint", |bench| {
            bench.iter(|| (&a_pub * v.modpow(&u, &n) % &n).modpow(black_box(&b), &n))
        });
    c.benchmark_group("server_whole")
        .bench_function("num-bigint", |bench| {
            bench.iter(|| {
                let big_b = (&k * &v + g.modpow(black_box(&b), &n)) % &n;
                let u = BigUint::from_bytes_be(&u_hash(&f.a_pub, &big_b.to_bytes_be()));
                (&a_pub * v.modpow(&u, &n) % &n).modpow(&b, &n)
            })
        });
}

fn u_hash(a: &[u8], b: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(srp::pad_hex(a));
    h.update(srp::pad_hex(b));
    h.finalize().to_vec()
}

#[cfg(feature = "openssl-reference")]
fn openssl_reference(c: &mut Criterion, f: &Fixture) {
    use openssl::bn::{BigNum, BigNumContext};
    let bn = |bytes: &[u8]| BigNum::from_slice(bytes).expect("bn");
    let n = BigNum::from_hex_str(srp::N_HEX).expect("N");
    let g = BigNum::from_u32(2).expect("g");
    let k = bn(&srp::k().to_be_bytes());
    let (v, a_pub, b, a) = (bn(&f.v), bn(&f.a_pub), bn(&f.b), bn(&f.a));
    let mut ctx = BigNumContext::new().expect("ctx");
    let step1 = |ctx: &mut BigNumContext| {
        let mut gb = BigNum::new().expect("bn");
        gb.mod_exp(&g, &b, &n, ctx).expect("exp");
        let mut kv = BigNum::new().expect("bn");
        kv.mod_mul(&k, &v, &n, ctx).expect("mul");
        let mut big_b = BigNum::new().expect("bn");
        big_b.mod_add(&kv, &gb, &n, ctx).expect("add");
        big_b
    };
    let step2 = |big_b: &BigNum, ctx: &mut BigNumContext| {
        let u = bn(&u_hash(&f.a_pub, &big_b.to_vec()));
        let mut vu = BigNum::new().expect("bn");
        vu.mod_exp(&v, &u, &n, ctx).expect("exp");
        let mut base = BigNum::new().expect("bn");
        base.mod_mul(&a_pub, &vu, &n, ctx).expect("mul");
        let mut s = BigNum::new().expect("bn");
        s.mod_exp(&base, &b, &n, ctx).expect("exp");
        s
    };
    let big_b = step1(&mut ctx);
    c.benchmark_group("server_step1")
        .bench_function("openssl", |bench| bench.iter(|| step1(&mut ctx)));
    c.benchmark_group("server_step2")
        .bench_function("openssl", |bench| {
            bench.iter(|| step2(black_box(&big_b), &mut ctx))
        });
    c.benchmark_group("server_whole")
        .bench_function("openssl", |bench| {
            bench.iter(|| {
                let big_b = step1(&mut ctx);
                step2(&big_b, &mut ctx)
            })
        });
    let x_of = || {
        // Same x as ours (salt ‖ H(pool ‖ user ‖ ":" ‖ password)); hashing cost included.
        use sha2::Digest as _;
        let inner = sha2::Sha256::digest(format!("{POOL}{USER}:{}", f.password.expose_secret()));
        let mut outer = sha2::Sha256::new();
        outer.update(f.salt.as_bytes());
        outer.update(inner);
        bn(&outer.finalize())
    };
    c.benchmark_group("client_step")
        .bench_function("openssl", |bench| {
            bench.iter(|| {
                let mut big_a = BigNum::new().expect("bn");
                big_a.mod_exp(&g, black_box(&a), &n, &mut ctx).expect("exp");
                let u = bn(&u_hash(&big_a.to_vec(), &big_b.to_vec()));
                let x = x_of();
                let mut gx = BigNum::new().expect("bn");
                gx.mod_exp(&g, &x, &n, &mut ctx).expect("exp");
                let mut kgx = BigNum::new().expect("bn");
                kgx.mod_mul(&k, &gx, &n, &mut ctx).expect("mul");
                let mut base = BigNum::new().expect("bn");
                base.mod_sub(&big_b, &kgx, &n, &mut ctx).expect("sub");
                let mut ux = BigNum::new().expect("bn");
                ux.checked_mul(&u, &x, &mut ctx).expect("mul");
                let mut e = BigNum::new().expect("bn");
                e.checked_add(&a, &ux).expect("add");
                let mut s = BigNum::new().expect("bn");
                s.mod_exp(&base, &e, &n, &mut ctx).expect("exp");
                s
            })
        });
    c.benchmark_group("verifier")
        .bench_function("openssl", |bench| {
            bench.iter(|| {
                let mut vx = BigNum::new().expect("bn");
                vx.mod_exp(&g, &x_of(), &n, &mut ctx).expect("exp");
                vx
            })
        });
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4))
        .configure_from_args();
    let f = fixture();
    ours(&mut c, &f);
    srp06(&mut c, &f);
    num_bigint_reference(&mut c, &f);
    #[cfg(feature = "openssl-reference")]
    openssl_reference(&mut c, &f);
    c.final_summary();
    print_table(
        "SRP, 3072-bit group, 256-bit ephemerals",
        &GROUPS,
        "userpool",
        &["openssl", "srp-0.6", "num-bigint"],
    );
}
