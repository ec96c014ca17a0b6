//! What a transition produces: a challenge to return, a trigger to run, or success, plus the
//! side effects the facade must perform.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand_core::CryptoRng;
use user_pool_model::{Attribute, UserStatus};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::context::FlowContext;
use crate::custom::PendingTrigger;
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::session::{MIN_SESSION_LEN, SessionEnvelope};
use crate::state::{FirstFactor, FlowState, Progress, SecondFactor};
use crate::totp::TotpSecret;

/// Longest `Session` string Cognito's model allows (`SessionType`).
pub const MAX_SESSION_LEN: usize = 4096;

/// The result of a transition: what to answer, and what to do first.
#[derive(Debug)]
pub struct Transition {
    /// The next step.
    pub step: Step,
    /// Side effects, in order; the facade performs them (atomically where noted) before
    /// answering.
    pub events: Vec<Event>,
}

impl Transition {
    pub(crate) fn new(step: Step) -> Self {
        Self {
            step,
            events: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, mut events: Vec<Event>) -> Self {
        events.append(&mut self.events);
        self.events = events;
        self
    }
}

/// Where the flow goes next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step {
    /// Return this challenge to the client.
    Challenge(Challenge),
    /// Run this trigger and resume the flow with its answer.
    RunTrigger(PendingTrigger),
    /// The user is signed in: mint tokens.
    Authenticated(Authenticated),
}

/// How a code is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryMedium {
    /// `SMS`.
    Sms,
    /// `EMAIL`.
    Email,
}

impl DeliveryMedium {
    /// The wire name (`CODE_DELIVERY_DELIVERY_MEDIUM`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Email => "EMAIL",
        }
    }
}

/// A one-time code to send: zeroized, redacted in `Debug`; single use (not `Clone`), not
/// comparable, not serializable.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    pub(crate) fn new(code: String) -> Self {
        Self(code)
    }

    /// The digits, for the message template's `{####}`.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(<redacted>)")
    }
}

/// A side effect the facade performs.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The password was verified: clear the user's failed-attempt count.
    PasswordVerified,
    /// Send `code` (SMS_MFA / EMAIL_OTP) with the pool's authentication message.
    SendCode {
        /// SMS or email.
        medium: DeliveryMedium,
        /// The phone number or address (unmasked).
        destination: String,
        /// The code.
        code: OneTimeCode,
    },
    /// A TOTP code of time step `step` was accepted: store it only if it is later than the
    /// stored one (one conditional update; if it fails, answer `CodeMismatchException`).
    TotpStepUsed {
        /// The accepted step.
        step: u64,
    },
    /// NEW_PASSWORD_REQUIRED set a password: store the verifier and the status.
    PasswordChanged {
        /// The new salt.
        salt: srp::Salt,
        /// The new verifier (encrypt at rest).
        verifier: Box<srp::Verifier>,
        /// The status after the change (`CONFIRMED`).
        status: UserStatus,
    },
    /// Attributes supplied with NEW_PASSWORD_REQUIRED, already validated.
    AttributesSet(Vec<Attribute>),
    /// VerifySoftwareToken during MFA_SETUP: store the secret as the user's verified token
    /// and enable software-token MFA.
    SoftwareTokenVerified {
        /// The secret (encrypt at rest).
        secret: TotpSecret,
        /// `FriendlyDeviceName`.
        friendly_name: Option<String>,
        /// The step accepted (replay refusal).
        step: u64,
    },
    /// A passkey signed in: store its new signature counter and backup state (one
    /// conditional update: if the stored counter moved meanwhile, refuse the sign-in).
    PasskeyUsed {
        /// The credential id.
        credential_id: Vec<u8>,
        /// The counter the assertion reported.
        sign_count: u32,
        /// The counter it replaces.
        previous_count: u32,
        /// BS, as reported.
        backed_up: bool,
    },
    /// A remembered device proved itself: update its last-authenticated time.
    DeviceAuthenticated {
        /// `DeviceKey`.
        device_key: String,
    },
}

/// A challenge to return: name, public parameters and the state to seal.
#[derive(Debug)]
pub struct Challenge {
    name: ChallengeName,
    parameters: BTreeMap<String, String>,
    available: Vec<&'static str>,
    envelope: SessionEnvelope,
}

