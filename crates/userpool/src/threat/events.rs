//! AdminListUserAuthEvents and AdminUpdateAuthEventFeedback: a user's auth events in
//! Cognito's shape, and the feedback that teaches the scorer (`Valid` lowers the risk of what
//! the event came from, `Invalid` raises it); UpdateAuthEventFeedback is the same verdict from
//! the end user, through the one-click links of an account-takeover notification.

use userpool_risk::{AuthEvent, EventFeedback, FeedbackValue};
use userpool_store::paging::DEFAULT_PAGE_SIZE;

use super::engine::StoredEvent;
use super::notify::token_matches;
use super::{ThreatProtection, require_enabled};
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

fn to_wire(e: &AuthEvent) -> AuthEventType {
    let context = &e.event_context_data;
    AuthEventType {
        event_id: e.event_id.clone(),
        event_type: e.event_type.as_str().into(),
        creation_date: e.creation_date as f64,
        event_response: e.event_response.as_str().into(),
        event_risk: EventRiskType {
            risk_decision: e.event_risk.risk_decision.as_str().into(),
            risk_level: e.event_risk.risk_level.map(|l| l.as_str().into()),
            compromised_credentials_detected: e.event_risk.compromised_credentials_detected,
        },
        challenge_responses: e
            .challenge_responses
            .iter()
            .map(|c| ChallengeResponseType {
                challenge_name: c.challenge_name.as_str().into(),
                challenge_response: c.challenge_response.as_str().into(),
            })
            .collect(),
        event_context_data: Some(EventContextDataType {
            ip_address: context.ip_address.map(|ip| ip.to_string()),
            device_name: context.device_name.clone(),
            timezone: context.timezone.clone(),
            city: context.city.clone(),
            country: context.country.clone(),
        }),
        event_feedback: e.event_feedback.as_ref().map(|f| EventFeedbackType {
            feedback_value: f.feedback_value.as_str().into(),
            provider: f.provider.clone(),
            feedback_date: f.feedback_date as f64,
        }),
    }
}

impl ThreatProtection {
    /// AdminListUserAuthEvents: newest first, `MaxResults` up to 60.
    pub async fn admin_list_user_auth_events(
        &self,
        req: AdminListUserAuthEventsRequest,
    ) -> Result<AdminListUserAuthEventsResponse> {
        crate::audit::event("AdminListUserAuthEvents");
        let pool = self.core.pool(&req.user_pool_id).await?;
        require_enabled(&pool)?;
        let user = self.core.require_user(&pool, &req.username).await?;
        let limit = match req.max_results {
            None | Some(0) => DEFAULT_PAGE_SIZE,
            Some(n) if n <= 60 => n as usize,
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
                ));
            }
        };
        let key = pool.case_rule.username_key(&user.username);
        let page = self
            .core
            .store()
            .list_auth_events(&pool.id, &key, limit, req.next_token.as_deref())
            .await?;
        Ok(AdminListUserAuthEventsResponse {
            auth_events: page
                .items
                .iter()
                .filter_map(|r| serde_json::from_str::<AuthEvent>(&r.body).ok())
                .map(|e| to_wire(&e))
                .collect(),
            next_token: page.next,
        })
    }

    /// AdminUpdateAuthEventFeedback.
    pub async fn admin_update_auth_event_feedback(
        &self,
        req: AuthEventFeedbackRequest,
    ) -> Result<Empty> {
        crate::audit::event("AdminUpdateAuthEventFeedback");
        self.feedback(
            &req.user_pool_id,
            &req.username,
            &req.event_id,
            &req.feedback_value,
            None,
        )
        .await
    }

    /// UpdateAuthEventFeedback: the user's verdict from the notification's links, authorized
    /// by its feedback token (compared in constant time with the digest the event keeps).
    pub async fn update_auth_event_feedback(
        &self,
        req: UpdateAuthEventFeedbackRequest,
    ) -> Result<Empty> {
        crate::audit::event("UpdateAuthEventFeedback");
        let token = req
            .feedback_token
            .as_ref()
            .map(SecretString::expose_secret)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidParameter,
                    "1 validation error detected: Value at 'feedbackToken' failed to satisfy constraint: Member must not be null",
                )
            })?;
        self.feedback(
            &req.user_pool_id,
            &req.username,
            &req.event_id,
            &req.feedback_value,
            Some(token),
        )
        .await
    }

    /// Records feedback on an event: by an administrator (`token` `None`) or by the user with
    /// the event's feedback token.
    async fn feedback(
        &self,
        pool_id: &str,
        username: &str,
        event_id: &str,
        value: &str,
        token: Option<&str>,
    ) -> Result<Empty> {
        let value: FeedbackValue = value.parse().map_err(|_| {
            Error::new(
                ErrorKind::InvalidParameter,
                "FeedbackValue must be Valid or Invalid.",
            )
        })?;
        let pool = self.core.pool(pool_id).await?;
        require_enabled(&pool)?;
        let user = self.core.require_user(&pool, username).await?;
        let key = pool.case_rule.username_key(&user.username);
        let not_found = || Error::new(ErrorKind::ResourceNotFound, "Event not found.");
        let record = self
            .core
            .store()
            .get_auth_event(&pool.id, &key, event_id)
            .await?
            .ok_or_else(not_found)?;
        let mut stored: StoredEvent =
            serde_json::from_str(&record.body).map_err(|_| not_found())?;
        let provider = match token {
            None => "Admin",
            Some(presented) => {
                let accepted = stored
                    .feedback_token_sha256
                    .as_deref()
                    .is_some_and(|digest| token_matches(digest, presented));
                if !accepted {
                    return Err(Error::new(
                        ErrorKind::NotAuthorized,
                        "The feedback token is not valid for this event.",
                    ));
                }
                "User"
            }
        };
        stored.event.event_feedback = Some(EventFeedback {
            feedback_value: value,
            provider: provider.to_owned(),
            feedback_date: self.core.now(),
        });
        self.core.record_event(&pool, &key, &stored).await?;
        Ok(Empty {})
    }
}
