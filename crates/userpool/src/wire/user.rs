//! Request and response shapes of the user operations (sign-up, profile, administration,
//! passwords), PascalCase as on the wire. Missing members decode as empty and are refused by
//! the operation with `InvalidParameterException`, as Cognito does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use user_pool_model::{Attribute, User};

use super::secret::SecretString;

/// `CodeDeliveryDetailsType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    /// The masked destination (`a***@e***`, `+*******1212`).
    pub destination: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: String,
    /// `email` or `phone_number`.
    pub attribute_name: String,
}

/// `MFAOptionType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOption {
    /// `SMS`.
    pub delivery_medium: String,
    /// `phone_number`.
    pub attribute_name: String,
}

/// `UserType` (AdminCreateUser, ListUsers, ListUsersInGroup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    /// The internal username.
    pub username: String,
    /// Attributes (all, or `AttributesToGet`).
    pub attributes: Vec<Attribute>,
    /// Epoch seconds.
    pub user_create_date: f64,
    /// Epoch seconds.
    pub user_last_modified_date: f64,
    /// Enabled.
    pub enabled: bool,
    /// `UserStatus`.
    pub user_status: String,
    /// `MFAOptions` (legacy SMS setting).
    #[serde(rename = "MFAOptions", default, skip_serializing_if = "Vec::is_empty")]
    pub mfa_options: Vec<MfaOption>,
}

/// The attributes of `user` as `AttributeType`s, `sub` first, filtered by `keep`.
pub fn user_attributes(user: &User, keep: impl Fn(&str) -> bool) -> Vec<Attribute> {
    std::iter::once(Attribute::new("sub", user.sub.to_string()))
        .chain(
            user.attributes
                .iter()
                .map(|(k, v)| Attribute::new(k.clone(), v.clone())),
        )
        .filter(|a| keep(&a.name))
        .collect()
}

impl UserType {
    /// The wire shape of `user`.
    pub fn of(user: &User) -> Self {
        Self::with_attributes(user, user_attributes(user, |_| true))
    }

    /// The wire shape of `user` with the given attributes.
    pub fn with_attributes(user: &User, attributes: Vec<Attribute>) -> Self {
        Self {
            username: user.username.clone(),
            attributes,
            user_create_date: user.created as f64,
            user_last_modified_date: user.modified as f64,
            enabled: user.enabled,
            user_status: user.status.as_str().to_owned(),
            mfa_options: mfa_options(user),
        }
    }
}

/// The legacy `MFAOptions` of a user with SMS MFA enabled.
pub fn mfa_options(user: &User) -> Vec<MfaOption> {
    if user
        .mfa
        .enabled
        .contains(&user_pool_model::MfaMethod::SmsMfa)
    {
        vec![MfaOption {
            delivery_medium: "SMS".into(),
            attribute_name: "phone_number".into(),
        }]
    } else {
        Vec::new()
    }
}

/// `SignUp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SignUpRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `SecretHash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SecretString>,
    /// `Username`.
    pub username: String,
    /// `Password`.
    pub password: SecretString,
    /// `UserAttributes`.
    pub user_attributes: Vec<Attribute>,
    /// `ValidationData`.
    pub validation_data: Vec<Attribute>,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
    /// `UserContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<super::UserContextData>,
}

/// `SignUp` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    /// Whether the user is confirmed already (PreSignUp auto-confirm).
    pub user_confirmed: bool,
    /// The new user's `sub`.
    pub user_sub: String,
    /// Where the confirmation code went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// `ConfirmSignUp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConfirmSignUpRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `SecretHash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SecretString>,
    /// `Username` (or alias).
    pub username: String,
    /// `ConfirmationCode`.
    pub confirmation_code: SecretString,
    /// `ForceAliasCreation`.
    pub force_alias_creation: bool,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `ResendConfirmationCode` and `ForgotPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ClientUserRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `SecretHash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SecretString>,
    /// `Username` (or alias).
    pub username: String,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
    /// `UserContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<super::UserContextData>,
}

/// A response carrying `CodeDeliveryDetails`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryResponse {
    /// Where the code went.
    pub code_delivery_details: CodeDeliveryDetails,
}

