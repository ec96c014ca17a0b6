//! Sign-in through an external identity provider: the redirect to the provider with its
//! browser-binding cookie, and `/oauth2/idpresponse` (GET, and form POST for providers that
//! post their answer) back to the app.
//!
//! The binding cookie is `SameSite=Lax` over http (the provider's redirect back is a
//! top-level GET) and `SameSite=None; Secure` over https, so a provider's form POST (Apple's
//! `response_mode=form_post`) carries it too.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use cookie::SameSite;
use userpool::wire::{FederatedAuthorize, IdpResponseOutcome};

use super::context::{Ctx, redirect};
use super::cookies;
use crate::routes::AppState;

fn binding_cookie(ctx: &Ctx, pool_id: &str, value: &str, max_age: i64) -> Option<HeaderValue> {
    let same_site = if ctx.https {
        SameSite::None
    } else {
        SameSite::Lax
    };
    HeaderValue::from_str(&cookies::set(
        &cookies::idp_binding_name(pool_id, ctx.https),
        value,
        max_age,
        same_site,
        ctx.https,
    ))
    .ok()
}

/// The answer to `/oauth2/authorize` (with or without a provider).
pub(crate) fn authorize_answer(ctx: &Ctx, outcome: FederatedAuthorize) -> Response {
    match outcome {
        FederatedAuthorize::Hosted(o) => ctx.outcome(o),
        FederatedAuthorize::Provider {
            location,
            pool_id,
            binding,
            max_age,
        } => {
            let mut r = redirect(StatusCode::FOUND, &location);
            if let Some(v) = binding_cookie(ctx, &pool_id, binding.expose_secret(), max_age) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
    }
}

async fn answer(state: &AppState, ctx: &Ctx, params: &[(String, String)]) -> Response {
    let outcome = state
        .service
        .federation()
        .idp_response(params, ctx.host_pool.as_deref(), |pool| {
            cookies::get(&ctx.headers, &cookies::idp_binding_name(pool, ctx.https))
        })
        .await;
    to_browser(ctx, outcome)
}

fn to_browser(ctx: &Ctx, outcome: IdpResponseOutcome) -> Response {
    match outcome {
        IdpResponseOutcome::Redirect {
            location,
            pool_id,
            session,
        } => {
            let mut r = redirect(StatusCode::FOUND, &location);
            if let Some(v) = binding_cookie(ctx, &pool_id, "", 0) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Some(session) = session
                && let Some(v) = ctx.set_session_cookie(
                    &cookies::session_name(&pool_id, ctx.https),
                    session.cookie.expose_secret(),
                    session.max_age,
                )
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        IdpResponseOutcome::ErrorPage(code) => ctx.error(&code),
    }
}

/// The parameters of a query or form (bounded; a SAML response is up to 100,000 characters
/// before its form encoding).
fn params_of(text: &str) -> Option<Vec<(String, String)>> {
    if text.len() > 192 * 1024 {
        return None;
    }
    Some(
        form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    )
}

/// `GET /oauth2/idpresponse`.
pub(crate) async fn idp_response_get(State(state): State<Arc<AppState>>, ctx: Ctx) -> Response {
    match params_of(&ctx.query) {
        Some(params) => answer(&state, &ctx, &params).await,
        None => ctx.error("invalid_request"),
    }
}

/// `POST /oauth2/idpresponse` (a form).
pub(crate) async fn idp_response_post(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    body: Bytes,
) -> Response {
    match std::str::from_utf8(&body).ok().and_then(params_of) {
        Some(params) => answer(&state, &ctx, &params).await,
        None => ctx.error("invalid_request"),
    }
}

/// `POST /saml2/idpresponse`: a SAML IdP's `SAMLResponse` and `RelayState` (a form).
pub(crate) async fn saml_response_post(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    body: Bytes,
) -> Response {
    let Some(params) = std::str::from_utf8(&body).ok().and_then(params_of) else {
        return ctx.error("invalid_request");
    };
    let outcome = state
        .service
        .federation()
        .saml_response(&params, ctx.host_pool.as_deref(), |pool| {
            cookies::get(&ctx.headers, &cookies::idp_binding_name(pool, ctx.https))
        })
        .await;
    to_browser(&ctx, outcome)
}

/// `GET /saml2/metadata?user_pool_id=…` (a userpool route; Cognito has none): the pool's SAML
/// service-provider metadata for an IdP's operator. On a pool's own domain the parameter may
/// be left out.
pub(crate) async fn saml_metadata_get(State(state): State<Arc<AppState>>, ctx: Ctx) -> Response {
    let named = params_of(&ctx.query).and_then(|p| {
        p.into_iter()
            .find(|(k, _)| k == "user_pool_id")
            .map(|(_, v)| v)
    });
    let Some(pool) = named.or_else(|| ctx.host_pool.clone()) else {
        return ctx.error("invalid_request");
    };
    match state.service.federation().saml_sp_metadata(&pool).await {
        Ok(xml) => {
            let mut r = Response::new(axum::body::Body::from(xml));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/samlmetadata+xml"),
            );
            r
        }
        Err(_) => ctx.error("invalid_request"),
    }
}
