//! Identity pools and identities: a pool's configuration and its roles in two JSON cells (so
//! UpdateIdentityPool and SetIdentityPoolRoles never overwrite each other), identities in rows
//! of their own, and one row per linked login whose primary key `(pool, provider, subject)` is
//! the one-identity-per-login guarantee. Links and unlinks are one transaction each.

use async_trait::async_trait;
use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row as _, Transaction};
use userpool_store::paging::{self, cursor, page_size};
use userpool_store::{
    IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IdentityStore, Page, StoreError,
    StoreResult, StoredKeys,
};

use crate::codec::{from_json, limit_param, to_json};
use crate::failure::{self, OrBackend as _, is_foreign_key_violation};
use crate::store::SqlStore;

/// The one row of `up_identity_keys`.
const KEYS_ROW: &str = "identity";

/// The columns an identity is read from, with its logins joined (`NULL` for none).
const IDENTITY_COLUMNS: &str =
    "i.id, i.pool, i.created, i.last_modified, i.disabled, l.provider, l.subject";

/// The `roles` cell.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RolesCell {
    roles: IdentityPoolRoles,
    role_mappings: RoleMappings,
}

fn corrupt() -> StoreError {
    StoreError::Backend("a stored identity is corrupt".into())
}

/// Identities from rows of [`IDENTITY_COLUMNS`] ordered by identity: consecutive rows of one
/// identity carry its logins.
fn identities_of(rows: &[AnyRow]) -> StoreResult<Vec<IdentityRecord>> {
    let mut out: Vec<IdentityRecord> = Vec::new();
    for row in rows {
        let id: String = row.try_get(0).or_backend()?;
        let login = match (
            row.try_get::<Option<String>, _>(5).or_backend()?,
            row.try_get::<Option<String>, _>(6).or_backend()?,
        ) {
            (Some(provider), Some(subject)) => Some(LoginKey { provider, subject }),
            _ => None,
        };
        match out.last_mut() {
            Some(last) if last.identity_id.as_str() == id => {
                last.logins.extend(login);
            }
            _ => {
                let pool: String = row.try_get(1).or_backend()?;
                out.push(IdentityRecord {
                    identity_id: IdentityId::parse(&id).map_err(|_| corrupt())?,
                    identity_pool_id: IdentityPoolId::parse(&pool).map_err(|_| corrupt())?,
                    logins: login.into_iter().collect(),
                    created: row.try_get(2).or_backend()?,
                    last_modified: row.try_get(3).or_backend()?,
                    disabled: row.try_get::<i64, _>(4).or_backend()? != 0,
                });
            }
        }
    }
    Ok(out)
}

/// The statement reading one identity and its logins.
fn one_identity_sql() -> String {
    format!(
        "SELECT {IDENTITY_COLUMNS} FROM up_identities i \
         LEFT JOIN up_identity_logins l ON l.identity = i.id \
         WHERE i.id = $1 ORDER BY l.provider, l.subject"
    )
}

/// One identity, read inside `tx`.
async fn identity_in(
    tx: &mut Transaction<'static, Any>,
    id: &str,
) -> StoreResult<Option<IdentityRecord>> {
    let rows = sqlx::query(&one_identity_sql())
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .or_backend()?;
    Ok(identities_of(&rows)?.into_iter().next())
}

