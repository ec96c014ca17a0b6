//! Refresh-token families.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::{family, key, new_pool, race};
use crate::{Store, StoreError};

/// Refresh-token families: lookup by hash, compare-and-swap rotation, revocation.
pub async fn refresh_families(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .create_family(&pool.id, family("f1", "alice", 1))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f2", "alice", 2))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f3", "bob", 3))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_family(&pool.id, family("f1", "alice", 9))
            .await,
        Err(StoreError::VersionConflict)
    );
    assert_eq!(
        store.find_family(&pool.id, &[2; 32]).await.unwrap(),
        Some(family("f2", "alice", 2)),
        "a family round-trips, its OAuth scopes included"
    );
    assert_eq!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into())
    );
    let rotated = store
        .rotate_family(&pool.id, "f1", &[1; 32], [11; 32], 100)
        .await
        .unwrap();
    assert_eq!(rotated.previous, Some(([1; 32], 100)));
    assert_eq!(
        store
            .find_family(&pool.id, &[11; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into())
    );
    assert_eq!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into()),
        "the previous token still finds its family (reuse detection)"
    );
    assert_eq!(
        store
            .rotate_family(&pool.id, "f1", &[1; 32], [12; 32], 101)
            .await,
        Err(StoreError::VersionConflict)
    );
    store
        .rotate_family(&pool.id, "f1", &[11; 32], [13; 32], 102)
        .await
        .unwrap();
    assert!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .is_none(),
        "only one previous token is remembered"
    );
    store.revoke_family(&pool.id, "f1").await.unwrap();
    assert!(
        store
            .get_family(&pool.id, "f1")
            .await
            .unwrap()
            .is_some_and(|f| f.revoked && f.token_hash == [13; 32])
    );
    assert_eq!(store.get_family(&pool.id, "nope").await, Ok(None));
    assert_eq!(
        store
            .rotate_family(&pool.id, "f1", &[13; 32], [14; 32], 103)
            .await,
        Err(StoreError::FamilyRevoked)
    );
    assert_eq!(
        store
            .revoke_user_families(&pool.id, &key("alice"))
            .await
            .unwrap(),
        1
    );
    assert!(
        store
            .find_family(&pool.id, &[3; 32])
            .await
            .unwrap()
            .is_some_and(|f| !f.revoked),
        "other users keep theirs"
    );
    assert_eq!(
        store.revoke_family(&pool.id, "nope").await,
        Err(StoreError::RefreshTokenNotFound)
    );
}

/// 50 concurrent rotations of the same token: exactly one wins.
pub async fn concurrent_rotations(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .create_family(&pool.id, family("f", "alice", 1))
        .await
        .unwrap();
    let results = race(50, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            store
                .rotate_family(&id, "f", &[1; 32], [100 + i as u8; 32], 5)
                .await
        })
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::VersionConflict))
    );
}

/// A family created with a sign-in session's marker: both land, or — the marker used
/// already, by `mark_used` or an earlier call — neither does; racing callers with one marker
/// make exactly one family.
pub async fn families_spending_a_marker(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let marker = [7u8; 32];
    assert_eq!(
        store
            .create_family_spending(&pool.id, family("s1", "alice", 1), &marker, 100)
            .await,
        Ok(true)
    );
    assert_eq!(
        store
            .get_family(&pool.id, "s1")
            .await
            .unwrap()
            .map(|f| f.token_hash),
        Some([1; 32])
    );
    assert_eq!(store.mark_used(&pool.id, &marker, 100).await, Ok(false));
    assert_eq!(
        store
            .create_family_spending(&pool.id, family("s2", "alice", 2), &marker, 100)
            .await,
        Ok(false)
    );
    assert_eq!(store.get_family(&pool.id, "s2").await, Ok(None));
    assert_eq!(store.find_family(&pool.id, &[2; 32]).await, Ok(None));
    // Marked by mark_used first.
    let other = [8u8; 32];
    assert_eq!(store.mark_used(&pool.id, &other, 100).await, Ok(true));
    assert_eq!(
        store
            .create_family_spending(&pool.id, family("s3", "alice", 3), &other, 100)
            .await,
        Ok(false)
    );
    assert_eq!(store.get_family(&pool.id, "s3").await, Ok(None));
    // A family that cannot be created leaves the marker unspent.
    let third = [9u8; 32];
    assert_eq!(
        store
            .create_family_spending(&pool.id, family("s1", "alice", 4), &third, 100)
            .await,
        Err(StoreError::VersionConflict)
    );
    assert_eq!(store.mark_used(&pool.id, &third, 100).await, Ok(true));

    let results = race(20, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            let f = family(&format!("r{i}"), "bob", 50 + i as u8);
            store.create_family_spending(&id, f, &[42; 32], 100).await
        })
    })
    .await;
    assert_eq!(
        results.iter().filter(|r| **r == Ok(true)).count(),
        1,
        "{results:?}"
    );
    assert_eq!(
        results.iter().filter(|r| **r == Ok(false)).count(),
        19,
        "{results:?}"
    );
    let mut made = 0;
    for i in 0..20 {
        if store
            .get_family(&pool.id, &format!("r{i}"))
            .await
            .unwrap()
            .is_some()
        {
            made += 1;
        }
    }
    assert_eq!(made, 1);
}
