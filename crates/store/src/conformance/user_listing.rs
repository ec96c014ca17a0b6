//! ListUsers: pages, sort orders, filters, and tokens that survive concurrent inserts.

use std::collections::BTreeSet;
use std::sync::Arc;

use user_pool_model::{CaseRule, Filter, UserStatus};

use super::{collect, insert, new_pool, sub, user};
use crate::{Store, StoreError, UserQuery};

/// ListUsers: pages, sort order and the filter operators.
pub async fn list_users_pages_and_filters(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    for i in 0..150u64 {
        let mut u = user(
            &format!("user{i:03}"),
            i,
            Some(&format!("user{i}@example.com")),
            i % 2 == 0,
        );
        u.enabled = i % 10 != 0;
        if i % 3 == 0 {
            u.status = UserStatus::Unconfirmed;
        }
        insert(&store, &pool, &u).await.unwrap();
    }
    let all = collect(&store, &pool, None, 60).await;
    assert_eq!(all.len(), 150);
    assert_eq!(store.count_users(&pool.id).await, Ok(150));
    let names: Vec<&str> = all.iter().map(|u| u.username.as_str()).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted by username");
    let prefixed = collect(&store, &pool, Some(r#"email ^= "user12""#), 7).await;
    let mut expected: Vec<String> = (0..150)
        .map(|i| format!("user{i}@example.com"))
        .filter(|e| e.starts_with("user12"))
        .collect();
    expected.sort();
    assert_eq!(
        prefixed
            .iter()
            .map(|u| u.attribute("email").unwrap())
            .collect::<Vec<_>>(),
        expected,
        "sorted by the filtered attribute"
    );
    assert_eq!(
        collect(&store, &pool, Some(r#"email = "user7@example.com""#), 60)
            .await
            .len(),
        1
    );
    assert_eq!(
        collect(&store, &pool, Some(r#"username = "user007""#), 60)
            .await
            .len(),
        1
    );
    assert_eq!(
        collect(&store, &pool, Some(r#"username ^= "user1""#), 60)
            .await
            .len(),
        50,
        "user100..user149"
    );
    assert_eq!(
        collect(&store, &pool, Some(r#"status = "Disabled""#), 4)
            .await
            .len(),
        15
    );
    assert_eq!(
        collect(
            &store,
            &pool,
            Some(r#"cognito:user_status = "unconfirmed""#),
            60
        )
        .await
        .len(),
        50
    );
    assert_eq!(
        collect(&store, &pool, Some(&format!(r#"sub = "{}""#, sub(5))), 60)
            .await
            .len(),
        1
    );
    assert!(
        collect(&store, &pool, Some(r#"name ^= "x""#), 60)
            .await
            .is_empty()
    );
    let bad = store
        .list_users(
            &pool.id,
            &UserQuery {
                filter: None,
                limit: 10,
                token: Some("not-a-token".into()),
            },
        )
        .await;
    assert_eq!(bad, Err(StoreError::InvalidPaginationToken));
    let by_email = store
        .list_users(
            &pool.id,
            &UserQuery {
                filter: Filter::parse(r#"email ^= "u""#).unwrap(),
                limit: 1,
                token: None,
            },
        )
        .await
        .unwrap();
    let mismatched = store
        .list_users(
            &pool.id,
            &UserQuery {
                filter: None,
                limit: 1,
                token: by_email.next,
            },
        )
        .await;
    assert_eq!(
        mismatched,
        Err(StoreError::InvalidPaginationToken),
        "a token from another query"
    );
}

/// Pages stay consistent while users are inserted between requests: nothing repeats, nothing
/// that existed at the start is skipped.
pub async fn pagination_survives_concurrent_inserts(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    for i in 0..100u64 {
        insert(
            &store,
            &pool,
            &user(
                &format!("m{i:03}"),
                i,
                Some(&format!("m{i:03}@example.com")),
                false,
            ),
        )
        .await
        .unwrap();
    }
    let mut extra = 1000u64;
    for filter in [None, Filter::parse(r#"email ^= "m""#).unwrap()] {
        let mut token = None;
        let mut seen = Vec::new();
        loop {
            let page = store
                .list_users(
                    &pool.id,
                    &UserQuery {
                        filter: filter.clone(),
                        limit: 9,
                        token,
                    },
                )
                .await
                .unwrap();
            seen.extend(page.items.into_iter().map(|u| u.username));
            for name in ["a-early", "zz-late", "m050x"] {
                extra += 1;
                insert(
                    &store,
                    &pool,
                    &user(
                        &format!("{name}{extra}"),
                        extra,
                        Some(&format!("{name}{extra}@example.com")),
                        false,
                    ),
                )
                .await
                .unwrap();
            }
            match page.next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no user twice");
        for i in 0..100 {
            assert!(seen.contains(&format!("m{i:03}")), "m{i:03} was skipped");
        }
    }
}
