//! How a pool's messages leave: `EmailConfiguration`, `SmsConfiguration`, and the custom sender
//! triggers of `LambdaConfig` (`CustomEmailSender`, `CustomSMSSender`, `KMSKeyID`).
//!
//! Constraints are botocore's `cognito-idp` 2016-04-18 model (botocore 1.44.8):
//! `ArnType` 20..2048 matching [`ARN_PATTERN`], `OptionalArnType` the same or empty,
//! `EmailAddressType` `[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+`,
//! `SESConfigurationSet` 1..64 `^[a-zA-Z0-9_-]+$`, `RegionCodeType` 5..32, `StringType`
//! 0..131072, `EmailSendingAccountType` `COGNITO_DEFAULT | DEVELOPER`, the custom senders'
//! `LambdaVersion` `V1_0` with both members required.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, constraint};

/// botocore's `ArnType` pattern, which [`is_valid_arn`] implements.
pub const ARN_PATTERN: &str = r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?";

/// The longest `StringType` (`From`, `ExternalId`).
pub const MAX_STRING_TYPE_LEN: usize = 131_072;

/// `EmailSendingAccount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EmailSendingAccount {
    /// Cognito's own sender (`no-reply@verificationemail.com`): `From` and `ConfigurationSet`
    /// are not used; the server's configured default From address stands in for it here.
    #[default]
    CognitoDefault,
    /// The pool's own verified SES identity (`SourceArn`), optionally with `From`.
    Developer,
}

impl EmailSendingAccount {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CognitoDefault => "COGNITO_DEFAULT",
            Self::Developer => "DEVELOPER",
        }
    }

    /// The account named `value` on the wire.
    pub fn parse(value: &str) -> Result<Self> {
        match value {
            "COGNITO_DEFAULT" => Ok(Self::CognitoDefault),
            "DEVELOPER" => Ok(Self::Developer),
            other => Err(constraint(
                "emailConfiguration.emailSendingAccount",
                Some(other),
                "Member must satisfy enum value set: [COGNITO_DEFAULT, DEVELOPER]",
            )),
        }
    }
}

/// `EmailConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailConfiguration {
    /// `SourceArn`: the SES identity (`arn:aws:ses:<region>:<account>:identity/<address or domain>`).
    pub source_arn: Option<String>,
    /// `ReplyToEmailAddress`.
    pub reply_to_email_address: Option<String>,
    /// `EmailSendingAccount`.
    pub email_sending_account: EmailSendingAccount,
    /// `From`: an address, or `Name <address>`.
    pub from: Option<String>,
    /// `ConfigurationSet`: the SES configuration set.
    pub configuration_set: Option<String>,
}

impl EmailConfiguration {
    /// Checks botocore's constraints, and that `DEVELOPER` names its identity (`SourceArn`), as
    /// Cognito's API reference requires.
    pub fn validate(&self) -> Result<()> {
        if let Some(arn) = &self.source_arn
            && !is_valid_arn(arn)
        {
            return Err(arn_error("emailConfiguration.sourceArn", arn));
        }
        if let Some(reply_to) = &self.reply_to_email_address
            && !is_email_address_type(reply_to)
        {
            return Err(constraint(
                "emailConfiguration.replyToEmailAddress",
                Some(reply_to),
                r"Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+",
            ));
        }
        if let Some(from) = &self.from {
            check_string_type("emailConfiguration.from", from)?;
        }
        if let Some(set) = &self.configuration_set {
            let ok = (1..=64).contains(&set.len())
                && set
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(constraint(
                    "emailConfiguration.configurationSet",
                    Some(set),
                    "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$",
                ));
            }
        }
        if self.email_sending_account == EmailSendingAccount::Developer && self.source_arn.is_none()
        {
            return Err(Error::InvalidParameter(
                "SourceArn is required when EmailSendingAccount is DEVELOPER.".into(),
            ));
        }
        Ok(())
    }

    /// The From address messages carry: `From` when set, else the address of an email-address
    /// `SourceArn` identity (`…:identity/user@example.com`); only with `DEVELOPER` (Cognito's
    /// default account sends from its own address). `None`: the sender's configured default.
    pub fn from_address(&self) -> Option<String> {
        if self.email_sending_account != EmailSendingAccount::Developer {
            return None;
        }
        if let Some(from) = self.from.as_ref().filter(|f| !f.is_empty()) {
            return Some(from.clone());
        }
        self.source_arn
            .as_deref()
            .and_then(|arn| arn.rsplit_once(":identity/"))
            .map(|(_, identity)| identity)
            .filter(|identity| identity.contains('@'))
            .map(str::to_owned)
    }
}

