//! Signing in with `USER_SRP_AUTH` from Rust — a test, a CLI, a service account — in three
//! calls instead of a hand-assembled challenge map: [`SrpSignIn::start`] gives the
//! `InitiateAuth` request, [`SrpSignIn::answer`] turns the `PASSWORD_VERIFIER` challenge into
//! the `RespondToAuthChallenge` request (the client half of Cognito's SRP-6a from the `srp`
//! crate: the password never leaves the caller). Works against this crate's [`Service`]
//! in process or, serialized, against any Cognito endpoint.
//!
//! [`Service`]: crate::Service
//!
//! ```
//! use std::sync::Arc;
//! use userpool::wire::*;
//! use userpool::{MasterKey, Service, SrpSignIn};
//! use userpool_store::MemoryStore;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! # let service = Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([7; 32])).build()?;
//! # let pool = service.admin().create_user_pool(UserPoolRequest { pool_name: "p".into(), ..Default::default() }).await?.user_pool.id;
//! # let client = service.admin().create_user_pool_client(UserPoolClientRequest { user_pool_id: pool.clone(), client_name: Some("c".into()), ..Default::default() }).await?.user_pool_client.client_id;
//! # service.accounts().admin_create_user(AdminCreateUserRequest { user_pool_id: pool.clone(), username: "alice".into(), message_action: Some("SUPPRESS".into()), ..Default::default() }).await?;
//! # service.accounts().admin_set_user_password(AdminSetUserPasswordRequest { user_pool_id: pool.clone(), username: "alice".into(), password: "Corr3ct-Horse!".into(), permanent: true }).await?;
//! let sign_in = SrpSignIn::start(&mut rand::rng(), &client, "alice")?;
//! let challenge = service.sign_in().initiate_auth(sign_in.initiate_request()).await?;
//! let answer = sign_in.answer(&pool, &challenge, "Corr3ct-Horse!", service.now())?;
//! let signed_in = service.sign_in().respond_to_auth_challenge(answer).await?;
//! assert!(signed_in.authentication_result.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use rand_core::CryptoRng;
use user_pool_model::{ClientId, ClientSecret, secret_hash};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorKind, Result};
use crate::wire::{AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest, SecretMap};

/// A `USER_SRP_AUTH` sign-in in progress (holds the ephemeral secret `a`; redacted in `Debug`).
#[derive(Debug)]
pub struct SrpSignIn {
    handshake: srp::ClientHandshake,
    client_id: String,
    username: String,
    client_secret: Option<Zeroizing<String>>,
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::InvalidParameter, message)
}

impl SrpSignIn {
    /// Starts a sign-in of `username` at app client `client_id` (a fresh 256-bit `a`).
    ///
    /// # Errors
    /// `InternalErrorException` when `rng` yields only zeros.
    pub fn start(rng: &mut impl CryptoRng, client_id: &str, username: &str) -> Result<Self> {
        let handshake = srp::ClientHandshake::start(rng)
            .map_err(|_| Error::new(ErrorKind::InternalError, "no usable randomness"))?;
        Ok(Self {
            handshake,
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            client_secret: None,
        })
    }

    /// For an app client with a secret: `SECRET_HASH` is sent with both requests.
    pub fn client_secret(mut self, secret: &str) -> Self {
        self.client_secret = Some(Zeroizing::new(secret.to_owned()));
        self
    }

    fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = ClientSecret::parse(self.client_secret.as_deref()?).ok()?;
        let client = ClientId::parse(&self.client_id).ok()?;
        Some(secret_hash(&secret, username, &client))
    }

    /// The `InitiateAuth` request: `USERNAME`, `SRP_A` (and `SECRET_HASH`).
    pub fn initiate_request(&self) -> InitiateAuthRequest {
        let srp_a = self.handshake.srp_a();
        let mut parameters = vec![("USERNAME", self.username.clone()), ("SRP_A", srp_a)];
        if let Some(hash) = self.secret_hash(&self.username) {
            parameters.push(("SECRET_HASH", hash));
        }
        let pairs: Vec<(&str, &str)> = parameters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        InitiateAuthRequest {
            client_id: self.client_id.clone(),
            auth_flow: "USER_SRP_AUTH".into(),
            auth_parameters: SecretMap::of(&pairs),
            ..Default::default()
        }
    }

    /// Answers `challenge` (the `PASSWORD_VERIFIER` of pool `pool_id`) with `password` at
    /// `now` (Unix seconds; the server checks the `TIMESTAMP` against its clock).
    ///
    /// # Errors
    /// `InvalidParameterException` when `challenge` is not a `PASSWORD_VERIFIER` or its
    /// parameters are malformed (a server that is not Cognito's SRP).
    pub fn answer(
        self,
        pool_id: &str,
        challenge: &AuthResponse,
        password: &str,
        now: i64,
    ) -> Result<RespondToAuthChallengeRequest> {
        if challenge.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return Err(invalid("the answer is not a PASSWORD_VERIFIER challenge"));
        }
        let p = &challenge.challenge_parameters;
        let field = |name: &str| {
            p.get(name)
                .ok_or_else(|| invalid("the challenge lacks a parameter"))
        };
        let user = field("USER_ID_FOR_SRP")?.to_owned();
        let secret_block = field("SECRET_BLOCK")?.to_owned();
        let time = srp::time::OffsetDateTime::from_unix_timestamp(now)
            .map_err(|_| invalid("the time is out of range"))?;
        let timestamp = srp::format_timestamp(time);
        let hash = self.secret_hash(&user);
        let signature = self
            .handshake
            .respond(
                &srp::ClaimIdentity::user(srp::pool_name(pool_id), &user),
                &srp::Password::new(password),
                &srp::PasswordVerifierChallenge {
                    salt: field("SALT")?,
                    srp_b: field("SRP_B")?,
                    secret_block: &secret_block,
                },
                &timestamp,
            )
            .map_err(|_| invalid("the challenge's SRP values are not acceptable"))?;
        let mut responses = vec![
            ("USERNAME", user),
            ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block),
            ("PASSWORD_CLAIM_SIGNATURE", signature),
            ("TIMESTAMP", timestamp),
        ];
        if let Some(hash) = hash {
            responses.push(("SECRET_HASH", hash));
        }
        let pairs: Vec<(&str, &str)> = responses.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(RespondToAuthChallengeRequest {
            client_id: self.client_id,
            challenge_name: "PASSWORD_VERIFIER".into(),
            session: challenge.session.clone(),
            challenge_responses: SecretMap::of(&pairs),
            ..Default::default()
        })
    }
}
