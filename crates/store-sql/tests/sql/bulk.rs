//! `SqlStore::insert_users`: a batch lands whole or not at all.

use user_pool_model::{PoolConfig, Sub, User, UserPoolId, UserStatus};
use userpool_store::{PoolStore as _, StoreError, UserKeys, UserQuery, UserStore as _};
use userpool_store_sql::SqlStore;

use crate::backend;

fn user(pool: &PoolConfig, i: u64) -> (User, UserKeys) {
    let mut b = [0u8; 16];
    b[10..].copy_from_slice(&i.to_be_bytes()[2..]);
    let mut u = User::new(
        &format!("bulk{i:05}"),
        Sub::from_bytes(b),
        UserStatus::Confirmed,
        0,
    );
    u.attributes
        .insert("email".into(), format!("bulk{i}@example.com"));
    u.attributes.insert("email_verified".into(), "true".into());
    let keys = UserKeys::for_user(&u, pool);
    (u, keys)
}

async fn batches_are_all_or_nothing(store: SqlStore) {
    let mut pool =
        PoolConfig::new(UserPoolId::parse("us-east-1_Bulk00001").unwrap(), "bulk").unwrap();
    pool.alias_attributes = vec!["email".into()];
    store.create_pool(pool.clone()).await.unwrap();
    let batch: Vec<_> = (0..2_500).map(|i| user(&pool, i)).collect();
    store.insert_users(&pool.id, &batch).await.unwrap();
    let page = store
        .list_users(
            &pool.id,
            &UserQuery {
                filter: user_pool_model::Filter::parse(r#"email ^= "bulk12""#).unwrap(),
                limit: 60,
                token: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 60);
    assert!(page.items.iter().all(|u| u.version == 1));
    // One taken alias in a second batch: none of it lands.
    let mut second: Vec<_> = (5_000..5_010).map(|i| user(&pool, i)).collect();
    let (mut clash, _) = user(&pool, 6_000);
    clash
        .attributes
        .insert("email".into(), "bulk7@example.com".into());
    let keys = UserKeys::for_user(&clash, &pool);
    second.push((clash, keys));
    assert_eq!(
        store.insert_users(&pool.id, &second).await,
        Err(StoreError::AliasExists("alias".into()))
    );
    assert_eq!(store.get_user(&pool.id, "bulk05000").await, Ok(None));
    assert_eq!(
        store.insert_users(&pool.id, &batch[..1]).await,
        Err(StoreError::UsernameExists)
    );
}

#[tokio::test]
async fn sqlite_batches_are_all_or_nothing() {
    batches_are_all_or_nothing(backend::sqlite_store().await).await;
}

#[tokio::test]
async fn postgres_batches_are_all_or_nothing() {
    if let Some((store, _)) = backend::postgres_store().await {
        batches_are_all_or_nothing(store).await;
    }
}
