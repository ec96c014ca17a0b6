//! One-time codes, replay markers, refresh-token families and lockout counters: every
//! precondition is one conditional statement, so concurrent callers are serialized by the
//! database (exactly one consumes a code, marks a marker, wins a rotation).

use async_trait::async_trait;
use sqlx::Row as _;
use sqlx::any::AnyRow;
use user_pool_model::{ClientId, FoldedUsername, UserPoolId};
use userpool_store::{
    CodePurpose, CodeRecord, CodeStore, LockoutState, LockoutStore, RefreshFamily,
    RefreshTokenStore, ReplayStore, StoreError, StoreResult,
};

use crate::codec::{hash32, limit_param, to_json};
use crate::failure::{self, OrBackend as _};
use crate::store::SqlStore;

/// Rows removed per clean-up statement, so a purge never holds a long lock.
const PURGE_BATCH: usize = 500;

/// The columns a family is read from, in order.
pub(crate) const FAMILY_COLUMNS: &str = "id, username_key, client_id, origin_jti, device_key, auth_time, \
                              token_hash, prev_hash, prev_at, created, expires_at, revoked, \
                              scopes";

fn family_of(row: &AnyRow) -> StoreResult<RefreshFamily> {
    let prev_hash: Option<Vec<u8>> = row.try_get(7).or_backend()?;
    let prev_at: Option<i64> = row.try_get(8).or_backend()?;
    let previous = match (prev_hash, prev_at) {
        (Some(h), Some(at)) => Some((hash32(&h)?, at)),
        _ => None,
    };
    Ok(RefreshFamily {
        id: row.try_get(0).or_backend()?,
        user: FoldedUsername::from_stored(row.try_get(1).or_backend()?),
        client_id: ClientId::parse(&row.try_get::<String, _>(2).or_backend()?)
            .map_err(|_| StoreError::Backend("a stored client id is corrupt".into()))?,
        origin_jti: row.try_get(3).or_backend()?,
        device_key: row.try_get(4).or_backend()?,
        auth_time: row.try_get(5).or_backend()?,
        token_hash: hash32(&row.try_get::<Vec<u8>, _>(6).or_backend()?)?,
        previous,
        created: row.try_get(9).or_backend()?,
        expires_at: row.try_get(10).or_backend()?,
        revoked: row.try_get::<i64, _>(11).or_backend()? != 0,
        scopes: row.try_get::<Option<String>, _>(12).or_backend()?.map(|s| {
            s.split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        }),
    })
}

fn lockout_of(row: &AnyRow) -> StoreResult<LockoutState> {
    Ok(LockoutState {
        failures: u32::try_from(row.try_get::<i64, _>(0).or_backend()?).unwrap_or(u32::MAX),
        last_failure: row.try_get(1).or_backend()?,
    })
}

/// The stored form of a code's purpose.
fn purpose_key(purpose: &CodePurpose) -> StoreResult<String> {
    to_json(purpose)
}

impl SqlStore {
    /// Removes a code that was used or burned (no attempts left); a live code that replaced
    /// it meanwhile is kept.
    async fn remove_dead_code(
        &self,
        pool: &UserPoolId,
        purpose: &str,
        user: &str,
    ) -> StoreResult<()> {
        self.execute_text(
            "DELETE FROM up_codes WHERE pool = $1 AND purpose = $2 AND username_key = $3 \
             AND attempts_left <= 0",
            &[pool.as_str(), purpose, user],
        )
        .await
        .map(drop)
    }

    /// Deletes rows of `table` whose `expires_at` is before `now`, a batch at a time.
    async fn purge(&self, table: &str, key: &str, now: i64) -> StoreResult<usize> {
        let db = self.writer().await?;
        let sql = format!(
            "DELETE FROM {table} WHERE ({key}) IN \
             (SELECT {key} FROM {table} WHERE expires_at < $1 LIMIT $2)"
        );
        let mut total = 0usize;
        loop {
            let done = failure::retry_write(|| async {
                sqlx::query(&sql)
                    .bind(now)
                    .bind(limit_param(PURGE_BATCH))
                    .execute(db)
                    .await
                    .or_backend()
            })
            .await?;
            let n = usize::try_from(done.rows_affected()).unwrap_or(usize::MAX);
            total = total.saturating_add(n);
            if n < PURGE_BATCH {
                return Ok(total);
            }
        }
    }
}

