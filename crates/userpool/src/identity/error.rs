//! The identity component's error: Cognito Identity's exception names (its own set, apart from
//! the user pools') and messages. Every model, store and outbound failure is mapped here once.

use std::fmt;

use identity_pool_model::Error as ModelError;
use userpool_store::StoreError;

/// Cognito Identity's exception kinds (the `__type` of an error answer).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityErrorKind {
    /// `InvalidParameterException`.
    InvalidParameter,
    /// `NotAuthorizedException`.
    NotAuthorized,
    /// `ResourceNotFoundException`.
    ResourceNotFound,
    /// `ResourceConflictException`: a login linked to another identity.
    ResourceConflict,
    /// `DeveloperUserAlreadyRegisteredException`.
    DeveloperUserAlreadyRegistered,
    /// `InvalidIdentityPoolConfigurationException`: no role, or STS refused it.
    InvalidIdentityPoolConfiguration,
    /// `ExternalServiceException`: an identity provider or STS did not answer usefully.
    ExternalService,
    /// `LimitExceededException`.
    LimitExceeded,
    /// `ConcurrentModificationException`.
    ConcurrentModification,
    /// `InternalErrorException`.
    InternalError,
}

impl IdentityErrorKind {
    /// The exception name, as `__type` carries it.
    pub fn exception_name(self) -> &'static str {
        match self {
            Self::InvalidParameter => "InvalidParameterException",
            Self::NotAuthorized => "NotAuthorizedException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::ResourceConflict => "ResourceConflictException",
            Self::DeveloperUserAlreadyRegistered => "DeveloperUserAlreadyRegisteredException",
            Self::InvalidIdentityPoolConfiguration => "InvalidIdentityPoolConfigurationException",
            Self::ExternalService => "ExternalServiceException",
            Self::LimitExceeded => "LimitExceededException",
            Self::ConcurrentModification => "ConcurrentModificationException",
            Self::InternalError => "InternalErrorException",
        }
    }

    /// Whether the fault is the server's (an adapter answers 500), not the caller's.
    pub fn is_server_fault(self) -> bool {
        self == Self::InternalError
    }
}

/// An identity-pool error answer: a kind and the message. The message never holds a token or
/// a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityError {
    kind: IdentityErrorKind,
    message: String,
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.exception_name(), self.message)
    }
}

impl std::error::Error for IdentityError {}

/// `Result` with [`IdentityError`].
pub type IdentityResult<T, E = IdentityError> = Result<T, E>;

impl IdentityError {
    /// An error of `kind` with `message`.
    pub fn new(kind: IdentityErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> IdentityErrorKind {
        self.kind
    }

    /// The exception name (`NotAuthorizedException`, …).
    pub fn exception_name(&self) -> &'static str {
        self.kind.exception_name()
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn internal() -> Self {
        Self::new(IdentityErrorKind::InternalError, "Internal server error")
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(IdentityErrorKind::InvalidParameter, message)
    }

    pub(crate) fn not_authorized(message: impl Into<String>) -> Self {
        Self::new(IdentityErrorKind::NotAuthorized, message)
    }

    /// `InvalidParameterException` for a missing required member.
    pub(crate) fn missing(member: &str) -> Self {
        Self::invalid(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    }

    /// `ResourceNotFoundException: IdentityPool '<id>' not found.`
    pub(crate) fn pool_not_found(id: &str) -> Self {
        Self::new(
            IdentityErrorKind::ResourceNotFound,
            format!("IdentityPool '{id}' not found."),
        )
    }

    /// `ResourceNotFoundException: Identity '<id>' not found.`
    pub(crate) fn identity_not_found(id: &str) -> Self {
        Self::new(
            IdentityErrorKind::ResourceNotFound,
            format!("Identity '{id}' not found."),
        )
    }

    /// `NotAuthorizedException: Access to Identity '<id>' is forbidden.` — no logins for an
    /// authenticated identity, or a disabled one.
    pub(crate) fn forbidden(id: &str) -> Self {
        Self::not_authorized(format!("Access to Identity '{id}' is forbidden."))
    }

    /// `NotAuthorizedException: Invalid login token. Couldn't verify signed token.`
    pub(crate) fn unverified() -> Self {
        ModelError::SignatureNotVerified.into()
    }

    /// `ResourceConflictException` for a login linked to another identity.
    pub(crate) fn login_linked() -> Self {
        Self::new(
            IdentityErrorKind::ResourceConflict,
            "The login is already linked to another identity.",
        )
    }

    /// A store failure; backend details are logged, never answered.
    pub(crate) fn from_store(e: &StoreError) -> Self {
        match e {
            StoreError::IdentityPoolNotFound => Self::new(
                IdentityErrorKind::ResourceNotFound,
                "The identity pool does not exist.",
            ),
            StoreError::IdentityNotFound => Self::new(
                IdentityErrorKind::ResourceNotFound,
                "The identity does not exist.",
            ),
            StoreError::IdentityPoolExists | StoreError::IdentityExists => Self::new(
                IdentityErrorKind::ConcurrentModification,
                "The resource was created by another request; retry.",
            ),
            StoreError::LoginLinked => Self::login_linked(),
            StoreError::InvalidPaginationToken => Self::invalid("Invalid pagination token."),
            StoreError::Backend(detail) => {
                tracing::error!(target: "userpool::store", error = %detail, "store backend failure");
                Self::internal()
            }
            _ => Self::internal(),
        }
    }
}

impl From<ModelError> for IdentityError {
    fn from(e: ModelError) -> Self {
        let kind = match e.exception_name() {
            "InvalidParameterException" => IdentityErrorKind::InvalidParameter,
            "NotAuthorizedException" => IdentityErrorKind::NotAuthorized,
            "InvalidIdentityPoolConfigurationException" => {
                IdentityErrorKind::InvalidIdentityPoolConfiguration
            }
            "ExternalServiceException" => IdentityErrorKind::ExternalService,
            _ => IdentityErrorKind::InternalError,
        };
        if let ModelError::StsRefused(sts) = &e {
            tracing::warn!(target: "userpool::identity", code = %sts.code, message = %sts.message, "STS refused AssumeRoleWithWebIdentity");
        }
        Self::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_errors_keep_cognitos_names_and_messages() {
        let e = IdentityError::from(ModelError::MissingClaim("aud"));
        assert_eq!(e.exception_name(), "NotAuthorizedException");
        assert_eq!(
            e.message(),
            "Invalid login token. Missing a required claim: aud"
        );
        assert_eq!(
            IdentityError::from(ModelError::NoRoleConfigured).exception_name(),
            "InvalidIdentityPoolConfigurationException"
        );
        assert_eq!(
            IdentityError::from(ModelError::StsMalformed("x")).kind(),
            IdentityErrorKind::ExternalService
        );
        assert_eq!(
            IdentityError::from_store(&StoreError::Backend("db down".into())).message(),
            "Internal server error"
        );
        assert_eq!(
            IdentityError::from_store(&StoreError::LoginLinked).exception_name(),
            "ResourceConflictException"
        );
        assert!(IdentityErrorKind::InternalError.is_server_fault());
        assert!(!IdentityErrorKind::NotAuthorized.is_server_fault());
        assert_eq!(
            IdentityError::forbidden("us-east-1:1").to_string(),
            "NotAuthorizedException: Access to Identity 'us-east-1:1' is forbidden."
        );
    }
}
