//! The password claim: `u`, the 16-byte "Caldera" HKDF key and `PASSWORD_CLAIM_SIGNATURE`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use crypto_bigint::{U256, U3072};
use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result, WireValue};
use crate::group::element_bytes;
use crate::pad_hex::pad_hex;

/// Longest `PASSWORD_CLAIM_SIGNATURE` accepted, in characters (a 32-byte tag is 44).
pub const MAX_SIGNATURE_LEN: usize = 64;
/// Longest `SECRET_BLOCK` accepted, in characters.
pub const MAX_SECRET_BLOCK_LEN: usize = 8192;

/// `u = H(padHex(A) ‖ padHex(B))`.
pub(crate) fn scrambling_parameter(a: &U3072, b: &U3072) -> U256 {
    let mut h = Sha256::new();
    h.update(pad_hex(&element_bytes(a)));
    h.update(pad_hex(&element_bytes(b)));
    U256::from_be_slice(&h.finalize())
}

/// The 16-byte key both sides derive from `S`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct SessionKey([u8; 16]);

impl SessionKey {
    /// HKDF-SHA256 with salt `padHex(u)`, input `padHex(S)`, info `Caldera Derived Key`, 16 bytes.
    pub(crate) fn derive(u: &U256, premaster: &U3072) -> Self {
        let ikm = Zeroizing::new(pad_hex(&element_bytes(premaster)));
        let salt = pad_hex(&u.to_be_bytes());
        let hk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
        let mut okm = [0u8; 16];
        // 16 bytes is far below HKDF-SHA256's 8160-byte limit, so expand cannot fail.
        if hk.expand(b"Caldera Derived Key", &mut okm).is_err() {
            okm = [0u8; 16];
        }
        Self(okm)
    }

    fn mac(&self, pool: &str, user_id: &str, secret_block: &[u8], timestamp: &str) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        mac.update(pool.as_bytes());
        mac.update(user_id.as_bytes());
        mac.update(secret_block);
        mac.update(timestamp.as_bytes());
        mac
    }

    /// `PASSWORD_CLAIM_SIGNATURE`: standard Base64 of the HMAC.
    pub(crate) fn sign(
        &self,
        pool: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> String {
        STANDARD.encode(
            self.mac(pool, user_id, secret_block, timestamp)
                .finalize()
                .into_bytes(),
        )
    }

    /// Checks a decoded signature in constant time.
    pub(crate) fn verify(
        &self,
        pool: &str,
        user_id: &str,
        secret_block: &[u8],
        timestamp: &str,
        signature: &[u8],
    ) -> Result<()> {
        self.mac(pool, user_id, secret_block, timestamp)
            .verify_slice(signature)
            .map_err(|_| Error::SignatureMismatch)
    }
}

/// Decodes `SECRET_BLOCK` (standard Base64, padding required).
pub fn decode_secret_block(secret_block: &str) -> Result<Vec<u8>> {
    if secret_block.is_empty() {
        return Err(Error::Empty(WireValue::SecretBlock));
    }
    if secret_block.len() > MAX_SECRET_BLOCK_LEN {
        return Err(Error::TooLong {
            value: WireValue::SecretBlock,
            max: MAX_SECRET_BLOCK_LEN,
        });
    }
    STANDARD
        .decode(secret_block)
        .map_err(|_| Error::NotBase64(WireValue::SecretBlock))
}

/// Decodes `PASSWORD_CLAIM_SIGNATURE` into the 32 bytes of an HMAC-SHA256 tag.
pub(crate) fn decode_signature(signature: &str) -> Result<[u8; 32]> {
    if signature.is_empty() {
        return Err(Error::Empty(WireValue::Signature));
    }
    if signature.len() > MAX_SIGNATURE_LEN {
        return Err(Error::TooLong {
            value: WireValue::Signature,
            max: MAX_SIGNATURE_LEN,
        });
    }
    let bytes = STANDARD
        .decode(signature)
        .map_err(|_| Error::NotBase64(WireValue::Signature))?;
    let len = bytes.len();
    <[u8; 32]>::try_from(bytes).map_err(|_| Error::SignatureLength(len))
}
