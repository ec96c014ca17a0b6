//! The aws-lc-rs backend (`aws-lc` feature).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, ParsedPublicKey,
    RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair,
};
use rsa::pkcs1::EncodeRsaPublicKey;

use super::{Backend, Sign, Verify};
use crate::algorithm::Algorithm;
use crate::error::{Error, Result};
use crate::key::PublicKey;

/// aws-lc-rs (AWS's libcrypto): constant-time and the fastest RS256 signing here.
///
/// aws-lc draws the ECDSA nonce from its own generator; the RNG argument of its API is unused.
#[derive(Debug, Clone, Copy, Default)]
pub struct AwsLc;

struct RsaSigner(RsaKeyPair);
struct EcSigner(EcdsaKeyPair);
struct Parsed(ParsedPublicKey);

impl Sign for RsaSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut sig = vec![0u8; self.0.public_modulus_len()];
        self.0
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut sig)
            .map_err(|_| Error::SigningFailed)?;
        Ok(sig)
    }
}

impl Sign for EcSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.0
            .sign(&SystemRandom::new(), message)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| Error::SigningFailed)
    }
}

impl Verify for Parsed {
    fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        self.0
            .verify_sig(message, signature)
            .map_err(|_| Error::InvalidSignature)
    }
}

impl Backend for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc"
    }

    fn signer(&self, alg: Algorithm, pkcs8_der: &[u8]) -> Result<Box<dyn Sign>> {
        match alg {
            Algorithm::RS256 => {
                let key = RsaKeyPair::from_pkcs8(pkcs8_der)
                    .map_err(|_| Error::InvalidKey("RSA PKCS#8"))?;
                Ok(Box::new(RsaSigner(key)))
            }
            Algorithm::ES256 => {
                let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8_der)
                    .map_err(|_| Error::InvalidKey("P-256 PKCS#8"))?;
                Ok(Box::new(EcSigner(key)))
            }
        }
    }

    fn verifier(&self, key: &PublicKey) -> Result<Box<dyn Verify>> {
        let parsed = match key {
            PublicKey::Rsa { n, e } => {
                let public = rsa::RsaPublicKey::new_with_size_limits(
                    rsa::BoxedUint::from_be_slice_vartime(n),
                    rsa::BoxedUint::from_be_slice_vartime(e),
                    crate::key::MIN_RSA_BITS..=crate::key::MAX_RSA_BITS,
                )
                .map_err(|_| Error::InvalidKey("RSA public key"))?;
                let der = public
                    .to_pkcs1_der()
                    .map_err(|_| Error::InvalidKey("RSA public key"))?;
                ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der.as_bytes())
            }
            PublicKey::P256 { x, y } => {
                ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, PublicKey::sec1(x, y))
            }
        }
        .map_err(|_| Error::InvalidKey("public key rejected by aws-lc"))?;
        Ok(Box::new(Parsed(parsed)))
    }
}
