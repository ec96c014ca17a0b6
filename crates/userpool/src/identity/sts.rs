//! Credentials: STS `AssumeRoleWithWebIdentity` with the identity's OpenID token (the enhanced
//! flow, as Cognito does it: session `CognitoIdentityCredentials`, one hour) at the configured
//! endpoint; or, with no STS configured, local development credentials — random, accepted by
//! nothing, and logged loudly every time.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use identity_pool_model::sts::{
    AssumeRoleWithWebIdentityRequest, COGNITO_CREDENTIALS_SECONDS, MAX_STS_RESPONSE_LEN,
    WebIdentityToken, parse_assume_role_with_web_identity_response,
};
use identity_pool_model::{Credentials, RoleArn, SecretKey, SessionToken};
use zeroize::Zeroizing;

use super::error::{IdentityError, IdentityResult};
use super::outbound::{external, read_bounded};
use super::service::IdentityService;

/// Where credentials come from.
#[derive(Debug, Clone)]
pub(crate) enum CredentialSource {
    /// STS at this endpoint.
    Sts {
        /// e.g. `https://sts.us-east-1.amazonaws.com/`.
        endpoint: String,
    },
    /// Development credentials minted here.
    Local,
}

/// The alphabet of access key ids (AWS's: upper-case letters and digits 2–7).
const KEY_ID_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl IdentityService {
    /// Credentials for `role`, obtained with the OpenID token `token` (the enhanced flow).
    pub(crate) async fn credentials_for(
        &self,
        role: RoleArn,
        token: String,
    ) -> IdentityResult<Credentials> {
        let endpoint = match &self.inner.sts {
            CredentialSource::Sts { endpoint } => endpoint,
            CredentialSource::Local => return self.local_credentials(&role),
        };
        let request = AssumeRoleWithWebIdentityRequest::cognito(role, WebIdentityToken::new(token));
        let body = request.form_body();
        let sent = self
            .inner
            .http
            .post(endpoint)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(body.as_str().to_owned())
            .send()
            .await;
        let (_status, answer) = read_bounded(sent, MAX_STS_RESPONSE_LEN)
            .await
            .map_err(|e| {
                tracing::warn!(target: "userpool::identity", reason = %e.describe(), "STS not reached");
                external("The security token service could not be reached.")
            })?;
        let result = parse_assume_role_with_web_identity_response(&answer)?;
        crate::audit!(operation = "AssumeRoleWithWebIdentity",
            role = %request.role_arn.as_str(),
            access_key_id = %result.credentials.access_key_id,
            "credentials obtained from STS"
        );
        Ok(result.credentials)
    }

    /// Development credentials: random, one hour, accepted by no AWS service.
    fn local_credentials(&self, role: &RoleArn) -> IdentityResult<Credentials> {
        let (id, secret, session) = self
            .inner
            .entropy
            .with(|rng| {
                let mut id = [0u8; 16];
                let mut secret = Zeroizing::new([0u8; 30]);
                let mut session = Zeroizing::new([0u8; 96]);
                rand_core::Rng::fill_bytes(rng, &mut id);
                rand_core::Rng::fill_bytes(rng, secret.as_mut_slice());
                rand_core::Rng::fill_bytes(rng, session.as_mut_slice());
                (id, secret, session)
            })
            .map_err(|_| IdentityError::internal())?;
        let key_id: String = id
            .iter()
            .map(|b| {
                let i = usize::from(b & 31);
                char::from(KEY_ID_ALPHABET.get(i).copied().unwrap_or(b'A'))
            })
            .collect();
        let access_key_id = format!("ASIA{key_id}");
        tracing::warn!(
            target: "userpool::identity",
            role = %role.as_str(),
            access_key_id = %access_key_id,
            "LOCAL DEVELOPMENT CREDENTIALS minted (no STS endpoint is configured): no AWS service accepts them"
        );
        Ok(Credentials {
            access_key_id,
            secret_key: SecretKey::new(STANDARD.encode(secret.as_slice())),
            session_token: SessionToken::new(STANDARD.encode(session.as_slice())),
            expiration: self
                .now()
                .saturating_add(i64::from(COGNITO_CREDENTIALS_SECONDS)),
        })
    }
}
