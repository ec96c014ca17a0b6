//! Threat protection in sign-in: scoring before a credential is checked (block, or demand
//! MFA), the breached-password check of password sign-ins, and the auth event each finished
//! attempt leaves.

use auth_flow_state_machine::{FlowError, can_answer_mfa};
use user_pool_model::{FoldedUsername, UserStatus};
use userpool_risk::{
    AdvancedSecurityMode, AuthEvent, ChallengeName, ChallengeResponse, ChallengeResult, Decision,
    Enforcement, EventContextData, EventFilter, EventResponse, EventRisk, EventType,
};

use super::{Loaded, SignIn, SignInContext};
use crate::error::{Error, ErrorKind, Result};
use crate::threat::engine::{BLOCKED, StoredEvent};

/// What threat protection decided for this sign-in before it ran.
pub(crate) struct Screened {
    /// The screened user's key: the attempt's events are recorded under it.
    user: FoldedUsername,
    decision: Decision,
    compromised: bool,
}

impl SignIn {
    /// Scores the attempt of `loaded`'s user before a credential is checked: a `BLOCK`
    /// refuses it (and is recorded); `MFA_IF_CONFIGURED` / `MFA_REQUIRED` make the flow ask
    /// for a second factor. `custom`: a CUSTOM_AUTH sign-in (the additional flows' mode).
    pub(crate) async fn screen(
        &self,
        cx: &mut SignInContext<'_>,
        loaded: &Loaded,
        custom: bool,
    ) -> Result<()> {
        let mode = cx.pool.threat_protection.mode_for(custom);
        if mode == AdvancedSecurityMode::Off {
            return Ok(());
        }
        let key = cx.pool.case_rule.username_key(&loaded.user.username);
        let decision = self
            .core
            .assess(
                &cx.pool,
                cx.client.id.as_str(),
                &key,
                EventType::SignIn,
                &cx.origin,
                mode,
            )
            .await?;
        let can_mfa = can_answer_mfa(&loaded.account(), &cx.pool);
        let enforcement = decision.action.enforcement(can_mfa);
        let risk = decision.event_risk(false);
        cx.screened = Some(Screened {
            user: key.clone(),
            decision,
            compromised: false,
        });
        match enforcement {
            Enforcement::Block => {
                self.record(cx, &key, EventResponse::Fail, risk, None)
                    .await?;
                return Err(Error::new(ErrorKind::NotAuthorized, BLOCKED));
            }
            Enforcement::RequireMfa => cx.require_mfa = true,
            _ => {}
        }
        Ok(())
    }

    /// The breached-password check of a password sign-in: found and blocking, the sign-in
    /// ends in a reset if (and only if) the password turns out to be the user's.
    pub(crate) fn check_breached(&self, cx: &mut SignInContext<'_>, password: &str) {
        let found = match self.core.compromised(
            &cx.pool,
            cx.client.id.as_str(),
            EventFilter::SignIn,
            password,
        ) {
            Ok(found) => found,
            Err(_) => {
                cx.reset_if_correct = true;
                true
            }
        };
        if let Some(screened) = &mut cx.screened {
            screened.compromised = found;
        }
    }

    /// A correct password found in the breached list under `BLOCK`: the user must reset it
    /// (`RESET_REQUIRED`), and this sign-in fails as one of such a user does.
    pub(crate) async fn reset_compromised(
        &self,
        cx: &SignInContext<'_>,
        loaded: &Loaded,
    ) -> Result<Error> {
        self.core
            .modify_user(&cx.pool, loaded.user.clone(), |u| {
                u.status = UserStatus::ResetRequired;
                Ok(())
            })
            .await?;
        let key = cx.pool.case_rule.username_key(&loaded.user.username);
        let risk = EventRisk {
            compromised_credentials_detected: true,
            ..cx.screened
                .as_ref()
                .map_or(EventRisk::NONE, |s| s.decision.event_risk(true))
        };
        self.record(
            cx,
            &key,
            EventResponse::Fail,
            risk,
            Some(ChallengeResponse::Success),
        )
        .await?;
        Ok(cx.flow_error(&FlowError::PasswordResetRequired))
    }

    /// Records how an attempt under lockout key `key` ended (`passed`: tokens issued;
    /// otherwise a failure, `wrong_password` when the credential was wrong) and notes it for
    /// its address; a screened user's attempt is also recorded as that user's auth event (an
    /// unknown user's never is).
    pub(crate) async fn record_outcome(
        &self,
        cx: &SignInContext<'_>,
        key: &str,
        passed: bool,
        wrong_password: bool,
    ) -> Result<()> {
        self.core.risk.note(
            cx.pool.id.as_str(),
            cx.origin.ip,
            key,
            !passed,
            self.core.now(),
        );
        let Some(screened) = &cx.screened else {
            return Ok(());
        };
        let risk = screened.decision.event_risk(screened.compromised);
        let (response, password) = match (passed, wrong_password) {
            (true, _) => (EventResponse::Pass, Some(ChallengeResponse::Success)),
            (false, true) => (EventResponse::Fail, Some(ChallengeResponse::Failure)),
            (false, false) => (EventResponse::Fail, None),
        };
        self.record(cx, &screened.user, response, risk, password)
            .await
    }

    async fn record(
        &self,
        cx: &SignInContext<'_>,
        key: &FoldedUsername,
        response: EventResponse,
        risk: EventRisk,
        password: Option<ChallengeResponse>,
    ) -> Result<()> {
        let event = AuthEvent {
            event_id: self.core.entropy.uuid()?,
            event_type: EventType::SignIn,
            creation_date: self.core.now(),
            event_response: response,
            event_risk: risk,
            challenge_responses: password
                .map(|r| ChallengeResult {
                    challenge_name: ChallengeName::Password,
                    challenge_response: r,
                })
                .into_iter()
                .collect(),
            event_context_data: EventContextData {
                ip_address: cx.origin.ip,
                ..EventContextData::default()
            },
            event_feedback: None,
            device: cx.origin.device.clone(),
        };
        let notify = cx
            .screened
            .as_ref()
            .filter(|s| s.decision.notify)
            .map(|s| s.decision.action);
        let Some(action) = notify else {
            return self
                .core
                .record_event(&cx.pool, key, &StoredEvent::plain(event))
                .await;
        };
        let token = self.core.feedback_token()?;
        let stored = StoredEvent {
            event,
            feedback_token_sha256: Some(token.digest()),
        };
        self.core.record_event(&cx.pool, key, &stored).await?;
        let user = self.core.store().get_user(&cx.pool.id, key).await?;
        if let Some(user) = user {
            self.core
                .notify_takeover(
                    &cx.pool,
                    cx.client.id.as_str(),
                    &user,
                    &stored.event,
                    action,
                    &token,
                    &cx.caller(),
                )
                .await;
        }
        Ok(())
    }
}
