//! Sign-in through a SAML 2.0 identity provider, on the OIDC flow's machinery:
//! `/oauth2/authorize?identity_provider=<saml>` sends the browser to the IdP's single sign-on
//! service with an `AuthnRequest` (HTTP-Redirect) whose `RelayState` is the sealed flow state
//! (`<poolId>.<sealed>`, bound to the browser by the same cookie, single use); the IdP posts
//! its `Response` to `POST /saml2/idpresponse`, which `userpool-saml` validates (signature
//! with the IdP's metadata certificates, audience `urn:amazon:cognito:sp:<poolId>`, recipient
//! and destination the ACS, `InResponseTo` the request's id, the time window); the assertion
//! id is spent in the store's replay markers until the assertion expires; then the same user
//! creation, mapping, linking, triggers and code as an OIDC provider.
//!
//! IdP-initiated (`IDPInit` `true`): a response without our state carries the app's
//! authorize query in `RelayState` (`client_id`, `redirect_uri`, `response_type`, `scope`,
//! `identity_provider` or `idp_identifier`), and must not answer any request
//! (`InResponseTo` absent).

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use userpool_federation::{ProviderType, SAML_NAME_ID};
use userpool_saml::{AuthnRequest, Expected, IdpMetadata};
use zeroize::Zeroizing;

use crate::federation::Federation;
use crate::federation::flow::{FEDERATION_STATE_SECONDS, FlowState, error_to_app};
use crate::federation::providers::Provider;
use crate::seal::Purpose;
use crate::wire::*;

/// Cognito's description of a refused SAML answer.
const INVALID_RESPONSE: &str = "Invalid samlResponse or relayState from identity provider";

/// The replay marker of an assertion: its issuer and id.
fn assertion_marker(issuer: &str, id: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"userpool/v1/saml-assertion\0")
        .chain_update(issuer.as_bytes())
        .chain_update(b"\0")
        .chain_update(id.as_bytes())
        .finalize()
        .into()
}

/// The assertion as claims for the attribute mapping: each attribute by its `Name` (one
/// value as a string, several as an array), and the `NameID` as [`SAML_NAME_ID`].
pub(crate) fn assertion_claims(assertion: &userpool_saml::Assertion) -> Map<String, Value> {
    let mut claims = Map::new();
    for (name, values) in &assertion.attributes {
        let value = match values.as_slice() {
            [one] => Value::String(one.clone()),
            many => Value::Array(many.iter().cloned().map(Value::String).collect()),
        };
        claims.insert(name.clone(), value);
    }
    claims.insert(
        SAML_NAME_ID.to_owned(),
        Value::String(assertion.name_id.clone()),
    );
    claims
}

