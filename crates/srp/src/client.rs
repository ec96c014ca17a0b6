//! The client side: `SRP_A`, then `PASSWORD_CLAIM_SIGNATURE` — for tests, examples, fuzzing and
//! Rust embedders that sign in to a pool.

use core::fmt;

use crypto_bigint::{U256, U3072, U4096, Word};
use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::claim::{SessionKey, decode_secret_block, scrambling_parameter};
use crate::error::{Error, Result, WireValue};
use crate::group::{ELEMENT_BYTES, element_bytes, group};
use crate::modexp::FixedBaseTable;
use crate::pad_hex::to_plain_hex;
use crate::public_value::parse_public_value;
use crate::secret::Password;
use crate::server::ClaimIdentity;
use crate::uint::from_be_bytes;
use crate::verifier::{Salt, private_key};

/// Bytes of the ephemeral secret `a` that [`ClientHandshake::start`] draws (256 bits).
pub const CLIENT_EPHEMERAL_SECRET_BYTES: usize = 32;

/// The ephemeral secret `a` (up to 3072 bits when given explicitly).
#[derive(Zeroize, ZeroizeOnDrop)]
struct EphemeralSecret(U3072);

/// A client that sent `SRP_A` and waits for the `PASSWORD_VERIFIER` challenge.
pub struct ClientHandshake {
    secret: EphemeralSecret,
    /// Public bound on the bit length of `a`, so exponentiation time depends only on it.
    secret_bits: usize,
    public: U3072,
}

impl fmt::Debug for ClientHandshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientHandshake")
            .field("secret", &"<redacted>")
            .field("srp_a", &self.srp_a())
            .finish()
    }
}

/// The `PASSWORD_VERIFIER` challenge parameters a client needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordVerifierChallenge<'a> {
    /// `SALT` (hex).
    pub salt: &'a str,
    /// `SRP_B` (hex).
    pub srp_b: &'a str,
    /// `SECRET_BLOCK` (standard Base64), signed over and echoed back.
    pub secret_block: &'a str,
}

impl ClientHandshake {
    /// A handshake with a fresh 256-bit `a` from `rng`.
    pub fn start(rng: &mut impl CryptoRng) -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; CLIENT_EPHEMERAL_SECRET_BYTES]);
        for _ in 0..8 {
            rng.fill_bytes(bytes.as_mut_slice());
            #[cfg(fuzzing)]
            crate::fuzzing::fix_ephemeral(bytes.as_mut_slice());
            if bytes.iter().any(|&b| b != 0) {
                return Self::from_ephemeral_secret(bytes.as_slice());
            }
        }
        Err(Error::BadRandomness)
    }

    /// A handshake with a given `a` (big-endian, non-zero, at most 384 bytes), to reproduce
    /// another client's values. acij and Amplify use 128-byte `a`, pycognito `a mod N`.
    pub fn from_ephemeral_secret(a: &[u8]) -> Result<Self> {
        if a.len() > ELEMENT_BYTES {
            return Err(Error::TooLong {
                value: WireValue::EphemeralSecret,
                max: ELEMENT_BYTES * 2,
            });
        }
        let value = from_be_bytes::<{ U3072::LIMBS }>(a)
            .ok_or(Error::NotReduced(WireValue::EphemeralSecret))?;
        if bool::from(value.is_zero()) {
            return Err(Error::ZeroModN(WireValue::EphemeralSecret));
        }
        let secret = EphemeralSecret(value);
        let secret_bits = a.len() * 8;
        let g = group();
        let public = if secret_bits <= FixedBaseTable::EXPONENT_BITS {
            g.comb.pow(&g.mont, &secret.0.to_words())
        } else {
            g.mont.pow(&g.generator, &secret.0.to_words(), secret_bits)
        }
        .retrieve();
        Ok(Self {
            secret,
            secret_bits,
            public,
        })
    }

    /// `SRP_A`: lowercase hex without padding, as every Cognito client sends it.
    pub fn srp_a(&self) -> String {
        to_plain_hex(&element_bytes(&self.public))
    }

    /// Answers the challenge: returns `PASSWORD_CLAIM_SIGNATURE` over `timestamp`.
    ///
    /// `identity` names the pool and `USER_ID_FOR_SRP` (or the device group key and device key).
    pub fn respond(
        self,
        identity: &ClaimIdentity<'_>,
        password: &Password,
        challenge: &PasswordVerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<String> {
        let server_public = parse_public_value(challenge.srp_b, WireValue::SrpB)?;
        let salt = Salt::from_wire_hex(challenge.salt)?;
        let secret_block = decode_secret_block(challenge.secret_block)?;
        let u = scrambling_parameter(&self.public, &server_public);
        if bool::from(u.is_zero()) {
            return Err(Error::ZeroScramblingParameter);
        }
        let g = group();
        let x = private_key(identity.pool, identity.user_id, password, &salt);
        let g_x = g.comb.pow(&g.mont, &x.0.to_words());
        let base = g.mont.elem(&server_public).sub(&g.k.mul(&g_x));
        // e = a + u·x: below 2^3073, computed without reduction.
        let mut exponent = Zeroizing::new(
            self.secret.0.resize::<{ U4096::LIMBS }>().wrapping_add(
                &u.resize::<{ U4096::LIMBS }>()
                    .wrapping_mul(&x.0.resize::<{ U4096::LIMBS }>()),
            ),
        );
        let exponent_bits = self.secret_bits.max(2 * U256::BITS as usize) + 1;
        let words: Zeroizing<[Word; U4096::LIMBS]> = Zeroizing::new(exponent.to_words());
        let mut premaster = g
            .mont
            .pow(&base, words.as_slice(), exponent_bits)
            .retrieve();
        exponent.zeroize();
        let key = SessionKey::derive(&u, &premaster);
        premaster.zeroize();
        Ok(key.sign(identity.pool, identity.user_id, &secret_block, timestamp))
    }
}
