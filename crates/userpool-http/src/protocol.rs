//! Cognito's JSON 1.1 answers: the success body, and errors as
//! `{"__type": "<Exception>", "message": "…"}` with `x-amzn-ErrorType`, the status the real
//! service sends (400 for client errors, 500 for server faults, 403 for authentication).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// `application/x-amz-json-1.1`.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// An error answer.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) exception: String,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, exception: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            exception: exception.to_owned(),
            message: message.into(),
        }
    }

    /// A body that is not the operation's JSON shape (the message names no value).
    pub(crate) fn serialization(e: &userpool::wire::DecodeError) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            e.to_string(),
        )
    }

    pub(crate) fn unknown_operation() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "UnknownOperationException", "")
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalErrorException",
            "Internal server error",
        )
    }
}

impl From<userpool::Error> for Failure {
    fn from(e: userpool::Error) -> Self {
        let status = if e.kind().is_server_fault() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(status, e.exception_name(), e.message())
    }
}

impl From<userpool::IdentityError> for Failure {
    fn from(e: userpool::IdentityError) -> Self {
        let status = if e.kind().is_server_fault() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        Self::new(status, e.exception_name(), e.message())
    }
}

/// Adds the request id to an answer.
pub(crate) fn with_request_id(mut response: Response, request_id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", v);
    }
    response
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body =
            serde_json::json!({ "__type": self.exception, "message": self.message }).to_string();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
        if let Ok(v) = HeaderValue::from_str(&self.exception) {
            headers.insert("x-amzn-errortype", v);
        }
        response
    }
}

/// A success answer.
pub(crate) fn success(body: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
    response
}
