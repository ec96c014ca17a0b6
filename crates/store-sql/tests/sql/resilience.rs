//! Failure behaviour: a closed or broken backend fails closed with a typed error, a dropped
//! PostgreSQL connection is replaced, and clean-up removes exactly what expired.

use std::sync::Arc;

use sqlx::Executor as _;
use user_pool_model::{CaseRule, PoolConfig, UserPoolId};
use userpool_store::{
    CodePurpose, CodeRecord, PoolStore as _, ReplayStore as _, Store, StoreError,
};
use userpool_store_sql::SqlStoreOptions;

use crate::backend;

fn pool_config() -> PoolConfig {
    PoolConfig::new(
        UserPoolId::parse("us-east-1_Resil0001").unwrap(),
        "resilience",
    )
    .unwrap()
}

#[tokio::test]
async fn a_closed_store_fails_closed() {
    let store = backend::sqlite_store().await;
    let pool = pool_config();
    store.create_pool(pool.clone()).await.unwrap();
    store.close().await;
    assert_eq!(
        store.get_pool(&pool.id).await,
        Err(StoreError::Backend("the database pool is closed".into()))
    );
    assert!(matches!(
        store.mark_used(&pool.id, &[1; 32], 10).await,
        Err(StoreError::Backend(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_killed_under_the_store_are_replaced() {
    let Some(url) = backend::postgres_url() else {
        return;
    };
    let app = backend::unique("upapp");
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = SqlStoreOptions::new(format!("{url}{sep}application_name={app}"))
        .schema(backend::unique("up_t"))
        .max_connections(3)
        .connect()
        .await
        .unwrap();
    let pool = pool_config();
    store.create_pool(pool.clone()).await.unwrap();
    // Warm several connections, then have the server kill every one of them.
    let (a, b, c) = tokio::join!(
        store.get_pool(&pool.id),
        store.get_pool(&pool.id),
        store.get_pool(&pool.id)
    );
    for w in [a, b, c] {
        w.unwrap();
    }
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let killed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1) t",
    )
    .bind(app.as_str())
    .fetch_one(&admin)
    .await
    .unwrap();
    assert!(killed >= 1, "no connection was killed");
    // Reads and writes go on, on new connections.
    assert_eq!(store.get_pool(&pool.id).await.unwrap().name, "resilience");
    assert_eq!(store.mark_used(&pool.id, &[9; 32], 100).await, Ok(true));
    assert_eq!(store.mark_used(&pool.id, &[9; 32], 100).await, Ok(false));
    admin.execute("SELECT 1").await.unwrap();
}

async fn purges_only_what_expired(store: Arc<dyn Store>) {
    let pool = pool_config();
    store.create_pool(pool.clone()).await.unwrap();
    // More than one clean-up batch of markers.
    for i in 0..1_200u32 {
        let mut m = [0u8; 32];
        m[..4].copy_from_slice(&i.to_be_bytes());
        let expires = if i < 1_100 { 50 } else { 500 };
        assert!(store.mark_used(&pool.id, &m, expires).await.unwrap());
    }
    for (user, expires) in [("a", 10), ("b", 99), ("c", 100), ("d", 1_000)] {
        store
            .put_code(
                &pool.id,
                CodeRecord {
                    purpose: CodePurpose::PasswordReset,
                    user: user.into(),
                    code_hash: [7; 32],
                    expires_at: expires,
                    attempts_left: 5,
                },
            )
            .await
            .unwrap();
    }
    assert_eq!(store.purge_expired_markers(100).await, Ok(1_100));
    assert_eq!(
        store.purge_expired_codes(100).await,
        Ok(2),
        "a and b; c expires at 100"
    );
    let mut live = [0u8; 32];
    live[..4].copy_from_slice(&1_150u32.to_be_bytes());
    assert_eq!(
        store.mark_used(&pool.id, &live, 500).await,
        Ok(false),
        "kept"
    );
    assert_eq!(
        store.mark_used(&pool.id, &[0; 32], 500).await,
        Ok(true),
        "purged"
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &CodePurpose::PasswordReset, "c", &[7; 32], 100)
            .await,
        Ok(())
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &CodePurpose::PasswordReset, "a", &[7; 32], 0)
            .await,
        Err(StoreError::CodeNotFound)
    );
}

#[tokio::test]
async fn sqlite_purges_only_what_expired() {
    purges_only_what_expired(backend::sqlite().await).await;
}

#[tokio::test]
async fn postgres_purges_only_what_expired() {
    if let Some(store) = backend::postgres().await {
        purges_only_what_expired(store).await;
    }
}

/// Makes the next `failures` inserts into `table` of the test schema fail as PostgreSQL
/// reports a serialization failure (SQLSTATE 40001, the transaction rolled back); counts every
/// attempt in the sequence `attempts` (sequences are not transactional, so aborted attempts
/// count too).
async fn abort_inserts(admin: &sqlx::AnyPool, schema: &str, table: &str, failures: i64) {
    for sql in [
        format!("CREATE SEQUENCE \"{schema}\".attempts"),
        format!(
            "CREATE FUNCTION \"{schema}\".abort_first() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
               IF nextval('\"{schema}\".attempts') <= {failures} THEN \
                 RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = '40001'; \
               END IF; \
               RETURN NEW; \
             END $$"
        ),
        format!(
            "CREATE TRIGGER abort_first BEFORE INSERT ON \"{schema}\".{table} \
             FOR EACH ROW EXECUTE FUNCTION \"{schema}\".abort_first()"
        ),
    ] {
        admin.execute(sql.as_str()).await.unwrap();
    }
}

async fn attempts(admin: &sqlx::AnyPool, schema: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT last_value FROM \"{schema}\".attempts"))
        .fetch_one(admin)
        .await
        .unwrap()
}

