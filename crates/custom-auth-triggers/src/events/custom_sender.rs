//! The custom sender triggers' request (`CustomEmailSender`, `CustomSMSSender`): Cognito hands
//! the message to the function instead of sending it, with the code encrypted.
//!
//! Shape from the Cognito developer guide ("Custom email sender Lambda trigger", "Custom SMS
//! sender Lambda trigger") and AWS Lambda Powertools' `CustomEmailSenderTriggerSchema` /
//! `CustomSMSSenderTriggerSchema`: `request` is `{type, code, clientMetadata, userAttributes}`
//! and `response` is empty (Cognito ignores it).

use serde::{Deserialize, Serialize};

use super::StringMap;

/// `request.type` of the custom email sender (`LambdaVersion` `V1_0`).
pub const CUSTOM_EMAIL_SENDER_REQUEST_V1: &str = "customEmailSenderRequestV1";
/// `request.type` of the custom SMS sender (`LambdaVersion` `V1_0`).
pub const CUSTOM_SMS_SENDER_REQUEST_V1: &str = "customSMSSenderRequestV1";

/// `CustomEmailSender` / `CustomSMSSender` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomSenderRequest {
    /// `customEmailSenderRequestV1` or `customSMSSenderRequestV1`.
    #[serde(rename = "type")]
    pub request_type: String,
    /// The code or temporary password, encrypted (base64); the function decrypts it. Absent
    /// for messages without a code (`AccountTakeOverNotification`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
    /// The user's attributes (the destination is `email` or `phone_number`).
    pub user_attributes: StringMap,
}
