//! The default scorer: a handful of additive, explainable signals.
//!
//! Cognito's risk model is proprietary; this one is documented so an operator can explain any
//! decision from the event's reasons. Each signal adds (or takes away) points; the total,
//! floored at 0, gives the level.
//!
//! | Signal ([`RiskReason`]) | When | Points (default) |
//! | --- | --- | --- |
//! | `NewDevice` | the attempt names a device, the user has at least one successful (`Pass`) event, and none of them came from this device | +20 |
//! | `NewNetwork` | the attempt has an address, the user has a successful event, and none came from this network (the /24 of an IPv4 address, the /48 of an IPv6 one) | +20 |
//! | `TrustedDevice` / `TrustedNetwork` | the most recent feedback on the user's events from this device / network is `Valid` (replaces `NewDevice` / `NewNetwork`) | −10 each |
//! | `DistrustedDevice` / `DistrustedNetwork` | the most recent feedback on them is `Invalid` (replaces the above) | +40 each |
//! | `FailureVelocity` | *f* ≥ 3, where *f* counts the user's failed events in the last 15 minutes, plus this attempt if it failed | +10 × (*f* − 2), at most +40 |
//! | `ManyUsersFromIp` | ≥ 10 distinct users attempted from the address in the last hour | +15 |
//! | `IpFailureVolume` | ≥ 10 failed attempts from the address in the last hour | +30 (≥ 50: +60) |
//!
//! | Total | Level |
//! | --- | --- |
//! | 0 (or less) | none (`NoRisk`) |
//! | 1 – 29 | `Low` |
//! | 30 – 59 | `Medium` |
//! | 60 or more | `High` |
//!
//! So a known device on a known network is no risk; a new device alone is `Low`; a new device
//! on a new network is `Medium`; add three quick failures (or an address that 10 users failed
//! from) and it is `High`, as is a device or network the user has marked `Invalid` when the
//! other is new. A first sign-in (no successful sign-in yet: a sign-up or a password change
//! is not one) has no baseline, so newness is not scored; once there is one, a device or
//! network any successful event came from is known. Before any of this, [`evaluate`](crate::evaluate) applies the operator's
//! `BlockedIPRangeList` (always `Block`) and `SkippedIPRangeList` (never scored).
//!
//! Every number is a field of [`DefaultScorer`]; the table shows [`DefaultScorer::default`].

use std::net::IpAddr;

use crate::event::{AuthEvent, EventType, FeedbackValue, RiskLevel};
use crate::scorer::{
    Assessment, AttemptOutcome, RiskReason, RiskScorer, ScoredReason, ScoringInput,
};

/// The default, documented scorer (see the [module docs](self) for the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultScorer {
    /// Points for a device never seen in a successful event.
    pub new_device: i32,
    /// Points for a network never seen in a successful event.
    pub new_network: i32,
    /// Points for a device or network whose latest feedback is `Valid` (negative).
    pub trusted: i32,
    /// Points for a device or network whose latest feedback is `Invalid`.
    pub distrusted: i32,
    /// The failure-velocity window, in seconds.
    pub failure_window_seconds: i64,
    /// Failures in the window that cost nothing.
    pub free_failures: u32,
    /// Points per failure beyond the free ones.
    pub per_failure: i32,
    /// The most failure velocity can add.
    pub max_failure_points: i32,
    /// Distinct users from one address that count as many.
    pub many_users: u32,
    /// Points for many users from one address.
    pub many_users_points: i32,
    /// Failures from one address that count as a volume.
    pub ip_failures: u32,
    /// Points for that volume.
    pub ip_failures_points: i32,
    /// Failures from one address that count as a flood.
    pub ip_failures_flood: u32,
    /// Points for a flood (instead of `ip_failures_points`).
    pub ip_failures_flood_points: i32,
    /// The lowest total that is `Medium`.
    pub medium_from: u32,
    /// The lowest total that is `High`.
    pub high_from: u32,
}

impl Default for DefaultScorer {
    fn default() -> Self {
        Self {
            new_device: 20,
            new_network: 20,
            trusted: -10,
            distrusted: 40,
            failure_window_seconds: 15 * 60,
            free_failures: 2,
            per_failure: 10,
            max_failure_points: 40,
            many_users: 10,
            many_users_points: 15,
            ip_failures: 10,
            ip_failures_points: 30,
            ip_failures_flood: 50,
            ip_failures_flood_points: 60,
            medium_from: 30,
            high_from: 60,
        }
    }
}

/// What the history says about one device or network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Nothing: no successful event, no feedback.
    New,
    /// Seen in a successful event.
    Known,
    /// Latest feedback `Valid`.
    Trusted,
    /// Latest feedback `Invalid`.
    Distrusted,
}

/// The /24 of an IPv4 address or the /48 of an IPv6 one (IPv4-mapped addresses as IPv4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Network {
    V4(u32),
    V6(u128),
}

/// Prefix lengths of a "network" for [`RiskReason::NewNetwork`].
pub const IPV4_NETWORK_PREFIX: u8 = 24;
/// See [`IPV4_NETWORK_PREFIX`]: a /48 is one site's allocation, so an IPv6 client moving
/// between the /64s of its own site (privacy addresses, prefix rotation) stays on a known network.
pub const IPV6_NETWORK_PREFIX: u8 = 48;

