//! The server side: `SRP_B` for a `PASSWORD_VERIFIER` challenge, then the claim check.

use core::fmt;

use crypto_bigint::U3072;
use rand_core::CryptoRng;
use time::{Duration, OffsetDateTime};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::claim::{SessionKey, decode_secret_block, decode_signature, scrambling_parameter};
use crate::error::{Error, Result, WireValue};
use crate::group::{ELEMENT_BYTES, N, element_bytes, group};
use crate::modexp::FixedBaseTable;
use crate::pad_hex::to_plain_hex;
use crate::public_value::parse_public_value;
use crate::secret::SecretBytes;
use crate::timestamp::check_timestamp;
use crate::uint::from_be_bytes;
use crate::verifier::Verifier;

/// Bytes of the server's ephemeral secret `b` that [`ServerHandshake::start`] draws (256 bits).
pub const EPHEMERAL_SECRET_BYTES: usize = 32;
/// How often a fresh `b` is drawn when `B` or `u` come out zero before giving up.
const EPHEMERAL_ATTEMPTS: usize = 8;
const STATE_VERSION: u8 = 1;
/// version, length of `b` (2 bytes), then `b`, `A`, `B`.
const STATE_HEADER: usize = 3;

/// Who the claim is about: the pool name and `USER_ID_FOR_SRP` for a user, or the device group
/// key and device key for a remembered device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimIdentity<'a> {
    /// The pool name (see [`pool_name`](crate::pool_name)) or the `DeviceGroupKey`.
    pub pool: &'a str,
    /// `USER_ID_FOR_SRP` (the internal username) or the `DeviceKey`.
    pub user_id: &'a str,
}

impl<'a> ClaimIdentity<'a> {
    /// A user's identity: pool *name* and internal username.
    pub fn user(pool_name: &'a str, user_id_for_srp: &'a str) -> Self {
        Self {
            pool: pool_name,
            user_id: user_id_for_srp,
        }
    }

    /// A device's identity: `DeviceGroupKey` and `DeviceKey`.
    pub fn device(device_group_key: &'a str, device_key: &'a str) -> Self {
        Self {
            pool: device_group_key,
            user_id: device_key,
        }
    }
}

/// The client's answer to a `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER` challenge, as it
/// arrived in `ChallengeResponses`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PasswordClaim<'a> {
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the `SECRET_BLOCK` echoed back (standard Base64).
    pub secret_block: &'a str,
    /// `PASSWORD_CLAIM_SIGNATURE` (standard Base64 of 32 bytes).
    pub signature: &'a str,
    /// `TIMESTAMP`.
    pub timestamp: &'a str,
}

impl fmt::Debug for PasswordClaim<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordClaim")
            .field("secret_block", &"<redacted>")
            .field("signature", &"<redacted>")
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// Proof that a password claim was verified. Only [`ServerHandshake::verify`] makes one.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimVerified;

/// The ephemeral secret `b` (256 bits when drawn here; up to 3072 when given explicitly).
#[derive(Zeroize, ZeroizeOnDrop)]
struct EphemeralSecret(U3072);

/// A server waiting for the client's password claim: holds `b`, `A` and `B`.
///
/// Between the two requests the facade keeps it sealed ([`ServerHandshake::to_bytes`] inside an
/// AEAD); [`ServerHandshake::verify`] consumes it, so a state is checked at most once.
pub struct ServerHandshake {
    secret: EphemeralSecret,
    /// Public bound on the bit length of `b`: exponentiation time depends only on it.
    secret_bytes: usize,
    client_public: U3072,
    server_public: U3072,
}

