//! [`SqlStore`] and how it connects: engine detection, per-connection settings, lazy start.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection as _, Executor as _};
use tokio::sync::OnceCell;
use user_pool_model::{CaseRule, PoolConfig, UserPoolId};
use userpool_store::{StoreError, StoreResult};

use crate::codec::from_json;
use crate::failure::{self, OrBackend as _};
use crate::migrate;

/// The default of [`SqlStoreOptions::statement_timeout`].
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(10);

/// The database engine behind a [`SqlStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// SQLite: one file, WAL journal, `synchronous=FULL`, foreign keys on, no memory-mapped
    /// I/O.
    Sqlite,
    /// PostgreSQL (or a compatible engine), shared by many instances; every statement under
    /// a `statement_timeout`.
    Postgres,
}

impl Engine {
    /// The engine a database URL names (`sqlite:…`, `postgres://…`, `postgresql://…`).
    pub fn of_url(url: &str) -> StoreResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Backend(
                "unsupported database URL (expected sqlite:… or postgres://…)".into(),
            ))
        }
    }
}

/// How to open a [`SqlStore`].
#[derive(Clone)]
pub struct SqlStoreOptions {
    url: String,
    schema: Option<String>,
    max_connections: u32,
    acquire_timeout: Duration,
    statement_timeout: Duration,
}

impl fmt::Debug for SqlStoreOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password: never printed.
        f.debug_struct("SqlStoreOptions")
            .field("schema", &self.schema)
            .field("max_connections", &self.max_connections)
            .field("statement_timeout", &self.statement_timeout)
            .finish_non_exhaustive()
    }
}

impl SqlStoreOptions {
    /// Options for `url`: `sqlite:path/to/userpool.db` (created if missing), `sqlite::memory:`
    /// (one connection, gone on drop), or `postgres://user@host:port/db`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            schema: None,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(10),
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
        }
    }

    /// PostgreSQL only: keep every table in this schema (created if missing). Letters, digits
    /// and `_` only.
    #[must_use]
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// Largest number of open connections (default 8).
    #[must_use]
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// PostgreSQL only: the longest any one statement may run (`statement_timeout`, set on
    /// every connection; default [`DEFAULT_STATEMENT_TIMEOUT`], 10 s). A statement that runs
    /// longer (a lock wait behind a stuck transaction, a runaway scan) is cancelled by the
    /// server and reported as [`StoreError::Backend`] instead of holding a request and a
    /// pooled connection indefinitely. [`Duration::ZERO`] turns the limit off; under a
    /// millisecond counts as one. Schema migrations run without it (they hold the migration
    /// lock and may rewrite every user once).
    #[must_use]
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = timeout;
        self
    }

    /// Connects and applies the schema migrations before returning.
    pub async fn connect(self) -> StoreResult<SqlStore> {
        let store = self.connect_lazy()?;
        store.ready().await?;
        Ok(store)
    }

    /// Returns at once; the first operation connects and applies the migrations. Needs a
    /// tokio runtime when called.
    pub fn connect_lazy(self) -> StoreResult<SqlStore> {
        install_default_drivers();
        let engine = Engine::of_url(&self.url)?;
        let url = match engine {
            Engine::Sqlite if !self.url.contains('?') && !self.url.contains(":memory:") => {
                format!("{}?mode=rwc", self.url)
            }
            _ => self.url.clone(),
        };
        let memory = engine == Engine::Sqlite && url.contains(":memory:");
        if let Some(schema) = &self.schema
            && (schema.is_empty()
                || !schema
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Err(StoreError::Backend("invalid schema name".into()));
        }
        let schema = self.schema.clone();
        let statement_timeout_ms = match self.statement_timeout {
            t if t.is_zero() => 0,
            t => t.as_millis().clamp(1, i32::MAX as u128),
        };
        let mut options = AnyPoolOptions::new()
            .max_connections(if memory { 1 } else { self.max_connections })
            .acquire_timeout(self.acquire_timeout)
            // A pooled connection is tested (one round trip) only when it sat idle for a
            // while or a connection broke recently, not before every statement.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > Duration::from_secs(1) || failure::connections_suspect() {
                        return Ok(conn.ping().await.is_ok());
                    }
                    Ok(true)
                })
            });
        if memory {
            // An in-memory database lives as long as its one connection.
            options = options.idle_timeout(None).max_lifetime(None);
        }
        let options = options.after_connect(move |conn, _| {
            let schema = schema.clone();
            Box::pin(async move {
                match engine {
                    Engine::Sqlite => {
                        // WAL; every commit on disk before it is acknowledged; a page cache
                        // large enough that a big pool's indexes stay in memory. No
                        // memory-mapped I/O (`mmap_size = 0`, whatever the build's default):
                        // a read error on a mapped page is a SIGBUS that kills the process,
                        // where through read(2) it is an error this store reports.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -32768; PRAGMA mmap_size = 0;",
                        )
                        .await?;
                    }
                    Engine::Postgres => {
                        conn.execute(
                            format!("SET statement_timeout = {statement_timeout_ms}").as_str(),
                        )
                        .await?;
                        if let Some(schema) = schema {
                            conn.execute(format!("SET search_path TO \"{schema}\"").as_str())
                                .await?;
                        }
                    }
                }
                Ok(())
            })
        });
        let writer = match engine {
            Engine::Sqlite if !memory => Some(
                options
                    .clone()
                    .max_connections(1)
                    .connect_lazy(&url)
                    .or_backend()?,
            ),
            _ => None,
        };
        let pool = options.connect_lazy(&url).or_backend()?;
        Ok(SqlStore {
            pool,
            writer,
            engine,
            schema: self.schema,
            in_memory: memory,
            ready: Arc::new(OnceCell::new()),
            case_rules: Arc::new(RwLock::new(HashMap::new())),
        })
    }
}

