//! Sign-in through a provider: `/oauth2/authorize?identity_provider=…` (or `idp_identifier`)
//! sends the browser to the provider; `/oauth2/idpresponse` takes its answer, exchanges the
//! code, checks the ID token (or calls user info), finds or creates the pool user and
//! continues the app's own authorization request (a code, with its PKCE, to the app).
//!
//! The flow state travels in the provider's `state` as `<poolId>.<sealed>`: sealed under the
//! pool's key (the app's authorize query, the provider, the nonce, the PKCE verifier, a
//! browser binding and an expiry), bound to the browser by a cookie holding the binding, and
//! single use through a replay marker. Anything wrong with it is an error page, never a code:
//! the app's redirect URI is known only from a state that opened. The provider's `iss`
//! parameter (RFC 9207), when sent, must be the provider the state names (mix-up defence);
//! the ID token's issuer is that provider's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;
use user_pool_model::PoolConfig;
use userpool_federation::{
    Expected, FlowSecrets, IdTokenError, ProviderAnswer, ProviderType, authorize_url, parse_answer,
    parse_token_response, parse_user_info, token_request, user_info_request,
};
use zeroize::Zeroizing;

use crate::federation::Federation;
use crate::federation::providers::Provider;
use crate::hooks::Caller;
use crate::hosted::authorize::with_parameters;
use crate::seal::Purpose;
use crate::wire::*;

/// How long a sign-in through a provider may take (the state's lifetime).
pub const FEDERATION_STATE_SECONDS: i64 = 600;

/// The sealed flow state (SAML's too: `n` holds the `AuthnRequest` id, `v` is empty).
#[derive(Serialize, Deserialize)]
pub(super) struct FlowState {
    /// Random id (its replay marker).
    pub(super) i: String,
    /// The provider's name.
    pub(super) p: String,
    /// The app's `/oauth2/authorize` query.
    pub(super) q: String,
    /// The nonce the ID token must carry.
    pub(super) n: String,
    /// The PKCE verifier.
    pub(super) v: String,
    /// The browser binding (the cookie's value).
    pub(super) b: String,
    /// Unix seconds after which it is refused.
    pub(super) e: i64,
}

/// A redirect to the app with an OAuth error (and the app's `state`).
pub(super) fn error_to_app(
    request: &pkce_state::AuthorizeRequest,
    error: &str,
    description: &str,
) -> String {
    let mut pairs = vec![("error_description", description), ("error", error)];
    if let Some(s) = &request.state {
        pairs.push(("state", s));
    }
    with_parameters(&request.redirect_uri, &pairs, false)
}

fn marker(id: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"userpool/v1/federation-state\0")
        .chain_update(id.as_bytes())
        .finalize()
        .into()
}

impl Federation {
    /// `GET /oauth2/authorize`: with `identity_provider` (not `COGNITO`) or `idp_identifier`,
    /// to that provider; otherwise what [`crate::Hosted::oauth_authorize`] does.
    pub async fn oauth_authorize(
        &self,
        query: &str,
        host_pool: Option<&str>,
        cookie_for: impl Fn(&str) -> Option<String>,
    ) -> FederatedAuthorize {
        let Ok(params) = pkce_state::parse_query(query) else {
            return FederatedAuthorize::Hosted(AuthorizeOutcome::ErrorPage("invalid_request"));
        };
        let idp = pkce_state::param(&params, "identity_provider");
        let identifier = pkce_state::param(&params, "idp_identifier");
        if matches!((idp, identifier), (None, None) | (Some("COGNITO"), _)) {
            return FederatedAuthorize::Hosted(
                self.hosted
                    .oauth_authorize(query, host_pool, cookie_for)
                    .await,
            );
        }
        let request = match self.hosted.hosted_request(query, host_pool).await {
            Ok(r) => r,
            Err(outcome) => return FederatedAuthorize::Hosted(outcome),
        };
        let found = match (idp, identifier) {
            (Some(name), _) => self.core.store().get_provider(&request.pool.id, name).await,
            (None, Some(id)) => {
                self.core
                    .store()
                    .provider_by_identifier(&request.pool.id, id)
                    .await
            }
            (None, None) => Ok(None),
        };
        let record = match found {
            Ok(Some(r))
                if request
                    .client
                    .supported_identity_providers
                    .contains(&r.name) =>
            {
                r
            }
            Ok(_) => {
                return FederatedAuthorize::Hosted(AuthorizeOutcome::Redirect(error_to_app(
                    &request.request,
                    "invalid_request",
                    "Login option is not available. Please try another one",
                )));
            }
            Err(_) => {
                return FederatedAuthorize::Hosted(AuthorizeOutcome::ErrorPage("server_error"));
            }
        };
        match self.to_provider(&request, record, query).await {
            Ok(start) => start,
            Err(reason) => {
                tracing::warn!(target: "userpool::federation", pool = %request.pool_id, reason = %reason, "sign-in through a provider not started");
                FederatedAuthorize::Hosted(AuthorizeOutcome::Redirect(error_to_app(
                    &request.request,
                    "server_error",
                    "The identity provider is not available.",
                )))
            }
        }
    }

