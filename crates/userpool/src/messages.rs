//! Outgoing messages (verification codes, MFA codes, invitations): the [`MessageSender`] an
//! embedder implements, Cognito's template placeholders, and the development [`Outbox`].

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use zeroize::Zeroize;

pub use auth_flow_state_machine::DeliveryMedium;

/// Why a message is sent (the CustomMessage trigger's source, without the prefix).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `SignUp`: confirm the account.
    SignUp,
    /// `ResendCode`: ResendConfirmationCode.
    ResendCode,
    /// `UpdateUserAttribute`: a changed email / phone number.
    UpdateUserAttribute,
    /// `ForgotPassword`.
    ForgotPassword,
    /// `VerifyUserAttribute`: GetUserAttributeVerificationCode.
    VerifyUserAttribute,
    /// `Authentication`: an SMS / email MFA code.
    Authentication,
    /// `AdminCreateUser`: the invitation with a temporary password.
    AdminCreateUser,
}

impl MessageKind {
    /// A stable lowercase name (the dev outbox's `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUp => "sign_up",
            Self::ResendCode => "resend_code",
            Self::UpdateUserAttribute => "update_user_attribute",
            Self::ForgotPassword => "forgot_password",
            Self::VerifyUserAttribute => "verify_user_attribute",
            Self::Authentication => "authentication",
            Self::AdminCreateUser => "admin_create_user",
        }
    }
}

/// One message. `code` is secret: redacted in `Debug`, zeroized on drop, and the message is
/// not comparable (`PartialEq` would compare the code in variable time). `Clone` stays: the
/// development [`Outbox`] hands out copies of what it recorded.
#[derive(Clone)]
pub struct Message {
    /// The pool.
    pub pool_id: String,
    /// The internal username.
    pub username: String,
    /// The email address or phone number.
    pub destination: String,
    /// Email or SMS.
    pub delivery_medium: DeliveryMedium,
    /// Why.
    pub kind: MessageKind,
    /// The code or temporary password the body carries.
    pub code: String,
    /// The email subject (empty for SMS).
    pub subject: String,
    /// The rendered body.
    pub body: String,
    /// Unix seconds.
    pub sent_at: i64,
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("pool_id", &self.pool_id)
            .field("username", &self.username)
            .field("delivery_medium", &self.delivery_medium)
            .field("kind", &self.kind)
            .field("sent_at", &self.sent_at)
            .finish_non_exhaustive()
    }
}

impl Drop for Message {
    fn drop(&mut self) {
        self.code.zeroize();
        self.body.zeroize();
    }
}

/// Fills Cognito's placeholders: `{####}` with the code, `{username}` with the username.
pub fn render_template(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}

/// Why a message could not be sent (`CodeDeliveryFailureException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryFailure(pub String);

/// Delivers messages (SES, SNS, an SMTP relay, …). Implementations must not log `code`.
#[async_trait]
pub trait MessageSender: Send + Sync {
    /// Sends one message.
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure>;
}

/// A development sender that keeps recent messages in memory, for tests and the development
/// server's `/_dev/messages`: bounded in count and in age (older ones are dropped as new ones
/// arrive), so it cannot grow without limit. Not for production: it delivers nothing.
#[derive(Debug)]
pub struct Outbox {
    messages: Mutex<VecDeque<Message>>,
    max_messages: usize,
    max_age: i64,
}

impl Default for Outbox {
    fn default() -> Self {
        Self::bounded(DEFAULT_OUTBOX_MESSAGES, DEFAULT_OUTBOX_SECONDS)
    }
}

/// How many messages [`Outbox::new`] keeps.
pub const DEFAULT_OUTBOX_MESSAGES: usize = 10_000;
/// How long [`Outbox::new`] keeps a message, in seconds (by the service clock).
pub const DEFAULT_OUTBOX_SECONDS: i64 = 3600;

impl Outbox {
    /// An empty outbox keeping [`DEFAULT_OUTBOX_MESSAGES`] for [`DEFAULT_OUTBOX_SECONDS`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty outbox keeping at most `max_messages`, none older than `max_age_seconds`
    /// (measured from the newest message's `sent_at`).
    pub fn bounded(max_messages: usize, max_age_seconds: i64) -> Self {
        Self {
            messages: Mutex::new(VecDeque::new()),
            max_messages: max_messages.max(1),
            max_age: max_age_seconds.max(0),
        }
    }

