//! Cognito threat protection ("advanced security"), sans-IO: the pure parts the facade needs.
//!
//! - [`BreachFilter`]: a compact filter over SHA-1 hashes of breached passwords — a bundled list
//!   of common passwords and operator lists in Have I Been Pwned's format — for
//!   compromised-credentials detection.
//! - The risk configuration, typed: [`AdvancedSecurityMode`], [`RiskConfiguration`] with its
//!   compromised-credentials, account-takeover ([`NotifyConfiguration`]) and IP-exception
//!   ([`RiskExceptionConfiguration`]) parts, checked against Cognito's limits.
//! - [`AuthEvent`], the record `AdminListUserAuthEvents` returns, and a bounded per-user
//!   [`RetentionPolicy`].
//! - The [`RiskScorer`] trait and [`DefaultScorer`], a deterministic scorer whose weights and
//!   thresholds are documented as a table in [`default_scorer`]; [`evaluate`] applies the mode,
//!   the operator's IP ranges and the configured actions around any scorer.
//! - The account-takeover notification: [`notification_email`] picks the template and
//!   [`render_notification`] fills Cognito's placeholders.
//!
//! Nothing here reads a clock, draws randomness, or does I/O: times are arguments, lists arrive
//! through `Read`, and the facade stores events and counts per-IP activity.
//!
//! ```
//! use userpool_risk::*;
//!
//! // Compromised credentials: the bundled list knows the usual suspects.
//! let breached = BreachFilter::bundled()?;
//! assert!(breached.contains_password("password1"));
//! assert!(breached.contains_password("Password1"));
//! assert!(!breached.contains_password("correct horse battery staple 1917"));
//!
//! // An operator's list in HIBP format adds to it.
//! let mut filter = breached.clone();
//! assert!(!filter.contains_password("tr0ub4dor&3-leaked"));
//! filter.extend_hibp("265C81D637644064223BA5E1A578240A0D75175F:12\n".as_bytes())?; // SHA-1 of "tr0ub4dor&3-leaked"
//! assert!(filter.contains_password("tr0ub4dor&3-leaked"));
//!
//! // Adaptive authentication: block high risk, require MFA at medium.
//! let config: RiskConfiguration = serde_json::from_str(r#"{
//!     "AccountTakeoverRiskConfiguration": {"Actions": {
//!         "MediumAction": {"Notify": true, "EventAction": "MFA_REQUIRED"},
//!         "HighAction": {"Notify": true, "EventAction": "BLOCK"}}},
//!     "RiskExceptionConfiguration": {"BlockedIPRangeList": ["192.0.2.0/24"]}
//! }"#)?;
//!
//! // The user always signed in from one laptop at home...
//! let laptop = DeviceId::Key("us-east-1_laptop".into());
//! let home = "198.51.100.20".parse()?;
//! let history = [AuthEvent {
//!     event_id: "e-1".into(),
//!     event_type: EventType::SignIn,
//!     creation_date: 1_790_000_000,
//!     event_response: EventResponse::Pass,
//!     event_risk: EventRisk::NONE,
//!     challenge_responses: vec![],
//!     event_context_data: EventContextData { ip_address: Some(home), ..Default::default() },
//!     event_feedback: None,
//!     device: Some(laptop.clone()),
//! }];
//!
//! // ...and now an unknown device on an unknown network tries.
//! let phone = DeviceId::from_encoded_data("opaque-encoded-data");
//! let input = ScoringInput {
//!     attempt: Attempt {
//!         user: "sub-1",
//!         event_type: EventType::SignIn,
//!         ip_address: Some("203.0.113.9".parse()?),
//!         device: Some(&phone),
//!         now: 1_790_086_400,
//!         outcome: AttemptOutcome::Pending,
//!     },
//!     history: &history,
//!     ip_activity: IpActivity::default(),
//! };
//! let decision = evaluate(AdvancedSecurityMode::Enforced, &config, &DefaultScorer::default(), &input);
//! assert_eq!(decision.risk_level(), Some(RiskLevel::Medium));
//! assert!(decision.assessment.has(RiskReason::NewDevice) && decision.assessment.has(RiskReason::NewNetwork));
//! assert_eq!(decision.action, EventAction::MfaRequired);
//! assert_eq!(decision.action.enforcement(false), Enforcement::Block); // no MFA set up
//!
//! // In AUDIT mode the same decision is recorded, and nothing is done.
//! let audited = evaluate(AdvancedSecurityMode::Audit, &config, &DefaultScorer::default(), &input);
//! assert_eq!(audited.risk_decision, RiskDecision::AccountTakeover);
//! assert_eq!((audited.action, audited.notify), (EventAction::NoAction, false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod wire;

mod breach;
mod bundled;
mod config;
mod decision;
pub mod default_scorer;
mod error;
mod event;
mod hibp;
mod ip_range;
mod notification;
mod notify;
mod retention;
mod scorer;

pub use breach::{BreachFilter, EXPECTED_FALSE_POSITIVE_RATE, FALSE_POSITIVE_BOUND};
pub use bundled::{BUNDLED_LIST_LEN, bundled_passwords};
pub use config::{
    AccountTakeoverAction, AccountTakeoverActions, AccountTakeoverRiskConfiguration,
    AdvancedSecurityMode, CompromisedCredentialsActions, CompromisedCredentialsEventAction,
    CompromisedCredentialsRiskConfiguration, Enforcement, EventAction, EventFilter,
    RiskConfiguration,
};
pub use decision::{
    CompromisedCredentialsCheck, Decision, compromised_credentials_check, evaluate,
};
pub use default_scorer::DefaultScorer;
pub use error::{Error, IpRangeList, Result};
pub use event::{
    AuthEvent, ChallengeName, ChallengeResponse, ChallengeResult, DeviceId, EventContextData,
    EventFeedback, EventResponse, EventRisk, EventType, FeedbackValue, RiskDecision, RiskLevel,
};
pub use ip_range::{IpRange, MAX_IP_RANGES, RiskExceptionConfiguration};
pub use notification::{
    NotificationDetails, RenderedNotification, default_email, notification_email,
    render_notification,
};
pub use notify::{NotifyConfiguration, NotifyEmail};
pub use retention::{Retained, RetentionPolicy};
pub use scorer::{
    Assessment, Attempt, AttemptOutcome, IP_ACTIVITY_WINDOW_SECONDS, IpActivity, RiskReason,
    RiskScorer, ScoredReason, ScoringInput,
};
