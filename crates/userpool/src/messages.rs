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
    /// `AccountTakeOverNotification`: threat protection's notice of a risky sign-in, with
    /// the feedback links (no code).
    AccountTakeoverNotification,
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
            Self::AccountTakeoverNotification => "account_takeover_notification",
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
    /// The rendered body, as plain text (an HTML template's text rendering: tags dropped,
    /// line breaks kept, entities decoded).
    pub body: String,
    /// Unix seconds.
    pub sent_at: i64,
    /// The From address (`EmailConfiguration.From`, or the `SourceArn` identity's address,
    /// with `DEVELOPER`); `None`: the sender's configured default. Always `None` for SMS.
    pub from: Option<String>,
    /// `EmailConfiguration.ReplyToEmailAddress`. Always `None` for SMS.
    pub reply_to: Option<String>,
    /// The rendered HTML body, when the email template is HTML (the code and username
    /// HTML-escaped); senders send it beside `body` as `multipart/alternative`.
    pub html_body: Option<String>,
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
        if let Some(html) = &mut self.html_body {
            html.zeroize();
        }
    }
}

/// Fills Cognito's placeholders: `{####}` with the code, `{username}` with the username.
pub fn render_template(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}

/// Whether an email template is HTML (Cognito's templates may be): it has an element tag
/// (`<p>`, `<br/>`, `</div>`, `<a href=…>`, …).
pub fn is_html_template(template: &str) -> bool {
    template.match_indices('<').any(|(i, _)| {
        let rest = template.get(i + 1..).unwrap_or_default();
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && rest
                .get(name.len()..)
                .is_some_and(|after| after.starts_with(['>', ' ', '/', '\t', '\n', '\r']))
    })
}

/// An HTML template rendered: placeholders filled with HTML-escaped values.
pub fn render_html_template(template: &str, code: &str, username: &str) -> String {
    render_template(template, &escape_html(code), &escape_html(username))
}

/// The plain-text rendering of an HTML template (before its placeholders are filled): tags
/// dropped (with the contents of `<head>`, `<style>` and `<script>`), line breaks for `<br>`
/// and block ends, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after
            .get(1..end)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        rest = after.get(end + 1..).unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !tag.starts_with('/') && matches!(name.as_str(), "head" | "style" | "script") {
            let close = format!("</{name}");
            rest = match rest.to_ascii_lowercase().find(&close) {
                Some(i) => rest
                    .get(i..)
                    .and_then(|r| r.find('>').and_then(|j| r.get(j + 1..)))
                    .unwrap_or_default(),
                None => "",
            };
            continue;
        }
        let breaks = name == "br"
            || (tag.starts_with('/')
                && matches!(
                    name.as_str(),
                    "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table"
                ));
        if breaks {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<&str> = decoded.lines().map(str::trim).collect();
    let mut text = String::with_capacity(decoded.len());
    for line in lines {
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim_end().to_owned()
}

fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
            from: None,
            reply_to: None,
            html_body: None,
        }
    }

    #[test]
    fn templates_and_redaction() {
        let m = message("123456");
        assert_eq!(m.body, "Hi alice, your code is 123456");
        assert!(!format!("{m:?}").contains("123456"));
    }

    #[test]
    fn html_templates() {
        let template = "<html><head><style>p{color:red}</style></head><body><h1>ようこそ</h1><p>Hi {username},</p><p>your code is <b>{####}</b>&nbsp;&amp; welcome</p></body></html>";
        assert!(is_html_template(template));
        assert!(!is_html_template("Your code is {####}. 1 < 2 > 0"));
        assert!(is_html_template("line<br/>{####}"));
        assert_eq!(
            render_html_template(template, "A&<b>", "o'neil"),
            "<html><head><style>p{color:red}</style></head><body><h1>ようこそ</h1><p>Hi o&#39;neil,</p><p>your code is <b>A&amp;&lt;b&gt;</b>&nbsp;&amp; welcome</p></body></html>"
        );
        assert_eq!(
            render_template(&html_to_text(template), "123456", "alice"),
            "ようこそ\nHi alice,\nyour code is 123456 & welcome"
        );
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
