//! Auth events: the record `AdminListUserAuthEvents` returns (`AuthEventType`), typed, plus
//! the device identity the scorer compares (not part of Cognito's shape).
//!
//! Times are Unix seconds, as everywhere in this project.

use std::fmt::Write as _;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::wire::wire_enum;

wire_enum! {
    /// `EventType`.
    pub enum EventType {
        /// `SignIn`.
        SignIn = "SignIn",
        /// `SignUp`.
        SignUp = "SignUp",
        /// `ForgotPassword`.
        ForgotPassword = "ForgotPassword",
        /// `PasswordChange`.
        PasswordChange = "PasswordChange",
        /// `ResendCode`.
        ResendCode = "ResendCode",
    }
}

wire_enum! {
    /// `EventResponseType`.
    pub enum EventResponse {
        /// `Pass`: the attempt succeeded.
        Pass = "Pass",
        /// `Fail`: the attempt failed.
        Fail = "Fail",
        /// `InProgress`: the attempt is waiting for a further challenge.
        InProgress = "InProgress",
    }
}

wire_enum! {
    /// `RiskDecisionType`.
    pub enum RiskDecision {
        /// `NoRisk`: no risk detected, no action taken.
        NoRisk = "NoRisk",
        /// `AccountTakeover`: a risk level was assessed and the configured response applied.
        AccountTakeover = "AccountTakeover",
        /// `Block`: the attempt was prevented.
        Block = "Block",
    }
}

wire_enum! {
    /// `RiskLevelType`. Ordered: `Low < Medium < High`.
    pub enum RiskLevel {
        /// `Low`.
        Low = "Low",
        /// `Medium`.
        Medium = "Medium",
        /// `High`.
        High = "High",
    }
}

wire_enum! {
    /// `ChallengeName` of a `ChallengeResponseType`.
    pub enum ChallengeName {
        /// `Password`.
        Password = "Password",
        /// `Mfa`.
        Mfa = "Mfa",
    }
}

wire_enum! {
    /// `ChallengeResponse` of a `ChallengeResponseType`.
    pub enum ChallengeResponse {
        /// `Success`.
        Success = "Success",
        /// `Failure`.
        Failure = "Failure",
    }
}

wire_enum! {
    /// `FeedbackValueType`.
    pub enum FeedbackValue {
        /// `Valid`: the event was the user (the risk assessment was wrong).
        Valid = "Valid",
        /// `Invalid`: the event was not the user (the risk assessment was right).
        Invalid = "Invalid",
    }
}

/// `AuthEventType`: one recorded authentication event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthEvent {
    /// `EventId`.
    pub event_id: String,
    /// `EventType`.
    pub event_type: EventType,
    /// `CreationDate` (Unix seconds).
    pub creation_date: i64,
    /// `EventResponse`.
    pub event_response: EventResponse,
    /// `EventRisk`.
    pub event_risk: EventRisk,
    /// `ChallengeResponses`.
    #[serde(default)]
    pub challenge_responses: Vec<ChallengeResult>,
    /// `EventContextData`.
    #[serde(default)]
    pub event_context_data: EventContextData,
    /// `EventFeedback`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_feedback: Option<EventFeedback>,
    /// The device the attempt came from, when known. Not part of Cognito's `AuthEventType`:
    /// the facade stores it and leaves it out of responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<DeviceId>,
}

impl AuthEvent {
    /// Whether the event failed: `EventResponse` is `Fail`, or a challenge was failed.
    pub fn is_failure(&self) -> bool {
        self.event_response == EventResponse::Fail
            || self
                .challenge_responses
                .iter()
                .any(|c| c.challenge_response == ChallengeResponse::Failure)
    }

    /// Whether the event succeeded (`EventResponse` is `Pass`).
    pub fn is_success(&self) -> bool {
        self.event_response == EventResponse::Pass
    }

    /// The client's IP address, if recorded.
    pub fn ip_address(&self) -> Option<IpAddr> {
        self.event_context_data.ip_address
    }
}

/// `EventRiskType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRisk {
    /// `RiskDecision`.
    pub risk_decision: RiskDecision,
    /// `RiskLevel` (absent when no risk was assessed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_level: Option<RiskLevel>,
    /// `CompromisedCredentialsDetected`.
    #[serde(default)]
    pub compromised_credentials_detected: bool,
}

impl EventRisk {
    /// No risk, no compromised credentials.
    pub const NONE: Self = Self {
        risk_decision: RiskDecision::NoRisk,
        risk_level: None,
        compromised_credentials_detected: false,
    };
}

/// `ChallengeResponseType`: one challenge of the event and how it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChallengeResult {
    /// `ChallengeName`.
    pub challenge_name: ChallengeName,
    /// `ChallengeResponse`.
    pub challenge_response: ChallengeResponse,
}

