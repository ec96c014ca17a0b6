//! The mode, the IP exceptions and the configured actions around a scorer.

use std::net::IpAddr;

use super::*;
use crate::config::{
    AccountTakeoverActions, AccountTakeoverRiskConfiguration, CompromisedCredentialsActions,
};
use crate::event::{DeviceId, EventType};
use crate::ip_range::RiskExceptionConfiguration;
use crate::scorer::{Attempt, AttemptOutcome, IpActivity};

/// A scorer that always says the same thing.
#[derive(Debug)]
struct Fixed(Option<RiskLevel>);

impl RiskScorer for Fixed {
    fn assess(&self, _: &ScoringInput<'_>) -> Assessment {
        Assessment {
            level: self.0,
            score: 0,
            reasons: vec![],
        }
    }
}

fn action(event_action: EventAction, notify: bool) -> AccountTakeoverAction {
    AccountTakeoverAction {
        notify,
        event_action,
    }
}

fn config() -> RiskConfiguration {
    RiskConfiguration {
        compromised_credentials_risk_configuration: None,
        account_takeover_risk_configuration: Some(AccountTakeoverRiskConfiguration {
            notify_configuration: None,
            actions: AccountTakeoverActions {
                low_action: None,
                medium_action: Some(action(EventAction::MfaIfConfigured, true)),
                high_action: Some(action(EventAction::Block, true)),
            },
        }),
        risk_exception_configuration: Some(
            RiskExceptionConfiguration::parse(
                &["192.0.2.0/24", "2001:db8:bad::/48"],
                &["10.0.0.0/8", "192.0.2.128/25"],
            )
            .unwrap(),
        ),
    }
}

fn run(mode: AdvancedSecurityMode, scorer: &dyn RiskScorer, addr: Option<&str>) -> Decision {
    let device = DeviceId::Key("d".into());
    let ip: Option<IpAddr> = addr.map(|a| a.parse().unwrap());
    evaluate(
        mode,
        &config(),
        scorer,
        &ScoringInput {
            attempt: Attempt {
                user: "sub",
                event_type: EventType::SignIn,
                ip_address: ip,
                device: Some(&device),
                now: 0,
                outcome: AttemptOutcome::Pending,
            },
            history: &[],
            ip_activity: IpActivity::default(),
        },
    )
}

const ENFORCED: AdvancedSecurityMode = AdvancedSecurityMode::Enforced;
const AUDIT: AdvancedSecurityMode = AdvancedSecurityMode::Audit;

#[test]
fn off_scores_nothing() {
    let d = run(
        AdvancedSecurityMode::Off,
        &Fixed(Some(RiskLevel::High)),
        Some("192.0.2.1"),
    );
    assert_eq!(d.risk_decision, RiskDecision::NoRisk);
    assert_eq!(
        (d.action, d.notify, d.risk_level()),
        (EventAction::NoAction, false, None)
    );
}

#[test]
fn no_level_is_no_risk() {
    let d = run(ENFORCED, &Fixed(None), Some("203.0.113.1"));
    assert_eq!(d.risk_decision, RiskDecision::NoRisk);
    assert_eq!(d.action, EventAction::NoAction);
    assert_eq!(
        d.event_risk(true),
        EventRisk {
            risk_decision: RiskDecision::NoRisk,
            risk_level: None,
            compromised_credentials_detected: true,
        }
    );
}

#[test]
fn the_configured_action_for_the_level_is_taken() {
    let d = run(
        ENFORCED,
        &Fixed(Some(RiskLevel::Medium)),
        Some("203.0.113.1"),
    );
    assert_eq!(d.risk_decision, RiskDecision::AccountTakeover);
    assert_eq!((d.action, d.notify), (EventAction::MfaIfConfigured, true));
    let d = run(ENFORCED, &Fixed(Some(RiskLevel::High)), Some("203.0.113.1"));
    assert_eq!(d.risk_decision, RiskDecision::Block);
    assert_eq!((d.action, d.notify), (EventAction::Block, true));
}

