//! External OpenID Connect providers' keys: the issuer's discovery document
//! (`<issuer>/.well-known/openid-configuration`, or the URL configured for it) names its
//! `jwks_uri`; the JWKS is parsed strictly (`jwt_tokens::Jwks::parse`) and cached per issuer
//! for an hour. A token signed with a `kid` the cached set lacks makes one refetch (at most
//! every 30 seconds per issuer, so forged `kid`s cannot turn the service into a fetching
//! loop); when the provider cannot be reached a cached set, even a stale one, is still used.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use identity_pool_model::ClaimsMap;
use jwt_tokens::{Backend, Jwks, Verifier};
use serde_json::Value;

use super::error::IdentityResult;
use super::outbound::{external, read_bounded};

/// Largest discovery document read.
const MAX_DISCOVERY_LEN: usize = 64 * 1024;
/// How long a fetched key set is used before it is fetched again.
const TTL_SECONDS: i64 = 3600;
/// The shortest time between two fetches for an unknown `kid`.
const MIN_REFRESH_SECONDS: i64 = 30;

#[derive(Clone)]
struct Cached {
    verifier: Arc<Verifier>,
    fetched_at: i64,
}

/// The key sets of external issuers.
pub(crate) struct OidcKeys {
    http: reqwest::Client,
    discovery: BTreeMap<String, String>,
    backend: &'static dyn Backend,
    cache: Mutex<HashMap<String, Cached>>,
}

fn parse_claims(payload: &[u8]) -> Option<ClaimsMap> {
    jwt_tokens::strict_json::parse_object(payload)
}

impl OidcKeys {
    pub(crate) fn new(
        http: reqwest::Client,
        discovery: BTreeMap<String, String>,
        backend: &'static dyn Backend,
    ) -> Self {
        Self {
            http,
            discovery,
            backend,
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn cached(&self, issuer: &str) -> Option<Cached> {
        self.cache.lock().ok()?.get(issuer).cloned()
    }

    fn remember(&self, issuer: &str, verifier: Arc<Verifier>, now: i64) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(
                issuer.to_owned(),
                Cached {
                    verifier,
                    fetched_at: now,
                },
            );
        }
    }

    /// The claims of `token` if its signature verifies with `issuer`'s keys (`None`: it does
    /// not); the claims are the caller's to check.
    ///
    /// # Errors
    /// `ExternalServiceException` when the issuer's keys cannot be fetched and none are cached.
    pub(crate) async fn verify(
        &self,
        issuer: &str,
        token: &str,
        now: i64,
    ) -> IdentityResult<Option<ClaimsMap>> {
        let cached = self.cached(issuer);
        let fresh = cached
            .as_ref()
            .is_some_and(|c| (0..TTL_SECONDS).contains(&(now - c.fetched_at)));
        let (verifier, fetched_at) = match (&cached, fresh) {
            (Some(c), true) => (Arc::clone(&c.verifier), c.fetched_at),
            _ => match self.fetch(issuer).await {
                Ok(v) => {
                    let v = Arc::new(v);
                    self.remember(issuer, Arc::clone(&v), now);
                    (v, now)
                }
                Err(e) => match cached {
                    Some(stale) => (stale.verifier, stale.fetched_at),
                    None => return Err(e),
                },
            },
        };
        match verifier.verify_jws(token, now) {
            Ok(jws) => Ok(parse_claims(&jws.payload)),
            Err(jwt_tokens::Error::UnknownKeyId) if now - fetched_at >= MIN_REFRESH_SECONDS => {
                // The provider may have rotated its keys.
                let Ok(fresh) = self.fetch(issuer).await else {
                    return Ok(None);
                };
                let fresh = Arc::new(fresh);
                self.remember(issuer, Arc::clone(&fresh), now);
                Ok(fresh
                    .verify_jws(token, now)
                    .ok()
                    .and_then(|jws| parse_claims(&jws.payload)))
            }
            Err(_) => Ok(None),
        }
    }

    /// Fetches `issuer`'s discovery document, then its JWKS.
    async fn fetch(&self, issuer: &str) -> IdentityResult<Verifier> {
        let fail = |why: &str| {
            tracing::warn!(target: "userpool::identity", issuer = %issuer, reason = %why, "OIDC provider keys not fetched");
            external(format!(
                "The identity provider {issuer} could not be reached."
            ))
        };
        let url = self
            .discovery
            .get(issuer)
            .cloned()
            .unwrap_or_else(|| format!("{issuer}/.well-known/openid-configuration"));
        let (status, body) = read_bounded(self.http.get(&url).send().await, MAX_DISCOVERY_LEN)
            .await
            .map_err(|e| fail(e.describe()))?;
        if status != 200 {
            return Err(fail("the discovery document was not served"));
        }
        let document = jwt_tokens::strict_json::parse_object(&body)
            .ok_or_else(|| fail("the discovery document is not a JSON object"))?;
        if document.get("issuer").and_then(Value::as_str) != Some(issuer) {
            return Err(fail("the discovery document names another issuer"));
        }
        let jwks_uri = document
            .get("jwks_uri")
            .and_then(Value::as_str)
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .ok_or_else(|| fail("the discovery document has no jwks_uri"))?;
        let (status, body) = read_bounded(
            self.http.get(jwks_uri).send().await,
            jwt_tokens::MAX_JWKS_LEN,
        )
        .await
        .map_err(|e| fail(e.describe()))?;
        if status != 200 {
            return Err(fail("the JWKS was not served"));
        }
        let jwks = Jwks::parse(&body).map_err(|_| fail("the JWKS is not acceptable"))?;
        Verifier::from_jwks_with(&jwks, self.backend)
            .map_err(|_| fail("the JWKS keys are not usable"))
    }
}
