//! Salts, the private key `x` and password verifiers `v = g^x mod N`.

use core::fmt;

use crypto_bigint::{U256, U3072};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result, WireValue};
use crate::group::{ELEMENT_BYTES, N, element_bytes, group};
use crate::pad_hex::{pad_hex, parse_hex, to_hex};
use crate::secret::Password;
use crate::uint::from_be_bytes;

/// Longest `SALT` accepted, in hex digits (a 16-byte salt needs at most 34).
pub const MAX_SALT_HEX_LEN: usize = 256;

/// Bytes in a freshly generated salt (what every Cognito client uses for device salts).
pub const SALT_BYTES: usize = 16;

/// The salt of a verifier: the exact bytes hashed into `x`, sent as `SALT` = their hex.
///
/// User salts are generated canonical (`padHex` of 16 random bytes), so pycognito, which hashes
/// the `SALT` string as it is, and acij/Amplify, which re-`padHex` its integer, agree.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Salt(Vec<u8>);

impl Salt {
    /// A new salt: `padHex` of [`SALT_BYTES`] random bytes.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut raw = [0u8; SALT_BYTES];
        rng.fill_bytes(&mut raw);
        Self(pad_hex(&raw))
    }

    /// A salt from its stored bytes, taken as they are (device salts from `ConfirmDevice`).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// A salt from a `SALT` hex string as a client reads it: parsed as an integer and
    /// re-encoded with `padHex` (what acij and Amplify do).
    ///
    /// The limit [`MAX_SALT_HEX_LEN`] applies to the input and to the canonical form, so every
    /// salt this returns survives a round trip through [`Salt::to_wire_hex`].
    pub fn from_wire_hex(hex: &str) -> Result<Self> {
        let raw = parse_hex(hex, WireValue::Salt, MAX_SALT_HEX_LEN)?;
        let canonical = pad_hex(&raw);
        if canonical.len() * 2 > MAX_SALT_HEX_LEN {
            return Err(Error::TooLong {
                value: WireValue::Salt,
                max: MAX_SALT_HEX_LEN,
            });
        }
        Ok(Self(canonical))
    }

    /// The bytes hashed into `x`.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// `SALT` as sent in `PASSWORD_VERIFIER` / `DEVICE_PASSWORD_VERIFIER`: lowercase hex.
    pub fn to_wire_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Salt({})", self.to_wire_hex())
    }
}

/// A password verifier `v = g^x mod N`, optionally with `v^(2^64)`, `v^(2^128)` and
/// `v^(2^192)`: with them the server's `v^u` is a 4-tooth comb (64 squarings instead of
/// 256), about a third of a sign-in's modular arithmetic saved.
///
/// Anyone holding `v` can run an offline guessing attack against the password, so it is
/// treated as a secret: zeroized on drop, redacted in `Debug`, compared in constant time.
/// Store it encrypted ([`Verifier::to_stored_bytes`] keeps the powers).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Verifier(pub(crate) U3072, pub(crate) Option<[U3072; 3]>);

/// Bytes of a stored verifier with its powers: `v ‖ v^(2^64) ‖ v^(2^128) ‖ v^(2^192)`.
const STORED_WITH_POWERS: usize = 4 * ELEMENT_BYTES;

fn element(bytes: &[u8]) -> Result<U3072> {
    let value = from_be_bytes::<{ U3072::LIMBS }>(bytes)
        .ok_or(Error::NotReduced(WireValue::PasswordVerifier))?;
    if bool::from(value.is_zero()) {
        return Err(Error::ZeroModN(WireValue::PasswordVerifier));
    }
    if value >= N {
        return Err(Error::NotReduced(WireValue::PasswordVerifier));
    }
    Ok(value)
}

impl Verifier {
    /// The verifier's canonical bytes, `padHex(v)` (the wire form; without the powers).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(pad_hex(&element_bytes(&self.0)))
    }

    /// The bytes to store: [`Verifier::to_bytes`], or with the powers when it has them
    /// (1,536 bytes). [`Verifier::from_bytes`] reads both.
    pub fn to_stored_bytes(&self) -> Zeroizing<Vec<u8>> {
        match &self.1 {
            None => self.to_bytes(),
            Some(powers) => {
                let mut out = Zeroizing::new(Vec::with_capacity(STORED_WITH_POWERS));
                for value in core::iter::once(&self.0).chain(powers.iter()) {
                    let mut bytes = element_bytes(value);
                    out.extend_from_slice(&bytes);
                    bytes.zeroize();
                }
                out
            }
        }
    }

    /// A verifier from big-endian bytes (leading zeros allowed, in `[1, N)`), or from the
    /// 1,536 bytes of [`Verifier::to_stored_bytes`] with its powers. The powers are trusted
    /// as stored (they come from [`Verifier::with_powers`]; wrong ones make every password
    /// claim fail, nothing worse).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() == STORED_WITH_POWERS {
            let (v, rest) = bytes.split_at(ELEMENT_BYTES);
            let (p64, rest) = rest.split_at(ELEMENT_BYTES);
            let (p128, p192) = rest.split_at(ELEMENT_BYTES);
            return Ok(Self(
                element(v)?,
                Some([element(p64)?, element(p128)?, element(p192)?]),
            ));
        }
        Ok(Self(element(bytes)?, None))
    }

    /// Computes and keeps `v^(2^64)`, `v^(2^128)`, `v^(2^192)` (192 squarings, once, when the
    /// verifier is made; [`generate_verifier`] does it).
    pub fn with_powers(mut self) -> Self {
        let g = group();
        let mut p = g.mont.elem(&self.0);
        let mut powers = [U3072::ZERO; 3];
        for slot in &mut powers {
            p = g.mont.square_64(&p);
            *slot = p.retrieve();
        }
        self.1 = Some(powers);
        self
    }

    /// Gives a verifier that must never verify (a PreventUserExistenceErrors phantom) powers
    /// that cost 3 squarings instead of 192 and are **wrong** — so the server's second step
    /// takes exactly as long as for a real user's verifier with powers, and fails as it must.
    pub fn with_decoy_powers(mut self) -> Self {
        let g = group();
        let mut p = g.mont.elem(&self.0);
        let mut powers = [U3072::ZERO; 3];
        for slot in &mut powers {
            p = g.mont.square(&p);
            *slot = p.retrieve();
        }
        self.1 = Some(powers);
        self
    }

    /// Whether it carries the powers.
    pub fn has_powers(&self) -> bool {
        self.1.is_some()
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Verifier(<redacted>)")
    }
}