#[test]
fn a_level_without_configured_action_is_recorded_only() {
    let d = run(ENFORCED, &Fixed(Some(RiskLevel::Low)), Some("203.0.113.1"));
    assert_eq!(d.risk_decision, RiskDecision::AccountTakeover);
    assert_eq!(d.configured, None);
    assert_eq!((d.action, d.notify), (EventAction::NoAction, false));
    assert_eq!(d.event_risk(false).risk_level, Some(RiskLevel::Low));
}

#[test]
fn audit_records_but_does_nothing() {
    let d = run(AUDIT, &Fixed(Some(RiskLevel::High)), Some("203.0.113.1"));
    assert_eq!(d.risk_decision, RiskDecision::Block);
    assert_eq!(d.configured, Some(action(EventAction::Block, true)));
    assert_eq!((d.action, d.notify), (EventAction::NoAction, false));
}

#[test]
fn blocked_ranges_block_whatever_the_scorer_says() {
    for addr in ["192.0.2.1", "2001:db8:bad:1::5", "::ffff:192.0.2.9"] {
        let d = run(ENFORCED, &Fixed(None), Some(addr));
        assert_eq!(d.risk_decision, RiskDecision::Block, "{addr}");
        assert_eq!(d.risk_level(), Some(RiskLevel::High));
        assert_eq!(d.action, EventAction::Block);
        assert!(d.assessment.has(RiskReason::BlockedIpRange));
    }
    let audited = run(AUDIT, &Fixed(None), Some("192.0.2.1"));
    assert_eq!(audited.risk_decision, RiskDecision::Block);
    assert_eq!(audited.action, EventAction::NoAction);
}

#[test]
fn blocked_wins_over_skipped() {
    // 192.0.2.200 is in both 192.0.2.0/24 (blocked) and 192.0.2.128/25 (skipped).
    let d = run(ENFORCED, &Fixed(None), Some("192.0.2.200"));
    assert_eq!(d.risk_decision, RiskDecision::Block);
}

#[test]
fn skipped_ranges_are_not_scored() {
    let d = run(ENFORCED, &Fixed(Some(RiskLevel::High)), Some("10.1.2.3"));
    assert_eq!(d.risk_decision, RiskDecision::NoRisk);
    assert_eq!(d.action, EventAction::NoAction);
    assert!(d.assessment.has(RiskReason::SkippedIpRange));
}

#[test]
fn without_an_address_exceptions_do_not_apply() {
    let d = run(ENFORCED, &Fixed(Some(RiskLevel::Medium)), None);
    assert_eq!(d.action, EventAction::MfaIfConfigured);
}

#[test]
fn compromised_credentials_policy() {
    let block_sign_in = CompromisedCredentialsRiskConfiguration {
        event_filter: Some(vec![EventFilter::SignIn]),
        actions: CompromisedCredentialsActions {
            event_action: CompromisedCredentialsEventAction::Block,
        },
    };
    let check = |mode, config, event| compromised_credentials_check(mode, config, event);
    assert_eq!(
        check(ENFORCED, Some(&block_sign_in), EventFilter::SignIn),
        CompromisedCredentialsCheck {
            check: true,
            action_if_detected: CompromisedCredentialsEventAction::Block
        }
    );
    assert_eq!(
        check(ENFORCED, Some(&block_sign_in), EventFilter::SignUp),
        CompromisedCredentialsCheck {
            check: false,
            action_if_detected: CompromisedCredentialsEventAction::NoAction
        }
    );
    assert_eq!(
        check(AUDIT, Some(&block_sign_in), EventFilter::SignIn),
        CompromisedCredentialsCheck {
            check: true,
            action_if_detected: CompromisedCredentialsEventAction::NoAction
        }
    );
    assert_eq!(
        check(ENFORCED, None, EventFilter::PasswordChange),
        CompromisedCredentialsCheck {
            check: true,
            action_if_detected: CompromisedCredentialsEventAction::NoAction
        }
    );
    assert!(
        !check(
            AdvancedSecurityMode::Off,
            Some(&block_sign_in),
            EventFilter::SignIn
        )
        .check
    );
}
