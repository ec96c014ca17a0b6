//! User pool domains.

use std::sync::Arc;

use user_pool_model::{CaseRule, PoolConfig};

use super::{new_pool, pool_config};
use crate::{DomainRecord, Store, StoreError};

/// Domains: unique across pools, found by name, listed per pool, gone with their pool.
pub async fn domains(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let other = pool_config("us-east-1_Conform02", CaseRule::Sensitive);
    store.create_pool(other.clone()).await.unwrap();
    let record = |domain: &str, pool: &PoolConfig| DomainRecord {
        domain: domain.into(),
        pool: pool.id.clone(),
        certificate_arn: None,
        managed_login_version: 1,
        created: 5,
        ui: std::collections::BTreeMap::new(),
    };
    store
        .create_domain(record("myprefix", &pool))
        .await
        .unwrap();
    let mut custom = record("auth.example.com", &pool);
    custom.certificate_arn = Some("arn:aws:acm:us-east-1:123456789012:certificate/x".into());
    store.create_domain(custom.clone()).await.unwrap();
    assert_eq!(
        store.create_domain(record("myprefix", &other)).await,
        Err(StoreError::DomainExists),
        "unique across pools"
    );
    let missing = pool_config("us-east-1_Missing00", CaseRule::Sensitive);
    assert_eq!(
        store.create_domain(record("orphan", &missing)).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_domain("auth.example.com").await.unwrap(),
        Some(custom.clone())
    );
    assert!(custom.is_custom());
    assert_eq!(store.get_domain("nope").await.unwrap(), None);
    let mut updated = custom.clone();
    updated.managed_login_version = 2;
    updated.ui.insert(
        "ALL".into(),
        crate::UiCustomization {
            css: Some(".banner-customizable { background: #123456; }".into()),
            image_base64: Some("iVBORw0KGgo=".into()),
            image_type: Some("image/png".into()),
            created: 6,
            modified: 7,
        },
    );
    store.put_domain(updated.clone()).await.unwrap();
    assert_eq!(
        store.get_domain("auth.example.com").await.unwrap(),
        Some(updated)
    );
    assert_eq!(
        store.put_domain(record("nope", &pool)).await,
        Err(StoreError::DomainNotFound)
    );
    let names: Vec<String> = store
        .pool_domains(&pool.id)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.domain)
        .collect();
    assert_eq!(names, ["auth.example.com", "myprefix"]);
    assert!(store.pool_domains(&other.id).await.unwrap().is_empty());
    assert_eq!(
        store.pool_domains(&missing.id).await,
        Err(StoreError::PoolNotFound)
    );
    store.delete_domain("myprefix").await.unwrap();
    assert_eq!(
        store.delete_domain("myprefix").await,
        Err(StoreError::DomainNotFound)
    );
    store
        .create_domain(record("myprefix", &other))
        .await
        .unwrap();
    store.delete_pool(&pool.id).await.unwrap();
    assert_eq!(
        store.get_domain("auth.example.com").await.unwrap(),
        None,
        "gone with its pool"
    );
    assert!(store.get_domain("myprefix").await.unwrap().is_some());
}
