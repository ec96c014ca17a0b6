//! The pool's WebAuthn relying party: the RP id (`WebAuthnConfiguration.RelyingPartyId`, or
//! the pool's domain) and the origins allowed to run ceremonies (the client's callback URLs'
//! origins, the RP id over https, and the hosted pages' origin).

use user_pool_model::{AppClient, AuthFactor, PoolConfig};
use webauthn_rp::{RelyingParty, UserVerification};

use crate::core::Core;
use crate::error::Result;

/// `scheme://host[:port]` of a URL, if it has one.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && !scheme.is_empty()).then(|| format!("{scheme}://{host}"))
}

impl Core {
    /// The relying party for `client` of `pool`, or `None` when the pool allows no passkeys
    /// or has neither a `RelyingPartyId` nor a domain.
    pub(crate) async fn relying_party(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
    ) -> Result<Option<RelyingParty>> {
        if !pool
            .allowed_first_auth_factors
            .contains(&AuthFactor::WebAuthn)
        {
            return Ok(None);
        }
        let domains = self.store().pool_domains(&pool.id).await?;
        let domain_host = domains
            .iter()
            .find(|d| d.is_custom())
            .map(|d| d.domain.clone())
            .or_else(|| {
                domains
                    .first()
                    .map(|d| format!("{}.auth.{}.amazoncognito.com", d.domain, pool.id.region()))
            });
        let Some(id) = pool.web_authn.relying_party_id.clone().or(domain_host) else {
            return Ok(None);
        };
        let mut origins: Vec<String> = client
            .callback_urls
            .iter()
            .filter_map(|u| origin_of(u))
            .collect();
        origins.push(format!("https://{id}"));
        if let Some(base) = self.hosted_base_url(pool.id.as_str()).await?
            && let Some(o) = origin_of(&base)
        {
            origins.push(o);
        }
        origins.sort();
        origins.dedup();
        Ok(Some(RelyingParty {
            name: pool.name.clone(),
            id,
            origins,
            user_verification: if pool.web_authn.user_verification_required {
                UserVerification::Required
            } else {
                UserVerification::Preferred
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin_of("https://app.example.com/cb?x=1").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            origin_of("http://localhost:3000/").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            origin_of("myapp://callback").as_deref(),
            Some("myapp://callback")
        );
        assert_eq!(origin_of("nonsense"), None);
    }
}
