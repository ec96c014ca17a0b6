//! Account-takeover notifications: the email a user gets when threat protection acted on a
//! risky sign-in with `Notify` on, with the one-click feedback links that reach
//! `UpdateAuthEventFeedback`.
//!
//! Each notified event gets a fresh feedback token (32 random bytes, base64url): the email
//! carries it, the event keeps only its SHA-256, and `UpdateAuthEventFeedback` compares in
//! constant time. The links point at `/risk/feedback` on the pool's hosted base URL (or this
//! service's public URL): a page that asks before it records anything, so a mail scanner that
//! follows links changes nothing.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use custom_auth_triggers::events::{CUSTOM_EMAIL_SENDER_REQUEST_V1, CustomSenderRequest};
use custom_auth_triggers::{CustomEmailSender, TriggerKind, TriggerSource};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use user_pool_model::{PoolConfig, User};
use userpool_risk::{
    AuthEvent, EventAction, NotificationDetails, notification_email, render_notification,
};
use zeroize::Zeroizing;

use crate::core::Core;
use crate::error::Result;
use crate::hooks::{Caller, trigger_attributes};
use crate::messages::{DeliveryMedium, Message, MessageKind};

/// A feedback token: random, sent once in the email, kept only as its hash.
pub(crate) struct FeedbackToken(Zeroizing<String>);

impl FeedbackToken {
    /// The token's stored form: hex SHA-256.
    pub(crate) fn digest(&self) -> String {
        digest(self.0.as_str())
    }
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `presented` is the token whose digest is `stored` (constant time).
pub(crate) fn token_matches(stored: &str, presented: &str) -> bool {
    digest(presented).as_bytes().ct_eq(stored.as_bytes()).into()
}

impl Core {
    /// A new feedback token.
    pub(crate) fn feedback_token(&self) -> Result<FeedbackToken> {
        let bytes = Zeroizing::new(self.entropy.bytes::<32>()?);
        Ok(FeedbackToken(Zeroizing::new(
            URL_SAFE_NO_PAD.encode(bytes.as_ref()),
        )))
    }

    /// Sends `user` the notification about `event` (answered with `action`), if they have an
    /// email address. Never fails the request: a delivery failure is logged (without the
    /// token) and the sign-in goes on as decided.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn notify_takeover(
        &self,
        pool: &PoolConfig,
        client: &str,
        user: &User,
        event: &AuthEvent,
        action: EventAction,
        token: &FeedbackToken,
        caller: &Caller<'_>,
    ) {
        let Some(email) = user.attributes.get("email") else {
            return;
        };
        if let Err(e) = self
            .send_takeover(pool, client, user, email, event, action, token, caller)
            .await
        {
            tracing::warn!(target: "userpool::messages", pool = %pool.id.as_str(), reason = %e, "account-takeover notification not delivered");
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_takeover(
        &self,
        pool: &PoolConfig,
        client: &str,
        user: &User,
        email: &str,
        event: &AuthEvent,
        action: EventAction,
        token: &FeedbackToken,
        caller: &Caller<'_>,
    ) -> Result<()> {
        if self.custom_takeover_sender(pool, user, caller).await? {
            return Ok(());
        }
        let notify = crate::threat::engine::configuration(pool, client)
            .and_then(|c| c.account_takeover_risk_configuration.as_ref())
            .and_then(|c| c.notify_configuration.as_ref());
        let base = self.feedback_base_url(pool).await?;
        let link = |value: &str| {
            let Some(base) = &base else {
                return Zeroizing::new("(unavailable: the pool has no domain)".to_owned());
            };
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("user_pool_id", pool.id.as_str())
                .append_pair("username", &user.username)
                .append_pair("event_id", &event.event_id)
                .append_pair("feedback_token", token.0.as_str())
                .append_pair("feedback_value", value)
                .finish();
            Zeroizing::new(format!("{base}/risk/feedback?{query}"))
        };
        let (valid, invalid) = (link("Valid"), link("Invalid"));
        let ip = event.event_context_data.ip_address.map(|ip| ip.to_string());
        let context = &event.event_context_data;
        let rendered = render_notification(
            &notification_email(notify, action),
            &NotificationDetails {
                username: &user.username,
                ip_address: ip.as_deref(),
                city: context.city.as_deref(),
                country: context.country.as_deref(),
                device_name: context.device_name.as_deref(),
                login_time: event.creation_date,
                valid_link: valid.as_str(),
                invalid_link: invalid.as_str(),
            },
        );
        let settings = pool.email_configuration.as_ref();
        let message = Message {
            pool_id: pool.id.as_str().to_owned(),
            username: user.username.clone(),
            destination: email.to_owned(),
            delivery_medium: DeliveryMedium::Email,
            kind: MessageKind::AccountTakeoverNotification,
            code: String::new(),
            subject: rendered.subject,
            body: rendered.text_body,
            sent_at: self.now(),
            from: notify
                .and_then(|n| n.from.clone())
                .or_else(|| settings.and_then(|c| c.from_address())),
            reply_to: notify
                .and_then(|n| n.reply_to.clone())
                .or_else(|| settings.and_then(|c| c.reply_to_email_address.clone())),
            html_body: rendered.html_body,
        };
        self.sender.send(message).await.map_err(|failure| {
            crate::error::Error::new(
                crate::error::ErrorKind::CodeDeliveryFailure,
                failure.to_string(),
            )
        })
    }

    /// The pool's CustomEmailSender with `CustomEmailSender_AccountTakeOverNotification` (no
    /// code); `Ok(false)` when the pool has none to run.
    async fn custom_takeover_sender(
        &self,
        pool: &PoolConfig,
        user: &User,
        caller: &Caller<'_>,
    ) -> Result<bool> {
        if pool.custom_email_sender.is_none()
            || !self
                .registry(pool)
                .is_some_and(|r| r.is_configured(TriggerKind::CustomEmailSender))
        {
            return Ok(false);
        }
        let request = CustomSenderRequest {
            request_type: CUSTOM_EMAIL_SENDER_REQUEST_V1.to_owned(),
            code: None,
            client_metadata: caller.metadata(),
            user_attributes: trigger_attributes(user),
        };
        Ok(self
            .run_trigger::<CustomEmailSender>(
                pool,
                TriggerSource::CustomEmailSenderAccountTakeOverNotification,
                &user.username,
                caller,
                request,
            )
            .await?
            .is_some())
    }

    /// Where the feedback page is served: the pool's hosted base URL, else this service's
    /// public URL (an AWS-style issuer without a domain has none).
    async fn feedback_base_url(&self, pool: &PoolConfig) -> Result<Option<String>> {
        if let Some(base) = self.hosted_base_url(pool.id.as_str()).await? {
            return Ok(Some(base));
        }
        Ok(match &self.issuer {
            crate::service::Issuer::SelfHosted { base_url } => {
                Some(base_url.trim_end_matches('/').to_owned())
            }
            crate::service::Issuer::Aws => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches_its_digest() {
        let token = FeedbackToken(Zeroizing::new("abc".into()));
        let stored = token.digest();
        assert_eq!(
            stored,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(token_matches(&stored, "abc"));
        assert!(!token_matches(&stored, "abd"));
        assert!(!token_matches(&stored, ""));
        assert!(!token_matches("", "abc"));
    }
}
