//! Pools, app clients, signing keys, import jobs, resource servers and domains: records read and
//! replaced whole, kept as JSON beside the columns they are found by.

use async_trait::async_trait;
use sqlx::Row as _;
use user_pool_model::{AppClient, ClientId, PoolConfig, ResourceServer, UserPoolId};
use userpool_store::paging::{self, cursor, page_size};
use userpool_store::{
    ClientStore, DomainRecord, DomainStore, ImportJob, ImportJobStore, KeyStore, Page, PoolStore,
    ResourceServerStore, StoreError, StoreResult, StoredKeys,
};

use crate::codec::{from_json, limit_param, to_json};
use crate::failure::{self, OrBackend as _};
use crate::store::SqlStore;

impl SqlStore {
    /// One page of `(key, data)` from a table keyed by `(pool, key_column)`.
    async fn keyed_page(
        &self,
        table: &str,
        key_column: &str,
        pool: Option<&UserPoolId>,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Vec<(String, String)>> {
        let db = self.ready().await?;
        let after: Option<String> = cursor(after)?;
        let size = page_size(limit);
        let pool_clause = if pool.is_some() { "pool = $3 AND" } else { "" };
        let sql = format!(
            "SELECT {key_column}, data FROM {table} WHERE {pool_clause} {key_column} > $1 \
             ORDER BY {key_column} LIMIT $2"
        );
        let rows = failure::read(|| async {
            let mut q = sqlx::query(&sql)
                .bind(after.clone().unwrap_or_default())
                .bind(limit_param(size + 1));
            if let Some(pool) = pool {
                q = q.bind(pool.as_str());
            }
            q.fetch_all(db).await
        })
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>(0).or_backend()?,
                    r.try_get::<String, _>(1).or_backend()?,
                ))
            })
            .collect()
    }

    /// A pool-scoped listing, [`PoolNotFound`](StoreError::PoolNotFound) for an unknown pool.
    pub(crate) async fn pool_page<T: serde::de::DeserializeOwned>(
        &self,
        table: &str,
        key_column: &str,
        pool: &UserPoolId,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<T>> {
        let rows = self
            .keyed_page(table, key_column, Some(pool), limit, after)
            .await?;
        if rows.is_empty() {
            self.pool_exists(pool).await?;
        }
        let rows = rows
            .into_iter()
            .map(|(k, d)| Ok((k, from_json(&d)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(paging::page(rows, page_size(limit)))
    }

    /// One `data` cell by `(pool, key)`.
    pub(crate) async fn data_of(
        &self,
        table: &str,
        key_column: &str,
        pool: &UserPoolId,
        key: &str,
    ) -> StoreResult<Option<String>> {
        let db = self.ready().await?;
        let sql = format!("SELECT data FROM {table} WHERE pool = $1 AND {key_column} = $2");
        failure::read(|| async {
            sqlx::query_scalar(&sql)
                .bind(pool.as_str())
                .bind(key)
                .fetch_optional(db)
                .await
        })
        .await
    }

    /// Inserts `(pool, key, data)`; `exists` if the key is taken, `PoolNotFound` if the pool is
    /// gone.
    pub(crate) async fn insert_keyed(
        &self,
        table: &str,
        key_column: &str,
        pool: &UserPoolId,
        key: &str,
        data: String,
        exists: StoreError,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let sql = format!("INSERT INTO {table} (pool, {key_column}, data) VALUES ($1, $2, $3)");
        failure::retry_write(|| async {
            failure::written(
                sqlx::query(&sql)
                    .bind(pool.as_str())
                    .bind(key)
                    .bind(data.as_str())
                    .execute(db)
                    .await,
                Some(exists.clone()),
            )
            .map(drop)
        })
        .await
    }

    /// Replaces `data` of an existing `(pool, key)`; `missing` if there is none.
    pub(crate) async fn replace_keyed(
        &self,
        table: &str,
        key_column: &str,
        pool: &UserPoolId,
        key: &str,
        data: String,
        missing: StoreError,
    ) -> StoreResult<()> {
        let sql = format!("UPDATE {table} SET data = $3 WHERE pool = $1 AND {key_column} = $2");
        let changed = self
            .execute_text(&sql, &[pool.as_str(), key, &data])
            .await?;
        if changed == 0 {
            self.pool_exists(pool).await?;
            return Err(missing);
        }
        Ok(())
    }

    /// Deletes `(pool, key)`; `missing` if there is none.
    pub(crate) async fn delete_keyed(
        &self,
        table: &str,
        key_column: &str,
        pool: &UserPoolId,
        key: &str,
        missing: StoreError,
    ) -> StoreResult<()> {
        let sql = format!("DELETE FROM {table} WHERE pool = $1 AND {key_column} = $2");
        let changed = self.execute_text(&sql, &[pool.as_str(), key]).await?;
        if changed == 0 {
            self.pool_exists(pool).await?;
            return Err(missing);
        }
        Ok(())
    }
}

#[async_trait]
impl PoolStore for SqlStore {
    async fn create_pool(&self, pool: PoolConfig) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(&pool)?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query("INSERT INTO up_pools (id, data) VALUES ($1, $2)")
                    .bind(pool.id.as_str())
                    .bind(data.as_str())
                    .execute(db)
                    .await,
                Some(StoreError::PoolExists),
            )
            .map(drop)
        })
        .await
    }

    async fn get_pool(&self, id: &UserPoolId) -> StoreResult<PoolConfig> {
        self.pool_config(id).await
    }

    async fn put_pool(&self, pool: PoolConfig) -> StoreResult<()> {
        // The case rule and sign-in attributes are immutable after creation.
        let existing = self.pool_config(&pool.id).await?;
        let mut pool = pool;
        pool.case_rule = existing.case_rule;
        pool.username_attributes = existing.username_attributes;
        pool.alias_attributes = existing.alias_attributes;
        self.execute_one(
            "UPDATE up_pools SET data = $2 WHERE id = $1",
            &[pool.id.as_str(), &to_json(&pool)?],
            StoreError::PoolNotFound,
        )
        .await
    }

    async fn delete_pool(&self, id: &UserPoolId) -> StoreResult<()> {
        // Everything else goes with it (ON DELETE CASCADE), in the same statement.
        self.forget_pool(id);
        self.execute_one(
            "DELETE FROM up_pools WHERE id = $1",
            &[id.as_str()],
            StoreError::PoolNotFound,
        )
        .await
    }

    async fn list_pools(&self, limit: usize, after: Option<&str>) -> StoreResult<Page<PoolConfig>> {
        let rows = self
            .keyed_page("up_pools", "id", None, limit, after)
            .await?;
        let rows = rows
            .into_iter()
            .map(|(k, d)| Ok((k, from_json(&d)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(paging::page(rows, page_size(limit)))
    }
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn create_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()> {
        let data = to_json(&client)?;
        self.insert_keyed(
            "up_clients",
            "id",
            pool,
            client.id.as_str(),
            data,
            StoreError::ClientExists,
        )
        .await
    }

    async fn get_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<AppClient> {
        match self.data_of("up_clients", "id", pool, id.as_str()).await? {
            Some(d) => from_json(&d),
            None => {
                self.pool_exists(pool).await?;
                Err(StoreError::ClientNotFound)
            }
        }
    }

    async fn put_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()> {
        let data = to_json(&client)?;
        self.replace_keyed(
            "up_clients",
            "id",
            pool,
            client.id.as_str(),
            data,
            StoreError::ClientNotFound,
        )
        .await
    }

    async fn find_client(&self, id: &ClientId) -> StoreResult<Option<(PoolConfig, AppClient)>> {
        let db = self.ready().await?;
        let row = failure::read(|| async {
            sqlx::query(
                "SELECT p.data, c.data FROM up_clients c JOIN up_pools p ON p.id = c.pool \
                 WHERE c.id = $1 ORDER BY c.pool LIMIT 1",
            )
            .bind(id.as_str())
            .fetch_optional(db)
            .await
        })
        .await?;
        let Some(row) = row else { return Ok(None) };
        let pool: PoolConfig = from_json(&row.try_get::<String, _>(0).or_backend()?)?;
        let client = from_json(&row.try_get::<String, _>(1).or_backend()?)?;
        self.remember_case_rule(&pool);
        Ok(Some((pool, client)))
    }

    async fn delete_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<()> {
        self.delete_keyed(
            "up_clients",
            "id",
            pool,
            id.as_str(),
            StoreError::ClientNotFound,
        )
        .await
    }

    async fn list_clients(
        &self,
        pool: &UserPoolId,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<AppClient>> {
        self.pool_page("up_clients", "id", pool, limit, after).await
    }
}

#[async_trait]
impl KeyStore for SqlStore {
    async fn put_signing_keys(&self, pool: &UserPoolId, keys: StoredKeys) -> StoreResult<()> {
        let db = self.writer().await?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "INSERT INTO up_signing_keys (pool, sealed) VALUES ($1, $2) \
                     ON CONFLICT (pool) DO UPDATE SET sealed = excluded.sealed",
                )
                .bind(pool.as_str())
                .bind(keys.0.clone())
                .execute(db)
                .await,
                None,
            )
            .map(drop)
        })
        .await
    }

    async fn get_signing_keys(&self, pool: &UserPoolId) -> StoreResult<Option<StoredKeys>> {
        let db = self.ready().await?;
        let sealed: Option<Vec<u8>> = failure::read(|| async {
            sqlx::query_scalar("SELECT sealed FROM up_signing_keys WHERE pool = $1")
                .bind(pool.as_str())
                .fetch_optional(db)
                .await
        })
        .await?;
        if sealed.is_none() {
            self.pool_exists(pool).await?;
        }
        Ok(sealed.map(StoredKeys))
    }

    async fn insert_signing_keys_if_absent(
        &self,
        pool: &UserPoolId,
        keys: StoredKeys,
    ) -> StoreResult<StoredKeys> {
        let db = self.writer().await?;
        // Of concurrent inserts one stores its row; the others do nothing (PostgreSQL waits
        // for the winner to commit first) and read the winner's back.
        failure::written(
            sqlx::query(
                "INSERT INTO up_signing_keys (pool, sealed) VALUES ($1, $2) \
                 ON CONFLICT (pool) DO NOTHING",
            )
            .bind(pool.as_str())
            .bind(keys.0)
            .execute(db)
            .await,
            None,
        )?;
        self.get_signing_keys(pool)
            .await?
            .ok_or(StoreError::PoolNotFound)
    }

    async fn replace_signing_keys(
        &self,
        pool: &UserPoolId,
        expected: &StoredKeys,
        keys: StoredKeys,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let changed = failure::written(
            sqlx::query("UPDATE up_signing_keys SET sealed = $3 WHERE pool = $1 AND sealed = $2")
                .bind(pool.as_str())
                .bind(expected.0.clone())
                .bind(keys.0)
                .execute(db)
                .await,
            None,
        )?
        .rows_affected();
        if changed == 0 {
            self.pool_exists(pool).await?;
            return Err(StoreError::VersionConflict);
        }
        Ok(())
    }
}

