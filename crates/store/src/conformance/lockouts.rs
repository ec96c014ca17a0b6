//! Failed-attempt counters.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::{new_pool, pool_config, race};
use crate::Store;

/// Lockout counters.
pub async fn lockout_counters(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        0
    );
    store.record_failure(&pool.id, "alice", 10).await.unwrap();
    let s = store.record_failure(&pool.id, "alice", 20).await.unwrap();
    assert_eq!((s.failures, s.last_failure), (2, 20));
    store.reset_failures(&pool.id, "alice").await.unwrap();
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        0
    );
}

/// Purging counters by key prefix and age, in every pool, leaves the others.
pub async fn lockout_purge(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let other = pool_config("us-east-1_Conform02", CaseRule::Sensitive);
    store.create_pool(other.clone()).await.unwrap();
    store
        .record_failure(&pool.id, "\u{1}s/old", 10)
        .await
        .unwrap();
    store
        .record_failure(&other.id, "\u{1}s/old2", 20)
        .await
        .unwrap();
    store
        .record_failure(&pool.id, "\u{1}s/new", 100)
        .await
        .unwrap();
    store.record_failure(&pool.id, "alice", 10).await.unwrap();
    assert_eq!(store.purge_failures("\u{1}s/", 50).await, Ok(2));
    assert_eq!(
        store
            .lockout_state(&pool.id, "\u{1}s/old")
            .await
            .unwrap()
            .failures,
        0
    );
    assert_eq!(
        store
            .lockout_state(&other.id, "\u{1}s/old2")
            .await
            .unwrap()
            .failures,
        0
    );
    assert_eq!(
        store
            .lockout_state(&pool.id, "\u{1}s/new")
            .await
            .unwrap()
            .failures,
        1
    );
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        1,
        "another prefix"
    );
    assert_eq!(store.purge_failures("\u{1}s/", 50).await, Ok(0));
}

/// 200 concurrent failure increments lose none.
pub async fn concurrent_lockout_increments(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    race(200, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move { store.record_failure(&id, "alice", i as i64).await.unwrap() })
    })
    .await;
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        200
    );
}
