//! Auth events in memory: per user, inside the pool (so they go with the pool and the user).

use std::collections::HashMap;

use async_trait::async_trait;
use user_pool_model::{FoldedUsername, UserPoolId};

use super::MemoryStore;
use crate::auth_events::{AuthEventRecord, AuthEventRetention, AuthEventStore, listing_key};
use crate::error::{StoreError, StoreResult};
use crate::paging;
use crate::records::Page;

/// Every user's events, by folded username.
#[derive(Default)]
pub(super) struct AuthEvents {
    by_user: HashMap<String, Vec<AuthEventRecord>>,
}

impl AuthEvents {
    /// Forgets a deleted user's events.
    pub(super) fn forget_user(&mut self, user: &str) {
        self.by_user.remove(user);
    }

    fn put(&mut self, event: AuthEventRecord, retention: AuthEventRetention) {
        let events = self
            .by_user
            .entry(event.user.clone().into_string())
            .or_default();
        events.retain(|e| e.event_id != event.event_id && e.created >= retention.not_before);
        // Kept in listing order, so the new event goes where a binary search puts it.
        let key = listing_key(&event);
        let at = events.partition_point(|e| listing_key(e) < key);
        events.insert(at, event);
        events.truncate(retention.keep);
    }
}

/// A listing position: the last event's `(created, id)`.
type Position = (i64, String);

#[async_trait]
impl AuthEventStore for MemoryStore {
    async fn put_auth_event(
        &self,
        pool: &UserPoolId,
        event: AuthEventRecord,
        retention: AuthEventRetention,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            if !p.users.contains(&event.user) {
                return Err(StoreError::UserNotFound);
            }
            p.auth_events.put(event, retention);
            Ok(())
        })
    }

    async fn get_auth_event(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        event_id: &str,
    ) -> StoreResult<Option<AuthEventRecord>> {
        let user = user.as_str();
        self.with_pool(pool, |p| {
            Ok(p.auth_events
                .by_user
                .get(user)
                .and_then(|events| events.iter().find(|e| e.event_id == event_id))
                .cloned())
        })
    }

    async fn list_auth_events(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<AuthEventRecord>> {
        let user = user.as_str();
        let after: Option<Position> = paging::cursor(token)?;
        let size = paging::page_size(limit);
        self.with_pool(pool, |p| {
            let events = p
                .auth_events
                .by_user
                .get(user)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let rows = events
                .iter()
                .filter(|e| match &after {
                    // Strictly after the position in (created desc, id desc) order.
                    Some((created, id)) => {
                        e.created < *created || (e.created == *created && e.event_id < *id)
                    }
                    None => true,
                })
                .take(size + 1)
                .map(|e| ((e.created, e.event_id.clone()), e.clone()));
            Ok(paging::page(rows, size))
        })
    }
}
