//! A miniature facade around `auth-flow-state-machine` — one pool, a few users, a session
//! store, an outbox and scripted custom-auth triggers — and the fuzz driver that feeds it
//! arbitrary sequences of requests. The crate's integration tests use the same world.
//!
//! Sealing here is a server-side session store (the `Session` is a random handle to the
//! envelope bytes), which is one of the two designs the spec allows; the real facade seals
//! with an AEAD instead. Either way a forged or altered session cannot be opened.

#![allow(dead_code, unreachable_pub)]

use std::collections::{BTreeMap, HashMap, HashSet};

use auth_flow_state_machine::*;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use user_pool_model::{
    AppClient, AuthFlow as Allow, ClientId, Device, DeviceConfiguration, MfaConfiguration,
    MfaMethod, PasswordRecord, PoolConfig, PreventUserExistenceErrors, Sub, User, UserPoolId,
    UserStatus,
};

pub const POOL_ID: &str = "us-east-1_AbCdEf123";
pub const POOL_NAME: &str = "AbCdEf123";
pub const CLIENT_ID: &str = "client1";

/// A user as the store holds it, with its secrets in the clear (the facade would decrypt).
#[derive(Debug, Clone)]
pub struct Stored {
    pub user: User,
    pub verifier: Option<srp::Verifier>,
    pub totp: Option<TotpFactor>,
    pub device_verifiers: HashMap<String, srp::Verifier>,
    pub failures: Failures,
    pub passkeys: Vec<StoredCredential>,
}

/// What a request got back.
#[derive(Debug)]
pub enum Reply {
    Challenge(ChallengeOutput),
    Tokens(Authenticated),
}

impl Reply {
    pub fn challenge(&self) -> Option<&ChallengeOutput> {
        match self {
            Self::Challenge(c) => Some(c),
            Self::Tokens(_) => None,
        }
    }
}

/// The scripted custom-auth triggers: a one-question quiz whose answer is `"42"`, with an
/// optional SRP password step first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quiz {
    /// Ask for PASSWORD_VERIFIER after SRP_A.
    pub with_password: bool,
    /// Wrong answers tolerated.
    pub tries: usize,
}

