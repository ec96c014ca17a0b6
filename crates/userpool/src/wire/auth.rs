//! Request and response shapes of sign-in, refresh and token revocation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::secret::{SecretMap, SecretString};

/// `InitiateAuth`, and `AdminInitiateAuth` (which adds `UserPoolId`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InitiateAuthRequest {
    /// `UserPoolId` (AdminInitiateAuth only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `ClientId`.
    pub client_id: String,
    /// `AuthFlow`.
    pub auth_flow: String,
    /// `AuthParameters`.
    pub auth_parameters: SecretMap,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
    /// `UserContextData` (public operations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<super::UserContextData>,
    /// `ContextData` (the Admin* operations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_data: Option<super::ContextData>,
}

/// `RespondToAuthChallenge`, and `AdminRespondToAuthChallenge` (which adds `UserPoolId`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RespondToAuthChallengeRequest {
    /// `UserPoolId` (admin only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `ClientId`.
    pub client_id: String,
    /// `ChallengeName`.
    pub challenge_name: String,
    /// `Session`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
    /// `ChallengeResponses`.
    pub challenge_responses: SecretMap,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
    /// `UserContextData` (public operations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<super::UserContextData>,
    /// `ContextData` (the Admin* operations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_data: Option<super::ContextData>,
}

/// `NewDeviceMetadataType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceGroupKey`.
    pub device_group_key: String,
}

/// `AuthenticationResultType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    /// The access token.
    pub access_token: SecretString,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
    /// `Bearer`.
    pub token_type: String,
    /// The refresh token (absent on refresh without rotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<SecretString>,
    /// The ID token.
    pub id_token: SecretString,
    /// A device key to confirm, when the pool tracks devices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// The answer of InitiateAuth / RespondToAuthChallenge (and their admin forms): a challenge
/// or tokens.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    /// The next challenge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    /// The session to send back with the answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SecretString>,
    /// The challenge's parameters (`{}` with tokens).
    pub challenge_parameters: SecretMap,
    /// Tokens, when the sign-in is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    /// `AvailableChallenges` (USER_AUTH's `SELECT_CHALLENGE`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub available_challenges: Vec<String>,
}

/// `GetTokensFromRefreshToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetTokensFromRefreshTokenRequest {
    /// `RefreshToken`.
    pub refresh_token: SecretString,
    /// `ClientId`.
    pub client_id: String,
    /// `ClientSecret` (the secret itself, not a hash).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretString>,
    /// `DeviceKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `GetTokensFromRefreshToken` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenResponse {
    /// The new tokens.
    pub authentication_result: AuthenticationResult,
}

/// `RevokeToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RevokeTokenRequest {
    /// `Token`: a refresh token.
    pub token: SecretString,
    /// `ClientId`.
    pub client_id: String,
    /// `ClientSecret`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretString>,
}
