//! The crate's one error type.

/// A rule of the domain was broken. Each variant maps to one Cognito exception in the facade;
/// the messages are Cognito's own where Cognito has one, and never contain a password or code.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// `InvalidParameterException` with this message.
    #[error("{0}")]
    InvalidParameter(String),
    /// `InvalidPasswordException`: `Password did not conform with policy: <reason>`.
    #[error("Password did not conform with policy: {0}")]
    InvalidPassword(&'static str),
    /// `NotAuthorizedException` with this message (e.g. writing an attribute the client may not).
    #[error("{0}")]
    NotAuthorized(String),
    /// `InvalidParameterException: Error while parsing filter`.
    #[error("Error while parsing filter")]
    FilterSyntax,
    /// `InvalidParameterException: Invalid search attribute: <name>`.
    #[error("Invalid search attribute: {0}")]
    FilterAttribute(String),
    /// A user status transition that Cognito does not allow, with Cognito's message.
    #[error("{0}")]
    InvalidTransition(&'static str),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// An `InvalidParameterException` in AWS's validation-sentence form:
/// `1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: <c>`.
/// Sensitive members leave the value out, as AWS does.
pub(crate) fn constraint(member: &str, value: Option<&str>, constraint: &str) -> Error {
    let value = value.map_or_else(|| "Value".to_owned(), |v| format!("Value '{v}'"));
    Error::InvalidParameter(format!(
        "1 validation error detected: {value} at '{member}' failed to satisfy constraint: {constraint}"
    ))
}
