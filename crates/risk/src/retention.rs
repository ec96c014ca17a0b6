//! Bounded per-user event retention: keep the newest events, up to a count and an age.

use crate::event::AuthEvent;

/// How many of a user's events to keep, and for how long. The defaults are this project's
/// (Cognito documents no figure): 200 events, 90 days — more than the 60 `AdminListUserAuthEvents`
/// returns in one page, and enough history for the scorer's baselines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// The most events kept per user.
    pub max_events: usize,
    /// The oldest event kept, in seconds before `now`.
    pub max_age_seconds: i64,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            max_events: 200,
            max_age_seconds: 90 * 24 * 3600,
        }
    }
}

/// The outcome of [`RetentionPolicy::apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retained {
    /// The events to keep, newest first.
    pub kept: Vec<AuthEvent>,
    /// The events to delete, newest first.
    pub expired: Vec<AuthEvent>,
}

impl RetentionPolicy {
    /// Splits a user's events into those to keep and those to delete.
    ///
    /// Events are ordered newest first by `CreationDate`, ties by `EventId` (descending), so
    /// the result does not depend on the input order. An event older than `max_age_seconds`
    /// before `now` expires; of the rest, the newest `max_events` are kept. Events dated after
    /// `now` (clock skew) are kept.
    pub fn apply(&self, mut events: Vec<AuthEvent>, now: i64) -> Retained {
        events.sort_by(|a, b| {
            b.creation_date
                .cmp(&a.creation_date)
                .then_with(|| b.event_id.cmp(&a.event_id))
        });
        let oldest = now.saturating_sub(self.max_age_seconds);
        let fresh = events.partition_point(|e| e.creation_date >= oldest);
        let keep = fresh.min(self.max_events);
        let expired = events.split_off(keep);
        Retained {
            kept: events,
            expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventContextData, EventResponse, EventRisk, EventType};

    fn at(id: &str, t: i64) -> AuthEvent {
        AuthEvent {
            event_id: id.into(),
            event_type: EventType::SignIn,
            creation_date: t,
            event_response: EventResponse::Pass,
            event_risk: EventRisk::NONE,
            challenge_responses: vec![],
            event_context_data: EventContextData::default(),
            event_feedback: None,
            device: None,
        }
    }

    fn ids(events: &[AuthEvent]) -> Vec<&str> {
        events.iter().map(|e| e.event_id.as_str()).collect()
    }

    #[test]
    fn keeps_the_newest_n() {
        let policy = RetentionPolicy {
            max_events: 2,
            max_age_seconds: 1_000,
        };
        let out = policy.apply(vec![at("a", 10), at("c", 30), at("b", 20)], 100);
        assert_eq!(ids(&out.kept), ["c", "b"]);
        assert_eq!(ids(&out.expired), ["a"]);
    }

    #[test]
    fn drops_old_events_at_the_boundary() {
        let policy = RetentionPolicy {
            max_events: 10,
            max_age_seconds: 50,
        };
        let out = policy.apply(vec![at("old", 49), at("edge", 50), at("future", 200)], 100);
        assert_eq!(ids(&out.kept), ["future", "edge"]);
        assert_eq!(ids(&out.expired), ["old"]);
    }

    #[test]
    fn ties_are_ordered_by_event_id() {
        let policy = RetentionPolicy {
            max_events: 1,
            max_age_seconds: 1_000,
        };
        let one = policy.apply(vec![at("x", 5), at("y", 5)], 10);
        let other = policy.apply(vec![at("y", 5), at("x", 5)], 10);
        assert_eq!(one, other);
        assert_eq!(ids(&one.kept), ["y"]);
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        let policy = RetentionPolicy {
            max_events: 5,
            max_age_seconds: i64::MAX,
        };
        let out = policy.apply(vec![at("a", i64::MIN), at("b", 0)], i64::MIN + 1);
        assert_eq!(ids(&out.kept), ["b", "a"]);
        assert_eq!(
            RetentionPolicy::default().apply(vec![], 0),
            Retained::default()
        );
    }
}
