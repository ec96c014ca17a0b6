//! Why a request was refused, and the answer it gets (RFC 6750 §3).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A refused bearer token. The `Display` text is safe to show: it never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// No `Authorization: Bearer …` header (401, a bare `WWW-Authenticate: Bearer` challenge).
    #[error("no bearer token")]
    Missing,
    /// The token is not acceptable: malformed, badly signed, another issuer or client, the
    /// wrong `token_use`, expired, revoked, or its user is gone or disabled (401,
    /// `error="invalid_token"`). The text says which, in Cognito's words where it has them.
    #[error("{0}")]
    Invalid(String),
    /// A good token without the scope the route needs (403, `error="insufficient_scope"`).
    #[error("the token does not have the required scope")]
    InsufficientScope,
    /// The verifier could not decide: the store or the JWKS endpoint failed (503). Retryable.
    #[error("the token cannot be verified now")]
    Unavailable,
}

impl Rejection {
    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Missing | Self::Invalid(_) => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The `WWW-Authenticate` challenge (none for 503).
    pub fn challenge(&self) -> Option<String> {
        let quoted = |s: &str| s.replace(['"', '\\'], "'");
        match self {
            Self::Missing => Some(r#"Bearer realm="userpool""#.to_owned()),
            Self::Invalid(why) => Some(format!(
                r#"Bearer realm="userpool", error="invalid_token", error_description="{}""#,
                quoted(why)
            )),
            Self::InsufficientScope => Some(
                r#"Bearer realm="userpool", error="insufficient_scope", error_description="the token does not have the required scope""#
                    .to_owned(),
            ),
            Self::Unavailable => None,
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let mut response = (self.status(), self.to_string()).into_response();
        if let Some(value) = self
            .challenge()
            .and_then(|c| HeaderValue::from_str(&c).ok())
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rejection_has_its_status_and_challenge() {
        let cases = [
            (Rejection::Missing, 401, Some(r#"Bearer realm="userpool""#)),
            (
                Rejection::Invalid("Access Token has \"expired\"".into()),
                401,
                Some(
                    r#"Bearer realm="userpool", error="invalid_token", error_description="Access Token has 'expired'""#,
                ),
            ),
            (
                Rejection::InsufficientScope,
                403,
                Some(
                    r#"Bearer realm="userpool", error="insufficient_scope", error_description="the token does not have the required scope""#,
                ),
            ),
            (Rejection::Unavailable, 503, None),
        ];
        for (rejection, status, challenge) in cases {
            let response = rejection.clone().into_response();
            assert_eq!(response.status().as_u16(), status, "{rejection:?}");
            assert_eq!(
                response
                    .headers()
                    .get(header::WWW_AUTHENTICATE)
                    .and_then(|v| v.to_str().ok()),
                challenge,
                "{rejection:?}"
            );
        }
    }
}
