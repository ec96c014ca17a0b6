//! The hosted domain's authorization side (spec §9.2, §9.5): `/oauth2/authorize` requests
//! checked against the client, the hosted-UI sign-in cookie, authorization codes and implicit
//! tokens, and `/logout` (the sign-in cookie itself is `session.rs`).
//!
//! Authorization codes carry their own record, sealed under the pool's key for the client
//! (ChaCha20-Poly1305), so nothing is stored when one is issued; a replay marker makes each
//! one redeemable once (one atomic insert in the store), and the refresh-token family of its
//! tokens has an id derived from the code, so a second redemption can revoke them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use custom_auth_triggers::TriggerSource;
use pkce_state::{AuthorizeRequest, ClientPolicy, CodeChallenge, CodeRecord, ResponseType};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use user_pool_model::{AppClient, PoolConfig, User, UserPoolId};

use crate::core::Core;
use crate::core::internal;
use crate::error::Result;
use crate::hooks::Caller;
use crate::hosted::Hosted;
use crate::seal::Purpose;
use crate::tokens::Grant;
use crate::wire::*;

/// How long the hosted UI's sign-in cookie lasts (Cognito: one hour).
pub const HOSTED_SESSION_SECONDS: i64 = 3600;

/// What an authorization code holds (sealed into the code).
#[derive(Serialize, Deserialize)]
struct SealedCode {
    id: String,
    redirect_uri: String,
    challenge: Option<String>,
    scopes: Vec<String>,
    nonce: Option<String>,
    sub: String,
    auth_time: i64,
    expires_at: i64,
}

use pkce_state::param as get;

/// Whether the client takes part in the hosted domain's OAuth flows at all.
pub(crate) fn oauth_enabled(client: &AppClient, flow: &str) -> bool {
    client.allowed_oauth_flows_user_pool_client
        && client.allowed_oauth_flows.iter().any(|f| f == flow)
}

/// A name for the refresh-token family of the tokens redeemed from code `id`, in UUID form.
pub(crate) fn code_family_id(code_id: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"userpool/v1/code-family\0")
        .chain_update(code_id.as_bytes())
        .finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    )
}

/// The replay marker of code `id`.
pub(crate) fn code_marker(code_id: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"userpool/v1/code-marker\0")
        .chain_update(code_id.as_bytes())
        .finalize()
        .into()
}

/// Appends `pairs` to `uri` as a query (`?`/`&`) or as a fragment.
pub(crate) fn with_parameters(uri: &str, pairs: &[(&str, &str)], fragment: bool) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    let sep = if fragment {
        '#'
    } else if uri.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{uri}{sep}{}", query.finish())
}

impl Hosted {
    /// Where `pool_id`'s hosted endpoints are served (`/oauth2/authorize`, `/login`…), if the
    /// pool has a domain: this service's public base URL when it issues its own tokens, the
    /// domain's `https://` origin when it mimics AWS.
    pub async fn hosted_base_url(&self, pool_id: &str) -> Result<Option<String>> {
        self.core.hosted_base_url(pool_id).await
    }

    /// The pool a hosted-domain host name (`Host` header, port ignored) belongs to:
    /// `<prefix>.auth.<region>.amazoncognito.com` or a custom domain. `None` for any other
    /// host (then the pool is found by `client_id`).
    pub async fn pool_for_host(&self, host: &str) -> Result<Option<String>> {
        let name = match host.rsplit_once(':') {
            Some((h, port)) if !h.ends_with(']') || port.chars().all(|c| c.is_ascii_digit()) => h,
            _ => host,
        }
        .to_ascii_lowercase();
        let key = match name.split_once(".auth.") {
            Some((prefix, rest)) if rest.ends_with(".amazoncognito.com") => prefix.to_owned(),
            _ => name,
        };
        if key.is_empty() || key.len() > 253 {
            return Ok(None);
        }
        Ok(self
            .core
            .store()
            .get_domain(&key)
            .await?
            .map(|d| d.pool.as_str().to_owned()))
    }

