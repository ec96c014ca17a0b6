//! `CUSTOM_AUTH`: the DefineAuthChallenge → CreateAuthChallenge → answer →
//! VerifyAuthChallengeResponse loop, with the session history Cognito hands the triggers.
//!
//! The facade runs each trigger (the `custom-auth-triggers` crate maps these inputs and outputs
//! to the Lambda event shapes) and resumes the flow with what it answered.

use std::collections::BTreeMap;
use std::fmt;

use rand_core::CryptoRng;

use crate::context::{Account, FlowContext, MAX_CUSTOM_ROUNDS};
use crate::continuation::after_first_factor;
use crate::error::{FlowError, Result};
use crate::flows::ChallengeName;
use crate::initiate::{credentials, password_verifier_challenge};
use crate::outcome::{Challenge, Step, Transition};
use crate::phantom::Phantom;
use crate::state::{
    AwaitCustomAnswer, AwaitPasswordVerifier, ChallengeRecord, CustomProgress, FirstFactor,
    FlowState, Progress, SecondFactor,
};

pub(crate) fn record(name: &str, result: bool, metadata: Option<String>) -> ChallengeRecord {
    ChallengeRecord {
        challenge_name: name.to_owned(),
        challenge_result: result,
        challenge_metadata: metadata,
    }
}

/// A trigger the facade must run before the flow can go on.
#[derive(Debug)]
#[non_exhaustive]
pub enum PendingTrigger {
    /// DefineAuthChallenge.
    DefineAuthChallenge(PendingDefine),
    /// CreateAuthChallenge.
    CreateAuthChallenge(PendingCreate),
    /// VerifyAuthChallengeResponse.
    VerifyAuthChallengeResponse(PendingVerify),
}

impl PendingTrigger {
    pub(crate) fn define(progress: CustomProgress) -> Self {
        Self::DefineAuthChallenge(PendingDefine { progress })
    }
}

/// What DefineAuthChallenge answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefineDecision {
    /// `challengeName`: `CUSTOM_CHALLENGE` or (after `SRP_A`) `PASSWORD_VERIFIER`.
    pub challenge_name: Option<String>,
    /// `issueTokens`.
    pub issue_tokens: bool,
    /// `failAuthentication`.
    pub fail_authentication: bool,
}

/// What CreateAuthChallenge answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreatedChallenge {
    /// `publicChallengeParameters`: returned as `ChallengeParameters`.
    pub public_parameters: BTreeMap<String, String>,
    /// `privateChallengeParameters`: kept sealed for VerifyAuthChallengeResponse.
    pub private_parameters: BTreeMap<String, String>,
    /// `challengeMetadata`: recorded in the session history.
    pub metadata: Option<String>,
}

/// Waiting for DefineAuthChallenge.
#[derive(Debug)]
pub struct PendingDefine {
    progress: CustomProgress,
}

/// Waiting for CreateAuthChallenge.
#[derive(Debug)]
pub struct PendingCreate {
    progress: CustomProgress,
}

/// Waiting for VerifyAuthChallengeResponse. `Debug` leaves out the answer and the private
/// parameters.
pub struct PendingVerify {
    state: AwaitCustomAnswer,
    answer: String,
}

impl fmt::Debug for PendingVerify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingVerify")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

fn user_not_found(progress: &CustomProgress) -> bool {
    progress.user.phantom
}

impl PendingDefine {
    /// The trigger's `session`.
    pub fn session(&self) -> &[ChallengeRecord] {
        &self.progress.history
    }

    /// `userNotFound` (PreventUserExistenceErrors hides a missing user).
    pub fn user_not_found(&self) -> bool {
        user_not_found(&self.progress)
    }

    /// The internal username (or the phantom's).
    pub fn username(&self) -> &str {
        &self.progress.user.username
    }

