//! The delivery settings of CreateUserPool / UpdateUserPool / DescribeUserPool:
//! `EmailConfiguration`, `SmsConfiguration` and `LambdaConfig`'s custom senders and `KMSKeyID`,
//! between their wire shapes and the model.

use std::collections::BTreeMap;

use serde_json::Value;
use user_pool_model::{
    CustomSenderLambda, EmailConfiguration, EmailSendingAccount, PoolConfig, SmsConfiguration,
    TRIGGERS,
};

use crate::core::missing;
use crate::error::Result;
use crate::wire::{EmailConfigurationType, SmsConfigurationType};

const CUSTOM_EMAIL_SENDER: &str = "CustomEmailSender";
const CUSTOM_SMS_SENDER: &str = "CustomSMSSender";
const KMS_KEY_ID: &str = "KMSKeyID";

/// `EmailConfiguration` from the wire (an absent `EmailSendingAccount` is `COGNITO_DEFAULT`).
pub(crate) fn email_from_wire(w: &EmailConfigurationType) -> Result<EmailConfiguration> {
    Ok(EmailConfiguration {
        source_arn: w.source_arn.clone(),
        reply_to_email_address: w.reply_to_email_address.clone(),
        email_sending_account: w
            .email_sending_account
            .as_deref()
            .map(EmailSendingAccount::parse)
            .transpose()?
            .unwrap_or_default(),
        from: w.from.clone(),
        configuration_set: w.configuration_set.clone(),
    })
}

/// The wire shape Describe/CreateUserPool answer with: Cognito reports
/// `{EmailSendingAccount: COGNITO_DEFAULT}` for a pool that never set one.
pub(crate) fn email_to_wire(c: Option<&EmailConfiguration>) -> EmailConfigurationType {
    let default = EmailConfiguration::default();
    let c = c.unwrap_or(&default);
    EmailConfigurationType {
        source_arn: c.source_arn.clone(),
        reply_to_email_address: c.reply_to_email_address.clone(),
        email_sending_account: Some(c.email_sending_account.as_str().to_owned()),
        from: c.from.clone(),
        configuration_set: c.configuration_set.clone(),
    }
}

/// `SmsConfiguration` from the wire.
pub(crate) fn sms_from_wire(w: &SmsConfigurationType) -> SmsConfiguration {
    SmsConfiguration {
        sns_caller_arn: w.sns_caller_arn.clone(),
        external_id: w.external_id.clone(),
        sns_region: w.sns_region.clone(),
    }
}

/// `SmsConfiguration` to the wire.
pub(crate) fn sms_to_wire(c: &SmsConfiguration) -> SmsConfigurationType {
    SmsConfigurationType {
        sns_caller_arn: c.sns_caller_arn.clone(),
        external_id: c.external_id.clone(),
        sns_region: c.sns_region.clone(),
    }
}

/// Applies a request's `LambdaConfig`: the trigger ARNs, the custom senders and `KMSKeyID`
/// (members this service does not run, such as `PreTokenGenerationConfig`, are ignored).
pub(crate) fn apply_lambda_config(
    pool: &mut PoolConfig,
    config: &BTreeMap<String, Value>,
) -> Result<()> {
    pool.lambda_config = config
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|arn| (k.clone(), arn.to_owned())))
        .filter(|(k, _)| TRIGGERS.contains(&k.as_str()))
        .collect();
    pool.custom_email_sender = custom_sender(config, CUSTOM_EMAIL_SENDER, "customEmailSender")?;
    pool.custom_sms_sender = custom_sender(config, CUSTOM_SMS_SENDER, "customSMSSender")?;
    pool.kms_key_id = config
        .get(KMS_KEY_ID)
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(())
}

fn custom_sender(
    config: &BTreeMap<String, Value>,
    key: &str,
    member: &str,
) -> Result<Option<CustomSenderLambda>> {
    let Some(value) = config.get(key).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let field = |name: &str, wire: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| missing(&format!("lambdaConfig.{member}.{wire}")))
    };
    Ok(Some(CustomSenderLambda {
        lambda_arn: field("LambdaArn", "lambdaArn")?,
        lambda_version: field("LambdaVersion", "lambdaVersion")?,
    }))
}

/// A pool's `LambdaConfig` as Describe/ListUserPools answer it.
pub(crate) fn lambda_config_to_wire(pool: &PoolConfig) -> BTreeMap<String, Value> {
    let mut out: BTreeMap<String, Value> = pool
        .lambda_config
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    for (key, sender) in [
        (CUSTOM_EMAIL_SENDER, &pool.custom_email_sender),
        (CUSTOM_SMS_SENDER, &pool.custom_sms_sender),
    ] {
        if let Some(s) = sender {
            out.insert(
                key.to_owned(),
                serde_json::json!({"LambdaArn": s.lambda_arn, "LambdaVersion": s.lambda_version}),
            );
        }
    }
    if let Some(key) = &pool.kms_key_id {
        out.insert(KMS_KEY_ID.to_owned(), Value::String(key.clone()));
    }
    out
}
