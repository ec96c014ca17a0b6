//! Password hashes imported from another system (a CSV import's `password_hash` column):
//! checked at import, against caps that keep one sign-in's work bounded, and verified once,
//! at the user's first sign-in with a password, by the RustCrypto `password-hash` family
//! (`argon2`, `scrypt`, `pbkdf2`) and the `bcrypt` crate, each of which compares the
//! computed hash with the stored one in constant time.
//!
//! Accepted formats:
//!
//! | algorithm | format | refused above |
//! | --- | --- | --- |
//! | Argon2id (also Argon2i, Argon2d) | `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (PHC) | [`MAX_ARGON2_MEMORY_KIB`], [`MAX_ARGON2_ITERATIONS`], [`MAX_ARGON2_LANES`] |
//! | bcrypt | `$2a$` / `$2b$` / `$2x$` / `$2y$` + cost + 53 characters | [`MAX_BCRYPT_COST`] |
//! | scrypt | `$scrypt$ln=…,r=…,p=…$salt$hash` (PHC) | [`MAX_SCRYPT_LOG_N`], [`MAX_SCRYPT_R`], [`MAX_SCRYPT_P`] |
//! | PBKDF2-HMAC-SHA256 | `$pbkdf2-sha256$i=…,l=…$salt$hash` (PHC) | [`MAX_PBKDF2_ROUNDS`] |

use std::str::FromStr as _;

use password_hash::PasswordVerifier as _;
use password_hash::phc::PasswordHash;

/// Most memory an imported Argon2 hash may ask for, in KiB (128 MiB).
pub const MAX_ARGON2_MEMORY_KIB: u32 = 131_072;
/// Most Argon2 passes (`t`).
pub const MAX_ARGON2_ITERATIONS: u32 = 10;
/// Most Argon2 lanes (`p`).
pub const MAX_ARGON2_LANES: u32 = 16;
/// Highest bcrypt cost (2^14 rounds, about a second on one core).
pub const MAX_BCRYPT_COST: u32 = 14;
/// Highest scrypt `ln` (N = 2^17, 128 MiB with r = 8).
pub const MAX_SCRYPT_LOG_N: u8 = 17;
/// Highest scrypt block size `r`.
pub const MAX_SCRYPT_R: u32 = 16;
/// Highest scrypt parallelism `p`.
pub const MAX_SCRYPT_P: u32 = 4;
/// Most scrypt memory (128 · N · r bytes): 256 MiB.
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 256 * 1024 * 1024;
/// Most PBKDF2 rounds (`i`).
pub const MAX_PBKDF2_ROUNDS: u32 = 2_000_000;
/// Longest hash string accepted.
pub const MAX_HASH_LEN: usize = 512;

/// The message of a hash in no accepted format.
const UNSUPPORTED: &str = "password_hash must be an argon2id, bcrypt, scrypt or pbkdf2-sha256 hash in PHC format ($2b$ for bcrypt).";

/// An imported hash whose format and costs were checked.
enum Checked {
    Argon2(PasswordHash),
    Bcrypt,
    Scrypt(PasswordHash),
    Pbkdf2(PasswordHash),
}

fn parse(text: &str) -> Result<Checked, String> {
    if text.len() > MAX_HASH_LEN {
        return Err(format!(
            "password_hash is longer than {MAX_HASH_LEN} characters."
        ));
    }
    if text.starts_with("$2") {
        let parts = bcrypt::HashParts::from_str(text).map_err(|_| UNSUPPORTED.to_owned())?;
        if parts.get_cost() > MAX_BCRYPT_COST {
            return Err(format!(
                "password_hash: bcrypt cost {} is above the limit of {MAX_BCRYPT_COST}.",
                parts.get_cost()
            ));
        }
        return Ok(Checked::Bcrypt);
    }
    let hash = PasswordHash::new(text).map_err(|_| UNSUPPORTED.to_owned())?;
    if hash.salt.is_none() || hash.hash.is_none() {
        return Err(UNSUPPORTED.to_owned());
    }
    match hash.algorithm.as_str() {
        "argon2id" | "argon2i" | "argon2d" => {
            let params = argon2::Params::try_from(&hash).map_err(|_| UNSUPPORTED.to_owned())?;
            for (name, value, cap) in [
                ("memory m", params.m_cost(), MAX_ARGON2_MEMORY_KIB),
                ("passes t", params.t_cost(), MAX_ARGON2_ITERATIONS),
                ("lanes p", params.p_cost(), MAX_ARGON2_LANES),
            ] {
                if value > cap {
                    return Err(format!(
                        "password_hash: argon2 {name}={value} is above the limit of {cap}."
                    ));
                }
            }
            Ok(Checked::Argon2(hash))
        }
        "scrypt" => {
            let params = scrypt::Params::try_from(&hash).map_err(|_| UNSUPPORTED.to_owned())?;
            for (name, value, cap) in [
                ("ln", u32::from(params.log_n()), u32::from(MAX_SCRYPT_LOG_N)),
                ("r", params.r(), MAX_SCRYPT_R),
                ("p", params.p(), MAX_SCRYPT_P),
            ] {
                if value > cap {
                    return Err(format!(
                        "password_hash: scrypt {name}={value} is above the limit of {cap}."
                    ));
                }
            }
            let memory = 128u64
                .saturating_mul(params.n())
                .saturating_mul(u64::from(params.r()));
            if memory > MAX_SCRYPT_MEMORY_BYTES {
                return Err(format!(
                    "password_hash: scrypt needs {memory} bytes, above the limit of {MAX_SCRYPT_MEMORY_BYTES}."
                ));
            }
            Ok(Checked::Scrypt(hash))
        }
        "pbkdf2-sha256" => {
            let params = pbkdf2::Params::try_from(&hash).map_err(|_| UNSUPPORTED.to_owned())?;
            if params.rounds() > MAX_PBKDF2_ROUNDS {
                return Err(format!(
                    "password_hash: pbkdf2 rounds i={} is above the limit of {MAX_PBKDF2_ROUNDS}.",
                    params.rounds()
                ));
            }
            Ok(Checked::Pbkdf2(hash))
        }
        _ => Err(UNSUPPORTED.to_owned()),
    }
}

/// Checks an imported hash's format and costs; the message is the row's error.
pub(crate) fn check(text: &str) -> Result<(), String> {
    parse(text).map(drop)
}

/// Whether `password` matches the imported hash `text` (one that [`check`] accepted; any
/// other never matches). CPU-bound: run it off the async threads.
pub(crate) fn verify(text: &str, password: &str) -> bool {
    let password = password.as_bytes();
    match parse(text) {
        Ok(Checked::Argon2(hash)) => argon2::Argon2::default()
            .verify_password(password, &hash)
            .is_ok(),
        Ok(Checked::Bcrypt) => bcrypt::verify(password, text).unwrap_or(false),
        Ok(Checked::Scrypt(hash)) => scrypt::Scrypt::new()
            .verify_password(password, &hash)
            .is_ok(),
        Ok(Checked::Pbkdf2(hash)) => pbkdf2::Pbkdf2::SHA256
            .verify_password(password, &hash)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
#[path = "imported_hash_tests.rs"]
mod tests;
