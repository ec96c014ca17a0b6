//! Request and response shapes of the pool and MFA-configuration operations (app clients:
//! `client.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use user_pool_model::{RecoveryOption, SchemaAttribute};

/// `PasswordPolicyType`, every member optional on input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PasswordPolicyType {
    /// 6..99.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_length: Option<u8>,
    /// Uppercase required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_uppercase: Option<bool>,
    /// Lowercase required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_lowercase: Option<bool>,
    /// Digit required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_numbers: Option<bool>,
    /// Symbol required.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_symbols: Option<bool>,
    /// Previous passwords that may not be reused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<u8>,
    /// Temporary password validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password_validity_days: Option<u16>,
}

/// `UserPoolPolicyType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Policies {
    /// `PasswordPolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicyType>,
    /// `SignInPolicy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<super::SignInPolicy>,
}

/// `VerificationMessageTemplateType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VerificationMessageTemplate {
    /// SMS text with `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// Email text with `{####}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// Email subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// `CONFIRM_WITH_CODE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
}

/// `MessageTemplateType` (the invitation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteMessageTemplate {
    /// SMS text with `{username}` and `{####}`.
    #[serde(rename = "SMSMessage", skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    /// Email text with `{username}` and `{####}`.
    #[serde(rename = "EmailMessage", skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    /// Email subject.
    #[serde(rename = "EmailSubject", skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

/// `AdminCreateUserConfigType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminCreateUserConfigType {
    /// Only administrators create users (SignUp refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_admin_create_user_only: Option<bool>,
    /// Legacy temporary-password validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<u16>,
    /// The invitation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<InviteMessageTemplate>,
}

/// `DeviceConfigurationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeviceConfigurationType {
    /// Require MFA on a new device.
    pub challenge_required_on_new_device: bool,
    /// Remember devices only when the user opts in.
    pub device_only_remembered_on_user_prompt: bool,
}

/// `UsernameConfigurationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UsernameConfiguration {
    /// Case-sensitive usernames (the API default is `true`).
    pub case_sensitive: bool,
}

/// `AccountRecoverySettingType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccountRecoverySetting {
    /// The mechanisms in priority order.
    pub recovery_mechanisms: Vec<RecoveryOption>,
}

/// `EmailConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailConfigurationType {
    /// `SourceArn`: the SES identity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    /// `ReplyToEmailAddress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    /// `EmailSendingAccount`: `COGNITO_DEFAULT` or `DEVELOPER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<String>,
    /// `From`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `ConfigurationSet`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

/// `SmsConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SmsConfigurationType {
    /// `SnsCallerArn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns_caller_arn: Option<String>,
    /// `ExternalId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// `SnsRegion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}

/// `CreateUserPool` and `UpdateUserPool` (which names the pool and cannot change the
/// schema or sign-in attributes).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolRequest {
    /// `UserPoolId` (UpdateUserPool).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `PoolName` (CreateUserPool).
    pub pool_name: String,
    /// `Policies`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    /// `DeletionProtection`: `ACTIVE` or `INACTIVE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    /// `LambdaConfig`: trigger name → ARN; `CustomEmailSender` / `CustomSMSSender` →
    /// `{LambdaArn, LambdaVersion}`; `KMSKeyID` → key ARN.
    pub lambda_config: BTreeMap<String, Value>,
    /// `EmailConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<EmailConfigurationType>,
    /// `SmsConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfigurationType>,
    /// `AutoVerifiedAttributes`.
    pub auto_verified_attributes: Vec<String>,
    /// `AliasAttributes`.
    pub alias_attributes: Vec<String>,
    /// `UsernameAttributes`.
    pub username_attributes: Vec<String>,
    /// `SmsVerificationMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    /// `EmailVerificationMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    /// `EmailVerificationSubject`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    /// `VerificationMessageTemplate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    /// `SmsAuthenticationMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    /// `MfaConfiguration`: `OFF`, `ON` or `OPTIONAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// `DeviceConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfigurationType>,
    /// `AdminCreateUserConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfigType>,
    /// `Schema` (CreateUserPool).
    pub schema: Vec<SchemaAttribute>,
    /// `UsernameConfiguration` (CreateUserPool).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    /// `AccountRecoverySetting`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    /// `UserAttributeUpdateSettings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
    /// `UserPoolAddOns` (threat protection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<super::UserPoolAddOns>,
    /// `UserPoolTier` (`LITE`, `ESSENTIALS`, `PLUS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<String>,
}