    async fn to_provider(
        &self,
        request: &HostedRequest,
        record: userpool_store::ProviderRecord,
        query: &str,
    ) -> Result<FederatedAuthorize, String> {
        let pool = &request.pool;
        let provider = self
            .core
            .open_provider(pool, record)
            .map_err(|e| e.to_string())?;
        if provider.provider_type == ProviderType::Saml {
            return self.to_saml_provider(request, &provider, query).await;
        }
        let now = self.core.now();
        let endpoints = self.outbound.endpoints(&provider.details, now).await?;
        let authorize_endpoint = endpoints.authorize_url.ok_or("no authorization endpoint")?;
        let base = self
            .core
            .hosted_base_url(pool.id.as_str())
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the pool has no domain")?;
        let secrets = self
            .core
            .entropy
            .with(FlowSecrets::generate)
            .map_err(|e| e.to_string())?;
        let binding =
            URL_SAFE_NO_PAD.encode(self.core.entropy.bytes::<32>().map_err(|e| e.to_string())?);
        let state = FlowState {
            i: secrets.state.clone(),
            p: provider.record.name.clone(),
            q: query.to_owned(),
            n: secrets.nonce.clone(),
            v: secrets.verifier.expose_secret().to_owned(),
            b: binding.clone(),
            e: now + FEDERATION_STATE_SECONDS,
        };
        let plain = Zeroizing::new(serde_json::to_vec(&state).map_err(|e| e.to_string())?);
        let nonce = self.core.entropy.bytes::<12>().map_err(|e| e.to_string())?;
        let sealed = self.core.sealer(&pool.id, Purpose::FederationState).seal(
            &plain,
            pool.id.as_str().as_bytes(),
            nonce,
        );
        let outgoing = FlowSecrets {
            state: format!("{}.{}", pool.id.as_str(), URL_SAFE_NO_PAD.encode(sealed)),
            nonce: secrets.nonce,
            verifier: secrets.verifier,
        };
        let location = authorize_url(
            &provider.details,
            &authorize_endpoint,
            &format!("{base}/oauth2/idpresponse"),
            &outgoing,
        )
        .map_err(|e| e.to_string())?;
        crate::audit!(operation = "AuthorizeWithProvider", pool = %pool.id.as_str(), provider = %provider.record.name);
        Ok(FederatedAuthorize::Provider {
            location,
            pool_id: pool.id.as_str().to_owned(),
            binding: binding.into(),
            max_age: FEDERATION_STATE_SECONDS,
        })
    }

