//! Verifying `Logins`: each token's signature by its provider's keys — our user pools' in
//! process, our own OpenID tokens by our key, external OpenID Connect providers by their JWKS
//! — then its claims by `identity-pool-model` (issuer, audience, `token_use`, expiry, with
//! Cognito's messages), then, for user pools with `ServerSideTokenCheck`, the user pool's word
//! that the token is not revoked.

use std::collections::BTreeMap;

use identity_pool_model::{
    COGNITO_IDENTITY_ISSUER, ClaimsMap, IdentityPool, LoginChecker, Logins, Principal, Provider,
};
use serde_json::Value;

use super::error::{IdentityError, IdentityResult};
use super::service::IdentityService;
use crate::error::ErrorKind;
use crate::wire::SecretMap;

/// How `Logins` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginsKind {
    /// Every entry is a provider token (GetId, GetOpenIdToken, GetCredentialsForIdentity).
    Tokens,
    /// The pool's developer provider maps to a user identifier; the rest are tokens
    /// (GetOpenIdTokenForDeveloperIdentity).
    Developer,
}

impl IdentityService {
    /// The `Logins` map, checked (≤ 10 entries, bounded keys and tokens). Clients hard-code
    /// `cognito-identity.amazonaws.com` for our own OpenID tokens; that key names this
    /// service's issuer whatever it is.
    pub(crate) fn parse_logins(&self, logins: Option<&SecretMap>) -> IdentityResult<Logins> {
        let ours = self.inner.settings.identity_provider_name().to_owned();
        let aws = COGNITO_IDENTITY_ISSUER
            .strip_prefix("https://")
            .unwrap_or_default();
        let pairs = logins.into_iter().flat_map(|m| m.0.iter()).map(|(k, v)| {
            let key = if k == aws { ours.clone() } else { k.clone() };
            (key, v.clone())
        });
        Ok(Logins::parse(pairs)?)
    }

    /// Authenticates `logins` for `pool` at `now`: a guest when there are none (if the pool
    /// allows guests), else every login verified and checked.
    pub(crate) async fn authenticate(
        &self,
        pool: &IdentityPool,
        logins: &Logins,
        kind: LoginsKind,
        now: i64,
    ) -> IdentityResult<Principal> {
        let settings = &self.inner.settings;
        let checker = LoginChecker::new(pool, settings);
        let developer = pool.developer_provider_name.as_deref();
        let mut verified: BTreeMap<String, Option<ClaimsMap>> = BTreeMap::new();
        for (key, token) in logins.iter() {
            if kind == LoginsKind::Developer && Some(key) == developer {
                continue;
            }
            let provider = checker.classify(key)?;
            let claims = self
                .verify_login(&provider, token.expose_secret(), now)
                .await?;
            verified.insert(key.to_owned(), claims);
        }
        let lookup =
            |key: &str, _: &identity_pool_model::LoginToken| verified.get(key).cloned().flatten();
        let principal = match kind {
            LoginsKind::Tokens => checker.authenticate(logins, now, lookup)?,
            LoginsKind::Developer => checker.authenticate_developer(logins, now, lookup)?,
        };
        self.server_side_token_check(pool, &principal).await?;
        Ok(principal)
    }

    /// The claims of `token` if its signature verifies with `provider`'s keys.
    async fn verify_login(
        &self,
        provider: &Provider,
        token: &str,
        now: i64,
    ) -> IdentityResult<Option<ClaimsMap>> {
        match provider {
            Provider::UserPool(p) => {
                let Some(service) = &self.inner.user_pools else {
                    return Ok(None);
                };
                match service.user_pool(p.user_pool_id()).await {
                    Ok(pool) => Ok(pool.verify_signature(token, now).ok()),
                    Err(e) if e.kind() == ErrorKind::InternalError => {
                        Err(IdentityError::internal())
                    }
                    Err(_) => Ok(None),
                }
            }
            Provider::CognitoIdentity(_) => self.verify_own(token, now).await,
            Provider::Social { provider, name, .. } if provider.sends_id_token() => {
                self.inner
                    .oidc
                    .verify(&format!("https://{name}"), token, now)
                    .await
            }
            Provider::Oidc(arn) => self.inner.oidc.verify(&arn.issuer(), token, now).await,
            // Facebook and Login with Amazon send opaque access tokens, which only their own
            // APIs can resolve; SAML assertions and developer identifiers carry no signature
            // we check here. Neither is verified, so neither is accepted.
            _ => Ok(None),
        }
    }

    /// `ServerSideTokenCheck`: for each user-pool login whose provider and app client have it
    /// on, the user pool must still honour the token (not signed out, user not deleted or
    /// disabled).
    async fn server_side_token_check(
        &self,
        pool: &IdentityPool,
        principal: &Principal,
    ) -> IdentityResult<()> {
        for login in principal.logins() {
            let Provider::UserPool(p) = login.provider() else {
                continue;
            };
            let checked = pool.cognito_identity_providers.iter().any(|c| {
                c.server_side_token_check
                    && c.provider_name == p.name()
                    && Some(c.client_id.as_str()) == login.client_id()
            });
            if !checked {
                continue;
            }
            let service = self
                .inner
                .user_pools
                .as_ref()
                .ok_or_else(IdentityError::unverified)?;
            let origin = login.claims().get("origin_jti").and_then(Value::as_str);
            if let Err(e) = service
                .tokens()
                .check_token_not_revoked(p.user_pool_id(), origin, login.subject())
                .await
            {
                if e.kind() == ErrorKind::InternalError {
                    return Err(IdentityError::internal());
                }
                crate::audit!(provider = %p.name(), reason = %e.message(), "login refused by ServerSideTokenCheck");
                return Err(IdentityError::not_authorized(format!(
                    "Invalid login token. {}",
                    e.message()
                )));
            }
        }
        Ok(())
    }
}