    /// How many messages it holds.
    pub fn len(&self) -> usize {
        self.messages.lock().map(|m| m.len()).unwrap_or_default()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The messages sent to `username` in `pool_id`, oldest first.
    pub fn messages_for(&self, pool_id: &str, username: &str) -> Vec<Message> {
        self.messages
            .lock()
            .map(|m| {
                m.iter()
                    .filter(|x| x.pool_id == pool_id && x.username == username)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The code of the latest message to `username` in `pool_id`.
    pub fn last_code(&self, pool_id: &str, username: &str) -> Option<String> {
        self.messages_for(pool_id, username)
            .last()
            .map(|m| m.code.clone())
    }
}

#[async_trait]
impl MessageSender for Outbox {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        let mut messages = self
            .messages
            .lock()
            .map_err(|_| DeliveryFailure("outbox unavailable".into()))?;
        let oldest_kept = message.sent_at.saturating_sub(self.max_age);
        while messages
            .front()
            .is_some_and(|m| m.sent_at < oldest_kept || messages.len() >= self.max_messages)
        {
            messages.pop_front();
        }
        messages.push_back(message);
        Ok(())
    }
}

/// A sender for a deployment with nowhere to deliver: every message is dropped, with a
/// warning on `userpool::messages` that names the pool and the kind, never the code or the
/// destination. Operations answer as if sent (users are confirmed by an administrator).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoDelivery;

#[async_trait]
impl MessageSender for NoDelivery {
    async fn send(&self, message: Message) -> Result<(), DeliveryFailure> {
        tracing::warn!(
            target: "userpool::messages",
            pool = %message.pool_id,
            kind = message.kind.as_str(),
            medium = message.delivery_medium.as_str(),
            "message not delivered: no sender is configured"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static_assertions::assert_not_impl_any!(Message: serde::Serialize, PartialEq);

    fn message(code: &str) -> Message {
        Message {
            pool_id: "p".into(),
            username: "alice".into(),
            destination: "a@example.com".into(),
            delivery_medium: DeliveryMedium::Email,
            kind: MessageKind::SignUp,
            code: code.into(),
            subject: "Your verification code".into(),
            body: render_template("Hi {username}, your code is {####}", code, "alice"),
            sent_at: 1,
        }
    }

    #[test]
    fn templates_and_redaction() {
        let m = message("123456");
        assert_eq!(m.body, "Hi alice, your code is 123456");
        assert!(!format!("{m:?}").contains("123456"));
    }

    #[tokio::test]
    async fn outbox_keeps_messages_per_user() {
        let outbox = Outbox::new();
        outbox.send(message("111111")).await.expect("sent");
        outbox.send(message("222222")).await.expect("sent");
        assert_eq!(outbox.messages_for("p", "alice").len(), 2);
        assert_eq!(outbox.last_code("p", "alice").as_deref(), Some("222222"));
        assert!(outbox.messages_for("p", "bob").is_empty());
        assert_eq!(outbox.len(), 2);
        assert_eq!(MessageKind::Authentication.as_str(), "authentication");
        assert_eq!(DeliveryMedium::Sms.as_str(), "SMS");
    }

    #[tokio::test]
    async fn the_outbox_is_bounded_in_count_and_age() {
        let outbox = Outbox::bounded(3, 60);
        for i in 0..5 {
            let mut m = message(&format!("{i:06}"));
            m.sent_at = 1_000 + i;
            outbox.send(m).await.expect("sent");
        }
        assert_eq!(outbox.len(), 3, "the oldest went");
        assert_eq!(outbox.messages_for("p", "alice")[0].code, "000002");
        let mut late = message("999999");
        late.sent_at = 1_000 + 4 + 61;
        outbox.send(late).await.expect("sent");
        assert_eq!(outbox.len(), 1, "everything older than a minute went");
        assert!(!outbox.is_empty());
    }
}
