//! The facade's one error type: Cognito's exception names and messages. Every crate error is
//! collapsed into it here, once; PreventUserExistenceErrors is applied here too.

use std::fmt;

use auth_flow_state_machine::FlowError;
use user_pool_model::PreventUserExistenceErrors;
use userpool_store::StoreError;

/// Cognito's exception kinds (the `__type` of an error answer).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `AliasExistsException`.
    AliasExists,
    /// `CodeMismatchException`.
    CodeMismatch,
    /// `ConcurrentModificationException`.
    ConcurrentModification,
    /// `ExpiredCodeException`.
    ExpiredCode,
    /// `GroupExistsException`.
    GroupExists,
    /// `InternalErrorException`.
    InternalError,
    /// `InvalidLambdaResponseException`.
    InvalidLambdaResponse,
    /// `InvalidParameterException`.
    InvalidParameter,
    /// `InvalidPasswordException`.
    InvalidPassword,
    /// `NotAuthorizedException`.
    NotAuthorized,
    /// `PasswordResetRequiredException`.
    PasswordResetRequired,
    /// `RefreshTokenReuseException`.
    RefreshTokenReuse,
    /// `ResourceNotFoundException`.
    ResourceNotFound,
    /// `ScopeDoesNotExistException`.
    ScopeDoesNotExist,
    /// `TooManyFailedAttemptsException`.
    TooManyFailedAttempts,
    /// `UserNotConfirmedException`.
    UserNotConfirmed,
    /// `UserNotFoundException`.
    UserNotFound,
    /// `UsernameExistsException`.
    UsernameExists,
    /// `CodeDeliveryFailureException`.
    CodeDeliveryFailure,
    /// `EnableSoftwareTokenMFAException`.
    EnableSoftwareTokenMfa,
    /// `InvalidUserPoolConfigurationException`.
    InvalidUserPoolConfiguration,
    /// `LimitExceededException`.
    LimitExceeded,
    /// `SoftwareTokenMFANotFoundException`.
    SoftwareTokenMfaNotFound,
    /// `UnauthorizedException`.
    Unauthorized,
    /// `UnexpectedLambdaException`.
    UnexpectedLambda,
    /// `UnsupportedOperationException`.
    UnsupportedOperation,
    /// `PreconditionNotMetException` (StopUserImportJob of a job that is not running).
    PreconditionNotMet,
    /// `UnsupportedTokenTypeException`.
    UnsupportedTokenType,
    /// `UnsupportedUserStateException`.
    UnsupportedUserState,
    /// `UserLambdaValidationException`.
    UserLambdaValidation,
    /// `UserPoolAddOnNotEnabledException`.
    UserPoolAddOnNotEnabled,
    /// `WebAuthnNotEnabledException`.
    WebAuthnNotEnabled,
    /// `WebAuthnConfigurationMissingException`.
    WebAuthnConfigurationMissing,
    /// `WebAuthnChallengeNotFoundException`.
    WebAuthnChallengeNotFound,
    /// `WebAuthnClientMismatchException`.
    WebAuthnClientMismatch,
    /// `WebAuthnCredentialNotSupportedException`.
    WebAuthnCredentialNotSupported,
    /// `WebAuthnOriginNotAllowedException`.
    WebAuthnOriginNotAllowed,
    /// `WebAuthnRelyingPartyMismatchException`.
    WebAuthnRelyingPartyMismatch,
    /// `DuplicateProviderException`.
    DuplicateProvider,
    /// `UnsupportedIdentityProviderException`.
    UnsupportedIdentityProvider,
}

