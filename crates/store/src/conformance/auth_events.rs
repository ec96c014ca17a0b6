//! Threat protection's auth events.

use std::sync::Arc;

use user_pool_model::CaseRule;

use super::{insert, key, new_pool, user};
use crate::{AuthEventRecord, AuthEventRetention, Store, StoreError};

fn event(user: &str, id: &str, created: i64) -> AuthEventRecord {
    AuthEventRecord {
        event_id: id.into(),
        user: key(user),
        created,
        body: format!("{{\"EventId\":\"{id}\"}}"),
    }
}

const KEEP_ALL: AuthEventRetention = AuthEventRetention {
    keep: 1000,
    not_before: 0,
};

/// Events list newest first across pages, replace by id, obey retention, need their user
/// and go with it.
pub async fn auth_events(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(
        store
            .put_auth_event(&pool.id, event("ghost", "e0", 1), KEEP_ALL)
            .await,
        Err(StoreError::UserNotFound)
    );
    insert(&store, &pool, &user("alice", 1, None, false))
        .await
        .unwrap();
    insert(&store, &pool, &user("bob", 2, None, false))
        .await
        .unwrap();
    for (i, created) in [10, 30, 20, 30, 40].into_iter().enumerate() {
        store
            .put_auth_event(
                &pool.id,
                event("alice", &format!("e{i}"), created),
                KEEP_ALL,
            )
            .await
            .unwrap();
    }
    store
        .put_auth_event(&pool.id, event("bob", "b0", 50), KEEP_ALL)
        .await
        .unwrap();
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = store
            .list_auth_events(&pool.id, &key("alice"), 2, token.as_deref())
            .await
            .unwrap();
        assert!(page.items.len() <= 2);
        ids.extend(page.items.into_iter().map(|e| e.event_id));
        match page.next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(ids, ["e4", "e3", "e1", "e2", "e0"]);
    assert_eq!(
        store
            .list_auth_events(&pool.id, &key("alice"), 0, Some("not a token"))
            .await,
        Err(StoreError::InvalidPaginationToken)
    );

    // Replacing by id keeps one event and its new body.
    let mut replaced = event("alice", "e2", 20);
    replaced.body = "{\"EventId\":\"e2\",\"EventFeedback\":{}}".into();
    store
        .put_auth_event(&pool.id, replaced.clone(), KEEP_ALL)
        .await
        .unwrap();
    assert_eq!(
        store
            .get_auth_event(&pool.id, &key("alice"), "e2")
            .await
            .unwrap(),
        Some(replaced)
    );
    assert_eq!(
        store
            .get_auth_event(&pool.id, &key("bob"), "e2")
            .await
            .unwrap(),
        None
    );

    // Retention: the newest `keep`, none older than `not_before`.
    store
        .put_auth_event(
            &pool.id,
            event("alice", "e5", 60),
            AuthEventRetention {
                keep: 3,
                not_before: 25,
            },
        )
        .await
        .unwrap();
    let kept: Vec<_> = store
        .list_auth_events(&pool.id, &key("alice"), 10, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.event_id)
        .collect();
    assert_eq!(kept, ["e5", "e4", "e3"]);

    // A deleted user's events are gone; another user's stay.
    store.delete_user(&pool.id, &key("alice")).await.unwrap();
    assert!(
        store
            .list_auth_events(&pool.id, &key("alice"), 10, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        store
            .list_auth_events(&pool.id, &key("bob"), 10, None)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
}
