//! A full Cognito SRP sign-in between this project's client and server, step by step.
//!
//! ```sh
//! cargo run --release --example srp-sign-in
//! ```
//!
//! Prints public wire values only (shortened); the password, `b`, `a`, `S` and the derived key
//! never leave the `srp` crate's secret types.

use std::time::Instant;

use srp::time::{Duration, OffsetDateTime};
use srp::{
    ClaimIdentity, ClientHandshake, Password, PasswordClaim, PasswordVerifierChallenge,
    ServerHandshake,
};

fn short(s: &str) -> String {
    if s.len() <= 24 {
        s.to_owned()
    } else {
        format!("{}…{} ({} chars)", &s[..10], &s[s.len() - 10..], s.len())
    }
}

fn main() -> Result<(), srp::Error> {
    let mut rng = rand::rng();
    let pool_id = "us-east-1_AbCdEf123";
    let pool = srp::pool_name(pool_id);
    let user = "alice";
    let password = Password::new("correct horse battery staple");

    println!("userpool SRP sign-in, pool {pool_id} (pool name {pool}), user {user}\n");

    let t = Instant::now();
    let (salt, verifier) = srp::generate_verifier(pool, user, &password, &mut rng);
    println!(
        "1. SignUp        server stores SALT {} and a verifier (never the password)   [{:?}]",
        salt.to_wire_hex(),
        t.elapsed()
    );

    let t = Instant::now();
    let client = ClientHandshake::start(&mut rng)?;
    let srp_a = client.srp_a();
    println!(
        "2. InitiateAuth  client → AuthFlow USER_SRP_AUTH, SRP_A {}   [{:?}]",
        short(&srp_a),
        t.elapsed()
    );

    let t = Instant::now();
    let server = ServerHandshake::start(&verifier, &srp_a, &mut rng)?;
    let srp_b = server.srp_b();
    let secret_block = "c2VhbGVkIHNlcnZlciBzdGF0ZSBnb2VzIGhlcmUgaW4gdGhlIHJlYWwgc2VydmljZQ==";
    println!(
        "3. Challenge     server → PASSWORD_VERIFIER: SALT {}, SRP_B {}, SECRET_BLOCK {}, USER_ID_FOR_SRP {user}   [{:?}]",
        salt.to_wire_hex(),
        short(&srp_b),
        short(secret_block),
        t.elapsed()
    );

    let t = Instant::now();
    let now = OffsetDateTime::now_utc();
    let timestamp = srp::format_timestamp(now);
    let identity = ClaimIdentity::user(pool, user);
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &srp_b,
        secret_block,
    };
    let signature = client.respond(&identity, &password, &challenge, &timestamp)?;
    println!(
        "4. Respond       client → TIMESTAMP \"{timestamp}\", PASSWORD_CLAIM_SIGNATURE ({} chars)   [{:?}]",
        signature.len(),
        t.elapsed()
    );

    let t = Instant::now();
    let claim = PasswordClaim {
        secret_block,
        signature: &signature,
        timestamp: &timestamp,
    };
    server.verify(&verifier, &identity, &claim, now, Duration::minutes(5))?;
    println!(
        "5. Verify        server: signature valid, timestamp within 5 min → sign-in succeeds   [{:?}]",
        t.elapsed()
    );

    let wrong = Password::new("correct horse battery stapler");
    let client = ClientHandshake::start(&mut rng)?;
    let server = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng)?;
    let challenge = PasswordVerifierChallenge {
        salt: &salt.to_wire_hex(),
        srp_b: &server.srp_b(),
        secret_block,
    };
    let signature = client.respond(&identity, &wrong, &challenge, &timestamp)?;
    let claim = PasswordClaim {
        secret_block,
        signature: &signature,
        timestamp: &timestamp,
    };
    match server.verify(&verifier, &identity, &claim, now, Duration::minutes(5)) {
        Err(e) => println!("6. Wrong password → rejected: {e} (Cognito: NotAuthorizedException)"),
        Ok(_) => println!("6. Wrong password → ACCEPTED (this is a bug)"),
    }
    Ok(())
}
