//! Outbound HTTP towards identity providers: one client (timeouts, no redirects followed),
//! bounded answers, OIDC discovery documents cached per issuer and key sets per `jwks_uri`
//! (an hour; a token with an unknown `kid` refetches once, at most every 30 seconds per set,
//! so forged `kid`s cannot make the service a fetching loop), SAML metadata per URL (an
//! hour).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jwt_tokens::{Backend, Verifier};
use userpool_federation::{
    Endpoints, OutboundRequest, ProviderDetails, RequestMethod, apply_discovery, discovery_url,
};
use zeroize::Zeroizing;

/// How long a provider call may take.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);
/// How long discovery documents and key sets are used.
const TTL_SECONDS: i64 = 3600;
/// The shortest time between two fetches of one key set for an unknown `kid`.
const MIN_REFRESH_SECONDS: i64 = 30;

/// The outbound side of the federation component.
pub(crate) struct Outbound {
    http: Option<reqwest::Client>,
    backend: &'static dyn Backend,
    keys: Mutex<HashMap<String, (Arc<Verifier>, i64)>>,
    discovered: Mutex<HashMap<String, (Endpoints, i64)>>,
    saml_metadata: Mutex<HashMap<String, (Arc<userpool_saml::IdpMetadata>, i64)>>,
}

impl Outbound {
    pub(crate) fn new(backend: &'static dyn Backend) -> Self {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                tracing::error!(target: "userpool::federation", error = %e, "no HTTP client for identity providers");
            })
            .ok();
        Self {
            http,
            backend,
            keys: Mutex::new(HashMap::new()),
            discovered: Mutex::new(HashMap::new()),
            saml_metadata: Mutex::new(HashMap::new()),
        }
    }

    /// Sends `request`; the status and at most [`userpool_federation::MAX_ANSWER_LEN`] bytes.
    pub(crate) async fn send(
        &self,
        request: &OutboundRequest,
    ) -> Result<(u16, Zeroizing<Vec<u8>>), &'static str> {
        let http = self.http.as_ref().ok_or("no HTTP client")?;
        let mut builder = match request.method {
            RequestMethod::Get => http.get(&request.url),
            RequestMethod::Post => http.post(&request.url),
        }
        .header("accept", "application/json");
        if let Some(form) = &request.form {
            builder = builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.as_str().to_owned());
        }
        if let Some(token) = &request.bearer {
            builder = builder.bearer_auth(token.as_str());
        }
        let mut response = builder
            .send()
            .await
            .map_err(|_| "unreachable or too slow")?;
        let limit = userpool_federation::MAX_ANSWER_LEN;
        if response
            .content_length()
            .is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err("answer too large");
        }
        let status = response.status().as_u16();
        let mut body = Zeroizing::new(Vec::new());
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| "unreachable or too slow")?
        {
            if body.len() + chunk.len() > limit {
                return Err("answer too large");
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }

    async fn get(&self, url: &str) -> Result<Zeroizing<Vec<u8>>, &'static str> {
        let (status, body) = self
            .send(&OutboundRequest {
                method: RequestMethod::Get,
                url: url.to_owned(),
                form: None,
                bearer: None,
            })
            .await?;
        if status == 200 {
            Ok(body)
        } else {
            Err("unsuccessful status")
        }
    }

    /// The provider's endpoints: configured ones, completed from its discovery document
    /// (cached) when some are missing.
    pub(crate) async fn endpoints(
        &self,
        details: &ProviderDetails,
        now: i64,
    ) -> Result<Endpoints, &'static str> {
        let configured = details.endpoints();
        if !configured.incomplete(details.provider_type().uses_id_token()) {
            return Ok(configured);
        }
        let issuer = configured.issuer.clone().ok_or("no issuer to discover")?;
        let cached = self
            .discovered
            .lock()
            .ok()
            .and_then(|c| c.get(&issuer).cloned());
        let discovered = match cached {
            Some((e, at)) if (0..TTL_SECONDS).contains(&(now - at)) => e,
            _ => {
                let body = self.get(&discovery_url(&issuer)).await?;
                let bare = Endpoints {
                    issuer: Some(issuer.clone()),
                    ..Endpoints::default()
                };
                let e = apply_discovery(&bare, &body).map_err(|_| "discovery document refused")?;
                if let Ok(mut c) = self.discovered.lock() {
                    c.insert(issuer.clone(), (e.clone(), now));
                }
                e
            }
        };
        Ok(Endpoints {
            authorize_url: configured.authorize_url.or(discovered.authorize_url),
            token_url: configured.token_url.or(discovered.token_url),
            attributes_url: configured.attributes_url.or(discovered.attributes_url),
            jwks_uri: configured.jwks_uri.or(discovered.jwks_uri),
            issuer: configured.issuer,
        })
    }

    /// The key set at `jwks_uri`: cached, or fetched when stale, or (`unknown_kid`) refetched
    /// if the cached one is older than the refresh floor. `None` with a reason otherwise.
    pub(crate) async fn keys(
        &self,
        jwks_uri: &str,
        now: i64,
        unknown_kid: bool,
    ) -> Result<Arc<Verifier>, &'static str> {
        let cached = self.keys.lock().ok().and_then(|c| c.get(jwks_uri).cloned());
        if let Some((v, at)) = &cached {
            let fresh = (0..TTL_SECONDS).contains(&(now - at));
            let may_refresh = now - at >= MIN_REFRESH_SECONDS;
            if fresh && !(unknown_kid && may_refresh) {
                return Ok(Arc::clone(v));
            }
        }
        match self.get(jwks_uri).await.and_then(|body| {
            userpool_federation::provider_keys_with(&body, self.backend)
                .map_err(|_| "key set refused")
        }) {
            Ok(v) => {
                let v = Arc::new(v);
                if let Ok(mut c) = self.keys.lock() {
                    c.insert(jwks_uri.to_owned(), (Arc::clone(&v), now));
                }
                Ok(v)
            }
            // A stale set is better than none while the provider is unreachable.
            Err(e) => cached.map(|(v, _)| v).ok_or(e),
        }
    }

    /// A SAML IdP's metadata at `url` (`MetadataURL`): cached for an hour; a stale copy is
    /// used while the IdP is unreachable.
    pub(crate) async fn saml_metadata(
        &self,
        url: &str,
        now: i64,
    ) -> Result<Arc<userpool_saml::IdpMetadata>, &'static str> {
        let cached = self
            .saml_metadata
            .lock()
            .ok()
            .and_then(|c| c.get(url).cloned());
        if let Some((m, at)) = &cached
            && (0..TTL_SECONDS).contains(&(now - at))
        {
            return Ok(Arc::clone(m));
        }
        let fetched = self.get(url).await.and_then(|body| {
            let text = std::str::from_utf8(&body).map_err(|_| "metadata is not UTF-8")?;
            userpool_saml::IdpMetadata::parse(text).map_err(|_| "metadata refused")
        });
        match fetched {
            Ok(m) => {
                let m = Arc::new(m);
                if let Ok(mut c) = self.saml_metadata.lock() {
                    c.insert(url.to_owned(), (Arc::clone(&m), now));
                }
                Ok(m)
            }
            Err(e) => cached.map(|(m, _)| m).ok_or(e),
        }
    }
}
