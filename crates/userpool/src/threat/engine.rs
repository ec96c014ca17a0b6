//! Threat protection inside the facade: the breached-password filter, the scorer, per-address
//! activity, and the auth events of each user — what the sign-in and password operations call.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};

use user_pool_model::{AppClient, FoldedUsername, PoolConfig};
use userpool_risk::{
    AdvancedSecurityMode, AttemptOutcome, AuthEvent, BreachFilter,
    CompromisedCredentialsEventAction, Decision, DefaultScorer, DeviceId, EventContextData,
    EventFilter, EventResponse, EventRisk, EventType, IP_ACTIVITY_WINDOW_SECONDS, IpActivity,
    RiskConfiguration, RiskScorer, compromised_credentials_check,
};
use userpool_store::{AuthEventRecord, AuthEventRetention};

use super::history::{HistoryCache, Position};
use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::{ContextData, UserContextData};

/// Events kept per user, and for how long (the risk crate's default policy).
const KEEP_EVENTS: usize = 200;
const KEEP_SECONDS: i64 = 90 * 24 * 3600;
/// Addresses whose activity is remembered at once (oldest forgotten first).
const MAX_ADDRESSES: usize = 100_000;

/// The message of a sign-in blocked for risk (userpool's wording; Cognito's is unconfirmed).
pub(crate) const BLOCKED: &str = "Unable to login because of security reasons.";
/// The message of a password found in the breached-password list.
pub(crate) const COMPROMISED: &str = "Password has been found in a previous data breach.";

/// An event as stored: Cognito's fields, and the digest of the feedback token its
/// notification carried (never returned by any operation).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredEvent {
    #[serde(flatten)]
    pub(crate) event: AuthEvent,
    #[serde(
        rename = "FeedbackTokenSha256",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) feedback_token_sha256: Option<String>,
}

impl StoredEvent {
    /// An event without a notification.
    pub(crate) fn plain(event: AuthEvent) -> Self {
        Self {
            event,
            feedback_token_sha256: None,
        }
    }
}

/// One recent attempt from an address.
#[derive(Clone)]
struct Seen {
    at: i64,
    user: String,
    failed: bool,
}

/// The facade's threat-protection state: shared by every request of a service.
pub(crate) struct RiskEngine {
    breach: OnceLock<Arc<BreachFilter>>,
    scorer: Arc<dyn RiskScorer>,
    activity: Mutex<HashMap<(String, IpAddr), VecDeque<Seen>>>,
    history: HistoryCache,
}

impl std::fmt::Debug for RiskEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RiskEngine").finish_non_exhaustive()
    }
}

/// Where an attempt came from: its address and device.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub(crate) ip: Option<IpAddr>,
    pub(crate) device: Option<DeviceId>,
}

impl Origin {
    /// From a public request: `UserContextData`'s address only from a client allowed to
    /// propagate it, else the caller's own.
    pub(crate) fn public(client: &AppClient, data: Option<&UserContextData>) -> Self {
        let claimed = data
            .filter(|_| client.enable_propagate_additional_user_context_data)
            .and_then(|d| d.ip_address.as_deref())
            .and_then(|ip| ip.parse().ok());
        Self {
            ip: claimed.or_else(super::source::source_ip),
            device: data
                .and_then(|d| d.encoded_data.as_deref())
                .map(DeviceId::from_encoded_data),
        }
    }

    /// From a request that carries no context data: the caller's address.
    pub(crate) fn caller() -> Self {
        Self {
            ip: super::source::source_ip(),
            device: None,
        }
    }

    /// From an Admin* request: its `ContextData` (the app's server vouches for it).
    pub(crate) fn admin(data: Option<&ContextData>) -> Self {
        Self {
            ip: data
                .and_then(|d| d.ip_address.parse().ok())
                .or_else(super::source::source_ip),
            device: data
                .and_then(|d| d.encoded_data.as_deref())
                .map(DeviceId::from_encoded_data),
        }
    }
}

impl RiskEngine {
    pub(crate) fn new(breach: Option<BreachFilter>, scorer: Option<Arc<dyn RiskScorer>>) -> Self {
        let cell = OnceLock::new();
        if let Some(filter) = breach {
            let _ = cell.set(Arc::new(filter));
        }
        Self {
            breach: cell,
            scorer: scorer.unwrap_or_else(|| Arc::new(DefaultScorer::default())),
            activity: Mutex::new(HashMap::new()),
            history: HistoryCache::default(),
        }
    }