    /// The client an OAuth request names, if it exists, belongs to `host_pool` (when the host
    /// named one) and its pool has a domain (the hosted endpoints exist only then).
    pub(crate) async fn oauth_client(
        &self,
        client_id: Option<&str>,
        host_pool: Option<&str>,
    ) -> Option<(PoolConfig, AppClient, Vec<userpool_store::DomainRecord>)> {
        let (pool, client) = self.core.client(client_id?).await.ok()?;
        if host_pool.is_some_and(|h| h != pool.id.as_str()) {
            return None;
        }
        let domains = self.core.store().pool_domains(&pool.id).await.ok()?;
        (!domains.is_empty()).then_some((pool, client, domains))
    }

    /// Checks an `/oauth2/authorize` (or `/login`) query. `Err` is what to answer instead:
    /// the error page, or an error redirect to the client.
    pub async fn hosted_request(
        &self,
        query: &str,
        host_pool: Option<&str>,
    ) -> core::result::Result<HostedRequest, AuthorizeOutcome> {
        let params = pkce_state::parse_query(query)
            .map_err(|_| AuthorizeOutcome::ErrorPage("invalid_request"))?;
        let (pool, client, domains) = self
            .oauth_client(get(&params, "client_id"), host_pool)
            .await
            .ok_or(AuthorizeOutcome::ErrorPage("redirect_mismatch"))?;
        let ui = crate::admin::ui::ui_for(&domains, client.id.as_str());
        let scopes = self
            .core
            .live_scopes(&pool, &client)
            .await
            .map_err(|_| AuthorizeOutcome::ErrorPage("server_error"))?;
        let policy = ClientPolicy {
            client_id: client.id.as_str(),
            callback_urls: &client.callback_urls,
            allow_code: oauth_enabled(&client, "code"),
            allow_implicit: oauth_enabled(&client, "implicit"),
            allowed_scopes: &scopes,
            require_pkce: false,
        };
        let request = pkce_state::check_authorize(&params, &policy).map_err(|e| {
            match (e.redirectable(), get(&params, "redirect_uri")) {
                (true, Some(uri)) => AuthorizeOutcome::Redirect(pkce_state::error_redirect(
                    uri,
                    &e,
                    get(&params, "state"),
                )),
                _ => AuthorizeOutcome::ErrorPage("redirect_mismatch"),
            }
        })?;
        if request.identity_provider.as_deref().is_some_and(|idp| {
            idp != "COGNITO" && !client.supported_identity_providers.iter().any(|p| p == idp)
        }) {
            let mut pairs = vec![
                ("error", "invalid_request"),
                ("error_description", "unsupported identity provider"),
            ];
            if let Some(s) = &request.state {
                pairs.push(("state", s));
            }
            return Err(AuthorizeOutcome::Redirect(with_parameters(
                &request.redirect_uri,
                &pairs,
                false,
            )));
        }
        let first_factors = self.first_factors(&pool, &client).await;
        Ok(HostedRequest {
            pool_id: pool.id.as_str().to_owned(),
            client_id: client.id.as_str().to_owned(),
            client_name: client.name.clone(),
            query: query.to_owned(),
            username_attributes: pool.username_attributes.clone(),
            required_attributes: pool
                .schema
                .required()
                .map(|a| a.name.clone())
                .filter(|n| n != "sub")
                .collect(),
            css: ui.and_then(|(_, u)| u.css.clone()),
            logo_url: ui
                .filter(|(_, u)| u.image_base64.is_some())
                .map(|(key, u)| {
                    // Relative to the pages (`/login` → `/logo/…`).
                    crate::admin::ui::logo_path(pool.id.as_str(), key, u.modified)
                        .trim_start_matches('/')
                        .to_owned()
                }),
            identity_providers: client
                .supported_identity_providers
                .iter()
                .filter(|p| p.as_str() != "COGNITO")
                .cloned()
                .collect(),
            first_factors,
            request,
            pool,
            client,
        })
    }

    /// `GET /oauth2/authorize`: with a live sign-in cookie, straight back to the client with
    /// a code (or tokens); otherwise to the sign-in page.
    /// `cookie_for` gives the sign-in cookie the browser sent for a pool id (the pool is
    /// known only once the request is checked).
    pub async fn oauth_authorize(
        &self,
        query: &str,
        host_pool: Option<&str>,
        cookie_for: impl Fn(&str) -> Option<String>,
    ) -> AuthorizeOutcome {
        let request = match self.hosted_request(query, host_pool).await {
            Ok(r) => r,
            Err(outcome) => return outcome,
        };
        let cookie = cookie_for(&request.pool_id);
        match self.resume_session(&request, cookie.as_deref()).await {
            Some(location) => AuthorizeOutcome::Redirect(location),
            None => AuthorizeOutcome::SignIn(Box::new(request)),
        }
    }

