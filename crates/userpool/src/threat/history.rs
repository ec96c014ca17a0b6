//! The recent events of active users, parsed, so scoring a sign-in does not re-read and
//! re-parse a user's whole history (up to 200 JSON bodies) on every attempt.
//!
//! The store stays the truth. An entry is used only while it is provably current:
//! - every event this service writes goes through [`HistoryCache::record`] (write-through,
//!   replacing an event re-written with the same id, as feedback is);
//! - before each use the caller compares the store's newest event with the entry's
//!   ([`HistoryCache::get`] takes it): an event written by another process sharing the store
//!   (or a user deleted and re-created) makes it stale and it is reloaded;
//! - an entry older than [`MAX_AGE_SECONDS`] is reloaded, which bounds how long feedback given
//!   through *another* process on an older event can go unseen here.
//!
//! Memory is bounded by the number of cached events ([`MAX_EVENTS`]); the least recently used
//! users are forgotten first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use userpool_risk::AuthEvent;

/// Events held at most, over all users (a few hundred bytes each).
pub(crate) const MAX_EVENTS: usize = 100_000;
/// How long an entry is trusted without reloading (see the module docs).
pub(crate) const MAX_AGE_SECONDS: i64 = 60;

/// A listing position: an event's creation time and id (the store's order key).
pub(crate) type Position = (i64, String);

/// One user's cached events, newest first (the store's listing order).
struct Entry {
    events: Arc<Vec<AuthEvent>>,
    loaded_at: i64,
    used: u64,
}

/// Parsed recent events per `(pool, folded username)`.
#[derive(Default)]
pub(crate) struct HistoryCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<(String, String), Entry>,
    events: usize,
    clock: u64,
}

fn position(event: &AuthEvent) -> (i64, &str) {
    (event.creation_date, event.event_id.as_str())
}

impl HistoryCache {
    /// The cached events of `user`, if the entry is current: its newest event is the store's
    /// `newest` and it was loaded within [`MAX_AGE_SECONDS`] of `now`.
    pub(crate) fn get(
        &self,
        pool: &str,
        user: &str,
        newest: Option<&Position>,
        now: i64,
    ) -> Option<Arc<Vec<AuthEvent>>> {
        let mut inner = self.inner.lock().ok()?;
        inner.clock += 1;
        let clock = inner.clock;
        let key = (pool.to_owned(), user.to_owned());
        let entry = inner.entries.get_mut(&key)?;
        let cached = entry.events.first().map(position);
        let current = cached == newest.map(|(at, id)| (*at, id.as_str()))
            && now.saturating_sub(entry.loaded_at) < MAX_AGE_SECONDS
            && now >= entry.loaded_at;
        if current {
            entry.used = clock;
            return Some(entry.events.clone());
        }
        if let Some(stale) = inner.entries.remove(&key) {
            inner.events = inner.events.saturating_sub(stale.events.len());
        }
        None
    }

    /// Caches `events` (newest first, as just read from the store) for `user`, and returns
    /// them shared.
    pub(crate) fn put(
        &self,
        pool: &str,
        user: &str,
        events: Vec<AuthEvent>,
        now: i64,
    ) -> Arc<Vec<AuthEvent>> {
        let events = Arc::new(events);
        let Ok(mut inner) = self.inner.lock() else {
            return events;
        };
        inner.clock += 1;
        let entry = Entry {
            used: inner.clock,
            loaded_at: now,
            events: events.clone(),
        };
        inner.insert((pool.to_owned(), user.to_owned()), entry);
        events
    }

    /// Applies an event just written for `user` to a cached entry (if any): replaces the
    /// event with the same id, keeps the newest-first order and at most `keep` events, none
    /// created before `not_before` (the store's retention).
    pub(crate) fn record(
        &self,
        pool: &str,
        user: &str,
        event: &AuthEvent,
        keep: usize,
        not_before: i64,
    ) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let key = (pool.to_owned(), user.to_owned());
        let Some(mut entry) = inner.entries.remove(&key) else {
            return;
        };
        inner.events = inner.events.saturating_sub(entry.events.len());
        let events = Arc::make_mut(&mut entry.events);
        events.retain(|e| e.event_id != event.event_id && e.creation_date >= not_before);
        let at = events.partition_point(|e| {
            (e.creation_date, &e.event_id) > (event.creation_date, &event.event_id)
        });
        events.insert(at, event.clone());
        events.truncate(keep);
        inner.insert(key, entry);
    }

    /// Events cached over all users.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().map(|i| i.events).unwrap_or_default()
    }
}

impl Inner {
    fn insert(&mut self, key: (String, String), entry: Entry) {
        if let Some(old) = self.entries.remove(&key) {
            self.events = self.events.saturating_sub(old.events.len());
        }
        self.events += entry.events.len();
        self.entries.insert(key, entry);
        if self.events > MAX_EVENTS {
            self.evict();
        }
    }

    /// Forgets the least recently used users until a quarter of the room is free (in one
    /// pass, so a flood of new users costs an amortised O(log n) each, not a scan each).
    fn evict(&mut self) {
        let mut by_use: Vec<(u64, usize)> = self
            .entries
            .values()
            .map(|e| (e.used, e.events.len()))
            .collect();
        by_use.sort_unstable();
        let target = MAX_EVENTS - MAX_EVENTS / 4;
        let mut left = self.events;
        let mut threshold = 0;
        for (used, len) in by_use {
            if left <= target {
                break;
            }
            left = left.saturating_sub(len);
            threshold = used;
        }
        self.entries.retain(|_, e| e.used > threshold);
        self.events = self.entries.values().map(|e| e.events.len()).sum();
    }
}

