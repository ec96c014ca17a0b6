//! PKCE (RFC 7636) as Cognito profiles it: S256 only.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Error, Result};

/// The unreserved characters a verifier is made of (RFC 7636 §4.1).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// A `code_verifier`: 43–128 unreserved characters. A secret: zeroized, redacted in `Debug`;
/// single use (not `Clone`), checked against its challenge in constant time (no `PartialEq`).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct CodeVerifier(String);

impl CodeVerifier {
    /// Parses a verifier as sent to the token endpoint.
    pub fn parse(s: &str) -> Result<Self> {
        if !(43..=128).contains(&s.len()) || !s.bytes().all(unreserved) {
            return Err(Error::InvalidRequest(
                "code_verifier must be 43-128 unreserved characters",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// A new verifier: 32 random bytes, base64url (43 characters), as clients make them.
    pub fn generate(rng: &mut impl CryptoRng) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        let v = Self(URL_SAFE_NO_PAD.encode(bytes));
        bytes.zeroize();
        v
    }

    /// The verifier text.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// `BASE64URL(SHA256(ASCII(verifier)))`.
    pub fn challenge(&self) -> CodeChallenge {
        CodeChallenge(URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes())))
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(<redacted>)")
    }
}

/// A `code_challenge` for method `S256`: 43 base64url characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// Parses `code_challenge` with `code_challenge_method`. Only `S256` is supported; a
    /// challenge without a method (RFC 7636 would read it as `plain`) is refused, as Cognito does.
    pub fn parse(challenge: &str, method: Option<&str>) -> Result<Self> {
        match method {
            Some("S256") => {}
            None => {
                return Err(Error::InvalidRequest(
                    "code_challenge_method is required (S256)",
                ));
            }
            Some(_) => return Err(Error::InvalidRequest("code_challenge_method must be S256")),
        }
        let ok = challenge.len() == 43
            && URL_SAFE_NO_PAD
                .decode(challenge)
                .is_ok_and(|d| d.len() == 32);
        if !ok {
            return Err(Error::InvalidRequest(
                "code_challenge must be a base64url SHA-256 digest",
            ));
        }
        Ok(Self(challenge.to_owned()))
    }

    /// The challenge text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `verifier` matches, in constant time.
    pub fn verify(&self, verifier: &CodeVerifier) -> bool {
        verifier
            .challenge()
            .0
            .as_bytes()
            .ct_eq(self.0.as_bytes())
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static_assertions::assert_not_impl_any!(CodeVerifier: serde::Serialize, PartialEq, Clone);
    static_assertions::assert_not_impl_any!(
        crate::AuthorizationCode: serde::Serialize,
        PartialEq,
        Clone
    );

    /// RFC 7636 Appendix B.
    #[test]
    fn rfc7636_appendix_b() {
        let verifier =
            CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").expect("verifier");
        assert_eq!(
            verifier.challenge().as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let challenge =
            CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Some("S256"))
                .expect("challenge");
        assert!(challenge.verify(&verifier));
        assert!(!challenge.verify(
            &CodeVerifier::parse("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj").expect("verifier")
        ));
    }

    #[test]
    fn verifier_and_challenge_rules() {
        assert!(CodeVerifier::parse(&"a".repeat(42)).is_err());
        assert!(CodeVerifier::parse(&"a".repeat(43)).is_ok());
        assert!(CodeVerifier::parse(&"a".repeat(128)).is_ok());
        assert!(CodeVerifier::parse(&"a".repeat(129)).is_err());
        assert!(CodeVerifier::parse(&format!("{}+", "a".repeat(42))).is_err());
        assert!(CodeVerifier::parse(&format!("{}=", "a".repeat(42))).is_err());
        let c = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(
            CodeChallenge::parse(c, Some("plain")),
            Err(Error::InvalidRequest("code_challenge_method must be S256"))
        );
        assert_eq!(
            CodeChallenge::parse(c, None),
            Err(Error::InvalidRequest(
                "code_challenge_method is required (S256)"
            ))
        );
        assert!(CodeChallenge::parse("short", Some("S256")).is_err());
        assert!(CodeChallenge::parse(&format!("{c}="), Some("S256")).is_err());
        assert_eq!(
            format!("{:?}", CodeVerifier::parse(&"a".repeat(43)).expect("v")),
            "CodeVerifier(<redacted>)"
        );
    }
}
