//! The two signature algorithms: RS256 (what Cognito uses) and ES256.

use core::fmt;

/// A JWS signature algorithm this crate signs and verifies.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys or larger (Cognito's algorithm).
    RS256,
    /// ECDSA on P-256 with SHA-256, signature as `r ‖ s` (64 bytes).
    ES256,
}

impl Algorithm {
    /// The `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            Self::RS256 => "RS256",
            Self::ES256 => "ES256",
        }
    }

    /// The algorithm named exactly `name` (case-sensitive, as RFC 7515 requires).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Self::RS256),
            "ES256" => Some(Self::ES256),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
