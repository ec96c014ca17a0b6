//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge:
//! the facade around the flow engine. It loads the account (decrypting verifiers and TOTP
//! seeds), seals challenge state, enforces single use of sessions with replay markers,
//! performs the engine's events against the store, runs the custom-auth triggers and issues
//! tokens.

mod context;
pub(crate) mod custom_auth;
mod finish;
pub(crate) mod flow_events;
mod imported;
mod risk;
mod sessions;
pub(crate) mod software_token;

use std::sync::Arc;

use auth_flow_state_machine::{
    Account, AuthFlow, Authenticated, Challenge, ChallengeAnswer, ChallengeName, Failures,
    FlowContext, FlowError, Initiate, PendingChallenge, Step, TotpFactor, Transition, sealed_state,
};
use custom_auth_triggers::events::PreAuthenticationRequest;
use custom_auth_triggers::{PreAuthentication, TriggerSource};
use sha2::{Digest, Sha256};
use user_pool_model::{PoolConfig, PreventUserExistenceErrors, User};

use crate::core::{Core, internal};
use crate::error::{Error, Result};
use crate::hooks::trigger_attributes;
use crate::seal::{HEADER_BYTES, NONCE_BYTES, Purpose, TAG_BYTES};
use crate::threat::engine::Origin;
use crate::tokens::Tokens;
use crate::tokens::{ClientProof, Grant};
use crate::wire::*;

pub(crate) use context::{NO_METADATA, SignInContext, UNKNOWN_FAILURE_PREFIX, UnknownUser};
pub(crate) use sessions::MARKER_SECONDS;

/// Sign-in: InitiateAuth, RespondToAuthChallenge and their Admin forms, AssociateSoftwareToken and VerifySoftwareToken. It runs the flow engine; tokens come from [`Tokens`](crate::Tokens).
pub struct SignIn {
    core: Arc<Core>,
    tokens: Arc<Tokens>,
}

impl SignIn {
    pub(crate) fn new(core: Arc<Core>, tokens: Arc<Tokens>) -> Self {
        Self { core, tokens }
    }
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").finish_non_exhaustive()
    }
}

/// A loaded account: the user and its decrypted secrets.
pub(crate) struct Loaded {
    user: User,
    verifier: Option<srp::Verifier>,
    totp: Option<TotpFactor>,
    device_verifier: Option<srp::Verifier>,
    failures: Failures,
    passkeys: Vec<auth_flow_state_machine::StoredCredential>,
}

impl Loaded {
    fn account(&self) -> Account<'_> {
        Account {
            user: &self.user,
            verifier: self.verifier.clone(),
            totp: self.totp.clone(),
            device_verifier: self.device_verifier.clone(),
            failures: self.failures,
            passkeys: self.passkeys.clone(),
        }
    }
}

/// Who a sign-in step acts for: the username and, when this request read the account, its
/// record and the lockout failures seen with it — which the step's end (events, tokens)
/// reuses instead of reading them again. A write still goes through the record's version, so
/// a concurrent change is never overwritten.
pub(crate) struct Subject {
    pub(crate) username: String,
    /// The account's record as this request read (or wrote) it.
    pub(crate) user: Option<User>,
    /// The lockout failures counted when it was read (`None`: not known).
    pub(crate) failures: Option<u32>,
}

impl Subject {
    /// Only the name: the record is read when needed.
    pub(crate) fn named(username: String) -> Self {
        Self {
            username,
            user: None,
            failures: None,
        }
    }
}

impl From<Loaded> for Subject {
    fn from(l: Loaded) -> Self {
        Self {
            username: l.user.username.clone(),
            user: Some(l.user),
            failures: Some(l.failures.count),
        }
    }
}

/// Splits a sealed session into the pool id it names and the sealed blob.
pub(crate) fn split_session(sealed: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = sealed.split_first()?;
    let (pool, blob) = rest.split_at_checked(usize::from(*len))?;
    Some((core::str::from_utf8(pool).ok()?, blob))
}

