//! One-time codes (sign-up confirmation, password reset, attribute verification): generated,
//! stored only as a keyed hash, delivered with the pool's templates (or CustomMessage), and
//! consumed once.

use custom_auth_triggers::TriggerSource;
use custom_auth_triggers::events::CustomMessageRequest;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use user_pool_model::{PoolConfig, User};
use userpool_store::{CodePurpose, CodeRecord, StoreError};
use zeroize::Zeroizing;

use crate::core::Core;
use crate::core::code_limits::CodeHolder;
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{Caller, trigger_attributes};
use crate::messages::{
    DeliveryMedium, Message, MessageKind, html_to_text, is_html_template, render_html_template,
    render_template,
};
use crate::sign_in::{SESSION_FAILURE_PREFIX, UNKNOWN_FAILURE_PREFIX};
use crate::wire::CodeDeliveryDetails;

/// Wrong guesses a code tolerates before it is burned.
pub(crate) const CODE_ATTEMPTS: u32 = 5;

/// Where a code goes.
#[derive(Debug, Clone)]
pub(crate) struct Destination {
    pub(crate) medium: DeliveryMedium,
    pub(crate) attribute: &'static str,
    pub(crate) value: String,
}

impl Destination {
    pub(crate) fn email(value: &str) -> Self {
        Self {
            medium: DeliveryMedium::Email,
            attribute: "email",
            value: value.to_owned(),
        }
    }

    pub(crate) fn sms(value: &str) -> Self {
        Self {
            medium: DeliveryMedium::Sms,
            attribute: "phone_number",
            value: value.to_owned(),
        }
    }

    /// The attribute's destination.
    pub(crate) fn for_attribute(attribute: &str, value: &str) -> Option<Self> {
        match attribute {
            "email" => Some(Self::email(value)),
            "phone_number" => Some(Self::sms(value)),
            _ => None,
        }
    }

    pub(crate) fn details(&self) -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            destination: auth_flow_state_machine::mask_destination(self.medium, &self.value),
            delivery_medium: self.medium.as_str().to_owned(),
            attribute_name: self.attribute.to_owned(),
        }
    }
}

/// Where a sign-up confirmation code goes: the auto-verified attribute the user has (phone
/// before email, as Cognito does).
pub(crate) fn sign_up_destination(pool: &PoolConfig, user: &User) -> Option<Destination> {
    let auto = |a: &str| pool.auto_verified_attributes.iter().any(|x| x == a);
    if auto("phone_number")
        && let Some(phone) = user.attributes.get("phone_number")
    {
        return Some(Destination::sms(phone));
    }
    if auto("email")
        && let Some(email) = user.attributes.get("email")
    {
        return Some(Destination::email(email));
    }
    None
}

fn custom_message_source(kind: MessageKind) -> TriggerSource {
    match kind {
        MessageKind::SignUp => TriggerSource::CustomMessageSignUp,
        MessageKind::ResendCode => TriggerSource::CustomMessageResendCode,
        MessageKind::UpdateUserAttribute => TriggerSource::CustomMessageUpdateUserAttribute,
        MessageKind::ForgotPassword => TriggerSource::CustomMessageForgotPassword,
        MessageKind::AdminCreateUser => TriggerSource::CustomMessageAdminCreateUser,
        MessageKind::Authentication => TriggerSource::CustomMessageAuthentication,
        _ => TriggerSource::CustomMessageVerifyUserAttribute,
    }
}

