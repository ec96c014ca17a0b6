//! The hosted UI's steps (spec §9.7): what its sign-in, challenge, sign-up, confirmation and
//! password-reset pages do, on top of the same operations the API offers. The pages act for
//! the client server-side, so they supply its `SECRET_HASH` themselves; the sign-in runs the
//! password flow whatever the client's `ExplicitAuthFlows` (they govern the API, not the
//! hosted UI, as on Cognito), and ends in the sign-in cookie and a redirect to the client.
//! The passwordless sign-ins (`USER_AUTH`) and passkey registration are in
//! [`super::passwordless`].

use std::collections::BTreeMap;

use user_pool_model::{AppClient, Attribute, AuthFlow, PoolConfig, secret_hash};

use crate::core::internal;
use crate::error::{Error, ErrorKind, Result};
use crate::hosted::Hosted;
use crate::sign_in::SignInContext;
use crate::wire::*;

/// The challenges the hosted pages can answer.
pub const HOSTED_CHALLENGES: [&str; 8] = [
    "NEW_PASSWORD_REQUIRED",
    "SOFTWARE_TOKEN_MFA",
    "SMS_MFA",
    "EMAIL_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "SMS_OTP",
    "WEB_AUTHN",
];

pub(crate) fn hash_for(client: &AppClient, username: &str) -> Option<SecretString> {
    client
        .secret
        .as_ref()
        .map(|s| secret_hash(s, username, &client.id).into())
}

/// The app client's request for `username` (with its secret hash, as the page is that client).
fn client_user(client: &AppClient, username: &str) -> ClientUserRequest {
    ClientUserRequest {
        client_id: client.id.as_str().to_owned(),
        secret_hash: hash_for(client, username),
        username: username.to_owned(),
        ..Default::default()
    }
}

impl Hosted {
    /// The pool and client of a checked request, with the client allowed the admin password
    /// flow (the hosted UI's own sign-in).
    pub(crate) async fn hosted_parties(
        &self,
        request: &HostedRequest,
    ) -> Result<(PoolConfig, AppClient)> {
        let (pool, mut client) = (request.pool.clone(), request.client.clone());
        if !client.allows(AuthFlow::AllowAdminUserPasswordAuth) {
            client
                .explicit_auth_flows
                .push(AuthFlow::AllowAdminUserPasswordAuth);
        }
        Ok((pool, client))
    }

