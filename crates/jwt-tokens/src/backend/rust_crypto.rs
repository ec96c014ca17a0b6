//! The pure-Rust backend: `rsa` (PKCS#1 v1.5, SHA-256) and `p256` (ECDSA, SHA-256).

use rsa::BoxedUint;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::Sha256;

use super::{Backend, Sign, Verify};
use crate::algorithm::Algorithm;
use crate::error::{Error, Result};
use crate::key::PublicKey;

/// Pure Rust: `rsa` 0.10 and `p256` 0.14 (RustCrypto).
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

struct RsaSigner(rsa::pkcs1v15::SigningKey<Sha256>);
struct EcSigner(p256::ecdsa::SigningKey);
struct RsaVerifier(rsa::pkcs1v15::VerifyingKey<Sha256>);
struct EcVerifier(p256::ecdsa::VerifyingKey);

impl Sign for RsaSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.0
            .try_sign(message)
            .map(|s| s.to_vec())
            .map_err(|_| Error::SigningFailed)
    }
}

impl Sign for EcSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let sig: p256::ecdsa::Signature =
            self.0.try_sign(message).map_err(|_| Error::SigningFailed)?;
        Ok(sig.to_bytes().to_vec())
    }
}

impl Verify for RsaVerifier {
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let sig =
            rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| Error::InvalidSignature)?;
        self.0
            .verify(message, &sig)
            .map_err(|_| Error::InvalidSignature)
    }
}

impl Verify for EcVerifier {
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        // Exactly r ‖ s, each in [1, n): from_slice rejects other lengths and zero or
        // out-of-range scalars (the "psychic signature" r = s = 0 among them).
        let sig =
            p256::ecdsa::Signature::from_slice(signature).map_err(|_| Error::InvalidSignature)?;
        self.0
            .verify(message, &sig)
            .map_err(|_| Error::InvalidSignature)
    }
}

impl Backend for RustCrypto {
    fn name(&self) -> &'static str {
        "rust-crypto"
    }

    fn signer(&self, alg: Algorithm, pkcs8_der: &[u8]) -> Result<Box<dyn Sign>> {
        match alg {
            Algorithm::RS256 => {
                let key = rsa::RsaPrivateKey::from_pkcs8_der(pkcs8_der)
                    .map_err(|_| Error::InvalidKey("RSA PKCS#8"))?;
                Ok(Box::new(RsaSigner(rsa::pkcs1v15::SigningKey::new(key))))
            }
            Algorithm::ES256 => {
                let key = p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8_der)
                    .map_err(|_| Error::InvalidKey("P-256 PKCS#8"))?;
                Ok(Box::new(EcSigner(key)))
            }
        }
    }

    fn verifier(&self, key: &PublicKey) -> Result<Box<dyn Verify>> {
        match key {
            PublicKey::Rsa { n, e } => {
                let public = rsa::RsaPublicKey::new_with_size_limits(
                    BoxedUint::from_be_slice_vartime(n),
                    BoxedUint::from_be_slice_vartime(e),
                    crate::key::MIN_RSA_BITS..=crate::key::MAX_RSA_BITS,
                )
                .map_err(|_| Error::InvalidKey("RSA public key"))?;
                Ok(Box::new(RsaVerifier(rsa::pkcs1v15::VerifyingKey::new(
                    public,
                ))))
            }
            PublicKey::P256 { x, y } => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&PublicKey::sec1(x, y))
                    .map_err(|_| Error::InvalidKey("P-256 public key"))?;
                Ok(Box::new(EcVerifier(key)))
            }
        }
    }
}