impl Core {
    /// The keyed hash a code is stored as.
    pub(crate) fn code_hash(
        &self,
        pool: &PoolConfig,
        purpose: &CodePurpose,
        user_key: &str,
        code: &str,
    ) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.code_key.as_ref())
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        let purpose = match purpose {
            CodePurpose::SignUpConfirmation => "sign-up".to_owned(),
            CodePurpose::PasswordReset => "reset".to_owned(),
            CodePurpose::AttributeVerification(a) => format!("attribute:{a}"),
            _ => "mfa".to_owned(),
        };
        for part in [pool.id.as_str(), &purpose, user_key, code] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }

    /// Generates a code for `user`, stores its hash (replacing any live one of the purpose)
    /// and delivers it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn issue_code(
        &self,
        pool: &PoolConfig,
        user: &User,
        purpose: CodePurpose,
        lifetime: i64,
        destination: &Destination,
        kind: MessageKind,
        caller: &Caller<'_>,
    ) -> Result<CodeDeliveryDetails> {
        let user_key = pool.case_rule.fold(&user.username);
        self.charge_code_sent(pool, CodeHolder::User(&user_key))
            .await?;
        let code = Zeroizing::new(self.entropy.code()?);
        let record = CodeRecord {
            code_hash: self.code_hash(pool, &purpose, &user_key, &code),
            purpose,
            user: user_key,
            expires_at: self.now() + lifetime,
            attempts_left: CODE_ATTEMPTS,
        };
        self.store().put_code(&pool.id, record).await?;
        self.deliver(pool, user, &code, None, destination, kind, caller)
            .await?;
        Ok(destination.details())
    }

    /// Sends `code` (or a temporary password) with the pool's template for `kind`, after
    /// CustomMessage if the pool has it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn deliver(
        &self,
        pool: &PoolConfig,
        user: &User,
        code: &str,
        username_parameter: Option<&str>,
        destination: &Destination,
        kind: MessageKind,
        caller: &Caller<'_>,
    ) -> Result<()> {
        if self
            .deliver_by_custom_sender(pool, user, code, destination, kind, caller)
            .await?
        {
            return Ok(());
        }
        let t = &pool.messages;
        let (mut subject, mut body) = match (kind, destination.medium) {
            (MessageKind::AdminCreateUser, DeliveryMedium::Email) => (
                t.invite_email_subject.clone(),
                t.invite_email_message.clone(),
            ),
            (MessageKind::AdminCreateUser, _) => (String::new(), t.invite_sms_message.clone()),
            (MessageKind::Authentication, _) => {
                (String::new(), t.sms_authentication_message.clone())
            }
            (_, DeliveryMedium::Email) => (
                t.email_verification_subject.clone(),
                t.email_verification_message.clone(),
            ),
            _ => (String::new(), t.sms_verification_message.clone()),
        };
        let request = CustomMessageRequest {
            user_attributes: trigger_attributes(user),
            code_parameter: "{####}".into(),
            link_parameter: None,
            username_parameter: username_parameter.map(|_| "{username}".to_owned()),
            client_metadata: caller.metadata(),
        };
        if let Some(custom) = self
            .run_trigger::<custom_auth_triggers::CustomMessage>(
                pool,
                custom_message_source(kind),
                &user.username,
                caller,
                request.clone(),
            )
            .await?
        {
            custom.check_placeholders(&request).map_err(|reason| {
                Error::new(
                    ErrorKind::InvalidLambdaResponse,
                    format!("Invalid CustomMessage Lambda response: {reason}"),
                )
            })?;
            let chosen = match destination.medium {
                DeliveryMedium::Email => custom.email_message,
                _ => custom.sms_message,
            };
            if let Some(m) = chosen {
                body = m.replace("{####}", "####").replace("####", "{####}");
            }
            if let Some(s) = custom.email_subject {
                subject = s;
            }
        }
        let name = username_parameter.unwrap_or(&user.username);
        let email = destination.medium == DeliveryMedium::Email;
        let html = email && is_html_template(&body);
        let settings = pool.email_configuration.as_ref().filter(|_| email);
        let message = Message {
            pool_id: pool.id.as_str().to_owned(),
            username: user.username.clone(),
            destination: destination.value.clone(),
            delivery_medium: destination.medium,
            kind,
            code: code.to_owned(),
            subject,
            body: if html {
                render_template(&html_to_text(&body), code, name)
            } else {
                render_template(&body, code, name)
            },
            sent_at: self.now(),
            from: settings.and_then(|c| c.from_address()),
            reply_to: settings.and_then(|c| c.reply_to_email_address.clone()),
            html_body: html.then(|| render_html_template(&body, code, name)),
        };
        self.sender.send(message).await.map_err(|failure| {
            tracing::warn!(target: "userpool::messages", pool = %pool.id.as_str(), reason = %failure, "message delivery failed");
            Error::new(
                ErrorKind::CodeDeliveryFailure,
                "Unable to deliver the verification code.",
            )
        })
    }

    /// Consumes a code, with Cognito's errors.
    pub(crate) async fn consume_code(
        &self,
        pool: &PoolConfig,
        purpose: &CodePurpose,
        user: &User,
        code: &str,
    ) -> Result<()> {
        let user_key = pool.case_rule.fold(&user.username);
        self.charge_code_guess(pool, CodeHolder::User(&user_key))
            .await?;
        self.consume_code_of(pool, purpose, &user_key, code).await
    }

    /// Consumes a code stored under `user_key` (a user's, or an unknown user's stand-in).
    async fn consume_code_of(
        &self,
        pool: &PoolConfig,
        purpose: &CodePurpose,
        user_key: &str,
        code: &str,
    ) -> Result<()> {
        let hash = self.code_hash(pool, purpose, user_key, code);
        self.store()
            .consume_code(&pool.id, purpose, user_key, &hash, self.now())
            .await
            .map_err(|e| match e {
                StoreError::CodeMismatch
                | StoreError::CodeNotFound
                | StoreError::CodeExpired
                | StoreError::TooManyAttempts => Error::from_store(&e, Default::default()),
                other => Error::from(other),
            })
    }

    /// An unknown user's stand-in for a code "sent" under PreventUserExistenceErrors: a stored
    /// code record with the attempts a real one has and a hash no code produces, so guesses
    /// against it answer exactly as against a real user's code (mismatch, then too many
    /// attempts, expired, none requested), and the same hourly caps apply.
    pub(crate) async fn phantom_code(
        &self,
        pool: &PoolConfig,
        purpose: CodePurpose,
        login: &str,
        lifetime: i64,
    ) -> Result<()> {
        self.charge_code_sent(pool, CodeHolder::Unknown(login))
            .await?;
        let record = CodeRecord {
            // Random bytes, not an HMAC of any code: nothing typed ever matches.
            code_hash: self.entropy.bytes::<32>()?,
            purpose,
            user: phantom_code_key(pool, login),
            expires_at: self.now() + lifetime,
            attempts_left: CODE_ATTEMPTS,
        };
        self.store()
            .put_code(&pool.id, record)
            .await
            .map_err(Error::from)
    }

    /// A guess at an unknown user's stand-in code (see `Core::phantom_code`): always an
    /// error, the one a real user's code would give.
    pub(crate) async fn consume_phantom_code(
        &self,
        pool: &PoolConfig,
        purpose: &CodePurpose,
        login: &str,
        code: &str,
    ) -> Error {
        if let Err(e) = self
            .charge_code_guess(pool, CodeHolder::Unknown(login))
            .await
        {
            return e;
        }
        match self
            .consume_code_of(pool, purpose, &phantom_code_key(pool, login), code)
            .await
        {
            Err(e) => e,
            // Unreachable by construction (no code hashes to random bytes); never a success.
            Ok(()) => Error::from_store(&StoreError::CodeMismatch, Default::default()),
        }
    }
}

