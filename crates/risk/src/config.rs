//! The risk configuration: `AdvancedSecurityMode` and the three parts of
//! `SetRiskConfiguration` (compromised credentials, account takeover, IP exceptions), typed.
//!
//! Field names serialise as Cognito's (`EventFilter`, `Actions`, `LowAction`, …) so a stored
//! configuration reads like the API's.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::event::RiskLevel;
use crate::ip_range::RiskExceptionConfiguration;
use crate::notify::NotifyConfiguration;
use crate::wire::wire_enum;

wire_enum! {
    /// `AdvancedSecurityModeType` (`UserPoolAddOns.AdvancedSecurityMode`).
    pub enum AdvancedSecurityMode {
        /// `OFF`: no risk evaluation, no events.
        Off = "OFF",
        /// `AUDIT`: risks are evaluated and recorded; no action is taken and nobody is notified.
        Audit = "AUDIT",
        /// `ENFORCED`: risks are evaluated, recorded and acted on.
        Enforced = "ENFORCED",
    }
}

wire_enum! {
    /// `EventFilterType`: the events compromised-credentials detection checks.
    pub enum EventFilter {
        /// `SIGN_IN`.
        SignIn = "SIGN_IN",
        /// `PASSWORD_CHANGE`.
        PasswordChange = "PASSWORD_CHANGE",
        /// `SIGN_UP`.
        SignUp = "SIGN_UP",
    }
}

wire_enum! {
    /// `CompromisedCredentialsEventActionType`.
    pub enum CompromisedCredentialsEventAction {
        /// `BLOCK`: refuse, and (on sign-in) set the user to `RESET_REQUIRED`.
        Block = "BLOCK",
        /// `NO_ACTION`: record only.
        NoAction = "NO_ACTION",
    }
}

wire_enum! {
    /// `AccountTakeoverEventActionType`.
    pub enum EventAction {
        /// `BLOCK`: refuse the request.
        Block = "BLOCK",
        /// `MFA_IF_CONFIGURED`: challenge with MFA if the user can answer one, else allow.
        MfaIfConfigured = "MFA_IF_CONFIGURED",
        /// `MFA_REQUIRED`: challenge with MFA if the user can answer one, else block.
        MfaRequired = "MFA_REQUIRED",
        /// `NO_ACTION`: allow.
        NoAction = "NO_ACTION",
    }
}

/// What the facade must do for an [`EventAction`], once it knows whether the user can answer
/// an MFA challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Enforcement {
    /// Let the attempt continue.
    Allow,
    /// Challenge with MFA before issuing tokens.
    RequireMfa,
    /// Refuse the attempt.
    Block,
}

impl EventAction {
    /// The enforcement for a user who `can_mfa` (has an MFA method set up or possible), per
    /// Cognito's `AccountTakeoverActionType` description.
    pub const fn enforcement(self, can_mfa: bool) -> Enforcement {
        match (self, can_mfa) {
            (Self::Block, _) | (Self::MfaRequired, false) => Enforcement::Block,
            (Self::MfaIfConfigured | Self::MfaRequired, true) => Enforcement::RequireMfa,
            (Self::MfaIfConfigured, false) | (Self::NoAction, _) => Enforcement::Allow,
        }
    }
}

/// `CompromisedCredentialsRiskConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompromisedCredentialsRiskConfiguration {
    /// `EventFilter`: the events checked. `None` means all of them (Cognito: "Defaults to all
    /// events"); an explicit empty list is treated the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_filter: Option<Vec<EventFilter>>,
    /// `Actions`.
    pub actions: CompromisedCredentialsActions,
}

/// `CompromisedCredentialsActionsType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompromisedCredentialsActions {
    /// `EventAction`.
    pub event_action: CompromisedCredentialsEventAction,
}

impl CompromisedCredentialsRiskConfiguration {
    /// Whether compromised credentials are checked on `event`.
    pub fn applies_to(&self, event: EventFilter) -> bool {
        match &self.event_filter {
            None => true,
            Some(list) => list.is_empty() || list.contains(&event),
        }
    }
}

/// `AccountTakeoverRiskConfigurationType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverRiskConfiguration {
    /// `NotifyConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_configuration: Option<NotifyConfiguration>,
    /// `Actions`.
    pub actions: AccountTakeoverActions,
}

/// `AccountTakeoverActionsType`: the response to each risk level. A level without one gets no
/// action and no notification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverActions {
    /// `LowAction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_action: Option<AccountTakeoverAction>,
    /// `MediumAction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium_action: Option<AccountTakeoverAction>,
    /// `HighAction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_action: Option<AccountTakeoverAction>,
}

impl AccountTakeoverActions {
    /// The action configured for `level`.
    pub const fn for_level(&self, level: RiskLevel) -> Option<AccountTakeoverAction> {
        match level {
            RiskLevel::Low => self.low_action,
            RiskLevel::Medium => self.medium_action,
            RiskLevel::High => self.high_action,
        }
    }
}