    /// With a live sign-in cookie, the location that completes `request` without asking for
    /// credentials again (single sign-on across the pool's clients).
    pub async fn resume_session(
        &self,
        request: &HostedRequest,
        cookie: Option<&str>,
    ) -> Option<String> {
        let (pool, client) = (&request.pool, &request.client);
        let (user, auth_time) = self.core.open_session(pool, cookie?).await?;
        match self
            .complete(pool, client, &request.request, &user, auth_time)
            .await
        {
            Ok(location) => Some(location),
            Err(_) => Some(self.server_error_redirect(&request.request)),
        }
    }

    fn server_error_redirect(&self, request: &AuthorizeRequest) -> String {
        let mut pairs = vec![("error", "server_error")];
        if let Some(s) = &request.state {
            pairs.push(("state", s));
        }
        with_parameters(&request.redirect_uri, &pairs, false)
    }

    /// Completes an authorization for `user`: a code in the query, or (implicit) tokens in
    /// the fragment, with `state`.
    pub(crate) async fn complete(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        request: &AuthorizeRequest,
        user: &User,
        auth_time: i64,
    ) -> Result<String> {
        let state = request.state.as_deref();
        match request.response_type {
            ResponseType::Code => {
                let code = self.issue_authorization_code(pool, client, request, user, auth_time)?;
                let mut pairs = vec![("code", code.as_str())];
                if let Some(s) = state {
                    pairs.push(("state", s));
                }
                Ok(with_parameters(&request.redirect_uri, &pairs, false))
            }
            ResponseType::Token => {
                let grant = Grant {
                    auth_time,
                    device_key: None,
                    bound_device: None,
                    source: TriggerSource::TokenGenerationHostedAuth,
                    scopes: Some(request.scopes.clone()),
                    nonce: request.nonce.clone(),
                    family_id: None,
                    spends_session: None,
                };
                let caller = Caller::without_metadata(client.id.as_str());
                // The family is created (so the access token can be revoked with the user's
                // other sessions) but its refresh token is never handed out: implicit grants
                // return none.
                let result = self
                    .tokens
                    .issue_tokens(pool, client, user, &grant, &caller)
                    .await?;
                let expires = result.expires_in.to_string();
                let mut pairs = vec![("access_token", result.access_token.expose_secret())];
                if request.scopes.iter().any(|s| s == "openid") {
                    pairs.push(("id_token", result.id_token.expose_secret()));
                }
                pairs.push(("token_type", "Bearer"));
                pairs.push(("expires_in", &expires));
                if let Some(s) = state {
                    pairs.push(("state", s));
                }
                Ok(with_parameters(&request.redirect_uri, &pairs, true))
            }
        }
    }

