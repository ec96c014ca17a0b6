//! Batches of new users (what a user import commits): all of a batch lands or none of it.

use std::sync::Arc;

use user_pool_model::{CaseRule, User};

use super::{collect, insert, key, new_pool, user};
use crate::{Store, StoreError, UserKeys};

fn batch(pool: &user_pool_model::PoolConfig, range: std::ops::Range<u64>) -> Vec<(User, UserKeys)> {
    range
        .map(|i| {
            let u = user(
                &format!("bulk{i:05}"),
                10_000 + i,
                Some(&format!("bulk{i}@example.com")),
                true,
            );
            let keys = UserKeys::for_user(&u, pool);
            (u, keys)
        })
        .collect()
}

/// Makes the last user of a batch clash.
type Clash<'a> = Box<dyn Fn(&mut User) + 'a>;

fn is_conflict(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::UsernameExists | StoreError::AliasExists(_) | StoreError::SubExists
    )
}

/// A batch lands whole (every user at version 1, findable by alias and listed); a batch with
/// one conflict — a stored username, alias or `sub`, or two of its own users clashing — leaves
/// nothing behind.
pub async fn user_batches_are_all_or_nothing(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Insensitive).await;
    let first = batch(&pool, 0..1_200);
    store.insert_users(&pool.id, &first).await.unwrap();
    let listed = collect(&store, &pool, Some(r#"email ^= "bulk11""#), 60).await;
    assert_eq!(
        listed.len(),
        111,
        "bulk11, bulk110..bulk119, bulk1100..bulk1199"
    );
    assert!(listed.iter().all(|u| u.version == 1));
    let by_alias = store
        .find_by_alias(&pool.id, "email", "bulk7@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_alias.username, "bulk00007");
    assert_eq!(store.count_users(&pool.id).await, Ok(1_200));

    let clashes: [(&str, Clash); 4] = [
        (
            "stored username",
            Box::new(|u| u.username = "BULK00003".into()),
        ),
        (
            "stored alias",
            Box::new(|u| {
                u.attributes
                    .insert("email".into(), "bulk9@example.com".into());
                u.attributes.insert("email_verified".into(), "true".into());
            }),
        ),
        ("stored sub", Box::new(|u| u.sub = first[5].0.sub)),
        (
            "within the batch",
            Box::new(|u| u.username = "bulk05000".into()),
        ),
    ];
    for (what, clash) in clashes {
        let mut second = batch(&pool, 5_000..5_050);
        let mut last = user("zz-last", 99_999, None, false);
        clash(&mut last);
        let keys = UserKeys::for_user(&last, &pool);
        second.push((last, keys));
        let refused = store.insert_users(&pool.id, &second).await;
        assert!(
            matches!(&refused, Err(e) if is_conflict(e)),
            "{what}: {refused:?}"
        );
        assert_eq!(
            store.get_user(&pool.id, &key("bulk05000")).await,
            Ok(None),
            "{what}"
        );
        assert_eq!(
            store.get_user(&pool.id, &key("zz-last")).await,
            Ok(None),
            "{what}"
        );
        assert_eq!(
            store
                .find_by_alias(&pool.id, "email", "bulk5001@example.com")
                .await,
            Ok(None),
            "{what}"
        );
        assert_eq!(store.count_users(&pool.id).await, Ok(1_200), "{what}");
    }
    // After the refusals the same users insert one by one, and an empty batch changes nothing.
    store.insert_users(&pool.id, &[]).await.unwrap();
    for (u, _) in batch(&pool, 5_000..5_003) {
        insert(&store, &pool, &u).await.unwrap();
    }
    assert_eq!(store.count_users(&pool.id).await, Ok(1_203));
}
