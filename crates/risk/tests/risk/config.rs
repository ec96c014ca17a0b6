//! The risk configuration in Cognito's `SetRiskConfiguration` shape, and event retention.

use userpool_risk::{
    AdvancedSecurityMode, AuthEvent, EventAction, EventContextData, EventFilter, EventResponse,
    EventRisk, EventType, IpRangeList, RetentionPolicy, RiskConfiguration, RiskLevel,
};

/// The body of a `SetRiskConfiguration` request (Cognito API reference, "Request Syntax"),
/// less `UserPoolId` and `ClientId`, with realistic values.
const SET_RISK_CONFIGURATION: &str = r#"{
  "AccountTakeoverRiskConfiguration": {
    "Actions": {
      "HighAction": {"EventAction": "BLOCK", "Notify": true},
      "LowAction": {"EventAction": "NO_ACTION", "Notify": false},
      "MediumAction": {"EventAction": "MFA_IF_CONFIGURED", "Notify": true}
    },
    "NotifyConfiguration": {
      "BlockEmail": {"HtmlBody": "<p>We blocked a sign-in.</p>", "Subject": "Blocked sign-in", "TextBody": "We blocked a sign-in."},
      "From": "security@example.com",
      "MfaEmail": {"Subject": "Verify it is you", "TextBody": "Enter the code we sent."},
      "NoActionEmail": {"Subject": "New sign-in", "TextBody": "Was this you?"},
      "ReplyTo": "support@example.com",
      "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com"
    }
  },
  "CompromisedCredentialsRiskConfiguration": {
    "Actions": {"EventAction": "BLOCK"},
    "EventFilter": ["SIGN_IN", "PASSWORD_CHANGE"]
  },
  "RiskExceptionConfiguration": {
    "BlockedIPRangeList": ["192.0.2.0/24", "2001:db8:bad::/48"],
    "SkippedIPRangeList": ["10.0.0.0/8"]
  }
}"#;

#[test]
fn a_full_set_risk_configuration_body_parses_and_validates() {
    let config: RiskConfiguration = serde_json::from_str(SET_RISK_CONFIGURATION).unwrap();
    config.validate().unwrap();
    let atr = config.account_takeover_risk_configuration.as_ref().unwrap();
    assert_eq!(
        atr.actions
            .for_level(RiskLevel::Medium)
            .unwrap()
            .event_action,
        EventAction::MfaIfConfigured
    );
    let ccr = config
        .compromised_credentials_risk_configuration
        .as_ref()
        .unwrap();
    assert!(ccr.applies_to(EventFilter::PasswordChange) && !ccr.applies_to(EventFilter::SignUp));
    let exceptions = config.risk_exception_configuration.as_ref().unwrap();
    assert!(exceptions.is_blocked("2001:db8:bad:7::1".parse().unwrap()));
    assert!(exceptions.is_skipped("10.9.8.7".parse().unwrap()));

    let stored = serde_json::to_string(&config).unwrap();
    assert_eq!(
        serde_json::from_str::<RiskConfiguration>(&stored).unwrap(),
        config
    );
}

#[test]
fn a_bad_range_in_a_stored_configuration_is_refused() {
    let bad = SET_RISK_CONFIGURATION.replace("10.0.0.0/8", "10.0.0.0");
    assert!(serde_json::from_str::<RiskConfiguration>(&bad).is_err());
    assert_eq!(IpRangeList::Skipped.as_str(), "SkippedIPRangeList");
}

#[test]
fn security_modes_use_cognitos_names() {
    assert_eq!(
        AdvancedSecurityMode::ALL
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>(),
        ["OFF", "AUDIT", "ENFORCED"]
    );
    assert_eq!(
        serde_json::to_string(&AdvancedSecurityMode::Enforced).unwrap(),
        r#""ENFORCED""#
    );
}

#[test]
fn retention_bounds_a_users_history() {
    let event = |i: i64| AuthEvent {
        event_id: format!("e{i:03}"),
        event_type: EventType::SignIn,
        creation_date: 1_790_000_000 + i * 3600,
        event_response: EventResponse::Pass,
        event_risk: EventRisk::NONE,
        challenge_responses: vec![],
        event_context_data: EventContextData::default(),
        event_feedback: None,
        device: None,
    };
    let events: Vec<AuthEvent> = (0..300).map(event).collect();
    let now = 1_790_000_000 + 299 * 3600;
    let out = RetentionPolicy::default().apply(events, now);
    assert_eq!(out.kept.len(), 200);
    assert_eq!(out.expired.len(), 100);
    assert_eq!(out.kept.first().unwrap().event_id, "e299");
    assert_eq!(out.kept.last().unwrap().event_id, "e100");
}
