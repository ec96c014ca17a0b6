//! OAuth scopes: the standard ones every pool knows, and custom ones
//! (`<resource server identifier>/<scope name>`) that exist while a resource server defines
//! them. A client may only be given scopes that exist (`ScopeDoesNotExistException`), and an
//! authorization only grants scopes that still exist when it is asked for.

use user_pool_model::{AppClient, PoolConfig};
use userpool_store::StoreError;

use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};

/// The scopes Cognito defines for every pool.
pub(crate) const STANDARD_SCOPES: [&str; 5] = [
    "openid",
    "email",
    "phone",
    "profile",
    crate::tokens::ADMIN_SCOPE,
];

impl Core {
    /// Whether `scope` exists in `pool` now.
    async fn scope_exists(&self, pool: &PoolConfig, scope: &str) -> Result<bool> {
        if STANDARD_SCOPES.contains(&scope) {
            return Ok(true);
        }
        let Some((identifier, name)) = scope.rsplit_once('/') else {
            return Ok(false);
        };
        match self.store().get_resource_server(&pool.id, identifier).await {
            Ok(server) => Ok(server.scopes.iter().any(|s| s.scope_name == name)),
            Err(StoreError::ResourceServerNotFound) => Ok(false),
            Err(e) => Err(Error::from(e)),
        }
    }

    /// Refuses a client setting that names a scope that does not exist.
    pub(crate) async fn check_scopes_exist(
        &self,
        pool: &PoolConfig,
        scopes: &[String],
    ) -> Result<()> {
        for scope in scopes {
            if !self.scope_exists(pool, scope).await? {
                return Err(Error::new(
                    ErrorKind::ScopeDoesNotExist,
                    format!("Invalid scope requested: {scope}"),
                ));
            }
        }
        Ok(())
    }

    /// The client's `AllowedOAuthScopes` that still exist (a resource server may have been
    /// changed or deleted since the client was configured).
    pub(crate) async fn live_scopes(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
    ) -> Result<Vec<String>> {
        let mut out = Vec::with_capacity(client.allowed_oauth_scopes.len());
        for scope in &client.allowed_oauth_scopes {
            if self.scope_exists(pool, scope).await? {
                out.push(scope.clone());
            }
        }
        Ok(out)
    }
}
