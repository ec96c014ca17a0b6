//! Daily and monthly active users per pool, for the `userpool_active_users` gauges: the
//! numbers the seeds' Pinpoint analytics gave Cognito users (DAU, MAU).
//!
//! A user is active on a UTC day when a sign-in or a token refresh of theirs succeeded that
//! day (what Cognito's own MAU pricing counts: a user with an identity operation that month).
//! Daily: active today (UTC). Monthly: active on any of the last 30 days, today included.
//! Users are kept as a keyed hash of their `sub` (8 bytes and a day each; no identifier in
//! memory dumps), forgotten after 30 days. The count is this process's: it starts empty when
//! the process starts, so a restarted server's MAU is complete only after 30 days (documented
//! in the README; several servers each count what they served).

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// Days a user counts as monthly active.
pub(crate) const MONTH_DAYS: i64 = 30;

/// Active days per pool.
#[derive(Debug, Default)]
pub(crate) struct ActiveUsers {
    keys: RandomState,
    pools: Mutex<HashMap<String, HashMap<u64, i64>>>,
}

/// A pool's counts on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    /// Users active that day.
    pub(crate) daily: u64,
    /// Users active in the 30 days ending that day.
    pub(crate) monthly: u64,
}

fn day(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(86_400)
}

impl ActiveUsers {
    /// `sub` of `pool` was active at `now` (Unix seconds).
    pub(crate) fn note(&self, pool: &str, sub: &str, now: i64) {
        let key = self.keys.hash_one(sub);
        let Ok(mut pools) = self.pools.lock() else {
            return;
        };
        let today = day(now);
        let last = pools
            .entry(pool.to_owned())
            .or_default()
            .entry(key)
            .or_insert(today);
        *last = (*last).max(today);
    }

    /// Each pool's counts at `now`, forgetting users last active over 30 days ago.
    pub(crate) fn counts(&self, now: i64) -> Vec<(String, Counts)> {
        let today = day(now);
        let Ok(mut pools) = self.pools.lock() else {
            return Vec::new();
        };
        pools.retain(|_, users| {
            users.retain(|_, last| *last > today - MONTH_DAYS);
            !users.is_empty()
        });
        let mut counts: Vec<(String, Counts)> = pools
            .iter()
            .map(|(pool, users)| {
                let daily = users.values().filter(|last| **last >= today).count();
                (
                    pool.clone(),
                    Counts {
                        daily: daily as u64,
                        monthly: users.len() as u64,
                    },
                )
            })
            .collect();
        counts.sort_by(|a, b| a.0.cmp(&b.0));
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    const T: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    #[test]
    fn users_count_once_per_day_and_for_thirty_days() {
        let active = ActiveUsers::default();
        active.note("p1", "alice", T + 10);
        active.note("p1", "alice", T + 20);
        active.note("p1", "bob", T + DAY - 1);
        active.note("p2", "alice", T);
        let both = |daily, monthly| Counts { daily, monthly };
        assert_eq!(
            active.counts(T + DAY - 1),
            [("p1".to_owned(), both(2, 2)), ("p2".to_owned(), both(1, 1))]
        );
        // The next UTC day: nobody today, both this month.
        active.note("p1", "bob", T + DAY);
        assert_eq!(
            active.counts(T + DAY).first(),
            Some(&("p1".to_owned(), both(1, 2)))
        );
        // Day 29 after alice's last activity she still counts; day 30 she does not.
        assert_eq!(
            active.counts(T + 29 * DAY).first(),
            Some(&("p1".to_owned(), both(0, 2)))
        );
        assert_eq!(
            active.counts(T + 30 * DAY),
            [("p1".to_owned(), both(0, 1))],
            "alice forgotten (and p2 with her); bob was active a day later"
        );
        assert_eq!(active.counts(T + 31 * DAY), []);
    }

    #[test]
    fn an_older_activity_does_not_move_a_user_back() {
        let active = ActiveUsers::default();
        active.note("p", "alice", T + 5 * DAY);
        active.note("p", "alice", T);
        assert_eq!(
            active.counts(T + 5 * DAY),
            [(
                "p".to_owned(),
                Counts {
                    daily: 1,
                    monthly: 1
                }
            )]
        );
    }
}
