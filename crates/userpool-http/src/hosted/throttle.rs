//! Rate limits on the hosted domain's routes (the JSON API limits by action), in the quota
//! categories: sign-in posts (password, passwordless, challenge answers) and authorizations
//! count as `UserAuthentication`, sign-up and confirmation as `UserCreation`, passkey
//! registration as `UserUpdate`, password reset as `UserAccountRecovery`, token and
//! revocation as `UserToken`, userInfo as `UserRead`; charged to the caller's address (and
//! the account-wide bucket of the Cognito profile). Over the limit: `429 Rate exceeded`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::client_info::ClientInfo;
use crate::limits::{Category, Scope};
use crate::routes::AppState;

/// The category of a hosted-domain request, if it counts.
fn category(method: &Method, path: &str) -> Option<Category> {
    let post = method == Method::POST;
    match path {
        "/oauth2/authorize" => Some(Category::UserAuthentication),
        "/login" | "/challenge" if post => Some(Category::UserAuthentication),
        "/passkeys/add" if post => Some(Category::UserUpdate),
        "/signup" | "/confirm" if post => Some(Category::UserCreation),
        "/forgotPassword" | "/confirmForgotPassword" if post => Some(Category::UserAccountRecovery),
        "/oauth2/token" | "/oauth2/revoke" => Some(Category::UserToken),
        "/oauth2/userInfo" => Some(Category::UserRead),
        _ => None,
    }
}

/// The middleware.
pub(crate) async fn throttle(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(c) = category(request.method(), request.uri().path()) {
        let ip = request.extensions().get::<ClientInfo>().and_then(|i| i.ip);
        let admitted = ip.is_none_or(|ip| state.limiter.admit(c, Scope::ip(ip)))
            && state.limiter.admit(c, Scope::Account);
        if !admitted {
            tracing::info!(target: "userpool::metrics", counter = "throttled", path = %request.uri().path());
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Rate exceeded").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_count_pages_do_not() {
        assert_eq!(category(&Method::GET, "/login"), None);
        assert_eq!(
            category(&Method::POST, "/login"),
            Some(Category::UserAuthentication)
        );
        assert_eq!(
            category(&Method::POST, "/oauth2/token"),
            Some(Category::UserToken)
        );
        assert_eq!(category(&Method::GET, "/error"), None);
        assert_eq!(category(&Method::GET, "/passkeys/add"), None);
        assert_eq!(
            category(&Method::POST, "/passkeys/add"),
            Some(Category::UserUpdate)
        );
    }
}
