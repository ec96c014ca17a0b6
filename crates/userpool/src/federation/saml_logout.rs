//! Single logout with a SAML identity provider (`IDPSignout` `true`).
//!
//! SP-initiated: `/logout` for a browser whose sign-in cookie came from such a provider
//! sends it to the IdP's `SingleLogoutService` (HTTP-Redirect) with a `LogoutRequest` signed
//! by the pool's SAML key, naming the `NameID` and `SessionIndex` of the sign-in; its
//! `RelayState` is the sealed logout state (`<poolId>.<sealed>`: the request id, the provider,
//! where `/logout` would have gone, an expiry; single use). The IdP's signed `LogoutResponse`
//! comes back to `GET /saml2/logout`, and only then does the browser go on to the app's
//! `logout_uri` (or the sign-in page of `redirect_uri`).
//!
//! IdP-initiated: a signed `LogoutRequest` at `GET /saml2/logout` for the `NameID` (and
//! `SessionIndex`, if named) of a sign-in cookie the browser holds ends that session, and is
//! answered with a `LogoutResponse` signed by the pool's SAML key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use userpool_federation::ProviderType;
use userpool_saml::{LogoutExpected, LogoutRequest, LogoutResponse, MessageKind};
use zeroize::Zeroizing;

use crate::federation::Federation;
use crate::federation::flow::FEDERATION_STATE_SECONDS;
use crate::federation::providers::Provider;
use crate::hosted::session::SamlSession;
use crate::seal::Purpose;
use crate::wire::LogoutOutcome;
use user_pool_model::PoolConfig;

/// The sealed state of a single logout (in `RelayState`).
#[derive(Serialize, Deserialize)]
struct LogoutState {
    /// The replay marker's id.
    i: String,
    /// The provider's name.
    p: String,
    /// Our `LogoutRequest`'s `ID`.
    n: String,
    /// Where the logout ends (absolute).
    l: String,
    /// Unix seconds after which the state is refused.
    e: i64,
}

fn logout_marker(id: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"userpool/v1/saml-logout\0")
        .chain_update(id.as_bytes())
        .finalize()
        .into()
}

impl Federation {
    /// `GET /logout`: the hosted logout, through the SAML IdP first when the browser's
    /// sign-in cookie for the app's pool (`session_for`) came from a provider with
    /// `IDPSignout` on. If the IdP cannot be reached (its metadata), the logout ends here.
    pub async fn logout(
        &self,
        query: &str,
        host_pool: Option<&str>,
        session_for: impl Fn(&str) -> Option<String> + Sync,
    ) -> LogoutOutcome {
        let outcome = self.hosted.oauth_logout(query, host_pool).await;
        let LogoutOutcome::Redirect(location) = &outcome else {
            return outcome;
        };
        match self
            .logout_at_idp(query, host_pool, location, &session_for)
            .await
        {
            Ok(Some(to_idp)) => LogoutOutcome::Redirect(to_idp),
            Ok(None) => outcome,
            Err(why) => {
                tracing::warn!(target: "userpool::federation", reason = %why, "SAML single logout was skipped");
                outcome
            }
        }
    }