impl Federation {
    /// The pool's assertion consumer service.
    async fn acs_url(&self, pool_id: &str) -> Result<String, String> {
        let base = self
            .core
            .hosted_base_url(pool_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the pool has no domain")?;
        Ok(format!("{base}/saml2/idpresponse"))
    }

    /// The provider's metadata: `MetadataFile`, or `MetadataURL` fetched (cached).
    pub(crate) async fn idp_metadata(
        &self,
        provider: &Provider,
        now: i64,
    ) -> Result<Arc<IdpMetadata>, String> {
        if let Some(file) = provider.details.get("MetadataFile") {
            return IdpMetadata::parse(file)
                .map(Arc::new)
                .map_err(|e| e.to_string());
        }
        let url = provider.details.get("MetadataURL").ok_or("no metadata")?;
        self.outbound
            .saml_metadata(url, now)
            .await
            .map_err(str::to_owned)
    }

    /// SP-initiated: the redirect to the IdP with an `AuthnRequest` and the sealed state.
    pub(super) async fn to_saml_provider(
        &self,
        request: &HostedRequest,
        provider: &Provider,
        query: &str,
    ) -> Result<FederatedAuthorize, String> {
        let pool = &request.pool;
        let now = self.core.now();
        let metadata = self.idp_metadata(provider, now).await?;
        let destination = metadata
            .sso_redirect
            .clone()
            .ok_or("the IdP has no HTTP-Redirect single sign-on service")?;
        let acs = self.acs_url(pool.id.as_str()).await?;
        let request_id = self
            .core
            .entropy
            .with(userpool_saml::request_id)
            .map_err(|e| e.to_string())?;
        let marker_id =
            URL_SAFE_NO_PAD.encode(self.core.entropy.bytes::<32>().map_err(|e| e.to_string())?);
        let binding =
            URL_SAFE_NO_PAD.encode(self.core.entropy.bytes::<32>().map_err(|e| e.to_string())?);
        let state = FlowState {
            i: marker_id,
            p: provider.record.name.clone(),
            q: query.to_owned(),
            n: request_id.clone(),
            v: String::new(),
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
        let relay_state = format!("{}.{}", pool.id.as_str(), URL_SAFE_NO_PAD.encode(sealed));
        let sp_entity_id = userpool_saml::sp_entity_id(pool.id.as_str());
        let authn = AuthnRequest {
            id: &request_id,
            issue_instant: now,
            sp_entity_id: &sp_entity_id,
            acs_url: &acs,
            destination: &destination,
        };
        // Signed when the provider asks for it (`RequestSigningAlgorithm`) or its metadata
        // wants signed requests.
        let signing = if provider.details.get("RequestSigningAlgorithm").is_some()
            || metadata.want_requests_signed
        {
            Some(
                self.core
                    .saml_signing(&pool.id)
                    .await
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        let location = authn
            .redirect_url(Some(&relay_state), signing.as_ref().map(|s| &s.key))
            .map_err(|e| e.to_string())?;
        crate::audit!(operation = "AuthorizeWithProvider", pool = %pool.id.as_str(), provider = %provider.record.name, protocol = "SAML");
        Ok(FederatedAuthorize::Provider {
            location,
            pool_id: pool.id.as_str().to_owned(),
            binding: binding.into(),
            max_age: FEDERATION_STATE_SECONDS,
        })
    }

    /// `POST /saml2/idpresponse`: the IdP's `SAMLResponse` and `RelayState` (form fields),
    /// with the binding cookie the browser sent for a pool (`binding_for`).
    pub async fn saml_response(
        &self,
        params: &[(String, String)],
        host_pool: Option<&str>,
        binding_for: impl Fn(&str) -> Option<String> + Sync,
    ) -> IdpResponseOutcome {
        let refuse = |why: &str| {
            tracing::warn!(target: "userpool::federation", reason = %why, "a SAML answer was refused");
            IdpResponseOutcome::ErrorPage("invalid_request".into())
        };
        let field = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(saml_response) = field("SAMLResponse") else {
            return refuse("no SAMLResponse");
        };
        let relay_state = field("RelayState").unwrap_or_default();
        // SP-initiated: our sealed state. Otherwise an IdP-initiated answer naming the app.
        let (query, state_pool, provider_name, request_id) =
            match self.open_state(relay_state, host_pool, &binding_for).await {
                Some((pool, flow)) => (flow.q, Some(pool), Some(flow.p), Some(flow.n)),
                None => (relay_state.to_owned(), None, None, None),
            };
        let request = match self.hosted.hosted_request(&query, host_pool).await {
            Ok(r) => r,
            Err(AuthorizeOutcome::Redirect(location)) if state_pool.is_some() => {
                return IdpResponseOutcome::Redirect {
                    location,
                    pool_id: state_pool
                        .map(|p| p.id.as_str().to_owned())
                        .unwrap_or_default(),
                    session: None,
                };
            }
            Err(_) => return refuse("the state is forged, expired, used, or names no app"),
        };
        let pool_id = request.pool.id.as_str().to_owned();
        let to_app = |location: String| IdpResponseOutcome::Redirect {
            location,
            pool_id: pool_id.clone(),
            session: None,
        };
        let solicited = request_id.is_some();
        let provider = match self
            .saml_provider(&request, provider_name.as_deref(), &query)
            .await
        {
            Ok(p) if solicited || p.details.flag("IDPInit") => p,
            Ok(_) => return refuse("IdP-initiated sign-in is off for the provider"),
            Err(why) if solicited => {
                tracing::warn!(target: "userpool::federation", pool = %pool_id, reason = %why, "SAML sign-in failed");
                return to_app(error_to_app(
                    &request.request,
                    "server_error",
                    "The identity provider is not available.",
                ));
            }
            Err(why) => return refuse(&why),
        };
        match self
            .complete_saml(&request, &provider, saml_response, request_id.as_deref())
            .await
        {
            Ok(outcome) => outcome,
            Err((error, description)) => {
                tracing::warn!(target: "userpool::federation", pool = %pool_id, provider = %provider.record.name, reason = %description, "SAML sign-in failed");
                to_app(error_to_app(&request.request, error, &description))
            }
        }
    }

    /// The SAML provider of the state, or (IdP-initiated) of the query's
    /// `identity_provider`/`idp_identifier`; the client must support it.
    async fn saml_provider(
        &self,
        request: &HostedRequest,
        named: Option<&str>,
        query: &str,
    ) -> Result<Provider, String> {
        let pool = &request.pool;
        let record = match named {
            Some(name) => self.core.store().get_provider(&pool.id, name).await,
            None => {
                let params = pkce_state::parse_query(query).map_err(|_| "invalid RelayState")?;
                match (
                    pkce_state::param(&params, "identity_provider"),
                    pkce_state::param(&params, "idp_identifier"),
                ) {
                    (Some(name), _) => self.core.store().get_provider(&pool.id, name).await,
                    (None, Some(id)) => {
                        self.core.store().provider_by_identifier(&pool.id, id).await
                    }
                    (None, None) => Ok(None),
                }
            }
        }
        .map_err(|e| e.to_string())?
        .filter(|r| {
            request
                .client
                .supported_identity_providers
                .contains(&r.name)
        })
        .ok_or("no such provider for the app")?;
        let provider = self
            .core
            .open_provider(pool, record)
            .map_err(|e| e.to_string())?;
        if provider.provider_type != ProviderType::Saml {
            return Err("not a SAML provider".into());
        }
        Ok(provider)
    }

    /// Validation, the replay marker, and the sign-in.
    async fn complete_saml(
        &self,
        request: &HostedRequest,
        provider: &Provider,
        saml_response: &str,
        request_id: Option<&str>,
    ) -> Result<IdpResponseOutcome, (&'static str, String)> {
        let server = |e: &dyn std::fmt::Display| ("server_error", e.to_string());
        let pool = &request.pool;
        let now = self.core.now();
        let metadata = self
            .idp_metadata(provider, now)
            .await
            .map_err(|e| server(&e))?;
        let acs = self
            .acs_url(pool.id.as_str())
            .await
            .map_err(|e| server(&e))?;
        let sp_entity_id = userpool_saml::sp_entity_id(pool.id.as_str());
        // The pool's keys decrypt an encrypted assertion whether or not the provider requires
        // one; `EncryptedResponses` refuses a plain one.
        let keys = self
            .core
            .saml_signing(&pool.id)
            .await
            .map_err(|e| server(&e))?;
        let expected = Expected {
            idp: &metadata,
            sp_entity_id: &sp_entity_id,
            acs_url: &acs,
            in_response_to: request_id,
            now,
            skew: userpool_saml::DEFAULT_SKEW_SECONDS,
            decryption: Some(&keys.decryption),
            require_encryption: provider.details.flag("EncryptedResponses"),
        };
        // The reason is logged; the app is told what Cognito tells it.
        let refused = |why: &dyn std::fmt::Display| {
            tracing::warn!(target: "userpool::federation", pool = %pool.id.as_str(), provider = %provider.record.name, reason = %why, "a SAML response was refused");
            ("invalid_request", INVALID_RESPONSE.to_owned())
        };
        let assertion =
            userpool_saml::validate_response(saml_response, &expected).map_err(|e| refused(&e))?;
        let fresh = self
            .core
            .store()
            .mark_used(
                &pool.id,
                &assertion_marker(&assertion.issuer, &assertion.id),
                assertion.expires_at,
            )
            .await
            .map_err(|e| server(&e))?;
        if !fresh {
            return Err(refused(&"the assertion was replayed"));
        }
        let claims = assertion_claims(&assertion);
        let session = crate::hosted::session::SamlSession {
            p: provider.record.name.clone(),
            n: assertion.name_id.clone(),
            m: assertion.name_id_format.clone(),
            x: assertion.session_index.clone(),
        };
        self.finish_sign_in(
            request,
            provider,
            &claims,
            Some(session),
            Some(&assertion.issuer),
        )
        .await
    }

    /// The pool's SAML service-provider metadata (`GET /saml2/metadata`, a userpool route):
    /// its entity id, assertion consumer service, logout service, and signing and encryption
    /// certificates, for the IdP's operator.
    ///
    /// # Errors
    /// `ResourceNotFoundException` for an unknown pool; `InvalidParameterException` when the
    /// pool has no domain.
    pub async fn saml_sp_metadata(&self, pool_id: &str) -> crate::error::Result<String> {
        let pool = self.core.pool(pool_id).await?;
        let acs = self
            .acs_url(pool.id.as_str())
            .await
            .map_err(|e| crate::error::Error::new(crate::error::ErrorKind::InvalidParameter, e))?;
        let logout = acs.replace("/saml2/idpresponse", "/saml2/logout");
        let signing = self.core.saml_signing(&pool.id).await?;
        Ok(userpool_saml::sp_metadata(
            &userpool_saml::sp_entity_id(pool.id.as_str()),
            &acs,
            &logout,
            Some(&signing.certificate),
            Some(&signing.encryption_certificate),
        ))
    }

    /// GetSigningCertificate: the pool's SAML signing certificate (base64 DER), made the
    /// first time it is asked for.
    ///
    /// # Errors
    /// `ResourceNotFoundException` for an unknown pool.
    pub async fn get_signing_certificate(
        &self,
        req: GetSigningCertificateRequest,
    ) -> crate::error::Result<GetSigningCertificateResponse> {
        use base64::Engine as _;
        let pool = self.core.pool(&req.user_pool_id).await?;
        let signing = self.core.saml_signing(&pool.id).await?;
        Ok(GetSigningCertificateResponse {
            certificate: base64::engine::general_purpose::STANDARD.encode(&signing.certificate),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_name_issuer_and_id() {
        assert_ne!(assertion_marker("i", "a"), assertion_marker("i2", "a"));
        assert_ne!(assertion_marker("i", "a"), assertion_marker("i", "b"));
        assert_eq!(assertion_marker("i", "a"), assertion_marker("i", "a"));
    }
}