/// `UserAttributeUpdateSettingsType`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserAttributeUpdateSettings {
    /// `AttributesRequireVerificationBeforeUpdate` (`email`, `phone_number`).
    pub attributes_require_verification_before_update: Vec<String>,
}

/// `UserPoolType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    /// `Id`.
    pub id: String,
    /// `Domain`: the pool's prefix domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `CustomDomain`: the pool's custom domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain: Option<String>,
    /// `Name`.
    pub name: String,
    /// `Arn`.
    pub arn: String,
    /// `Policies`.
    pub policies: Policies,
    /// `DeletionProtection`.
    pub deletion_protection: String,
    /// `LambdaConfig` (ARNs, the custom senders' `{LambdaArn, LambdaVersion}`, `KMSKeyID`).
    pub lambda_config: BTreeMap<String, Value>,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
    /// `EmailConfiguration` (`{EmailSendingAccount: COGNITO_DEFAULT}` unless set).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email_configuration: Option<EmailConfigurationType>,
    /// `SmsConfiguration`, when set.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sms_configuration: Option<SmsConfigurationType>,
    /// `SchemaAttributes`.
    pub schema_attributes: Vec<SchemaAttribute>,
    /// `AutoVerifiedAttributes`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub auto_verified_attributes: Vec<String>,
    /// `AliasAttributes`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub alias_attributes: Vec<String>,
    /// `UsernameAttributes`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub username_attributes: Vec<String>,
    /// `SmsVerificationMessage`.
    pub sms_verification_message: String,
    /// `EmailVerificationMessage`.
    pub email_verification_message: String,
    /// `EmailVerificationSubject`.
    pub email_verification_subject: String,
    /// `VerificationMessageTemplate`.
    pub verification_message_template: VerificationMessageTemplate,
    /// `SmsAuthenticationMessage`.
    pub sms_authentication_message: String,
    /// `MfaConfiguration`.
    pub mfa_configuration: String,
    /// `DeviceConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfigurationType>,
    /// `EstimatedNumberOfUsers`.
    pub estimated_number_of_users: u64,
    /// `AdminCreateUserConfig`.
    pub admin_create_user_config: AdminCreateUserConfigType,
    /// `UsernameConfiguration`.
    pub username_configuration: UsernameConfiguration,
    /// `AccountRecoverySetting`.
    pub account_recovery_setting: AccountRecoverySetting,
    /// `UserAttributeUpdateSettings`.
    pub user_attribute_update_settings: UserAttributeUpdateSettings,
    /// `UserPoolAddOns`.
    pub user_pool_add_ons: super::UserPoolAddOns,
    /// `UserPoolTier`.
    pub user_pool_tier: String,
}

/// `{UserPool}`: CreateUserPool and DescribeUserPool responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolResponse {
    /// The pool.
    pub user_pool: UserPoolType,
}

/// Requests naming only a pool (DescribeUserPool, DeleteUserPool, GetUserPoolMfaConfig,
/// GetCSVHeader).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolIdRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
}

/// A listing request: `MaxResults`/`Limit` and `NextToken` (ListUserPools,
/// ListUserPoolClients, ListGroups, AdminListGroupsForUser, ListUsersInGroup).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListRequest {
    /// `UserPoolId` (not for ListUserPools).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `MaxResults` (pools, clients).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    /// `Limit` (groups, users in a group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `Username` (AdminListGroupsForUser).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `GroupName` (ListUsersInGroup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// `UserPoolDescriptionType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescription {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `LambdaConfig`.
    pub lambda_config: BTreeMap<String, Value>,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
}

/// `ListUserPools` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsResponse {
    /// The page.
    pub user_pools: Vec<UserPoolDescription>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