/// A durable store on SQLite or PostgreSQL. Cheap to clone (shared pool).
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) pool: AnyPool,
    /// SQLite files: the one connection every write goes through, so concurrent writers queue
    /// in this process (in order, without SQLite's sleeping busy handler) instead of
    /// contending for the database's write lock. `None`: writes use `pool`.
    writer: Option<AnyPool>,
    pub(crate) engine: Engine,
    schema: Option<String>,
    in_memory: bool,
    ready: Arc<OnceCell<()>>,
    /// Case rules are fixed when a pool is created, so they are cached once read.
    case_rules: Arc<RwLock<HashMap<UserPoolId, CaseRule>>>,
}

impl fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlStore")
            .field("engine", &self.engine)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// Connects to `url` with default options and applies the migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        SqlStoreOptions::new(url).connect().await
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The schema version the database is at (applying migrations first if this store has
    /// not yet).
    pub async fn schema_version(&self) -> StoreResult<i64> {
        self.ready().await?;
        failure::read(|| async {
            sqlx::query_scalar::<_, i64>("SELECT MAX(version) FROM up_schema_migrations")
                .fetch_one(&self.pool)
                .await
        })
        .await
    }

    /// The newest schema version this build knows (what [`Self::schema_version`] reaches).
    pub fn latest_schema_version() -> i64 {
        migrate::latest()
    }

    /// The migrations this build knows, `(version, name)`, oldest first.
    pub fn known_migrations() -> impl Iterator<Item = (i64, &'static str)> {
        migrate::known()
    }

    /// The versions applied to the database, oldest first, read without applying anything
    /// (empty for a database no userpool has migrated yet).
    pub async fn applied_migrations(&self) -> StoreResult<Vec<i64>> {
        let exists = match self.engine {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
                 AND name = 'up_schema_migrations'"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables \
                 WHERE table_name = 'up_schema_migrations' AND table_schema = current_schema()"
            }
        };
        let found = failure::read(|| async {
            sqlx::query_scalar::<_, i64>(exists)
                .fetch_one(&self.pool)
                .await
        })
        .await?;
        if found == 0 {
            return Ok(Vec::new());
        }
        failure::read(|| async {
            sqlx::query_scalar::<_, i64>(
                "SELECT version FROM up_schema_migrations ORDER BY version",
            )
            .fetch_all(&self.pool)
            .await
        })
        .await
    }

    /// SQLite's `PRAGMA integrity_check` (`"ok"` when the file is sound); PostgreSQL has no
    /// equivalent and answers `"ok"` once it can run a query.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        self.ready().await?;
        let sql = match self.engine {
            Engine::Sqlite => "PRAGMA integrity_check",
            Engine::Postgres => "SELECT 'ok'",
        };
        failure::read(|| async {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_one(&self.pool)
                .await
        })
        .await
    }

    /// SQLite only: an online backup into the new file `path` (`VACUUM INTO`): one
    /// consistent snapshot, taken while other connections go on reading and writing, that
    /// opens as a database of its own (a data directory's `userpool.db`). The file must not
    /// exist (or be empty). PostgreSQL answers [`StoreError::Backend`]: back it up with
    /// `pg_dump`.
    pub async fn backup_into(&self, path: &std::path::Path) -> StoreResult<()> {
        if self.engine != Engine::Sqlite || self.in_memory {
            return Err(StoreError::Backend(
                "an online backup is for a SQLite file; back PostgreSQL up with pg_dump".into(),
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| StoreError::Backend("the backup path is not valid UTF-8".into()))?;
        let pool = self.ready().await?;
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_owned())
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(|e| failure::backend(&e))
    }

    /// Closes every connection (waiting for those in use).
    pub async fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        self.pool.close().await;
    }

    /// Connects and migrates once; every operation awaits this first.
    pub(crate) async fn ready(&self) -> StoreResult<&AnyPool> {
        self.ready
            .get_or_try_init(|| {
                migrate::run(
                    &self.pool,
                    self.engine,
                    self.schema.as_deref(),
                    self.in_memory,
                )
            })
            .await?;
        Ok(&self.pool)
    }

    /// The connections writes go through (after [`ready`](Self::ready)): SQLite's single
    /// writer, or the pool.
    pub(crate) async fn writer(&self) -> StoreResult<&AnyPool> {
        let pool = self.ready().await?;
        Ok(self.writer.as_ref().unwrap_or(pool))
    }

    /// The case rule of a pool ([`PoolNotFound`](StoreError::PoolNotFound) if there is none).
    pub(crate) async fn case_rule(&self, pool: &UserPoolId) -> StoreResult<CaseRule> {
        if let Ok(cache) = self.case_rules.read()
            && let Some(rule) = cache.get(pool)
        {
            return Ok(*rule);
        }
        Ok(self.pool_config(pool).await?.case_rule)
    }

    /// Forgets a deleted pool's cached case rule.
    pub(crate) fn forget_pool(&self, pool: &UserPoolId) {
        if let Ok(mut cache) = self.case_rules.write() {
            cache.remove(pool);
        }
    }

    /// Runs a single-statement write whose parameters are all text (again if the database
    /// aborted it as a serialization failure or deadlock); returns how many rows it changed.
    pub(crate) async fn execute_text(&self, sql: &str, args: &[&str]) -> StoreResult<u64> {
        let db = self.writer().await?;
        failure::retry_write(|| async {
            let mut query = sqlx::query(sql);
            for arg in args {
                query = query.bind(*arg);
            }
            Ok(query.execute(db).await.or_backend()?.rows_affected())
        })
        .await
    }

    /// [`SqlStore::execute_text`] that must change a row: `missing` when it changed none.
    pub(crate) async fn execute_one(
        &self,
        sql: &str,
        args: &[&str],
        missing: StoreError,
    ) -> StoreResult<()> {
        match self.execute_text(sql, args).await? {
            0 => Err(missing),
            _ => Ok(()),
        }
    }

    /// A pool's stored configuration (read every time; its case rule is remembered).
    pub(crate) async fn pool_config(&self, id: &UserPoolId) -> StoreResult<PoolConfig> {
        let db = self.ready().await?;
        let data: Option<String> = failure::read(|| async {
            sqlx::query_scalar("SELECT data FROM up_pools WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(db)
                .await
        })
        .await?;
        let config: PoolConfig = from_json(&data.ok_or(StoreError::PoolNotFound)?)?;
        self.remember_case_rule(&config);
        Ok(config)
    }

    /// Caches a pool's case rule (and so that it exists) from its configuration as read.
    pub(crate) fn remember_case_rule(&self, config: &PoolConfig) {
        if let Ok(mut cache) = self.case_rules.write() {
            cache.insert(config.id.clone(), config.case_rule);
        }
    }

    /// `Ok` if the pool exists ([`PoolNotFound`](StoreError::PoolNotFound) otherwise): what a
    /// lookup that found nothing checks before answering "none".
    ///
    /// A pool this store has read is taken to exist without asking again (this store's own
    /// `delete_pool` forgets it): lookups that find nothing cost no second round trip. A pool
    /// deleted by another instance is still refused where it matters, because every operation
    /// reads the pool's configuration first.
    pub(crate) async fn pool_exists(&self, id: &UserPoolId) -> StoreResult<()> {
        if self
            .case_rules
            .read()
            .is_ok_and(|cache| cache.contains_key(id))
        {
            return Ok(());
        }
        let db = self.ready().await?;
        let found: Option<i64> = failure::read(|| async {
            sqlx::query_scalar("SELECT 1 FROM up_pools WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(db)
                .await
        })
        .await?;
        found.map(|_| ()).ok_or(StoreError::PoolNotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a pooled connection of `store` answers to `sql` (one text or integer cell).
    async fn setting(store: &SqlStore, sql: &str) -> String {
        let db = store.ready().await.expect("ready");
        let row = sqlx::query(sql).fetch_one(db).await.expect("query");
        use sqlx::Row as _;
        row.try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
            .expect("a text or integer cell")
    }

    #[tokio::test]
    async fn sqlite_connections_use_wal_full_sync_and_no_memory_map() {
        let dir = std::env::temp_dir().join(format!("userpool-store-sql-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("pragmas.db");
        let _ = std::fs::remove_file(&path);
        let store = SqlStore::connect(&format!("sqlite:{}", path.display()))
            .await
            .expect("store");
        assert_eq!(setting(&store, "PRAGMA journal_mode").await, "wal");
        assert_eq!(setting(&store, "PRAGMA synchronous").await, "2", "FULL");
        assert_eq!(setting(&store, "PRAGMA mmap_size").await, "0");
        // Writes go through one connection of their own, set up like the others.
        let writer = store.writer().await.expect("writer");
        assert_eq!(writer.options().get_max_connections(), 1);
        assert_eq!(store.pool.options().get_max_connections(), 8);
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(writer)
            .await
            .expect("pragma");
        assert_eq!(synchronous, 2, "FULL on the writer too");
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn only_sqlite_files_have_a_single_writer() {
        let memory = SqlStore::connect("sqlite::memory:").await.expect("store");
        assert!(
            memory.writer.is_none(),
            "one connection is the writer already"
        );
        let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
            return;
        };
        let schema = format!("up_t_{}_writer", std::process::id());
        let pg = SqlStoreOptions::new(url)
            .schema(schema.clone())
            .connect()
            .await
            .expect("store");
        assert!(pg.writer.is_none(), "PostgreSQL serializes writers itself");
        let db = pg.ready().await.expect("ready");
        let _ = db
            .execute(format!("DROP SCHEMA \"{schema}\" CASCADE").as_str())
            .await;
        pg.close().await;
    }

    #[tokio::test]
    async fn postgres_connections_have_a_statement_timeout() {
        let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
            eprintln!("SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set");
            return;
        };
        let schema = format!("up_t_{}_timeout", std::process::id());
        let store = SqlStoreOptions::new(url.clone())
            .schema(schema.clone())
            .max_connections(1)
            .connect()
            .await
            .expect("store");
        assert_eq!(setting(&store, "SHOW statement_timeout").await, "10s");
        store.close().await;
        let tuned = SqlStoreOptions::new(url)
            .schema(schema.clone())
            .max_connections(1)
            .statement_timeout(Duration::from_millis(1500))
            .connect()
            .await
            .expect("store");
        assert_eq!(setting(&tuned, "SHOW statement_timeout").await, "1500ms");
        let db = tuned.ready().await.expect("ready");
        db.execute(format!("DROP SCHEMA \"{schema}\" CASCADE").as_str())
            .await
            .expect("drop");
        tuned.close().await;
    }
}
