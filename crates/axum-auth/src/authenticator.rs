//! What verifies a token: the [`Authenticator`] trait, and the claims it hands on.

use std::sync::Arc;

use async_trait::async_trait;

use crate::error::Rejection;

/// The verified claims of an access token; the extractor's value, also put in the request's
/// extensions by [`RequireAccessToken`](crate::RequireAccessToken).
#[derive(Debug, Clone)]
pub struct AccessToken {
    claims: jwt_tokens::Claims,
}

impl AccessToken {
    /// Wraps claims an [`Authenticator`] verified.
    pub fn new(claims: jwt_tokens::Claims) -> Self {
        Self { claims }
    }

    /// Wraps verified claims if they were issued to one of `client_ids` (any client when the
    /// list is empty).
    pub(crate) fn for_clients(
        claims: jwt_tokens::Claims,
        client_ids: &[String],
    ) -> Result<Self, Rejection> {
        let issued_to_one = claims
            .client_id()
            .is_some_and(|c| client_ids.iter().any(|id| id == c));
        if client_ids.is_empty() || issued_to_one {
            Ok(Self::new(claims))
        } else {
            Err(Rejection::Invalid(
                "the token was issued to another app client".into(),
            ))
        }
    }

    /// `sub`: the user's stable id.
    pub fn sub(&self) -> &str {
        self.claims.sub()
    }

    /// `username`.
    pub fn username(&self) -> Option<&str> {
        self.claims.username()
    }

    /// `client_id`: the app client the token was issued to.
    pub fn client_id(&self) -> Option<&str> {
        self.claims.client_id()
    }

    /// `scope`, split.
    pub fn scopes(&self) -> Vec<&str> {
        self.claims.scopes()
    }

    /// `cognito:groups`.
    pub fn groups(&self) -> Vec<&str> {
        self.claims.groups()
    }

    /// Every claim.
    pub fn claims(&self) -> &jwt_tokens::Claims {
        &self.claims
    }
}

/// Verifies a bearer access token. Implemented by [`Local`](crate::Local) (a `userpool`
/// service in this process) and [`Remote`](crate::Remote) (any pool's JWKS URL, Cognito's too).
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// The claims of `token` when it is acceptable, else why not.
    async fn authenticate(&self, token: &str) -> Result<AccessToken, Rejection>;
}

/// A shared authenticator, as the layer and the extractor keep it.
pub type SharedAuthenticator = Arc<dyn Authenticator>;

/// The token of an `Authorization: Bearer <token>` header value (scheme case-insensitive).
pub(crate) fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bearer_token_is_taken() {
        assert_eq!(bearer("Bearer abc.def.ghi"), Some("abc.def.ghi"));
        assert_eq!(bearer("bearer  abc"), Some("abc"));
        assert_eq!(bearer("Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("Bearer a b"), None);
        assert_eq!(bearer("Bearer"), None);
    }
}
