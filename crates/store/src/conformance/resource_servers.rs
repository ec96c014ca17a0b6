//! Resource servers.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::new_pool;
use crate::{Store, StoreError};

/// Resource servers.
pub async fn resource_servers(store: Arc<dyn Store>) {
    use user_pool_model::{ResourceServer, ResourceServerScope};
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let server = |id: &str, scopes: &[&str]| ResourceServer {
        identifier: id.into(),
        name: "api".into(),
        scopes: scopes
            .iter()
            .map(|s| ResourceServerScope {
                scope_name: (*s).into(),
                scope_description: String::new(),
            })
            .collect(),
    };
    store
        .create_resource_server(&pool.id, server("https://a.example", &["read"]))
        .await
        .unwrap();
    store
        .create_resource_server(&pool.id, server("https://b.example", &[]))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_resource_server(&pool.id, server("https://a.example", &[]))
            .await,
        Err(StoreError::ResourceServerExists)
    );
    store
        .put_resource_server(&pool.id, server("https://a.example", &["read", "write"]))
        .await
        .unwrap();
    assert_eq!(
        store
            .get_resource_server(&pool.id, "https://a.example")
            .await
            .unwrap()
            .scopes
            .len(),
        2
    );
    let page = store
        .list_resource_servers(&pool.id, 1, None)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let rest = store
        .list_resource_servers(&pool.id, 1, page.next.as_deref())
        .await
        .unwrap();
    assert_eq!(rest.items[0].identifier, "https://b.example");
    store
        .delete_resource_server(&pool.id, "https://b.example")
        .await
        .unwrap();
    assert_eq!(
        store
            .get_resource_server(&pool.id, "https://b.example")
            .await,
        Err(StoreError::ResourceServerNotFound)
    );
    assert_eq!(
        store
            .put_resource_server(&pool.id, server("https://z.example", &[]))
            .await,
        Err(StoreError::ResourceServerNotFound)
    );
}
