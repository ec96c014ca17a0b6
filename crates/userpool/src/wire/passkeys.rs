//! Request and response shapes of the passkey operations and GetUserAuthFactors.

use serde::{Deserialize, Serialize};

use super::secret::SecretString;

/// `StartWebAuthnRegistration` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartWebAuthnRegistrationResponse {
    /// `CredentialCreationOptions`: `PublicKeyCredentialCreationOptionsJSON` (a document).
    pub credential_creation_options: serde_json::Value,
}

/// `CompleteWebAuthnRegistration`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CompleteWebAuthnRegistrationRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `Credential`: `RegistrationResponseJSON` (a document).
    pub credential: serde_json::Value,
}

/// `ListWebAuthnCredentials`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListWebAuthnCredentialsRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// `MaxResults` (1–20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
}

/// `WebAuthnCredentialDescription`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnCredentialDescription {
    /// `CredentialId` (base64url).
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub friendly_credential_name: String,
    /// `RelyingPartyId`.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub authenticator_transports: Vec<String>,
    /// `CreatedAt` (epoch seconds).
    pub created_at: f64,
}

/// `ListWebAuthnCredentials` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListWebAuthnCredentialsResponse {
    /// `Credentials`.
    pub credentials: Vec<WebAuthnCredentialDescription>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `DeleteWebAuthnCredential`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteWebAuthnCredentialRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `CredentialId`.
    pub credential_id: String,
}

/// `GetUserAuthFactors` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAuthFactorsResponse {
    /// `Username`.
    pub username: String,
    /// `PreferredMfaSetting`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// `UserMFASettingList`.
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Vec<String>,
    /// `ConfiguredUserAuthFactors`.
    pub configured_user_auth_factors: Vec<String>,
}

/// `WebAuthnConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct WebAuthnConfiguration {
    /// `RelyingPartyId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    /// `UserVerification`: `required` / `preferred`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// `FactorConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_configuration: Option<String>,
}

/// `SignInPolicyType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SignInPolicy {
    /// `AllowedFirstAuthFactors`.
    pub allowed_first_auth_factors: Vec<String>,
}
