//! The waiting states that cross requests, and their versioned serialised form (the `state`
//! bytes of a [`SessionEnvelope`](crate::SessionEnvelope), sealed by the facade).
//!
//! One struct per waiting point; [`FlowState`] is the enum used for dispatch and persistence.

use std::collections::BTreeMap;

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{FlowError, Result as FlowResult};
use crate::flows::ChallengeName;

const STATE_VERSION: u8 = 1;

/// Secret bytes inside a state (an SRP ephemeral, a TOTP seed, a code digest): standard
/// Base64 in the serialised form (compact, unlike JSON arrays), redacted in `Debug`, zeroized
/// on drop, compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Secret(Vec<u8>);

impl Secret {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    pub(crate) fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for Secret {}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        STANDARD
            .decode(text.as_bytes())
            .map(Self)
            .map_err(serde::de::Error::custom)
    }
}

/// Who a pending flow is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UserRef {
    /// The internal username (`USER_ID_FOR_SRP`).
    pub(crate) username: String,
    /// What the user typed at InitiateAuth (an alias, an email…); also accepted as `USERNAME`.
    pub(crate) login: String,
    /// An unknown user hidden by PreventUserExistenceErrors: never succeeds.
    pub(crate) phantom: bool,
}

impl UserRef {
    /// Whether a response's `USERNAME` names this user.
    pub(crate) fn answers_to(&self, username: &str) -> bool {
        username == self.username || username == self.login
    }
}

/// How the first factor was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirstFactor {
    /// `USER_SRP_AUTH` (or SRP inside `CUSTOM_AUTH`).
    Srp,
    /// `USER_PASSWORD_AUTH` / `ADMIN_USER_PASSWORD_AUTH`.
    Password,
    /// `CUSTOM_AUTH`: DefineAuthChallenge issued tokens.
    Custom,
    /// `USER_AUTH` with a code sent by email (`EMAIL_OTP`).
    EmailOtp,
    /// `USER_AUTH` with a code sent by SMS (`SMS_OTP`).
    SmsOtp,
    /// `USER_AUTH` with a passkey (`WEB_AUTHN`).
    WebAuthn,
}

/// Where the second factor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactor {
    /// Not decided yet.
    Pending,
    /// The pool and user need none.
    NotRequired,
    /// A code was verified.
    Verified(MfaKind),
    /// A remembered device stands in for MFA (its SRP proof is still required).
    RememberedDevice,
}

/// The MFA factors a challenge can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaKind {
    /// `SMS_MFA`.
    Sms,
    /// `EMAIL_OTP`.
    Email,
    /// `SOFTWARE_TOKEN_MFA`.
    Totp,
}

impl MfaKind {
    pub(crate) fn challenge(self) -> ChallengeName {
        match self {
            Self::Sms => ChallengeName::SmsMfa,
            Self::Email => ChallengeName::EmailOtp,
            Self::Totp => ChallengeName::SoftwareTokenMfa,
        }
    }

    /// Parses `SELECT_MFA_TYPE`'s `ANSWER` (`EMAIL_MFA` is the API reference's spelling).
    pub(crate) fn parse_answer(answer: &str) -> Option<Self> {
        match answer {
            "SMS_MFA" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::Totp),
            "EMAIL_OTP" | "EMAIL_MFA" => Some(Self::Email),
            _ => None,
        }
    }
}

/// What a flow has proven so far, after its first factor. Only made by first-factor success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Progress {
    pub(crate) user: UserRef,
    pub(crate) first: FirstFactor,
    /// NEW_PASSWORD_REQUIRED was answered in this flow.
    pub(crate) new_password: bool,
    pub(crate) mfa: SecondFactor,
    /// `DEVICE_KEY` the client presented (device tracking on, non-admin flow).
    pub(crate) device_key: Option<String>,
    pub(crate) device_verified: bool,
    /// Device tracking applies (pool has it on and the flow is not an admin flow).
    pub(crate) device_tracking: bool,
}

/// A step of a custom-auth session, as DefineAuthChallenge sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRecord {
    /// `SRP_A`, `PASSWORD_VERIFIER`, `CUSTOM_CHALLENGE`.
    pub challenge_name: String,
    /// Whether it was passed.
    pub challenge_result: bool,
    /// CreateAuthChallenge's `challengeMetadata`.
    pub challenge_metadata: Option<String>,
}

