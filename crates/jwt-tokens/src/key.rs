//! Keys: public key components, signing keys with their `kid`, generation and PKCS#8 PEM.

use core::fmt;

use rand_core::CryptoRng;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::algorithm::Algorithm;
use crate::backend::{Backend, Sign, default_backend};
use crate::base64url;
use crate::error::{Error, Result};

/// Smallest RSA modulus accepted, in bits (RFC 7518 §3.3 requires 2048).
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 8192;

/// A public key's components, validated: an RSA key of 2048–8192 bits with an odd exponent
/// in `[3, 2^33)`, or a P-256 point on the curve.
#[non_exhaustive]
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An RSA public key (big-endian, no leading zeros).
    Rsa {
        /// The modulus `n`.
        n: Vec<u8>,
        /// The public exponent `e`.
        e: Vec<u8>,
    },
    /// A P-256 public key (affine coordinates, 32 bytes each).
    P256 {
        /// `x`.
        x: [u8; 32],
        /// `y`.
        y: [u8; 32],
    },
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { n, .. } => write!(
                f,
                "PublicKey::Rsa({} bits, kid {})",
                n.len() * 8,
                self.thumbprint()
            ),
            Self::P256 { .. } => write!(f, "PublicKey::P256(kid {})", self.thumbprint()),
        }
    }
}

impl PublicKey {
    /// An RSA key from `n` and `e`, checked.
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Self> {
        let n = strip_zeros(n);
        let e = strip_zeros(e);
        let bits = n
            .first()
            .map_or(0, |top| n.len() * 8 - top.leading_zeros() as usize);
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(Error::InvalidKey("RSA modulus size out of range"));
        }
        if n.last().is_some_and(|low| low & 1 == 0) {
            return Err(Error::InvalidKey("RSA modulus is even"));
        }
        // e in [3, 2^33), odd.
        if e.is_empty() || e.len() > 5 || e.last().is_some_and(|low| low & 1 == 0) {
            return Err(Error::InvalidKey("RSA exponent out of range"));
        }
        let e_value = e.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        if !(3..(1 << 33)).contains(&e_value) {
            return Err(Error::InvalidKey("RSA exponent out of range"));
        }
        Ok(Self::Rsa {
            n: n.to_vec(),
            e: e.to_vec(),
        })
    }

    /// A P-256 key from its affine coordinates; the point must be on the curve.
    pub fn p256(x: &[u8], y: &[u8]) -> Result<Self> {
        let (Ok(x), Ok(y)) = (<[u8; 32]>::try_from(x), <[u8; 32]>::try_from(y)) else {
            return Err(Error::InvalidKey("P-256 coordinates must be 32 bytes"));
        };
        let mut sec1 = [0u8; 65];
        sec1[0] = 4;
        sec1[1..33].copy_from_slice(&x);
        sec1[33..].copy_from_slice(&y);
        p256::PublicKey::from_sec1_bytes(&sec1)
            .map_err(|_| Error::InvalidKey("point is not on P-256"))?;
        Ok(Self::P256 { x, y })
    }

    /// The algorithm this key verifies.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Self::Rsa { .. } => Algorithm::RS256,
            Self::P256 { .. } => Algorithm::ES256,
        }
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): the default `kid`.
    pub fn thumbprint(&self) -> String {
        // Required members only, lexicographic order, no whitespace (RFC 7638 §3).
        let canonical = match self {
            Self::Rsa { n, e } => format!(
                r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
                base64url::encode(e),
                base64url::encode(n)
            ),
            Self::P256 { x, y } => format!(
                r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
                base64url::encode(x),
                base64url::encode(y)
            ),
        };
        base64url::encode(&Sha256::digest(canonical.as_bytes()))
    }

    /// The uncompressed SEC1 point `04 ‖ x ‖ y` of a P-256 key.
    pub(crate) fn sec1(x: &[u8; 32], y: &[u8; 32]) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = 4;
        out[1..33].copy_from_slice(x);
        out[33..].copy_from_slice(y);
        out
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// A private signing key with its `kid`, prepared once for fast signing.
///
/// Zeroized on drop (the PKCS#8 document here and the backend's own key), redacted in `Debug`.
pub struct SigningKey {
    kid: String,
    public: PublicKey,
    pkcs8: Zeroizing<Vec<u8>>,
    signer: Box<dyn Sign>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.algorithm())
            .field("private", &"<redacted>")
            .finish()
    }
}

