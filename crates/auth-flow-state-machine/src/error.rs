//! The crate's one error type; the facade maps each variant to one Cognito exception.

/// What a sign-in step can refuse.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// `AuthFlow` is not a flow Cognito knows (`InvalidParameterException`).
    #[error(
        "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
    )]
    UnknownFlow,
    /// An admin-only flow sent to InitiateAuth (`InvalidParameterException`).
    #[error("Initiate Auth method not supported")]
    AdminOnlyFlow,
    /// The client does not allow the flow (`InvalidParameterException`, Cognito's message).
    #[error("{0}")]
    FlowNotEnabled(&'static str),
    /// Locked out after repeated failures (`NotAuthorizedException`).
    #[error("Password attempts exceeded")]
    PasswordAttemptsExceeded {
        /// Unix second the lockout ends.
        until: i64,
    },
    /// The TOTP code is wrong, outside ±1 step, or was already used (`CodeMismatchException`).
    #[error("Invalid code received for user")]
    TotpMismatch,
    /// A TOTP secret or code that cannot be used (`InvalidParameterException`).
    #[error("invalid software token: {0}")]
    InvalidTotp(&'static str),
    /// The `Session` is malformed, forged or for another pool or client
    /// (`NotAuthorizedException`).
    #[error("Invalid session for the user.")]
    InvalidSession,
    /// The `Session` expired (`NotAuthorizedException`).
    #[error("Invalid session for the user, session is expired.")]
    SessionExpired,
    /// A response to another challenge than the pending one (`InvalidParameterException`).
    #[error("The challenge name does not match the pending challenge")]
    WrongStep,
}

/// `Result` with [`FlowError`].
pub type Result<T, E = FlowError> = core::result::Result<T, E>;
