//! Groups and memberships.

use std::sync::Arc;

use user_pool_model::{CaseRule, Group};

use super::{insert, key, new_pool, user};
use crate::{Store, StoreError};

/// Groups, memberships, and their pages.
pub async fn groups_and_memberships(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    for i in 0..5 {
        store
            .create_group(
                &pool.id,
                Group::new(&format!("g{i}"), None, None, Some(i), 0).unwrap(),
            )
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .create_group(&pool.id, Group::new("g0", None, None, None, 0).unwrap())
            .await,
        Err(StoreError::GroupExists)
    );
    let mut g = store.get_group(&pool.id, "g1").await.unwrap();
    g.description = Some("d".into());
    store.put_group(&pool.id, g).await.unwrap();
    assert_eq!(
        store
            .get_group(&pool.id, "g1")
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("d")
    );
    let page = store.list_groups(&pool.id, 3, None).await.unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(
        store
            .list_groups(&pool.id, 3, page.next.as_deref())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
    for i in 0..4u64 {
        insert(&store, &pool, &user(&format!("u{i}"), i, None, false))
            .await
            .unwrap();
        store
            .add_to_group(&pool.id, "g2", &key(&format!("u{i}")))
            .await
            .unwrap();
    }
    store
        .add_to_group(&pool.id, "g2", &key("u0"))
        .await
        .unwrap();
    store
        .add_to_group(&pool.id, "g3", &key("u0"))
        .await
        .unwrap();
    assert_eq!(
        store.add_to_group(&pool.id, "g2", &key("nobody")).await,
        Err(StoreError::UserNotFound)
    );
    assert_eq!(
        store.add_to_group(&pool.id, "nogroup", &key("u0")).await,
        Err(StoreError::GroupNotFound)
    );
    let members = store.users_in_group(&pool.id, "g2", 3, None).await.unwrap();
    assert_eq!(members.items.len(), 3);
    assert_eq!(
        store
            .users_in_group(&pool.id, "g2", 3, members.next.as_deref())
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let groups: Vec<String> = store
        .groups_for_user(&pool.id, &key("u0"), 10, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(groups, ["g2", "g3"]);
    store
        .remove_from_group(&pool.id, "g2", &key("u0"))
        .await
        .unwrap();
    store.delete_group(&pool.id, "g3").await.unwrap();
    assert!(
        store
            .groups_for_user(&pool.id, &key("u0"), 10, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        store.get_group(&pool.id, "g3").await,
        Err(StoreError::GroupNotFound)
    );
}