impl ErrorKind {
    /// The exception name, as `__type` carries it.
    pub fn exception_name(self) -> &'static str {
        match self {
            Self::AliasExists => "AliasExistsException",
            Self::CodeMismatch => "CodeMismatchException",
            Self::ConcurrentModification => "ConcurrentModificationException",
            Self::ExpiredCode => "ExpiredCodeException",
            Self::GroupExists => "GroupExistsException",
            Self::InternalError => "InternalErrorException",
            Self::InvalidLambdaResponse => "InvalidLambdaResponseException",
            Self::InvalidParameter => "InvalidParameterException",
            Self::InvalidPassword => "InvalidPasswordException",
            Self::NotAuthorized => "NotAuthorizedException",
            Self::WebAuthnNotEnabled => "WebAuthnNotEnabledException",
            Self::WebAuthnConfigurationMissing => "WebAuthnConfigurationMissingException",
            Self::WebAuthnChallengeNotFound => "WebAuthnChallengeNotFoundException",
            Self::WebAuthnClientMismatch => "WebAuthnClientMismatchException",
            Self::WebAuthnCredentialNotSupported => "WebAuthnCredentialNotSupportedException",
            Self::WebAuthnOriginNotAllowed => "WebAuthnOriginNotAllowedException",
            Self::WebAuthnRelyingPartyMismatch => "WebAuthnRelyingPartyMismatchException",
            Self::PasswordResetRequired => "PasswordResetRequiredException",
            Self::RefreshTokenReuse => "RefreshTokenReuseException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::ScopeDoesNotExist => "ScopeDoesNotExistException",
            Self::TooManyFailedAttempts => "TooManyFailedAttemptsException",
            Self::UserNotConfirmed => "UserNotConfirmedException",
            Self::UserNotFound => "UserNotFoundException",
            Self::UsernameExists => "UsernameExistsException",
            Self::CodeDeliveryFailure => "CodeDeliveryFailureException",
            Self::EnableSoftwareTokenMfa => "EnableSoftwareTokenMFAException",
            Self::InvalidUserPoolConfiguration => "InvalidUserPoolConfigurationException",
            Self::LimitExceeded => "LimitExceededException",
            Self::SoftwareTokenMfaNotFound => "SoftwareTokenMFANotFoundException",
            Self::Unauthorized => "UnauthorizedException",
            Self::UnexpectedLambda => "UnexpectedLambdaException",
            Self::UnsupportedOperation => "UnsupportedOperationException",
            Self::PreconditionNotMet => "PreconditionNotMetException",
            Self::UnsupportedTokenType => "UnsupportedTokenTypeException",
            Self::UnsupportedUserState => "UnsupportedUserStateException",
            Self::UserLambdaValidation => "UserLambdaValidationException",
            Self::UserPoolAddOnNotEnabled => "UserPoolAddOnNotEnabledException",
            Self::DuplicateProvider => "DuplicateProviderException",
            Self::UnsupportedIdentityProvider => "UnsupportedIdentityProviderException",
        }
    }

    /// Whether the fault is the server's (an adapter answers 500), not the caller's.
    pub fn is_server_fault(self) -> bool {
        self == Self::InternalError
    }
}

/// An error answer: a kind and Cognito's message. The message never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.exception_name(), self.message)
    }
}

impl std::error::Error for Error {}