    /// Goes on with DefineAuthChallenge's decision. `account` is the user (None for a phantom).
    pub fn resume<R: CryptoRng + ?Sized>(
        self,
        decision: DefineDecision,
        account: Option<&Account<'_>>,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let progress = self.progress;
        if decision.fail_authentication || progress.history.len() >= MAX_CUSTOM_ROUNDS {
            return Err(FlowError::IncorrectCredentials { counts: false });
        }
        let account = account.filter(|_| !progress.user.phantom);
        if decision.issue_tokens {
            let Some(account) = account else {
                return Err(FlowError::IncorrectCredentials { counts: false });
            };
            let next = Progress {
                user: progress.user,
                first: FirstFactor::Custom,
                new_password: false,
                mfa: SecondFactor::Pending,
                device_key: progress.device_key,
                device_verified: false,
                device_tracking: progress.device_tracking,
            };
            return after_first_factor(next, account, cx);
        }
        match decision.challenge_name.as_deref() {
            Some("CUSTOM_CHALLENGE") => Ok(Transition::new(Step::RunTrigger(
                PendingTrigger::CreateAuthChallenge(PendingCreate { progress }),
            ))),
            Some("PASSWORD_VERIFIER") => {
                let Some(handshake) = progress.srp.clone() else {
                    return Err(FlowError::InvalidLambdaResponse(
                        "PASSWORD_VERIFIER requires SRP_A in the InitiateAuth request",
                    ));
                };
                let srp_b = srp::ServerHandshake::from_bytes(handshake.expose_secret())
                    .map_err(|_| FlowError::InvalidSession)?
                    .srp_b();
                let salt = match account {
                    Some(account) => credentials(account, cx).0,
                    None => Phantom::for_login(cx, &progress.user.login).salt,
                };
                let state = AwaitPasswordVerifier {
                    user: progress.user,
                    handshake,
                    device_key: progress.device_key,
                    device_tracking: progress.device_tracking,
                    custom: Some(progress.history),
                };
                Ok(password_verifier_challenge(state, &salt, srp_b, cx))
            }
            _ => Err(FlowError::InvalidLambdaResponse(
                "Unrecognizable lambda output",
            )),
        }
    }
}

impl PendingCreate {
    /// The trigger's `challengeName` (always `CUSTOM_CHALLENGE`).
    pub fn challenge_name(&self) -> &'static str {
        ChallengeName::CustomChallenge.as_str()
    }

    /// The trigger's `session`.
    pub fn session(&self) -> &[ChallengeRecord] {
        &self.progress.history
    }

    /// `userNotFound`.
    pub fn user_not_found(&self) -> bool {
        user_not_found(&self.progress)
    }

    /// The internal username (or the phantom's).
    pub fn username(&self) -> &str {
        &self.progress.user.username
    }

    /// Issues the `CUSTOM_CHALLENGE` CreateAuthChallenge built.
    pub fn resume<R: CryptoRng + ?Sized>(
        self,
        created: CreatedChallenge,
        cx: &mut FlowContext<'_, R>,
    ) -> Result<Transition> {
        let mut parameters = created.public_parameters;
        parameters.insert("USERNAME".into(), self.progress.user.username.clone());
        let state = FlowState::CustomAnswer(AwaitCustomAnswer {
            custom: self.progress,
            private_parameters: created.private_parameters,
            metadata: created.metadata,
        });
        Ok(Transition::new(Step::Challenge(Challenge::new(
            ChallengeName::CustomChallenge,
            parameters,
            &state,
            cx,
        ))))
    }
}

impl AwaitCustomAnswer {
    /// `ANSWER`: VerifyAuthChallengeResponse decides.
    pub(crate) fn respond(self, answer: String) -> Result<Transition> {
        Ok(Transition::new(Step::RunTrigger(
            PendingTrigger::VerifyAuthChallengeResponse(PendingVerify {
                state: self,
                answer,
            }),
        )))
    }
}

impl PendingVerify {
    /// `privateChallengeParameters` from CreateAuthChallenge.
    pub fn private_parameters(&self) -> &BTreeMap<String, String> {
        &self.state.private_parameters
    }

    /// `challengeAnswer`.
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// `userNotFound`.
    pub fn user_not_found(&self) -> bool {
        user_not_found(&self.state.custom)
    }

    /// The internal username (or the phantom's).
    pub fn username(&self) -> &str {
        &self.state.custom.user.username
    }

    /// Records the verdict and runs DefineAuthChallenge again.
    pub fn resume(self, answer_correct: bool) -> Transition {
        let mut progress = self.state.custom;
        progress.history.push(record(
            ChallengeName::CustomChallenge.as_str(),
            answer_correct,
            self.state.metadata,
        ));
        Transition::new(Step::RunTrigger(PendingTrigger::define(progress)))
    }
}