/// A challenge as it goes on the wire. `Debug` leaves out `Session` and `SECRET_BLOCK`.
#[derive(Clone, PartialEq, Eq)]
pub struct ChallengeOutput {
    /// `ChallengeName`.
    pub name: &'static str,
    /// `ChallengeParameters`.
    pub parameters: BTreeMap<String, String>,
    /// `Session` (none with PASSWORD_VERIFIER, as Cognito answers).
    pub session: Option<String>,
    /// `AvailableChallenges` (SELECT_CHALLENGE only).
    pub available_challenges: Vec<&'static str>,
}

impl fmt::Debug for ChallengeOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let public: BTreeMap<&str, &str> = self
            .parameters
            .iter()
            .map(|(k, v)| {
                let v = if k == "SECRET_BLOCK" { "<redacted>" } else { v };
                (k.as_str(), v)
            })
            .collect();
        f.debug_struct("ChallengeOutput")
            .field("name", &self.name)
            .field("parameters", &public)
            .field("session", &self.session.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Challenge {
    pub(crate) fn new<R: CryptoRng + ?Sized>(
        name: ChallengeName,
        parameters: BTreeMap<String, String>,
        state: &FlowState,
        cx: &mut FlowContext<'_, R>,
    ) -> Self {
        let mut id = [0u8; 16];
        cx.rng.fill_bytes(&mut id);
        let envelope = SessionEnvelope {
            id,
            pool_id: cx.pool.id.as_str().to_owned(),
            client_id: cx.client.id.as_str().to_owned(),
            username: state.user().username.clone(),
            challenge: name,
            expires_at: cx.now.saturating_add(cx.session_seconds()),
            state: state.encode().to_vec(),
        };
        Self {
            name,
            parameters,
            available: Vec::new(),
            envelope,
        }
    }

    /// With `AvailableChallenges` (SELECT_CHALLENGE).
    pub(crate) fn with_available_names(mut self, available: Vec<&'static str>) -> Self {
        self.available = available;
        self
    }

    /// `AvailableChallenges`.
    pub fn available(&self) -> &[&'static str] {
        &self.available
    }

    /// The challenge.
    pub fn name(&self) -> ChallengeName {
        self.name
    }

    /// The public parameters (without `SECRET_BLOCK`, which [`Challenge::render`] adds).
    pub fn parameters(&self) -> &BTreeMap<String, String> {
        &self.parameters
    }

    /// The session's replay marker (store it as spent when the session is answered).
    pub fn session_id(&self) -> [u8; 16] {
        self.envelope.id
    }

    /// Unix second the session expires.
    pub fn expires_at(&self) -> i64 {
        self.envelope.expires_at
    }

    /// Seals the state with `seal` (AEAD under the pool's key, a fresh nonce each time) and
    /// places it: as `SECRET_BLOCK` for the SRP verifier steps (so clients that send no
    /// `Session`, like pycognito, still lead back to it) and as `Session` otherwise.
    pub fn render(self, seal: impl FnOnce(&[u8]) -> Vec<u8>) -> Result<ChallengeOutput> {
        let bytes = zeroize::Zeroizing::new(self.envelope.encode());
        let sealed = seal(&bytes);
        let session = URL_SAFE_NO_PAD.encode(&sealed);
        if session.len() < MIN_SESSION_LEN {
            return Err(FlowError::InvalidSession);
        }
        if session.len() > MAX_SESSION_LEN {
            return Err(FlowError::InvalidLambdaResponse(
                "The challenge state is too large for a session",
            ));
        }
        let mut parameters = self.parameters;
        let session = match self.name {
            ChallengeName::PasswordVerifier => {
                parameters.insert("SECRET_BLOCK".into(), STANDARD.encode(&sealed));
                None
            }
            ChallengeName::DevicePasswordVerifier => {
                parameters.insert("SECRET_BLOCK".into(), STANDARD.encode(&sealed));
                Some(session)
            }
            _ => Some(session),
        };
        Ok(ChallengeOutput {
            name: self.name.as_str(),
            parameters,
            session,
            available_challenges: self.available,
        })
    }
}

/// Where tokens come from (`triggerSource` of PreTokenGeneration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenSource {
    /// `TokenGeneration_Authentication`.
    Authentication,
    /// `TokenGeneration_NewPasswordChallenge`.
    NewPasswordChallenge,
    /// `TokenGeneration_AuthenticateDevice`.
    AuthenticateDevice,
    /// `TokenGeneration_RefreshTokens`.
    RefreshTokens,
}

impl TokenSource {
    /// The trigger source name.
    pub fn trigger_source(self) -> &'static str {
        match self {
            Self::Authentication => "TokenGeneration_Authentication",
            Self::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            Self::AuthenticateDevice => "TokenGeneration_AuthenticateDevice",
            Self::RefreshTokens => "TokenGeneration_RefreshTokens",
        }
    }
}

