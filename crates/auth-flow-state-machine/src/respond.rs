//! RespondToAuthChallenge / AdminRespondToAuthChallenge (and AssociateSoftwareToken /
//! VerifySoftwareToken with a `Session`): find the sealed state, open it, check its bindings,
//! and hand the response to the state that waits for it.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand_core::CryptoRng;

use crate::answer::{ChallengeAnswer, ChallengeResponse};
use crate::context::{Account, FlowContext};
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::outcome::{Challenge, Transition};
use crate::session::{MIN_SESSION_LEN, SessionEnvelope};
use crate::state::{FlowState, UserRef};
use crate::totp::TotpSecret;

const MAX_SEALED_LEN: usize = 8192;

fn decode(text: &str, engine: &impl Engine) -> Result<Vec<u8>> {
    if text.len() < MIN_SESSION_LEN || text.len() > MAX_SEALED_LEN {
        return Err(FlowError::InvalidSession);
    }
    engine
        .decode(text.as_bytes())
        .map_err(|_| FlowError::InvalidSession)
}

/// The sealed bytes to open for an answer: `PASSWORD_CLAIM_SECRET_BLOCK` for the SRP
/// verifier steps (so that clients without `Session`, like pycognito, work, and so that the
/// block signed over is the one issued), `Session` otherwise.
pub fn sealed_state(answer: &ChallengeAnswer, session: Option<&str>) -> Result<Vec<u8>> {
    match answer.response.password_claim() {
        Some(claim) => decode(&claim.secret_block, &STANDARD),
        None => sealed_session(session.ok_or(FlowError::InvalidSession)?),
    }
}

/// The sealed state of a `Session`, for AssociateSoftwareToken / VerifySoftwareToken.
pub fn sealed_session(session: &str) -> Result<Vec<u8>> {
    decode(session, &URL_SAFE_NO_PAD)
}

/// A pending step, opened and checked against the pool, client and clock.
#[derive(Debug)]
pub struct PendingChallenge {
    id: [u8; 16],
    challenge: ChallengeName,
    state: FlowState,
}

impl PendingChallenge {
    /// Reads the unsealed envelope and checks it is for this pool and client and not expired.
    pub fn open<R: ?Sized>(unsealed: &[u8], cx: &FlowContext<'_, R>) -> Result<Self> {
        let envelope = SessionEnvelope::decode(unsealed)?;
        if envelope.pool_id != cx.pool.id.as_str() || envelope.client_id != cx.client.id.as_str() {
            return Err(FlowError::InvalidSession);
        }
        if cx.now > envelope.expires_at {
            return Err(FlowError::SessionExpired);
        }
        let state = FlowState::decode(&envelope.state)?;
        if state.challenge() != envelope.challenge || state.user().username != envelope.username {
            return Err(FlowError::InvalidSession);
        }
        Ok(Self {
            id: envelope.id,
            challenge: envelope.challenge,
            state,
        })
    }

    /// The replay marker: the facade spends it (atomically, once) when the response is
    /// answered, unless [`FlowError::keeps_session`] says the session may be retried.
    pub fn session_id(&self) -> [u8; 16] {
        self.id
    }

    /// The challenge the session waits for.
    pub fn challenge(&self) -> ChallengeName {
        self.challenge
    }

    /// The internal username to load.
    pub fn username(&self) -> &str {
        &self.state.user().username
    }

    /// The remembered device the flow carries (decrypt its verifier into the account).
    pub fn device_key(&self) -> Option<&str> {
        self.state.device_key()
    }

    /// Whether the session is for a user that does not exist (load nothing).
    pub fn user_not_found(&self) -> bool {
        self.state.user().phantom
    }

    /// What the user typed at InitiateAuth (the key an unknown user's failures are counted
    /// under, so that phantoms lock out like users).
    pub fn login(&self) -> &str {
        &self.state.user().login
    }

    fn account<'a, 'b>(
        user: &UserRef,
        account: Option<&'a Account<'b>>,
    ) -> Result<&'a Account<'b>> {
        let account = account
            .filter(|_| !user.phantom)
            .ok_or(FlowError::IncorrectCredentials { counts: false })?;
        if account.user.username != user.username {
            return Err(FlowError::OtherUser);
        }
        Ok(account)
    }