#[derive(Clone)]
pub struct World {
    pub rng: ChaCha20Rng,
    pub pool: PoolConfig,
    pub client: AppClient,
    pub settings: FlowSettings,
    pub now: i64,
    pub users: HashMap<String, Stored>,
    pub sessions: HashMap<String, Vec<u8>>,
    pub spent: HashSet<[u8; 16]>,
    pub session_failures: HashMap<[u8; 16], u32>,
    pub outbox: Vec<(String, String)>,
    pub quiz: Quiz,
    pub admin: bool,
    /// The failures the facade would have counted for what unknown users typed.
    pub unknown_failures: Failures,
    /// The pool's passkey relying party, when passkeys are configured.
    pub relying_party: Option<RelyingParty>,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let mut pool =
            PoolConfig::new(UserPoolId::parse(POOL_ID).expect("pool id"), "pool").expect("pool");
        pool.mfa_factors.sms = true;
        pool.mfa_factors.totp = true;
        pool.mfa_factors.email = true;
        let mut client =
            AppClient::new(ClientId::parse(CLIENT_ID).expect("client id"), "web", None)
                .expect("client");
        client.explicit_auth_flows = vec![
            Allow::AllowUserSrpAuth,
            Allow::AllowUserPasswordAuth,
            Allow::AllowAdminUserPasswordAuth,
            Allow::AllowCustomAuth,
            Allow::AllowRefreshTokenAuth,
        ];
        client.prevent_user_existence_errors = PreventUserExistenceErrors::Enabled;
        Self {
            rng: ChaCha20Rng::seed_from_u64(seed),
            pool,
            client,
            settings: FlowSettings::new(PhantomKey::new([0x5a; 32])),
            now: 1_793_000_000,
            users: HashMap::new(),
            sessions: HashMap::new(),
            spent: HashSet::new(),
            session_failures: HashMap::new(),
            outbox: Vec::new(),
            quiz: Quiz {
                with_password: false,
                tries: 2,
            },
            admin: false,
            unknown_failures: Failures::default(),
            relying_party: None,
        }
    }

    pub fn with_mfa(mut self, mfa: MfaConfiguration) -> Self {
        self.pool.mfa = mfa;
        self
    }

    pub fn with_devices(mut self) -> Self {
        self.pool.devices = Some(DeviceConfiguration::default());
        self
    }

    /// A user with `password`, in `status`.
    pub fn add_user(&mut self, username: &str, password: &str, status: UserStatus) -> &mut Stored {
        let (salt, verifier) = srp::generate_verifier(
            POOL_NAME,
            username,
            &srp::Password::new(password),
            &mut self.rng,
        );
        let mut user = User::new(username, Sub::generate(&mut self.rng), status, self.now);
        user.attributes
            .insert("email".into(), format!("{username}@example.com"));
        user.password = Some(PasswordRecord {
            salt: salt.as_bytes().to_vec(),
            verifier: Vec::new(),
            set_at: self.now,
            expires_at: (status == UserStatus::ForceChangePassword)
                .then_some(self.now + 7 * 86_400),
        });
        self.users.insert(
            username.to_owned(),
            Stored {
                user,
                verifier: Some(verifier),
                totp: None,
                device_verifiers: HashMap::new(),
                failures: Failures::default(),
                passkeys: Vec::new(),
            },
        );
        self.users.get_mut(username).expect("just inserted")
    }

    /// Gives `username` a verified software token and turns TOTP MFA on for them.
    pub fn enable_totp(&mut self, username: &str) -> TotpSecret {
        let secret = TotpSecret::generate(&mut self.rng);
        let stored = self.users.get_mut(username).expect("user");
        stored.user.mfa.enabled.push(MfaMethod::SoftwareTokenMfa);
        stored.totp = Some(TotpFactor {
            secret: secret.clone(),
            friendly_name: Some("phone".into()),
            last_step: None,
        });
        secret
    }

    /// Gives `username` a phone number and turns SMS MFA on for them.
    pub fn enable_sms(&mut self, username: &str) {
        let stored = self.users.get_mut(username).expect("user");
        stored
            .user
            .attributes
            .insert("phone_number".into(), "+14155551212".into());
        stored.user.mfa.enabled.push(MfaMethod::SmsMfa);
    }

    /// Registers a device for `username` the way ConfirmDevice does; returns its key, group
    /// key and random password.
    pub fn add_device(&mut self, username: &str, remembered: bool) -> (String, String, String) {
        let key = format!(
            "us-east-1_{:08x}-0000-4000-8000-000000000000",
            self.rng.next_u32()
        );
        let group = "-9b0ne3AP".to_owned();
        let (secret, config) = srp::generate_device_secret(&group, &key, &mut self.rng);
        let (salt, verifier) = config.decode().expect("config");
        let stored = self.users.get_mut(username).expect("user");
        stored.user.devices.push(Device {
            key: key.clone(),
            group_key: group.clone(),
            salt: salt.as_bytes().to_vec(),
            verifier: Vec::new(),
            name: Some("test".into()),
            remembered,
            created: 0,
            modified: 0,
            last_authenticated: None,
            last_ip: None,
        });
        stored.device_verifiers.insert(key.clone(), verifier);
        (key, group, secret.expose_secret().to_owned())
    }

    fn seal(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut handle = vec![0u8; 24];
        self.rng.fill_bytes(&mut handle);
        let text = base64_url(&handle);
        self.sessions.insert(text, bytes.to_vec());
        handle
    }

    fn unseal(&self, sealed: &[u8]) -> Result<Vec<u8>, FlowError> {
        self.sessions
            .get(&base64_url(sealed))
            .cloned()
            .ok_or(FlowError::InvalidSession)
    }

    fn account<'a>(stored: &'a Stored, device_key: Option<&str>) -> Account<'a> {
        Account {
            user: &stored.user,
            verifier: stored.verifier.clone(),
            totp: stored.totp.clone(),
            device_verifier: device_key.and_then(|k| stored.device_verifiers.get(k).cloned()),
            failures: stored.failures,
            passkeys: stored.passkeys.clone(),
        }
    }

    fn find(&self, login: &str) -> Option<String> {
        let folded = self.pool.case_rule.fold(login);
        self.users
            .keys()
            .find(|u| self.pool.case_rule.fold(u) == folded)
            .cloned()
    }

    /// InitiateAuth (AdminInitiateAuth when `self.admin`).
    pub fn initiate(
        &mut self,
        flow: &str,
        params: &BTreeMap<String, String>,
    ) -> Result<Reply, FlowError> {
        let initiate = Initiate::parse(flow, params, &self.client, self.admin)?;
        let Initiate::SignIn(sign_in) = initiate else {
            return Err(FlowError::InvalidRefreshToken);
        };
        let username = self.find(sign_in.login());
        let device_key = sign_in.device_key().map(str::to_owned);
        let stored = username.as_ref().and_then(|u| self.users.get(u)).cloned();
        let account = stored
            .as_ref()
            .map(|s| Self::account(s, device_key.as_deref()));
        let mut rng = self.rng.clone();
        let result = {
            let mut cx = FlowContext {
                now: self.now,
                rng: &mut rng,
                pool: &self.pool,
                client: &self.client,
                settings: &self.settings,
                admin: self.admin,
                unknown_user_failures: self.unknown_failures,
                require_mfa: false,
                relying_party: self.relying_party.as_ref(),
            };
            sign_in.start(account.as_ref(), &mut cx)
        };
        self.rng = rng;
        self.finish(result, username.as_deref())
    }

    /// RespondToAuthChallenge.
    pub fn respond(
        &mut self,
        challenge_name: &str,
        session: Option<&str>,
        responses: &BTreeMap<String, String>,
    ) -> Result<Reply, FlowError> {
        let answer = ChallengeAnswer::from_wire(challenge_name, responses)?;
        let sealed = sealed_state(&answer, session)?;
        let unsealed = self.unseal(&sealed)?;
        let mut rng = self.rng.clone();
        let (pending, username, device_key) = {
            let cx = self.context(&mut rng);
            let pending = PendingChallenge::open(&unsealed, &cx)?;
            let username = pending.username().to_owned();
            let device_key = pending.device_key().map(str::to_owned);
            (pending, username, device_key)
        };
        let id = pending.session_id();
        if self.spent.contains(&id) {
            return Err(FlowError::InvalidSession);
        }
        let stored = if pending.user_not_found() {
            None
        } else {
            self.users.get(&username).cloned()
        };
        let account = stored
            .as_ref()
            .map(|s| Self::account(s, device_key.as_deref()));
        let failures = self.session_failures.get(&id).copied().unwrap_or(0);
        let result = {
            let mut cx = self.context(&mut rng);
            pending.respond(answer, account.as_ref(), failures, &mut cx)
        };
        self.rng = rng;
        match &result {
            Err(e) if e.keeps_session() => {
                *self.session_failures.entry(id).or_default() += 1;
            }
            _ => {
                self.spent.insert(id);
            }
        }
        self.finish(result, Some(&username))
    }

    fn context<'a>(&'a self, rng: &'a mut ChaCha20Rng) -> FlowContext<'a, ChaCha20Rng> {
        FlowContext {
            now: self.now,
            rng,
            pool: &self.pool,
            client: &self.client,
            settings: &self.settings,
            admin: self.admin,
            unknown_user_failures: self.unknown_failures,
            require_mfa: false,
            relying_party: self.relying_party.as_ref(),
        }
    }

    /// AssociateSoftwareToken with an MFA_SETUP session: `(SecretCode, Session)`.
    pub fn associate(&mut self, session: &str) -> Result<(TotpSecret, String), FlowError> {
        let unsealed = self.unseal(&sealed_session(session)?)?;
        let mut rng = self.rng.clone();
        let (secret, challenge) = {
            let mut cx = self.context(&mut rng);
            let pending = PendingChallenge::open(&unsealed, &cx)?;
            pending.associate_software_token(&mut cx)?
        };
        self.rng = rng;
        let out = challenge.render(|b| self.seal(b))?;
        Ok((secret, out.session.ok_or(FlowError::InvalidSession)?))
    }

    /// VerifySoftwareToken with the session from AssociateSoftwareToken: the MFA_SETUP session.
    pub fn verify_token(&mut self, session: &str, code: &str) -> Result<String, FlowError> {
        let unsealed = self.unseal(&sealed_session(session)?)?;
        let mut rng = self.rng.clone();
        let (username, transition) = {
            let mut cx = self.context(&mut rng);
            let pending = PendingChallenge::open(&unsealed, &cx)?;
            let username = pending.username().to_owned();
            (
                username,
                pending.verify_software_token(code, Some("phone".into()), &mut cx)?,
            )
        };
        self.rng = rng;
        match self.finish(Ok(transition), Some(&username))? {
            Reply::Challenge(c) => c.session.ok_or(FlowError::InvalidSession),
            Reply::Tokens(_) => Err(FlowError::InvalidSession),
        }
    }

    /// Performs the events, counts failures, runs triggers, renders challenges.
    fn finish(
        &mut self,
        result: Result<Transition, FlowError>,
        username: Option<&str>,
    ) -> Result<Reply, FlowError> {
        let transition = match result {
            Ok(t) => t,
            Err(e) => {
                if e.counts_as_failed_attempt()
                    && let Some(stored) = username.and_then(|u| self.users.get_mut(u))
                {
                    stored.failures = self
                        .settings
                        .lockout
                        .record_failure(stored.failures, self.now);
                }
                return Err(e);
            }
        };
        for event in transition.events {
            let Some(stored) = username.and_then(|u| self.users.get_mut(u)) else {
                continue;
            };
            match event {
                Event::PasswordVerified => stored.failures = Failures::default(),
                Event::SendCode {
                    destination, code, ..
                } => {
                    self.outbox
                        .push((destination, code.expose_secret().to_owned()));
                }
                Event::TotpStepUsed { step } => {
                    let totp = stored.totp.as_mut().ok_or(FlowError::TotpMismatch)?;
                    if totp.last_step.is_some_and(|last| last >= step) {
                        return Err(FlowError::TotpMismatch);
                    }
                    totp.last_step = Some(step);
                }
                Event::PasswordChanged {
                    salt,
                    verifier,
                    status,
                } => {
                    stored.verifier = Some(*verifier);
                    stored.user.status = status;
                    if let Some(p) = stored.user.password.as_mut() {
                        p.salt = salt.as_bytes().to_vec();
                        p.expires_at = None;
                    }
                }
                Event::AttributesSet(attributes) => {
                    for a in attributes {
                        stored.user.attributes.insert(a.name, a.value);
                    }
                }
                Event::SoftwareTokenVerified {
                    secret,
                    friendly_name,
                    step,
                } => {
                    stored.totp = Some(TotpFactor {
                        secret,
                        friendly_name,
                        last_step: Some(step),
                    });
                    stored.user.mfa.enabled.push(MfaMethod::SoftwareTokenMfa);
                }
                Event::DeviceAuthenticated { .. } => {}
                Event::PasskeyUsed {
                    credential_id,
                    sign_count,
                    ..
                } => {
                    if let Some(p) = stored
                        .passkeys
                        .iter_mut()
                        .find(|p| p.credential_id == credential_id)
                    {
                        p.sign_count = sign_count;
                    }
                }
                _ => {}
            }
        }
        match transition.step {
            Step::Authenticated(a) => Ok(Reply::Tokens(a)),
            Step::Challenge(c) => Ok(Reply::Challenge(c.render(|b| self.seal(b))?)),
            Step::RunTrigger(trigger) => {
                let next = self.run_trigger(trigger, username);
                self.finish(next, username)
            }
            _ => Err(FlowError::InvalidSession),
        }
    }

    fn run_trigger(
        &mut self,
        trigger: PendingTrigger,
        username: Option<&str>,
    ) -> Result<Transition, FlowError> {
        let stored = username.and_then(|u| self.users.get(u)).cloned();
        let account = stored.as_ref().map(|s| Self::account(s, None));
        let quiz = self.quiz;
        let mut rng = self.rng.clone();
        let result = {
            let mut cx = self.context(&mut rng);
            match trigger {
                PendingTrigger::DefineAuthChallenge(define) => {
                    let session = define.session();
                    let wrong = session
                        .iter()
                        .filter(|r| r.challenge_name == "CUSTOM_CHALLENGE" && !r.challenge_result)
                        .count();
                    let decision = match session.last() {
                        Some(r) if r.challenge_name == "SRP_A" && quiz.with_password => {
                            DefineDecision {
                                challenge_name: Some("PASSWORD_VERIFIER".into()),
                                ..DefineDecision::default()
                            }
                        }
                        Some(r) if r.challenge_name == "CUSTOM_CHALLENGE" && r.challenge_result => {
                            DefineDecision {
                                issue_tokens: true,
                                ..DefineDecision::default()
                            }
                        }
                        _ if wrong > quiz.tries => DefineDecision {
                            fail_authentication: true,
                            ..DefineDecision::default()
                        },
                        _ => DefineDecision {
                            challenge_name: Some("CUSTOM_CHALLENGE".into()),
                            ..DefineDecision::default()
                        },
                    };
                    define.resume(decision, account.as_ref(), &mut cx)
                }
                PendingTrigger::CreateAuthChallenge(create) => {
                    let created = CreatedChallenge {
                        public_parameters: BTreeMap::from([("question".into(), "6 x 7?".into())]),
                        private_parameters: BTreeMap::from([("answer".into(), "42".into())]),
                        metadata: Some(format!("QUIZ-{}", create.session().len())),
                    };
                    create.resume(created, &mut cx)
                }
                PendingTrigger::VerifyAuthChallengeResponse(verify) => {
                    let correct = verify
                        .private_parameters()
                        .get("answer")
                        .map(String::as_str)
                        == Some(verify.answer());
                    Ok(verify.resume(correct))
                }
                _ => Err(FlowError::InvalidSession),
            }
        };
        self.rng = rng;
        result
    }
}