#[tokio::test]
async fn postgres_writes_aborted_as_serialization_failures_run_again() {
    let Some((store, schema)) = backend::postgres_store().await else {
        return;
    };
    let url = backend::postgres_url().unwrap();
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let pool = pool_config();
    store.create_pool(pool.clone()).await.unwrap();

    // A single statement: aborted twice, then applied once.
    abort_inserts(&admin, &schema, "up_markers", 2).await;
    assert_eq!(store.mark_used(&pool.id, &[1; 32], 100).await, Ok(true));
    assert_eq!(attempts(&admin, &schema).await, 3);
    assert_eq!(
        store.mark_used(&pool.id, &[1; 32], 100).await,
        Ok(false),
        "applied exactly once"
    );
}

#[tokio::test]
async fn postgres_transactions_aborted_midway_run_again_from_the_start() {
    use user_pool_model::{Sub, User, UserStatus};
    use userpool_store::{UserKeys, UserStore as _};
    let Some((store, schema)) = backend::postgres_store().await else {
        return;
    };
    let url = backend::postgres_url().unwrap();
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let mut pool = pool_config();
    pool.alias_attributes = vec!["email".into()];
    store.create_pool(pool.clone()).await.unwrap();
    // The user row goes in, then its alias row is aborted: the whole transaction rolls back
    // and runs again.
    abort_inserts(&admin, &schema, "up_aliases", 1).await;
    let mut alice = User::new("alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
    alice
        .attributes
        .insert("email".into(), "a@example.com".into());
    alice
        .attributes
        .insert("email_verified".into(), "true".into());
    let stored = store
        .insert_user(&pool.id, alice.clone(), &UserKeys::for_user(&alice, &pool))
        .await
        .unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(attempts(&admin, &schema).await, 2);
    assert_eq!(
        store
            .find_by_alias(&pool.id, "email", "a@example.com")
            .await
            .unwrap()
            .map(|u| u.username),
        Some("alice".into())
    );

    // A write the database keeps aborting is reported after a bounded number of runs.
    admin
        .execute(format!("ALTER SEQUENCE \"{schema}\".attempts RESTART WITH 1").as_str())
        .await
        .unwrap();
    admin
        .execute(
            format!(
                "CREATE OR REPLACE FUNCTION \"{schema}\".abort_first() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('\"{schema}\".attempts'); \
                 RAISE EXCEPTION 'forced' USING ERRCODE = '40P01'; END $$"
            )
            .as_str(),
        )
        .await
        .unwrap();
    let mut bob = User::new("bob", Sub::from_bytes([2; 16]), UserStatus::Confirmed, 0);
    bob.attributes
        .insert("email".into(), "b@example.com".into());
    bob.attributes
        .insert("email_verified".into(), "true".into());
    assert_eq!(
        store
            .insert_user(&pool.id, bob.clone(), &UserKeys::for_user(&bob, &pool))
            .await,
        Err(StoreError::Backend("database error 40P01".into()))
    );
    assert_eq!(attempts(&admin, &schema).await, 4, "one run and three more");
    assert_eq!(
        store
            .get_user(&pool.id, &CaseRule::Sensitive.username_key("bob"))
            .await,
        Ok(None),
        "nothing half-written"
    );
}

#[tokio::test]
async fn postgres_statements_past_the_timeout_are_cancelled() {
    let Some(url) = backend::postgres_url() else {
        return;
    };
    let schema = backend::unique("up_t");
    let store = SqlStoreOptions::new(url.clone())
        .schema(schema.clone())
        .max_connections(2)
        .statement_timeout(std::time::Duration::from_millis(200))
        .connect()
        .await
        .unwrap();
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    let pool = pool_config();
    store.create_pool(pool.clone()).await.unwrap();
    for sql in [
        format!(
            "CREATE FUNCTION \"{schema}\".slow() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$"
        ),
        format!(
            "CREATE TRIGGER slow BEFORE INSERT ON \"{schema}\".up_markers \
             FOR EACH ROW EXECUTE FUNCTION \"{schema}\".slow()"
        ),
    ] {
        admin.execute(sql.as_str()).await.unwrap();
    }
    assert_eq!(
        store.mark_used(&pool.id, &[1; 32], 100).await,
        Err(StoreError::Backend("database error 57014".into())),
        "query_canceled by statement_timeout"
    );
}