/// `Result` with the facade's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// `Incorrect username or password.`
pub const INCORRECT_CREDENTIALS: &str = "Incorrect username or password.";

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The exception name (`NotAuthorizedException`, …).
    pub fn exception_name(&self) -> &'static str {
        self.kind.exception_name()
    }

    /// Cognito's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A user that does not exist, as the client's PreventUserExistenceErrors setting says to
    /// report it: `UserNotFoundException` (LEGACY) or the wrong-password answer (ENABLED).
    /// `legacy_message` is the operation's own LEGACY message (`User does not exist.`, or
    /// `Username/client id combination not found.` for ForgotPassword and
    /// ResendConfirmationCode).
    pub fn user_not_found(prevent: PreventUserExistenceErrors, legacy_message: &str) -> Self {
        match prevent {
            PreventUserExistenceErrors::Legacy => {
                Self::new(ErrorKind::UserNotFound, legacy_message)
            }
            PreventUserExistenceErrors::Enabled => {
                Self::new(ErrorKind::NotAuthorized, INCORRECT_CREDENTIALS)
            }
        }
    }

    /// A flow error, with PreventUserExistenceErrors applied (`UserNotFound` under ENABLED
    /// never leaves the machine, which answers with a phantom user instead; this mapping
    /// holds the line if it ever did).
    pub fn from_flow(e: &FlowError, prevent: PreventUserExistenceErrors) -> Self {
        use ErrorKind::*;
        let kind = match e {
            FlowError::UserNotFound => return Self::user_not_found(prevent, &e.to_string()),
            FlowError::Model(m) => return Self::from(m.clone()),
            FlowError::UnknownFlow
            | FlowError::AdminOnlyFlow
            | FlowError::FlowNotEnabled(_)
            | FlowError::MissingParameter(_)
            | FlowError::InvalidParameter(_)
            | FlowError::UnknownChallenge
            | FlowError::InvalidTotp(_)
            | FlowError::WrongStep { .. }
            | FlowError::NoMfaFactor => InvalidParameter,
            FlowError::IncorrectCredentials { .. }
            | FlowError::UserDisabled
            | FlowError::TemporaryPasswordExpired
            | FlowError::PasswordAttemptsExceeded { .. }
            | FlowError::CodeAttemptsExceeded
            | FlowError::InvalidSession
            | FlowError::SessionExpired
            | FlowError::OtherUser
            | FlowError::RefreshTokenRevoked
            | FlowError::RefreshTokenExpired
            | FlowError::InvalidRefreshToken
            | FlowError::WebAuthn(_) => NotAuthorized,
            FlowError::UserNotConfirmed => UserNotConfirmed,
            FlowError::PasswordResetRequired => PasswordResetRequired,
            FlowError::TotpMismatch | FlowError::CodeMismatch => CodeMismatch,
            FlowError::DeviceNotFound => ResourceNotFound,
            FlowError::InvalidLambdaResponse(_) => InvalidLambdaResponse,
            // `Randomness` and whatever later versions add.
            _ => InternalError,
        };
        let message = match kind {
            InternalError => "Internal server error".to_owned(),
            _ => e.to_string(),
        };
        Self::new(kind, message)
    }

    /// A store error, with PreventUserExistenceErrors applied to a missing user. Backend
    /// failures become `InternalErrorException` without their detail.
    pub fn from_store(e: &StoreError, prevent: PreventUserExistenceErrors) -> Self {
        use ErrorKind::*;
        match e {
            StoreError::UserNotFound => Self::user_not_found(prevent, "User does not exist."),
            StoreError::PoolNotFound => Self::new(ResourceNotFound, "User pool does not exist."),
            StoreError::ClientNotFound => {
                Self::new(ResourceNotFound, "User pool client does not exist.")
            }
            StoreError::GroupNotFound => Self::new(ResourceNotFound, "Group not found."),
            StoreError::UsernameExists => Self::new(UsernameExists, "User already exists"),
            StoreError::AliasExists(attribute) => Self::new(
                AliasExists,
                format!("An account with the {attribute} already exists."),
            ),
            StoreError::GroupExists => {
                Self::new(GroupExists, "A group with the name already exists.")
            }
            StoreError::VersionConflict => Self::new(
                ConcurrentModification,
                "The user was modified by another request; retry.",
            ),
            StoreError::CodeNotFound | StoreError::CodeExpired => Self::new(
                ExpiredCode,
                "Invalid code provided, please request a code again.",
            ),
            StoreError::CodeMismatch => Self::new(
                CodeMismatch,
                "Invalid verification code provided, please try again.",
            ),
            StoreError::TooManyAttempts => Self::new(
                TooManyFailedAttempts,
                "Too many failed attempts, please request a code again.",
            ),
            StoreError::RefreshTokenNotFound => Self::new(NotAuthorized, "Invalid Refresh Token"),
            StoreError::FamilyRevoked => Self::new(NotAuthorized, "Refresh Token has been revoked"),
            _ => Self::new(InternalError, "Internal server error"),
        }
    }
}

/// A store failure inside an operation: logged when the backend failed (without reaching the
/// caller), then Cognito's exception for it (a missing user as `UserNotFoundException`; the
/// operations where PreventUserExistenceErrors applies map it themselves).
impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        if let StoreError::Backend(detail) = &e {
            tracing::error!(target: "userpool::store", error = %detail, "store backend failure");
        }
        Self::from_store(&e, PreventUserExistenceErrors::Legacy)
    }
}

