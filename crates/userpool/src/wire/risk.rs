//! Threat protection's shapes: `UserPoolAddOns`, the risk configuration operations, auth
//! events and their feedback, and the context data sign-ins carry.

use serde::{Deserialize, Serialize};
use userpool_risk::{
    AccountTakeoverRiskConfiguration, AdvancedSecurityMode,
    CompromisedCredentialsRiskConfiguration, RiskExceptionConfiguration,
};

/// `UserPoolAddOnsType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolAddOns {
    /// `AdvancedSecurityMode`: `OFF`, `AUDIT` or `ENFORCED`.
    pub advanced_security_mode: AdvancedSecurityMode,
    /// `AdvancedSecurityAdditionalFlows`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlows>,
}

/// `AdvancedSecurityAdditionalFlowsType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedSecurityAdditionalFlows {
    /// `CustomAuthMode`: `AUDIT` or `ENFORCED` for custom-auth sign-ins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<AdvancedSecurityMode>,
}

/// `UserContextDataType` (public operations): the end user's address and the device
/// fingerprint the client library collected. The address is used only from clients with
/// `EnablePropagateAdditionalUserContextData`; otherwise the caller's own address counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserContextData {
    /// `IpAddress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// `EncodedData`: opaque; hashed into a device fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// `ContextDataType` (Admin* sign-ins): what the app's server saw of the end user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContextData {
    /// `IpAddress`.
    pub ip_address: String,
    /// `ServerName`.
    pub server_name: String,
    /// `ServerPath`.
    pub server_path: String,
    /// `HttpHeaders`.
    pub http_headers: Vec<HttpHeader>,
    /// `EncodedData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_data: Option<String>,
}

/// `HttpHeader` (lower-case member names, as Cognito spells them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpHeader {
    /// `headerName`.
    #[serde(rename = "headerName")]
    pub header_name: String,
    /// `headerValue`.
    #[serde(rename = "headerValue")]
    pub header_value: String,
}

/// `SetRiskConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SetRiskConfigurationRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId`: the configuration of one client (else the pool's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `CompromisedCredentialsRiskConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compromised_credentials_risk_configuration: Option<CompromisedCredentialsRiskConfiguration>,
    /// `AccountTakeoverRiskConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_takeover_risk_configuration: Option<AccountTakeoverRiskConfiguration>,
    /// `RiskExceptionConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskExceptionConfiguration>,
}

/// `DescribeRiskConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRiskConfigurationRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// `RiskConfigurationType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskConfigurationType {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId` (`ALL` for the pool's own, as Cognito answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `CompromisedCredentialsRiskConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compromised_credentials_risk_configuration: Option<CompromisedCredentialsRiskConfiguration>,
    /// `AccountTakeoverRiskConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_takeover_risk_configuration: Option<AccountTakeoverRiskConfiguration>,
    /// `RiskExceptionConfiguration`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskExceptionConfiguration>,
    /// `LastModifiedDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
}

/// The answer of SetRiskConfiguration and DescribeRiskConfiguration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskConfigurationResponse {
    /// `RiskConfiguration`.
    pub risk_configuration: RiskConfigurationType,
}

/// `AdminListUserAuthEvents`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminListUserAuthEventsRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `MaxResults` (0..=60; 0 or absent: 60).
    pub max_results: Option<u32>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AuthEventType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthEventType {
    /// `EventId`.
    pub event_id: String,
    /// `EventType`: `SignIn`, `SignUp`, `ForgotPassword`, `PasswordChange`, `ResendCode`.
    pub event_type: String,
    /// `CreationDate`.
    pub creation_date: f64,
    /// `EventResponse`: `Pass`, `Fail`, `InProgress`.
    pub event_response: String,
    /// `EventRisk`.
    pub event_risk: EventRiskType,
    /// `ChallengeResponses`.
    pub challenge_responses: Vec<ChallengeResponseType>,
    /// `EventContextData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_context_data: Option<EventContextDataType>,
    /// `EventFeedback`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_feedback: Option<EventFeedbackType>,
}

/// `EventRiskType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRiskType {
    /// `RiskDecision`: `NoRisk`, `AccountTakeover`, `Block`.
    pub risk_decision: String,
    /// `RiskLevel`: `Low`, `Medium`, `High`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_level: Option<String>,
    /// `CompromisedCredentialsDetected`.
    pub compromised_credentials_detected: bool,
}

/// `ChallengeResponseType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChallengeResponseType {
    /// `ChallengeName`: `Password`, `Mfa`.
    pub challenge_name: String,
    /// `ChallengeResponse`: `Success`, `Failure`.
    pub challenge_response: String,
}

/// `EventContextDataType`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventContextDataType {
    /// `IpAddress`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// `DeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// `Timezone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// `City`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `Country`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `EventFeedbackType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFeedbackType {
    /// `FeedbackValue`: `Valid`, `Invalid`.
    pub feedback_value: String,
    /// `Provider`: `Admin` or `User` (userpool's values: who gave it).
    pub provider: String,
    /// `FeedbackDate`.
    pub feedback_date: f64,
}

/// `AdminListUserAuthEvents`'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListUserAuthEventsResponse {
    /// `AuthEvents`, newest first.
    pub auth_events: Vec<AuthEventType>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AdminUpdateAuthEventFeedback`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthEventFeedbackRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `EventId`.
    pub event_id: String,
    /// `FeedbackValue`: `Valid` or `Invalid`.
    pub feedback_value: String,
}

/// `UpdateAuthEventFeedback`: the end user's verdict, authorized by the feedback token from
/// the account-takeover notification.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateAuthEventFeedbackRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `EventId`.
    pub event_id: String,
    /// `FeedbackToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_token: Option<super::SecretString>,
    /// `FeedbackValue`: `Valid` or `Invalid`.
    pub feedback_value: String,
}
