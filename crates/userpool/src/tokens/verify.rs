//! The checks on a presented access token: signature, issuer, `token_use`, expiry, scope,
//! revocation and the user's standing.

use super::*;

impl Tokens {
    /// Checks an access token presented to a token-authorized operation: signature, issuer,
    /// `token_use`, expiry, scope, revocation (its `origin_jti` family), and that the user
    /// still exists and is enabled.
    pub(crate) async fn authorize(&self, token: &SecretString) -> Result<Authorized> {
        self.verify_access(token.expose_secret(), ADMIN_SCOPE).await
    }

    /// Verifies an access token presented to an embedder's own route (what `userpool-axum`
    /// calls): issued by `pool_id` — a token of another pool, or of anyone else, is `Invalid
    /// Access Token` — with a good signature, `token_use` `access`, not expired, carrying
    /// `required_scope` when one is named, not revoked (GlobalSignOut, RevokeToken,
    /// AdminUserGlobalSignOut) and of a user who still exists and is enabled. Returns its claims.
    ///
    /// # Errors
    /// `NotAuthorizedException` with Cognito's messages (`Invalid Access Token`, `Access Token
    /// has expired`, `Access Token does not have required scopes`, `Access Token has been
    /// revoked`, `User is disabled.`), `UserNotFoundException`, or a store failure.
    pub async fn verify_access_token(
        &self,
        pool_id: &str,
        token: &str,
        required_scope: Option<&str>,
    ) -> Result<jwt_tokens::Claims> {
        if claimed_pool(token).is_none_or(|claimed| claimed.as_str() != pool_id) {
            return Err(not_authorized("Invalid Access Token"));
        }
        let authorized = self.verify_access_with(token, required_scope).await?;
        Ok(authorized.claims)
    }

    /// Checks an access token that must carry `scope` (see [`Tokens::authorize`](crate::Tokens::authorize)).
    pub(crate) async fn verify_access(&self, token: &str, scope: &str) -> Result<Authorized> {
        self.verify_access_with(token, Some(scope)).await
    }

    async fn verify_access_with(&self, token: &str, scope: Option<&str>) -> Result<Authorized> {
        if token.is_empty() {
            return Err(missing("accessToken"));
        }
        let invalid = || not_authorized("Invalid Access Token");
        let pool_id = claimed_pool(token).ok_or_else(invalid)?;
        let pool = match self.core.store().get_pool(&pool_id).await {
            Ok(p) => p,
            Err(StoreError::PoolNotFound) => return Err(invalid()),
            Err(e) => return Err(Error::from(e)),
        };
        let keys = self.core.key_set(&pool.id).await?;
        let mut validation =
            Validation::access_token(self.core.issuer.for_pool(&pool.id)).any_client();
        if let Some(scope) = scope {
            validation = validation.require_scope(scope);
        }
        let claims = match keys.verify(token, &validation, self.core.now()) {
            // A key another service made since this one last looked: look again, once.
            Err(jwt_tokens::Error::UnknownKeyId) => {
                self.core
                    .reload_keys(&pool.id)
                    .await?
                    .verify(token, &validation, self.core.now())
            }
            checked => checked,
        };
        let claims = claims.map_err(|e| match e {
            jwt_tokens::Error::Expired => not_authorized("Access Token has expired"),
            jwt_tokens::Error::MissingScope => {
                not_authorized("Access Token does not have required scopes")
            }
            _ => invalid(),
        })?;
        let revoked = || not_authorized("Access Token has been revoked");
        let origin = claims.origin_jti().ok_or_else(revoked)?;
        let family = self
            .core
            .store()
            .get_family(&pool.id, origin)
            .await?
            .ok_or_else(revoked)?;
        if family.revoked {
            return Err(revoked());
        }
        let user = self
            .core
            .store()
            .find_by_sub(
                &pool.id,
                &user_pool_model::Sub::parse(claims.sub()).map_err(|_| invalid())?,
            )
            .await?
            .ok_or_else(|| Error::new(ErrorKind::UserNotFound, "User does not exist."))?;
        if !user.enabled {
            return Err(not_authorized("User is disabled."));
        }
        Ok(Authorized {
            client_id: claims.client_id().unwrap_or_default().to_owned(),
            pool,
            user,
            claims,
        })
    }

    /// Whether the pool still honours a token it issued whose signature and claims the caller
    /// verified (an identity pool's `ServerSideTokenCheck`): the refresh-token family the token
    /// came from (`origin_jti`) is not revoked — GlobalSignOut, AdminUserGlobalSignOut,
    /// RevokeToken — and its user (`sub`) still exists and is enabled.
    ///
    /// # Errors
    /// `NotAuthorizedException` (`Token has been revoked`, `User does not exist.`, `User is
    /// disabled.`); `ResourceNotFoundException` for an unknown pool.
    pub async fn check_token_not_revoked(
        &self,
        pool_id: &str,
        origin_jti: Option<&str>,
        sub: &str,
    ) -> Result<()> {
        let pool = self.core.pool(pool_id).await?;
        let revoked = || not_authorized("Token has been revoked");
        let origin = origin_jti.ok_or_else(revoked)?;
        let family = self
            .core
            .store()
            .get_family(&pool.id, origin)
            .await?
            .ok_or_else(revoked)?;
        if family.revoked {
            return Err(revoked());
        }
        let sub = user_pool_model::Sub::parse(sub).map_err(|_| revoked())?;
        let user = self
            .core
            .store()
            .find_by_sub(&pool.id, &sub)
            .await?
            .ok_or_else(|| not_authorized("User does not exist."))?;
        if !user.enabled {
            return Err(not_authorized("User is disabled."));
        }
        Ok(())
    }
}
