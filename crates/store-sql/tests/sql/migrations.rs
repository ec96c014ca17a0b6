//! Schema migrations: applied once, idempotent on restart, safe when instances start together,
//! and a database newer than the build is refused.

use sqlx::Executor as _;
use userpool_store::StoreError;
use userpool_store_sql::{SqlStore, SqlStoreOptions};

use crate::backend;

/// Rows in the migration ledger.
async fn ledger(url: &str, schema: Option<&str>) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let table = match schema {
        Some(s) => format!("\"{s}\".up_schema_migrations"),
        None => "up_schema_migrations".into(),
    };
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_instances_starting_together_apply_each_migration_once() {
    let url = format!("sqlite:{}", backend::sqlite_path().display());
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { SqlStore::connect(&url).await })
        })
        .collect();
    for s in starts {
        let store = s.await.unwrap().expect("every instance starts");
        assert_eq!(store.schema_version().await, Ok(9));
    }
    // A restart finds nothing to do.
    let again = SqlStore::connect(&url).await.unwrap();
    assert_eq!(again.schema_version().await, Ok(9));
    assert_eq!(ledger(&url, None).await, 9);
    assert_eq!(again.integrity_check().await.as_deref(), Ok("ok"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_instances_starting_together_apply_each_migration_once() {
    let Some(url) = backend::postgres_url() else {
        return;
    };
    let schema = backend::unique("up_t");
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let (url, schema) = (url.clone(), schema.clone());
            tokio::spawn(async move {
                SqlStoreOptions::new(url)
                    .schema(schema)
                    .max_connections(2)
                    .connect()
                    .await
            })
        })
        .collect();
    for s in starts {
        let store = s.await.unwrap().expect("every instance starts");
        assert_eq!(store.schema_version().await, Ok(9));
    }
    assert_eq!(ledger(&url, Some(&schema)).await, 9);
}

#[tokio::test]
async fn a_schema_newer_than_the_build_is_refused() {
    let path = backend::sqlite_path();
    let url = format!("sqlite:{}", path.display());
    SqlStore::connect(&url).await.unwrap().close().await;
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&url).await.unwrap();
    raw.execute("INSERT INTO up_schema_migrations (version, name) VALUES (99, 'future')")
        .await
        .unwrap();
    raw.close().await;
    let refused = SqlStore::connect(&url).await;
    assert!(
        matches!(&refused, Err(StoreError::Backend(m)) if m.contains("newer than this build")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_unknown_url_scheme_is_a_typed_error() {
    let refused = SqlStore::connect("mysql://localhost/test").await;
    assert!(
        matches!(refused, Err(StoreError::Backend(_))),
        "{refused:?}"
    );
    let bad_schema = SqlStoreOptions::new("postgres://localhost/test")
        .schema("x; DROP TABLE y")
        .connect_lazy();
    assert!(matches!(bad_schema, Err(StoreError::Backend(_))));
}

#[tokio::test]
async fn a_database_at_an_older_version_is_migrated_forward_on_start() {
    let url = format!("sqlite:{}", backend::sqlite_path().display());
    SqlStore::connect(&url).await.unwrap().close().await;
    // Make it what version 1 left behind.
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&url).await.unwrap();
    raw.execute("DROP INDEX up_lockouts_by_key").await.unwrap();
    raw.execute("DROP TABLE up_domains").await.unwrap();
    for table in [
        "up_webauthn",
        "up_auth_events",
        "up_provider_links",
        "up_idp_identifiers",
        "up_identity_providers",
        "up_identity_logins",
        "up_identities",
        "up_identity_pools",
        "up_identity_keys",
    ] {
        raw.execute(format!("DROP TABLE {table}").as_str())
            .await
            .unwrap();
    }
    raw.execute("ALTER TABLE up_families DROP COLUMN scopes")
        .await
        .unwrap();
    raw.execute("DELETE FROM up_schema_migrations WHERE version > 1")
        .await
        .unwrap();
    let store = SqlStore::connect(&url).await.unwrap();
    assert_eq!(store.schema_version().await, Ok(9));
    let index: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'up_lockouts_by_key'",
    )
    .fetch_one(&raw)
    .await
    .unwrap();
    assert_eq!(index, 1, "migration 2 ran again");
    assert_eq!(ledger(&url, None).await, 9, "and migrations 3 to 9");
}
