//! The crate's one error type.

use crate::sts::StsErrorResponse;

/// Something Cognito identity pools refuse. Each variant maps to one Cognito exception
/// ([`Error::exception_name`]); `Display` is the message the facade sends with it — Cognito's
/// own text where we found it (sources in the crate's README), never a token or a secret.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `InvalidParameterException` with this message (AWS's validation sentences, or a
    /// Cognito sentence such as `… is not a valid RoleMapping ProviderName or is not a
    /// configured provider.`).
    #[error("{0}")]
    InvalidParameter(String),
    /// No `Logins` and the pool does not allow unauthenticated identities.
    #[error("Unauthenticated access is not supported for this identity pool.")]
    UnauthenticatedNotSupported,
    /// A `Logins` key that is none of the pool's providers, or a token whose audience is none
    /// of the provider's configured clients.
    #[error("Token is not from a supported provider of this identity pool.")]
    UnsupportedProvider,
    /// The token's signature did not verify (the facade's verdict, reported here so the
    /// message is Cognito's).
    #[error("Invalid login token. Couldn't verify signed token.")]
    SignatureNotVerified,
    /// The token's `iss` is not the issuer the `Logins` key names.
    #[error("Invalid login token. Issuer doesn't match providerName")]
    IssuerMismatch,
    /// A claim the check needs is absent — e.g. `aud` when a user pool *access* token is sent
    /// instead of the ID token (Cognito's answer to that mistake).
    #[error("Invalid login token. Missing a required claim: {0}")]
    MissingClaim(&'static str),
    /// A claim has the wrong JSON type or an impossible value.
    #[error("Invalid login token. Invalid claim: {0}")]
    InvalidClaim(&'static str),
    /// A user pool token with `aud` but whose `token_use` is not `id`.
    #[error("Invalid login token. Not an ID token.")]
    NotAnIdToken,
    /// `exp` is not after `now` (Cognito prints `now >= exp`).
    #[error("Invalid login token. Token expired: {now} >= {exp}")]
    TokenExpired {
        /// The caller's clock, unix seconds.
        now: i64,
        /// The token's `exp`.
        exp: i64,
    },
    /// `nbf` is after `now`.
    #[error("Invalid login token. Token is not yet valid.")]
    TokenNotYetValid,
    /// The role mapping found no role for this login and its `AmbiguousRoleResolution` is
    /// `Deny`.
    #[error("The ambiguous role mapping rules for: {provider} denied this request.")]
    AmbiguousRoleDenied {
        /// The provider whose mapping denied (the `Logins` key).
        provider: String,
    },
    /// `CustomRoleArn` is not one of the roles this login may assume.
    #[error("The role {0} is not one of the roles this login may assume.")]
    CustomRoleRefused(String),
    /// The logins presented are not linked to the identity they claim.
    #[error(
        "Logins don't match. Please include at least one valid login for this identity or identity pool."
    )]
    LoginsMismatch,
    /// The pool has no role for this kind of identity (authenticated / unauthenticated).
    #[error("Invalid identity pool configuration. Check assigned IAM roles for this pool.")]
    NoRoleConfigured,
    /// STS refused `AssumeRoleWithWebIdentity` (the role's trust policy, a bad token…). Cognito
    /// reports a failed AssumeRole as an invalid pool configuration; the STS error is kept for
    /// logs.
    #[error("Invalid identity pool configuration. Check assigned IAM roles for this pool.")]
    StsRefused(StsErrorResponse),
    /// STS answered with something that is not a well-formed response.
    #[error("STS returned a malformed response: {0}")]
    StsMalformed(&'static str),
}

impl Error {
    /// The Cognito exception the facade reports this as (`__type` on the wire).
    pub fn exception_name(&self) -> &'static str {
        match self {
            Self::InvalidParameter(_) => "InvalidParameterException",
            Self::UnauthenticatedNotSupported
            | Self::UnsupportedProvider
            | Self::SignatureNotVerified
            | Self::IssuerMismatch
            | Self::MissingClaim(_)
            | Self::InvalidClaim(_)
            | Self::NotAnIdToken
            | Self::TokenExpired { .. }
            | Self::TokenNotYetValid
            | Self::AmbiguousRoleDenied { .. }
            | Self::CustomRoleRefused(_)
            | Self::LoginsMismatch => "NotAuthorizedException",
            Self::NoRoleConfigured | Self::StsRefused(_) => {
                "InvalidIdentityPoolConfigurationException"
            }
            Self::StsMalformed(_) => "ExternalServiceException",
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// An `InvalidParameterException` in AWS's validation-sentence form:
/// `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <c>`.
/// Sensitive members (tokens) leave the value out, as AWS does.
pub(crate) fn constraint(member: &str, value: Option<&str>, constraint: &str) -> Error {
    let value = value.map_or_else(|| "Value".to_owned(), |v| format!("Value '{v}'"));
    Error::InvalidParameter(format!(
        "1 validation error detected: {value} at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// A length constraint sentence (`Member must have length less than or equal to 128`).
pub(crate) fn length(
    member: &str,
    value: Option<&str>,
    min: usize,
    max: usize,
    len: usize,
) -> Error {
    if len < min {
        constraint(
            member,
            value,
            &format!("Member must have length greater than or equal to {min}"),
        )
    } else {
        constraint(
            member,
            value,
            &format!("Member must have length less than or equal to {max}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_cognitos() {
        assert_eq!(
            Error::MissingClaim("aud").to_string(),
            "Invalid login token. Missing a required claim: aud"
        );
        assert_eq!(
            Error::TokenExpired {
                now: 1_754_028_847,
                exp: 1_754_027_905
            }
            .to_string(),
            "Invalid login token. Token expired: 1754028847 >= 1754027905"
        );
        assert_eq!(
            Error::AmbiguousRoleDenied {
                provider: "accounts.google.com".into()
            }
            .to_string(),
            "The ambiguous role mapping rules for: accounts.google.com denied this request."
        );
    }

    #[test]
    fn exception_names() {
        assert_eq!(
            Error::InvalidParameter(String::new()).exception_name(),
            "InvalidParameterException"
        );
        assert_eq!(
            Error::IssuerMismatch.exception_name(),
            "NotAuthorizedException"
        );
        assert_eq!(
            Error::NoRoleConfigured.exception_name(),
            "InvalidIdentityPoolConfigurationException"
        );
        assert_eq!(
            Error::StsMalformed("x").exception_name(),
            "ExternalServiceException"
        );
    }

    #[test]
    fn length_sentences() {
        assert_eq!(
            length("identityPoolName", Some(""), 1, 128, 0).to_string(),
            "1 validation error detected: Value '' at 'identityPoolName' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        assert_eq!(
            length("logins", None, 0, 10, 11).to_string(),
            "1 validation error detected: Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10"
        );
    }
}