/// Where the keys of auth sessions' wrong-answer counters start. U+0001 cannot occur in a
/// username, so these never meet a real user's counter.
pub(crate) const SESSION_FAILURE_PREFIX: &str = "\u{1}session/";

fn session_failure_key(id: &[u8; 16]) -> String {
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    format!("{SESSION_FAILURE_PREFIX}{hex}")
}

impl SignIn {
    /// InitiateAuth.
    pub async fn initiate_auth(&self, req: InitiateAuthRequest) -> Result<AuthResponse> {
        check_names(Some(&req.auth_flow), None)?;
        let (pool, client) = self.core.client(&req.client_id).await?;
        let origin = Origin::public(&client, req.user_context_data.as_ref());
        self.initiate(
            req.clone(),
            SignInContext::new(pool, client, false, &req.client_metadata).from(origin),
        )
        .await
    }

    /// AdminInitiateAuth.
    pub async fn admin_initiate_auth(&self, req: InitiateAuthRequest) -> Result<AuthResponse> {
        check_names(Some(&req.auth_flow), None)?;
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let client = self.core.pool_client(&pool, &req.client_id).await?;
        let origin = Origin::admin(req.context_data.as_ref());
        self.initiate(
            req.clone(),
            SignInContext::new(pool, client, true, &req.client_metadata).from(origin),
        )
        .await
    }

    /// RespondToAuthChallenge.
    pub async fn respond_to_auth_challenge(
        &self,
        req: RespondToAuthChallengeRequest,
    ) -> Result<AuthResponse> {
        check_names(None, Some(&req.challenge_name))?;
        let (pool, client) = self.core.client(&req.client_id).await?;
        let origin = Origin::public(&client, req.user_context_data.as_ref());
        self.respond(
            &req,
            SignInContext::new(pool, client, false, &req.client_metadata).from(origin),
        )
        .await
    }

    /// AdminRespondToAuthChallenge.
    pub async fn admin_respond_to_auth_challenge(
        &self,
        req: RespondToAuthChallengeRequest,
    ) -> Result<AuthResponse> {
        check_names(None, Some(&req.challenge_name))?;
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let client = self.core.pool_client(&pool, &req.client_id).await?;
        let origin = Origin::admin(req.context_data.as_ref());
        self.respond(
            &req,
            SignInContext::new(pool, client, true, &req.client_metadata).from(origin),
        )
        .await
    }