impl From<user_pool_model::Error> for Error {
    fn from(e: user_pool_model::Error) -> Self {
        use user_pool_model::Error as M;
        let kind = match &e {
            M::InvalidPassword(_) => ErrorKind::InvalidPassword,
            M::NotAuthorized(_) | M::InvalidTransition(_) => ErrorKind::NotAuthorized,
            _ => ErrorKind::InvalidParameter,
        };
        Self::new(kind, e.to_string())
    }
}

impl From<custom_auth_triggers::TriggerError> for Error {
    fn from(e: custom_auth_triggers::TriggerError) -> Self {
        let kind = match e.exception() {
            "UserLambdaValidationException" => ErrorKind::UserLambdaValidation,
            "InvalidLambdaResponseException" => ErrorKind::InvalidLambdaResponse,
            _ => ErrorKind::UnexpectedLambda,
        };
        Self::new(kind, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PreventUserExistenceErrors::{Enabled, Legacy};

    #[test]
    fn flow_errors_map_to_cognito() {
        let cases = [
            (
                FlowError::IncorrectCredentials { counts: true },
                "NotAuthorizedException",
                "Incorrect username or password.",
            ),
            (
                FlowError::PasswordAttemptsExceeded { until: 9 },
                "NotAuthorizedException",
                "Password attempts exceeded",
            ),
            (
                FlowError::UserNotConfirmed,
                "UserNotConfirmedException",
                "User is not confirmed.",
            ),
            (
                FlowError::PasswordResetRequired,
                "PasswordResetRequiredException",
                "Password reset required for the user",
            ),
            (
                FlowError::SessionExpired,
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.",
            ),
            (
                FlowError::CodeMismatch,
                "CodeMismatchException",
                "Invalid code or auth state for the user.",
            ),
            (
                FlowError::DeviceNotFound,
                "ResourceNotFoundException",
                "Device does not exist.",
            ),
            (
                FlowError::AdminOnlyFlow,
                "InvalidParameterException",
                "Initiate Auth method not supported",
            ),
            (
                FlowError::Randomness,
                "InternalErrorException",
                "Internal server error",
            ),
        ];
        for (flow, name, message) in cases {
            let e = Error::from_flow(&flow, Legacy);
            assert_eq!(
                (e.exception_name(), e.message()),
                (name, message),
                "{flow:?}"
            );
        }
        let policy = FlowError::Model(user_pool_model::Error::InvalidPassword(
            "Password not long enough",
        ));
        let e = Error::from_flow(&policy, Legacy);
        assert_eq!(e.exception_name(), "InvalidPasswordException");
        assert_eq!(
            e.message(),
            "Password did not conform with policy: Password not long enough"
        );
    }

    /// PreventUserExistenceErrors is applied in one place.
    #[test]
    fn missing_users_follow_the_client_setting() {
        let legacy = Error::from_flow(&FlowError::UserNotFound, Legacy);
        assert_eq!(
            (legacy.exception_name(), legacy.message()),
            ("UserNotFoundException", "User does not exist.")
        );
        let hidden = Error::from_flow(&FlowError::UserNotFound, Enabled);
        assert_eq!(
            (hidden.exception_name(), hidden.message()),
            ("NotAuthorizedException", INCORRECT_CREDENTIALS)
        );
        let store = Error::from_store(&StoreError::UserNotFound, Enabled);
        assert_eq!(store, hidden);
        let forgot = Error::user_not_found(Legacy, "Username/client id combination not found.");
        assert_eq!(
            forgot.to_string(),
            "UserNotFoundException: Username/client id combination not found."
        );
    }

    #[test]
    fn store_errors_map_to_cognito() {
        let e = Error::from_store(&StoreError::AliasExists("email".into()), Legacy);
        assert_eq!(
            (e.exception_name(), e.message()),
            (
                "AliasExistsException",
                "An account with the email already exists."
            )
        );
        let e = Error::from_store(&StoreError::CodeExpired, Legacy);
        assert_eq!(
            e.message(),
            "Invalid code provided, please request a code again."
        );
        assert!(
            Error::from_store(&StoreError::Backend("db down".into()), Legacy)
                .kind()
                .is_server_fault()
        );
        assert!(
            !Error::from_store(&StoreError::Backend("db down".into()), Legacy)
                .message()
                .contains("db")
        );
    }
}
