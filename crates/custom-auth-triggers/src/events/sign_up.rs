//! PreSignUp, PostConfirmation, UserMigration and CustomMessage.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::{ResponseRules, StringMap, null_as_default};

/// PreSignUp request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpRequest {
    /// The attributes signed up with.
    pub user_attributes: StringMap,
    /// `ValidationData` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<StringMap>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// PreSignUp response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpResponse {
    /// Confirm without a code.
    #[serde(default, deserialize_with = "null_as_default")]
    pub auto_confirm_user: bool,
    /// Mark the email verified.
    #[serde(default, deserialize_with = "null_as_default")]
    pub auto_verify_email: bool,
    /// Mark the phone number verified.
    #[serde(default, deserialize_with = "null_as_default")]
    pub auto_verify_phone: bool,
}

impl ResponseRules for PreSignUpResponse {}

/// PostConfirmation request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostConfirmationRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// UserMigration request. The password is a secret: redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserMigrationRequest {
    /// The password typed (absent for `UserMigration_ForgotPassword`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// `ValidationData` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_data: Option<StringMap>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

impl fmt::Debug for UserMigrationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserMigrationRequest")
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("validation_data", &self.validation_data)
            .field("client_metadata", &self.client_metadata)
            .finish()
    }
}

impl Drop for UserMigrationRequest {
    fn drop(&mut self) {
        if let Some(p) = self.password.as_mut() {
            zeroize::Zeroize::zeroize(p);
        }
    }
}

/// UserMigration response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserMigrationResponse {
    /// The migrated user's attributes (required for a migration to happen).
    #[serde(default, deserialize_with = "null_as_default")]
    pub user_attributes: StringMap,
    /// `CONFIRMED` or `RESET_REQUIRED` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_user_status: Option<String>,
    /// `RESEND` or `SUPPRESS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_action: Option<String>,
    /// `SMS` and/or `EMAIL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_delivery_mediums: Option<Vec<String>>,
    /// Move an alias held by another user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    /// Turn on SMS MFA for the migrated user.
    #[serde(
        default,
        rename = "enableSMSMFA",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_sms_mfa: Option<bool>,
}

impl ResponseRules for UserMigrationResponse {
    fn check(&self) -> Result<(), String> {
        if self
            .final_user_status
            .as_deref()
            .is_some_and(|s| s != "CONFIRMED" && s != "RESET_REQUIRED")
        {
            return Err("finalUserStatus must be CONFIRMED or RESET_REQUIRED".into());
        }
        if self
            .message_action
            .as_deref()
            .is_some_and(|s| s != "RESEND" && s != "SUPPRESS")
        {
            return Err("messageAction must be RESEND or SUPPRESS".into());
        }
        if self
            .desired_delivery_mediums
            .as_ref()
            .is_some_and(|m| m.iter().any(|x| x != "SMS" && x != "EMAIL"))
        {
            return Err("desiredDeliveryMediums must be SMS or EMAIL".into());
        }
        Ok(())
    }
}

/// CustomMessage request. Placeholders are sent, and the real code and username are put in
/// after the handler returns (so the code never reaches the handler).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// `{####}`.
    pub code_parameter: String,
    /// `{##Click Here##}`.
    #[serde(default)]
    pub link_parameter: Option<String>,
    /// `{username}` for AdminCreateUser, else `null`.
    #[serde(default)]
    pub username_parameter: Option<String>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// CustomMessage response (`null` members keep the pool's templates).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomMessageResponse {
    /// The SMS text.
    #[serde(default)]
    pub sms_message: Option<String>,
    /// The email body.
    #[serde(default)]
    pub email_message: Option<String>,
    /// The email subject.
    #[serde(default)]
    pub email_subject: Option<String>,
}

impl ResponseRules for CustomMessageResponse {}

impl CustomMessageResponse {
    /// Checks the returned messages against the request: each must keep the code placeholder
    /// (and the username placeholder when one was sent). Accepts `{####}` or `####`.
    pub fn check_placeholders(&self, request: &CustomMessageRequest) -> Result<(), String> {
        let has_code = |m: &str| m.contains(&request.code_parameter) || m.contains("####");
        for (name, message) in [
            ("smsMessage", &self.sms_message),
            ("emailMessage", &self.email_message),
        ] {
            if let Some(m) = message {
                if !has_code(m) {
                    return Err(format!("{name} does not contain the code parameter"));
                }
                if let Some(u) = &request.username_parameter
                    && !m.contains(u.as_str())
                {
                    return Err(format!("{name} does not contain the username parameter"));
                }
            }
        }
        Ok(())
    }
}