/// `EventContextDataType`: where the attempt came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventContextData {
    /// `IpAddress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<IpAddr>,
    /// `DeviceName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
    /// `Timezone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// `City`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `Country`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `EventFeedbackType`: the verdict given on an event by `AdminUpdateAuthEventFeedback` or
/// `UpdateAuthEventFeedback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFeedback {
    /// `FeedbackValue`.
    pub feedback_value: FeedbackValue,
    /// `Provider`: who gave it.
    pub provider: String,
    /// `FeedbackDate` (Unix seconds).
    pub feedback_date: i64,
}

/// A device identity the scorer can compare across attempts.
///
/// Prefer [`DeviceId::Key`] (a remembered device's `DeviceKey`): it is stable.
/// [`DeviceId::Fingerprint`] hashes `UserContextData.EncodedData`, whose format is undocumented
/// — it is only as stable as what the client sends (the AWS advanced-security SDK includes
/// changing values), so an unstable fingerprint shows up as a new device every time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DeviceId {
    /// A tracked device's `DeviceKey`.
    Key(String),
    /// The lower-case hex SHA-256 of the opaque `EncodedData`.
    Fingerprint(String),
}

impl DeviceId {
    /// The fingerprint of an opaque `EncodedData` string (its SHA-256, hex).
    pub fn from_encoded_data(encoded_data: &str) -> Self {
        let digest = Sha256::digest(encoded_data.as_bytes());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            let _ = write!(hex, "{byte:02x}");
        }
        Self::Fingerprint(hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> AuthEvent {
        AuthEvent {
            event_id: "e1".into(),
            event_type: EventType::SignIn,
            creation_date: 1_700_000_000,
            event_response: EventResponse::Pass,
            event_risk: EventRisk {
                risk_decision: RiskDecision::AccountTakeover,
                risk_level: Some(RiskLevel::Medium),
                compromised_credentials_detected: false,
            },
            challenge_responses: vec![ChallengeResult {
                challenge_name: ChallengeName::Password,
                challenge_response: ChallengeResponse::Success,
            }],
            event_context_data: EventContextData {
                ip_address: Some("203.0.113.7".parse().unwrap()),
                device_name: Some("Chrome, Linux".into()),
                timezone: None,
                city: Some("Osaka".into()),
                country: Some("Japan".into()),
            },
            event_feedback: Some(EventFeedback {
                feedback_value: FeedbackValue::Valid,
                provider: "Admin".into(),
                feedback_date: 1_700_000_100,
            }),
            device: Some(DeviceId::Key("us-east-1_device".into())),
        }
    }

    #[test]
    fn serialises_in_cognitos_shape() {
        let json = serde_json::to_value(event()).unwrap();
        assert_eq!(json["EventType"], "SignIn");
        assert_eq!(json["EventResponse"], "Pass");
        assert_eq!(json["EventRisk"]["RiskDecision"], "AccountTakeover");
        assert_eq!(json["EventRisk"]["RiskLevel"], "Medium");
        assert_eq!(json["EventRisk"]["CompromisedCredentialsDetected"], false);
        assert_eq!(json["ChallengeResponses"][0]["ChallengeName"], "Password");
        assert_eq!(
            json["ChallengeResponses"][0]["ChallengeResponse"],
            "Success"
        );
        assert_eq!(json["EventContextData"]["IpAddress"], "203.0.113.7");
        assert_eq!(json["EventFeedback"]["FeedbackValue"], "Valid");
        assert_eq!(serde_json::from_value::<AuthEvent>(json).unwrap(), event());
    }

    #[test]
    fn failure_is_a_failed_response_or_challenge() {
        let mut e = event();
        assert!(e.is_success() && !e.is_failure());
        e.event_response = EventResponse::InProgress;
        e.challenge_responses.push(ChallengeResult {
            challenge_name: ChallengeName::Mfa,
            challenge_response: ChallengeResponse::Failure,
        });
        assert!(e.is_failure() && !e.is_success());
        e.challenge_responses.clear();
        e.event_response = EventResponse::Fail;
        assert!(e.is_failure());
    }

    #[test]
    fn wire_enums_parse_exactly() {
        assert_eq!("InProgress".parse(), Ok(EventResponse::InProgress));
        assert_eq!("NoRisk".parse(), Ok(RiskDecision::NoRisk));
        assert!("signin".parse::<EventType>().is_err());
        assert!(RiskLevel::Low < RiskLevel::Medium && RiskLevel::Medium < RiskLevel::High);
        assert_eq!(EventType::ALL.len(), 5);
    }

    #[test]
    fn fingerprints_are_sha256_hex() {
        assert_eq!(
            DeviceId::from_encoded_data("abc"),
            DeviceId::Fingerprint(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into()
            )
        );
    }
}