/// `AccountTakeoverActionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountTakeoverAction {
    /// `Notify`: whether to send the user the matching notification.
    pub notify: bool,
    /// `EventAction`.
    pub event_action: EventAction,
}

/// A pool's (or an app client's) risk configuration: the typed body of
/// `SetRiskConfiguration` / `DescribeRiskConfiguration` without the pool and client ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RiskConfiguration {
    /// `CompromisedCredentialsRiskConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compromised_credentials_risk_configuration: Option<CompromisedCredentialsRiskConfiguration>,
    /// `AccountTakeoverRiskConfiguration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_takeover_risk_configuration: Option<AccountTakeoverRiskConfiguration>,
    /// `RiskExceptionConfiguration` (checked when built or deserialised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_exception_configuration: Option<RiskExceptionConfiguration>,
}

impl RiskConfiguration {
    /// Checks the members that carry constraints (the notification configuration; the IP
    /// ranges are checked when built).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidField`](crate::Error::InvalidField) for the first member that breaks one.
    pub fn validate(&self) -> Result<()> {
        if let Some(notify) = self
            .account_takeover_risk_configuration
            .as_ref()
            .and_then(|atr| atr.notify_configuration.as_ref())
        {
            notify.validate()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn wire_names_round_trip_strictly() {
        for mode in AdvancedSecurityMode::ALL {
            assert_eq!(mode.as_str().parse::<AdvancedSecurityMode>(), Ok(*mode));
        }
        for action in EventAction::ALL {
            assert_eq!(action.as_str().parse::<EventAction>(), Ok(*action));
        }
        assert_eq!(
            "enforced".parse::<AdvancedSecurityMode>(),
            Err(Error::UnknownValue {
                type_name: "AdvancedSecurityMode"
            })
        );
        assert_eq!(
            EventFilter::ALL
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>(),
            ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"]
        );
        assert_eq!(
            "MFA_IF_CONFIGURED".parse::<EventAction>(),
            Ok(EventAction::MfaIfConfigured)
        );
        assert!(
            "BLOCK "
                .parse::<CompromisedCredentialsEventAction>()
                .is_err()
        );
    }

    #[test]
    fn enforcement_follows_cognitos_description() {
        use Enforcement::*;
        assert_eq!(EventAction::Block.enforcement(true), Block);
        assert_eq!(EventAction::MfaRequired.enforcement(true), RequireMfa);
        assert_eq!(EventAction::MfaRequired.enforcement(false), Block);
        assert_eq!(EventAction::MfaIfConfigured.enforcement(true), RequireMfa);
        assert_eq!(EventAction::MfaIfConfigured.enforcement(false), Allow);
        assert_eq!(EventAction::NoAction.enforcement(true), Allow);
    }

    #[test]
    fn event_filter_defaults_to_all() {
        let mut config = CompromisedCredentialsRiskConfiguration {
            event_filter: None,
            actions: CompromisedCredentialsActions {
                event_action: CompromisedCredentialsEventAction::Block,
            },
        };
        assert!(EventFilter::ALL.iter().all(|e| config.applies_to(*e)));
        config.event_filter = Some(vec![]);
        assert!(EventFilter::ALL.iter().all(|e| config.applies_to(*e)));
        config.event_filter = Some(vec![EventFilter::SignUp]);
        assert!(config.applies_to(EventFilter::SignUp));
        assert!(!config.applies_to(EventFilter::SignIn));
    }

    #[test]
    fn stored_shape_uses_cognitos_names() {
        let config = RiskConfiguration {
            compromised_credentials_risk_configuration: Some(
                CompromisedCredentialsRiskConfiguration {
                    event_filter: Some(vec![EventFilter::SignIn]),
                    actions: CompromisedCredentialsActions {
                        event_action: CompromisedCredentialsEventAction::Block,
                    },
                },
            ),
            account_takeover_risk_configuration: Some(AccountTakeoverRiskConfiguration {
                notify_configuration: None,
                actions: AccountTakeoverActions {
                    low_action: None,
                    medium_action: None,
                    high_action: Some(AccountTakeoverAction {
                        notify: true,
                        event_action: EventAction::MfaRequired,
                    }),
                },
            }),
            risk_exception_configuration: None,
        };
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            json,
            r#"{"CompromisedCredentialsRiskConfiguration":{"EventFilter":["SIGN_IN"],"Actions":{"EventAction":"BLOCK"}},"AccountTakeoverRiskConfiguration":{"Actions":{"HighAction":{"Notify":true,"EventAction":"MFA_REQUIRED"}}}}"#
        );
        assert_eq!(
            serde_json::from_str::<RiskConfiguration>(&json).unwrap(),
            config
        );
        assert!(
            serde_json::from_str::<RiskConfiguration>(
                r#"{"AccountTakeoverRiskConfiguration":{"Actions":{"LowAction":{"Notify":false,"EventAction":"Block"}}}}"#
            )
            .is_err(),
            "wire values are exact"
        );
        config.validate().unwrap();
    }
}
