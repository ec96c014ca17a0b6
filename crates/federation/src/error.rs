//! The crate's one error type.

/// Why an ID token was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    /// The JWS itself: malformed, `alg` `none` or HS*, unknown `kid`, bad signature
    /// (`jwt_tokens`' strict parser and verifier).
    #[error("signature or header: {0}")]
    Jws(jwt_tokens::Error),
    /// The payload is not a JSON object.
    #[error("the payload is not a JSON object")]
    Payload,
    /// A required claim is missing or of the wrong JSON type.
    #[error("claim {0} is missing or malformed")]
    Claim(&'static str),
    /// `iss` is not the provider's issuer.
    #[error("wrong issuer")]
    WrongIssuer,
    /// `aud` does not name our client id at the provider.
    #[error("wrong audience")]
    WrongAudience,
    /// Several audiences and `azp` is not our client id.
    #[error("wrong authorized party")]
    WrongAuthorizedParty,
    /// `nonce` is not the one sent with the authorization request.
    #[error("wrong nonce")]
    WrongNonce,
    /// `exp` has passed (beyond the allowed skew).
    #[error("expired")]
    Expired,
    /// `iat` lies in the future (beyond the allowed skew).
    #[error("issued in the future")]
    IssuedInFuture,
}

/// What federation can report.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Invalid configuration (provider name, type, details, mapping, identifiers); the message
    /// is the `InvalidParameterException` message.
    #[error("{0}")]
    InvalidParameter(String),
    /// A provider type this build does not federate with.
    #[error("unsupported identity provider type {0}")]
    UnsupportedProviderType(String),
    /// The provider answered the authorization request with an error (`error=…`).
    #[error("the provider answered {error}")]
    ProviderError {
        /// `error`, e.g. `access_denied`.
        error: String,
        /// `error_description`, if any.
        description: Option<String>,
    },
    /// The provider's token response is unusable.
    #[error("token response: {0}")]
    TokenResponse(&'static str),
    /// The ID token was refused.
    #[error("ID token: {0}")]
    IdToken(IdTokenError),
    /// The provider's key set is unusable.
    #[error("JWKS: {0}")]
    Jwks(&'static str),
    /// The provider's discovery document is unusable.
    #[error("discovery: {0}")]
    Discovery(&'static str),
    /// The provider's user-info answer is unusable.
    #[error("user info: {0}")]
    UserInfo(&'static str),
    /// The provider identity has no usable subject.
    #[error("the provider identity has no subject")]
    MissingSubject,
}

impl From<IdTokenError> for Error {
    fn from(e: IdTokenError) -> Self {
        Self::IdToken(e)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// `Error::InvalidParameter` with `message`.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::InvalidParameter(message.into())
}
