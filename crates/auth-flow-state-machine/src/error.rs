//! The crate's one error type; the facade maps each variant to one Cognito exception.

use crate::flows::ChallengeName;

/// What a sign-in step can refuse. Messages are Cognito's own and never contain a password,
/// code, proof or session.
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
    /// A required `AuthParameters` / `ChallengeResponses` key is missing
    /// (`InvalidParameterException`).
    #[error("Missing required parameter {0}")]
    MissingParameter(&'static str),
    /// A parameter is present but unusable, e.g. `SRP_A` ≡ 0 mod N (`InvalidParameterException`).
    #[error("{0}")]
    InvalidParameter(&'static str),
    /// `ChallengeName` is not a challenge Cognito knows (`InvalidParameterException`).
    #[error(
        "1 validation error detected: Value at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set"
    )]
    UnknownChallenge,
    /// Wrong password, wrong proof, or an unknown user hidden by PreventUserExistenceErrors
    /// (`NotAuthorizedException`). Counts as a failed attempt when it answers a password step.
    #[error("Incorrect username or password.")]
    IncorrectCredentials {
        /// Whether the facade must record a failed sign-in attempt (lockout).
        counts: bool,
    },
    /// The user does not exist and the client uses LEGACY errors (`UserNotFoundException`).
    #[error("User does not exist.")]
    UserNotFound,
    /// The user has not confirmed the sign-up (`UserNotConfirmedException`).
    #[error("User is not confirmed.")]
    UserNotConfirmed,
    /// The user must reset the password first (`PasswordResetRequiredException`).
    #[error("Password reset required for the user")]
    PasswordResetRequired,
    /// The user is disabled (`NotAuthorizedException`).
    #[error("User is disabled.")]
    UserDisabled,
    /// The admin-set temporary password expired (`NotAuthorizedException`).
    #[error("Temporary password has expired and must be reset by an administrator.")]
    TemporaryPasswordExpired,
    /// Locked out after repeated failures (`NotAuthorizedException`). Does not count.
    #[error("Password attempts exceeded")]
    PasswordAttemptsExceeded {
        /// Unix second the lockout ends.
        until: i64,
    },
    /// The TOTP code is wrong, outside ±1 step, or was already used (`CodeMismatchException`).
    /// The session stays usable until the attempt limit.
    #[error("Invalid code received for user")]
    TotpMismatch,
    /// A TOTP secret or code that cannot be used (`InvalidParameterException`).
    #[error("invalid software token: {0}")]
    InvalidTotp(&'static str),
    /// A wrong SMS / email code (`CodeMismatchException`). The session stays usable until the
    /// attempt limit.
    #[error("Invalid code or auth state for the user.")]
    CodeMismatch,
    /// Too many wrong codes in one session (`NotAuthorizedException`); the session is spent.
    #[error("Invalid session for the user.")]
    CodeAttemptsExceeded,
    /// The `Session` is malformed, forged or for another pool or client
    /// (`NotAuthorizedException`).
    #[error("Invalid session for the user.")]
    InvalidSession,
    /// The `Session` expired (`NotAuthorizedException`).
    #[error("Invalid session for the user, session is expired.")]
    SessionExpired,
    /// The response names a different user than the pending step (`NotAuthorizedException`).
    #[error("Invalid session for the user.")]
    OtherUser,
    /// A response to another challenge than the pending one (`InvalidParameterException`).
    #[error("The challenge name does not match the pending challenge")]
    WrongStep {
        /// What the session waits for.
        expected: ChallengeName,
        /// What the request answered.
        got: ChallengeName,
    },
    /// The remembered device in `DEVICE_KEY` is not the user's (`ResourceNotFoundException`).
    #[error("Device does not exist.")]
    DeviceNotFound,
    /// MFA is required but the user has no factor the pool can verify or set up
    /// (`InvalidParameterException`).
    #[error("User does not have delivery config set to turn on MFA")]
    NoMfaFactor,
    /// The new password breaks the policy or a required attribute is wrong (the model's
    /// error: `InvalidPasswordException` / `InvalidParameterException` / `NotAuthorizedException`).
    #[error(transparent)]
    Model(#[from] user_pool_model::Error),
    /// A custom-auth trigger answered something Cognito would refuse
    /// (`InvalidLambdaResponseException`).
    #[error("{0}")]
    InvalidLambdaResponse(&'static str),
    /// The refresh token was revoked (`NotAuthorizedException`).
    #[error("Refresh Token has been revoked")]
    RefreshTokenRevoked,
    /// The refresh token expired (`NotAuthorizedException`).
    #[error("Refresh Token has expired")]
    RefreshTokenExpired,
    /// The refresh token is unknown, for another client or device (`NotAuthorizedException`).
    #[error("Invalid Refresh Token")]
    InvalidRefreshToken,
    /// A passkey assertion was refused (`NotAuthorizedException`).
    #[error("Incorrect username or password.")]
    WebAuthn(webauthn_rp::WebAuthnError),
    /// The random source failed (`InternalErrorException`).
    #[error("random source failure")]
    Randomness,
}

impl FlowError {
    /// Whether the facade must record one failed sign-in attempt for the user (atomically,
    /// across flows and clients) before answering.
    pub fn counts_as_failed_attempt(&self) -> bool {
        matches!(self, Self::IncorrectCredentials { counts: true })
    }

    /// Whether the `Session` that was answered stays usable: a wrong MFA code, or an answer
    /// refused for its shape before any secret was checked (wrong step, other user, a missing
    /// or malformed parameter, a new password the policy rejects), may be retried. The facade counts these against the session and passes the
    /// count back (`session_failures`): after [`FlowSettings::max_code_attempts`] the session
    /// is spent. Every other outcome spends the session at once.
    ///
    /// [`FlowSettings::max_code_attempts`]: crate::FlowSettings::max_code_attempts
    pub fn keeps_session(&self) -> bool {
        matches!(
            self,
            Self::CodeMismatch
                | Self::TotpMismatch
                | Self::Model(_)
                | Self::MissingParameter(_)
                | Self::InvalidParameter(_)
                | Self::WrongStep { .. }
                | Self::UnknownChallenge
                | Self::OtherUser
        )
    }
}

/// `Result` with [`FlowError`].
pub type Result<T, E = FlowError> = core::result::Result<T, E>;
