//! Request and response shapes of software tokens and MFA preferences.

use serde::{Deserialize, Serialize};

use super::secret::SecretString;

/// `AssociateSoftwareToken`: an `AccessToken` (signed-in user) or the `Session` of an
/// `MFA_SETUP` challenge.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssociateSoftwareTokenRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretString>,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
}

/// `AssociateSoftwareToken` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    /// The TOTP seed in base32.
    pub secret_code: SecretString,
    /// The session for VerifySoftwareToken (session flow only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
}

/// `VerifySoftwareToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VerifySoftwareTokenRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretString>,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
    /// `UserCode`: six digits.
    pub user_code: SecretString,
    /// `FriendlyDeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

/// `VerifySoftwareToken` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    /// `SUCCESS`.
    pub status: String,
    /// The `MFA_SETUP` session to answer (session flow only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
}

/// `SMSMfaSettingsType` / `SoftwareTokenMfaSettingsType` / `EmailMfaSettingsType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MfaSettingsType {
    /// `Enabled`.
    pub enabled: bool,
    /// `PreferredMfa`.
    pub preferred_mfa: bool,
}

/// `SetUserMFAPreference`, and `AdminSetUserMFAPreference` (with `UserPoolId`, `Username`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SetUserMfaPreferenceRequest {
    /// `AccessToken` (SetUserMFAPreference).
    #[serde(rename = "AccessToken", skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretString>,
    /// `UserPoolId` (admin).
    #[serde(rename = "UserPoolId", skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `Username` (admin).
    #[serde(rename = "Username", skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `SMSMfaSettings`.
    #[serde(rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettingsType>,
    /// `SoftwareTokenMfaSettings`.
    #[serde(
        rename = "SoftwareTokenMfaSettings",
        skip_serializing_if = "Option::is_none"
    )]
    pub software_token_mfa_settings: Option<MfaSettingsType>,
    /// `EmailMfaSettings`.
    #[serde(rename = "EmailMfaSettings", skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettingsType>,
}

/// `SmsMfaConfigType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SmsMfaConfiguration {
    /// `SmsAuthenticationMessage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
}

/// `SoftwareTokenMfaConfigType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SoftwareTokenMfaConfiguration {
    /// `Enabled`.
    pub enabled: bool,
}

/// `EmailMfaConfigType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailMfaConfiguration {
    /// `Message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `Subject`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// `SetUserPoolMfaConfig` request and response, and `GetUserPoolMfaConfig` response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolMfaConfig {
    /// `UserPoolId` (request only).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_pool_id: String,
    /// `SmsMfaConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfiguration>,
    /// `SoftwareTokenMfaConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfiguration>,
    /// `EmailMfaConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfiguration>,
    /// `MfaConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    /// `WebAuthnConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<super::WebAuthnConfiguration>,
}

/// `GetCSVHeader` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CsvHeaderResponse {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `CSVHeader`.
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}
