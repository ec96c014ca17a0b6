//! Request and response shapes of the app-client operations.

use serde::{Deserialize, Serialize};

use super::secret::SecretString;

/// `TokenValidityUnitsType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TokenValidityUnits {
    /// Unit of `AccessTokenValidity` (default `hours`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Unit of `IdTokenValidity` (default `hours`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    /// Unit of `RefreshTokenValidity` (default `days`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `RefreshTokenRotationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RefreshTokenRotationType {
    /// `ENABLED` or `DISABLED`.
    pub feature: String,
    /// 0..60.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<u8>,
}

/// `CreateUserPoolClient` and `UpdateUserPoolClient` (full replacement: omitted members
/// return to their defaults).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolClientRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId` (UpdateUserPoolClient).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `ClientName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    /// `GenerateSecret` (CreateUserPoolClient).
    pub generate_secret: bool,
    /// `ClientSecret`: an explicit secret (CreateUserPoolClient).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretString>,
    /// `RefreshTokenValidity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_validity: Option<u64>,
    /// `AccessTokenValidity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_validity: Option<u64>,
    /// `IdTokenValidity`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token_validity: Option<u64>,
    /// `TokenValidityUnits`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_validity_units: Option<TokenValidityUnits>,
    /// `ReadAttributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    /// `WriteAttributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
    /// `ExplicitAuthFlows`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explicit_auth_flows: Option<Vec<String>>,
    /// `SupportedIdentityProviders`.
    pub supported_identity_providers: Vec<String>,
    /// `CallbackURLs`.
    #[serde(rename = "CallbackURLs")]
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`.
    #[serde(rename = "LogoutURLs")]
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI` (one of `CallbackURLs`).
    #[serde(rename = "DefaultRedirectURI", skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    /// `AllowedOAuthFlows`.
    #[serde(rename = "AllowedOAuthFlows")]
    pub allowed_oauth_flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    #[serde(rename = "AllowedOAuthScopes")]
    pub allowed_oauth_scopes: Vec<String>,
    /// `AllowedOAuthFlowsUserPoolClient`.
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: bool,
    /// `PreventUserExistenceErrors`: `LEGACY` or `ENABLED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    /// `EnableTokenRevocation` (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_token_revocation: Option<bool>,
    /// `EnablePropagateAdditionalUserContextData` (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_propagate_additional_user_context_data: Option<bool>,
    /// `AuthSessionValidity` in minutes (3..15, default 3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_session_validity: Option<u8>,
    /// `RefreshTokenRotation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotationType>,
}

/// `UserPoolClientType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientType {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientName`.
    pub client_name: String,
    /// `ClientId`.
    pub client_id: String,
    /// `ClientSecret`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretString>,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
    /// `RefreshTokenValidity`.
    pub refresh_token_validity: u64,
    /// `AccessTokenValidity`.
    pub access_token_validity: u64,
    /// `IdTokenValidity`.
    pub id_token_validity: u64,
    /// `TokenValidityUnits`.
    pub token_validity_units: TokenValidityUnits,
    /// `ReadAttributes` (only when set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_attributes: Option<Vec<String>>,
    /// `WriteAttributes` (only when set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_attributes: Option<Vec<String>>,
    /// `ExplicitAuthFlows`.
    pub explicit_auth_flows: Vec<String>,
    /// `SupportedIdentityProviders`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub supported_identity_providers: Vec<String>,
    /// `CallbackURLs`.
    #[serde(
        rename = "CallbackURLs",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`.
    #[serde(rename = "LogoutURLs", skip_serializing_if = "Vec::is_empty", default)]
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI`.
    #[serde(
        rename = "DefaultRedirectURI",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub default_redirect_uri: Option<String>,
    /// `AllowedOAuthFlows`.
    #[serde(
        rename = "AllowedOAuthFlows",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub allowed_oauth_flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    #[serde(
        rename = "AllowedOAuthScopes",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub allowed_oauth_scopes: Vec<String>,
    /// `AllowedOAuthFlowsUserPoolClient`.
    #[serde(rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: bool,
    /// `PreventUserExistenceErrors`.
    pub prevent_user_existence_errors: String,
    /// `EnableTokenRevocation`.
    pub enable_token_revocation: bool,
    /// `EnablePropagateAdditionalUserContextData`.
    pub enable_propagate_additional_user_context_data: bool,
    /// `AuthSessionValidity`.
    pub auth_session_validity: u8,
    /// `RefreshTokenRotation`.
    pub refresh_token_rotation: RefreshTokenRotationType,
}

/// `{UserPoolClient}`: Create/Describe/UpdateUserPoolClient responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientResponse {
    /// The client.
    pub user_pool_client: UserPoolClientType,
}

/// Requests naming one client (DescribeUserPoolClient, DeleteUserPoolClient).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolClientIdRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId`.
    pub client_id: String,
}

/// `UserPoolClientDescription`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientDescription {
    /// `ClientId`.
    pub client_id: String,
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientName`.
    pub client_name: String,
}

/// `ListUserPoolClients` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsResponse {
    /// The page.
    pub user_pool_clients: Vec<UserPoolClientDescription>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