impl PartialEq for Verifier {
    fn eq(&self, other: &Self) -> bool {
        element_bytes(&self.0)
            .ct_eq(&element_bytes(&other.0))
            .into()
    }
}

impl Eq for Verifier {}

/// The private key `x = H(padHex(salt) ‖ H(pool ‖ user ‖ ":" ‖ password))`, a 256-bit secret.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct PrivateKey(pub(crate) U256);

/// The pool name that goes into `x`: the part of a user pool id after the first `_`
/// (`us-east-1_AbCdEf123` → `AbCdEf123`). An id without `_` is returned unchanged.
///
/// ```
/// assert_eq!(cognito_srp6a::pool_name("us-east-1_AbCdEf123"), "AbCdEf123");
/// ```
pub fn pool_name(user_pool_id: &str) -> &str {
    user_pool_id
        .split_once('_')
        .map_or(user_pool_id, |(_, name)| name)
}

pub(crate) fn private_key(
    pool: &str,
    user_id: &str,
    password: &Password,
    salt: &Salt,
) -> PrivateKey {
    let mut inner = Sha256::new();
    inner.update(pool.as_bytes());
    inner.update(user_id.as_bytes());
    inner.update(b":");
    inner.update(password.expose_secret().as_bytes());
    let mut inner = Zeroizing::new(<[u8; 32]>::from(inner.finalize()));
    let mut outer = Sha256::new();
    outer.update(salt.as_bytes());
    outer.update(inner.as_slice());
    inner.zeroize();
    let mut digest = Zeroizing::new(<[u8; 32]>::from(outer.finalize()));
    let x = PrivateKey(U256::from_be_slice(digest.as_slice()));
    digest.zeroize();
    x
}

/// Computes the verifier of `password` for `user_id` in pool `pool` (the pool *name*, see
/// [`pool_name`]; for a device: the device group key, with the device key as `user_id`).
pub fn compute_verifier(pool: &str, user_id: &str, password: &Password, salt: &Salt) -> Verifier {
    let g = group();
    let x = private_key(pool, user_id, password, salt);
    Verifier(g.comb.pow(&g.mont, &x.0.to_words()).retrieve(), None)
}

/// A new salt and the verifier of `password` under it, with its powers
/// ([`Verifier::with_powers`]).
pub fn generate_verifier(
    pool: &str,
    user_id: &str,
    password: &Password,
    rng: &mut impl CryptoRng,
) -> (Salt, Verifier) {
    let salt = Salt::generate(rng);
    let verifier = compute_verifier(pool, user_id, password, &salt).with_powers();
    (salt, verifier)
}

/// Whether `password` matches `verifier` (for `USER_PASSWORD_AUTH`), in constant time.
pub fn verify_password(
    pool: &str,
    user_id: &str,
    password: &Password,
    salt: &Salt,
    verifier: &Verifier,
) -> bool {
    compute_verifier(pool, user_id, password, salt) == *verifier
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_salts_are_canonicalised_and_round_trip() {
        let salt = Salt::from_wire_hex("000a7f").expect("salt");
        assert_eq!(salt.to_wire_hex(), "0a7f");
        assert_eq!(
            Salt::from_wire_hex("80").expect("salt").to_wire_hex(),
            "0080"
        );
        // At the limit with the top bit set, padHex would need two more digits: refused,
        // found by the srp_hex fuzz target.
        let at_limit = "f".repeat(MAX_SALT_HEX_LEN);
        assert_eq!(
            Salt::from_wire_hex(&at_limit),
            Err(Error::TooLong {
                value: WireValue::Salt,
                max: MAX_SALT_HEX_LEN
            })
        );
        let fits = format!("7{}", "f".repeat(MAX_SALT_HEX_LEN - 1));
        let salt = Salt::from_wire_hex(&fits).expect("fits");
        assert_eq!(Salt::from_wire_hex(&salt.to_wire_hex()), Ok(salt));
    }
}
