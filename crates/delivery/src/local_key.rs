//! Custom sender codes encrypted under a key the operator shares with the handler
//! (AES-256-GCM), for deployments without KMS.
//!
//! # The format (version 1)
//!
//! `request.code` = standard base64 (RFC 4648 §4, with `=` padding) of
//!
//! | bytes | content |
//! |---|---|
//! | 1 | `0x01`, the format version |
//! | 12 | the nonce, random per code |
//! | rest | AES-256-GCM ciphertext of the code's UTF-8 bytes, then the 16-byte tag |
//!
//! The associated data is the pool id's UTF-8 bytes (`event.userPoolId`), so a code cannot
//! be replayed into another pool's handler. The key is 32 bytes; operators pass it around as
//! base64 ([`LocalKeyEncryptor::from_base64`]).
//!
//! Decrypting in Python (`pip install cryptography`), as `handlers/decrypt_code.py` does:
//!
//! ```python
//! import base64
//! from cryptography.hazmat.primitives.ciphers.aead import AESGCM
//!
//! def decrypt_code(code: str, key: bytes, user_pool_id: str) -> str:
//!     blob = base64.b64decode(code)
//!     if blob[0] != 1:
//!         raise ValueError("unknown code format")
//!     return AESGCM(key).decrypt(blob[1:13], blob[13:], user_pool_id.encode()).decode()
//! ```
//!
//! In Node.js (`handlers/decrypt_code.mjs`):
//!
//! ```js
//! import { createDecipheriv } from "node:crypto";
//! export function decryptCode(code, key, userPoolId) {
//!   const blob = Buffer.from(code, "base64");
//!   if (blob[0] !== 1) throw new Error("unknown code format");
//!   const d = createDecipheriv("aes-256-gcm", key, blob.subarray(1, 13));
//!   d.setAAD(Buffer.from(userPoolId, "utf8"));
//!   d.setAuthTag(blob.subarray(blob.length - 16));
//!   return Buffer.concat([d.update(blob.subarray(13, blob.length - 16)), d.final()]).toString("utf8");
//! }
//! ```

use std::sync::Mutex;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use userpool::{CodeContext, CodeEncryptor, DeliveryFailure};
use zeroize::Zeroizing;

use crate::error::Error;

/// The format version byte.
pub const FORMAT_VERSION: u8 = 1;
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

/// Encrypts (and, for Rust handlers, decrypts) codes under a shared AES-256 key.
pub struct LocalKeyEncryptor {
    cipher: Aes256Gcm,
    rng: Mutex<ChaCha20Rng>,
}

impl std::fmt::Debug for LocalKeyEncryptor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LocalKeyEncryptor(<key>)")
    }
}

impl LocalKeyEncryptor {
    /// An encryptor under `key`, with nonces from the operating system's generator.
    pub fn new(key: &[u8; 32]) -> Result<Self, Error> {
        let rng = ChaCha20Rng::try_from_rng(&mut rand::rngs::SysRng)
            .map_err(|_| Error::Config("no operating-system randomness".into()))?;
        Ok(Self::with_rng(key, rng))
    }

    /// An encryptor under `key` with nonces from `rng` (seeded, in tests).
    pub fn with_rng(key: &[u8; 32], rng: ChaCha20Rng) -> Self {
        Self {
            cipher: Aes256Gcm::new(key.into()),
            rng: Mutex::new(rng),
        }
    }

    /// An encryptor under a base64 32-byte key.
    pub fn from_base64(key: &str) -> Result<Self, Error> {
        let bytes = Zeroizing::new(
            STANDARD
                .decode(key.trim())
                .map_err(|_| Error::Config("the code key is not base64".into()))?,
        );
        let key: Zeroizing<[u8; 32]> = Zeroizing::new(
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| Error::Config("the code key must be 32 bytes".into()))?,
        );
        Self::new(&key)
    }

    /// `request.code` for `code` in pool `pool_id`.
    pub fn seal(&self, code: &str, pool_id: &str) -> Result<String, Error> {
        let mut nonce = [0u8; NONCE_BYTES];
        self.rng
            .lock()
            .map_err(|_| Error::Config("nonce generator unavailable".into()))?
            .fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: code.as_bytes(),
                    aad: pool_id.as_bytes(),
                },
            )
            .map_err(|_| Error::Config("encryption failed".into()))?;
        let mut blob = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        blob.push(FORMAT_VERSION);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(STANDARD.encode(blob))
    }

    /// The code in `request.code` of an event from pool `pool_id`.
    pub fn open(&self, code: &str, pool_id: &str) -> Result<Zeroizing<String>, Error> {
        let bad = || Error::Config("the code does not decrypt under this key".into());
        let blob = STANDARD.decode(code).map_err(|_| bad())?;
        let (version, rest) = blob.split_first().ok_or_else(bad)?;
        if *version != FORMAT_VERSION || rest.len() < NONCE_BYTES + TAG_BYTES {
            return Err(bad());
        }
        let (nonce, sealed) = rest.split_at(NONCE_BYTES);
        let plain = Zeroizing::new(
            self.cipher
                .decrypt(
                    Nonce::from_slice(nonce),
                    Payload {
                        msg: sealed,
                        aad: pool_id.as_bytes(),
                    },
                )
                .map_err(|_| bad())?,
        );
        String::from_utf8(plain.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| bad())
    }
}

#[async_trait]
impl CodeEncryptor for LocalKeyEncryptor {
    async fn encrypt(&self, code: &str, context: &CodeContext) -> Result<String, DeliveryFailure> {
        self.seal(code, &context.pool_id).map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answer_and_round_trip() {
        let key = [0x42u8; 32];
        let e = LocalKeyEncryptor::with_rng(&key, ChaCha20Rng::seed_from_u64(7));
        let sealed = e.seal("123456", "us-east-1_AbCdEf123").expect("seal");
        let blob = STANDARD.decode(&sealed).expect("base64");
        assert_eq!(blob.len(), 1 + 12 + 6 + 16);
        assert_eq!(blob.first(), Some(&1));
        assert_eq!(
            e.open(&sealed, "us-east-1_AbCdEf123")
                .expect("open")
                .as_str(),
            "123456"
        );
        assert!(
            e.open(&sealed, "us-east-1_Other0000").is_err(),
            "bound to the pool"
        );
        let other = LocalKeyEncryptor::with_rng(&[1; 32], ChaCha20Rng::seed_from_u64(7));
        assert!(other.open(&sealed, "us-east-1_AbCdEf123").is_err());
        assert_ne!(
            e.seal("123456", "p").expect("seal"),
            e.seal("123456", "p").expect("seal")
        );
        assert_eq!(
            LocalKeyEncryptor::from_base64("AAAA").unwrap_err(),
            Error::Config("the code key must be 32 bytes".into())
        );
    }
}
