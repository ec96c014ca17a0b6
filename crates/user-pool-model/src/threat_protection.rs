//! A pool's threat protection: `UserPoolAddOns` and the risk configurations set with
//! `SetRiskConfiguration` (for the pool, and per app client).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use userpool_risk::{AdvancedSecurityMode, RiskConfiguration};

/// `UserPoolAddOns` and the risk configurations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreatProtection {
    /// `AdvancedSecurityMode`.
    pub mode: AdvancedSecurityMode,
    /// `AdvancedSecurityAdditionalFlows.CustomAuthMode` (custom-auth sign-ins).
    #[serde(default)]
    pub custom_auth_mode: Option<AdvancedSecurityMode>,
    /// The pool's configuration (`SetRiskConfiguration` without a client).
    #[serde(default)]
    pub pool: Option<StoredRiskConfiguration>,
    /// Per-client configurations, by client id (they replace the pool's for that client).
    #[serde(default)]
    pub clients: BTreeMap<String, StoredRiskConfiguration>,
}

impl Default for ThreatProtection {
    fn default() -> Self {
        Self {
            mode: AdvancedSecurityMode::Off,
            custom_auth_mode: None,
            pool: None,
            clients: BTreeMap::new(),
        }
    }
}

/// One stored risk configuration and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRiskConfiguration {
    /// The configuration.
    pub configuration: RiskConfiguration,
    /// `LastModifiedDate`, seconds since the epoch.
    pub last_modified: i64,
}

impl ThreatProtection {
    /// The configuration that applies to `client`: its own, else the pool's.
    pub fn for_client(&self, client: &str) -> Option<&StoredRiskConfiguration> {
        self.clients.get(client).or(self.pool.as_ref())
    }

    /// The mode for a sign-in (`custom` for CUSTOM_AUTH: the additional flows' mode, `OFF`
    /// unless set).
    pub fn mode_for(&self, custom: bool) -> AdvancedSecurityMode {
        if custom {
            self.custom_auth_mode.unwrap_or(AdvancedSecurityMode::Off)
        } else {
            self.mode
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_configuration_replaces_the_pools() {
        let mut tp = ThreatProtection::default();
        assert!(tp.for_client("c").is_none());
        let pool = StoredRiskConfiguration {
            configuration: RiskConfiguration::default(),
            last_modified: 1,
        };
        tp.pool = Some(pool.clone());
        assert_eq!(tp.for_client("c"), Some(&pool));
        let own = StoredRiskConfiguration {
            configuration: RiskConfiguration::default(),
            last_modified: 2,
        };
        tp.clients.insert("c".into(), own.clone());
        assert_eq!(tp.for_client("c"), Some(&own));
        assert_eq!(tp.for_client("d"), Some(&pool));
        assert_eq!(tp.mode_for(true), AdvancedSecurityMode::Off);
    }
}