    /// The filter (the bundled list, built on first use, unless one was given).
    fn breach(&self) -> Arc<BreachFilter> {
        self.breach
            .get_or_init(|| {
                Arc::new(BreachFilter::bundled().unwrap_or_else(|_| BreachFilter::empty()))
            })
            .clone()
    }

    /// Per-address activity over the last hour (distinct users, failures), `now` included.
    fn activity(&self, pool: &str, ip: IpAddr, now: i64) -> IpActivity {
        let Ok(mut table) = self.activity.lock() else {
            return IpActivity::default();
        };
        let Some(seen) = table.get_mut(&(pool.to_owned(), ip)) else {
            return IpActivity::default();
        };
        seen.retain(|s| s.at > now - IP_ACTIVITY_WINDOW_SECONDS);
        let mut users: Vec<&str> = seen.iter().map(|s| s.user.as_str()).collect();
        users.sort_unstable();
        users.dedup();
        IpActivity {
            distinct_users: u32::try_from(users.len()).unwrap_or(u32::MAX),
            failures: u32::try_from(seen.iter().filter(|s| s.failed).count()).unwrap_or(u32::MAX),
        }
    }

    /// Remembers an attempt from `ip` (bounded: the whole table is dropped when it grows
    /// past [`MAX_ADDRESSES`], which forgets, never blocks).
    pub(crate) fn note(&self, pool: &str, ip: Option<IpAddr>, user: &str, failed: bool, now: i64) {
        let (Some(ip), Ok(mut table)) = (ip, self.activity.lock()) else {
            return;
        };
        if table.len() >= MAX_ADDRESSES {
            table.clear();
        }
        let seen = table.entry((pool.to_owned(), ip)).or_default();
        seen.retain(|s| s.at > now - IP_ACTIVITY_WINDOW_SECONDS);
        if seen.len() < 10_000 {
            seen.push_back(Seen {
                at: now,
                user: user.to_owned(),
                failed,
            });
        }
    }
}

/// The configuration for `client` of `pool` (none: an empty one).
pub(crate) fn configuration<'a>(
    pool: &'a PoolConfig,
    client: &str,
) -> Option<&'a RiskConfiguration> {
    pool.threat_protection
        .for_client(client)
        .map(|c| &c.configuration)
}

impl Core {
    /// Checks `password` against the breached-password list for `event` (sign-up, password
    /// change or reset, password sign-in): `Ok(true)` when found and only recorded,
    /// `Ok(false)` when not found (or not checked), and Cognito's `InvalidPasswordException`
    /// when found and the configuration blocks (a sign-in's caller turns it into a reset).
    pub(crate) fn compromised(
        &self,
        pool: &PoolConfig,
        client: &str,
        event: EventFilter,
        password: &str,
    ) -> Result<bool> {
        let mode = pool.threat_protection.mode;
        let config = configuration(pool, client)
            .and_then(|c| c.compromised_credentials_risk_configuration.as_ref());
        let check = compromised_credentials_check(mode, config, event);
        if !check.check || !self.risk.breach().contains_password(password) {
            return Ok(false);
        }
        crate::audit!(pool = %pool.id.as_str(), event = ?event, "compromised credentials detected");
        if check.action_if_detected == CompromisedCredentialsEventAction::Block {
            return Err(Error::new(ErrorKind::InvalidPassword, COMPROMISED));
        }
        Ok(true)
    }

    /// A password about to be set outside sign-in (`SignUp`, `ForgotPassword`,
    /// `PasswordChange`) by `user` (folded username): the breached-password check, and when
    /// the check blocks, the failed event it leaves. `Ok(found)` otherwise; the caller records
    /// the outcome with [`Core::record_account_event`] once the password is set.
    pub(crate) async fn check_new_password(
        &self,
        pool: &PoolConfig,
        client: &str,
        user: &FoldedUsername,
        event_type: EventType,
        origin: &Origin,
        password: &str,
    ) -> Result<bool> {
        let filter = match event_type {
            EventType::SignUp => EventFilter::SignUp,
            EventType::SignIn => EventFilter::SignIn,
            _ => EventFilter::PasswordChange,
        };
        match self.compromised(pool, client, filter, password) {
            Ok(found) => Ok(found),
            Err(blocked) => {
                self.record_account_event(pool, user, event_type, false, true, origin)
                    .await?;
                Err(blocked)
            }
        }
    }