/// The custom-auth loop's memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CustomProgress {
    pub(crate) user: UserRef,
    pub(crate) history: Vec<ChallengeRecord>,
    /// The SRP handshake started by `SRP_A`, until DefineAuthChallenge asks for the verifier.
    #[serde(default)]
    pub(crate) srp: Option<Secret>,
    pub(crate) device_key: Option<String>,
    pub(crate) device_tracking: bool,
}

/// Waiting for `PASSWORD_VERIFIER` (USER_SRP_AUTH, or SRP inside CUSTOM_AUTH).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitPasswordVerifier {
    pub(crate) user: UserRef,
    /// `srp::ServerHandshake::to_bytes`.
    pub(crate) handshake: Secret,
    pub(crate) device_key: Option<String>,
    pub(crate) device_tracking: bool,
    /// Set inside CUSTOM_AUTH: after the proof, DefineAuthChallenge runs again.
    pub(crate) custom: Option<Vec<ChallengeRecord>>,
}

/// Waiting for `NEW_PASSWORD_REQUIRED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitNewPassword {
    pub(crate) progress: Progress,
}

/// Waiting for `SELECT_MFA_TYPE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitMfaSelection {
    pub(crate) progress: Progress,
    pub(crate) choices: Vec<MfaKind>,
}

/// Waiting for `SMS_MFA` / `EMAIL_OTP` with the code that was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitMfaCode {
    pub(crate) progress: Progress,
    pub(crate) kind: MfaKind,
    /// SHA-256 of the code that was sent.
    pub(crate) code_digest: Secret,
}

/// Waiting for `SOFTWARE_TOKEN_MFA`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitSoftwareToken {
    pub(crate) progress: Progress,
}

/// `MFA_SETUP` issued: waiting for AssociateSoftwareToken with this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitTokenAssociation {
    pub(crate) progress: Progress,
}

/// Secret associated: waiting for VerifySoftwareToken with this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitTokenVerification {
    pub(crate) progress: Progress,
    pub(crate) secret: Secret,
}

/// Token verified: waiting for the `MFA_SETUP` answer with this session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitMfaSetupAnswer {
    pub(crate) progress: Progress,
}

/// Waiting for `DEVICE_SRP_AUTH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitDeviceSrp {
    pub(crate) progress: Progress,
}

/// Waiting for `DEVICE_PASSWORD_VERIFIER`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitDevicePasswordVerifier {
    pub(crate) progress: Progress,
    pub(crate) handshake: Secret,
}

/// Waiting for the `ANSWER` to a `CUSTOM_CHALLENGE`. `privateChallengeParameters` usually
/// hold the expected answer, so `Debug` leaves them out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitCustomAnswer {
    pub(crate) custom: CustomProgress,
    pub(crate) private_parameters: BTreeMap<String, String>,
    pub(crate) metadata: Option<String>,
}

impl fmt::Debug for AwaitCustomAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwaitCustomAnswer")
            .field("custom", &self.custom)
            .field("metadata", &self.metadata)
            .finish_non_exhaustive()
    }
}

/// Who a USER_AUTH flow is for, before its first factor: the user and the device the client
/// presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Start {
    pub(crate) user: UserRef,
    pub(crate) device_key: Option<String>,
    pub(crate) device_tracking: bool,
}

/// Waiting for `SELECT_CHALLENGE`: one of `available`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitSelectChallenge {
    pub(crate) start: Start,
    pub(crate) available: Vec<ChallengeName>,
}

/// Waiting for `EMAIL_OTP` / `SMS_OTP` as a first factor, with the code that was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitFirstOtp {
    pub(crate) start: Start,
    /// `Email` or `Sms`.
    pub(crate) kind: MfaKind,
    /// SHA-256 of the code that was sent (none for an unknown user: nothing was sent).
    pub(crate) code_digest: Secret,
}

/// Waiting for `WEB_AUTHN`: an assertion over `challenge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AwaitWebAuthn {
    pub(crate) start: Start,
    pub(crate) challenge: Secret,
}