    /// The pool's SAML provider of a session, if single logout applies to it.
    async fn signout_provider(
        &self,
        pool: &PoolConfig,
        session: &SamlSession,
    ) -> Result<Option<Provider>, String> {
        let Some(record) = self
            .core
            .store()
            .get_provider(&pool.id, &session.p)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(None);
        };
        let provider = self
            .core
            .open_provider(pool, record)
            .map_err(|e| e.to_string())?;
        Ok(
            (provider.provider_type == ProviderType::Saml && provider.details.flag("IDPSignout"))
                .then_some(provider),
        )
    }

    async fn logout_url(&self, pool: &PoolConfig) -> Result<(String, String), String> {
        let base = self
            .core
            .hosted_base_url(pool.id.as_str())
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the pool has no domain")?;
        Ok((format!("{base}/saml2/logout"), base))
    }

    async fn logout_at_idp(
        &self,
        query: &str,
        host_pool: Option<&str>,
        location: &str,
        session_for: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Result<Option<String>, String> {
        let params = pkce_state::parse_query(query).map_err(|_| "invalid query")?;
        let Some((pool, _, _)) = self
            .hosted
            .oauth_client(pkce_state::param(&params, "client_id"), host_pool)
            .await
        else {
            return Ok(None);
        };
        let Some(session) =
            session_for(pool.id.as_str()).and_then(|cookie| self.core.saml_session(&pool, &cookie))
        else {
            return Ok(None);
        };
        let Some(provider) = self.signout_provider(&pool, &session).await? else {
            return Ok(None);
        };
        let now = self.core.now();
        let metadata = self.idp_metadata(&provider, now).await?;
        let slo = metadata
            .slo_redirect
            .clone()
            .ok_or("the IdP has no HTTP-Redirect single logout service")?;
        let (_, base) = self.logout_url(&pool).await?;
        // `login?…` is relative to `/logout`.
        let finish = if location.starts_with("login?") {
            format!("{base}/{location}")
        } else {
            location.to_owned()
        };
        let entropy = &self.core.entropy;
        let request_id = entropy
            .with(userpool_saml::request_id)
            .map_err(|e| e.to_string())?;
        let state = LogoutState {
            i: URL_SAFE_NO_PAD.encode(entropy.bytes::<32>().map_err(|e| e.to_string())?),
            p: provider.record.name.clone(),
            n: request_id.clone(),
            l: finish,
            e: now + FEDERATION_STATE_SECONDS,
        };
        let plain = Zeroizing::new(serde_json::to_vec(&state).map_err(|e| e.to_string())?);
        let nonce = entropy.bytes::<12>().map_err(|e| e.to_string())?;
        let sealed = self.core.sealer(&pool.id, Purpose::SamlLogout).seal(
            &plain,
            pool.id.as_str().as_bytes(),
            nonce,
        );
        let relay_state = format!("{}.{}", pool.id.as_str(), URL_SAFE_NO_PAD.encode(sealed));
        let signing = self
            .core
            .saml_signing(&pool.id)
            .await
            .map_err(|e| e.to_string())?;
        let sp_entity_id = userpool_saml::sp_entity_id(pool.id.as_str());
        let url = LogoutRequest {
            id: &request_id,
            issue_instant: now,
            sp_entity_id: &sp_entity_id,
            destination: &slo,
            name_id: &session.n,
            name_id_format: session.m.as_deref(),
            session_index: session.x.as_deref(),
        }
        .redirect_url(Some(&relay_state), &signing.key)
        .map_err(|e| e.to_string())?;
        crate::audit!(operation = "SamlLogoutRequest", pool = %pool.id.as_str(), provider = %provider.record.name);
        Ok(Some(url))
    }

    /// `GET /saml2/logout` (its raw query): the IdP's `LogoutResponse` to our request (then
    /// the rest of the logout), or its own `LogoutRequest` for the user of one of the
    /// browser's sign-in cookies (`sessions`: pool id and cookie), answered with our signed
    /// `LogoutResponse`. Either way the caller clears the browser's sign-in cookies when the
    /// outcome is a redirect.
    pub async fn saml_logout(
        &self,
        query: &str,
        host_pool: Option<&str>,
        sessions: &[(String, String)],
    ) -> LogoutOutcome {
        let is_request = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "SAMLRequest");
        let result = if is_request {
            self.idp_logout_request(query, host_pool, sessions).await
        } else {
            self.idp_logout_response(query, host_pool).await
        };
        match result {
            Ok(location) => LogoutOutcome::Redirect(location),
            Err(why) => {
                tracing::warn!(target: "userpool::federation", reason = %why, "a SAML logout message was refused");
                LogoutOutcome::ErrorPage("invalid_request".into())
            }
        }
    }

    async fn idp_logout_response(
        &self,
        query: &str,
        host_pool: Option<&str>,
    ) -> Result<String, String> {
        let relay = form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "RelayState")
            .map(|(_, v)| v.into_owned())
            .ok_or("no RelayState")?;
        let (pool_id, sealed) = relay
            .split_once('.')
            .filter(|_| relay.len() <= 8 * 1024)
            .ok_or("not our RelayState")?;
        if host_pool.is_some_and(|h| h != pool_id) {
            return Err("the RelayState is another pool's".into());
        }
        let pool = self.core.pool(pool_id).await.map_err(|e| e.to_string())?;
        let plain = URL_SAFE_NO_PAD
            .decode(sealed)
            .ok()
            .and_then(|bytes| {
                self.core
                    .sealer(&pool.id, Purpose::SamlLogout)
                    .open(&bytes, pool.id.as_str().as_bytes())
                    .ok()
            })
            .ok_or("the RelayState is forged")?;
        let state: LogoutState = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
        let now = self.core.now();
        if now > state.e {
            return Err("the logout state expired".into());
        }
        let record = self
            .core
            .store()
            .get_provider(&pool.id, &state.p)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the provider is gone")?;
        let provider = self
            .core
            .open_provider(&pool, record)
            .map_err(|e| e.to_string())?;
        let metadata = self.idp_metadata(&provider, now).await?;
        let message =
            userpool_saml::verify_redirect(query, &metadata).map_err(|e| e.to_string())?;
        if message.kind != MessageKind::Response {
            return Err("not a LogoutResponse".into());
        }
        let (logout_url, _) = self.logout_url(&pool).await?;
        let expected = LogoutExpected {
            idp: &metadata,
            logout_url: &logout_url,
            now,
            skew: userpool_saml::DEFAULT_SKEW_SECONDS,
        };
        userpool_saml::validate_logout_response(&message.xml, &state.n, &expected)
            .map_err(|e| e.to_string())?;
        let fresh = self
            .core
            .store()
            .mark_used(&pool.id, &logout_marker(&state.i), state.e)
            .await
            .map_err(|e| e.to_string())?;
        if !fresh {
            return Err("the logout state was used".into());
        }
        crate::audit!(operation = "SamlLogoutResponse", pool = %pool.id.as_str(), provider = %provider.record.name);
        Ok(state.l)
    }

    async fn idp_logout_request(
        &self,
        query: &str,
        host_pool: Option<&str>,
        sessions: &[(String, String)],
    ) -> Result<String, String> {
        for (pool_id, cookie) in sessions {
            if host_pool.is_some_and(|h| h != pool_id) {
                continue;
            }
            let Ok(pool) = self.core.pool(pool_id).await else {
                continue;
            };
            let Some(session) = self.core.saml_session(&pool, cookie) else {
                continue;
            };
            let Some(provider) = self.signout_provider(&pool, &session).await? else {
                continue;
            };
            let now = self.core.now();
            let metadata = self.idp_metadata(&provider, now).await?;
            // Another IdP's message does not verify with this one's certificates.
            let Ok(message) = userpool_saml::verify_redirect(query, &metadata) else {
                continue;
            };
            if message.kind != MessageKind::Request {
                return Err("not a LogoutRequest".into());
            }
            let (logout_url, _) = self.logout_url(&pool).await?;
            let expected = LogoutExpected {
                idp: &metadata,
                logout_url: &logout_url,
                now,
                skew: userpool_saml::DEFAULT_SKEW_SECONDS,
            };
            let request = userpool_saml::validate_logout_request(&message.xml, &expected)
                .map_err(|e| e.to_string())?;
            if request.name_id != session.n {
                return Err("the LogoutRequest names another user".into());
            }
            if !request.session_indexes.is_empty()
                && !session
                    .x
                    .as_ref()
                    .is_some_and(|x| request.session_indexes.contains(x))
            {
                return Err("the LogoutRequest names another session".into());
            }
            let slo = metadata
                .slo_redirect
                .clone()
                .ok_or("the IdP has no HTTP-Redirect single logout service")?;
            let id = self
                .core
                .entropy
                .with(userpool_saml::request_id)
                .map_err(|e| e.to_string())?;
            let signing = self
                .core
                .saml_signing(&pool.id)
                .await
                .map_err(|e| e.to_string())?;
            let sp_entity_id = userpool_saml::sp_entity_id(pool.id.as_str());
            let url = LogoutResponse {
                id: &id,
                issue_instant: now,
                sp_entity_id: &sp_entity_id,
                destination: &slo,
                in_response_to: &request.id,
            }
            .redirect_url(message.relay_state.as_deref(), &signing.key)
            .map_err(|e| e.to_string())?;
            crate::audit!(operation = "SamlIdpLogout", pool = %pool.id.as_str(), provider = %provider.record.name);
            return Ok(url);
        }
        Err("no sign-in of this browser matches the LogoutRequest".into())
    }
}