    /// Records a sign-up, password reset or password change of `user` (folded username) when
    /// threat protection is on: `passed`, and whether the password was found breached.
    pub(crate) async fn record_account_event(
        &self,
        pool: &PoolConfig,
        user: &FoldedUsername,
        event_type: EventType,
        passed: bool,
        compromised: bool,
        origin: &Origin,
    ) -> Result<()> {
        if pool.threat_protection.mode == AdvancedSecurityMode::Off {
            return Ok(());
        }
        let event = AuthEvent {
            event_id: self.entropy.uuid()?,
            event_type,
            creation_date: self.now(),
            event_response: if passed {
                EventResponse::Pass
            } else {
                EventResponse::Fail
            },
            event_risk: EventRisk {
                compromised_credentials_detected: compromised,
                ..EventRisk::NONE
            },
            challenge_responses: Vec::new(),
            event_context_data: EventContextData {
                ip_address: origin.ip,
                ..EventContextData::default()
            },
            event_feedback: None,
            device: origin.device.clone(),
        };
        self.record_event(pool, user, &StoredEvent::plain(event))
            .await
    }

    /// Scores an attempt of `user` (folded username) before it runs.
    pub(crate) async fn assess(
        &self,
        pool: &PoolConfig,
        client: &str,
        user: &FoldedUsername,
        event_type: EventType,
        origin: &Origin,
        mode: AdvancedSecurityMode,
    ) -> Result<Decision> {
        let now = self.now();
        let history = if mode == AdvancedSecurityMode::Off {
            Arc::default()
        } else {
            self.recent_events(pool, user, now).await?
        };
        let ip_activity = origin
            .ip
            .map(|ip| self.risk.activity(pool.id.as_str(), ip, now))
            .unwrap_or_default();
        let input = userpool_risk::ScoringInput {
            attempt: userpool_risk::Attempt {
                user,
                event_type,
                ip_address: origin.ip,
                device: origin.device.as_ref(),
                now,
                outcome: AttemptOutcome::Pending,
            },
            history: history.as_slice(),
            ip_activity,
        };
        let empty = RiskConfiguration::default();
        let config = configuration(pool, client).unwrap_or(&empty);
        Ok(userpool_risk::evaluate(
            mode,
            config,
            self.risk.scorer.as_ref(),
            &input,
        ))
    }

    /// A user's newest events (at most [`KEEP_EVENTS`]): from the history cache when it is
    /// current (one look at the store's newest event), else read, parsed and cached.
    async fn recent_events(
        &self,
        pool: &PoolConfig,
        user: &FoldedUsername,
        now: i64,
    ) -> Result<Arc<Vec<AuthEvent>>> {
        let newest: Option<Position> = self
            .store()
            .list_auth_events(&pool.id, user, 1, None)
            .await?
            .items
            .into_iter()
            .next()
            .map(|r| (r.created, r.event_id));
        let cache = &self.risk.history;
        if let Some(events) = cache.get(pool.id.as_str(), user, newest.as_ref(), now) {
            return Ok(events);
        }
        let events = self.auth_events(pool, user, KEEP_EVENTS).await?;
        Ok(cache.put(pool.id.as_str(), user, events, now))
    }

    /// A user's newest events (at most `limit`).
    pub(crate) async fn auth_events(
        &self,
        pool: &PoolConfig,
        user: &FoldedUsername,
        limit: usize,
    ) -> Result<Vec<AuthEvent>> {
        let page = self
            .store()
            .list_auth_events(&pool.id, user, limit, None)
            .await?;
        Ok(page
            .items
            .iter()
            .filter_map(|r| serde_json::from_str(&r.body).ok())
            .collect())
    }

    /// Stores `event` for `user` (folded username), within the retention.
    pub(crate) async fn record_event(
        &self,
        pool: &PoolConfig,
        user: &FoldedUsername,
        event: &StoredEvent,
    ) -> Result<()> {
        let body = serde_json::to_string(event).map_err(|_| crate::core::internal())?;
        let record = AuthEventRecord {
            event_id: event.event.event_id.clone(),
            user: user.clone(),
            created: event.event.creation_date,
            body,
        };
        let retention = AuthEventRetention {
            keep: KEEP_EVENTS,
            not_before: self.now() - KEEP_SECONDS,
        };
        let not_before = retention.not_before;
        match self
            .store()
            .put_auth_event(&pool.id, record, retention)
            .await
        {
            Ok(()) => {
                self.risk.history.record(
                    pool.id.as_str(),
                    user,
                    &event.event,
                    KEEP_EVENTS,
                    not_before,
                );
                Ok(())
            }
            Err(userpool_store::StoreError::UserNotFound) => Ok(()),
            Err(e) => Err(Error::from(e)),
        }
    }
}