#[async_trait]
impl CodeStore for SqlStore {
    async fn put_code(&self, pool: &UserPoolId, code: CodeRecord) -> StoreResult<()> {
        let db = self.writer().await?;
        let purpose = purpose_key(&code.purpose)?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "INSERT INTO up_codes \
                       (pool, purpose, username_key, code_hash, expires_at, attempts_left) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (pool, purpose, username_key) DO UPDATE SET \
                       code_hash = excluded.code_hash, expires_at = excluded.expires_at, \
                       attempts_left = excluded.attempts_left",
                )
                .bind(pool.as_str())
                .bind(purpose.as_str())
                .bind(code.user.as_str())
                .bind(code.code_hash.to_vec())
                .bind(code.expires_at)
                .bind(i64::from(code.attempts_left))
                .execute(db)
                .await,
                None,
            )
            .map(drop)
        })
        .await
    }

    async fn consume_code(
        &self,
        pool: &UserPoolId,
        purpose: &CodePurpose,
        user: &str,
        candidate_hash: &[u8; 32],
        now: i64,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let purpose = purpose_key(purpose)?;
        // One statement decides a guess: it takes an attempt from a live code that has one
        // left and, in the same row update, compares the keyed hashes (which reveal nothing
        // about the code); a match marks the code used (-1). Racing guesses are serialized on
        // the row, each seeing the count the previous one left, so however many race, at
        // most `attempts_left` are ever compared, and one right guess at most succeeds.
        let left: Option<i64> = failure::retry_write(|| async {
            sqlx::query_scalar(
                "UPDATE up_codes SET attempts_left = \
                   CASE WHEN code_hash = $4 THEN -1 ELSE attempts_left - 1 END \
                 WHERE pool = $1 AND purpose = $2 AND username_key = $3 AND expires_at >= $5 \
                   AND attempts_left > 0 \
                 RETURNING attempts_left",
            )
            .bind(pool.as_str())
            .bind(purpose.as_str())
            .bind(user)
            .bind(candidate_hash.to_vec())
            .bind(now)
            .fetch_optional(db)
            .await
            .or_backend()
        })
        .await?;
        match left {
            Some(left) if left > 0 => Err(StoreError::CodeMismatch),
            Some(left) => {
                // Used or burned: the row can no longer match (`attempts_left > 0`), so
                // removing it is clean-up; a failure here leaves it for the purge (and a new
                // code replaces it), without changing the answer.
                let _ = self.remove_dead_code(pool, &purpose, user).await;
                if left < 0 {
                    Ok(())
                } else {
                    Err(StoreError::TooManyAttempts)
                }
            }
            None => {
                let expired = failure::retry_write(|| async {
                    sqlx::query(
                        "DELETE FROM up_codes WHERE pool = $1 AND purpose = $2 \
                         AND username_key = $3 AND expires_at < $4",
                    )
                    .bind(pool.as_str())
                    .bind(purpose.as_str())
                    .bind(user)
                    .bind(now)
                    .execute(db)
                    .await
                    .or_backend()
                })
                .await?;
                if expired.rows_affected() > 0 {
                    return Err(StoreError::CodeExpired);
                }
                self.pool_exists(pool).await?;
                Err(StoreError::CodeNotFound)
            }
        }
    }

    async fn purge_expired_codes(&self, now: i64) -> StoreResult<usize> {
        self.purge("up_codes", "pool, purpose, username_key", now)
            .await
    }
}

#[async_trait]
impl ReplayStore for SqlStore {
    async fn mark_used(
        &self,
        pool: &UserPoolId,
        marker: &[u8; 32],
        expires_at: i64,
    ) -> StoreResult<bool> {
        let db = self.writer().await?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "INSERT INTO up_markers (pool, marker, expires_at) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(pool.as_str())
                .bind(marker.to_vec())
                .bind(expires_at)
                .execute(db)
                .await,
                None,
            )
            .map(|done| done.rows_affected() == 1)
        })
        .await
    }

    async fn purge_expired_markers(&self, now: i64) -> StoreResult<usize> {
        self.purge("up_markers", "pool, marker", now).await
    }
}

#[async_trait]
impl RefreshTokenStore for SqlStore {
    async fn create_family(&self, pool: &UserPoolId, family: RefreshFamily) -> StoreResult<()> {
        self.insert_family(pool, &family).await
    }

    async fn create_family_spending(
        &self,
        pool: &UserPoolId,
        family: RefreshFamily,
        marker: &[u8; 32],
        marker_expires_at: i64,
    ) -> StoreResult<bool> {
        self.insert_family_spending(pool, &family, marker, marker_expires_at)
            .await
    }

    async fn find_family(
        &self,
        pool: &UserPoolId,
        hash: &[u8; 32],
    ) -> StoreResult<Option<RefreshFamily>> {
        let db = self.ready().await?;
        let sql = format!(
            "SELECT {FAMILY_COLUMNS} FROM up_families WHERE pool = $1 AND token_hash = $2 \
             UNION ALL \
             SELECT {FAMILY_COLUMNS} FROM up_families WHERE pool = $1 AND prev_hash = $2"
        );
        let row = failure::read(|| async {
            sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(hash.to_vec())
                .fetch_optional(db)
                .await
        })
        .await?;
        match row {
            Some(r) => family_of(&r).map(Some),
            None => {
                self.pool_exists(pool).await?;
                Ok(None)
            }
        }
    }

    async fn get_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<Option<RefreshFamily>> {
        let db = self.ready().await?;
        let sql = format!("SELECT {FAMILY_COLUMNS} FROM up_families WHERE pool = $1 AND id = $2");
        let row = failure::read(|| async {
            sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(id)
                .fetch_optional(db)
                .await
        })
        .await?;
        match row {
            Some(r) => family_of(&r).map(Some),
            None => {
                self.pool_exists(pool).await?;
                Ok(None)
            }
        }
    }

