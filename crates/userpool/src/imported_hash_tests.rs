//! Tests of imported password hashes: each algorithm verifies, caps refuse, junk never
//! matches.

use password_hash::{CustomizedPasswordHasher as _, PasswordHasher as _};

use super::*;

const SALT: &[u8] = b"0123456789abcdef";

fn argon2(m: u32, t: u32, p: u32, password: &str) -> String {
    let params = argon2::Params::new(m, t, p, None).expect("params");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(password.as_bytes(), SALT)
        .expect("hash")
        .to_string()
}

fn bcrypt(cost: u32, password: &str) -> String {
    bcrypt::hash_with_salt(password, cost, [7; 16])
        .expect("hash")
        .format_for_version(bcrypt::Version::TwoB)
}

fn scrypt(log_n: u8, r: u32, p: u32, password: &str) -> String {
    let params = scrypt::Params::new(log_n, r, p).expect("params");
    scrypt::Scrypt::new()
        .hash_password_with_params(password.as_bytes(), SALT, params)
        .expect("hash")
        .to_string()
}

fn pbkdf2(rounds: u32, password: &str) -> String {
    let params = pbkdf2::Params::new(rounds).expect("params");
    pbkdf2::Pbkdf2::SHA256
        .hash_password_with_params(password.as_bytes(), SALT, params)
        .expect("hash")
        .to_string()
}

#[test]
fn each_algorithm_verifies_its_password_only() {
    for hash in [
        argon2(64, 1, 1, "Passw0rd!"),
        bcrypt(4, "Passw0rd!"),
        scrypt(4, 8, 1, "Passw0rd!"),
        pbkdf2(1000, "Passw0rd!"),
    ] {
        assert_eq!(check(&hash), Ok(()), "{hash}");
        assert!(verify(&hash, "Passw0rd!"), "{hash}");
        assert!(!verify(&hash, "Passw0rd?"), "{hash}");
        assert!(!verify(&hash, ""), "{hash}");
    }
    assert!(argon2(64, 1, 1, "x").starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
    assert!(bcrypt(4, "x").starts_with("$2b$04$"));
    assert!(scrypt(4, 8, 1, "x").starts_with("$scrypt$ln=4,r=8,p=1$"));
    assert!(pbkdf2(1000, "x").starts_with("$pbkdf2-sha256$i=1000,l=32$"));
}

#[test]
fn absurd_costs_are_refused_with_the_limit() {
    // Strings with the costs edited in: refused before any hashing.
    let argon = argon2(64, 1, 1, "x");
    let cases = [
        (
            argon.replace("m=64", "m=4194304"),
            "password_hash: argon2 memory m=4194304 is above the limit of 131072.",
        ),
        (
            argon.replace("t=1", "t=1000"),
            "password_hash: argon2 passes t=1000 is above the limit of 10.",
        ),
        (
            argon.replace("m=64", "m=1024").replace("p=1", "p=64"),
            "password_hash: argon2 lanes p=64 is above the limit of 16.",
        ),
        (
            bcrypt(4, "x").replacen("$04$", "$31$", 1),
            "password_hash: bcrypt cost 31 is above the limit of 14.",
        ),
        (
            scrypt(4, 8, 1, "x").replace("ln=4", "ln=30"),
            "password_hash: scrypt ln=30 is above the limit of 17.",
        ),
        (
            scrypt(4, 8, 1, "x")
                .replace("r=8", "r=16")
                .replace("ln=4", "ln=16")
                .replace("p=1", "p=2"),
            "",
        ),
        (
            pbkdf2(1000, "x").replace("i=1000", "i=100000000"),
            "password_hash: pbkdf2 rounds i=100000000 is above the limit of 2000000.",
        ),
    ];
    for (hash, message) in &cases[..5] {
        assert_eq!(check(hash), Err((*message).to_owned()), "{hash}");
        assert!(!verify(hash, "x"));
    }
    // ln=16, r=16: 128 · 2^16 · 16 = 128 MiB, within the limit.
    assert_eq!(check(&cases[5].0), Ok(()));
    let big = scrypt(4, 8, 1, "x")
        .replace("r=8", "r=16")
        .replace("ln=4", "ln=17");
    assert_eq!(check(&big), Ok(()), "exactly 256 MiB is allowed");
    assert_eq!(check(&cases[6].0), Err(cases[6].1.to_owned()));
}

#[test]
fn other_formats_are_refused() {
    for junk in [
        "",
        "plaintext",
        "$argon2id$v=19$m=64,t=1,p=1",
        "$md5$abc$def",
        "$pbkdf2-sha512$i=1000,l=64$MDEyMzQ1Njc4OWFiY2RlZg$AAAA",
        "$2b$04$short",
        "{SSHA}abc",
    ] {
        assert_eq!(check(junk), Err(UNSUPPORTED.to_owned()), "{junk}");
        assert!(!verify(junk, ""));
    }
    assert_eq!(
        check(&"$".repeat(600)),
        Err("password_hash is longer than 512 characters.".to_owned())
    );
}
