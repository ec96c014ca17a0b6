//! The passkeys component: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential and GetUserAuthFactors (all authorized
//! by the signed-in user's access token). The registration challenge is itself the sealed
//! ceremony state (pool, client, user, expiry) and is spent once through a replay marker,
//! since CompleteWebAuthnRegistration carries no session.

pub(crate) mod relying_party;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use user_pool_model::AuthFactor;
use userpool_store::{StoreError, WebAuthnCredential};
use webauthn_rp::{CredentialDescriptor, RegistrationResponse, WebAuthnError, b64};

use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};
use crate::seal::Purpose;
use crate::tokens::Tokens;
use crate::wire::*;

/// Seconds a registration ceremony may take (the options' timeout, rounded up).
const REGISTRATION_SECONDS: i64 = 300;
/// Most passkeys one user may register.
pub const MAX_PASSKEYS_PER_USER: usize = 20;
const AAD: &[u8] = b"userpool/v1/webauthn-registration";

/// Passkeys: the WebAuthn registration ceremony and the user's credentials.
pub struct Passkeys {
    core: Arc<Core>,
    tokens: Arc<Tokens>,
}

impl std::fmt::Debug for Passkeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passkeys").finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct Ceremony {
    pool: String,
    client: String,
    user: String,
    expires_at: i64,
    nonce: String,
}

fn webauthn_error(e: &WebAuthnError) -> Error {
    let kind = match e {
        WebAuthnError::OriginNotAllowed => ErrorKind::WebAuthnOriginNotAllowed,
        WebAuthnError::RelyingPartyMismatch => ErrorKind::WebAuthnRelyingPartyMismatch,
        WebAuthnError::ChallengeMismatch => ErrorKind::WebAuthnChallengeNotFound,
        WebAuthnError::UnsupportedAlgorithm | WebAuthnError::UnsupportedAttestation => {
            ErrorKind::WebAuthnCredentialNotSupported
        }
        _ => ErrorKind::InvalidParameter,
    };
    Error::new(kind, e.to_string())
}

fn challenge_not_found() -> Error {
    Error::new(
        ErrorKind::WebAuthnChallengeNotFound,
        "The registration challenge was not found or has expired.",
    )
}

fn verified(user: &user_pool_model::User, attribute: &str) -> bool {
    user.attribute(attribute).is_some()
        && user
            .attribute(&format!("{attribute}_verified"))
            .is_some_and(|v| v == "true")
}

impl Passkeys {
    pub(crate) fn new(core: Arc<Core>, tokens: Arc<Tokens>) -> Self {
        Self { core, tokens }
    }

