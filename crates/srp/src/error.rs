//! The crate's one error type.

use core::fmt;

/// A value that arrives on the wire and is checked by this crate.
///
/// Used inside [`Error`] to say *which* input was rejected, without echoing the input itself.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireValue {
    /// `SRP_A`, the client's public ephemeral value.
    SrpA,
    /// `SRP_B`, the server's public ephemeral value.
    SrpB,
    /// `SALT`, the salt of a user or device verifier.
    Salt,
    /// `SECRET_BLOCK` / `PASSWORD_CLAIM_SECRET_BLOCK`.
    SecretBlock,
    /// `PASSWORD_CLAIM_SIGNATURE`.
    Signature,
    /// `DeviceSecretVerifierConfig.PasswordVerifier`.
    PasswordVerifier,
    /// An ephemeral secret handed to a constructor (tests and interop only).
    EphemeralSecret,
}

impl fmt::Display for WireValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SrpA => "SRP_A",
            Self::SrpB => "SRP_B",
            Self::Salt => "SALT",
            Self::SecretBlock => "SECRET_BLOCK",
            Self::Signature => "PASSWORD_CLAIM_SIGNATURE",
            Self::PasswordVerifier => "PasswordVerifier",
            Self::EphemeralSecret => "ephemeral secret",
        })
    }
}

/// Everything that can go wrong in this crate.
///
/// Messages never contain the rejected input, a secret or a derived key. The facade maps these
/// to Cognito's exceptions: [`Error::TimestampFormat`] becomes `InvalidParameterException`
/// (its message is Cognito's own), a bad `SRP_A` an `InvalidParameterException`, and every
/// proof failure (`SignatureMismatch`, `TimestampNotCanonical`, `TimestampOutsideWindow`, …)
/// `NotAuthorizedException: Incorrect username or password.`
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The value was empty.
    #[error("{0} is empty")]
    Empty(WireValue),
    /// The value is longer than this crate accepts; rejected before any big-integer work.
    #[error("{value} is longer than {max} characters")]
    TooLong {
        /// Which value.
        value: WireValue,
        /// The limit, in characters of its wire encoding.
        max: usize,
    },
    /// The value is not hexadecimal (`0-9a-fA-F`, no sign, no prefix, no whitespace).
    #[error("{0} is not hexadecimal")]
    NotHex(WireValue),
    /// The value is not valid standard Base64 (with padding).
    #[error("{0} is not valid base64")]
    NotBase64(WireValue),
    /// A public value `A` or `B` is congruent to zero modulo `N` (`0`, `N`, `2N`, …).
    #[error("{0} is zero modulo N")]
    ZeroModN(WireValue),
    /// A public value or verifier is not reduced: it is greater than or equal to `N`.
    #[error("{0} is not less than the group modulus N")]
    NotReduced(WireValue),
    /// The scrambling parameter `u = H(padHex(A) ‖ padHex(B))` is zero.
    #[error("the scrambling parameter u is zero")]
    ZeroScramblingParameter,
    /// `PASSWORD_CLAIM_SIGNATURE` does not decode to the 32 bytes of an HMAC-SHA256 tag.
    #[error("PASSWORD_CLAIM_SIGNATURE decodes to {0} bytes, expected 32")]
    SignatureLength(usize),
    /// The claim signature does not match: wrong password, user, pool, secret block or timestamp.
    #[error("incorrect PASSWORD_CLAIM_SIGNATURE")]
    SignatureMismatch,
    /// `TIMESTAMP` does not parse. The message is Cognito's own.
    #[error("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")]
    TimestampFormat,
    /// `TIMESTAMP` parses but is not in canonical form: zero-padded day, wrong weekday or a
    /// field out of range (Cognito answers these with `NotAuthorizedException`).
    #[error("TIMESTAMP is not in canonical form")]
    TimestampNotCanonical,
    /// `TIMESTAMP` is further from the server's clock than the allowed window.
    #[error("TIMESTAMP is outside the allowed clock skew window")]
    TimestampOutsideWindow,
    /// The random number generator produced only unusable ephemeral secrets (zero, or values
    /// for which `B` or `u` vanish) several times in a row: it is broken.
    #[error("the random number generator produced no usable ephemeral secret")]
    BadRandomness,
    /// A serialized [`ServerHandshake`](crate::ServerHandshake) could not be read back.
    #[error("the serialized SRP server state is malformed")]
    MalformedState,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