/// `SmsConfigurationType` (`EumsSms` is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SmsConfiguration {
    /// `SnsCallerArn`: the IAM role Cognito assumes to publish.
    pub sns_caller_arn: Option<String>,
    /// `ExternalId`: the role's external id.
    pub external_id: Option<String>,
    /// `SnsRegion`: where SMS are published.
    pub sns_region: Option<String>,
}

impl SmsConfiguration {
    /// Checks botocore's constraints.
    pub fn validate(&self) -> Result<()> {
        if let Some(arn) = &self.sns_caller_arn
            && !arn.is_empty()
            && !is_valid_arn(arn)
        {
            return Err(arn_error("smsConfiguration.snsCallerArn", arn));
        }
        if let Some(id) = &self.external_id {
            check_string_type("smsConfiguration.externalId", id)?;
        }
        if let Some(region) = &self.sns_region
            && !(5..=32).contains(&region.chars().count())
        {
            return Err(constraint(
                "smsConfiguration.snsRegion",
                Some(region),
                "Member must have length between 5 and 32",
            ));
        }
        Ok(())
    }
}

/// `CustomEmailLambdaVersionConfigType` / `CustomSMSLambdaVersionConfigType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomSenderLambda {
    /// `LambdaArn`.
    pub lambda_arn: String,
    /// `LambdaVersion`: `V1_0`.
    pub lambda_version: String,
}

impl CustomSenderLambda {
    /// The only `LambdaVersion`.
    pub const V1_0: &'static str = "V1_0";

    /// Checks botocore's constraints; `member` is `lambdaConfig.customEmailSender` or
    /// `lambdaConfig.customSMSSender`.
    pub fn validate(&self, member: &str) -> Result<()> {
        if !is_valid_arn(&self.lambda_arn) {
            return Err(arn_error(&format!("{member}.lambdaArn"), &self.lambda_arn));
        }
        if self.lambda_version != Self::V1_0 {
            return Err(constraint(
                &format!("{member}.lambdaVersion"),
                Some(&self.lambda_version),
                "Member must satisfy enum value set: [V1_0]",
            ));
        }
        Ok(())
    }
}

/// Whether `arn` is an `ArnType`: 20..2048 characters matching [`ARN_PATTERN`].
pub fn is_valid_arn(arn: &str) -> bool {
    let word = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=/,.@-".contains(&b))
    };
    let parts: Vec<&str> = arn.split(':').collect();
    (20..=2048).contains(&arn.len())
        && matches!(parts.as_slice(),
            ["arn", partition, service, region, account, resource @ ..]
                if !partition.is_empty() && word(partition)
                    && !service.is_empty() && word(service)
                    && word(region)
                    && !account.is_empty() && account.bytes().all(|b| b.is_ascii_digit())
                    && (1..=3).contains(&resource.len())
                    && resource.iter().all(|r| !r.is_empty() && word(r)))
}

/// Whether `address` fits `EmailAddressType`: letters, marks, symbols, numbers or
/// punctuation around an `@` (no spaces or control characters).
fn is_email_address_type(address: &str) -> bool {
    let allowed =
        |s: &str| !s.is_empty() && s.chars().all(|c| !c.is_whitespace() && !c.is_control());
    address
        .split_once('@')
        .is_some_and(|(local, domain)| allowed(local) && allowed(domain))
}

