//! AssociateSoftwareToken, VerifySoftwareToken (signed-in, or inside an `MFA_SETUP`
//! challenge), SetUserMFAPreference, AdminSetUserMFAPreference.

use auth_flow_state_machine::{FlowError, SessionEnvelope, TotpFactor, TotpSecret, sealed_session};
use user_pool_model::{MfaMethod, PoolConfig, User};

use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::seal::Purpose;
use crate::sign_in::SignIn;
use crate::sign_in::{NO_METADATA, SignInContext, split_session};
use crate::wire::*;

fn invalid_session() -> Error {
    Error::new(ErrorKind::NotAuthorized, "Invalid session for the user.")
}

impl SignIn {
    /// The sign-in context a bare `Session` belongs to.
    async fn session_context(
        &self,
        session: &SecretString,
    ) -> Result<(SignInContext<'static>, Vec<u8>)> {
        let sealed = sealed_session(session.expose_secret()).map_err(|_| invalid_session())?;
        let (pool_id, blob) = split_session(&sealed).ok_or_else(invalid_session)?;
        let pool = self
            .core
            .pool(pool_id)
            .await
            .map_err(|_| invalid_session())?;
        let plain = self
            .core
            .sealer(&pool.id, Purpose::Session)
            .open(blob, b"")
            .map_err(|_| invalid_session())?;
        let envelope = SessionEnvelope::decode(&plain).map_err(|_| invalid_session())?;
        let client = self
            .core
            .pool_client(&pool, &envelope.client_id)
            .await
            .map_err(|_| invalid_session())?;
        Ok((
            SignInContext::new(pool, client, false, &NO_METADATA),
            sealed,
        ))
    }

    /// AssociateSoftwareToken.
    pub async fn associate_software_token(
        &self,
        req: AssociateSoftwareTokenRequest,
    ) -> Result<AssociateSoftwareTokenResponse> {
        crate::audit::event("AssociateSoftwareToken");
        if let Some(token) = &req.access_token {
            let auth = self.tokens.authorize(token).await?;
            let secret = self.core.entropy.with(TotpSecret::generate)?;
            let factor = TotpFactor {
                secret: secret.clone(),
                friendly_name: None,
                last_step: None,
            };
            let mut user = auth.user.clone();
            user.mfa.pending_totp_secret =
                Some(self.core.seal_pending_totp(&auth.pool.id, &user, &factor)?);
            self.core.save_user(&auth.pool, user).await?;
            return Ok(AssociateSoftwareTokenResponse {
                secret_code: secret.secret_code().into(),
                session: None,
            });
        }
        let session = req.session.as_ref().ok_or_else(|| missing("accessToken"))?;
        let (cx, sealed) = self.session_context(session).await?;
        let pending = self.open_pending(&cx, &sealed)?;
        let id = pending.session_id();
        let (secret, challenge) = self
            .with_flow(&cx, |flow| pending.associate_software_token(flow))?
            .map_err(|e| Error::from_flow(&e, cx.client.prevent_user_existence_errors))?;
        self.spend_session(&cx, &id).await?;
        let rendered = self.render(&cx, challenge)?;
        Ok(AssociateSoftwareTokenResponse {
            secret_code: secret.secret_code().into(),
            session: rendered.session,
        })
    }

