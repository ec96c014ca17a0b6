//! Creating refresh-token families: alone, or with the sign-in session's replay marker in the
//! same commit (PostgreSQL: one statement; SQLite: one transaction).

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use user_pool_model::UserPoolId;
use userpool_store::{RefreshFamily, StoreError, StoreResult};

use crate::failure::{self, OrBackend as _};
use crate::store::{Engine, SqlStore};
use crate::tokens::FAMILY_COLUMNS;

/// The family's values as `$first…$first+13`, in [`FAMILY_COLUMNS`] order, then the pool.
fn placeholders(first: usize) -> String {
    (first..first + 14)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bind_family<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    pool: &'q UserPoolId,
    family: &'q RefreshFamily,
) -> Query<'q, Any, AnyArguments<'q>> {
    let (prev_hash, prev_at) = match family.previous {
        Some((h, at)) => (Some(h.to_vec()), Some(at)),
        None => (None, None),
    };
    q = q
        .bind(family.id.as_str())
        .bind(family.user.as_str())
        .bind(family.client_id.as_str())
        .bind(family.origin_jti.as_str())
        .bind(family.device_key.clone())
        .bind(family.auth_time)
        .bind(family.token_hash.to_vec())
        .bind(prev_hash)
        .bind(prev_at)
        .bind(family.created)
        .bind(family.expires_at)
        .bind(i64::from(family.revoked))
        .bind(family.scopes.as_ref().map(|s| s.join(" ")))
        .bind(pool.as_str());
    q
}

impl SqlStore {
    /// [`RefreshTokenStore::create_family`](userpool_store::RefreshTokenStore::create_family).
    pub(crate) async fn insert_family(
        &self,
        pool: &UserPoolId,
        family: &RefreshFamily,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let sql = format!(
            "INSERT INTO up_families ({FAMILY_COLUMNS}, pool) VALUES ({})",
            placeholders(1)
        );
        failure::retry_write(|| async {
            failure::written(
                bind_family(sqlx::query(&sql), pool, family)
                    .execute(db)
                    .await,
                Some(StoreError::VersionConflict),
            )
            .map(drop)
        })
        .await
    }

    /// [`RefreshTokenStore::create_family_spending`](userpool_store::RefreshTokenStore::create_family_spending).
    pub(crate) async fn insert_family_spending(
        &self,
        pool: &UserPoolId,
        family: &RefreshFamily,
        marker: &[u8; 32],
        marker_expires_at: i64,
    ) -> StoreResult<bool> {
        let db = self.writer().await?;
        let mark = "INSERT INTO up_markers (pool, marker, expires_at) VALUES ($1, $2, $3) \
                    ON CONFLICT DO NOTHING";
        match self.engine {
            Engine::Postgres => {
                // One statement: the family is inserted only if the marker row was.
                let sql = format!(
                    "WITH spent AS ({mark} RETURNING 1) \
                     INSERT INTO up_families ({FAMILY_COLUMNS}, pool) \
                     SELECT {} WHERE EXISTS (SELECT 1 FROM spent) RETURNING 1",
                    placeholders(4)
                );
                failure::retry_write(|| async {
                    let q = sqlx::query(&sql)
                        .bind(pool.as_str())
                        .bind(marker.to_vec())
                        .bind(marker_expires_at);
                    let row = failure::written(
                        bind_family(q, pool, family).fetch_optional(db).await,
                        Some(StoreError::VersionConflict),
                    )?;
                    Ok(row.is_some())
                })
                .await
            }
            Engine::Sqlite => {
                let sql = format!(
                    "INSERT INTO up_families ({FAMILY_COLUMNS}, pool) VALUES ({})",
                    placeholders(1)
                );
                failure::retry_write(|| async {
                    let mut tx = db.begin().await.or_backend()?;
                    let spent = failure::written(
                        sqlx::query(mark)
                            .bind(pool.as_str())
                            .bind(marker.to_vec())
                            .bind(marker_expires_at)
                            .execute(&mut *tx)
                            .await,
                        None,
                    )?;
                    if spent.rows_affected() == 0 {
                        return Ok(false);
                    }
                    failure::written(
                        bind_family(sqlx::query(&sql), pool, family)
                            .execute(&mut *tx)
                            .await,
                        Some(StoreError::VersionConflict),
                    )?;
                    tx.commit().await.or_backend()?;
                    Ok(true)
                })
                .await
            }
        }
    }
}
