//! Signing keys: stored opaquely; the first insert wins, replacements are conditional (a
//! compare-and-swap on the whole record), so racing services agree on one key set and
//! concurrent rotations lose nothing.

use std::sync::Arc;

use user_pool_model::{CaseRule, UserPoolId};

use super::{new_pool, race};
use crate::{Store, StoreError, StoredKeys};

/// Signing keys are stored opaquely: the first insert wins, replacements are conditional.
pub async fn signing_keys(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(store.get_signing_keys(&pool.id).await.unwrap(), None);
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &StoredKeys(vec![]), StoredKeys(vec![9]))
            .await,
        Err(StoreError::VersionConflict),
        "nothing to replace"
    );
    let first = StoredKeys(vec![1, 2, 3]);
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&pool.id, first.clone())
            .await
            .unwrap(),
        first
    );
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&pool.id, StoredKeys(vec![4, 5]))
            .await
            .unwrap(),
        first,
        "a second insert returns the first keys"
    );
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(first.clone())
    );

    let second = StoredKeys(vec![6; 300]);
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &StoredKeys(vec![1, 2]), second.clone())
            .await,
        Err(StoreError::VersionConflict),
        "a prefix is not the record"
    );
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(first.clone())
    );
    store
        .replace_signing_keys(&pool.id, &first, second.clone())
        .await
        .unwrap();
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &first, StoredKeys(vec![7]))
            .await,
        Err(StoreError::VersionConflict),
        "the old record is stale"
    );

    store
        .put_signing_keys(&pool.id, StoredKeys(vec![8]))
        .await
        .unwrap();
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(StoredKeys(vec![8]))
    );

    let missing = UserPoolId::parse("us-east-1_Missing00").unwrap();
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&missing, first.clone())
            .await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.replace_signing_keys(&missing, &first, second).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_signing_keys(&missing).await,
        Err(StoreError::PoolNotFound)
    );
}

/// 20 services create a pool's first keys at once: one set is stored, and every one of them
/// is handed that set.
pub async fn concurrent_first_signing_keys(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(20, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            store
                .insert_signing_keys_if_absent(&id, StoredKeys(vec![i as u8; 64]))
                .await
                .unwrap()
        })
    })
    .await;
    let stored = store.get_signing_keys(&pool.id).await.unwrap().unwrap();
    assert!(
        results.iter().all(|r| *r == stored),
        "everyone got the winner's keys"
    );
}

/// 20 rotations at once, each re-reading and retrying after a conflict, each adding its own
/// byte to the record: none is lost.
pub async fn concurrent_signing_key_replacements(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .insert_signing_keys_if_absent(&pool.id, StoredKeys(vec![0]))
        .await
        .unwrap();
    race(20, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            loop {
                let current = store.get_signing_keys(&id).await.unwrap().unwrap();
                let mut next = current.0.clone();
                next.push(i as u8 + 1);
                match store
                    .replace_signing_keys(&id, &current, StoredKeys(next))
                    .await
                {
                    Ok(()) => return,
                    Err(StoreError::VersionConflict) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
        })
    })
    .await;
    let mut added = store.get_signing_keys(&pool.id).await.unwrap().unwrap().0;
    assert_eq!(added.first(), Some(&0));
    added.sort_unstable();
    assert_eq!(added, (0..=20).collect::<Vec<u8>>(), "every rotation kept");
}
