//! The hosted UI's passwordless sign-in and passkey registration (spec §9.7): the sign-in
//! page's "email me a code", "text me a code" and "sign in with a passkey" run `USER_AUTH`
//! with that factor as `PREFERRED_CHALLENGE` (the same flow the API runs, so MFA, lockout,
//! threat protection and PreventUserExistenceErrors apply alike); `/passkeys/add` (the path of
//! Cognito's managed login) registers a passkey for the user of the hosted sign-in cookie.
//!
//! The hosted pages offer a passwordless factor only where the API would accept it: the
//! client allows `ALLOW_USER_AUTH`, the pool's `AllowedFirstAuthFactors` list it, the pool's
//! MFA is not `ON` (Cognito refuses passwordless first factors then), and for passkeys the
//! pool has a relying party.

use std::collections::BTreeMap;

use user_pool_model::{AppClient, AuthFactor, AuthFlow, MfaConfiguration, PoolConfig};

use crate::error::{Error, ErrorKind, Result};
use crate::hosted::Hosted;
use crate::hosted::pages::hash_for;
use crate::sign_in::SignInContext;
use crate::wire::*;

fn not_offered() -> Error {
    Error::new(
        ErrorKind::InvalidParameter,
        "The sign-in method is not offered for this client.",
    )
}

impl Hosted {
    /// The passwordless first factors (`EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`, in page order) the
    /// sign-in page shows for `client` of `pool` ([`HostedRequest::first_factors`]).
    pub(crate) async fn first_factors(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
    ) -> Vec<&'static str> {
        if !client.allows(AuthFlow::AllowUserAuth) || pool.mfa == MfaConfiguration::On {
            return Vec::new();
        }
        let allowed = |f: AuthFactor| pool.allowed_first_auth_factors.contains(&f);
        let mut out = Vec::new();
        if allowed(AuthFactor::EmailOtp) {
            out.push("EMAIL_OTP");
        }
        if allowed(AuthFactor::SmsOtp) {
            out.push("SMS_OTP");
        }
        if allowed(AuthFactor::WebAuthn)
            && self
                .core
                .relying_party(pool, client)
                .await
                .is_ok_and(|rp| rp.is_some())
        {
            out.push("WEB_AUTHN");
        }
        out
    }

    /// The sign-in page's passwordless post: `USER_AUTH` for `username` with `factor`
    /// (`EMAIL_OTP`, `SMS_OTP` or `WEB_AUTHN`) preferred. The answer is that factor's
    /// challenge page (a code, or the passkey ceremony with `CREDENTIAL_REQUEST_OPTIONS`);
    /// a user who cannot use the factor gets `InvalidParameter` (the API's `SELECT_CHALLENGE`
    /// would list what they can use).
    pub async fn hosted_passwordless(
        &self,
        request: &HostedRequest,
        username: &str,
        factor: &str,
    ) -> Result<HostedStep> {
        if !request.first_factors.contains(&factor) {
            return Err(not_offered());
        }
        let (pool, client) = self.hosted_parties(request).await?;
        let mut parameters = BTreeMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PREFERRED_CHALLENGE".to_owned(), factor.to_owned()),
        ]);
        if let Some(h) = hash_for(&client, username) {
            parameters.insert("SECRET_HASH".into(), h.expose_secret().to_owned());
        }
        let req = InitiateAuthRequest {
            user_pool_id: Some(pool.id.as_str().to_owned()),
            client_id: client.id.as_str().to_owned(),
            auth_flow: "USER_AUTH".into(),
            auth_parameters: SecretMap(parameters),
            client_metadata: BTreeMap::new(),
            ..Default::default()
        };
        let cx = SignInContext::hosted(&pool, &client);
        let response = self.sign_in.initiate(req, cx).await?;
        if response.challenge_name.as_deref() != Some(factor) {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The sign-in method is not available for this user.",
            ));
        }
        self.hosted_step(&pool, &client, request, response).await
    }

    /// `/passkeys/add`: `CredentialCreationOptions` for a new passkey of the user signed in
    /// with `cookie` (the hosted sign-in cookie), through the request's client.
    pub async fn hosted_passkey_options(
        &self,
        request: &HostedRequest,
        cookie: Option<&str>,
    ) -> Result<serde_json::Value> {
        let user = self.signed_in(request, cookie).await?;
        self.passkeys
            .creation_options(&request.pool, &request.client_id, &user)
            .await
    }

    /// `/passkeys/add`'s post: verifies and stores the new passkey (`RegistrationResponseJSON`,
    /// as posted by the page's script) for the user signed in with `cookie`.
    pub async fn hosted_passkey_register(
        &self,
        request: &HostedRequest,
        cookie: Option<&str>,
        credential: &str,
    ) -> Result<()> {
        let user = self.signed_in(request, cookie).await?;
        let credential: serde_json::Value = serde_json::from_str(credential).map_err(|_| {
            Error::new(
                ErrorKind::InvalidParameter,
                "The credential is not a RegistrationResponseJSON document.",
            )
        })?;
        self.passkeys
            .register(&request.pool, &request.client_id, &user, &credential)
            .await
    }

    async fn signed_in(
        &self,
        request: &HostedRequest,
        cookie: Option<&str>,
    ) -> Result<user_pool_model::User> {
        let cookie = cookie.ok_or_else(signed_out)?;
        self.core
            .open_session(&request.pool, cookie)
            .await
            .map(|(user, _)| user)
            .ok_or_else(signed_out)
    }
}

fn signed_out() -> Error {
    Error::new(ErrorKind::NotAuthorized, "The user is not signed in.")
}
