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

/// The facade's attempt limit (`userpool`'s `CODE_ATTEMPTS`).
const FACADE_CODE_ATTEMPTS: u32 = 5;

/// How many of `results` are each outcome: `(Ok, CodeMismatch, TooManyAttempts, CodeNotFound)`;
/// anything else fails the check.
fn tally(results: &[Result<(), StoreError>]) -> (usize, usize, usize, usize) {
    let mut t = (0, 0, 0, 0);
    for r in results {
        match r {
            Ok(()) => t.0 += 1,
            Err(StoreError::CodeMismatch) => t.1 += 1,
            Err(StoreError::TooManyAttempts) => t.2 += 1,
            Err(StoreError::CodeNotFound) => t.3 += 1,
            Err(other) => panic!("unexpected outcome of a guess: {other:?}"),
        }
    }
    t
}

/// Guesses racing at one code are compared at most `attempts_left` times in total: 100
/// parallel wrong guesses give exactly 4 `CodeMismatch` and one `TooManyAttempts` (the code
/// is then gone: every other guess, and the right code afterwards, is `CodeNotFound`); when
/// the right code races 99 wrong ones, the code ends exactly once (consumed or burned) after
/// at most 5 comparisons; and 50 parallel right guesses consume it exactly once.
pub async fn concurrent_wrong_guesses_are_bounded(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let purpose = CodePurpose::SignUpConfirmation;
    let live = |hash: u8| CodeRecord {
        attempts_left: FACADE_CODE_ATTEMPTS,
        ..code("alice", hash, 100)
    };
    let guesses = |right: Option<usize>| {
        let (store, id, purpose) = (store.clone(), pool.id.clone(), purpose.clone());
        race(100, move |i| {
            let (store, id, purpose) = (store.clone(), id.clone(), purpose.clone());
            // Wrong guesses are all different, as a brute-force attacker's would be.
            let mut hash = [0u8; 32];
            hash[..8].copy_from_slice(&(1000 + i as u64).to_be_bytes());
            if right == Some(i) {
                hash = [1; 32];
            }
            tokio::spawn(async move { store.consume_code(&id, &purpose, "alice", &hash, 50).await })
        })
    };

    store.put_code(&pool.id, live(1)).await.unwrap();
    let (ok, mismatch, too_many, not_found) = tally(&guesses(None).await);
    assert_eq!(
        (ok, mismatch, too_many, not_found),
        (0, 4, 1, 95),
        "100 wrong guesses: (ok, mismatch, too many, not found)"
    );
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[1; 32], 50)
            .await,
        Err(StoreError::CodeNotFound),
        "the burned code is refused even when right"
    );

    store.put_code(&pool.id, live(1)).await.unwrap();
    let (ok, mismatch, too_many, _) = tally(&guesses(Some(50)).await);
    assert!(
        ok + mismatch + too_many <= FACADE_CODE_ATTEMPTS as usize,
        "at most {FACADE_CODE_ATTEMPTS} guesses compared: ok {ok}, mismatch {mismatch}, too many {too_many}"
    );
    assert_eq!(ok + too_many, 1, "the code ends exactly once");

    store.put_code(&pool.id, live(1)).await.unwrap();
    let results = race(50, |_| {
        let (store, id, purpose) = (store.clone(), pool.id.clone(), purpose.clone());
        tokio::spawn(async move {
            store
                .consume_code(&id, &purpose, "alice", &[1; 32], 50)
                .await
        })
    })
    .await;
    assert_eq!(tally(&results), (1, 0, 0, 49), "50 right guesses");
}

/// A code stored with no attempts left cannot be used, not even with the right value.
pub async fn codes_without_attempts_are_dead(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let purpose = CodePurpose::SignUpConfirmation;
    store
        .put_code(
            &pool.id,
            CodeRecord {
                attempts_left: 0,
                ..code("alice", 1, 100)
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .consume_code(&pool.id, &purpose, "alice", &[1; 32], 50)
            .await,
        Err(StoreError::CodeNotFound)
    );
}