/// Inserts `logins` for identity `id` of `pool` inside `tx`: `LoginLinked` if one belongs to
/// another identity (the caller's transaction is then dropped, rolling everything back).
async fn insert_logins(
    tx: &mut Transaction<'static, Any>,
    pool: &str,
    id: &str,
    logins: &[LoginKey],
) -> StoreResult<()> {
    for login in logins {
        let done = sqlx::query(
            "INSERT INTO up_identity_logins (pool, provider, subject, identity) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(pool)
        .bind(login.provider.as_str())
        .bind(login.subject.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await
        .or_backend()?;
        if done.rows_affected() == 0 {
            let owner: Option<String> = sqlx::query_scalar(
                "SELECT identity FROM up_identity_logins \
                 WHERE pool = $1 AND provider = $2 AND subject = $3",
            )
            .bind(pool)
            .bind(login.provider.as_str())
            .bind(login.subject.as_str())
            .fetch_optional(&mut **tx)
            .await
            .or_backend()?;
            if owner.as_deref() != Some(id) {
                return Err(StoreError::LoginLinked);
            }
        }
    }
    Ok(())
}

impl SqlStore {
    /// `Ok` if the identity pool exists.
    async fn identity_pool_exists(&self, id: &IdentityPoolId) -> StoreResult<()> {
        let db = self.ready().await?;
        let found: Option<i64> = failure::read(|| async {
            sqlx::query_scalar("SELECT 1 FROM up_identity_pools WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(db)
                .await
        })
        .await?;
        found.map(|_| ()).ok_or(StoreError::IdentityPoolNotFound)
    }

    /// Runs a one-statement update of an identity pool; `IdentityPoolNotFound` if none changed.
    async fn update_identity_pool(&self, sql: &str, id: &str, cell: &str) -> StoreResult<()> {
        self.execute_one(sql, &[id, cell], StoreError::IdentityPoolNotFound)
            .await
    }

    async fn create_identity_once(&self, identity: &IdentityRecord) -> StoreResult<()> {
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        let id = identity.identity_id.as_str();
        let pool = identity.identity_pool_id.as_str();
        let inserted = sqlx::query(
            "INSERT INTO up_identities (id, pool, created, last_modified, disabled) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(pool)
        .bind(identity.created)
        .bind(identity.last_modified)
        .bind(i64::from(identity.disabled))
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => return Err(StoreError::IdentityExists),
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::IdentityPoolNotFound),
            Err(e) => return Err(failure::backend(&e)),
        }
        let mut logins = identity.logins.clone();
        logins.sort();
        logins.dedup();
        insert_logins(&mut tx, pool, id, &logins).await?;
        tx.commit().await.or_backend()
    }

    async fn link_once(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        // The write first: it takes the lock (SQLite) before anything is read.
        let pool: Option<String> = sqlx::query_scalar(
            "UPDATE up_identities SET last_modified = $2, disabled = 0 WHERE id = $1 RETURNING pool",
        )
        .bind(id.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .or_backend()?;
        let pool = pool.ok_or(StoreError::IdentityNotFound)?;
        insert_logins(&mut tx, &pool, id.as_str(), logins).await?;
        let identity = identity_in(&mut tx, id.as_str())
            .await?
            .ok_or(StoreError::IdentityNotFound)?;
        tx.commit().await.or_backend()?;
        Ok(identity)
    }

    async fn unlink_once(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        let found: Option<String> = sqlx::query_scalar(
            "UPDATE up_identities SET last_modified = $2 WHERE id = $1 RETURNING pool",
        )
        .bind(id.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .or_backend()?;
        found.ok_or(StoreError::IdentityNotFound)?;
        let mut removed = 0;
        for login in logins {
            removed += sqlx::query(
                "DELETE FROM up_identity_logins \
                 WHERE identity = $1 AND provider = $2 AND subject = $3",
            )
            .bind(id.as_str())
            .bind(login.provider.as_str())
            .bind(login.subject.as_str())
            .execute(&mut *tx)
            .await
            .or_backend()?
            .rows_affected();
        }
        if removed > 0 {
            sqlx::query(
                "UPDATE up_identities SET disabled = 1 WHERE id = $1 AND NOT EXISTS \
                 (SELECT 1 FROM up_identity_logins WHERE identity = $1)",
            )
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .or_backend()?;
        }
        let identity = identity_in(&mut tx, id.as_str())
            .await?
            .ok_or(StoreError::IdentityNotFound)?;
        tx.commit().await.or_backend()?;
        Ok(identity)
    }
}

#[async_trait]
impl IdentityPoolStore for SqlStore {
    async fn create_identity_pool(&self, pool: IdentityPool) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(&pool)?;
        let roles = to_json(&RolesCell {
            roles: IdentityPoolRoles::default(),
            role_mappings: RoleMappings::default(),
        })?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query("INSERT INTO up_identity_pools (id, data, roles) VALUES ($1, $2, $3)")
                    .bind(pool.identity_pool_id.as_str())
                    .bind(data.as_str())
                    .bind(roles.as_str())
                    .execute(db)
                    .await,
                Some(StoreError::IdentityPoolExists),
            )
            .map(drop)
        })
        .await
    }

    async fn get_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<IdentityPoolRecord> {
        let db = self.ready().await?;
        let row = failure::read(|| async {
            sqlx::query("SELECT data, roles FROM up_identity_pools WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(db)
                .await
        })
        .await?
        .ok_or(StoreError::IdentityPoolNotFound)?;
        let pool: IdentityPool = from_json(&row.try_get::<String, _>(0).or_backend()?)?;
        let cell: RolesCell = from_json(&row.try_get::<String, _>(1).or_backend()?)?;
        Ok(IdentityPoolRecord {
            pool,
            roles: cell.roles,
            role_mappings: cell.role_mappings,
        })
    }

    async fn put_identity_pool(&self, pool: IdentityPool) -> StoreResult<()> {
        self.update_identity_pool(
            "UPDATE up_identity_pools SET data = $2 WHERE id = $1",
            pool.identity_pool_id.as_str(),
            &to_json(&pool)?,
        )
        .await
    }

    async fn set_identity_pool_roles(
        &self,
        id: &IdentityPoolId,
        roles: IdentityPoolRoles,
        role_mappings: RoleMappings,
    ) -> StoreResult<()> {
        let cell = to_json(&RolesCell {
            roles,
            role_mappings,
        })?;
        self.update_identity_pool(
            "UPDATE up_identity_pools SET roles = $2 WHERE id = $1",
            id.as_str(),
            &cell,
        )
        .await
    }

    async fn delete_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<()> {
        self.execute_one(
            "DELETE FROM up_identity_pools WHERE id = $1",
            &[id.as_str()],
            StoreError::IdentityPoolNotFound,
        )
        .await
    }

    async fn list_identity_pools(
        &self,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityPool>> {
        let db = self.ready().await?;
        let after: Option<String> = cursor(token)?;
        let size = page_size(limit);
        let rows = failure::read(|| async {
            sqlx::query("SELECT id, data FROM up_identity_pools WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after.clone().unwrap_or_default())
                .bind(limit_param(size + 1))
                .fetch_all(db)
                .await
        })
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                let id: String = r.try_get(0).or_backend()?;
                let pool: IdentityPool = from_json(&r.try_get::<String, _>(1).or_backend()?)?;
                Ok((id, pool))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(paging::page(rows, size))
    }

    async fn get_identity_keys(&self) -> StoreResult<Option<StoredKeys>> {
        let db = self.ready().await?;
        let sealed: Option<Vec<u8>> = failure::read(|| async {
            sqlx::query_scalar("SELECT sealed FROM up_identity_keys WHERE id = $1")
                .bind(KEYS_ROW)
                .fetch_optional(db)
                .await
        })
        .await?;
        Ok(sealed.map(StoredKeys))
    }

    async fn create_identity_keys(&self, keys: StoredKeys) -> StoreResult<StoredKeys> {
        let db = self.writer().await?;
        failure::retry_write(|| async {
            sqlx::query(
                "INSERT INTO up_identity_keys (id, sealed) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(KEYS_ROW)
            .bind(keys.0.clone())
            .execute(db)
            .await
            .or_backend()
            .map(drop)
        })
        .await?;
        // The keys are never deleted: whichever set won is there now.
        self.get_identity_keys()
            .await?
            .ok_or_else(|| StoreError::Backend("the identity keys were not stored".into()))
    }
}

#[async_trait]
impl IdentityStore for SqlStore {
    async fn create_identity(&self, identity: IdentityRecord) -> StoreResult<()> {
        failure::retry_write(|| self.create_identity_once(&identity)).await
    }

    async fn get_identity(&self, id: &IdentityId) -> StoreResult<Option<IdentityRecord>> {
        let db = self.ready().await?;
        let sql = one_identity_sql();
        let rows =
            failure::read(|| async { sqlx::query(&sql).bind(id.as_str()).fetch_all(db).await })
                .await?;
        Ok(identities_of(&rows)?.into_iter().next())
    }

    async fn find_identity_by_login(
        &self,
        pool: &IdentityPoolId,
        login: &LoginKey,
    ) -> StoreResult<Option<IdentityRecord>> {
        let db = self.ready().await?;
        let owner: Option<String> = failure::read(|| async {
            sqlx::query_scalar(
                "SELECT identity FROM up_identity_logins \
                 WHERE pool = $1 AND provider = $2 AND subject = $3",
            )
            .bind(pool.as_str())
            .bind(login.provider.as_str())
            .bind(login.subject.as_str())
            .fetch_optional(db)
            .await
        })
        .await?;
        match owner {
            Some(id) => {
                self.get_identity(&IdentityId::parse(&id).map_err(|_| corrupt())?)
                    .await
            }
            None => {
                self.identity_pool_exists(pool).await?;
                Ok(None)
            }
        }
    }

    async fn link_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        failure::retry_write(|| self.link_once(id, logins, now)).await
    }

    async fn unlink_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        failure::retry_write(|| self.unlink_once(id, logins, now)).await
    }

    async fn delete_identity(&self, id: &IdentityId) -> StoreResult<()> {
        self.execute_one(
            "DELETE FROM up_identities WHERE id = $1",
            &[id.as_str()],
            StoreError::IdentityNotFound,
        )
        .await
    }

    async fn list_identities(
        &self,
        pool: &IdentityPoolId,
        hide_disabled: bool,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityRecord>> {
        let db = self.ready().await?;
        let after: Option<String> = cursor(token)?;
        let size = page_size(limit);
        let enabled = if hide_disabled {
            "AND disabled = 0"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {IDENTITY_COLUMNS} FROM \
               (SELECT id, pool, created, last_modified, disabled FROM up_identities \
                WHERE pool = $1 AND id > $2 {enabled} ORDER BY id LIMIT $3) i \
             LEFT JOIN up_identity_logins l ON l.identity = i.id \
             ORDER BY i.id, l.provider, l.subject"
        );
        let rows = failure::read(|| async {
            sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(after.clone().unwrap_or_default())
                .bind(limit_param(size + 1))
                .fetch_all(db)
                .await
        })
        .await?;
        let identities = identities_of(&rows)?;
        if identities.is_empty() {
            self.identity_pool_exists(pool).await?;
        }
        Ok(paging::page(
            identities
                .into_iter()
                .map(|i| (i.identity_id.as_str().to_owned(), i)),
            size,
        ))
    }
}
