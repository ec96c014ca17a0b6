//! The scorer interface: what an attempt looks like, what a scorer returns, and why.

use std::fmt;
use std::net::IpAddr;

use crate::event::{AuthEvent, DeviceId, EventType, RiskLevel};

/// The window the facade should count [`IpActivity`] over: one hour. The default scorer's
/// per-IP thresholds assume it.
pub const IP_ACTIVITY_WINDOW_SECONDS: i64 = 3600;

/// Scores one attempt. Implementations must be deterministic: the same input gives the same
/// assessment (no clock, no randomness — the time is [`Attempt::now`]).
///
/// Operator IP exceptions and the security mode are applied around the scorer by
/// [`evaluate`](crate::evaluate), so a scorer cannot lift a block.
pub trait RiskScorer: fmt::Debug + Send + Sync {
    /// The risk of `input`'s attempt.
    fn assess(&self, input: &ScoringInput<'_>) -> Assessment;
}

/// Everything a scorer sees.
#[derive(Debug, Clone, Copy)]
pub struct ScoringInput<'a> {
    /// The attempt being scored.
    pub attempt: Attempt<'a>,
    /// The user's earlier events (any order; not including this attempt), as kept by the
    /// [`RetentionPolicy`](crate::RetentionPolicy).
    pub history: &'a [AuthEvent],
    /// Recent activity from the attempt's IP address across all users.
    pub ip_activity: IpActivity,
}

/// The attempt being scored.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The user's key (their `sub`), for scorers that want it; the default scorer does not.
    pub user: &'a str,
    /// What is being attempted.
    pub event_type: EventType,
    /// The client's address (`ContextData.IpAddress` / `UserContextData.IpAddress`).
    pub ip_address: Option<IpAddr>,
    /// The device: a remembered device's key, or the fingerprint of `EncodedData`.
    pub device: Option<&'a DeviceId>,
    /// The time of the attempt (Unix seconds).
    pub now: i64,
    /// How the attempt has gone so far.
    pub outcome: AttemptOutcome,
}

/// How an attempt has gone when it is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttemptOutcome {
    /// Credentials not checked yet (scored before authentication).
    Pending,
    /// The credentials were right.
    Succeeded,
    /// The credentials were wrong.
    Failed,
}

/// Activity from one IP address in the last [`IP_ACTIVITY_WINDOW_SECONDS`], across all users,
/// as the facade counts it (including the current attempt).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct IpActivity {
    /// How many distinct users were attempted from the address.
    pub distinct_users: u32,
    /// How many attempts from the address failed.
    pub failures: u32,
}

/// A scorer's verdict: the level (or none) and the reasons, each with its points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// The risk level; `None` is Cognito's `NoRisk`.
    pub level: Option<RiskLevel>,
    /// The total of the reasons' points, floored at 0.
    pub score: u32,
    /// Every signal that contributed, in a fixed order.
    pub reasons: Vec<ScoredReason>,
}

impl Assessment {
    /// No risk, no reasons.
    pub fn no_risk() -> Self {
        Self::default()
    }

    /// Whether `reason` contributed.
    pub fn has(&self, reason: RiskReason) -> bool {
        self.reasons.iter().any(|r| r.reason == reason)
    }
}

/// One signal and what it added (negative: what it took away).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScoredReason {
    /// The signal.
    pub reason: RiskReason,
    /// Its points.
    pub points: i32,
}

/// Why an attempt was scored as it was.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RiskReason {
    /// The address is in `BlockedIPRangeList`: blocked whatever the score.
    BlockedIpRange,
    /// The address is in `SkippedIPRangeList`: not scored.
    SkippedIpRange,
    /// The device never completed a successful sign-in for this user.
    NewDevice,
    /// The address's network (/24 for IPv4, /48 for IPv6) never did either.
    NewNetwork,
    /// The latest feedback on an event from this device was `Valid`.
    TrustedDevice,
    /// The latest feedback on an event from this network was `Valid`.
    TrustedNetwork,
    /// The latest feedback on an event from this device was `Invalid`.
    DistrustedDevice,
    /// The latest feedback on an event from this network was `Invalid`.
    DistrustedNetwork,
    /// The user had this many failures in the failure window (this attempt included).
    FailureVelocity {
        /// The failures counted.
        failures: u32,
    },
    /// This many distinct users were attempted from the address.
    ManyUsersFromIp {
        /// The users counted.
        distinct_users: u32,
    },
    /// This many attempts failed from the address (credential stuffing).
    IpFailureVolume {
        /// The failures counted.
        failures: u32,
    },
}

impl RiskReason {
    /// A stable code for logs and metrics (`new_device`, …).
    pub const fn code(self) -> &'static str {
        match self {
            Self::BlockedIpRange => "blocked_ip_range",
            Self::SkippedIpRange => "skipped_ip_range",
            Self::NewDevice => "new_device",
            Self::NewNetwork => "new_network",
            Self::TrustedDevice => "trusted_device",
            Self::TrustedNetwork => "trusted_network",
            Self::DistrustedDevice => "distrusted_device",
            Self::DistrustedNetwork => "distrusted_network",
            Self::FailureVelocity { .. } => "failure_velocity",
            Self::ManyUsersFromIp { .. } => "many_users_from_ip",
            Self::IpFailureVolume { .. } => "ip_failure_volume",
        }
    }
}

impl fmt::Display for RiskReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FailureVelocity { failures } | Self::IpFailureVolume { failures } => {
                write!(f, "{} ({failures})", self.code())
            }
            Self::ManyUsersFromIp { distinct_users } => {
                write!(f, "{} ({distinct_users})", self.code())
            }
            _ => f.write_str(self.code()),
        }
    }
}
