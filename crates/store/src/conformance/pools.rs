//! Pools, and what every operation answers for a pool that is not there.

use std::collections::BTreeSet;
use std::sync::Arc;

use user_pool_model::{CaseRule, UserPoolId};

use super::{insert, key, pool_config, user};
use crate::{Store, StoreError, UserQuery};

/// Pools: create, duplicate, read, replace, list with pages, delete.
pub async fn pools(store: Arc<dyn Store>) {
    for i in 0..5 {
        store
            .create_pool(pool_config(
                &format!("us-east-1_Pool{i:05}"),
                CaseRule::Sensitive,
            ))
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .create_pool(pool_config("us-east-1_Pool00000", CaseRule::Sensitive))
            .await,
        Err(StoreError::PoolExists)
    );
    let id = UserPoolId::parse("us-east-1_Pool00002").unwrap();
    let mut p = store.get_pool(&id).await.unwrap();
    p.name = "renamed".into();
    p.case_rule = CaseRule::Insensitive;
    store.put_pool(p).await.unwrap();
    let got = store.get_pool(&id).await.unwrap();
    assert_eq!(got.name, "renamed");
    assert_eq!(
        got.case_rule,
        CaseRule::Sensitive,
        "the case rule is immutable"
    );
    let first = store.list_pools(2, None).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let second = store.list_pools(2, first.next.as_deref()).await.unwrap();
    let third = store.list_pools(2, second.next.as_deref()).await.unwrap();
    assert_eq!(third.items.len(), 1);
    assert!(third.next.is_none());
    let all: BTreeSet<String> = [first, second, third]
        .into_iter()
        .flat_map(|p| p.items)
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(all.len(), 5);
    store.delete_pool(&id).await.unwrap();
    assert_eq!(store.get_pool(&id).await, Err(StoreError::PoolNotFound));
    assert_eq!(store.delete_pool(&id).await, Err(StoreError::PoolNotFound));
    assert_eq!(
        store.list_pools(2, Some("%%%")).await,
        Err(StoreError::InvalidPaginationToken)
    );
}

/// Everything on an unknown pool is `PoolNotFound`.
pub async fn unknown_pool(store: Arc<dyn Store>) {
    let pool = pool_config("us-east-1_Missing00", CaseRule::Sensitive);
    let u = user("alice", 1, None, false);
    assert_eq!(
        insert(&store, &pool, &u).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_user(&pool.id, &key("alice")).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.list_users(&pool.id, &UserQuery::default()).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.count_users(&pool.id).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.mark_used(&pool.id, &[0; 32], 0).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.record_failure(&pool.id, "alice", 0).await,
        Err(StoreError::PoolNotFound)
    );
}
