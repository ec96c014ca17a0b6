//! Verifying in process, against a `userpool` service: signature, claims, and revocation.

use async_trait::async_trait;
use userpool::{ErrorKind, Service};

use crate::authenticator::{AccessToken, Authenticator};
use crate::error::Rejection;

/// Verifies access tokens of one pool of a [`Service`] in this process: signature with the
/// pool's current keys (rotation included), issuer, `token_use`, expiry, and — what a JWKS
/// check cannot see — revocation (GlobalSignOut, RevokeToken) and the user's standing.
#[derive(Debug, Clone)]
pub struct Local {
    service: Service,
    pool_id: String,
    client_ids: Vec<String>,
    scope: Option<String>,
}

impl Local {
    /// Tokens of `pool_id`, for any of its app clients.
    pub fn new(service: Service, pool_id: impl Into<String>) -> Self {
        Self {
            service,
            pool_id: pool_id.into(),
            client_ids: Vec::new(),
            scope: None,
        }
    }

    /// Only tokens issued to one of these app clients.
    pub fn clients<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.client_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Only tokens carrying `scope` (403 otherwise).
    pub fn require_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }
}

#[async_trait]
impl Authenticator for Local {
    async fn authenticate(&self, token: &str) -> Result<AccessToken, Rejection> {
        let claims = self
            .service
            .tokens()
            .verify_access_token(&self.pool_id, token, self.scope.as_deref())
            .await
            .map_err(|e| match e.kind() {
                ErrorKind::NotAuthorized if e.message().contains("required scopes") => {
                    Rejection::InsufficientScope
                }
                ErrorKind::NotAuthorized | ErrorKind::UserNotFound => {
                    Rejection::Invalid(e.message().to_owned())
                }
                _ => {
                    tracing::warn!(target: "userpool_axum", error = %e, "access token not verifiable");
                    Rejection::Unavailable
                }
            })?;
        AccessToken::for_clients(claims, &self.client_ids)
    }
}
