//! Pool configuration: sign-in identifiers, case rule, schema, policies, MFA, verification,
//! recovery, messages, admin-create-user settings, devices, triggers, deletion protection.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::delivery::{CustomSenderLambda, EmailConfiguration, SmsConfiguration, is_valid_arn};
use crate::error::{Error, Result};
use crate::ids::UserPoolId;
use crate::password::PasswordPolicy;
use crate::schema::{Schema, SchemaAttribute};
use crate::username::CaseRule;

/// `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MfaConfiguration {
    /// No MFA.
    #[default]
    Off,
    /// Every user must use a second factor.
    On,
    /// Users may enable one.
    Optional,
}

/// Which second factors the pool offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MfaFactors {
    /// SMS codes.
    pub sms: bool,
    /// TOTP (software token).
    pub totp: bool,
    /// Email codes.
    pub email: bool,
}

/// One `RecoveryOptionType`: `verified_email`, `verified_phone_number` or `admin_only`, by priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryOption {
    /// `verified_email` | `verified_phone_number` | `admin_only`.
    pub name: String,
    /// 1 or 2.
    pub priority: u8,
}

/// Message templates (`{####}` is the code, `{username}` the user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageTemplates {
    /// Verification email subject.
    pub email_verification_subject: String,
    /// Verification email body; must contain `{####}`.
    pub email_verification_message: String,
    /// Verification SMS; must contain `{####}`.
    pub sms_verification_message: String,
    /// Invitation email subject (AdminCreateUser).
    pub invite_email_subject: String,
    /// Invitation email; must contain `{username}` and `{####}`.
    pub invite_email_message: String,
    /// Invitation SMS; must contain `{username}` and `{####}`.
    pub invite_sms_message: String,
    /// MFA SMS; must contain `{####}`.
    pub sms_authentication_message: String,
}

impl Default for MessageTemplates {
    fn default() -> Self {
        Self {
            email_verification_subject: "Your verification code".into(),
            email_verification_message: "Your verification code is {####}. ".into(),
            sms_verification_message: "Your verification code is {####}. ".into(),
            invite_email_subject: "Your temporary password".into(),
            invite_email_message: "Your username is {username} and temporary password is {####}. "
                .into(),
            invite_sms_message: "Your username is {username} and temporary password is {####}. "
                .into(),
            sms_authentication_message: "Your authentication code is {####}. ".into(),
        }
    }
}

/// `AdminCreateUserConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    /// Only administrators may create users (SignUp is refused).
    pub allow_admin_create_user_only: bool,
}

/// `DeviceConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfiguration {
    /// A new device must pass MFA.
    pub challenge_required_on_new_device: bool,
    /// Remember devices only when the user agrees (`UpdateDeviceStatus`).
    pub device_only_remembered_on_user_prompt: bool,
}

/// The trigger kinds of `LambdaConfig`.
pub const TRIGGERS: [&str; 10] = [
    "PreSignUp",
    "CustomMessage",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
    "PreTokenGeneration",
    "UserMigration",
];