impl SigningKey {
    /// A new key: RSA-2048 with `e = 65537` for RS256, a random scalar for ES256, drawn from
    /// `rng`; its `kid` is the RFC 7638 thumbprint. Uses the default backend.
    pub fn generate(alg: Algorithm, rng: &mut impl CryptoRng) -> Result<Self> {
        Self::generate_with(alg, rng, default_backend())
    }

    /// Like [`SigningKey::generate`] with an explicit backend. Key generation itself always runs
    /// in pure Rust with the caller's RNG; the backend only signs.
    pub fn generate_with(
        alg: Algorithm,
        rng: &mut impl CryptoRng,
        backend: &dyn Backend,
    ) -> Result<Self> {
        let der = match alg {
            Algorithm::RS256 => {
                let key = rsa::RsaPrivateKey::new(rng, MIN_RSA_BITS)
                    .map_err(|_| Error::InvalidKey("RSA key generation failed"))?;
                key.to_pkcs8_der()
                    .map_err(|_| Error::InvalidKey("PKCS#8 encoding failed"))?
            }
            Algorithm::ES256 => {
                let key =
                    <p256::SecretKey as p256::elliptic_curve::Generate>::generate_from_rng(rng);
                key.to_pkcs8_der()
                    .map_err(|_| Error::InvalidKey("PKCS#8 encoding failed"))?
            }
        };
        Self::from_pkcs8_der_with(der.as_bytes(), backend)
    }

    /// A key from a PKCS#8 PEM document (`-----BEGIN PRIVATE KEY-----`), RSA or P-256.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self> {
        Self::from_pkcs8_pem_with(pem, default_backend())
    }

    /// Like [`SigningKey::from_pkcs8_pem`] with an explicit backend.
    pub fn from_pkcs8_pem_with(pem: &str, backend: &dyn Backend) -> Result<Self> {
        let (label, der) = rsa::pkcs8::der::pem::decode_vec(pem.as_bytes())
            .map_err(|_| Error::InvalidKey("not PEM"))?;
        let der = Zeroizing::new(der);
        if label != "PRIVATE KEY" {
            return Err(Error::InvalidKey("PEM is not a PKCS#8 PRIVATE KEY"));
        }
        Self::from_pkcs8_der_with(&der, backend)
    }

    /// A key from a PKCS#8 DER document, RSA (≥ 2048 bits) or P-256, with the default backend.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self> {
        Self::from_pkcs8_der_with(der, default_backend())
    }

    /// Like [`SigningKey::from_pkcs8_der`] with an explicit backend.
    pub fn from_pkcs8_der_with(der: &[u8], backend: &dyn Backend) -> Result<Self> {
        let public = if let Ok(key) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
            PublicKey::rsa(&key.n().to_be_bytes(), &key.e().to_be_bytes())?
        } else if let Ok(key) = p256::SecretKey::from_pkcs8_der(der) {
            let point =
                p256::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&key.public_key(), false);
            match (point.x(), point.y()) {
                (Some(x), Some(y)) => PublicKey::p256(x, y)?,
                _ => return Err(Error::InvalidKey("P-256 public key")),
            }
        } else {
            return Err(Error::InvalidKey("not an RSA or P-256 PKCS#8 private key"));
        };
        let signer = backend.signer(public.algorithm(), der)?;
        Ok(Self {
            kid: public.thumbprint(),
            public,
            pkcs8: Zeroizing::new(der.to_vec()),
            signer,
        })
    }

    /// Replaces the `kid` (for keys imported from elsewhere that must keep their id).
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = kid.into();
        self
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm this key signs with.
    pub fn algorithm(&self) -> Algorithm {
        self.public.algorithm()
    }

    /// The public half.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The private key as a PKCS#8 PEM document, for storage (encrypt it at rest).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        let der = rsa::pkcs8::der::Document::try_from(self.pkcs8.as_slice())
            .map_err(|_| Error::InvalidKey("PKCS#8"))?;
        der.to_pem("PRIVATE KEY", LineEnding::LF)
            .map(Zeroizing::new)
            .map_err(|_| Error::InvalidKey("PEM encoding failed"))
    }

    /// Signs `message` (the JWS signing input).
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.signer.sign(message)
    }

    /// Signs any claims object as a compact JWS with this key, under the same
    /// `{"kid":"…","alg":"…"}` header as the pool tokens: for tokens that are not a user
    /// pool's ID or access token (an identity pool's OpenID token). Nothing about the claims
    /// is checked; [`Verifier::verify_jws`](crate::Verifier::verify_jws) verifies the result.
    pub fn sign_claims(
        &self,
        claims: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String> {
        let payload = serde_json::to_vec(claims).map_err(|_| Error::Claims("serialization"))?;
        crate::jws::sign(self, &payload)
    }
}
