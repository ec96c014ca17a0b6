//! Verifying against a JWKS URL: any `userpool` server, or Amazon Cognito itself.
//!
//! The key set is fetched on first use and kept for an hour. A token whose `kid` the kept set
//! lacks (the pool rotated its keys) makes one refetch — at most every 30 seconds, so forged
//! `kid`s cannot turn the service into a fetching loop. When the endpoint cannot be reached, a
//! kept set, even an old one, is still used; with none, the answer is 503. Revocation is not
//! visible from a JWKS (a signed-out user's token stays valid until it expires, as with
//! Cognito's own JWKS verification): use [`Local`](crate::Local) where that matters.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use jwt_tokens::{Jwks, Validation, Verifier};

use crate::authenticator::{AccessToken, Authenticator};
use crate::error::Rejection;

/// How long a fetched key set is used before it is fetched again.
pub const KEYS_TTL_SECONDS: i64 = 3600;
/// The shortest time between two fetches for an unknown `kid`.
pub const MIN_REFRESH_SECONDS: i64 = 30;
/// The longest JWKS fetch.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Default)]
struct Cache {
    verifier: Option<Arc<Verifier>>,
    fetched_at: i64,
    attempted_at: Option<i64>,
}

/// Verifies access tokens against a pool's JWKS URL: signature, `iss`, `token_use` `access`,
/// expiry, and optionally the app client and a scope.
pub struct Remote {
    http: reqwest::Client,
    jwks_url: String,
    issuer: String,
    client_ids: Vec<String>,
    scope: Option<String>,
    clock: fn() -> i64,
    cache: Mutex<Cache>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("jwks_url", &self.jwks_url)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Remote {
    /// Tokens whose `iss` is `issuer`, verified with the keys at `issuer` +
    /// `/.well-known/jwks.json` (Cognito's layout, and this server's).
    pub fn for_issuer(issuer: impl Into<String>) -> Self {
        let issuer = issuer.into();
        let jwks_url = format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/'));
        Self::new(issuer, jwks_url)
    }

    /// Tokens whose `iss` is `issuer`, verified with the keys at `jwks_url`.
    pub fn new(issuer: impl Into<String>, jwks_url: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(FETCH_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            jwks_url: jwks_url.into(),
            issuer: issuer.into(),
            client_ids: Vec::new(),
            scope: None,
            clock: system_now,
            cache: Mutex::new(Cache::default()),
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

    /// Reads the time from `clock` (Unix seconds) instead of the system clock.
    pub fn clock(mut self, clock: fn() -> i64) -> Self {
        self.clock = clock;
        self
    }

    fn validation(&self) -> Validation {
        let mut validation = Validation::access_token(self.issuer.clone()).any_client();
        if let Some(scope) = &self.scope {
            validation = validation.require_scope(scope.clone());
        }
        validation
    }

    /// The kept verifier, fetching first when there is none, it is older than the TTL, or
    /// `unknown_kid` asks (rate-limited).
    async fn verifier(&self, now: i64, unknown_kid: bool) -> Option<Arc<Verifier>> {
        let (kept, fetch) = {
            let mut cache = self.cache.lock().ok()?;
            let stale = cache.verifier.is_none() || now - cache.fetched_at >= KEYS_TTL_SECONDS;
            let allowed = cache
                .attempted_at
                .is_none_or(|at| now - at >= MIN_REFRESH_SECONDS || now < at);
            let fetch = (stale || unknown_kid) && allowed;
            if fetch {
                cache.attempted_at = Some(now);
            }
            (cache.verifier.clone(), fetch)
        };
        if !fetch {
            return kept;
        }
        match self.fetch().await {
            Some(fresh) => {
                let fresh = Arc::new(fresh);
                if let Ok(mut cache) = self.cache.lock() {
                    cache.verifier = Some(fresh.clone());
                    cache.fetched_at = now;
                }
                Some(fresh)
            }
            None => kept,
        }
    }

    async fn fetch(&self) -> Option<Verifier> {
        let response = self.http.get(&self.jwks_url).send().await;
        let body = match response {
            Ok(r) if r.status().is_success() => r.bytes().await.ok()?,
            Ok(r) => {
                tracing::warn!(target: "userpool_axum", status = %r.status(), url = %self.jwks_url, "JWKS fetch refused");
                return None;
            }
            Err(e) => {
                tracing::warn!(target: "userpool_axum", error = %e, url = %self.jwks_url, "JWKS fetch failed");
                return None;
            }
        };
        let jwks = Jwks::parse(&body).ok()?;
        Verifier::from_jwks(&jwks).ok()
    }
}

fn rejection(e: &jwt_tokens::Error) -> Rejection {
    match e {
        jwt_tokens::Error::Expired => Rejection::Invalid("Access Token has expired".into()),
        jwt_tokens::Error::MissingScope => Rejection::InsufficientScope,
        _ => Rejection::Invalid("Invalid Access Token".into()),
    }
}

#[async_trait]
impl Authenticator for Remote {
    async fn authenticate(&self, token: &str) -> Result<AccessToken, Rejection> {
        let now = (self.clock)();
        let validation = self.validation();
        let verifier = self
            .verifier(now, false)
            .await
            .ok_or(Rejection::Unavailable)?;
        let claims = match verifier.verify(token, &validation, now) {
            Err(jwt_tokens::Error::UnknownKeyId) => {
                let again = self
                    .verifier(now, true)
                    .await
                    .ok_or(Rejection::Unavailable)?;
                again.verify(token, &validation, now)
            }
            checked => checked,
        }
        .map_err(|e| rejection(&e))?;
        AccessToken::for_clients(claims, &self.client_ids)
    }
}