    async fn rotate_family(
        &self,
        pool: &UserPoolId,
        id: &str,
        expected: &[u8; 32],
        new_hash: [u8; 32],
        now: i64,
    ) -> StoreResult<RefreshFamily> {
        let db = self.writer().await?;
        // One conditional statement: of racing rotations from the same token, one matches.
        let sql = format!(
            "UPDATE up_families SET prev_hash = token_hash, prev_at = $4, token_hash = $5 \
             WHERE pool = $1 AND id = $2 AND token_hash = $3 AND revoked = 0 \
             RETURNING {FAMILY_COLUMNS}"
        );
        let rotated = failure::retry_write(|| async {
            let rotated = sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(id)
                .bind(expected.to_vec())
                .bind(now)
                .bind(new_hash.to_vec())
                .fetch_optional(db)
                .await;
            // A new hash that collides with a stored one is a lost race too.
            failure::written(rotated, Some(StoreError::VersionConflict))
        })
        .await?;
        match rotated {
            Some(row) => family_of(&row),
            None => match self.get_family(pool, id).await? {
                None => Err(StoreError::RefreshTokenNotFound),
                Some(f) if f.revoked => Err(StoreError::FamilyRevoked),
                Some(_) => Err(StoreError::VersionConflict),
            },
        }
    }

    async fn revoke_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<()> {
        let changed = self
            .execute_text(
                "UPDATE up_families SET revoked = 1 WHERE pool = $1 AND id = $2",
                &[pool.as_str(), id],
            )
            .await?;
        if changed == 0 {
            self.pool_exists(pool).await?;
            return Err(StoreError::RefreshTokenNotFound);
        }
        Ok(())
    }

    async fn revoke_user_families(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
    ) -> StoreResult<usize> {
        let changed = self
            .execute_text(
                "UPDATE up_families SET revoked = 1 \
             WHERE pool = $1 AND username_key = $2 AND revoked = 0",
                &[pool.as_str(), user.as_str()],
            )
            .await?;
        let n = usize::try_from(changed).unwrap_or(usize::MAX);
        if n == 0 {
            self.pool_exists(pool).await?;
        }
        Ok(n)
    }
}

#[async_trait]
impl LockoutStore for SqlStore {
    async fn record_failure(
        &self,
        pool: &UserPoolId,
        user: &str,
        now: i64,
    ) -> StoreResult<LockoutState> {
        let db = self.writer().await?;
        let row = failure::retry_write(|| async {
            let row = sqlx::query(
                "INSERT INTO up_lockouts (pool, username_key, failures, last_failure) \
                 VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (pool, username_key) DO UPDATE SET \
                   failures = up_lockouts.failures + 1, last_failure = excluded.last_failure \
                 RETURNING failures, last_failure",
            )
            .bind(pool.as_str())
            .bind(user)
            .bind(now)
            .fetch_one(db)
            .await;
            failure::written(row, None)
        })
        .await?;
        lockout_of(&row)
    }

    async fn lockout_state(&self, pool: &UserPoolId, user: &str) -> StoreResult<LockoutState> {
        let db = self.ready().await?;
        let row = failure::read(|| async {
            sqlx::query(
                "SELECT failures, last_failure FROM up_lockouts \
                 WHERE pool = $1 AND username_key = $2",
            )
            .bind(pool.as_str())
            .bind(user)
            .fetch_optional(db)
            .await
        })
        .await?;
        match row {
            Some(row) => lockout_of(&row),
            None => {
                self.pool_exists(pool).await?;
                Ok(LockoutState::default())
            }
        }
    }

    async fn reset_failures(&self, pool: &UserPoolId, user: &str) -> StoreResult<()> {
        let changed = self
            .execute_text(
                "DELETE FROM up_lockouts WHERE pool = $1 AND username_key = $2",
                &[pool.as_str(), user],
            )
            .await?;
        if changed == 0 {
            self.pool_exists(pool).await?;
        }
        Ok(())
    }

    async fn purge_failures(&self, prefix: &str, before: i64) -> StoreResult<usize> {
        let db = self.writer().await?;
        let end = crate::users::prefix_end(prefix);
        let range = if end.is_some() {
            "AND username_key < $3"
        } else {
            ""
        };
        let sql = format!(
            "DELETE FROM up_lockouts WHERE (pool, username_key) IN \
             (SELECT pool, username_key FROM up_lockouts \
              WHERE username_key >= $1 {range} AND last_failure < $2 LIMIT {PURGE_BATCH})"
        );
        let mut total = 0usize;
        loop {
            let done = failure::retry_write(|| async {
                let mut q = sqlx::query(&sql).bind(prefix).bind(before);
                if let Some(end) = &end {
                    q = q.bind(end.as_str());
                }
                q.execute(db).await.or_backend()
            })
            .await?;
            let n = usize::try_from(done.rows_affected()).unwrap_or(usize::MAX);
            total = total.saturating_add(n);
            if n < PURGE_BATCH {
                return Ok(total);
            }
        }
    }
}
