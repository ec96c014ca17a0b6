//! OAuth 2.0 errors, as the authorization and token endpoints report them.

use core::fmt;

/// An RFC 6749 error code.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorCode {
    /// `invalid_request`.
    InvalidRequest,
    /// `invalid_client`.
    InvalidClient,
    /// `invalid_grant`.
    InvalidGrant,
    /// `unauthorized_client`.
    UnauthorizedClient,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `invalid_scope`.
    InvalidScope,
}

impl OAuthErrorCode {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything this crate refuses. [`Error::code`] gives the OAuth error to answer with;
/// [`Error::redirectable`] says whether the authorization endpoint may send it to the client's
/// redirect URI (never for an unknown client or an unregistered redirect URI).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `client_id` is missing or not the client handling the request.
    #[error("unknown client")]
    UnknownClient,
    /// `redirect_uri` is missing, malformed or not registered for the client.
    #[error("redirect_mismatch")]
    RedirectMismatch,
    /// A parameter is missing, repeated or malformed.
    #[error("invalid request: {0}")]
    InvalidRequest(&'static str),
    /// `response_type` is not `code` or `token`.
    #[error("unsupported response type")]
    UnsupportedResponseType,
    /// The client may not use this flow.
    #[error("the client is not allowed to use this flow")]
    UnauthorizedClient,
    /// A scope is malformed, or none of the requested scopes is allowed.
    #[error("invalid scope")]
    InvalidScope,
    /// The code is unknown, used, expired, or bound to another client or redirect URI, or the
    /// PKCE verifier does not match (or was sent for a code issued without a challenge).
    #[error("invalid grant: {0}")]
    InvalidGrant(&'static str),
}

impl Error {
    /// The OAuth error code.
    pub fn code(&self) -> OAuthErrorCode {
        match self {
            Self::UnknownClient => OAuthErrorCode::InvalidClient,
            Self::RedirectMismatch | Self::InvalidRequest(_) => OAuthErrorCode::InvalidRequest,
            Self::UnsupportedResponseType => OAuthErrorCode::UnsupportedResponseType,
            Self::UnauthorizedClient => OAuthErrorCode::UnauthorizedClient,
            Self::InvalidScope => OAuthErrorCode::InvalidScope,
            Self::InvalidGrant(_) => OAuthErrorCode::InvalidGrant,
        }
    }

    /// Whether the authorization endpoint may redirect this error to the client.
    pub fn redirectable(&self) -> bool {
        !matches!(self, Self::UnknownClient | Self::RedirectMismatch)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
