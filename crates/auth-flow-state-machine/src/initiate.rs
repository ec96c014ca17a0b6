//! InitiateAuth / AdminInitiateAuth: which flow, its parameters, and the first step.

use std::collections::BTreeMap;

use rand_core::CryptoRng;
use user_pool_model::{AppClient, PreventUserExistenceErrors, UserStatus};

use crate::context::{Account, FlowContext};
use crate::continuation::after_first_factor;
use crate::custom::{self, PendingTrigger};
use crate::error::{FlowError, Result};
use crate::flows::{AuthFlow, ChallengeName};
use crate::outcome::{Challenge, Event, Step, Transition};
use crate::phantom::Phantom;
use crate::refresh::RefreshRequest;
use crate::request::AuthRequest;
use crate::state::{
    AwaitPasswordVerifier, CustomProgress, FirstFactor, FlowState, Progress, SecondFactor, Secret,
    Start, UserRef,
};
use crate::user_auth::{self, FactorChoice};

/// Maps an `SRP_A` problem: a value Cognito would refuse before any challenge.
pub(crate) fn bad_public_value(e: srp::Error) -> FlowError {
    match e {
        srp::Error::BadRandomness => FlowError::Randomness,
        _ => FlowError::InvalidParameter("SRP_A is not a valid SRP public value"),
    }
}

/// Maps a failed password claim: Cognito's format complaint for a malformed `TIMESTAMP`,
/// otherwise a wrong password (which `counts` for the lockout, a real user's or what an unknown
/// user typed).
pub(crate) fn failed_claim(e: &srp::Error, counts: bool) -> FlowError {
    match e {
        srp::Error::TimestampFormat => FlowError::InvalidParameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        ),
        _ => FlowError::IncorrectCredentials { counts },
    }
}

/// What an InitiateAuth request asks for, checked against the client.
#[derive(Debug)]
#[non_exhaustive]
pub enum Initiate {
    /// A sign-in flow: resolve [`SignIn::login`] to a user, then [`SignIn::start`].
    SignIn(SignIn),
    /// A refresh: look the token up, then [`RefreshRequest::check`].
    Refresh(RefreshRequest),
}

#[derive(Debug)]
enum Kind {
    Srp { srp_a: String },
    Password { password: srp::Password },
    Custom { srp_a: Option<String> },
    UserAuth { preferred: Option<FactorChoice> },
}

/// A sign-in flow's first request.
#[derive(Debug)]
pub struct SignIn {
    flow: AuthFlow,
    kind: Kind,
    login: String,
    device_key: Option<String>,
}

impl Initiate {
    /// Checks a typed request against the client: the flow must be enabled (`admin` for
    /// AdminInitiateAuth).
    pub fn new(request: AuthRequest, client: &AppClient, admin: bool) -> Result<Self> {
        request.flow().check_enabled(client, admin)?;
        let flow = request.flow();
        let (login, kind, device_key) = match request {
            AuthRequest::Refresh { token, device_key } => {
                return Ok(Self::Refresh(RefreshRequest::from_token(token, device_key)));
            }
            AuthRequest::UserSrp {
                username,
                srp_a,
                device_key,
            } => (username, Kind::Srp { srp_a }, device_key),
            AuthRequest::Password {
                username,
                password,
                device_key,
                ..
            } => (username, Kind::Password { password }, device_key),
            AuthRequest::Custom {
                username,
                srp_a,
                device_key,
            } => (username, Kind::Custom { srp_a }, device_key),
            AuthRequest::UserAuth {
                username,
                preferred,
                device_key,
            } => (username, Kind::UserAuth { preferred }, device_key),
        };
        Ok(Self::SignIn(SignIn {
            flow,
            kind,
            login,
            device_key,
        }))
    }