impl Network {
    fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self::V4(u32::from(v4) >> (32 - IPV4_NETWORK_PREFIX)),
            IpAddr::V6(v6) => Self::V6(u128::from(v6) >> (128 - IPV6_NETWORK_PREFIX)),
        }
    }
}

impl RiskScorer for DefaultScorer {
    fn assess(&self, input: &ScoringInput<'_>) -> Assessment {
        let attempt = &input.attempt;
        let history = input.history;
        let baseline = history
            .iter()
            .any(|e| e.event_type == EventType::SignIn && e.is_success());
        let mut reasons = Vec::new();

        if let Some(device) = attempt.device {
            let standing = standing(history, |e| e.device.as_ref() == Some(device));
            self.newness(
                standing,
                baseline,
                [
                    RiskReason::NewDevice,
                    RiskReason::TrustedDevice,
                    RiskReason::DistrustedDevice,
                ],
                self.new_device,
                &mut reasons,
            );
        }
        if let Some(ip) = attempt.ip_address {
            let network = Network::of(ip);
            let standing = standing(history, |e| {
                e.ip_address().map(Network::of) == Some(network)
            });
            self.newness(
                standing,
                baseline,
                [
                    RiskReason::NewNetwork,
                    RiskReason::TrustedNetwork,
                    RiskReason::DistrustedNetwork,
                ],
                self.new_network,
                &mut reasons,
            );
        }

        let window_start = attempt.now.saturating_sub(self.failure_window_seconds);
        let recent_failures = history
            .iter()
            .filter(|e| e.creation_date > window_start && e.creation_date <= attempt.now)
            .filter(|e| e.is_failure())
            .count();
        let failures = u32::try_from(recent_failures)
            .unwrap_or(u32::MAX)
            .saturating_add(u32::from(attempt.outcome == AttemptOutcome::Failed));
        if failures > self.free_failures {
            let extra = i32::try_from(failures - self.free_failures).unwrap_or(i32::MAX);
            let points = extra
                .saturating_mul(self.per_failure)
                .min(self.max_failure_points);
            push(
                &mut reasons,
                RiskReason::FailureVelocity { failures },
                points,
            );
        }

        let activity = input.ip_activity;
        if attempt.ip_address.is_some() {
            if activity.distinct_users >= self.many_users {
                push(
                    &mut reasons,
                    RiskReason::ManyUsersFromIp {
                        distinct_users: activity.distinct_users,
                    },
                    self.many_users_points,
                );
            }
            let volume = if activity.failures >= self.ip_failures_flood {
                Some(self.ip_failures_flood_points)
            } else if activity.failures >= self.ip_failures {
                Some(self.ip_failures_points)
            } else {
                None
            };
            if let Some(points) = volume {
                push(
                    &mut reasons,
                    RiskReason::IpFailureVolume {
                        failures: activity.failures,
                    },
                    points,
                );
            }
        }

        let total: i64 = reasons.iter().map(|r| i64::from(r.points)).sum();
        let score = u32::try_from(total.max(0)).unwrap_or(u32::MAX);
        Assessment {
            level: self.level(score),
            score,
            reasons,
        }
    }
}

impl DefaultScorer {
    /// The level of a total score.
    pub fn level(&self, score: u32) -> Option<RiskLevel> {
        if score == 0 {
            None
        } else if score >= self.high_from {
            Some(RiskLevel::High)
        } else if score >= self.medium_from {
            Some(RiskLevel::Medium)
        } else {
            Some(RiskLevel::Low)
        }
    }

    fn newness(
        &self,
        standing: Standing,
        baseline: bool,
        [new, trusted, distrusted]: [RiskReason; 3],
        new_points: i32,
        reasons: &mut Vec<ScoredReason>,
    ) {
        match standing {
            Standing::New if baseline => push(reasons, new, new_points),
            Standing::New | Standing::Known => {}
            Standing::Trusted => push(reasons, trusted, self.trusted),
            Standing::Distrusted => push(reasons, distrusted, self.distrusted),
        }
    }
}

fn push(reasons: &mut Vec<ScoredReason>, reason: RiskReason, points: i32) {
    reasons.push(ScoredReason { reason, points });
}

/// The standing of whatever `matches` selects: the latest feedback on a matching event wins
/// (by feedback date, then event date, then event id); else known if a matching event succeeded.
fn standing(history: &[AuthEvent], matches: impl Fn(&AuthEvent) -> bool) -> Standing {
    let mut latest_feedback: Option<(&AuthEvent, FeedbackValue, i64)> = None;
    let mut known = false;
    for event in history.iter().filter(|e| matches(e)) {
        if let Some(feedback) = &event.event_feedback {
            let newer = latest_feedback.is_none_or(|(best, _, date)| {
                (feedback.feedback_date, event.creation_date, &event.event_id)
                    > (date, best.creation_date, &best.event_id)
            });
            if newer {
                latest_feedback = Some((event, feedback.feedback_value, feedback.feedback_date));
            }
        }
        known |= event.is_success();
    }
    match latest_feedback {
        Some((_, FeedbackValue::Valid, _)) => Standing::Trusted,
        Some((_, FeedbackValue::Invalid, _)) => Standing::Distrusted,
        None if known => Standing::Known,
        None => Standing::New,
    }
}

#[cfg(test)]
mod tests;
