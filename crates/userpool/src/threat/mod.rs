//! Threat protection ("advanced security"): the [`ThreatProtection`] component
//! (SetRiskConfiguration, DescribeRiskConfiguration, AdminListUserAuthEvents,
//! AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback), the account-takeover
//! notifications ([`notify`]) and the engine sign-in and password
//! operations call ([`engine`]).

pub(crate) mod engine;
mod events;
mod history;
pub(crate) mod notify;
pub(crate) mod source;

use std::sync::Arc;

use user_pool_model::{PoolConfig, StoredRiskConfiguration};
use userpool_risk::{AdvancedSecurityMode, RiskConfiguration};

use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

/// Threat protection's operations. Embedders reach it as `service.threat_protection()`.
pub struct ThreatProtection {
    core: Arc<Core>,
}

impl std::fmt::Debug for ThreatProtection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreatProtection").finish_non_exhaustive()
    }
}

/// `ClientId` as Cognito answers it for the pool's own configuration.
const ALL_CLIENTS: &str = "ALL";

/// Refuses a pool whose threat protection is off.
pub(crate) fn require_enabled(pool: &PoolConfig) -> Result<()> {
    if pool.threat_protection.mode == AdvancedSecurityMode::Off {
        return Err(Error::new(
            ErrorKind::UserPoolAddOnNotEnabled,
            "Advanced security features are not enabled for this user pool.",
        ));
    }
    Ok(())
}

fn describe(pool: &PoolConfig, client: Option<&str>) -> RiskConfigurationType {
    let tp = &pool.threat_protection;
    let (client_id, stored) = match client {
        Some(c) => match tp.clients.get(c) {
            Some(own) => (c.to_owned(), Some(own)),
            None => (ALL_CLIENTS.to_owned(), tp.pool.as_ref()),
        },
        None => (ALL_CLIENTS.to_owned(), tp.pool.as_ref()),
    };
    let config = stored.map(|s| &s.configuration);
    RiskConfigurationType {
        user_pool_id: pool.id.as_str().to_owned(),
        client_id: Some(client_id),
        compromised_credentials_risk_configuration: config
            .and_then(|c| c.compromised_credentials_risk_configuration.clone()),
        account_takeover_risk_configuration: config
            .and_then(|c| c.account_takeover_risk_configuration.clone()),
        risk_exception_configuration: config.and_then(|c| c.risk_exception_configuration.clone()),
        last_modified_date: stored.map(|s| s.last_modified as f64),
    }
}

impl ThreatProtection {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// SetRiskConfiguration: the pool's configuration, or one client's (which then replaces
    /// the pool's for that client). With none of the three parts, the configuration is removed.
    pub async fn set_risk_configuration(
        &self,
        req: SetRiskConfigurationRequest,
    ) -> Result<RiskConfigurationResponse> {
        crate::audit::event("SetRiskConfiguration");
        let mut pool = self.core.pool(&req.user_pool_id).await?;
        require_enabled(&pool)?;
        if let Some(client) = &req.client_id {
            self.core.pool_client(&pool, client).await?;
        }
        let configuration = RiskConfiguration {
            compromised_credentials_risk_configuration: req
                .compromised_credentials_risk_configuration,
            account_takeover_risk_configuration: req.account_takeover_risk_configuration,
            risk_exception_configuration: req.risk_exception_configuration,
        };
        configuration
            .validate()
            .map_err(|e| Error::new(ErrorKind::InvalidParameter, e.to_string()))?;
        let empty = configuration == RiskConfiguration::default();
        let stored = (!empty).then(|| StoredRiskConfiguration {
            configuration,
            last_modified: self.core.now(),
        });
        let tp = &mut pool.threat_protection;
        match (&req.client_id, stored) {
            (Some(c), Some(s)) => {
                tp.clients.insert(c.clone(), s);
            }
            (Some(c), None) => {
                tp.clients.remove(c);
            }
            (None, s) => tp.pool = s,
        }
        self.core.store().put_pool(pool.clone()).await?;
        Ok(RiskConfigurationResponse {
            risk_configuration: describe(&pool, req.client_id.as_deref()),
        })
    }

    /// DescribeRiskConfiguration: a client's own configuration, else the pool's.
    pub async fn describe_risk_configuration(
        &self,
        req: DescribeRiskConfigurationRequest,
    ) -> Result<RiskConfigurationResponse> {
        crate::audit::event("DescribeRiskConfiguration");
        let pool = self.core.pool(&req.user_pool_id).await?;
        require_enabled(&pool)?;
        if let Some(client) = &req.client_id {
            self.core.pool_client(&pool, client).await?;
        }
        Ok(RiskConfigurationResponse {
            risk_configuration: describe(&pool, req.client_id.as_deref()),
        })
    }
}
