//! Signing keys.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::new_pool;
use crate::{Store, StoredKeys};

/// Signing keys are stored opaquely.
pub async fn signing_keys(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(store.get_signing_keys(&pool.id).await.unwrap(), None);
    store
        .put_signing_keys(&pool.id, StoredKeys(vec![1, 2, 3]))
        .await
        .unwrap();
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(StoredKeys(vec![1, 2, 3]))
    );
}
