//! Fresh stores for tests: a new SQLite file, or a new PostgreSQL schema.

#![allow(unreachable_pub, dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Executor as _;
use tokio::sync::OnceCell;
use userpool_store::Store;
use userpool_store_sql::{SqlStore, SqlStoreOptions};

/// Where PostgreSQL is, for the tests that need it.
pub const POSTGRES_URL_VAR: &str = "USERPOOL_TEST_POSTGRES_URL";

/// Schemas older than this (from earlier runs) are dropped when a run starts.
const STALE_SECS: u64 = 6 * 3600;

static COUNTER: AtomicU64 = AtomicU64::new(0);
static SWEPT: OnceCell<()> = OnceCell::const_new();

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A name no other test (in this or another run) uses.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        unix_now(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A path for a new SQLite database file.
pub fn sqlite_path() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("store-sql");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{}.db", unique("t")))
}

/// A store on a new SQLite file.
pub async fn sqlite_store() -> SqlStore {
    SqlStore::connect(&format!("sqlite:{}", sqlite_path().display()))
        .await
        .expect("sqlite store")
}

/// The same, as the trait object the conformance suite takes.
pub async fn sqlite() -> Arc<dyn Store> {
    Arc::new(sqlite_store().await)
}

/// PostgreSQL's URL, or `None` after saying why the test is skipped.
pub fn postgres_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "SKIPPED: {POSTGRES_URL_VAR} is not set, so this PostgreSQL test did not run \
                 (.ci/run starts PostgreSQL and sets it)"
            );
            None
        }
    }
}

/// Drops the test schemas earlier runs left behind (once per process).
async fn sweep(url: &str) {
    SWEPT
        .get_or_init(|| async {
            sqlx::any::install_default_drivers();
            let Ok(pool) = sqlx::AnyPool::connect(url).await else {
                return;
            };
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'up\\_t\\_%'",
            )
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
            let cutoff = unix_now().saturating_sub(STALE_SECS);
            for name in names {
                let born: u64 = name
                    .split('_')
                    .nth(2)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(u64::MAX);
                if born < cutoff {
                    let _ = pool
                        .execute(format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE").as_str())
                        .await;
                }
            }
        })
        .await;
}

/// A store on a new schema of the test PostgreSQL database, and the schema's name.
pub async fn postgres_store() -> Option<(SqlStore, String)> {
    let url = postgres_url()?;
    sweep(&url).await;
    let schema = unique("up_t");
    let store = SqlStoreOptions::new(url)
        .schema(schema.clone())
        .max_connections(4)
        .connect()
        .await
        .expect("postgres store");
    Some((store, schema))
}

/// The same, as the trait object the conformance suite takes.
pub async fn postgres() -> Option<Arc<dyn Store>> {
    postgres_store().await.map(|(s, _)| Arc::new(s) as _)
}
