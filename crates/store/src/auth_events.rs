//! Threat protection's auth events: what each sign-in, sign-up, password change or reset
//! attempt of a user looked like and how it was judged. The event itself is opaque here
//! (JSON written and read by the facade); the store keys, orders, bounds and cascades it.

use async_trait::async_trait;
use user_pool_model::{FoldedUsername, UserPoolId};

use crate::error::StoreResult;
use crate::records::Page;

/// One stored auth event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthEventRecord {
    /// `EventId`, unique per user.
    pub event_id: String,
    /// The user's folded username.
    pub user: FoldedUsername,
    /// `CreationDate`, seconds since the epoch: events list newest first.
    pub created: i64,
    /// The event (the facade's JSON).
    pub body: String,
}

/// How many of a user's events are kept, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthEventRetention {
    /// At most this many per user (the newest).
    pub keep: usize,
    /// None created before this (seconds since the epoch).
    pub not_before: i64,
}

/// Auth events per user, newest first; a user's events go with the user and its pool.
#[async_trait]
pub trait AuthEventStore: Send + Sync {
    /// Records `event`, or replaces the user's event with its id (its feedback, its final
    /// response), then forgets the user's events outside `retention`.
    /// [`UserNotFound`](crate::StoreError::UserNotFound) if the user does not exist.
    async fn put_auth_event(
        &self,
        pool: &UserPoolId,
        event: AuthEventRecord,
        retention: AuthEventRetention,
    ) -> StoreResult<()>;
    /// One event of a user by id.
    async fn get_auth_event(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        event_id: &str,
    ) -> StoreResult<Option<AuthEventRecord>>;
    /// A user's events, newest first (ties by id).
    async fn list_auth_events(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<AuthEventRecord>>;
}

/// The listing order: newest first, then by id descending.
pub(crate) fn listing_key(
    event: &AuthEventRecord,
) -> (std::cmp::Reverse<i64>, std::cmp::Reverse<&str>) {
    (
        std::cmp::Reverse(event.created),
        std::cmp::Reverse(event.event_id.as_str()),
    )
}
