//! The hosted domain's OAuth endpoints over HTTP (spec §9.3–§9.6): `POST /oauth2/token`,
//! `GET|POST /oauth2/userInfo`, `POST /oauth2/revoke`. Errors are OAuth JSON bodies.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use userpool::wire::{ClientAuthentication, OAuthError, SecretString};

use crate::hosted::host_pool;
use crate::routes::AppState;

fn oauth_json(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

fn oauth_error(e: &OAuthError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = oauth_json(status, e.to_json());
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"userpool\""),
        );
    }
    r
}

/// `Authorization: Basic base64(id:secret)` (RFC 6749 §2.3.1: both form-urlencoded first).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, SecretString)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || OAuthError::unauthorized("invalid_client", "Client authentication failed.");
    let value = value.to_str().map_err(|_| bad())?;
    let Some(encoded) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    else {
        return Err(bad());
    };
    let decoded = zeroize::Zeroizing::new(STANDARD.decode(encoded.trim()).map_err(|_| bad())?);
    let text = core::str::from_utf8(&decoded).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), SecretString::from(unescape(secret)))))
}

async fn form_body(
    request: Request,
    timeout: std::time::Duration,
) -> Result<(HeaderMap, axum::body::Bytes), OAuthError> {
    let (parts, body) = request.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(OAuthError::bad_request(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    // Bounded in size and in time: a slow body is not waited for.
    let bytes = tokio::time::timeout(
        timeout,
        axum::body::to_bytes(body, userpool::MAX_FORM_BYTES),
    )
    .await
    .map_err(|_| OAuthError::bad_request("invalid_request", "The body did not arrive in time."))?
    .map_err(|_| OAuthError::bad_request("invalid_request", "The body is too large."))?;
    Ok((parts.headers, bytes))
}

/// A client's form request: its body, its client authentication and the pool its `Host` names.
async fn client_request(
    state: &AppState,
    request: Request,
) -> Result<(axum::body::Bytes, ClientAuthentication, Option<String>), OAuthError> {
    let (headers, body) = form_body(request, state.config.request_timeout).await?;
    let auth = ClientAuthentication {
        basic: basic_credentials(&headers)?,
    };
    Ok((body, auth, host_pool(state, &headers).await))
}

pub(crate) async fn token(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (body, auth, pool) = match client_request(&state, request).await {
        Ok(x) => x,
        Err(e) => return oauth_error(&e),
    };
    match state
        .service
        .hosted()
        .oauth_token(&body, &auth, pool.as_deref())
        .await
    {
        Ok(tokens) => match serde_json::to_string(&tokens) {
            Ok(json) => oauth_json(StatusCode::OK, json),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(e) => oauth_error(&e),
    }
}

pub(crate) async fn revoke(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (body, auth, pool) = match client_request(&state, request).await {
        Ok(x) => x,
        Err(e) => return oauth_error(&e),
    };
    match state
        .service
        .hosted()
        .oauth_revoke(&body, &auth, pool.as_deref())
        .await
    {
        Ok(()) => oauth_json(StatusCode::OK, String::new()),
        Err(e) => oauth_error(&e),
    }
}

fn user_info_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = oauth_json(
        status,
        serde_json::json!({ "error": error, "error_description": description }).to_string(),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "error=\"{error}\", error_description=\"{description}\""
    )) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// `GET|POST /oauth2/userInfo` with `Authorization: Bearer <access token>`.
pub(crate) async fn user_info(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = bearer else {
        return user_info_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Bad OAuth2 request at UserInfo Endpoint",
        );
    };
    match state.service.hosted().oauth_user_info(token).await {
        Ok(claims) => oauth_json(
            StatusCode::OK,
            serde_json::Value::Object(claims).to_string(),
        ),
        Err(e) => {
            let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::UNAUTHORIZED);
            user_info_error(status, e.error, &e.description)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_decoded_and_unescaped() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {}", STANDARD.encode("abc:s%3Acret"))).unwrap(),
        );
        let (id, secret) = basic_credentials(&h).unwrap().unwrap();
        assert_eq!(id, "abc");
        assert_eq!(secret.expose_secret(), "s:cret");
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_credentials(&h).unwrap_err().error, "invalid_client");
        assert!(basic_credentials(&HeaderMap::new()).unwrap().is_none());
    }
}