    /// Turns a sign-in answer into the next page, or the cookie and the client redirect.
    pub(crate) async fn hosted_step(
        &self,
        pool: &PoolConfig,
        client: &AppClient,
        request: &HostedRequest,
        response: AuthResponse,
    ) -> Result<HostedStep> {
        if let (Some(name), Some(session)) = (response.challenge_name, response.session.clone()) {
            if !HOSTED_CHALLENGES.contains(&name.as_str()) {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!("The hosted UI cannot answer {name}."),
                ));
            }
            return Ok(HostedStep::Challenge {
                name,
                session,
                parameters: response.challenge_parameters.0.clone(),
            });
        }
        let cookie = response.session.ok_or_else(internal)?;
        let (user, auth_time) = self
            .core
            .open_session(pool, cookie.expose_secret())
            .await
            .ok_or_else(internal)?;
        let location = self
            .complete(pool, client, &request.request, &user, auth_time)
            .await?;
        tracing::info!(target: "userpool::metrics", counter = "sign_in", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(HostedStep::SignedIn {
            session: HostedSession {
                cookie,
                max_age: crate::hosted::authorize::HOSTED_SESSION_SECONDS,
            },
            location,
        })
    }

    /// The sign-in page's post: username (or alias) and password.
    pub async fn hosted_sign_in(
        &self,
        request: &HostedRequest,
        username: &str,
        password: &SecretString,
    ) -> Result<HostedStep> {
        let (pool, client) = self.hosted_parties(request).await?;
        let mut parameters = BTreeMap::from([
            ("USERNAME".to_owned(), username.to_owned()),
            ("PASSWORD".to_owned(), password.expose_secret().to_owned()),
        ]);
        if let Some(h) = hash_for(&client, username) {
            parameters.insert("SECRET_HASH".into(), h.expose_secret().to_owned());
        }
        let req = InitiateAuthRequest {
            user_pool_id: Some(pool.id.as_str().to_owned()),
            client_id: client.id.as_str().to_owned(),
            auth_flow: "ADMIN_USER_PASSWORD_AUTH".into(),
            auth_parameters: SecretMap(parameters),
            client_metadata: BTreeMap::new(),
            ..Default::default()
        };
        let cx = SignInContext::hosted(&pool, &client);
        let response = self.sign_in.initiate(req, cx).await?;
        self.hosted_step(&pool, &client, request, response).await
    }

    /// A challenge page's post: `responses` as RespondToAuthChallenge takes them (the page
    /// adds `USERNAME` and `SECRET_HASH`).
    pub async fn hosted_respond(
        &self,
        request: &HostedRequest,
        challenge: &str,
        session: &SecretString,
        username: &str,
        mut responses: BTreeMap<String, String>,
    ) -> Result<HostedStep> {
        let (pool, client) = self.hosted_parties(request).await?;
        responses.insert("USERNAME".into(), username.to_owned());
        if let Some(h) = hash_for(&client, username) {
            responses.insert("SECRET_HASH".into(), h.expose_secret().to_owned());
        }
        let req = RespondToAuthChallengeRequest {
            user_pool_id: Some(pool.id.as_str().to_owned()),
            client_id: client.id.as_str().to_owned(),
            challenge_name: challenge.to_owned(),
            session: Some(session.clone()),
            challenge_responses: SecretMap(responses),
            client_metadata: BTreeMap::new(),
            ..Default::default()
        };
        let cx = SignInContext::hosted(&pool, &client);
        let response = self.sign_in.respond(&req, cx).await?;
        self.hosted_step(&pool, &client, request, response).await
    }

    /// MFA setup during sign-in: a new TOTP secret for the `MFA_SETUP` session (shown as a QR
    /// code) and the session to verify it with.
    pub async fn hosted_associate_software_token(
        &self,
        session: &SecretString,
    ) -> Result<AssociateSoftwareTokenResponse> {
        self.sign_in
            .associate_software_token(AssociateSoftwareTokenRequest {
                access_token: None,
                session: Some(session.clone()),
            })
            .await
    }

    /// Verifies the first TOTP code of an `MFA_SETUP` sign-in; the returned session answers
    /// the `MFA_SETUP` challenge.
    pub async fn hosted_verify_software_token(
        &self,
        session: &SecretString,
        code: &SecretString,
    ) -> Result<VerifySoftwareTokenResponse> {
        self.sign_in
            .verify_software_token(VerifySoftwareTokenRequest {
                access_token: None,
                session: Some(session.clone()),
                user_code: code.clone(),
                friendly_device_name: None,
            })
            .await
    }

    /// The sign-up page's post.
    pub async fn hosted_sign_up(
        &self,
        request: &HostedRequest,
        username: &str,
        password: &SecretString,
        attributes: Vec<Attribute>,
    ) -> Result<SignUpResponse> {
        let client = &request.client;
        self.accounts
            .sign_up(SignUpRequest {
                client_id: client.id.as_str().to_owned(),
                secret_hash: hash_for(client, username),
                username: username.to_owned(),
                password: password.clone(),
                user_attributes: attributes,
                validation_data: Vec::new(),
                client_metadata: BTreeMap::new(),
                ..Default::default()
            })
            .await
    }

    /// The confirmation page's post.
    pub async fn hosted_confirm_sign_up(
        &self,
        request: &HostedRequest,
        username: &str,
        code: &SecretString,
    ) -> Result<()> {
        let client = &request.client;
        self.accounts
            .confirm_sign_up(ConfirmSignUpRequest {
                client_id: client.id.as_str().to_owned(),
                secret_hash: hash_for(client, username),
                username: username.to_owned(),
                confirmation_code: code.clone(),
                force_alias_creation: false,
                client_metadata: BTreeMap::new(),
            })
            .await
            .map(drop)
    }

    /// The confirmation page's "send a new code".
    pub async fn hosted_resend_code(&self, request: &HostedRequest, username: &str) -> Result<()> {
        let client = &request.client;
        self.accounts
            .resend_confirmation_code(client_user(client, username))
            .await
            .map(drop)
    }

    /// The forgot-password page's post: sends a reset code.
    pub async fn hosted_forgot_password(
        &self,
        request: &HostedRequest,
        username: &str,
    ) -> Result<CodeDeliveryResponse> {
        let client = &request.client;
        self.accounts
            .forgot_password(client_user(client, username))
            .await
    }

    /// The reset page's post: code and new password.
    pub async fn hosted_confirm_forgot_password(
        &self,
        request: &HostedRequest,
        username: &str,
        code: &SecretString,
        password: &SecretString,
    ) -> Result<()> {
        let client = &request.client;
        self.accounts
            .confirm_forgot_password(ConfirmForgotPasswordRequest {
                client_id: client.id.as_str().to_owned(),
                secret_hash: hash_for(client, username),
                username: username.to_owned(),
                confirmation_code: code.clone(),
                password: password.clone(),
                client_metadata: BTreeMap::new(),
                ..Default::default()
            })
            .await
            .map(drop)
    }
}
