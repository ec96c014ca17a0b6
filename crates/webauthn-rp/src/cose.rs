//! COSE public keys (RFC 9053) as authenticators send them: ES256 (EC2, P-256) and RS256
//! (RSA, PKCS#1 v1.5 with SHA-256) — what Cognito's `pubKeyCredParams` offer.

use ciborium::Value;
use p256::ecdsa::signature::Verifier as _;
use rsa::BoxedUint;
use sha2::Sha256;

use crate::error::{Result, WebAuthnError};

/// COSE `alg` of ES256.
pub const ES256: i64 = -7;
/// COSE `alg` of RS256.
pub const RS256: i64 = -257;

/// Smallest and largest RSA modulus accepted, in bits.
const RSA_BITS: core::ops::RangeInclusive<usize> = 2048..=8192;

/// A credential public key, read from its COSE encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialPublicKey {
    /// ES256: the P-256 point.
    Es256 {
        /// x, 32 bytes.
        x: Vec<u8>,
        /// y, 32 bytes.
        y: Vec<u8>,
    },
    /// RS256: modulus and exponent, big-endian.
    Rs256 {
        /// n.
        n: Vec<u8>,
        /// e.
        e: Vec<u8>,
    },
}

fn member(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| {
            k.as_integer()
                .is_some_and(|i| i128::from(i) == i128::from(key))
        })
        .map(|(_, v)| v)
}

fn int(map: &[(Value, Value)], key: i64) -> Option<i128> {
    member(map, key).and_then(Value::as_integer).map(i128::from)
}

fn bytes(map: &[(Value, Value)], key: i64) -> Result<Vec<u8>> {
    member(map, key)
        .and_then(Value::as_bytes)
        .cloned()
        .ok_or(WebAuthnError::Malformed("COSE key"))
}

impl CredentialPublicKey {
    /// Reads a COSE key and checks it is usable (the point is on the curve, the modulus
    /// has an accepted size).
    pub fn from_cose(encoded: &[u8]) -> Result<Self> {
        let value: Value =
            ciborium::from_reader(encoded).map_err(|_| WebAuthnError::Malformed("COSE key"))?;
        Self::from_value(&value)
    }

    pub(crate) fn from_value(value: &Value) -> Result<Self> {
        let map = value.as_map().ok_or(WebAuthnError::Malformed("COSE key"))?;
        let key = match (int(map, 1), int(map, 3)) {
            (Some(2), Some(a)) if a == i128::from(ES256) => {
                if int(map, -1) != Some(1) {
                    return Err(WebAuthnError::UnsupportedAlgorithm);
                }
                Self::Es256 {
                    x: bytes(map, -2)?,
                    y: bytes(map, -3)?,
                }
            }
            (Some(3), Some(a)) if a == i128::from(RS256) => Self::Rs256 {
                n: bytes(map, -1)?,
                e: bytes(map, -2)?,
            },
            _ => return Err(WebAuthnError::UnsupportedAlgorithm),
        };
        key.check()?;
        Ok(key)
    }

    /// The COSE `alg`.
    pub fn algorithm(&self) -> i64 {
        match self {
            Self::Es256 { .. } => ES256,
            Self::Rs256 { .. } => RS256,
        }
    }

    fn p256(x: &[u8], y: &[u8]) -> Result<p256::ecdsa::VerifyingKey> {
        if x.len() != 32 || y.len() != 32 {
            return Err(WebAuthnError::UnsupportedAlgorithm);
        }
        let mut sec1 = Vec::with_capacity(65);
        sec1.push(4);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .map_err(|_| WebAuthnError::UnsupportedAlgorithm)
    }

    fn rsa(n: &[u8], e: &[u8]) -> Result<rsa::pkcs1v15::VerifyingKey<Sha256>> {
        let public = rsa::RsaPublicKey::new_with_size_limits(
            BoxedUint::from_be_slice_vartime(n),
            BoxedUint::from_be_slice_vartime(e),
            RSA_BITS,
        )
        .map_err(|_| WebAuthnError::UnsupportedAlgorithm)?;
        Ok(rsa::pkcs1v15::VerifyingKey::new(public))
    }

    fn check(&self) -> Result<()> {
        match self {
            Self::Es256 { x, y } => Self::p256(x, y).map(drop),
            Self::Rs256 { n, e } => Self::rsa(n, e).map(drop),
        }
    }

    /// Verifies `signature` over `message`: ES256 signatures are ASN.1 DER, as WebAuthn
    /// sends them; RS256 ones are PKCS#1 v1.5.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        match self {
            Self::Es256 { x, y } => {
                let key = Self::p256(x, y)?;
                let sig = p256::ecdsa::Signature::from_der(signature)
                    .map_err(|_| WebAuthnError::InvalidSignature)?;
                key.verify(message, &sig)
                    .map_err(|_| WebAuthnError::InvalidSignature)
            }
            Self::Rs256 { n, e } => {
                let key = Self::rsa(n, e)?;
                let sig = rsa::pkcs1v15::Signature::try_from(signature)
                    .map_err(|_| WebAuthnError::InvalidSignature)?;
                rsa::signature::Verifier::verify(&key, message, &sig)
                    .map_err(|_| WebAuthnError::InvalidSignature)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        ciborium::into_writer(value, &mut out).expect("cbor");
        out
    }

    #[test]
    fn refuses_other_algorithms_and_points_off_the_curve() {
        let eddsa = Value::Map(vec![
            (Value::from(1), Value::from(1)),
            (Value::from(3), Value::from(-8)),
        ]);
        assert_eq!(
            CredentialPublicKey::from_cose(&encode(&eddsa)),
            Err(WebAuthnError::UnsupportedAlgorithm)
        );
        let off_curve = Value::Map(vec![
            (Value::from(1), Value::from(2)),
            (Value::from(3), Value::from(-7)),
            (Value::from(-1), Value::from(1)),
            (Value::from(-2), Value::Bytes(vec![1; 32])),
            (Value::from(-3), Value::Bytes(vec![2; 32])),
        ]);
        assert_eq!(
            CredentialPublicKey::from_cose(&encode(&off_curve)),
            Err(WebAuthnError::UnsupportedAlgorithm)
        );
        assert_eq!(
            CredentialPublicKey::from_cose(b"\xff"),
            Err(WebAuthnError::Malformed("COSE key"))
        );
    }
}