    /// Answers the pending challenge with `answer` (already read from the wire, see
    /// [`ChallengeAnswer::from_wire`]). `session_failures` counts wrong codes already sent with
    /// this session (the facade keeps it next to the replay marker).
    pub fn respond<R: CryptoRng + ?Sized>(
        self,
        answer: ChallengeAnswer,
        account: Option<&Account<'_>>,
        session_failures: u32,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let got = answer.challenge();
        if got != self.challenge {
            return Err(FlowError::WrongStep {
                expected: self.challenge,
                got,
            });
        }
        if session_failures >= cx.settings.max_code_attempts {
            return Err(FlowError::CodeAttemptsExceeded);
        }
        if !self.state.user().answers_to(&answer.username) {
            return Err(FlowError::OtherUser);
        }
        let response = answer.response;
        // The password claim is checked for real and phantom users alike (before anything
        // else about the account is looked at, so the two cost the same).
        // So are USER_AUTH's first factors: unknown users get the same steps and answers.
        let state = match (self.state, response) {
            (FlowState::PasswordVerifier(state), ChallengeResponse::PasswordVerifier(claim)) => {
                return state.respond(&claim, account, cx);
            }
            (FlowState::SelectChallenge(state), ChallengeResponse::SelectChallenge(choice)) => {
                return state.respond(choice, account, cx);
            }
            (
                FlowState::FirstOtp(state),
                ChallengeResponse::EmailOtp { code } | ChallengeResponse::SmsOtp { code },
            ) => return state.respond(&code, account, cx),
            (FlowState::WebAuthn(state), ChallengeResponse::WebAuthn { credential }) => {
                return state.respond(&credential, account, cx);
            }
            other => other,
        };
        let account = Self::account(state.0.user(), account)?;
        if !account.user.enabled {
            return Err(FlowError::UserDisabled);
        }
        match state {
            (
                FlowState::NewPassword(state),
                ChallengeResponse::NewPasswordRequired {
                    new_password,
                    attributes,
                },
            ) => state.respond(new_password, attributes, account, cx),
            (FlowState::MfaSelection(state), ChallengeResponse::SelectMfaType { choice }) => {
                state.respond(choice, account, cx)
            }
            (
                FlowState::MfaCode(state),
                ChallengeResponse::SmsMfa { code } | ChallengeResponse::EmailOtp { code },
            ) => state.respond(&code, account, cx),
            (FlowState::SoftwareToken(state), ChallengeResponse::SoftwareTokenMfa { code }) => {
                state.respond(&code, account, cx)
            }
            (FlowState::TokenAssociation(_) | FlowState::TokenVerification(_), _) => {
                Err(FlowError::InvalidParameter(
                    "Software token MFA is not set up yet: call AssociateSoftwareToken and VerifySoftwareToken with this session first",
                ))
            }
            (FlowState::MfaSetupAnswer(state), ChallengeResponse::MfaSetup) => {
                state.respond(account, cx)
            }
            (
                FlowState::DeviceSrp(state),
                ChallengeResponse::DeviceSrpAuth { device_key, srp_a },
            ) => state.respond(&device_key, &srp_a, account, cx),
            (
                FlowState::DevicePasswordVerifier(state),
                ChallengeResponse::DevicePasswordVerifier { claim, device_key },
            ) => state.respond(&claim, device_key.as_deref(), account, cx),
            (FlowState::CustomAnswer(state), ChallengeResponse::CustomChallenge { answer }) => {
                state.respond(answer)
            }
            (state, response) => Err(FlowError::WrongStep {
                expected: state.challenge(),
                got: response.challenge(),
            }),
        }
    }

    /// AssociateSoftwareToken with an `MFA_SETUP` session: the secret to show (`SecretCode`)
    /// and the challenge whose session VerifySoftwareToken must bring.
    pub fn associate_software_token<R: CryptoRng + ?Sized>(
        self,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<(TotpSecret, Challenge)> {
        match self.state {
            FlowState::TokenAssociation(state) => Ok(state.associate(cx)),
            other => Err(Self::not_setup(&other)),
        }
    }

    /// VerifySoftwareToken with the session AssociateSoftwareToken returned.
    pub fn verify_software_token<R: CryptoRng + ?Sized>(
        self,
        code: &str,
        friendly_name: Option<String>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        match self.state {
            FlowState::TokenVerification(state) => state.verify(code, friendly_name, cx),
            other => Err(Self::not_setup(&other)),
        }
    }

    fn not_setup(state: &FlowState) -> FlowError {
        match state.challenge() {
            ChallengeName::MfaSetup => FlowError::InvalidSession,
            expected => FlowError::WrongStep {
                expected,
                got: ChallengeName::MfaSetup,
            },
        }
    }
}
