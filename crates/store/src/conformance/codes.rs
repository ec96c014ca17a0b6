//! One-time codes: single use, expiry, the attempt limit, under concurrency.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::{code, new_pool, race};
use crate::{CodePurpose, CodeRecord, Store, StoreError};

/// One-time codes: single use, expiry, attempt limit, superseding.
pub async fn codes(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let purpose = CodePurpose::SignUpConfirmation;
    store
        .put_code(&pool.id, code("alice", 1, 100))
        .await
        .unwrap();
    store
        .consume_code(&pool.id, &purpose, "alice", &[1; 32], 50)
        .await
        .unwrap();
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[1; 32], 50)
            .await,
        Err(StoreError::CodeNotFound),
        "single use"
    );
    store
        .put_code(&pool.id, code("alice", 2, 100))
        .await
        .unwrap();
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[9; 32], 50)
            .await,
        Err(StoreError::CodeMismatch)
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[9; 32], 50)
            .await,
        Err(StoreError::CodeMismatch)
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[9; 32], 50)
            .await,
        Err(StoreError::TooManyAttempts)
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[2; 32], 50)
            .await,
        Err(StoreError::CodeNotFound),
        "burned"
    );
    store
        .put_code(&pool.id, code("alice", 3, 100))
        .await
        .unwrap();
    store
        .put_code(&pool.id, code("alice", 4, 100))
        .await
        .unwrap();
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[3; 32], 50)
            .await,
        Err(StoreError::CodeMismatch),
        "superseded"
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[4; 32], 101)
            .await,
        Err(StoreError::CodeExpired)
    );
    let reset = CodeRecord {
        purpose: CodePurpose::PasswordReset,
        ..code("bob", 5, 100)
    };
    store.put_code(&pool.id, reset).await.unwrap();
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "bob", &[5; 32], 50)
            .await,
        Err(StoreError::CodeNotFound),
        "purposes are separate"
    );
    store
        .put_code(&pool.id, code("carol", 6, 10))
        .await
        .unwrap();
    assert!(store.purge_expired_codes(11).await.unwrap() >= 1);
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "carol", &[6; 32], 5)
            .await,
        Err(StoreError::CodeNotFound)
    );
}

/// 50 concurrent consumptions of one code: exactly one succeeds.
pub async fn concurrent_code_consumption(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .put_code(&pool.id, code("alice", 1, 100))
        .await
        .unwrap();
    let results = race(50, |_| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            store
                .consume_code(&id, &CodePurpose::SignUpConfirmation, "alice", &[1; 32], 50)
                .await
        })
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::CodeNotFound))
    );
}