impl fmt::Debug for ServerHandshake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandshake")
            .field("secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl ServerHandshake {
    /// Checks `SRP_A` and computes `B = k·v + g^b` for a fresh 256-bit `b` from `rng`
    /// (drawing again in the negligible case that `B` or `u` is zero).
    pub fn start(verifier: &Verifier, srp_a: &str, rng: &mut impl CryptoRng) -> Result<Self> {
        let client_public = parse_public_value(srp_a, WireValue::SrpA)?;
        for _ in 0..EPHEMERAL_ATTEMPTS {
            let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_BYTES]);
            rng.fill_bytes(bytes.as_mut_slice());
            #[cfg(fuzzing)]
            crate::fuzzing::fix_ephemeral(bytes.as_mut_slice());
            match Self::with_secret(verifier, client_public, bytes.as_slice()) {
                Err(Error::ZeroModN(_) | Error::ZeroScramblingParameter) => continue,
                other => return other,
            }
        }
        Err(Error::BadRandomness)
    }

    /// Like [`ServerHandshake::start`] with a given `b` (big-endian, non-zero, at most 384
    /// bytes), to reproduce known-answer vectors. Production code uses `start`.
    pub fn from_ephemeral_secret(verifier: &Verifier, srp_a: &str, b: &[u8]) -> Result<Self> {
        let client_public = parse_public_value(srp_a, WireValue::SrpA)?;
        Self::with_secret(verifier, client_public, b)
    }

    fn with_secret(verifier: &Verifier, client_public: U3072, b: &[u8]) -> Result<Self> {
        if b.len() > ELEMENT_BYTES {
            return Err(Error::TooLong {
                value: WireValue::EphemeralSecret,
                max: ELEMENT_BYTES * 2,
            });
        }
        let value = from_be_bytes::<{ U3072::LIMBS }>(b)
            .ok_or(Error::NotReduced(WireValue::EphemeralSecret))?;
        if bool::from(value.is_zero()) {
            return Err(Error::ZeroModN(WireValue::EphemeralSecret));
        }
        let secret = EphemeralSecret(value);
        let g = group();
        let g_b = if b.len() * 8 <= FixedBaseTable::EXPONENT_BITS {
            g.comb.pow(&g.mont, &secret.0.to_words())
        } else {
            g.mont.pow(&g.generator, &secret.0.to_words(), b.len() * 8)
        };
        let server_public = g.k.mul(&g.mont.elem(&verifier.0)).add(&g_b).retrieve();
        if bool::from(server_public.is_zero()) {
            return Err(Error::ZeroModN(WireValue::SrpB));
        }
        if bool::from(scrambling_parameter(&client_public, &server_public).is_zero()) {
            return Err(Error::ZeroScramblingParameter);
        }
        Ok(Self {
            secret,
            secret_bytes: b.len(),
            client_public,
            server_public,
        })
    }

    /// `SRP_B`: lowercase hex without padding.
    pub fn srp_b(&self) -> String {
        to_plain_hex(&element_bytes(&self.server_public))
    }

    /// `SRP_A` as this server received it, reduced to canonical lowercase hex.
    pub fn srp_a(&self) -> String {
        to_plain_hex(&element_bytes(&self.client_public))
    }

    /// Serializes the state (version, `b`, `A`, `B`) for sealing. Contains the secret `b`.
    pub fn to_bytes(&self) -> SecretBytes {
        let mut out = Vec::with_capacity(STATE_HEADER + self.secret_bytes + 2 * ELEMENT_BYTES);
        out.push(STATE_VERSION);
        out.extend_from_slice(
            &u16::try_from(self.secret_bytes)
                .unwrap_or(u16::MAX)
                .to_be_bytes(),
        );
        let mut secret = element_bytes(&self.secret.0);
        out.extend_from_slice(
            secret
                .get(ELEMENT_BYTES - self.secret_bytes..)
                .unwrap_or_default(),
        );
        secret.zeroize();
        out.extend_from_slice(&element_bytes(&self.client_public));
        out.extend_from_slice(&element_bytes(&self.server_public));
        SecretBytes::new(out)
    }

    /// Reads back a state written by [`ServerHandshake::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (&[version, len_hi, len_lo], rest) = bytes
            .split_first_chunk::<STATE_HEADER>()
            .ok_or(Error::MalformedState)?;
        let secret_bytes = usize::from(u16::from_be_bytes([len_hi, len_lo]));
        if version != STATE_VERSION
            || secret_bytes == 0
            || secret_bytes > ELEMENT_BYTES
            || rest.len() != secret_bytes + 2 * ELEMENT_BYTES
        {
            return Err(Error::MalformedState);
        }
        let (secret, rest) = rest.split_at(secret_bytes);
        let (client, server) = rest.split_at(ELEMENT_BYTES);
        let secret = EphemeralSecret(
            from_be_bytes::<{ U3072::LIMBS }>(secret).ok_or(Error::MalformedState)?,
        );
        let client_public =
            from_be_bytes::<{ U3072::LIMBS }>(client).ok_or(Error::MalformedState)?;
        let server_public =
            from_be_bytes::<{ U3072::LIMBS }>(server).ok_or(Error::MalformedState)?;
        let in_range = |v: &U3072| !bool::from(v.is_zero()) && *v < N;
        if bool::from(secret.0.is_zero()) || !in_range(&client_public) || !in_range(&server_public)
        {
            return Err(Error::MalformedState);
        }
        Ok(Self {
            secret,
            secret_bytes,
            client_public,
            server_public,
        })
    }

    /// Verifies the client's claim: `TIMESTAMP` (strict format, canonical, within `window` of
    /// `now`), then the signature, in constant time, over
    /// `pool ‖ user_id ‖ SECRET_BLOCK bytes ‖ TIMESTAMP` with the key derived from
    /// `S = (A·v^u)^b`.
    ///
    /// Checking that `PASSWORD_CLAIM_SECRET_BLOCK` is the block this server issued is the
    /// caller's job (it is the sealed state); this function signs over whatever was sent.
    pub fn verify(
        self,
        verifier: &Verifier,
        identity: &ClaimIdentity<'_>,
        claim: &PasswordClaim<'_>,
        now: OffsetDateTime,
        window: Duration,
    ) -> Result<ClaimVerified> {
        check_timestamp(claim.timestamp, now, window)?;
        let secret_block = decode_secret_block(claim.secret_block)?;
        let signature = decode_signature(claim.signature)?;
        let g = group();
        let u = scrambling_parameter(&self.client_public, &self.server_public);
        let v = g.mont.elem(&verifier.0);
        let v_u = match &verifier.1 {
            Some([p64, p128, p192]) => g.mont.pow_comb4_public(
                &[v, g.mont.elem(p64), g.mont.elem(p128), g.mont.elem(p192)],
                &u.to_words(),
            ),
            None => g.mont.pow(&v, &u.to_words(), 256),
        };
        let base = g.mont.elem(&self.client_public).mul(&v_u);
        let mut premaster = g
            .mont
            .pow(&base, &self.secret.0.to_words(), self.secret_bytes * 8)
            .retrieve();
        let key = SessionKey::derive(&u, &premaster);
        premaster.zeroize();
        key.verify(
            identity.pool,
            identity.user_id,
            &secret_block,
            claim.timestamp,
            &signature,
        )?;
        Ok(ClaimVerified)
    }
}