    /// Reads the wire's `AuthFlow` and `AuthParameters` ([`AuthRequest::from_wire`]), then
    /// [`Initiate::new`].
    pub fn parse(
        flow: &str,
        params: &BTreeMap<String, String>,
        client: &AppClient,
        admin: bool,
    ) -> Result<Self> {
        Self::new(AuthRequest::from_wire(flow, params)?, client, admin)
    }
}

impl SignIn {
    /// The flow.
    pub fn flow(&self) -> AuthFlow {
        self.flow
    }

    /// `USERNAME` as sent: a username, alias, email or phone number to resolve.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// `DEVICE_KEY`, if sent (the facade decrypts that device's verifier into the account).
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// The first step, for the resolved `account` (`None`: no such user). The facade runs
    /// PreAuthentication before calling this.
    pub fn start<R: CryptoRng + ?Sized>(
        self,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        if account.is_none()
            && cx.client.prevent_user_existence_errors == PreventUserExistenceErrors::Legacy
        {
            return Err(FlowError::UserNotFound);
        }
        // An imported user has no password yet: only a reset helps (spec §6.8).
        if let Some(a) = account
            && a.user.status == UserStatus::ResetRequired
            && a.verifier.is_none()
            && !matches!(
                self.kind,
                Kind::Custom { srp_a: None } | Kind::UserAuth { .. }
            )
        {
            return Err(match cx.client.prevent_user_existence_errors {
                PreventUserExistenceErrors::Legacy => FlowError::PasswordResetRequired,
                _ => FlowError::IncorrectCredentials { counts: false },
            });
        }
        let device_tracking = cx.pool.devices.is_some() && !cx.admin;
        let device_key = self.device_key.filter(|_| device_tracking);
        let phantom = account
            .is_none()
            .then(|| Phantom::for_login(cx, &self.login));
        let user = UserRef {
            username: account.map_or_else(
                || {
                    phantom
                        .as_ref()
                        .map(|p| p.user_id.clone())
                        .unwrap_or_default()
                },
                |a| a.user.username.clone(),
            ),
            login: self.login,
            phantom: account.is_none(),
        };
        match self.kind {
            Kind::Srp { srp_a } => {
                let handshake = srp_handshake(account, phantom.as_ref(), &srp_a, cx)?;
                let state = AwaitPasswordVerifier {
                    user,
                    handshake: handshake.bytes,
                    device_key,
                    device_tracking,
                    custom: None,
                };
                Ok(password_verifier_challenge(
                    state,
                    &handshake.salt,
                    handshake.srp_b,
                    cx,
                ))
            }
            Kind::Password { password } => password_first_factor(
                &password,
                Start {
                    user,
                    device_key,
                    device_tracking,
                },
                account,
                phantom.as_ref(),
                cx,
            ),
            Kind::UserAuth { preferred } => user_auth::start(
                preferred,
                Start {
                    user,
                    device_key,
                    device_tracking,
                },
                account,
                phantom.as_ref(),
                cx,
            ),
            Kind::Custom { srp_a } => {
                let mut history = Vec::new();
                let srp = match srp_a {
                    Some(srp_a) => {
                        let handshake = srp_handshake(account, phantom.as_ref(), &srp_a, cx)?;
                        history.push(custom::record("SRP_A", true, None));
                        Some(handshake.bytes)
                    }
                    None => None,
                };
                let progress = CustomProgress {
                    user,
                    history,
                    srp,
                    device_key,
                    device_tracking,
                };
                Ok(Transition::new(Step::RunTrigger(PendingTrigger::define(
                    progress,
                ))))
            }
        }
    }
}

