//! Identity providers (a JSON record per `(pool, name)`, with one row per IdP identifier whose
//! primary key keeps identifiers unique per pool) and provider-user links (one row per
//! `(pool, provider, subject)`: the one-pool-user-per-provider-user guarantee). Creating or
//! replacing a provider and its identifiers is one transaction.

use async_trait::async_trait;
use sqlx::{Any, Transaction};
use user_pool_model::{FoldedUsername, UserPoolId};
use userpool_store::{Page, ProviderLink, ProviderRecord, ProviderStore, StoreError, StoreResult};

use crate::codec::{from_json, to_json};
use crate::failure::{self, OrBackend as _, is_foreign_key_violation};
use crate::store::SqlStore;

/// Inserts `identifiers` of provider `name` inside `tx`: `IdpIdentifierExists` if one is taken
/// (the caller's transaction is then dropped, rolling everything back).
async fn insert_identifiers(
    tx: &mut Transaction<'static, Any>,
    pool: &str,
    name: &str,
    identifiers: &[String],
) -> StoreResult<()> {
    for identifier in identifiers {
        let done = sqlx::query(
            "INSERT INTO up_idp_identifiers (pool, identifier, provider) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(pool)
        .bind(identifier.as_str())
        .bind(name)
        .execute(&mut **tx)
        .await
        .or_backend()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::IdpIdentifierExists);
        }
    }
    Ok(())
}

impl SqlStore {
    async fn create_provider_once(
        &self,
        pool: &UserPoolId,
        record: &ProviderRecord,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(record)?;
        let mut tx = db.begin().await.or_backend()?;
        let inserted = sqlx::query(
            "INSERT INTO up_identity_providers (pool, name, data) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(pool.as_str())
        .bind(record.name.as_str())
        .bind(data.as_str())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => return Err(StoreError::ProviderExists),
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::PoolNotFound),
            Err(e) => return Err(failure::backend(&e)),
        }
        insert_identifiers(
            &mut tx,
            pool.as_str(),
            &record.name,
            &record.idp_identifiers,
        )
        .await?;
        tx.commit().await.or_backend()
    }

    async fn put_provider_once(
        &self,
        pool: &UserPoolId,
        record: &ProviderRecord,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(record)?;
        let mut tx = db.begin().await.or_backend()?;
        let changed =
            sqlx::query("UPDATE up_identity_providers SET data = $3 WHERE pool = $1 AND name = $2")
                .bind(pool.as_str())
                .bind(record.name.as_str())
                .bind(data.as_str())
                .execute(&mut *tx)
                .await
                .or_backend()?
                .rows_affected();
        if changed == 0 {
            return Err(StoreError::ProviderNotFound);
        }
        sqlx::query("DELETE FROM up_idp_identifiers WHERE pool = $1 AND provider = $2")
            .bind(pool.as_str())
            .bind(record.name.as_str())
            .execute(&mut *tx)
            .await
            .or_backend()?;
        insert_identifiers(
            &mut tx,
            pool.as_str(),
            &record.name,
            &record.idp_identifiers,
        )
        .await?;
        tx.commit().await.or_backend()
    }

    async fn provider_where(
        &self,
        sql: &str,
        pool: &UserPoolId,
        key: &str,
    ) -> StoreResult<Option<ProviderRecord>> {
        let db = self.ready().await?;
        let data: Option<String> = failure::read(|| async {
            sqlx::query_scalar(sql)
                .bind(pool.as_str())
                .bind(key)
                .fetch_optional(db)
                .await
        })
        .await?;
        match data {
            Some(d) => Ok(Some(from_json(&d)?)),
            None => {
                self.pool_exists(pool).await?;
                Ok(None)
            }
        }
    }
}

#[async_trait]
impl ProviderStore for SqlStore {
    async fn create_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()> {
        record.only_sealed()?;
        failure::retry_write(|| self.create_provider_once(pool, &record)).await
    }

    async fn get_provider(
        &self,
        pool: &UserPoolId,
        name: &str,
    ) -> StoreResult<Option<ProviderRecord>> {
        self.provider_where(
            "SELECT data FROM up_identity_providers WHERE pool = $1 AND name = $2",
            pool,
            name,
        )
        .await
    }

    async fn provider_by_identifier(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<Option<ProviderRecord>> {
        self.provider_where(
            "SELECT p.data FROM up_idp_identifiers i JOIN up_identity_providers p \
             ON p.pool = i.pool AND p.name = i.provider WHERE i.pool = $1 AND i.identifier = $2",
            pool,
            identifier,
        )
        .await
    }

    async fn put_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()> {
        record.only_sealed()?;
        failure::retry_write(|| self.put_provider_once(pool, &record)).await
    }

    async fn delete_provider(&self, pool: &UserPoolId, name: &str) -> StoreResult<()> {
        self.delete_keyed(
            "up_identity_providers",
            "name",
            pool,
            name,
            StoreError::ProviderNotFound,
        )
        .await
    }

    async fn list_providers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ProviderRecord>> {
        self.pool_page("up_identity_providers", "name", pool, limit, token)
            .await
    }

    async fn link_provider_user(&self, pool: &UserPoolId, link: ProviderLink) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(&link)?;
        failure::retry_write(|| async {
            let done = sqlx::query(
                "INSERT INTO up_provider_links (pool, provider, subject, username, data) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(pool.as_str())
            .bind(link.provider_name.as_str())
            .bind(link.attribute_value.as_str())
            .bind(link.username.as_str())
            .bind(data.as_str())
            .execute(db)
            .await;
            match done {
                Ok(d) if d.rows_affected() == 1 => Ok(()),
                Ok(_) => Err(StoreError::ProviderLinkExists),
                Err(e) if is_foreign_key_violation(&e) => Err(StoreError::ProviderNotFound),
                Err(e) => Err(failure::backend(&e)),
            }
        })
        .await
    }

    async fn find_provider_link(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<Option<ProviderLink>> {
        let db = self.ready().await?;
        let data: Option<String> = failure::read(|| async {
            sqlx::query_scalar(
                "SELECT data FROM up_provider_links WHERE pool = $1 AND provider = $2 AND subject = $3",
            )
            .bind(pool.as_str())
            .bind(provider_name)
            .bind(attribute_value)
            .fetch_optional(db)
            .await
        })
        .await?;
        data.map(|d| from_json(&d)).transpose()
    }

    async fn unlink_provider_user(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<bool> {
        let changed = self
            .execute_text(
                "DELETE FROM up_provider_links WHERE pool = $1 AND provider = $2 AND subject = $3",
                &[pool.as_str(), provider_name, attribute_value],
            )
            .await?;
        Ok(changed > 0)
    }

    async fn provider_links_of(
        &self,
        pool: &UserPoolId,
        username: &FoldedUsername,
    ) -> StoreResult<Vec<ProviderLink>> {
        let username = username.as_str();
        let db = self.ready().await?;
        let rows: Vec<String> = failure::read(|| async {
            sqlx::query_scalar(
                "SELECT data FROM up_provider_links WHERE pool = $1 AND username = $2 \
                 ORDER BY provider, subject",
            )
            .bind(pool.as_str())
            .bind(username)
            .fetch_all(db)
            .await
        })
        .await?;
        rows.iter().map(|d| from_json(d)).collect()
    }
}
