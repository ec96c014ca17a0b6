//! `CustomEmailSender` / `CustomSMSSender`: when a pool has one and the service has a
//! [`CodeEncryptor`](crate::CodeEncryptor), the trigger gets the encrypted code instead of the
//! message going to the [`MessageSender`](crate::MessageSender) (CustomMessage is not run: the
//! function writes its own message).

use custom_auth_triggers::events::{
    CUSTOM_EMAIL_SENDER_REQUEST_V1, CUSTOM_SMS_SENDER_REQUEST_V1, CustomSenderRequest,
};
use custom_auth_triggers::{CustomEmailSender, CustomSmsSender, TriggerKind, TriggerSource};
use user_pool_model::{PoolConfig, User};

use crate::code_encryption::CodeContext;
use crate::core::Core;
use crate::core::codes::Destination;
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{Caller, trigger_attributes};
use crate::messages::{DeliveryMedium, MessageKind};

fn email_source(kind: MessageKind) -> TriggerSource {
    match kind {
        MessageKind::SignUp => TriggerSource::CustomEmailSenderSignUp,
        MessageKind::ResendCode => TriggerSource::CustomEmailSenderResendCode,
        MessageKind::UpdateUserAttribute => TriggerSource::CustomEmailSenderUpdateUserAttribute,
        MessageKind::ForgotPassword => TriggerSource::CustomEmailSenderForgotPassword,
        MessageKind::AdminCreateUser => TriggerSource::CustomEmailSenderAdminCreateUser,
        MessageKind::Authentication => TriggerSource::CustomEmailSenderAuthentication,
        _ => TriggerSource::CustomEmailSenderVerifyUserAttribute,
    }
}

fn sms_source(kind: MessageKind) -> TriggerSource {
    match kind {
        MessageKind::SignUp => TriggerSource::CustomSmsSenderSignUp,
        MessageKind::ResendCode => TriggerSource::CustomSmsSenderResendCode,
        MessageKind::UpdateUserAttribute => TriggerSource::CustomSmsSenderUpdateUserAttribute,
        MessageKind::ForgotPassword => TriggerSource::CustomSmsSenderForgotPassword,
        MessageKind::AdminCreateUser => TriggerSource::CustomSmsSenderAdminCreateUser,
        MessageKind::Authentication => TriggerSource::CustomSmsSenderAuthentication,
        _ => TriggerSource::CustomSmsSenderVerifyUserAttribute,
    }
}

impl Core {
    /// Hands `code` to the pool's custom sender for `destination`'s medium; `Ok(false)` when
    /// there is none to run (no trigger configured for the medium, no encryptor, or nothing
    /// that can invoke the function), and the message takes the normal path.
    pub(crate) async fn deliver_by_custom_sender(
        &self,
        pool: &PoolConfig,
        user: &User,
        code: &str,
        destination: &Destination,
        kind: MessageKind,
        caller: &Caller<'_>,
    ) -> Result<bool> {
        let (configured, trigger) = match destination.medium {
            DeliveryMedium::Email => (&pool.custom_email_sender, TriggerKind::CustomEmailSender),
            _ => (&pool.custom_sms_sender, TriggerKind::CustomSmsSender),
        };
        let (Some(_), Some(encryptor), Some(key)) = (configured, &self.encryptor, &pool.kms_key_id)
        else {
            return Ok(false);
        };
        if !self
            .registry(pool)
            .is_some_and(|registry| registry.is_configured(trigger))
        {
            return Ok(false);
        }
        let context = CodeContext::new(pool.id.as_str(), key.as_str());
        let encrypted = encryptor.encrypt(code, &context).await.map_err(|failure| {
            tracing::warn!(target: "userpool::messages", pool = %pool.id.as_str(), reason = %failure, "code encryption failed");
            Error::new(
                ErrorKind::CodeDeliveryFailure,
                "Unable to deliver the verification code.",
            )
        })?;
        let request = |request_type: &str| CustomSenderRequest {
            request_type: request_type.to_owned(),
            code: Some(encrypted.clone()),
            client_metadata: caller.metadata(),
            user_attributes: trigger_attributes(user),
        };
        let ran = match trigger {
            TriggerKind::CustomEmailSender => self
                .run_trigger::<CustomEmailSender>(
                    pool,
                    email_source(kind),
                    &user.username,
                    caller,
                    request(CUSTOM_EMAIL_SENDER_REQUEST_V1),
                )
                .await?
                .is_some(),
            _ => self
                .run_trigger::<CustomSmsSender>(
                    pool,
                    sms_source(kind),
                    &user.username,
                    caller,
                    request(CUSTOM_SMS_SENDER_REQUEST_V1),
                )
                .await?
                .is_some(),
        };
        Ok(ran)
    }
}