/// Proof that every required factor was checked. Only this crate makes one.
#[derive(Debug, PartialEq, Eq)]
struct Proof(());

/// A successful sign-in. Built only from a completed flow (or a checked refresh token).
#[derive(Debug, PartialEq, Eq)]
pub struct Authenticated {
    username: String,
    first: Option<FirstFactor>,
    second: Option<SecondFactor>,
    source: TokenSource,
    device_key: Option<String>,
    issue_new_device: bool,
    _proof: Proof,
}

impl Authenticated {
    /// Finishes a flow whose every step is done; anything missing is refused.
    pub(crate) fn from_progress(progress: Progress) -> Result<Self> {
        let device_done =
            !progress.device_tracking || progress.device_key.is_none() || progress.device_verified;
        if progress.user.phantom || progress.mfa == SecondFactor::Pending || !device_done {
            return Err(FlowError::InvalidSession);
        }
        let source = if progress.new_password {
            TokenSource::NewPasswordChallenge
        } else if progress.device_verified {
            TokenSource::AuthenticateDevice
        } else {
            TokenSource::Authentication
        };
        let used_device = progress.device_tracking && progress.device_verified;
        Ok(Self {
            username: progress.user.username,
            first: Some(progress.first),
            second: Some(progress.mfa),
            source,
            issue_new_device: progress.device_tracking && !used_device,
            device_key: progress.device_key.filter(|_| used_device),
            _proof: Proof(()),
        })
    }

    pub(crate) fn refreshed(username: String, device_key: Option<String>) -> Self {
        Self {
            username,
            first: None,
            second: None,
            source: TokenSource::RefreshTokens,
            device_key,
            issue_new_device: false,
            _proof: Proof(()),
        }
    }

    /// The internal username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// How the first factor was passed (`None` for a refresh).
    pub fn first_factor(&self) -> Option<FirstFactor> {
        self.first
    }

    /// How the second factor was settled (`None` for a refresh).
    pub fn second_factor(&self) -> Option<SecondFactor> {
        self.second
    }

    /// PreTokenGeneration's trigger source.
    pub fn token_source(&self) -> TokenSource {
        self.source
    }

    /// The remembered device that signed in (goes into the access token's `device_key`).
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// Whether to create a device and return `NewDeviceMetadata` (device tracking on, no
    /// remembered device used; never for admin flows).
    pub fn issue_new_device(&self) -> bool {
        self.issue_new_device
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static_assertions::assert_not_impl_any!(OneTimeCode: serde::Serialize, PartialEq, Clone);
    use crate::state::{MfaKind, UserRef};

    fn progress() -> Progress {
        Progress {
            user: UserRef {
                username: "alice".into(),
                login: "alice".into(),
                phantom: false,
            },
            first: FirstFactor::Srp,
            new_password: false,
            mfa: SecondFactor::Verified(MfaKind::Totp),
            device_key: None,
            device_verified: false,
            device_tracking: true,
        }
    }

    /// Success needs a settled second factor, a verified device when one was presented, and
    /// a real user.
    #[test]
    fn success_needs_every_proof() {
        let ok = Authenticated::from_progress(progress()).expect("complete");
        assert_eq!(ok.token_source(), TokenSource::Authentication);
        assert!(ok.issue_new_device());
        let pending = Progress {
            mfa: SecondFactor::Pending,
            ..progress()
        };
        assert_eq!(
            Authenticated::from_progress(pending),
            Err(FlowError::InvalidSession)
        );
        let unverified_device = Progress {
            device_key: Some("dev".into()),
            ..progress()
        };
        assert_eq!(
            Authenticated::from_progress(unverified_device),
            Err(FlowError::InvalidSession)
        );
        let mut phantom = progress();
        phantom.user.phantom = true;
        assert_eq!(
            Authenticated::from_progress(phantom),
            Err(FlowError::InvalidSession)
        );
        let device = Authenticated::from_progress(Progress {
            device_key: Some("dev".into()),
            device_verified: true,
            mfa: SecondFactor::RememberedDevice,
            ..progress()
        })
        .expect("device");
        assert_eq!(device.device_key(), Some("dev"));
        assert_eq!(device.token_source(), TokenSource::AuthenticateDevice);
        assert!(!device.issue_new_device());
    }

    #[test]
    fn codes_are_redacted() {
        let code = OneTimeCode::new("123456".into());
        assert_eq!(format!("{code:?}"), "OneTimeCode(<redacted>)");
        assert_eq!(code.expose_secret(), "123456");
    }
}
