//! The quota categories applied to the hosted domain's routes (the JSON API throttles by
//! action): sign-in posts and authorizations count as `UserAuthentication`, sign-up and
//! confirmation as `UserCreation`, password reset as `UserAccountRecovery`, token and
//! revocation as `UserToken`, userInfo as `UserRead`. Over the quota: `429 Rate exceeded`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::routes::AppState;
use crate::throttle::Category;

/// The category of a hosted-domain request, if it counts.
fn category(method: &Method, path: &str) -> Option<Category> {
    let post = method == Method::POST;
    match path {
        "/oauth2/authorize" => Some(Category::UserAuthentication),
        "/login" | "/challenge" if post => Some(Category::UserAuthentication),
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
    if let Some(c) = category(request.method(), request.uri().path())
        && !state.throttle.admit(c)
    {
        tracing::info!(target: "userpool::metrics", counter = "throttled", path = %request.uri().path());
        let mut r = (StatusCode::TOO_MANY_REQUESTS, "Rate exceeded").into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
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
    }
}