/// Where an unknown user's stand-in codes are stored: a key no username can be (usernames
/// have no control characters).
fn phantom_code_key(pool: &PoolConfig, login: &str) -> String {
    format!("\u{1}unknown/{}", pool.case_rule.fold(login))
}

impl Core {
    /// Removes expired one-time codes and session replay markers from the store; returns how
    /// many of each. Embedders run it periodically (the `server` example: every minute); it
    /// never blocks requests for long because each store purges in small locked steps.
    pub(crate) async fn purge_expired(&self) -> Result<Purged> {
        let now = self.now();
        let codes = self.store().purge_expired_codes(now).await?;
        let markers = self.store().purge_expired_markers(now).await?;
        let session_counters = self
            .store()
            .purge_failures(SESSION_FAILURE_PREFIX, now - SESSION_COUNTER_LIFETIME)
            .await?;
        let code_counters = self.purge_code_counters().await?;
        // Unknown users' failures, once the lockout policy has forgotten them (15 quiet
        // minutes): an attacker typing many names leaves nothing behind for long.
        let unknown_counters = self
            .store()
            .purge_failures(
                UNKNOWN_FAILURE_PREFIX,
                now - self.settings.lockout.reset_after,
            )
            .await?;
        tracing::debug!(
            target: "userpool::maintenance",
            codes,
            markers,
            session_counters,
            unknown_counters,
            code_counters,
            "purged expired records"
        );
        Ok(Purged {
            codes,
            markers,
            session_counters,
            unknown_counters,
            code_counters,
        })
    }
}

/// What [`Service::purge_expired`] removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    /// Expired one-time codes.
    pub codes: usize,
    /// Expired single-use markers (sessions, `SECRET_BLOCK`s).
    pub markers: usize,
    /// Wrong-answer counters of auth sessions that can no longer be answered.
    pub session_counters: usize,
    /// Failure counters of unknown users (PreventUserExistenceErrors) the lockout policy has
    /// forgotten.
    pub unknown_counters: usize,
    /// Hourly code counters of windows that ended.
    pub code_counters: usize,
}

/// How long a session's wrong-answer counter is kept after its last failure: longer than any
/// auth session lives (at most 15 minutes).
const SESSION_COUNTER_LIFETIME: i64 = 3600;
