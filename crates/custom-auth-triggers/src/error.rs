//! The crate's one error type, with the Cognito exception each case becomes.

use crate::kind::TriggerKind;

/// A trigger invocation that did not produce a usable response.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriggerError {
    /// The handler (the Lambda function) failed with this message.
    #[error("{trigger} failed with error {message}.")]
    HandlerFailed {
        /// Which trigger.
        trigger: TriggerKind,
        /// The handler's own message.
        message: String,
    },
    /// The handler did not answer in time.
    #[error("{trigger} invocation timed out.")]
    Timeout {
        /// Which trigger.
        trigger: TriggerKind,
    },
    /// The handler could not be reached (connection refused, HTTP error, …).
    #[error("{trigger} invocation failed: {reason}")]
    Unreachable {
        /// Which trigger.
        trigger: TriggerKind,
        /// What went wrong, without the event.
        reason: String,
    },
    /// The handler answered, but not with a valid response for this trigger.
    #[error("Invalid {trigger} Lambda response: {reason}")]
    InvalidResponse {
        /// Which trigger.
        trigger: TriggerKind,
        /// What was wrong with it.
        reason: String,
    },
}

impl TriggerError {
    /// The Cognito exception the facade answers with: `UserLambdaValidationException` when the
    /// function itself failed, `InvalidLambdaResponseException` for a malformed answer, and
    /// `UnexpectedLambdaException` when it could not be invoked or timed out.
    pub fn exception(&self) -> &'static str {
        match self {
            Self::HandlerFailed { .. } => "UserLambdaValidationException",
            Self::InvalidResponse { .. } => "InvalidLambdaResponseException",
            Self::Timeout { .. } | Self::Unreachable { .. } => "UnexpectedLambdaException",
        }
    }
}

/// What a handler reports when it cannot answer; the registry adds the trigger.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandlerError {
    /// The function ran and failed (a thrown error, `X-Amz-Function-Error`).
    #[error("{0}")]
    Failed(String),
    /// The function could not be invoked.
    #[error("{0}")]
    Unreachable(String),
    /// The function answered with something that is not an event.
    #[error("{0}")]
    InvalidResponse(String),
}