/// A user pool's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolConfig {
    /// The id.
    pub id: UserPoolId,
    /// `PoolName` (1..128, `[\w\s+=,.@-]+`).
    pub name: String,
    /// `UsernameAttributes` (`email`, `phone_number`): sign in with these instead of a username.
    pub username_attributes: Vec<String>,
    /// `AliasAttributes` (`email`, `phone_number`, `preferred_username`): extra sign-in names.
    pub alias_attributes: Vec<String>,
    /// `UsernameConfiguration.CaseSensitive`.
    pub case_rule: CaseRule,
    /// The schema.
    pub schema: Schema,
    /// `Policies.PasswordPolicy`.
    pub password_policy: PasswordPolicy,
    /// `MfaConfiguration`.
    pub mfa: MfaConfiguration,
    /// The enabled factors.
    pub mfa_factors: MfaFactors,
    /// `AutoVerifiedAttributes` (`email`, `phone_number`).
    pub auto_verified_attributes: Vec<String>,
    /// `AccountRecoverySetting.RecoveryMechanisms`.
    pub account_recovery: Vec<RecoveryOption>,
    /// Message templates.
    pub messages: MessageTemplates,
    /// `AdminCreateUserConfig`.
    pub admin_create_user: AdminCreateUserConfig,
    /// `DeviceConfiguration`, if device tracking is on.
    pub devices: Option<DeviceConfiguration>,
    /// `LambdaConfig`: trigger kind → function ARN or hook name.
    pub lambda_config: BTreeMap<String, String>,
    /// `DeletionProtection` active.
    pub deletion_protection: bool,
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: a change of
    /// these (`email`, `phone_number`) waits for verification of the new value while the old,
    /// verified one stays active (in tokens, as the sign-in alias, in AdminGetUser).
    #[serde(default)]
    pub attributes_require_verification_before_update: Vec<String>,
    /// `EmailConfiguration`.
    #[serde(default)]
    pub email_configuration: Option<EmailConfiguration>,
    /// `SmsConfiguration`.
    #[serde(default)]
    pub sms_configuration: Option<SmsConfiguration>,
    /// `LambdaConfig.CustomEmailSender`: a function that delivers every email itself.
    #[serde(default)]
    pub custom_email_sender: Option<CustomSenderLambda>,
    /// `LambdaConfig.CustomSMSSender`: a function that delivers every SMS itself.
    #[serde(default)]
    pub custom_sms_sender: Option<CustomSenderLambda>,
    /// `LambdaConfig.KMSKeyID`: the key the custom senders' codes are encrypted under.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// `UserPoolAddOns` and the risk configurations (threat protection).
    #[serde(default)]
    pub threat_protection: crate::ThreatProtection,
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors` (USER_AUTH's first factors).
    #[serde(default = "crate::sign_in_policy::default_first_factors")]
    pub allowed_first_auth_factors: Vec<crate::AuthFactor>,
    /// `WebAuthnConfiguration` (passkeys).
    #[serde(default)]
    pub web_authn: crate::WebAuthnConfig,
    /// `UserPoolTier`.
    #[serde(default)]
    pub tier: crate::PoolTier,
    /// Created (unix seconds).
    #[serde(default)]
    pub created: i64,
    /// Last modified (unix seconds).
    #[serde(default)]
    pub modified: i64,
}

impl PoolConfig {
    /// A pool with Cognito's defaults for everything not given.
    pub fn new(id: UserPoolId, name: &str) -> Result<Self> {
        let config = Self {
            id,
            name: name.to_owned(),
            username_attributes: Vec::new(),
            alias_attributes: Vec::new(),
            case_rule: CaseRule::Sensitive,
            schema: Schema::default(),
            password_policy: PasswordPolicy::default(),
            mfa: MfaConfiguration::Off,
            mfa_factors: MfaFactors::default(),
            auto_verified_attributes: Vec::new(),
            account_recovery: vec![
                RecoveryOption {
                    name: "verified_email".into(),
                    priority: 1,
                },
                RecoveryOption {
                    name: "verified_phone_number".into(),
                    priority: 2,
                },
            ],
            messages: MessageTemplates::default(),
            admin_create_user: AdminCreateUserConfig::default(),
            devices: None,
            lambda_config: BTreeMap::new(),
            deletion_protection: false,
            attributes_require_verification_before_update: Vec::new(),
            email_configuration: None,
            sms_configuration: None,
            custom_email_sender: None,
            custom_sms_sender: None,
            kms_key_id: None,
            threat_protection: crate::ThreatProtection::default(),
            allowed_first_auth_factors: crate::default_first_factors(),
            web_authn: crate::WebAuthnConfig::default(),
            tier: crate::PoolTier::default(),
            created: 0,
            modified: 0,
        };
        config.validate()?;
        Ok(config)
    }

    /// Declares schema attributes (standard changes and custom ones) at creation.
    pub fn with_schema(mut self, declared: &[SchemaAttribute]) -> Result<Self> {
        self.schema = Schema::new(declared)?;
        self.validate()?;
        Ok(self)
    }

    /// Checks the combination of settings.
    pub fn validate(&self) -> Result<()> {
        let name_ok = (1..=128).contains(&self.name.chars().count())
            && self.name.chars().all(|c| {
                c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c)
            });
        if !name_ok {
            return Err(crate::error::constraint(
                "poolName",
                Some(&self.name),
                "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+",
            ));
        }
        for attribute in &self.attributes_require_verification_before_update {
            if !matches!(attribute.as_str(), "email" | "phone_number") {
                return Err(Error::InvalidParameter(format!(
                    "Invalid attribute in AttributesRequireVerificationBeforeUpdate: {attribute}"
                )));
            }
            if !self.auto_verified_attributes.contains(attribute) {
                return Err(Error::InvalidParameter(
                    "The attributes in AttributesRequireVerificationBeforeUpdate must be in AutoVerifiedAttributes."
                        .into(),
                ));
            }
        }
        self.web_authn.validate()?;
        if !self
            .allowed_first_auth_factors
            .contains(&crate::AuthFactor::Password)
        {
            return Err(Error::InvalidParameter(
                "AllowedFirstAuthFactors must include PASSWORD".into(),
            ));
        }
        if !self.username_attributes.is_empty() && !self.alias_attributes.is_empty() {
            return Err(Error::InvalidParameter(
                "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
                    .into(),
            ));
        }
        if let Some(bad) = self
            .username_attributes
            .iter()
            .find(|a| !matches!(a.as_str(), "email" | "phone_number"))
        {
            return Err(Error::InvalidParameter(format!(
                "Invalid username attribute: {bad}"
            )));
        }
        if let Some(bad) = self
            .alias_attributes
            .iter()
            .find(|a| !matches!(a.as_str(), "email" | "phone_number" | "preferred_username"))
        {
            return Err(Error::InvalidParameter(format!(
                "Invalid alias attribute: {bad}"
            )));
        }
        if self
            .alias_attributes
            .iter()
            .any(|a| a == "preferred_username")
            && self
                .schema
                .get("preferred_username")
                .is_some_and(|a| a.required)
        {
            return Err(Error::InvalidParameter(
                "preferred_username cannot be both required and an alias.".into(),
            ));
        }
        if let Some(bad) = self
            .auto_verified_attributes
            .iter()
            .find(|a| !matches!(a.as_str(), "email" | "phone_number"))
        {
            return Err(Error::InvalidParameter(format!(
                "Invalid auto verified attribute: {bad}"
            )));
        }
        if self.mfa != MfaConfiguration::Off
            && !(self.mfa_factors.sms || self.mfa_factors.totp || self.mfa_factors.email)
        {
            return Err(Error::InvalidParameter(
                "At least one MFA method must be enabled when MFA is ON or OPTIONAL.".into(),
            ));
        }
        if let Some(bad) = self
            .lambda_config
            .keys()
            .find(|k| !TRIGGERS.contains(&k.as_str()))
        {
            return Err(Error::InvalidParameter(format!("Unknown trigger {bad}")));
        }
        for m in [
            &self.messages.email_verification_message,
            &self.messages.sms_verification_message,
            &self.messages.sms_authentication_message,
        ] {
            if !m.contains("{####}") {
                return Err(Error::InvalidParameter(
                    "The message template must contain {####}.".into(),
                ));
            }
        }
        for m in [
            &self.messages.invite_email_message,
            &self.messages.invite_sms_message,
        ] {
            if !m.contains("{####}") || !m.contains("{username}") {
                return Err(Error::InvalidParameter(
                    "The invitation template must contain {username} and {####}.".into(),
                ));
            }
        }
        self.validate_delivery()?;
        self.password_policy.validate()
    }

    /// `EmailConfiguration`, `SmsConfiguration` and the custom senders (which need a
    /// `KMSKeyID` to encrypt codes under, as Cognito's guide "Activating custom sender Lambda
    /// triggers" requires).
    fn validate_delivery(&self) -> Result<()> {
        if let Some(c) = &self.email_configuration {
            c.validate()?;
        }
        if let Some(c) = &self.sms_configuration {
            c.validate()?;
        }
        if let Some(c) = &self.custom_email_sender {
            c.validate("lambdaConfig.customEmailSender")?;
        }
        if let Some(c) = &self.custom_sms_sender {
            c.validate("lambdaConfig.customSMSSender")?;
        }
        if let Some(key) = &self.kms_key_id
            && !is_valid_arn(key)
        {
            return Err(crate::error::constraint(
                "lambdaConfig.kMSKeyID",
                Some(key),
                &format!(
                    "Member must satisfy regular expression pattern: {}",
                    crate::delivery::ARN_PATTERN
                ),
            ));
        }
        if (self.custom_email_sender.is_some() || self.custom_sms_sender.is_some())
            && self.kms_key_id.is_none()
        {
            return Err(Error::InvalidParameter(
                "KMSKeyID is required when CustomEmailSender or CustomSMSSender is configured."
                    .into(),
            ));
        }
        Ok(())
    }

    /// Whether `attribute` is a sign-in alias (alias pools) or a username attribute.
    pub fn is_sign_in_attribute(&self, attribute: &str) -> bool {
        self.alias_attributes
            .iter()
            .chain(&self.username_attributes)
            .any(|a| a == attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> UserPoolId {
        UserPoolId::parse("us-east-1_AbCdEf123").expect("id")
    }

    #[test]
    fn defaults_are_valid() {
        let p = PoolConfig::new(id(), "My pool").expect("pool");
        assert_eq!(p.password_policy.minimum_length, 8);
        assert_eq!(p.mfa, MfaConfiguration::Off);
        assert!(PoolConfig::new(id(), "bad/name").is_err());
    }

    #[test]
    fn exclusive_and_checked_settings() {
        let mut p = PoolConfig::new(id(), "p").expect("pool");
        p.username_attributes = vec!["email".into()];
        p.alias_attributes = vec!["phone_number".into()];
        assert_eq!(
            p.validate(),
            Err(Error::InvalidParameter(
                "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
                    .into()
            ))
        );
        p.alias_attributes.clear();
        assert!(p.validate().is_ok());
        p.username_attributes = vec!["preferred_username".into()];
        assert!(p.validate().is_err());
        let mut p = PoolConfig::new(id(), "p").expect("pool");
        p.mfa = MfaConfiguration::On;
        assert!(p.validate().is_err());
        p.mfa_factors.totp = true;
        assert!(p.validate().is_ok());
        p.lambda_config.insert("PreSignup".into(), "arn".into());
        assert!(p.validate().is_err(), "trigger names are exact");
        let mut p = PoolConfig::new(id(), "p").expect("pool");
        p.messages.sms_verification_message = "no code".into();
        assert!(p.validate().is_err());
    }

    #[test]
    fn custom_senders_need_a_kms_key() {
        let mut p = PoolConfig::new(id(), "p").expect("pool");
        p.custom_email_sender = Some(CustomSenderLambda {
            lambda_arn: "arn:aws:lambda:us-east-1:123456789012:function:send".into(),
            lambda_version: "V1_0".into(),
        });
        assert_eq!(
            p.validate(),
            Err(Error::InvalidParameter(
                "KMSKeyID is required when CustomEmailSender or CustomSMSSender is configured."
                    .into()
            ))
        );
        p.kms_key_id = Some("key".into());
        assert!(p.validate().is_err(), "KMSKeyID is an ARN");
        p.kms_key_id = Some(
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        );
        assert_eq!(p.validate(), Ok(()));
        p.email_configuration = Some(EmailConfiguration {
            email_sending_account: crate::EmailSendingAccount::Developer,
            ..Default::default()
        });
        assert!(p.validate().is_err());
    }

    #[test]
    fn pools_stored_before_delivery_settings_still_load() {
        let p = PoolConfig::new(id(), "p").expect("pool");
        let mut json = serde_json::to_value(&p).expect("json");
        for key in [
            "email_configuration",
            "sms_configuration",
            "custom_email_sender",
            "custom_sms_sender",
            "kms_key_id",
        ] {
            json.as_object_mut()
                .expect("object")
                .remove(key)
                .expect(key);
        }
        assert_eq!(serde_json::from_value::<PoolConfig>(json).expect("old"), p);
    }
}
