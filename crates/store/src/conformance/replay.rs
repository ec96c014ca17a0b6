//! Replay markers.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::{new_pool, race};
use crate::Store;

/// Replay markers.
pub async fn replay_markers(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert!(store.mark_used(&pool.id, &[1; 32], 100).await.unwrap());
    assert!(!store.mark_used(&pool.id, &[1; 32], 100).await.unwrap());
    assert!(store.mark_used(&pool.id, &[2; 32], 10).await.unwrap());
    assert!(store.purge_expired_markers(50).await.unwrap() >= 1);
    assert!(
        !store.mark_used(&pool.id, &[1; 32], 100).await.unwrap(),
        "unexpired markers survive the purge"
    );
}

/// 50 concurrent uses of one replay marker: exactly one is first.
pub async fn concurrent_replay_markers(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(50, |_| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move { store.mark_used(&id, &[7; 32], 100).await.unwrap() })
    })
    .await;
    assert_eq!(results.iter().filter(|first| **first).count(), 1);
}