pub fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The TOTP code an authenticator app shows at `now` (RFC 6238 from the base32 `SecretCode`).
pub fn totp_code(secret: &TotpSecret, now: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret.secret_code()).expect("base32");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(now as u64)
        .to_string()
}

/// The client's signature over `challenge` for `identity` and `password`:
/// `(TIMESTAMP, PASSWORD_CLAIM_SIGNATURE)`, empty on a malformed challenge.
fn sign(
    client: srp::ClientHandshake,
    challenge: &ChallengeOutput,
    identity: &srp::ClaimIdentity<'_>,
    password: &str,
    now: i64,
) -> (String, String) {
    let p = &challenge.parameters;
    let timestamp =
        srp::format_timestamp(srp::time::OffsetDateTime::from_unix_timestamp(now).expect("time"));
    let signature = client
        .respond(
            identity,
            &srp::Password::new(password),
            &srp::PasswordVerifierChallenge {
                salt: p.get("SALT").map_or("", String::as_str),
                srp_b: p.get("SRP_B").map_or("", String::as_str),
                secret_block: p.get("SECRET_BLOCK").map_or("", String::as_str),
            },
            &timestamp,
        )
        .unwrap_or_default();
    (timestamp, signature)
}

/// An SRP client run: the PASSWORD_VERIFIER answer to `challenge` for `password`.
pub fn password_claim(
    client: srp::ClientHandshake,
    challenge: &ChallengeOutput,
    password: &str,
    now: i64,
) -> BTreeMap<String, String> {
    let p = &challenge.parameters;
    let user = p.get("USER_ID_FOR_SRP").cloned().unwrap_or_default();
    let identity = srp::ClaimIdentity::user(POOL_NAME, &user);
    let (timestamp, signature) = sign(client, challenge, &identity, password, now);
    map(&[
        ("USERNAME", &user),
        (
            "PASSWORD_CLAIM_SECRET_BLOCK",
            p.get("SECRET_BLOCK").map_or("", String::as_str),
        ),
        ("PASSWORD_CLAIM_SIGNATURE", &signature),
        ("TIMESTAMP", &timestamp),
    ])
}

/// The device's DEVICE_PASSWORD_VERIFIER answer.
pub fn device_claim(
    client: srp::ClientHandshake,
    challenge: &ChallengeOutput,
    group: &str,
    key: &str,
    device_password: &str,
    now: i64,
) -> BTreeMap<String, String> {
    let p = &challenge.parameters;
    let identity = srp::ClaimIdentity::device(group, key);
    let (timestamp, signature) = sign(client, challenge, &identity, device_password, now);
    map(&[
        ("USERNAME", p.get("USERNAME").map_or("", String::as_str)),
        ("DEVICE_KEY", key),
        (
            "PASSWORD_CLAIM_SECRET_BLOCK",
            p.get("SECRET_BLOCK").map_or("", String::as_str),
        ),
        ("PASSWORD_CLAIM_SIGNATURE", &signature),
        ("TIMESTAMP", &timestamp),
    ])
}

/// What a script reached.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub challenges: usize,
    pub tokens: usize,
    pub errors: usize,
}