    /// Opens and spends the state of a provider's answer: the pool and the state, or `None`
    /// (forged, expired, for another pool or browser, or replayed).
    pub(super) async fn open_state(
        &self,
        state: &str,
        host_pool: Option<&str>,
        binding_for: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Option<(PoolConfig, FlowState)> {
        if state.len() > 8 * 1024 {
            return None;
        }
        let (pool_id, sealed) = state.split_once('.')?;
        if host_pool.is_some_and(|h| h != pool_id) {
            return None;
        }
        let pool = self.core.pool(pool_id).await.ok()?;
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        let plain = self
            .core
            .sealer(&pool.id, Purpose::FederationState)
            .open(&bytes, pool.id.as_str().as_bytes())
            .ok()?;
        let flow: FlowState = serde_json::from_slice(&plain).ok()?;
        if self.core.now() > flow.e {
            return None;
        }
        let cookie = binding_for(pool.id.as_str())?;
        if !bool::from(cookie.as_bytes().ct_eq(flow.b.as_bytes())) {
            return None;
        }
        match self
            .core
            .store()
            .mark_used(&pool.id, &marker(&flow.i), flow.e)
            .await
        {
            Ok(true) => Some((pool, flow)),
            _ => None,
        }
    }

    /// `GET|POST /oauth2/idpresponse`: the provider's answer (`params`, from the query or the
    /// form), with the binding cookie the browser sent for a pool (`binding_for`).
    pub async fn idp_response(
        &self,
        params: &[(String, String)],
        host_pool: Option<&str>,
        binding_for: impl Fn(&str) -> Option<String> + Sync,
    ) -> IdpResponseOutcome {
        let refuse = |why: &str| {
            tracing::warn!(target: "userpool::federation", reason = %why, "a provider answer was refused");
            IdpResponseOutcome::ErrorPage("invalid_state".into())
        };
        let Some(answer) = parse_answer(params) else {
            return refuse("neither a code nor an error with a state");
        };
        let state = match &answer {
            ProviderAnswer::Code { state, .. } => state.as_str(),
            ProviderAnswer::Error {
                state: Some(state), ..
            } => state.as_str(),
            ProviderAnswer::Error { state: None, .. } => return refuse("an error without a state"),
        };
        let Some((pool, flow)) = self.open_state(state, host_pool, &binding_for).await else {
            return refuse("the state is forged, expired, for another browser or used");
        };
        let request = match self.hosted.hosted_request(&flow.q, None).await {
            Ok(r) => r,
            Err(AuthorizeOutcome::Redirect(location)) => {
                return IdpResponseOutcome::Redirect {
                    location,
                    pool_id: pool.id.as_str().to_owned(),
                    session: None,
                };
            }
            Err(_) => return IdpResponseOutcome::ErrorPage("redirect_mismatch".into()),
        };
        let to_app = |location: String| IdpResponseOutcome::Redirect {
            location,
            pool_id: pool.id.as_str().to_owned(),
            session: None,
        };
        let (code, issuer) = match answer {
            ProviderAnswer::Error {
                error, description, ..
            } => {
                // The provider's error goes to the app as the provider said it.
                let description = description.unwrap_or_else(|| error.clone());
                return to_app(error_to_app(&request.request, &error, &description));
            }
            ProviderAnswer::Code { code, issuer, .. } => (code, issuer),
        };
        match self
            .complete_sign_in(&request, &flow, &code, issuer.as_deref())
            .await
        {
            Ok(outcome) => outcome,
            Err((error, description)) => {
                tracing::warn!(target: "userpool::federation", pool = %pool.id.as_str(), provider = %flow.p, reason = %description, "sign-in through a provider failed");
                to_app(error_to_app(&request.request, error, &description))
            }
        }
    }

    /// The code exchange, the provider's claims, the pool user, and the app's code.
    async fn complete_sign_in(
        &self,
        request: &HostedRequest,
        flow: &FlowState,
        code: &str,
        issuer: Option<&str>,
    ) -> Result<IdpResponseOutcome, (&'static str, String)> {
        let server = |e: &dyn std::fmt::Display| ("server_error", e.to_string());
        let pool = &request.pool;
        let provider = self
            .core
            .provider(pool, &flow.p)
            .await
            .map_err(|e| server(&e))?;
        let now = self.core.now();
        let endpoints = self
            .outbound
            .endpoints(&provider.details, now)
            .await
            .map_err(|e| server(&e))?;
        if let Some(iss) = issuer
            && endpoints.issuer.as_deref() != Some(iss)
        {
            return Err((
                "invalid_request",
                "The identity provider's issuer does not match.".into(),
            ));
        }
        let token_url = endpoints
            .token_url
            .clone()
            .ok_or_else(|| server(&"no token endpoint"))?;
        let base = self
            .core
            .hosted_base_url(pool.id.as_str())
            .await
            .map_err(|e| server(&e))?
            .ok_or_else(|| server(&"the pool has no domain"))?;
        let secret = match provider.provider_type {
            ProviderType::SignInWithApple => Some(
                userpool_federation::apple_client_secret(&provider.details, now)
                    .map_err(|e| server(&e))?,
            ),
            _ => provider
                .details
                .secret("client_secret")
                .map(|s| Zeroizing::new(s.expose_secret().to_owned())),
        };
        let exchange = token_request(
            &provider.details,
            &token_url,
            code,
            &format!("{base}/oauth2/idpresponse"),
            &flow.v,
            secret.as_deref().map(String::as_str),
        );
        let (status, body) = self
            .outbound
            .send(&exchange)
            .await
            .map_err(|e| server(&e))?;
        let tokens =
            parse_token_response(status, &body).map_err(|e| ("invalid_request", e.to_string()))?;
        let mut claims: Map<String, Value> = Map::new();
        let wants_id_token = provider.provider_type.uses_id_token()
            && (provider.details.requests_openid() || provider.provider_type != ProviderType::Oidc);
        match (&tokens.id_token, wants_id_token) {
            (Some(id_token), _) if provider.provider_type.uses_id_token() => {
                claims = self
                    .id_token_claims(&provider, &endpoints, id_token, &flow.n, now)
                    .await?;
            }
            (None, true) => {
                return Err((
                    "invalid_request",
                    "The identity provider sent no ID token.".into(),
                ));
            }
            _ => {}
        }
        if userpool_federation::calls_user_info(&provider.details, &endpoints)
            && let Some(url) = &endpoints.attributes_url
        {
            let call = user_info_request(
                &provider.details,
                url,
                &tokens.access_token,
                &provider.mapping.provider_attributes(),
            );
            let (status, body) = self.outbound.send(&call).await.map_err(|e| server(&e))?;
            let info = parse_user_info(status, &body).map_err(|e| server(&e))?;
            if claims.is_empty() {
                claims = info;
            } else {
                userpool_federation::merge_user_info(&mut claims, info)
                    .map_err(|e| ("invalid_request", e.to_string()))?;
            }
        }
        self.finish_sign_in(request, &provider, &claims, None, None)
            .await
    }

    /// The pool user `claims` sign in as, their session (remembering the SAML sign-in
    /// `saml`, if it was one), and the app's code. `issuer` is the new identity's `issuer`
    /// (a SAML IdP's entity id; `null` for OIDC and social providers).
    pub(super) async fn finish_sign_in(
        &self,
        request: &HostedRequest,
        provider: &Provider,
        claims: &Map<String, Value>,
        saml: Option<crate::hosted::session::SamlSession>,
        issuer: Option<&str>,
    ) -> Result<IdpResponseOutcome, (&'static str, String)> {
        let server = |e: &dyn std::fmt::Display| ("server_error", e.to_string());
        let pool = &request.pool;
        let now = self.core.now();
        let caller = Caller::without_metadata(request.client.id.as_str());
        let user = self
            .federated_user(pool, provider, claims, issuer, &caller)
            .await
            .map_err(|e| ("invalid_request", e.message().to_owned()))?;
        if !user.enabled {
            return Err(("invalid_request", "User is disabled.".into()));
        }
        let session = self
            .core
            .new_session(pool, &user, saml)
            .map_err(|e| server(&e))?;
        let location = self
            .hosted
            .complete(pool, &request.client, &request.request, &user, now)
            .await
            .map_err(|e| server(&e))?;
        Ok(IdpResponseOutcome::Redirect {
            location,
            pool_id: pool.id.as_str().to_owned(),
            session: Some(session),
        })
    }

    async fn id_token_claims(
        &self,
        provider: &Provider,
        endpoints: &userpool_federation::Endpoints,
        id_token: &str,
        nonce: &str,
        now: i64,
    ) -> Result<Map<String, Value>, (&'static str, String)> {
        let invalid =
            |e: &dyn std::fmt::Display| ("invalid_request", format!("Invalid ID token: {e}"));
        let jwks_uri = endpoints
            .jwks_uri
            .as_deref()
            .ok_or_else(|| ("server_error", "no jwks_uri".to_owned()))?;
        let issuer = endpoints
            .issuer
            .as_deref()
            .ok_or_else(|| ("server_error", "no issuer".to_owned()))?;
        let expected = Expected {
            issuer,
            client_id: provider.details.client_id(),
            nonce,
            now,
            skew: userpool_federation::DEFAULT_SKEW_SECONDS,
        };
        let keys = self
            .outbound
            .keys(jwks_uri, now, false)
            .await
            .map_err(|e| ("server_error", e.to_owned()))?;
        match userpool_federation::validate_id_token(id_token, &keys, &expected) {
            Ok(c) => Ok(c),
            Err(userpool_federation::Error::IdToken(IdTokenError::Jws(
                jwt_tokens::Error::UnknownKeyId,
            ))) => {
                // The provider may have rotated its keys: one refetch.
                let keys = self
                    .outbound
                    .keys(jwks_uri, now, true)
                    .await
                    .map_err(|e| ("server_error", e.to_owned()))?;
                userpool_federation::validate_id_token(id_token, &keys, &expected)
                    .map_err(|e| invalid(&e))
            }
            Err(e) => Err(invalid(&e)),
        }
    }
}