/// `ConfirmForgotPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConfirmForgotPasswordRequest {
    /// `ClientId`.
    pub client_id: String,
    /// `SecretHash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<SecretString>,
    /// `Username` (or alias).
    pub username: String,
    /// `ConfirmationCode`.
    pub confirmation_code: SecretString,
    /// `Password`.
    pub password: SecretString,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
    /// `UserContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_context_data: Option<super::UserContextData>,
}

/// `ChangePassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ChangePasswordRequest {
    /// `PreviousPassword`.
    pub previous_password: SecretString,
    /// `ProposedPassword`.
    pub proposed_password: SecretString,
    /// `AccessToken`.
    pub access_token: SecretString,
}

/// Any request made with only an `AccessToken` (GetUser, DeleteUser, GlobalSignOut).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessTokenRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
}

/// `GetUser` / `AdminGetUser` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    /// The internal username.
    pub username: String,
    /// Attributes the caller may read.
    pub user_attributes: Vec<Attribute>,
    /// Admin only: epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_create_date: Option<f64>,
    /// Admin only: epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_last_modified_date: Option<f64>,
    /// Admin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Admin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_status: Option<String>,
    /// Legacy SMS MFA option.
    #[serde(rename = "MFAOptions", skip_serializing_if = "Vec::is_empty", default)]
    pub mfa_options: Vec<MfaOption>,
    /// `PreferredMfaSetting`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    /// `UserMFASettingList`.
    #[serde(
        rename = "UserMFASettingList",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub user_mfa_setting_list: Vec<String>,
}

/// `UpdateUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateUserAttributesRequest {
    /// `UserAttributes`.
    pub user_attributes: Vec<Attribute>,
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `UpdateUserAttributes` response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    /// Codes sent for changed email / phone number.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

/// `DeleteUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteUserAttributesRequest {
    /// `UserAttributeNames`.
    pub user_attribute_names: Vec<String>,
    /// `AccessToken`.
    pub access_token: SecretString,
}

/// `GetUserAttributeVerificationCode`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetUserAttributeVerificationCodeRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `AttributeName`.
    pub attribute_name: String,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `VerifyUserAttribute`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VerifyUserAttributeRequest {
    /// `AccessToken`.
    pub access_token: SecretString,
    /// `AttributeName`.
    pub attribute_name: String,
    /// `Code`.
    pub code: SecretString,
}

/// Any admin request naming one user (AdminGetUser, AdminDeleteUser, AdminDisableUser,
/// AdminEnableUser, AdminConfirmSignUp, AdminUserGlobalSignOut, AdminResetUserPassword).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username` (or alias).
    pub username: String,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `AdminCreateUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminCreateUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `UserAttributes`.
    pub user_attributes: Vec<Attribute>,
    /// `ValidationData`.
    pub validation_data: Vec<Attribute>,
    /// `TemporaryPassword` (generated when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<SecretString>,
    /// `ForceAliasCreation`.
    pub force_alias_creation: bool,
    /// `MessageAction`: `RESEND` or `SUPPRESS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
    /// `DesiredDeliveryMediums`: `SMS` (default) and/or `EMAIL`.
    pub desired_delivery_mediums: Vec<String>,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `AdminCreateUser` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserResponse {
    /// The user.
    pub user: UserType,
}

/// `AdminUpdateUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminUpdateUserAttributesRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `UserAttributes`.
    pub user_attributes: Vec<Attribute>,
    /// `ClientMetadata`.
    pub client_metadata: BTreeMap<String, String>,
}

/// `AdminDeleteUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminDeleteUserAttributesRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `UserAttributeNames`.
    pub user_attribute_names: Vec<String>,
}

/// `AdminSetUserPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminSetUserPasswordRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `Password`.
    pub password: SecretString,
    /// `Permanent`.
    pub permanent: bool,
}

/// `ListUsers`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListUsersRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `AttributesToGet` (all when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_to_get: Option<Vec<String>>,
    /// `Limit` (0..60; 0 or absent means 60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
    /// `Filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
}

/// `ListUsers` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersResponse {
    /// The page.
    pub users: Vec<UserType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// An operation that answers `{}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Empty {}