fn check_string_type(member: &str, value: &str) -> Result<()> {
    if value.len() > MAX_STRING_TYPE_LEN {
        return Err(constraint(
            member,
            None,
            "Member must have length less than or equal to 131072",
        ));
    }
    Ok(())
}

fn arn_error(member: &str, arn: &str) -> Error {
    constraint(
        member,
        Some(arn),
        &format!("Member must satisfy regular expression pattern: {ARN_PATTERN}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_follow_botocores_pattern() {
        for ok in [
            "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
            "arn:aws:lambda:us-east-1:123456789012:function:sender",
            "arn:aws:lambda:us-east-1:123456789012:function:sender:live",
            "arn:aws:iam::123456789012:role/sns-caller",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ] {
            assert!(is_valid_arn(ok), "{ok}");
        }
        for bad in [
            "not-an-arn-at-all-but-long",
            "arn:aws:ses:us-east-1:12345678901x:identity/a",
            "arn:aws:lambda:us-east-1:123456789012:function:a:b:c",
            "arn::ses:us-east-1:123456789012:identity/a",
            "arn:aws:s:r:1:x",
            "arn:aws:ses:us-east-1:123456789012:identity/a b",
        ] {
            assert!(!is_valid_arn(bad), "{bad}");
        }
    }

    #[test]
    fn email_configuration_rules() {
        let mut c = EmailConfiguration {
            source_arn: Some(
                "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com".into(),
            ),
            reply_to_email_address: Some("support@example.com".into()),
            email_sending_account: EmailSendingAccount::Developer,
            from: None,
            configuration_set: Some("transactional_1".into()),
        };
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.from_address().as_deref(), Some("no-reply@example.com"));
        c.from = Some("Example <hello@example.com>".into());
        assert_eq!(
            c.from_address().as_deref(),
            Some("Example <hello@example.com>")
        );
        c.configuration_set = Some("has space".into());
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "1 validation error detected: Value 'has space' at 'emailConfiguration.configurationSet' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$"
        );
        c.configuration_set = None;
        c.reply_to_email_address = Some("no at sign".into());
        assert!(c.validate().is_err());
        c.reply_to_email_address = Some("サポート@例え.jp".into());
        assert_eq!(c.validate(), Ok(()));
        c.source_arn = None;
        assert_eq!(
            c.validate(),
            Err(Error::InvalidParameter(
                "SourceArn is required when EmailSendingAccount is DEVELOPER.".into()
            ))
        );
        c.email_sending_account = EmailSendingAccount::CognitoDefault;
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.from_address(), None, "Cognito's own account ignores From");
        assert_eq!(
            EmailSendingAccount::parse("SES").unwrap_err().to_string(),
            "1 validation error detected: Value 'SES' at 'emailConfiguration.emailSendingAccount' failed to satisfy constraint: Member must satisfy enum value set: [COGNITO_DEFAULT, DEVELOPER]"
        );
    }

    #[test]
    fn sms_configuration_and_custom_senders() {
        let mut s = SmsConfiguration {
            sns_caller_arn: Some("arn:aws:iam::123456789012:role/sns".into()),
            external_id: Some("ext".into()),
            sns_region: Some("us-east-1".into()),
        };
        assert_eq!(s.validate(), Ok(()));
        s.sns_caller_arn = Some(String::new());
        assert_eq!(s.validate(), Ok(()), "OptionalArnType may be empty");
        s.sns_region = Some("us".into());
        assert!(s.validate().is_err());
        let mut sender = CustomSenderLambda {
            lambda_arn: "arn:aws:lambda:us-east-1:123456789012:function:send".into(),
            lambda_version: "V1_0".into(),
        };
        assert_eq!(sender.validate("lambdaConfig.customEmailSender"), Ok(()));
        sender.lambda_version = "V2_0".into();
        assert_eq!(
            sender
                .validate("lambdaConfig.customEmailSender")
                .unwrap_err()
                .to_string(),
            "1 validation error detected: Value 'V2_0' at 'lambdaConfig.customEmailSender.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [V1_0]"
        );
    }
}