/// Every state a `Session` can carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step")]
pub(crate) enum FlowState {
    PasswordVerifier(AwaitPasswordVerifier),
    NewPassword(AwaitNewPassword),
    MfaSelection(AwaitMfaSelection),
    MfaCode(AwaitMfaCode),
    SoftwareToken(AwaitSoftwareToken),
    TokenAssociation(AwaitTokenAssociation),
    TokenVerification(AwaitTokenVerification),
    MfaSetupAnswer(AwaitMfaSetupAnswer),
    DeviceSrp(AwaitDeviceSrp),
    DevicePasswordVerifier(AwaitDevicePasswordVerifier),
    CustomAnswer(AwaitCustomAnswer),
    SelectChallenge(AwaitSelectChallenge),
    FirstOtp(AwaitFirstOtp),
    WebAuthn(AwaitWebAuthn),
}

impl FlowState {
    /// The challenge a response to this state must name.
    pub(crate) fn challenge(&self) -> ChallengeName {
        match self {
            Self::PasswordVerifier(_) => ChallengeName::PasswordVerifier,
            Self::NewPassword(_) => ChallengeName::NewPasswordRequired,
            Self::MfaSelection(_) => ChallengeName::SelectMfaType,
            Self::MfaCode(s) => s.kind.challenge(),
            Self::SoftwareToken(_) => ChallengeName::SoftwareTokenMfa,
            Self::TokenAssociation(_) | Self::TokenVerification(_) | Self::MfaSetupAnswer(_) => {
                ChallengeName::MfaSetup
            }
            Self::DeviceSrp(_) => ChallengeName::DeviceSrpAuth,
            Self::DevicePasswordVerifier(_) => ChallengeName::DevicePasswordVerifier,
            Self::CustomAnswer(_) => ChallengeName::CustomChallenge,
            Self::SelectChallenge(_) => ChallengeName::SelectChallenge,
            Self::FirstOtp(s) if s.kind == MfaKind::Sms => ChallengeName::SmsOtp,
            Self::FirstOtp(_) => ChallengeName::EmailOtp,
            Self::WebAuthn(_) => ChallengeName::WebAuthn,
        }
    }

    /// The user the state is for, and the `DEVICE_KEY` the flow carries.
    fn bindings(&self) -> (&UserRef, Option<&String>) {
        match self {
            Self::PasswordVerifier(s) => (&s.user, s.device_key.as_ref()),
            Self::CustomAnswer(s) => (&s.custom.user, s.custom.device_key.as_ref()),
            Self::SelectChallenge(AwaitSelectChallenge { start, .. })
            | Self::FirstOtp(AwaitFirstOtp { start, .. })
            | Self::WebAuthn(AwaitWebAuthn { start, .. }) => {
                (&start.user, start.device_key.as_ref())
            }
            Self::NewPassword(AwaitNewPassword { progress })
            | Self::MfaSelection(AwaitMfaSelection { progress, .. })
            | Self::MfaCode(AwaitMfaCode { progress, .. })
            | Self::SoftwareToken(AwaitSoftwareToken { progress })
            | Self::TokenAssociation(AwaitTokenAssociation { progress })
            | Self::TokenVerification(AwaitTokenVerification { progress, .. })
            | Self::MfaSetupAnswer(AwaitMfaSetupAnswer { progress })
            | Self::DeviceSrp(AwaitDeviceSrp { progress })
            | Self::DevicePasswordVerifier(AwaitDevicePasswordVerifier { progress, .. }) => {
                (&progress.user, progress.device_key.as_ref())
            }
        }
    }

    /// The user the state is for.
    pub(crate) fn user(&self) -> &UserRef {
        self.bindings().0
    }

    /// The `DEVICE_KEY` the flow carries, if any.
    pub(crate) fn device_key(&self) -> Option<&str> {
        self.bindings().1.map(String::as_str)
    }

    /// Version byte, then JSON. The result holds secrets; it is zeroized on drop.
    pub(crate) fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(vec![STATE_VERSION]);
        // Serialising plain data to a Vec cannot fail.
        if let Ok(json) = serde_json::to_vec(self) {
            let json = Zeroizing::new(json);
            out.extend_from_slice(&json);
        }
        out
    }

    /// Reads [`FlowState::encode`]'s output; anything else is [`FlowError::InvalidSession`].
    pub(crate) fn decode(bytes: &[u8]) -> FlowResult<Self> {
        match bytes.split_first() {
            Some((&STATE_VERSION, json)) => {
                serde_json::from_slice(json).map_err(|_| FlowError::InvalidSession)
            }
            _ => Err(FlowError::InvalidSession),
        }
    }
}