    /// A sealed authorization code for `user`.
    fn issue_authorization_code(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        request: &AuthorizeRequest,
        user: &User,
        auth_time: i64,
    ) -> Result<String> {
        let now = self.core.now();
        let (code, record) = self.core.entropy.with(|rng| {
            pkce_state::issue_code(request, &user.sub.to_string(), auth_time, now, rng)
        })?;
        let sealed = SealedCode {
            id: code.expose_secret().to_owned(),
            redirect_uri: record.redirect_uri,
            challenge: record.code_challenge.map(|c| c.as_str().to_owned()),
            scopes: record.scopes,
            nonce: record.nonce,
            sub: record.user,
            auth_time: record.auth_time,
            expires_at: record.expires_at,
        };
        let plain = zeroize::Zeroizing::new(serde_json::to_vec(&sealed).map_err(|_| internal())?);
        let nonce = self.core.entropy.bytes::<12>()?;
        let bytes = self.core.sealer(&pool.id, Purpose::AuthorizationCode).seal(
            &plain,
            client.id.as_str().as_bytes(),
            nonce,
        );
        crate::audit!(operation = "Authorize", pool = %pool.id.as_str(), client = %client.id.as_str(), code = "HIDDEN_DUE_TO_SECURITY_REASONS");
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Opens a code presented by `client`: its id (for the replay marker) and its record.
    /// `None` for anything that is not a code this pool issued to this client.
    pub(crate) fn open_code(
        &self,
        pool: &UserPoolId,
        client: &AppClient,
        code: &str,
    ) -> Option<(String, CodeRecord)> {
        if code.len() > 8 * 1024 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(code).ok()?;
        let plain = self
            .core
            .sealer(pool, Purpose::AuthorizationCode)
            .open(&bytes, client.id.as_str().as_bytes())
            .ok()?;
        let sealed: SealedCode = serde_json::from_slice(&plain).ok()?;
        let code_challenge = match sealed.challenge {
            Some(c) => Some(CodeChallenge::parse(&c, Some("S256")).ok()?),
            None => None,
        };
        Some((
            sealed.id,
            CodeRecord {
                client_id: client.id.as_str().to_owned(),
                redirect_uri: sealed.redirect_uri,
                code_challenge,
                scopes: sealed.scopes,
                nonce: sealed.nonce,
                user: sealed.sub,
                auth_time: sealed.auth_time,
                expires_at: sealed.expires_at,
            },
        ))
    }

    /// `GET /logout`: to `logout_uri` (one of the client's sign-out URLs), or to the sign-in
    /// page for `redirect_uri` + `response_type`; the HTTP adapter clears the cookie either way.
    pub async fn oauth_logout(&self, query: &str, host_pool: Option<&str>) -> LogoutOutcome {
        let Ok(params) = pkce_state::parse_query(query) else {
            return LogoutOutcome::ErrorPage("Bad request".into());
        };
        let Some((_, client, _)) = self
            .oauth_client(get(&params, "client_id"), host_pool)
            .await
        else {
            return LogoutOutcome::ErrorPage(
                "Required String parameter 'client_id' is not present or unknown".into(),
            );
        };
        if let Some(uri) = get(&params, "logout_uri") {
            return if client.logout_urls.iter().any(|u| u == uri) {
                LogoutOutcome::Redirect(uri.to_owned())
            } else {
                LogoutOutcome::ErrorPage(
                    "logout_uri is not one of the client's sign-out URLs".into(),
                )
            };
        }
        if get(&params, "redirect_uri").is_none() {
            return LogoutOutcome::ErrorPage(
                "Required String parameter 'redirect_uri' is not present".into(),
            );
        }
        match self.hosted_request(query, host_pool).await {
            // Relative to `/logout`: the sign-in page beside it.
            Ok(request) => LogoutOutcome::Redirect(format!("login?{}", request.query)),
            Err(AuthorizeOutcome::Redirect(location)) => LogoutOutcome::Redirect(location),
            Err(_) => LogoutOutcome::ErrorPage("redirect_mismatch".into()),
        }
    }
}

impl Core {
    /// Where `pool_id`'s hosted endpoints are served (`/oauth2/authorize`, `/login`…), if the
    /// pool has a domain: this service's public base URL when it issues its own tokens, the
    /// domain's `https://` origin when it mimics AWS.
    pub(crate) async fn hosted_base_url(&self, pool_id: &str) -> Result<Option<String>> {
        let pool = self.pool(pool_id).await?;
        let domains = self.store().pool_domains(&pool.id).await?;
        let Some(domain) = domains
            .iter()
            .find(|d| d.is_custom())
            .or_else(|| domains.first())
        else {
            return Ok(None);
        };
        Ok(Some(match &self.issuer {
            crate::service::Issuer::SelfHosted { base_url } => {
                base_url.trim_end_matches('/').to_owned()
            }
            _ if domain.is_custom() => format!("https://{}", domain.domain),
            _ => format!(
                "https://{}.auth.{}.amazoncognito.com",
                domain.domain,
                pool.id.region()
            ),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_family_ids_are_uuid_shaped_and_differ_per_code() {
        let a = code_family_id("one");
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, code_family_id("two"));
        assert_eq!(a, code_family_id("one"));
    }

    #[test]
    fn parameters_go_into_the_query_or_the_fragment() {
        assert_eq!(
            with_parameters(
                "https://a.example/cb",
                &[("code", "x y"), ("state", "s&")],
                false
            ),
            "https://a.example/cb?code=x+y&state=s%26"
        );
        assert_eq!(
            with_parameters("https://a.example/cb?k=1", &[("code", "c")], false),
            "https://a.example/cb?k=1&code=c"
        );
        assert_eq!(
            with_parameters("https://a.example/cb", &[("access_token", "t")], true),
            "https://a.example/cb#access_token=t"
        );
    }
}