    async fn relying_party(
        &self,
        pool: &user_pool_model::PoolConfig,
        client_id: &str,
    ) -> Result<webauthn_rp::RelyingParty> {
        if !pool
            .allowed_first_auth_factors
            .contains(&AuthFactor::WebAuthn)
        {
            return Err(Error::new(
                ErrorKind::WebAuthnNotEnabled,
                "WebAuthn is not enabled for the user pool.",
            ));
        }
        let client = self.core.pool_client(pool, client_id).await?;
        self.core.relying_party(pool, &client).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::WebAuthnConfigurationMissing,
                "The user pool has no relying party: set WebAuthnConfiguration.RelyingPartyId or a domain.",
            )
        })
    }

    async fn credentials(
        &self,
        pool: &user_pool_model::PoolConfig,
        username: &str,
    ) -> Result<Vec<WebAuthnCredential>> {
        self.core
            .store()
            .list_webauthn_credentials(&pool.id, &pool.case_rule.username_key(username))
            .await
            .map_err(Error::from)
    }

    /// StartWebAuthnRegistration: `CredentialCreationOptions` for a new passkey.
    pub async fn start_web_authn_registration(
        &self,
        req: AccessTokenRequest,
    ) -> Result<StartWebAuthnRegistrationResponse> {
        crate::audit::event("StartWebAuthnRegistration");
        let auth = self.tokens.authorize(&req.access_token).await?;
        Ok(StartWebAuthnRegistrationResponse {
            credential_creation_options: self
                .creation_options(&auth.pool, &auth.client_id, &auth.user)
                .await?,
        })
    }

    /// The `CredentialCreationOptions` of a new passkey for `user`, signed in through
    /// `client_id` (the API with an access token, or the hosted pages with their cookie).
    pub(crate) async fn creation_options(
        &self,
        pool: &user_pool_model::PoolConfig,
        client_id: &str,
        user: &user_pool_model::User,
    ) -> Result<serde_json::Value> {
        let rp = self.relying_party(pool, client_id).await?;
        let existing = self.credentials(pool, &user.username).await?;
        if existing.len() >= MAX_PASSKEYS_PER_USER {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "The user has the most passkeys allowed.",
            ));
        }
        let nonce = self.core.entropy.bytes::<16>()?;
        let ceremony = Ceremony {
            pool: pool.id.as_str().to_owned(),
            client: client_id.to_owned(),
            user: user.username.clone(),
            expires_at: self.core.now() + REGISTRATION_SECONDS,
            nonce: b64::encode(&nonce),
        };
        let plain = serde_json::to_vec(&ceremony).map_err(|_| crate::core::internal())?;
        let seal_nonce = self.core.entropy.bytes::<12>()?;
        let challenge = self
            .core
            .sealer(&pool.id, Purpose::Session)
            .seal(&plain, AAD, seal_nonce);
        let exclude: Vec<CredentialDescriptor> = existing
            .iter()
            .map(|c| CredentialDescriptor {
                id: c.credential_id.clone(),
                transports: c.transports.clone(),
            })
            .collect();
        let name = user
            .attribute("email")
            .unwrap_or_else(|| user.username.clone());
        Ok(rp.creation_options(
            &challenge,
            user.sub.to_string().as_bytes(),
            &name,
            &name,
            &exclude,
        ))
    }

    /// CompleteWebAuthnRegistration: verifies the new credential and stores it.
    pub async fn complete_web_authn_registration(
        &self,
        req: CompleteWebAuthnRegistrationRequest,
    ) -> Result<Empty> {
        crate::audit::event("CompleteWebAuthnRegistration");
        let auth = self.tokens.authorize(&req.access_token).await?;
        self.register(&auth.pool, &auth.client_id, &auth.user, &req.credential)
            .await?;
        Ok(Empty {})
    }

    /// Verifies `credential` (`RegistrationResponseJSON`) against the ceremony its challenge
    /// seals, for `user` signed in through `client_id`, and stores the new passkey.
    pub(crate) async fn register(
        &self,
        pool: &user_pool_model::PoolConfig,
        client_id: &str,
        user: &user_pool_model::User,
        credential: &serde_json::Value,
    ) -> Result<()> {
        let response =
            RegistrationResponse::from_json(credential).map_err(|e| webauthn_error(&e))?;
        let challenge = response.challenge().map_err(|e| webauthn_error(&e))?;
        let plain = self
            .core
            .sealer(&pool.id, Purpose::Session)
            .open(&challenge, AAD)
            .map_err(|_| challenge_not_found())?;
        let ceremony: Ceremony =
            serde_json::from_slice(&plain).map_err(|_| challenge_not_found())?;
        if ceremony.pool != pool.id.as_str()
            || ceremony.user != user.username
            || self.core.now() > ceremony.expires_at
        {
            return Err(challenge_not_found());
        }
        if ceremony.client != client_id {
            return Err(Error::new(
                ErrorKind::WebAuthnClientMismatch,
                "The access token is for another app client than the one that started the registration.",
            ));
        }
        let rp = self.relying_party(pool, client_id).await?;
        let new = webauthn_rp::verify_registration(&response, &challenge, &rp)
            .map_err(|e| webauthn_error(&e))?;
        let marker: [u8; 32] = Sha256::new()
            .chain_update(AAD)
            .chain_update(&challenge)
            .finalize()
            .into();
        let first = self
            .core
            .store()
            .mark_used(&pool.id, &marker, ceremony.expires_at + 60)
            .await?;
        if !first {
            return Err(challenge_not_found());
        }
        let record = WebAuthnCredential {
            username_key: pool.case_rule.username_key(&user.username),
            credential_id: new.credential_id,
            public_key: new.public_key,
            sign_count: new.sign_count,
            friendly_name: "Passkey".into(),
            relying_party_id: rp.id.clone(),
            authenticator_attachment: new.authenticator_attachment,
            transports: new.transports,
            aaguid: new.aaguid.to_vec(),
            backup_eligible: new.backup_eligible,
            backed_up: new.backed_up,
            created: self.core.now(),
        };
        match self
            .core
            .store()
            .insert_webauthn_credential(&pool.id, record)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::WebAuthnCredentialExists) => Err(Error::new(
                ErrorKind::InvalidParameter,
                "The credential is already registered.",
            )),
            Err(e) => Err(Error::from(e)),
        }
    }

    /// ListWebAuthnCredentials.
    pub async fn list_web_authn_credentials(
        &self,
        req: ListWebAuthnCredentialsRequest,
    ) -> Result<ListWebAuthnCredentialsResponse> {
        crate::audit::event("ListWebAuthnCredentials");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let all = self.credentials(&auth.pool, &auth.user.username).await?;
        let limit = usize::try_from(req.max_results.unwrap_or(20).clamp(1, 20)).unwrap_or(20);
        let start = match &req.next_token {
            Some(t) => t.parse::<usize>().map_err(|_| {
                Error::new(ErrorKind::InvalidParameter, "Invalid pagination token.")
            })?,
            None => 0,
        };
        let page: Vec<WebAuthnCredentialDescription> = all
            .iter()
            .skip(start)
            .take(limit)
            .map(|c| WebAuthnCredentialDescription {
                credential_id: b64::encode(&c.credential_id),
                friendly_credential_name: c.friendly_name.clone(),
                relying_party_id: c.relying_party_id.clone(),
                authenticator_attachment: c.authenticator_attachment.clone(),
                authenticator_transports: c.transports.clone(),
                #[allow(clippy::cast_precision_loss, reason = "epoch seconds fit an f64")]
                created_at: c.created as f64,
            })
            .collect();
        let next = start + page.len();
        Ok(ListWebAuthnCredentialsResponse {
            credentials: page,
            next_token: (next < all.len()).then(|| next.to_string()),
        })
    }

    /// DeleteWebAuthnCredential.
    pub async fn delete_web_authn_credential(
        &self,
        req: DeleteWebAuthnCredentialRequest,
    ) -> Result<Empty> {
        crate::audit::event("DeleteWebAuthnCredential");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let id = b64::decode(&req.credential_id, "CredentialId")
            .map_err(|_| Error::new(ErrorKind::ResourceNotFound, "Credential not found."))?;
        match self
            .core
            .store()
            .delete_webauthn_credential(
                &auth.pool.id,
                &auth.pool.case_rule.username_key(&auth.user.username),
                &id,
            )
            .await
        {
            Ok(()) => Ok(Empty {}),
            Err(StoreError::WebAuthnCredentialNotFound) => Err(Error::new(
                ErrorKind::ResourceNotFound,
                "Credential not found.",
            )),
            Err(e) => Err(Error::from(e)),
        }
    }

    /// GetUserAuthFactors: the user's MFA settings and the first factors they can use.
    pub async fn get_user_auth_factors(
        &self,
        req: AccessTokenRequest,
    ) -> Result<GetUserAuthFactorsResponse> {
        crate::audit::event("GetUserAuthFactors");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let user = &auth.user;
        let allowed = |f| auth.pool.allowed_first_auth_factors.contains(&f);
        let mut factors = Vec::new();
        if user.password.is_some() {
            factors.push("PASSWORD".to_owned());
        }
        if allowed(AuthFactor::EmailOtp) && verified(user, "email") {
            factors.push("EMAIL_OTP".to_owned());
        }
        if allowed(AuthFactor::SmsOtp) && verified(user, "phone_number") {
            factors.push("SMS_OTP".to_owned());
        }
        if allowed(AuthFactor::WebAuthn)
            && !self
                .credentials(&auth.pool, &user.username)
                .await?
                .is_empty()
        {
            factors.push("WEB_AUTHN".to_owned());
        }
        let name = |m: user_pool_model::MfaMethod| {
            match m {
                user_pool_model::MfaMethod::SmsMfa => "SMS_MFA",
                user_pool_model::MfaMethod::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
                _ => "EMAIL_OTP",
            }
            .to_owned()
        };
        Ok(GetUserAuthFactorsResponse {
            username: user.username.clone(),
            preferred_mfa_setting: user.mfa.preferred.map(name),
            user_mfa_setting_list: user.mfa.enabled.iter().copied().map(name).collect(),
            configured_user_auth_factors: factors,
        })
    }
}
