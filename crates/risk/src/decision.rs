//! From an assessment to what happens: the security mode, the operator's IP exceptions and the
//! configured account-takeover actions; and the compromised-credentials response.

use crate::config::{
    AccountTakeoverAction, AdvancedSecurityMode, CompromisedCredentialsEventAction,
    CompromisedCredentialsRiskConfiguration, EventAction, EventFilter, RiskConfiguration,
};
use crate::event::{EventRisk, RiskDecision, RiskLevel};
use crate::scorer::{Assessment, RiskReason, RiskScorer, ScoredReason, ScoringInput};

/// The outcome of [`evaluate`]: what was assessed, what is recorded, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The scorer's assessment (or the IP exception that replaced it).
    pub assessment: Assessment,
    /// The `RiskDecision` to record.
    pub risk_decision: RiskDecision,
    /// The response configured for the assessed level (`BLOCK` for a blocked IP range), before
    /// the mode is applied; `None` when there is no risk or nothing is configured for the level.
    pub configured: Option<AccountTakeoverAction>,
    /// The action to take: the configured one in `ENFORCED` mode, `NO_ACTION` otherwise.
    pub action: EventAction,
    /// Whether to notify the user: as configured in `ENFORCED` mode, never otherwise.
    pub notify: bool,
}

impl Decision {
    /// The assessed level (`None` is `NoRisk`).
    pub fn risk_level(&self) -> Option<RiskLevel> {
        self.assessment.level
    }

    /// The event's `EventRisk`, with the compromised-credentials result the facade found.
    pub fn event_risk(&self, compromised_credentials_detected: bool) -> EventRisk {
        EventRisk {
            risk_decision: self.risk_decision,
            risk_level: self.assessment.level,
            compromised_credentials_detected,
        }
    }

    fn nothing(assessment: Assessment) -> Self {
        Self {
            assessment,
            risk_decision: RiskDecision::NoRisk,
            configured: None,
            action: EventAction::NoAction,
            notify: false,
        }
    }
}

/// Evaluates an attempt.
///
/// 1. `OFF`: nothing is scored; no risk, no action.
/// 2. The address is in `BlockedIPRangeList`: `High`, decision `Block`, action `BLOCK`
///    (blocked wins when it is in both lists).
/// 3. The address is in `SkippedIPRangeList`: not scored; no risk.
/// 4. Otherwise `scorer` assesses it. No level: `NoRisk`. A level: the action configured for it
///    in `AccountTakeoverRiskConfiguration` (none configured: `NO_ACTION`, no notification);
///    the decision is `Block` if that action is `BLOCK`, else `AccountTakeover`.
/// 5. `AUDIT`: the decision is recorded as above, but the action is `NO_ACTION` and nobody is
///    notified.
pub fn evaluate(
    mode: AdvancedSecurityMode,
    config: &RiskConfiguration,
    scorer: &dyn RiskScorer,
    input: &ScoringInput<'_>,
) -> Decision {
    if mode == AdvancedSecurityMode::Off {
        return Decision::nothing(Assessment::no_risk());
    }
    let exceptions = config.risk_exception_configuration.as_ref();
    let ip = input.attempt.ip_address;
    let (assessment, configured) = match (exceptions, ip) {
        (Some(exceptions), Some(ip)) if exceptions.is_blocked(ip) => (
            single(RiskReason::BlockedIpRange, RiskLevel::High),
            Some(AccountTakeoverAction {
                // Notified as the configured high-risk action says.
                notify: config
                    .account_takeover_risk_configuration
                    .as_ref()
                    .and_then(|a| a.actions.high_action.as_ref())
                    .is_some_and(|h| h.notify),
                event_action: EventAction::Block,
            }),
        ),
        (Some(exceptions), Some(ip)) if exceptions.is_skipped(ip) => {
            return Decision::nothing(Assessment {
                level: None,
                score: 0,
                reasons: vec![ScoredReason {
                    reason: RiskReason::SkippedIpRange,
                    points: 0,
                }],
            });
        }
        _ => {
            let assessment = scorer.assess(input);
            let configured = assessment.level.and_then(|level| {
                config
                    .account_takeover_risk_configuration
                    .as_ref()
                    .and_then(|atr| atr.actions.for_level(level))
            });
            (assessment, configured)
        }
    };
    if assessment.level.is_none() {
        return Decision::nothing(assessment);
    }
    let configured_action = configured.map_or(EventAction::NoAction, |c| c.event_action);
    let risk_decision = if configured_action == EventAction::Block {
        RiskDecision::Block
    } else {
        RiskDecision::AccountTakeover
    };
    let enforced = mode == AdvancedSecurityMode::Enforced;
    Decision {
        assessment,
        risk_decision,
        configured,
        action: if enforced {
            configured_action
        } else {
            EventAction::NoAction
        },
        notify: enforced && configured.is_some_and(|c| c.notify),
    }
}

fn single(reason: RiskReason, level: RiskLevel) -> Assessment {
    Assessment {
        level: Some(level),
        score: 0,
        reasons: vec![ScoredReason { reason, points: 0 }],
    }
}

/// Whether to check a password against the breached-password filter, and what to do if it is
/// found, for one kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompromisedCredentialsCheck {
    /// Whether to check at all (and record `CompromisedCredentialsDetected`).
    pub check: bool,
    /// The action to take when the password is found.
    pub action_if_detected: CompromisedCredentialsEventAction,
}

/// The compromised-credentials policy for `event`.
///
/// Checked whenever the mode is not `OFF` and the configuration's `EventFilter` covers the event
/// (no configuration: checked, and recorded only). The action is `BLOCK` only in `ENFORCED`
/// mode with a configuration whose action is `BLOCK`; on a sign-in the facade then sets the user
/// to `RESET_REQUIRED` (AWS, "Checking for compromised credentials"). Cognito does not check
/// SRP sign-ins — the password never reaches it — so neither can the facade.
pub fn compromised_credentials_check(
    mode: AdvancedSecurityMode,
    config: Option<&CompromisedCredentialsRiskConfiguration>,
    event: EventFilter,
) -> CompromisedCredentialsCheck {
    let check = mode != AdvancedSecurityMode::Off && config.is_none_or(|c| c.applies_to(event));
    let configured = config.map_or(CompromisedCredentialsEventAction::NoAction, |c| {
        c.actions.event_action
    });
    CompromisedCredentialsCheck {
        check,
        action_if_detected: if check && mode == AdvancedSecurityMode::Enforced {
            configured
        } else {
            CompromisedCredentialsEventAction::NoAction
        },
    }
}

#[cfg(test)]
mod tests;
