//! Amazon Cognito's SRP-6a, byte for byte, sans-IO and constant-time.
//!
//! Cognito signs users in with SRP-6a over the RFC 5054 3072-bit group, but with its own
//! integer encoding (`padHex`), its own key derivation (one HKDF block, info
//! `Caldera Derived Key`) and its own proof (`PASSWORD_CLAIM_SIGNATURE`, an HMAC over the pool
//! name, the user, the server's `SECRET_BLOCK` and a `TIMESTAMP`). This crate implements both
//! sides so that amazon-cognito-identity-js, Amplify and pycognito accept it unchanged.
//!
//! * No clock, no global RNG, no I/O: `now` and the RNG are parameters.
//! * Every exponentiation with a secret exponent (`b`, `a`, `x`) is constant-time.
//! * Secrets are newtypes that zeroize on drop and print as `<redacted>`.
//!
//! # A sign-in, both sides
//!
//! ```
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//! use cognito_srp6a::{ClaimIdentity, ClientHandshake, PasswordClaim, PasswordVerifierChallenge, Password, ServerHandshake};
//! use time::{Duration, macros::datetime};
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(7);
//! let pool = cognito_srp6a::pool_name("us-east-1_AbCdEf123");
//! let password = Password::new("Passw0rd!");
//!
//! // SignUp: the server stores a salt and a verifier, never the password.
//! let (salt, verifier) = cognito_srp6a::generate_verifier(pool, "alice", &password, &mut rng);
//!
//! // InitiateAuth(USER_SRP_AUTH): the client sends SRP_A, the server answers with SRP_B.
//! let client = ClientHandshake::start(&mut rng)?;
//! let server = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng)?;
//! let secret_block = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
//!
//! // RespondToAuthChallenge(PASSWORD_VERIFIER): the client signs, the server verifies.
//! let now = datetime!(2026-11-03 09:05:07 UTC);
//! let timestamp = cognito_srp6a::format_timestamp(now);
//! let identity = ClaimIdentity::user(pool, "alice");
//! let challenge = PasswordVerifierChallenge { salt: &salt.to_wire_hex(), srp_b: &server.srp_b(), secret_block };
//! let signature = client.respond(&identity, &password, &challenge, &timestamp)?;
//! let claim = PasswordClaim { secret_block, signature: &signature, timestamp: &timestamp };
//! server.verify(&verifier, &identity, &claim, now, Duration::minutes(5))?;
//! # Ok::<(), cognito_srp6a::Error>(())
//! ```
//!
//! Remembered devices use the same handshake with [`ClaimIdentity::device`]; see [`device`].

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod claim;
mod client;
pub mod device;
mod error;
#[cfg(fuzzing)]
pub mod fuzzing;
mod group;
mod modexp;
pub mod pad_hex;
mod public_value;
mod secret;
mod server;
mod timestamp;
mod uint;
mod verifier;

pub use claim::{MAX_SECRET_BLOCK_LEN, MAX_SIGNATURE_LEN, decode_secret_block};
pub use client::{CLIENT_EPHEMERAL_SECRET_BYTES, ClientHandshake, PasswordVerifierChallenge};
pub use device::{DeviceSecretVerifierConfig, generate_device_secret};
pub use error::{Error, Result, WireValue};
pub use group::{G, N_HEX, k};
pub use pad_hex::pad_hex;
pub use public_value::MAX_PUBLIC_VALUE_HEX_LEN;
pub use secret::{Password, SecretBytes};
pub use server::{
    ClaimIdentity, ClaimVerified, EPHEMERAL_SECRET_BYTES, PasswordClaim, ServerHandshake,
};
pub use timestamp::{MAX_TIMESTAMP_LEN, check_timestamp, format_timestamp, parse_timestamp};
pub use verifier::{
    MAX_SALT_HEX_LEN, SALT_BYTES, Salt, Verifier, compute_verifier, generate_verifier, pool_name,
    verify_password,
};

/// Re-exported so embedders name the same `time` types this crate takes.
pub use time;
