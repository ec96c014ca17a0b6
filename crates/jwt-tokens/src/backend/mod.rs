//! Signature backends: pure Rust (`rsa` + `p256`, the default) and aws-lc-rs (`aws-lc` feature).
//!
//! **Which one to run in production.** With the `aws-lc` feature, [`default_backend`] is
//! aws-lc-rs: constant-time, FIPS-derived code, and about 3× faster RS256 signing (a sign-in
//! signs two tokens). The pure-Rust backend is also constant-time for private-key operations
//! (`rsa` 0.10 computes on `crypto-bigint`; `p256` signs with RFC 6979 nonces), needs no C
//! compiler, and is the default without the feature. Both pass the same Wycheproof vectors.
//! Avoid `rsa` 0.9 for signing: its private-key operations are not constant-time.

#[cfg(feature = "aws-lc")]
mod aws_lc;
mod rust_crypto;

use core::fmt;

use crate::algorithm::Algorithm;
use crate::error::Result;
use crate::key::PublicKey;

#[cfg(feature = "aws-lc")]
pub use aws_lc::AwsLc;
pub use rust_crypto::RustCrypto;

/// A private key prepared for signing.
pub trait Sign: Send + Sync {
    /// Signs `message`: RS256 gives `k` bytes, ES256 gives `r ‖ s` (64 bytes).
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// A public key prepared for verification.
pub trait Verify: Send + Sync {
    /// Verifies `signature` over `message`; every failure is [`Error::InvalidSignature`](crate::Error::InvalidSignature).
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()>;
}

/// A signature implementation: prepares keys once, then signs and verifies with them.
pub trait Backend: Send + Sync + fmt::Debug {
    /// A short name for reports (`rust-crypto`, `aws-lc`).
    fn name(&self) -> &'static str;
    /// Prepares a PKCS#8 private key for `alg`.
    fn signer(&self, alg: Algorithm, pkcs8_der: &[u8]) -> Result<Box<dyn Sign>>;
    /// Prepares a public key.
    fn verifier(&self, key: &PublicKey) -> Result<Box<dyn Verify>>;
}

/// The backend used when none is named: aws-lc-rs with the `aws-lc` feature, else pure Rust.
pub fn default_backend() -> &'static dyn Backend {
    #[cfg(feature = "aws-lc")]
    {
        &AwsLc
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        &RustCrypto
    }
}
