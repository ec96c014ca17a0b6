//! Sealing: authenticated encryption under keys derived per pool and per purpose from the
//! service's master key. Sessions (the flow state in `Session` / `SECRET_BLOCK`) and secrets
//! at rest (verifiers, TOTP seeds, signing keys) each get their own key, so a value sealed for
//! one purpose or pool never opens as another.
//!
//! ChaCha20-Poly1305 (RustCrypto `chacha20poly1305`): a 96-bit random nonce per message,
//! prepended; the purpose, pool and a caller-given context are the associated data.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Bytes of the nonce prepended to every sealed value.
pub const NONCE_BYTES: usize = 12;
/// Bytes of the authentication tag appended by the AEAD.
pub const TAG_BYTES: usize = 16;

/// The service's master key (32 bytes from the embedder's secret store).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// A master key from 32 secret bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// What a sealed value is for (part of the key derivation and of the associated data).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Flow state in `Session` / `SECRET_BLOCK`.
    Session,
    /// A secret stored in the database (verifier, TOTP seed, signing key).
    AtRest,
    /// An OAuth authorization code (its record, sealed into the code itself).
    AuthorizationCode,
    /// The hosted UI's sign-in cookie.
    HostedSession,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Session => b"userpool/v1/session",
            Self::AtRest => b"userpool/v1/at-rest",
            Self::AuthorizationCode => b"userpool/v1/authorization-code",
            Self::HostedSession => b"userpool/v1/hosted-session",
        }
    }
}

/// A sealed value did not open: forged, altered, truncated, or for another pool or purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sealed value could not be opened")]
pub struct Unsealable;

/// Seals and opens values for one pool and purpose.
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    aad: Vec<u8>,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer").finish_non_exhaustive()
    }
}

impl Sealer {
    /// The sealer of `purpose` for `pool_id`: key = HKDF-SHA256(master, info = purpose ‖ pool).
    pub fn new(master: &MasterKey, purpose: Purpose, pool_id: &str) -> Self {
        let mut info = purpose.label().to_vec();
        info.push(0);
        info.extend_from_slice(pool_id.as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's output limit, so expand cannot fail.
        let _ = Hkdf::<Sha256>::new(None, &master.0).expand(&info, key.as_mut_slice());
        let cipher = ChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key.as_slice()));
        Self { cipher, aad: info }
    }

    /// Seals `plaintext` bound to `context` (e.g. the username for an at-rest secret) with
    /// the given fresh random `nonce`.
    pub fn seal(&self, plaintext: &[u8], context: &[u8], nonce: [u8; NONCE_BYTES]) -> Vec<u8> {
        let aad = [self.aad.as_slice(), &[0], context].concat();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    /// Opens what [`Sealer::seal`] made with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Zeroizing<Vec<u8>>, Unsealable> {
        let (nonce, ciphertext) = sealed.split_at_checked(NONCE_BYTES).ok_or(Unsealable)?;
        if ciphertext.len() < TAG_BYTES {
            return Err(Unsealable);
        }
        let aad = [self.aad.as_slice(), &[0], context].concat();
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "us-east-1_AbCdEf123";

    #[test]
    fn round_trip_and_every_binding() {
        let master = MasterKey::new([3; 32]);
        let s = Sealer::new(&master, Purpose::Session, POOL);
        let sealed = s.seal(b"state", b"", [1; NONCE_BYTES]);
        assert_eq!(sealed.len(), NONCE_BYTES + 5 + TAG_BYTES);
        assert_eq!(s.open(&sealed, b"").expect("opens").as_slice(), b"state");
        assert_eq!(s.open(&sealed, b"other").err(), Some(Unsealable));
        let other_pool = Sealer::new(&master, Purpose::Session, "us-east-1_Other0000");
        assert_eq!(other_pool.open(&sealed, b"").err(), Some(Unsealable));
        let at_rest = Sealer::new(&master, Purpose::AtRest, POOL);
        assert_eq!(at_rest.open(&sealed, b"").err(), Some(Unsealable));
        let other_master = Sealer::new(&MasterKey::new([4; 32]), Purpose::Session, POOL);
        assert_eq!(other_master.open(&sealed, b"").err(), Some(Unsealable));
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x80;
            assert_eq!(s.open(&bad, b"").err(), Some(Unsealable), "byte {i}");
        }
        for cut in 0..sealed.len() {
            assert_eq!(s.open(&sealed[..cut], b"").err(), Some(Unsealable));
        }
        assert_eq!(format!("{master:?}"), "MasterKey(<redacted>)");
    }

    #[test]
    fn fresh_nonces_give_different_ciphertexts() {
        let s = Sealer::new(&MasterKey::new([3; 32]), Purpose::AtRest, POOL);
        assert_ne!(
            s.seal(b"v", b"alice", [1; 12]),
            s.seal(b"v", b"alice", [2; 12])
        );
    }
}