    /// Runs `f` with a flow context for `cx`: the clock's time and the service RNG, lent for
    /// one synchronous step.
    pub(crate) fn with_flow<T>(
        &self,
        cx: &SignInContext<'_>,
        f: impl FnOnce(&mut FlowContext<'_, rand_chacha::ChaCha20Rng>) -> T,
    ) -> Result<T> {
        let now = self.core.now();
        self.core.entropy.with(|rng| {
            let mut flow = FlowContext {
                now,
                rng,
                pool: &cx.pool,
                client: &cx.client,
                settings: &self.core.settings,
                admin: cx.admin,
                unknown_user_failures: cx
                    .unknown
                    .as_ref()
                    .map_or_else(Failures::default, |u| u.failures),
                require_mfa: cx.require_mfa,
                relying_party: cx.relying_party.as_ref(),
            };
            f(&mut flow)
        })
    }

    /// Loads `user`'s account for the engine.
    pub(crate) async fn load(
        &self,
        pool: &PoolConfig,
        user: User,
        device_key: Option<&str>,
    ) -> Result<Loaded> {
        let state = self
            .core
            .store()
            .lockout_state(&pool.id, &pool.case_rule.username_key(&user.username))
            .await?;
        self.load_with(pool, user, device_key, state).await
    }

    /// Loads `user`'s account, whose lockout `state` was read already.
    pub(crate) async fn load_with(
        &self,
        pool: &PoolConfig,
        user: User,
        device_key: Option<&str>,
        state: userpool_store::LockoutState,
    ) -> Result<Loaded> {
        let verifier = self.core.open_verifier(&pool.id, &user)?;
        let totp = self.core.open_totp(&pool.id, &user)?;
        let device_verifier =
            match device_key.and_then(|k| user.devices.iter().find(|d| d.key == k)) {
                Some(device) => Some(self.core.open_device_verifier(&pool.id, device)?),
                None => None,
            };
        let passkeys = if pool
            .allowed_first_auth_factors
            .contains(&user_pool_model::AuthFactor::WebAuthn)
        {
            self.core
                .store()
                .list_webauthn_credentials(&pool.id, &pool.case_rule.username_key(&user.username))
                .await?
                .into_iter()
                .map(|c| auth_flow_state_machine::StoredCredential {
                    credential_id: c.credential_id,
                    public_key: c.public_key,
                    sign_count: c.sign_count,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Loaded {
            passkeys,
            user,
            verifier,
            totp,
            device_verifier,
            failures: Failures {
                count: state.failures,
                last: state.last_failure,
            },
        })
    }

    /// Whether an answer's session can be spent together with the tokens it ends in (one
    /// store write): only when nothing observable happens before that write — the step ends
    /// in API tokens, its only event is the verified password (whose lockout reset repeats
    /// harmlessly) and no PostAuthentication or PreTokenGeneration trigger runs. A replayed
    /// answer then fails at that write with the same `InvalidSession` as before, having
    /// changed nothing; any other step spends its session first.
    fn spends_with_tokens(&self, cx: &SignInContext<'_>, transition: &Transition) -> bool {
        use custom_auth_triggers::TriggerKind;
        let triggers = self.core.registry(&cx.pool);
        let runs = |kind| triggers.as_ref().is_some_and(|r| r.is_configured(kind));
        !cx.hosted
            && matches!(transition.step, Step::Authenticated(_))
            && transition
                .events
                .iter()
                .all(|e| matches!(e, auth_flow_state_machine::Event::PasswordVerified))
            && !runs(TriggerKind::PostAuthentication)
            && !runs(TriggerKind::PreTokenGeneration)
    }

    /// The lockout state of what an unknown user typed, when PreventUserExistenceErrors hides
    /// unknown users (otherwise they are refused before any failure could count).
    async fn unknown_user(
        &self,
        cx: &SignInContext<'_>,
        login: &str,
    ) -> Result<Option<UnknownUser>> {
        if cx.client.prevent_user_existence_errors != PreventUserExistenceErrors::Enabled {
            return Ok(None);
        }
        let key = format!("{UNKNOWN_FAILURE_PREFIX}{}", cx.pool.case_rule.fold(login));
        let state = self.core.store().lockout_state(&cx.pool.id, &key).await?;
        Ok(Some(UnknownUser {
            key,
            failures: Failures {
                count: state.failures,
                last: state.last_failure,
            },
        }))
    }

    pub(crate) async fn initiate(
        &self,
        req: InitiateAuthRequest,
        cx: SignInContext<'_>,
    ) -> Result<AuthResponse> {
        let parsed = Initiate::parse(&req.auth_flow, &req.auth_parameters.0, &cx.client, cx.admin)
            .map_err(|e| cx.flow_error(&e))?;
        crate::audit!(operation = if cx.admin { "AdminInitiateAuth" } else { "InitiateAuth" }, pool = %cx.pool.id.as_str(), client = %cx.client.id.as_str(), flow = %req.auth_flow, parameters = "HIDDEN_DUE_TO_SECURITY_REASONS");
        let sign_in = match parsed {
            Initiate::Refresh(refresh) => {
                let result = self
                    .tokens
                    .refresh(
                        &cx.pool,
                        &cx.client,
                        refresh.token().expose_secret(),
                        refresh.device_key().map(str::to_owned),
                        ClientProof::SecretHash(req.auth_parameters.get("SECRET_HASH")),
                        &cx.caller(),
                    )
                    .await?;
                return Ok(AuthResponse {
                    authentication_result: Some(result),
                    ..AuthResponse::default()
                });
            }
            Initiate::SignIn(sign_in) => sign_in,
            _ => return Err(internal()),
        };
        cx.client
            .check_secret_hash(sign_in.login(), req.auth_parameters.get("SECRET_HASH"))?;
        let mut cx = cx;
        cx.relying_party = self.core.relying_party(&cx.pool, &cx.client).await?;
        // The account and, at once, the lockout counter of the name typed: the account's own
        // unless it signs in by an alias (then read again below, once the username is known).
        let login_key = cx.pool.case_rule.username_key(sign_in.login());
        // Boxed: joined inline, the account lookup made this future outgrow a debug build's
        // worker-thread stack.
        let (mut user, login_state) = tokio::try_join!(
            Box::pin(self.core.find_user(&cx.pool, sign_in.login())),
            async {
                self.core
                    .store()
                    .lockout_state(&cx.pool.id, &login_key)
                    .await
                    .map_err(Error::from)
            },
        )?;
        if user.is_none()
            && let Some(password) = req.auth_parameters.get("PASSWORD").filter(|_| {
                matches!(
                    req.auth_flow.as_str(),
                    "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH"
                )
            })
        {
            user = self
                .core
                .migrate_user(
                    &cx.pool,
                    sign_in.login(),
                    Some(password),
                    TriggerSource::UserMigrationAuthentication,
                    &cx.caller(),
                )
                .await?;
        }
        if let Some(user) = &user {
            let request = PreAuthenticationRequest {
                user_attributes: trigger_attributes(user),
                user_not_found: None,
                validation_data: None,
                client_metadata: cx.caller().metadata(),
            };
            self.core
                .run_trigger::<PreAuthentication>(
                    &cx.pool,
                    TriggerSource::PreAuthenticationAuthentication,
                    &user.username,
                    &cx.caller(),
                    request,
                )
                .await?;
        }
        let loaded = match user {
            Some(user) if cx.pool.case_rule.username_key(&user.username) == login_key => Some(
                self.load_with(&cx.pool, user, sign_in.device_key(), login_state)
                    .await?,
            ),
            Some(user) => Some(self.load(&cx.pool, user, sign_in.device_key()).await?),
            None => {
                cx.unknown = self.unknown_user(&cx, sign_in.login()).await?;
                None
            }
        };
        if let Some(l) = &loaded {
            self.screen(&mut cx, l, req.auth_flow == "CUSTOM_AUTH")
                .await?;
            if let Some(password) = req.auth_parameters.get("PASSWORD") {
                self.check_breached(&mut cx, password);
            }
        }
        let name = loaded.as_ref().map(|l| l.user.username.clone());
        let loaded = match self.adopt_imported_hash(&cx, &req, loaded).await? {
            Ok(loaded) => loaded,
            Err(e) => return self.finish(&cx, Err(e), name.map(Subject::named)).await,
        };
        let account = loaded.as_ref().map(Loaded::account);
        let result = self.with_flow(&cx, |flow| sign_in.start(account.as_ref(), flow))?;
        drop(account);
        if let (true, Ok(_), Some(l)) = (cx.reset_if_correct, &result, &loaded) {
            return Err(self.reset_compromised(&cx, l).await?);
        }
        self.finish(&cx, result, loaded.map(Subject::from)).await
    }

    pub(crate) async fn respond(
        &self,
        req: &RespondToAuthChallengeRequest,
        cx: SignInContext<'_>,
    ) -> Result<AuthResponse> {
        let responses = &req.challenge_responses.0;
        // Read once: every answer member is typed from here on.
        let answer = ChallengeAnswer::from_wire(&req.challenge_name, responses)
            .map_err(|e| cx.flow_error(&e))?;
        let session = req.session.as_ref().map(SecretString::expose_secret);
        let sealed = sealed_state(&answer, session).map_err(|e| cx.flow_error(&e))?;
        let pending = self.open_pending(&cx, &sealed)?;
        crate::audit!(operation = if cx.admin { "AdminRespondToAuthChallenge" } else { "RespondToAuthChallenge" }, pool = %cx.pool.id.as_str(), client = %cx.client.id.as_str(), challenge = %req.challenge_name, responses = "HIDDEN_DUE_TO_SECURITY_REASONS");
        let username = pending.username().to_owned();
        cx.client.check_secret_hash(
            &answer.username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        let id = pending.session_id();
        let failure_key = session_failure_key(&id);
        let mut cx = cx;
        cx.relying_party = self.core.relying_party(&cx.pool, &cx.client).await?;
        let store = self.core.store();
        let (session_failures, loaded) = if pending.user_not_found() {
            let session = store.lockout_state(&cx.pool.id, &failure_key).await?;
            cx.unknown = self.unknown_user(&cx, pending.login()).await?;
            (session.failures, None)
        } else {
            // Three independent reads, at once: the session's wrong answers, the account
            // and its lockout counter (its key is the username the session names).
            let key = cx.pool.case_rule.username_key(&username);
            let (session, user, state) = tokio::try_join!(
                store.lockout_state(&cx.pool.id, &failure_key),
                store.get_user(&cx.pool.id, &key),
                store.lockout_state(&cx.pool.id, &key),
            )?;
            let loaded = match user {
                Some(user) => Some(
                    self.load_with(&cx.pool, user, pending.device_key(), state)
                        .await?,
                ),
                None => None,
            };
            (session.failures, loaded)
        };
        // A verifier stored before verifiers kept their powers: upgraded after a successful
        // PASSWORD_VERIFIER answer.
        if let Some(l) = &loaded {
            let custom = answer.challenge() == ChallengeName::CustomChallenge;
            self.screen(&mut cx, l, custom).await?;
        }
        let legacy = (answer.challenge() == ChallengeName::PasswordVerifier)
            .then(|| loaded.as_ref().and_then(|l| l.verifier.clone()))
            .flatten()
            .filter(|v| !v.has_powers());
        let account = loaded.as_ref().map(Loaded::account);
        let result = self.with_flow(&cx, |flow| {
            pending.respond(answer, account.as_ref(), session_failures, flow)
        })?;
        drop(account);
        match &result {
            Err(e) if e.keeps_session() => {
                self.core
                    .store()
                    .record_failure(&cx.pool.id, &failure_key, self.core.now())
                    .await?;
            }
            Ok(transition) if self.spends_with_tokens(&cx, transition) => {
                cx.spends_session = Some(sessions::session_marker(&id));
            }
            _ => self.spend_session(&cx, &id).await?,
        }
        let subject = loaded.map(Subject::from);
        let username = subject.as_ref().map(|s| s.username.clone());
        let response = self.finish(&cx, result, subject).await?;
        // The claim verified (a wrong one is an error above), whatever step comes next.
        if let (Some(legacy), Some(name)) = (legacy, username) {
            self.core.upgrade_verifier(&cx.pool, &name, legacy).await;
        }
        Ok(response)
    }
}

/// Cognito checks a request's enum members before it looks anything up: an unknown `AuthFlow`
/// or `ChallengeName` is `InvalidParameterException` even when the client or pool does not
/// exist. `ADMIN_NO_SRP_AUTH` is in Cognito's `ChallengeNameType` but is no challenge anyone
/// is sent, so it passes here and is refused after the lookup, with the other names no step
/// answers.
fn check_names(flow: Option<&str>, challenge: Option<&str>) -> Result<()> {
    let error = match (flow, challenge) {
        (Some(flow), _) if AuthFlow::parse(flow).is_err() => FlowError::UnknownFlow,
        (_, Some(name)) if ChallengeName::parse(name).is_none() && name != "ADMIN_NO_SRP_AUTH" => {
            FlowError::UnknownChallenge
        }
        _ => return Ok(()),
    };
    Err(Error::from_flow(&error, PreventUserExistenceErrors::Legacy))
}
