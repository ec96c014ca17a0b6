//! The crate's one error type; the facade maps each variant to one Cognito exception.

/// Why a ceremony was refused. Messages never contain key material or challenges.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebAuthnError {
    /// A member is missing, is not base64url, or does not parse (JSON, CBOR, authenticator
    /// data).
    #[error("malformed credential: {0}")]
    Malformed(&'static str),
    /// `type` is not `public-key`, or `clientDataJSON.type` is not the ceremony's.
    #[error("wrong ceremony type")]
    WrongType,
    /// `clientDataJSON.challenge` is not the challenge issued.
    #[error("the challenge does not match")]
    ChallengeMismatch,
    /// `clientDataJSON.origin` is not one of the allowed origins.
    #[error("the origin is not allowed")]
    OriginNotAllowed,
    /// The authenticator data's RP id hash is not SHA-256 of the relying party id.
    #[error("the relying party id does not match")]
    RelyingPartyMismatch,
    /// The user-present flag is not set.
    #[error("the user was not present")]
    UserNotPresent,
    /// User verification is required and the user-verified flag is not set.
    #[error("user verification is required")]
    UserVerificationRequired,
    /// The credential's algorithm or key type is not ES256 or RS256.
    #[error("unsupported public key algorithm")]
    UnsupportedAlgorithm,
    /// The attestation format is not `none` or `packed`.
    #[error("unsupported attestation format")]
    UnsupportedAttestation,
    /// A packed self-attestation whose signature does not verify, or an attestation
    /// statement that contradicts its format.
    #[error("invalid attestation statement")]
    InvalidAttestation,
    /// The assertion's signature does not verify with the stored key.
    #[error("invalid signature")]
    InvalidSignature,
    /// The assertion names another credential than the stored one.
    #[error("the credential does not match")]
    CredentialMismatch,
    /// The signature counter did not increase: a cloned authenticator is possible.
    #[error("the signature counter did not increase")]
    CounterRegressed,
}

/// This crate's results.
pub type Result<T, E = WebAuthnError> = core::result::Result<T, E>;