#[async_trait]
impl ImportJobStore for SqlStore {
    async fn put_import_job(&self, pool: &UserPoolId, job: ImportJob) -> StoreResult<()> {
        let db = self.writer().await?;
        let mut record = job;
        let csv = record.csv.take();
        let data = to_json(&record)?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "INSERT INTO up_import_jobs (pool, id, data, csv) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (pool, id) DO UPDATE SET data = excluded.data, csv = excluded.csv",
                )
                .bind(pool.as_str())
                .bind(record.id.as_str())
                .bind(data.as_str())
                .bind(csv.clone())
                .execute(db)
                .await,
                None,
            )
            .map(drop)
        })
        .await
    }

    async fn get_import_job(&self, pool: &UserPoolId, id: &str) -> StoreResult<ImportJob> {
        let db = self.ready().await?;
        let row = failure::read(|| async {
            sqlx::query("SELECT data, csv FROM up_import_jobs WHERE pool = $1 AND id = $2")
                .bind(pool.as_str())
                .bind(id)
                .fetch_optional(db)
                .await
        })
        .await?;
        let Some(row) = row else {
            self.pool_exists(pool).await?;
            return Err(StoreError::ImportJobNotFound);
        };
        let mut job: ImportJob = from_json(&row.try_get::<String, _>(0).or_backend()?)?;
        job.csv = row.try_get(1).or_backend()?;
        Ok(job)
    }

    async fn list_import_jobs(
        &self,
        pool: &UserPoolId,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<ImportJob>> {
        // Listings describe jobs; the uploaded file stays in its column.
        self.pool_page("up_import_jobs", "id", pool, limit, after)
            .await
    }
}

