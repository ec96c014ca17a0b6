//! The axum side: the [`AccessToken`] extractor and the [`RequireAccessToken`] layer.

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

use crate::authenticator::{AccessToken, Authenticator, SharedAuthenticator, bearer};
use crate::error::Rejection;

/// Puts `authenticator` into every request's extensions, so [`AccessToken`] extractors on the
/// routes below verify with it. Verifies nothing by itself: routes without the extractor stay
/// open. (To refuse every unauthenticated request below it, use [`RequireAccessToken`].)
#[derive(Clone)]
pub struct AuthLayer {
    authenticator: SharedAuthenticator,
}

impl AuthLayer {
    /// The layer for `authenticator`.
    pub fn new(authenticator: impl Authenticator) -> Self {
        Self {
            authenticator: Arc::new(authenticator),
        }
    }

    /// Refusing, instead of only offering: see [`RequireAccessToken`].
    pub fn require(self) -> RequireAccessToken {
        RequireAccessToken {
            authenticator: self.authenticator,
        }
    }
}

impl std::fmt::Debug for AuthLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthLayer").finish_non_exhaustive()
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = WithAuthenticator<S>;

    fn layer(&self, inner: S) -> Self::Service {
        WithAuthenticator {
            inner,
            authenticator: self.authenticator.clone(),
            require: false,
        }
    }
}

/// A layer that verifies the bearer token of every request below it before the handler runs:
/// refused requests get the [`Rejection`]'s answer; accepted ones carry the [`AccessToken`] in
/// their extensions (and the extractor reads it there without verifying again).
#[derive(Clone)]
pub struct RequireAccessToken {
    authenticator: SharedAuthenticator,
}

impl RequireAccessToken {
    /// The layer for `authenticator`.
    pub fn new(authenticator: impl Authenticator) -> Self {
        AuthLayer::new(authenticator).require()
    }
}

impl std::fmt::Debug for RequireAccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequireAccessToken").finish_non_exhaustive()
    }
}

impl<S> Layer<S> for RequireAccessToken {
    type Service = WithAuthenticator<S>;

    fn layer(&self, inner: S) -> Self::Service {
        WithAuthenticator {
            inner,
            authenticator: self.authenticator.clone(),
            require: true,
        }
    }
}

/// The service [`AuthLayer`] and [`RequireAccessToken`] wrap around a route.
#[derive(Clone)]
pub struct WithAuthenticator<S> {
    inner: S,
    authenticator: SharedAuthenticator,
    require: bool,
}

impl<S> std::fmt::Debug for WithAuthenticator<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithAuthenticator")
            .field("require", &self.require)
            .finish_non_exhaustive()
    }
}

impl<S> Service<Request> for WithAuthenticator<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send + 'static>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let authenticator = self.authenticator.clone();
        let require = self.require;
        // The clone that was made ready is the one to call (tower's contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if require {
                let (mut parts, body) = request.into_parts();
                match verify(&authenticator, &parts).await {
                    Ok(token) => {
                        parts.extensions.insert(token);
                    }
                    Err(rejection) => return Ok(rejection.into_response()),
                }
                request = Request::from_parts(parts, body);
            }
            request.extensions_mut().insert(authenticator);
            inner.call(request).await
        })
    }
}

async fn verify(
    authenticator: &SharedAuthenticator,
    parts: &Parts,
) -> Result<AccessToken, Rejection> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or(Rejection::Missing)?;
    let token = value.to_str().ok().and_then(bearer).ok_or_else(|| {
        Rejection::Invalid("the Authorization header is not a bearer token".into())
    })?;
    authenticator.authenticate(token).await
}

/// The extractor: a handler taking an `AccessToken` runs only for a request with an acceptable
/// bearer token (below an [`AuthLayer`] or [`RequireAccessToken`]); others get the
/// [`Rejection`]'s answer.
impl<S: Send + Sync> FromRequestParts<S> for AccessToken {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Rejection> {
        if let Some(token) = parts.extensions.get::<Self>() {
            return Ok(token.clone());
        }
        let Some(authenticator) = parts.extensions.get::<SharedAuthenticator>().cloned() else {
            tracing::error!(target: "userpool_axum", "AccessToken extractor used without an AuthLayer");
            return Err(Rejection::Unavailable);
        };
        let token = verify(&authenticator, parts).await?;
        parts.extensions.insert(token.clone());
        Ok(token)
    }
}