/// A plain password as the first factor (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, and
/// USER_AUTH's `PASSWORD`): checked with the lockout, for real and unknown users alike.
pub(crate) fn password_first_factor<R: CryptoRng + ?Sized>(
    password: &srp::Password,
    start: Start,
    account: Option<&Account<'_>>,
    phantom: Option<&Phantom>,
    cx: &mut FlowContext<'_, R>,
) -> Result<Transition> {
    let pool_name = srp::pool_name(cx.pool.id.as_str());
    let Some(account) = account else {
        // The same lockout, work and answer as for a real user; the failure counts
        // against what was typed.
        cx.settings
            .lockout
            .check(cx.unknown_user_failures, cx.now)?;
        if let Some(p) = phantom {
            let _ = srp::verify_password(pool_name, &p.user_id, password, &p.salt, &p.verifier);
        }
        return Err(FlowError::IncorrectCredentials { counts: true });
    };
    cx.settings.lockout.check(account.failures, cx.now)?;
    let (salt, verifier) = credentials(account, cx);
    if !srp::verify_password(pool_name, &start.user.username, password, &salt, &verifier)
        || account.verifier.is_none()
    {
        return Err(FlowError::IncorrectCredentials { counts: true });
    }
    let progress = Progress {
        user: start.user,
        first: FirstFactor::Password,
        new_password: false,
        mfa: SecondFactor::Pending,
        device_key: start.device_key,
        device_verified: false,
        device_tracking: start.device_tracking,
    };
    Ok(after_first_factor(progress, account, cx)?.with(vec![Event::PasswordVerified]))
}

/// The user's salt and verifier, or (no password: federated, never set) a phantom's so that
/// the work is the same and the proof fails.
pub(crate) fn credentials<R: ?Sized>(
    account: &Account<'_>,
    cx: &FlowContext<'_, R>,
) -> (srp::Salt, srp::Verifier) {
    match (&account.user.password, &account.verifier) {
        (Some(record), Some(verifier)) => {
            (srp::Salt::from_bytes(record.salt.clone()), verifier.clone())
        }
        _ => {
            let p = Phantom::derive(
                &cx.settings.phantom_key,
                cx.pool.id.as_str(),
                &account.user.username,
                false,
            );
            (p.salt, p.verifier)
        }
    }
}

/// A started SRP server side.
pub(crate) struct Handshake {
    pub(crate) salt: srp::Salt,
    /// `ServerHandshake::to_bytes` (sealed into the session).
    pub(crate) bytes: Secret,
    pub(crate) srp_b: String,
}

/// Starts the server side of SRP. `SRP_A` is checked before anything else, identically for
/// real and phantom users.
pub(crate) fn srp_handshake<R: CryptoRng + ?Sized>(
    account: Option<&Account<'_>>,
    phantom: Option<&Phantom>,
    srp_a: &str,
    cx: &mut FlowContext<'_, R>,
) -> Result<Handshake> {
    let (salt, verifier) = match (account, phantom) {
        (Some(account), _) => credentials(account, cx),
        (None, Some(p)) => (p.salt.clone(), p.verifier.clone()),
        (None, None) => return Err(FlowError::UserNotFound),
    };
    let handshake = srp::ServerHandshake::start(&verifier, srp_a, &mut &mut *cx.rng)
        .map_err(bad_public_value)?;
    Ok(Handshake {
        salt,
        bytes: Secret::new(handshake.to_bytes().expose_secret().to_vec()),
        srp_b: handshake.srp_b(),
    })
}

/// The `PASSWORD_VERIFIER` challenge for a started handshake.
pub(crate) fn password_verifier_challenge<R: CryptoRng + ?Sized>(
    state: AwaitPasswordVerifier,
    salt: &srp::Salt,
    srp_b: String,
    cx: &mut FlowContext<'_, R>,
) -> Transition {
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), salt.to_wire_hex()),
        ("SRP_B".to_owned(), srp_b),
        ("USER_ID_FOR_SRP".to_owned(), state.user.username.clone()),
        ("USERNAME".to_owned(), state.user.username.clone()),
    ]);
    let state = FlowState::PasswordVerifier(state);
    Transition::new(Step::Challenge(Challenge::new(
        ChallengeName::PasswordVerifier,
        parameters,
        &state,
        cx,
    )))
}