#[cfg(test)]
mod tests {
    use userpool_risk::{EventContextData, EventResponse, EventRisk, EventType};

    use super::*;

    fn event(id: &str, at: i64) -> AuthEvent {
        AuthEvent {
            event_id: id.into(),
            event_type: EventType::SignIn,
            creation_date: at,
            event_response: EventResponse::Pass,
            event_risk: EventRisk::NONE,
            challenge_responses: Vec::new(),
            event_context_data: EventContextData::default(),
            event_feedback: None,
            device: None,
        }
    }

    fn ids(events: &[AuthEvent]) -> Vec<&str> {
        events.iter().map(|e| e.event_id.as_str()).collect()
    }

    fn newest(at: i64, id: &str) -> Option<Position> {
        Some((at, id.to_owned()))
    }

    #[test]
    fn a_current_entry_is_served_and_a_stale_one_dropped() {
        let cache = HistoryCache::default();
        cache.put("p", "u", vec![event("b", 20), event("a", 10)], 100);
        let hit = cache.get("p", "u", newest(20, "b").as_ref(), 120);
        assert_eq!(ids(&hit.expect("current")), ["b", "a"]);
        // Another process wrote a newer event: stale, and forgotten.
        assert!(cache.get("p", "u", newest(30, "c").as_ref(), 120).is_none());
        assert_eq!(cache.len(), 0);
        // Another user, another pool: nothing.
        cache.put("p", "u", vec![event("b", 20)], 100);
        assert!(cache.get("p", "v", newest(20, "b").as_ref(), 120).is_none());
        assert!(cache.get("q", "u", newest(20, "b").as_ref(), 120).is_none());
        // The store has no event any more (user deleted): stale.
        assert!(cache.get("p", "u", None, 120).is_none());
    }

    #[test]
    fn an_entry_expires_after_its_age_and_on_a_clock_going_back() {
        let cache = HistoryCache::default();
        cache.put("p", "u", vec![event("a", 10)], 100);
        let at = newest(10, "a");
        assert!(
            cache
                .get("p", "u", at.as_ref(), 100 + MAX_AGE_SECONDS - 1)
                .is_some()
        );
        assert!(
            cache
                .get("p", "u", at.as_ref(), 100 + MAX_AGE_SECONDS)
                .is_none()
        );
        cache.put("p", "u", vec![event("a", 10)], 100);
        assert!(cache.get("p", "u", at.as_ref(), 99).is_none());
    }

    #[test]
    fn writes_go_through_in_listing_order_within_retention() {
        let cache = HistoryCache::default();
        // No entry: a write does not create one (the history would be partial).
        cache.record("p", "u", &event("x", 5), 3, 0);
        assert_eq!(cache.len(), 0);
        cache.put(
            "p",
            "u",
            vec![event("c", 30), event("b", 20), event("a", 10)],
            100,
        );
        cache.record("p", "u", &event("d", 25), 3, 0);
        let got = cache
            .get("p", "u", newest(30, "c").as_ref(), 100)
            .expect("hit");
        assert_eq!(ids(&got), ["c", "d", "b"]);
        // Same id re-written (feedback): replaced, not duplicated; same time orders by id.
        let mut with_feedback = event("d", 25);
        with_feedback.event_response = EventResponse::Fail;
        cache.record("p", "u", &with_feedback, 3, 0);
        cache.record("p", "u", &event("e", 30), 3, 0);
        let got = cache
            .get("p", "u", newest(30, "e").as_ref(), 100)
            .expect("hit");
        assert_eq!(ids(&got), ["e", "c", "d"]);
        assert_eq!(
            got.get(2).map(|e| e.event_response),
            Some(EventResponse::Fail)
        );
        // Retention by age.
        cache.record("p", "u", &event("f", 40), 3, 28);
        let got = cache
            .get("p", "u", newest(40, "f").as_ref(), 100)
            .expect("hit");
        assert_eq!(ids(&got), ["f", "e", "c"]);
    }

    #[test]
    fn memory_is_bounded_least_recently_used_first() {
        let cache = HistoryCache::default();
        let per_user = 1000;
        let users = MAX_EVENTS / per_user;
        let batch = |n: usize| {
            (0..per_user)
                .map(|i| event(&format!("{n}-{i}"), 0))
                .collect()
        };
        for n in 0..users {
            cache.put("p", &n.to_string(), batch(n), 0);
        }
        assert_eq!(cache.len(), MAX_EVENTS);
        // User 0 used again: the least recently used is now user 1.
        assert!(cache.get("p", "0", newest(0, "0-0").as_ref(), 0).is_some());
        cache.put("p", "new", batch(users), 0);
        assert!(cache.len() <= MAX_EVENTS - MAX_EVENTS / 4 + per_user);
        assert!(cache.get("p", "0", newest(0, "0-0").as_ref(), 0).is_some());
        assert!(cache.get("p", "1", newest(0, "1-0").as_ref(), 0).is_none());
        assert!(
            cache
                .get("p", "new", newest(0, &format!("{users}-0")).as_ref(), 0)
                .is_some()
        );
    }
}
