//! The crate's one error type.

use userpool::DeliveryFailure;

/// Why a sender could not be built, or a message not delivered. Reasons never contain the
/// code or the message body.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A configuration value is unusable (a bad URL, address, key…).
    #[error("invalid delivery configuration: {0}")]
    Config(String),
    /// The relay or service could not be reached, or the connection failed.
    #[error("{service} unreachable: {reason}")]
    Unreachable {
        /// `SMTP`, `webhook`, `SNS`, `SES`, `KMS`.
        service: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The relay or service answered with a refusal.
    #[error("{service} refused the message: {reason}")]
    Rejected {
        /// `SMTP`, `webhook`, `SNS`, `SES`, `KMS`.
        service: &'static str,
        /// The status and the service's error code.
        reason: String,
    },
    /// This sender does not deliver messages of this medium (an SMS to the SMTP sender…).
    #[error("{service} does not deliver {medium} messages")]
    WrongMedium {
        /// The sender.
        service: &'static str,
        /// `EMAIL` or `SMS`.
        medium: &'static str,
    },
    /// The delivery queue is full: the message was dropped (the request fails with
    /// `CodeDeliveryFailureException` rather than wait for a slow relay).
    #[error("the delivery queue is full")]
    QueueFull,
    /// The delivery queue was shut down.
    #[error("the delivery queue is closed")]
    QueueClosed,
}

impl From<Error> for DeliveryFailure {
    fn from(e: Error) -> Self {
        Self(e.to_string())
    }
}
