//! STS `AssumeRoleWithWebIdentity`, as the enhanced flow calls it: the request's form pairs
//! and a strict, size-bounded parser for the XML answer (success or `ErrorResponse`).

mod request;
mod response;
mod xml;

pub use request::{
    AssumeRoleWithWebIdentityRequest, COGNITO_CREDENTIALS_SECONDS, COGNITO_ROLE_SESSION_NAME,
    DURATION_SECONDS, RoleSessionName, STS_VERSION, WebIdentityToken,
};
pub use response::{
    AssumeRoleWithWebIdentityResult, AssumedRoleUser, MAX_STS_RESPONSE_LEN, STS_NAMESPACE,
    parse_assume_role_with_web_identity_response,
};

/// An STS `ErrorResponse`: `<ErrorResponse><Error><Type/><Code/><Message/></Error>
/// <RequestId/></ErrorResponse>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsErrorResponse {
    /// `Type`: `Sender` (the request) or `Receiver` (STS itself).
    pub kind: Option<String>,
    /// `Code` (`AccessDenied`, `InvalidIdentityToken`, `ExpiredTokenException`, …).
    pub code: String,
    /// `Message`.
    pub message: String,
    /// `RequestId`.
    pub request_id: Option<String>,
}