    /// VerifySoftwareToken.
    pub async fn verify_software_token(
        &self,
        req: VerifySoftwareTokenRequest,
    ) -> Result<VerifySoftwareTokenResponse> {
        crate::audit::event("VerifySoftwareToken");
        if let Some(token) = &req.access_token {
            let auth = self.tokens.authorize(token).await?;
            let mut user = auth.user.clone();
            let pending = self
                .core
                .open_pending_totp(&auth.pool.id, &user)?
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::SoftwareTokenMfaNotFound,
                        "Software token not associated with the user.",
                    )
                })?;
            let step = pending
                .secret
                .verify(req.user_code.expose_secret(), self.core.now(), None)
                .map_err(|e| match e {
                    FlowError::TotpMismatch => Error::new(
                        ErrorKind::EnableSoftwareTokenMfa,
                        "Code mismatch and fail enable Software Token MFA",
                    ),
                    other => Error::from_flow(&other, Default::default()),
                })?;
            let factor = TotpFactor {
                secret: pending.secret,
                friendly_name: req.friendly_device_name.clone(),
                last_step: Some(step),
            };
            user.mfa.totp_secret = Some(self.core.seal_totp(&auth.pool.id, &user, &factor)?);
            user.mfa.pending_totp_secret = None;
            if !user.mfa.enabled.contains(&MfaMethod::SoftwareTokenMfa) {
                user.mfa.enabled.push(MfaMethod::SoftwareTokenMfa);
            }
            self.core.save_user(&auth.pool, user).await?;
            return Ok(VerifySoftwareTokenResponse {
                status: "SUCCESS".into(),
                session: None,
            });
        }
        let session = req.session.as_ref().ok_or_else(|| missing("accessToken"))?;
        let (cx, sealed) = self.session_context(session).await?;
        let pending = self.open_pending(&cx, &sealed)?;
        let id = pending.session_id();
        let username = pending.username().to_owned();
        let result = self.with_flow(&cx, |flow| {
            pending.verify_software_token(
                req.user_code.expose_secret(),
                req.friendly_device_name.clone(),
                flow,
            )
        })?;
        if result.as_ref().is_err_and(|e| !e.keeps_session()) || result.is_ok() {
            self.spend_session(&cx, &id).await?;
        }
        let response = self
            .finish(&cx, result, Some(super::Subject::named(username)))
            .await?;
        Ok(VerifySoftwareTokenResponse {
            status: "SUCCESS".into(),
            session: response.session,
        })
    }

    /// SetUserMFAPreference.
    pub async fn set_user_mfa_preference(&self, req: SetUserMfaPreferenceRequest) -> Result<Empty> {
        crate::audit::event("SetUserMFAPreference");
        let token = req
            .access_token
            .as_ref()
            .ok_or_else(|| missing("accessToken"))?;
        let auth = self.tokens.authorize(token).await?;
        self.apply_mfa_preference(&auth.pool, auth.user.clone(), &req)
            .await
    }

    /// AdminSetUserMFAPreference.
    pub async fn admin_set_user_mfa_preference(
        &self,
        req: SetUserMfaPreferenceRequest,
    ) -> Result<Empty> {
        crate::audit::event("AdminSetUserMFAPreference");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .core
            .require_user(&pool, req.username.as_deref().unwrap_or_default())
            .await?;
        self.apply_mfa_preference(&pool, user, &req).await
    }

    async fn apply_mfa_preference(
        &self,
        pool: &PoolConfig,
        mut user: User,
        req: &SetUserMfaPreferenceRequest,
    ) -> Result<Empty> {
        let settings = [
            (MfaMethod::SmsMfa, req.sms_mfa_settings),
            (MfaMethod::SoftwareTokenMfa, req.software_token_mfa_settings),
            (MfaMethod::EmailOtp, req.email_mfa_settings),
        ];
        for (method, setting) in settings {
            let Some(setting) = setting else { continue };
            if setting.enabled {
                match method {
                    MfaMethod::SoftwareTokenMfa if user.mfa.totp_secret.is_none() => {
                        return Err(Error::new(
                            ErrorKind::InvalidParameter,
                            "User has not verified software token mfa",
                        ));
                    }
                    MfaMethod::SmsMfa if !user.attributes.contains_key("phone_number") => {
                        return Err(Error::new(
                            ErrorKind::InvalidParameter,
                            "User does not have a phone number for SMS MFA.",
                        ));
                    }
                    MfaMethod::EmailOtp if !user.attributes.contains_key("email") => {
                        return Err(Error::new(
                            ErrorKind::InvalidParameter,
                            "User does not have an email address for email MFA.",
                        ));
                    }
                    _ => {}
                }
                if !user.mfa.enabled.contains(&method) {
                    user.mfa.enabled.push(method);
                }
                if setting.preferred_mfa {
                    user.mfa.preferred = Some(method);
                }
            } else {
                user.mfa.enabled.retain(|m| *m != method);
                if user.mfa.preferred == Some(method) {
                    user.mfa.preferred = None;
                }
            }
        }
        self.core.save_user(pool, user).await?;
        Ok(Empty {})
    }
}
