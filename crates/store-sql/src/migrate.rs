//! Embedded, versioned, forward-only schema migrations, applied on start.
//!
//! All of them run in one transaction on one connection that holds the database's migration
//! lock (`BEGIN IMMEDIATE` on SQLite; a transaction-scoped advisory lock on PostgreSQL), so two
//! instances starting at once apply each migration exactly once and the loser sees it done.
//! A database at a newer version than this build knows is refused (fail closed).
//!
//! Most steps are SQL files under `migrations/`; a step that must compute in Rust (re-folding
//! stored keys, [`crate::refold`]) runs in the same transaction, under the same lock, and is
//! recorded in the same ledger. A step that fails rolls every step of this start back.

use std::future::Future;
use std::pin::Pin;

use sqlx::{AnyConnection, AnyPool, Connection as _, Executor as _};
use userpool_store::{StoreError, StoreResult};

use crate::failure::OrBackend as _;
use crate::store::Engine;

/// What a migration does.
enum Step {
    /// Runs this SQL (a template: see [`render`]).
    Sql(&'static str),
    /// Re-folds every stored key with the current username folding ([`crate::refold`]).
    Refold,
}

/// `(version, name, step)`, in order. Never edit a released one: add the next.
const MIGRATIONS: &[(i64, &str, Step)] = &[
    (
        1,
        "initial",
        Step::Sql(include_str!("../migrations/0001_initial.sql")),
    ),
    (
        2,
        "lockout_purge",
        Step::Sql(include_str!("../migrations/0002_lockout_purge.sql")),
    ),
    (
        3,
        "domains",
        Step::Sql(include_str!("../migrations/0003_domains.sql")),
    ),
    (
        4,
        "family_scopes",
        Step::Sql(include_str!("../migrations/0004_family_scopes.sql")),
    ),
    (5, "username_fold", Step::Refold),
    (
        6,
        "identity_pools",
        Step::Sql(include_str!("../migrations/0006_identity_pools.sql")),
    ),
    (
        7,
        "auth_events",
        Step::Sql(include_str!("../migrations/0007_auth_events.sql")),
    ),
    (
        8,
        "webauthn",
        Step::Sql(include_str!("../migrations/0008_webauthn.sql")),
    ),
    (
        9,
        "identity_providers",
        Step::Sql(include_str!("../migrations/0009_identity_providers.sql")),
    ),
];

/// Arbitrary constant naming userpool's advisory lock on PostgreSQL.
const PG_LOCK_KEY: i64 = 0x7573_6572_706f_6f6c; // "userpool"

/// The newest schema version this build knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// Every migration's `(version, name)`, oldest first.
pub(crate) fn known() -> impl Iterator<Item = (i64, &'static str)> {
    MIGRATIONS
        .iter()
        .map(|(version, name, _)| (*version, *name))
}

/// A migration's SQL for `engine`.
fn render(sql: &str, engine: Engine) -> String {
    match engine {
        Engine::Sqlite => sql.replace("{text}", "TEXT").replace("{bytes}", "BLOB"),
        Engine::Postgres => sql
            .replace("{text}", "TEXT COLLATE \"C\"")
            .replace("{bytes}", "BYTEA"),
    }
}

/// Applies what is missing. Runs on a connection of its own that is closed afterwards, so a
/// failure (or a cancelled start) never leaves a half-open transaction in the pool, except for
/// an in-memory SQLite database, which lives only as long as its one pooled connection.
///
/// Boxed so callers' futures stay `Send` without naming the connection's lifetimes.
pub(crate) fn run<'a>(
    pool: &'a AnyPool,
    engine: Engine,
    schema: Option<&'a str>,
    in_memory: bool,
) -> Pin<Box<dyn Future<Output = StoreResult<()>> + Send + 'a>> {
    Box::pin(async move {
        let mut pooled = pool.acquire().await.or_backend()?;
        if in_memory {
            let outcome = apply(&mut pooled, engine, schema).await;
            if outcome.is_err() {
                let _ = pooled.execute("ROLLBACK").await;
            }
            return outcome;
        }
        let mut conn = pooled.detach();
        let outcome = apply(&mut conn, engine, schema).await;
        if outcome.is_err() {
            let _ = conn.execute("ROLLBACK").await;
        }
        let _ = conn.close().await;
        outcome
    })
}

async fn apply(conn: &mut AnyConnection, engine: Engine, schema: Option<&str>) -> StoreResult<()> {
    match engine {
        Engine::Sqlite => {
            conn.execute("BEGIN IMMEDIATE").await.or_backend()?;
        }
        Engine::Postgres => {
            conn.execute("BEGIN").await.or_backend()?;
            // Waiting for another instance's migration, or rewriting every user once, may take
            // longer than the statement timeout the store's connections have.
            conn.execute("SET LOCAL statement_timeout = 0")
                .await
                .or_backend()?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(PG_LOCK_KEY)
                .execute(&mut *conn)
                .await
                .or_backend()?;
            if let Some(schema) = schema {
                conn.execute(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"").as_str())
                    .await
                    .or_backend()?;
            }
        }
    }
    conn.execute(
        "CREATE TABLE IF NOT EXISTS up_schema_migrations (\
         version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
         applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    )
    .await
    .or_backend()?;
    let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM up_schema_migrations")
        .fetch_one(&mut *conn)
        .await
        .or_backend()?;
    let current = current.unwrap_or(0);
    if current > latest() {
        return Err(StoreError::Backend(format!(
            "the database schema is at version {current}, newer than this build ({})",
            latest()
        )));
    }
    for (version, name, step) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        match step {
            Step::Sql(sql) => {
                let rendered = render(sql, engine);
                conn.execute(rendered.as_str()).await.or_backend()?;
            }
            Step::Refold => crate::refold::run(conn).await?,
        }
        sqlx::query("INSERT INTO up_schema_migrations (version, name) VALUES ($1, $2)")
            .bind(*version)
            .bind(*name)
            .execute(&mut *conn)
            .await
            .or_backend()?;
        tracing::info!(target: "userpool_store_sql", version, name, "applied schema migration");
    }
    conn.execute("COMMIT").await.or_backend()?;
    Ok(())
}