#[async_trait]
impl ResourceServerStore for SqlStore {
    async fn create_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()> {
        let data = to_json(&server)?;
        self.insert_keyed(
            "up_resource_servers",
            "identifier",
            pool,
            &server.identifier,
            data,
            StoreError::ResourceServerExists,
        )
        .await
    }

    async fn get_resource_server(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<ResourceServer> {
        match self
            .data_of("up_resource_servers", "identifier", pool, identifier)
            .await?
        {
            Some(d) => from_json(&d),
            None => {
                self.pool_exists(pool).await?;
                Err(StoreError::ResourceServerNotFound)
            }
        }
    }

    async fn put_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()> {
        let data = to_json(&server)?;
        self.replace_keyed(
            "up_resource_servers",
            "identifier",
            pool,
            &server.identifier,
            data,
            StoreError::ResourceServerNotFound,
        )
        .await
    }

    async fn delete_resource_server(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<()> {
        self.delete_keyed(
            "up_resource_servers",
            "identifier",
            pool,
            identifier,
            StoreError::ResourceServerNotFound,
        )
        .await
    }

    async fn list_resource_servers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<ResourceServer>> {
        self.pool_page("up_resource_servers", "identifier", pool, limit, after)
            .await
    }
}

#[async_trait]
impl DomainStore for SqlStore {
    async fn create_domain(&self, record: DomainRecord) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(&record)?;
        failure::retry_write(|| async {
            failure::written(
                sqlx::query("INSERT INTO up_domains (domain, pool, data) VALUES ($1, $2, $3)")
                    .bind(record.domain.as_str())
                    .bind(record.pool.as_str())
                    .bind(data.as_str())
                    .execute(db)
                    .await,
                Some(StoreError::DomainExists),
            )
            .map(drop)
        })
        .await
    }

    async fn get_domain(&self, domain: &str) -> StoreResult<Option<DomainRecord>> {
        let db = self.ready().await?;
        let data: Option<String> = failure::read(|| async {
            sqlx::query_scalar("SELECT data FROM up_domains WHERE domain = $1")
                .bind(domain)
                .fetch_optional(db)
                .await
        })
        .await?;
        data.map(|d| from_json(&d)).transpose()
    }

    async fn put_domain(&self, record: DomainRecord) -> StoreResult<()> {
        self.execute_one(
            "UPDATE up_domains SET data = $2 WHERE domain = $1",
            &[record.domain.as_str(), &to_json(&record)?],
            StoreError::DomainNotFound,
        )
        .await
    }

    async fn delete_domain(&self, domain: &str) -> StoreResult<()> {
        self.execute_one(
            "DELETE FROM up_domains WHERE domain = $1",
            &[domain],
            StoreError::DomainNotFound,
        )
        .await
    }

    async fn pool_domains(&self, pool: &UserPoolId) -> StoreResult<Vec<DomainRecord>> {
        let db = self.ready().await?;
        let rows: Vec<String> = failure::read(|| async {
            sqlx::query_scalar("SELECT data FROM up_domains WHERE pool = $1 ORDER BY domain")
                .bind(pool.as_str())
                .fetch_all(db)
                .await
        })
        .await?;
        if rows.is_empty() {
            self.pool_exists(pool).await?;
        }
        rows.iter().map(|d| from_json(d)).collect()
    }
}
