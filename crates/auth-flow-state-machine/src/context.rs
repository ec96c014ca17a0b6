//! What a transition is given: the time, randomness, the pool and client in force, the
//! account as the facade loaded it, and the pool's flow settings. Nothing here does I/O.

use core::fmt;

use user_pool_model::{AppClient, PoolConfig, User};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::lockout::{Failures, LockoutPolicy};
use crate::session::SESSION_MINUTES;
use crate::totp::TotpSecret;

/// Most challenge rounds one custom-auth sign-in may take: when DefineAuthChallenge is asked
/// again after this many answered challenges and still neither issues tokens nor fails, the
/// sign-in ends with `NotAuthorizedException` (Cognito documents no number; a DefineAuthChallenge
/// that never decides must not keep a session alive forever).
pub const MAX_CUSTOM_ROUNDS: usize = 10;

/// The per-pool key that derives stable fake salts and verifiers for unknown users
/// (PreventUserExistenceErrors). Keep it with the pool's other secrets; rotating it changes
/// every fake salt, which an observer could notice, so don't.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PhantomKey([u8; 32]);

impl PhantomKey {
    /// A key from 32 secret bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for PhantomKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhantomKey(<redacted>)")
    }
}

/// The pool-level numbers and keys of the flows.
#[derive(Debug, Clone)]
pub struct FlowSettings {
    /// Fake-user key (PreventUserExistenceErrors).
    pub phantom_key: PhantomKey,
    /// Lockout back-off.
    pub lockout: LockoutPolicy,
    /// How far `TIMESTAMP` may be from `now`, in seconds (5 minutes by default).
    pub timestamp_window_secs: i64,
    /// Wrong SMS / email / TOTP codes tolerated in one session before it is spent.
    pub max_code_attempts: u32,
}

impl FlowSettings {
    /// Cognito's defaults with `phantom_key`.
    pub fn new(phantom_key: PhantomKey) -> Self {
        Self {
            phantom_key,
            lockout: LockoutPolicy::default(),
            timestamp_window_secs: 300,
            max_code_attempts: 3,
        }
    }
}

/// Everything a transition reads besides the request.
#[derive(Debug)]
pub struct FlowContext<'a, R: ?Sized> {
    /// Unix seconds.
    pub now: i64,
    /// The randomness source (a CSPRNG; tests pass a seeded one).
    pub rng: &'a mut R,
    /// The pool.
    pub pool: &'a PoolConfig,
    /// The app client the request came through.
    pub client: &'a AppClient,
    /// The pool's flow settings.
    pub settings: &'a FlowSettings,
    /// Whether the call is AdminInitiateAuth / AdminRespondToAuthChallenge.
    pub admin: bool,
    /// The failed attempts recorded for what an unknown user typed (PreventUserExistenceErrors
    /// `ENABLED`): a phantom locks out after the same failures as a real user, so the lockout
    /// says nothing about existence. Zero when the user exists.
    pub unknown_user_failures: Failures,
    /// Threat protection demands a second factor for this sign-in (an account-takeover risk
    /// whose action is `MFA_IF_CONFIGURED` or `MFA_REQUIRED`, for a user who can answer one —
    /// see [`can_answer_mfa`](crate::can_answer_mfa)), whatever the pool's MFA setting.
    pub require_mfa: bool,
    /// The pool's WebAuthn relying party for this client (RP id, origins, user
    /// verification); `None` when passkeys are not configured (no `WEB_AUTHN` offered).
    pub relying_party: Option<&'a webauthn_rp::RelyingParty>,
}

impl<R: ?Sized> FlowContext<'_, R> {
    /// Seconds a challenge session lives: the client's `AuthSessionValidity`, clamped to 3–15
    /// minutes.
    pub(crate) fn session_seconds(&self) -> i64 {
        let minutes = self
            .client
            .auth_session_validity_minutes
            .clamp(*SESSION_MINUTES.start(), *SESSION_MINUTES.end());
        i64::from(minutes) * 60
    }
}

/// The user's software token, decrypted by the facade.
#[derive(Debug, Clone)]
pub struct TotpFactor {
    /// The verified secret.
    pub secret: TotpSecret,
    /// The name given at VerifySoftwareToken (`FRIENDLY_DEVICE_NAME`).
    pub friendly_name: Option<String>,
    /// The last time step accepted for this user (replay refusal).
    pub last_step: Option<u64>,
}

/// A user as a transition sees it: the stored record plus the secrets the facade decrypted.
#[derive(Debug, Clone)]
pub struct Account<'a> {
    /// The stored record (status, enabled, attributes, MFA settings, devices).
    pub user: &'a User,
    /// The decrypted password verifier, if the user has a password.
    pub verifier: Option<srp::Verifier>,
    /// The decrypted software token, if one is verified.
    pub totp: Option<TotpFactor>,
    /// The decrypted verifier of the device named in `DEVICE_KEY`, if the user has it.
    pub device_verifier: Option<srp::Verifier>,
    /// The user's failed sign-in attempts (lockout), as stored.
    pub failures: Failures,
    /// The user's passkeys (WebAuthn credentials) for the pool's relying party.
    pub passkeys: Vec<webauthn_rp::StoredCredential>,
}

impl<'a> Account<'a> {
    /// An account with only the stored record (no secrets decrypted yet).
    pub fn new(user: &'a User) -> Self {
        Self {
            user,
            verifier: None,
            totp: None,
            device_verifier: None,
            failures: Failures::default(),
            passkeys: Vec::new(),
        }
    }
}
