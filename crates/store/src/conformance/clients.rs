//! App clients.

use std::sync::Arc;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use user_pool_model::{AppClient, CaseRule, ClientId};

use super::new_pool;
use crate::{Store, StoreError};

/// App clients.
pub async fn clients(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut ids = Vec::new();
    for i in 0..3 {
        let c = AppClient::new(ClientId::generate(&mut rng), &format!("client{i}"), None).unwrap();
        ids.push(c.id.clone());
        store.create_client(&pool.id, c).await.unwrap();
    }
    let dup = store.get_client(&pool.id, &ids[0]).await.unwrap();
    assert_eq!(
        store.create_client(&pool.id, dup.clone()).await,
        Err(StoreError::ClientExists)
    );
    let mut changed = dup;
    changed.name = "changed".into();
    store.put_client(&pool.id, changed).await.unwrap();
    assert_eq!(
        store.get_client(&pool.id, &ids[0]).await.unwrap().name,
        "changed"
    );
    let page = store.list_clients(&pool.id, 2, None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        store
            .list_clients(&pool.id, 2, page.next.as_deref())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let (found_pool, found) = store.find_client(&ids[2]).await.unwrap().unwrap();
    assert_eq!((found_pool, found.id), (pool.clone(), ids[2].clone()));
    store.delete_client(&pool.id, &ids[1]).await.unwrap();
    assert_eq!(
        store.get_client(&pool.id, &ids[1]).await,
        Err(StoreError::ClientNotFound)
    );
    assert_eq!(store.find_client(&ids[1]).await, Ok(None));
    let ghost = AppClient::new(ClientId::generate(&mut rng), "ghost", None).unwrap();
    assert_eq!(
        store.put_client(&pool.id, ghost).await,
        Err(StoreError::ClientNotFound)
    );

    // A secret is stored sealed (opaque bytes here), never in plaintext.
    let secret = user_pool_model::ClientSecret::generate(&mut rng);
    let mut plain = AppClient::new(ClientId::generate(&mut rng), "plain", Some(secret)).unwrap();
    assert!(matches!(
        store.create_client(&pool.id, plain.clone()).await,
        Err(StoreError::Backend(_))
    ));
    assert_eq!(
        store.get_client(&pool.id, &plain.id).await,
        Err(StoreError::ClientNotFound)
    );
    let mut existing = store.get_client(&pool.id, &ids[0]).await.unwrap();
    existing.secret = plain.secret.clone();
    assert!(matches!(
        store.put_client(&pool.id, existing).await,
        Err(StoreError::Backend(_))
    ));
    assert_eq!(
        store.get_client(&pool.id, &ids[0]).await.unwrap().secret,
        None
    );
    plain.secret = None;
    plain.sealed_secret = Some(vec![1, 2, 3]);
    store.create_client(&pool.id, plain.clone()).await.unwrap();
    let stored = store.get_client(&pool.id, &plain.id).await.unwrap();
    assert_eq!(
        (stored.secret, stored.sealed_secret),
        (None, Some(vec![1, 2, 3]))
    );
}
