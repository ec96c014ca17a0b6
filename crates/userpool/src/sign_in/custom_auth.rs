//! The custom-auth triggers in a sign-in: DefineAuthChallenge, CreateAuthChallenge and
//! VerifyAuthChallengeResponse run with the engine's session history, and their answers
//! resume the engine.

use auth_flow_state_machine::{
    Account, ChallengeRecord, CreatedChallenge, DefineDecision, FlowError, PendingTrigger,
    Transition,
};
use custom_auth_triggers::events::{
    ChallengeResult, CreateAuthChallengeRequest, DefineAuthChallengeRequest,
    VerifyAuthChallengeRequest,
};
use custom_auth_triggers::{
    CreateAuthChallenge, DefineAuthChallenge, TriggerSource, VerifyAuthChallengeResponse,
};

use crate::core::internal;
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::trigger_attributes;
use crate::sign_in::SignIn;
use crate::sign_in::SignInContext;

fn records_to_results(records: &[ChallengeRecord]) -> Vec<ChallengeResult> {
    records
        .iter()
        .map(|r| ChallengeResult {
            challenge_name: r.challenge_name.clone(),
            challenge_result: r.challenge_result,
            challenge_metadata: r.challenge_metadata.clone(),
        })
        .collect()
}

impl SignIn {
    /// Runs one custom-auth trigger and resumes the engine with its answer.
    pub(crate) async fn custom_trigger(
        &self,
        cx: &SignInContext<'_>,
        trigger: PendingTrigger,
        username: Option<&str>,
    ) -> Result<std::result::Result<Transition, FlowError>> {
        let user = match username {
            Some(name) => {
                self.core
                    .store()
                    .get_user(&cx.pool.id, &cx.pool.case_rule.username_key(name))
                    .await?
            }
            None => None,
        };
        let attributes = user.as_ref().map(trigger_attributes).unwrap_or_default();
        let caller = cx.caller();
        let unconfigured = || {
            Error::new(
                ErrorKind::NotAuthorized,
                "Custom auth lambda trigger is not configured for the user pool.",
            )
        };
        match trigger {
            PendingTrigger::DefineAuthChallenge(define) => {
                let name = define.username().to_owned();
                let request = DefineAuthChallengeRequest {
                    user_attributes: attributes,
                    session: records_to_results(define.session()),
                    user_not_found: define.user_not_found().then_some(true),
                    client_metadata: caller.metadata(),
                };
                let response = self
                    .core
                    .run_trigger::<DefineAuthChallenge>(
                        &cx.pool,
                        TriggerSource::DefineAuthChallengeAuthentication,
                        &name,
                        &caller,
                        request,
                    )
                    .await?
                    .ok_or_else(unconfigured)?;
                let decision = DefineDecision {
                    challenge_name: response.challenge_name,
                    issue_tokens: response.issue_tokens,
                    fail_authentication: response.fail_authentication,
                };
                let account = user.as_ref().map(Account::new);
                Ok(self.with_flow(cx, |flow| define.resume(decision, account.as_ref(), flow))?)
            }
            PendingTrigger::CreateAuthChallenge(create) => {
                let name = create.username().to_owned();
                let request = CreateAuthChallengeRequest {
                    user_attributes: attributes,
                    challenge_name: create.challenge_name().to_owned(),
                    session: records_to_results(create.session()),
                    user_not_found: create.user_not_found().then_some(true),
                    client_metadata: caller.metadata(),
                };
                let response = self
                    .core
                    .run_trigger::<CreateAuthChallenge>(
                        &cx.pool,
                        TriggerSource::CreateAuthChallengeAuthentication,
                        &name,
                        &caller,
                        request,
                    )
                    .await?
                    .ok_or_else(unconfigured)?;
                let created = CreatedChallenge {
                    public_parameters: response.public_challenge_parameters.clone(),
                    private_parameters: response.private_challenge_parameters.clone(),
                    metadata: response.challenge_metadata,
                };
                Ok(self.with_flow(cx, |flow| create.resume(created, flow))?)
            }
            PendingTrigger::VerifyAuthChallengeResponse(verify) => {
                let name = verify.username().to_owned();
                let request = VerifyAuthChallengeRequest {
                    user_attributes: attributes,
                    private_challenge_parameters: verify.private_parameters().clone(),
                    challenge_answer: verify.answer().to_owned(),
                    user_not_found: verify.user_not_found().then_some(true),
                    client_metadata: caller.metadata(),
                };
                let response = self
                    .core
                    .run_trigger::<VerifyAuthChallengeResponse>(
                        &cx.pool,
                        TriggerSource::VerifyAuthChallengeResponseAuthentication,
                        &name,
                        &caller,
                        request,
                    )
                    .await?
                    .ok_or_else(unconfigured)?;
                Ok(Ok(verify.resume(response.answer_correct)))
            }
            _ => Err(internal()),
        }
    }
}
