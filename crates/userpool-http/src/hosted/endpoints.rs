//! The hosted domain's non-form endpoints: `/oauth2/authorize`, `/logout`, the error page and
//! the customized logo.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use userpool::wire::LogoutOutcome;

use super::context::{Ctx, redirect};
use super::cookies;
use crate::routes::AppState;

pub(crate) async fn error_get(ctx: Ctx) -> Response {
    let code = form_urlencoded::parse(ctx.query.as_bytes())
        .find(|(k, _)| k == "error")
        .map(|(_, v)| {
            v.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect::<String>()
        })
        .unwrap_or_default();
    ctx.error(&code)
}

pub(crate) async fn authorize_get(State(state): State<Arc<AppState>>, ctx: Ctx) -> Response {
    let outcome = state
        .service
        .federation()
        .oauth_authorize(&ctx.query, ctx.host_pool.as_deref(), |pool| {
            ctx.session_cookie(pool)
        })
        .await;
    super::federation::authorize_answer(&ctx, outcome)
}

/// `GET /logout`: through the SAML IdP first when the browser's sign-in came from one with
/// `IDPSignout` on.
pub(crate) async fn logout_get(State(state): State<Arc<AppState>>, ctx: Ctx) -> Response {
    let outcome = state
        .service
        .federation()
        .logout(&ctx.query, ctx.host_pool.as_deref(), |pool| {
            ctx.session_cookie(pool)
        })
        .await;
    logout_answer(&ctx, outcome)
}

/// `GET /saml2/logout`: the IdP's `LogoutResponse` to our request, or its own
/// `LogoutRequest` (HTTP-Redirect binding, signed).
pub(crate) async fn saml_logout_get(State(state): State<Arc<AppState>>, ctx: Ctx) -> Response {
    if ctx.query.len() > 256 * 1024 {
        return ctx.error("invalid_request");
    }
    let sessions: Vec<(String, String)> = cookies::all(&ctx.headers)
        .into_iter()
        .filter_map(|c| {
            cookies::session_pool(c.name()).map(|pool| (pool.to_owned(), c.value().to_owned()))
        })
        .collect();
    let outcome = state
        .service
        .federation()
        .saml_logout(&ctx.query, ctx.host_pool.as_deref(), &sessions)
        .await;
    logout_answer(&ctx, outcome)
}

/// A logout's redirect or error page, clearing every sign-in cookie the browser sent.
fn logout_answer(ctx: &Ctx, outcome: LogoutOutcome) -> Response {
    let mut response = match outcome {
        LogoutOutcome::Redirect(location) => redirect(StatusCode::FOUND, &location),
        LogoutOutcome::ErrorPage(message) => ctx.error(&message),
    };
    // Every pool's sign-in cookie this browser sent is cleared.
    for cookie in cookies::all(&ctx.headers) {
        if cookies::is_session(cookie.name())
            && let Some(v) = ctx.set_session_cookie(cookie.name(), "", 0)
        {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

pub(crate) async fn logo_get(
    State(state): State<Arc<AppState>>,
    Path((pool_id, key)): Path<(String, String)>,
) -> Response {
    match state.service.admin().ui_logo(&pool_id, &key).await {
        Some((kind, bytes)) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&kind) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
