//! Threat protection's auth events: one row per event, keyed by user and id, going with the
//! user (foreign key, cascading). A put and its retention trim are one transaction.

use async_trait::async_trait;
use sqlx::Row as _;
use sqlx::any::AnyRow;
use user_pool_model::{FoldedUsername, UserPoolId};
use userpool_store::paging::{self, cursor, page_size};
use userpool_store::{
    AuthEventRecord, AuthEventRetention, AuthEventStore, Page, StoreError, StoreResult,
};

use crate::codec::limit_param;
use crate::failure::{self, OrBackend as _, is_foreign_key_violation};
use crate::store::SqlStore;

/// A listing position: the last event's `(created, id)`.
type Position = (i64, String);

fn event_of(row: &AnyRow, pool_user: &FoldedUsername) -> StoreResult<AuthEventRecord> {
    Ok(AuthEventRecord {
        event_id: row.try_get(0).or_backend()?,
        user: pool_user.clone(),
        created: row.try_get(1).or_backend()?,
        body: row.try_get(2).or_backend()?,
    })
}

impl SqlStore {
    async fn put_event_once(
        &self,
        pool: &UserPoolId,
        event: &AuthEventRecord,
        retention: AuthEventRetention,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        let written = sqlx::query(
            "INSERT INTO up_auth_events (pool, username_key, event_id, created, body) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (pool, username_key, event_id) DO UPDATE SET \
               created = excluded.created, body = excluded.body",
        )
        .bind(pool.as_str())
        .bind(event.user.as_str())
        .bind(event.event_id.as_str())
        .bind(event.created)
        .bind(event.body.as_str())
        .execute(&mut *tx)
        .await;
        match written {
            Ok(_) => {}
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::UserNotFound),
            Err(e) => return Err(failure::backend(&e)),
        }
        sqlx::query(
            "DELETE FROM up_auth_events WHERE pool = $1 AND username_key = $2 AND (created < $3 \
             OR event_id NOT IN (SELECT event_id FROM up_auth_events \
               WHERE pool = $1 AND username_key = $2 \
               ORDER BY created DESC, event_id DESC LIMIT $4))",
        )
        .bind(pool.as_str())
        .bind(event.user.as_str())
        .bind(retention.not_before)
        .bind(limit_param(retention.keep))
        .execute(&mut *tx)
        .await
        .or_backend()?;
        tx.commit().await.or_backend()?;
        Ok(())
    }
}

#[async_trait]
impl AuthEventStore for SqlStore {
    async fn put_auth_event(
        &self,
        pool: &UserPoolId,
        event: AuthEventRecord,
        retention: AuthEventRetention,
    ) -> StoreResult<()> {
        match failure::retry_write(|| self.put_event_once(pool, &event, retention)).await {
            Err(StoreError::UserNotFound) => {
                self.pool_exists(pool).await?;
                Err(StoreError::UserNotFound)
            }
            other => other,
        }
    }

    async fn get_auth_event(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        event_id: &str,
    ) -> StoreResult<Option<AuthEventRecord>> {
        let db = self.ready().await?;
        let row = failure::read(|| async {
            sqlx::query(
                "SELECT event_id, created, body FROM up_auth_events \
                 WHERE pool = $1 AND username_key = $2 AND event_id = $3",
            )
            .bind(pool.as_str())
            .bind(user.as_str())
            .bind(event_id)
            .fetch_optional(db)
            .await
        })
        .await?;
        row.map(|r| event_of(&r, user)).transpose()
    }

    async fn list_auth_events(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<AuthEventRecord>> {
        let db = self.ready().await?;
        let after: Option<Position> = cursor(token)?;
        let size = page_size(limit);
        let (created, id) = after.unwrap_or((i64::MAX, String::new()));
        let first = token.is_none();
        let rows = failure::read(|| async {
            sqlx::query(
                "SELECT event_id, created, body FROM up_auth_events \
                 WHERE pool = $1 AND username_key = $2 \
                   AND ($3 = 1 OR created < $4 OR (created = $4 AND event_id < $5)) \
                 ORDER BY created DESC, event_id DESC LIMIT $6",
            )
            .bind(pool.as_str())
            .bind(user.as_str())
            .bind(i64::from(first))
            .bind(created)
            .bind(id.as_str())
            .bind(limit_param(size + 1))
            .fetch_all(db)
            .await
        })
        .await?;
        if rows.is_empty() {
            self.pool_exists(pool).await?;
        }
        let events = rows
            .iter()
            .map(|r| event_of(r, user).map(|e| ((e.created, e.event_id.clone()), e)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(paging::page(events, size))
    }
}
