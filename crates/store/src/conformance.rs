//! The conformance suite every store backend runs (feature `conformance`).
//!
//! Each check takes a fresh, empty store. A backend's integration test expands them all with
//! [`conformance_tests!`](crate::conformance_tests):
//!
//! ```text
//! userpool_store::conformance_tests!(async { std::sync::Arc::new(MemoryStore::new()) as _ });
//! ```
//!
//! A backend that needs an outside service uses `conformance_tests!(optional: make)`, where
//! `make` yields `Option<Arc<dyn Store>>` and `None` (service not configured) skips the
//! check; `make` says why.
//!
//! Panics are this module's assertions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test assertions"
)]

use std::collections::BTreeSet;
use std::sync::Arc;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use user_pool_model::{
    AppClient, CaseRule, ClientId, Filter, Group, PoolConfig, Sub, User, UserPoolId, UserStatus,
};

use crate::{
    CodePurpose, CodeRecord, DomainRecord, ImportJob, RefreshFamily, Store, StoreError, StoredKeys,
    UserKeys, UserQuery,
};

/// Expands every conformance check into a `#[tokio::test]` for the store `$make` creates
/// (an `async` block returning `Arc<dyn Store>`).
#[macro_export]
macro_rules! conformance_tests {
    (optional: $make:expr) => {
        $crate::conformance_tests!(@list optional $make);
    };
    ($make:expr) => {
        $crate::conformance_tests!(@list required $make);
    };
    (@list $mode:ident $make:expr) => {
        $crate::conformance_tests!(@each $mode $make;
            pools, clients, users_unique_by_username_alias_and_sub, case_insensitive_pools,
            username_attribute_pools, updates_need_the_current_version, failed_updates_change_nothing,
            delete_user_cascades, list_users_pages_and_filters, pagination_survives_concurrent_inserts,
            groups_and_memberships, codes, replay_markers, refresh_families, signing_keys, concurrent_first_signing_keys,
            concurrent_signing_key_replacements, lockout_counters, lockout_purge,
            import_jobs, resource_servers, domains, unknown_pool, concurrent_inserts_of_one_username, concurrent_inserts_of_case_variants,
            concurrent_inserts_of_one_alias, concurrent_code_consumption, concurrent_replay_markers,
            concurrent_lockout_increments, concurrent_rotations);
    };
    (@each required $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let store: std::sync::Arc<dyn $crate::Store> = $make.await;
                $crate::conformance::$name(store).await;
            }
        )*
    };
    (@each optional $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let store: Option<std::sync::Arc<dyn $crate::Store>> = $make.await;
                if let Some(store) = store {
                    $crate::conformance::$name(store).await;
                }
            }
        )*
    };
}

fn pool_config(id: &str, rule: CaseRule) -> PoolConfig {
    let mut p = PoolConfig::new(UserPoolId::parse(id).unwrap(), "conformance").unwrap();
    p.case_rule = rule;
    p.alias_attributes = vec!["email".into(), "preferred_username".into()];
    p
}

async fn new_pool(store: &Arc<dyn Store>, rule: CaseRule) -> PoolConfig {
    let p = pool_config("us-east-1_Conform01", rule);
    store.create_pool(p.clone()).await.unwrap();
    p
}

fn sub(n: u64) -> Sub {
    // Bytes 6 and 8 carry the UUID version and variant.
    let mut b = [0u8; 16];
    b[10..].copy_from_slice(&n.to_be_bytes()[2..]);
    Sub::from_bytes(b)
}

fn user(name: &str, n: u64, email: Option<&str>, verified: bool) -> User {
    let mut u = User::new(name, sub(n), UserStatus::Confirmed, 1_700_000_000);
    if let Some(e) = email {
        u.attributes.insert("email".into(), e.into());
        u.attributes
            .insert("email_verified".into(), verified.to_string());
    }
    u
}

async fn insert(store: &Arc<dyn Store>, pool: &PoolConfig, u: &User) -> Result<User, StoreError> {
    store
        .insert_user(&pool.id, u.clone(), &UserKeys::for_user(u, pool))
        .await
}

/// Pools: create, duplicate, read, replace, list with pages, delete.
pub async fn pools(store: Arc<dyn Store>) {
    for i in 0..5 {
        store
            .create_pool(pool_config(
                &format!("us-east-1_Pool{i:05}"),
                CaseRule::Sensitive,
            ))
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .create_pool(pool_config("us-east-1_Pool00000", CaseRule::Sensitive))
            .await,
        Err(StoreError::PoolExists)
    );
    let id = UserPoolId::parse("us-east-1_Pool00002").unwrap();
    let mut p = store.get_pool(&id).await.unwrap();
    p.name = "renamed".into();
    p.case_rule = CaseRule::Insensitive;
    store.put_pool(p).await.unwrap();
    let got = store.get_pool(&id).await.unwrap();
    assert_eq!(got.name, "renamed");
    assert_eq!(
        got.case_rule,
        CaseRule::Sensitive,
        "the case rule is immutable"
    );
    let first = store.list_pools(2, None).await.unwrap();
    assert_eq!(first.items.len(), 2);
    let second = store.list_pools(2, first.next.as_deref()).await.unwrap();
    let third = store.list_pools(2, second.next.as_deref()).await.unwrap();
    assert_eq!(third.items.len(), 1);
    assert!(third.next.is_none());
    let all: BTreeSet<String> = [first, second, third]
        .into_iter()
        .flat_map(|p| p.items)
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(all.len(), 5);
    store.delete_pool(&id).await.unwrap();
    assert_eq!(store.get_pool(&id).await, Err(StoreError::PoolNotFound));
    assert_eq!(store.delete_pool(&id).await, Err(StoreError::PoolNotFound));
    assert_eq!(
        store.list_pools(2, Some("%%%")).await,
        Err(StoreError::InvalidPaginationToken)
    );
}

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
    assert_eq!((found_pool, found.id), (pool.id.clone(), ids[2].clone()));
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

/// Users are unique by folded username, every active alias and `sub`.
pub async fn users_unique_by_username_alias_and_sub(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let alice = insert(
        &store,
        &pool,
        &user("alice", 1, Some("a@example.com"), true),
    )
    .await
    .unwrap();
    assert_eq!(alice.version, 1);
    assert_eq!(
        insert(&store, &pool, &user("alice", 2, None, false)).await,
        Err(StoreError::UsernameExists)
    );
    assert_eq!(
        insert(&store, &pool, &user("bob", 1, None, false)).await,
        Err(StoreError::SubExists)
    );
    assert_eq!(
        insert(
            &store,
            &pool,
            &user("carol", 3, Some("a@example.com"), true)
        )
        .await,
        Err(StoreError::AliasExists("email".into()))
    );
    // An unverified email is not an alias, so it may repeat.
    insert(
        &store,
        &pool,
        &user("dave", 4, Some("a@example.com"), false),
    )
    .await
    .unwrap();
    assert_eq!(
        store
            .get_user(&pool.id, "alice")
            .await
            .unwrap()
            .map(|u| u.sub),
        Some(sub(1))
    );
    assert_eq!(
        store
            .find_by_alias(&pool.id, "email", "a@example.com")
            .await
            .unwrap()
            .map(|u| u.username),
        Some("alice".into())
    );
    assert_eq!(
        store
            .find_by_sub(&pool.id, &sub(4))
            .await
            .unwrap()
            .map(|u| u.username),
        Some("dave".into())
    );
    assert_eq!(
        store.get_user(&pool.id, "Alice").await.unwrap(),
        None,
        "case-sensitive pool"
    );
    let mut pref = user("erin", 5, None, false);
    pref.attributes
        .insert("preferred_username".into(), "ally".into());
    insert(&store, &pool, &pref).await.unwrap();
    let mut pref2 = user("fred", 6, None, false);
    pref2
        .attributes
        .insert("preferred_username".into(), "ally".into());
    assert_eq!(
        insert(&store, &pool, &pref2).await,
        Err(StoreError::AliasExists("preferred_username".into()))
    );
}

/// In a case-insensitive pool, `Alice` and `alice` collide, and so do email case variants.
pub async fn case_insensitive_pools(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Insensitive).await;
    insert(
        &store,
        &pool,
        &user("Alice", 1, Some("Alice@Example.com"), true),
    )
    .await
    .unwrap();
    assert_eq!(
        insert(&store, &pool, &user("alice", 2, None, false)).await,
        Err(StoreError::UsernameExists)
    );
    assert_eq!(
        insert(
            &store,
            &pool,
            &user("ALICE2", 3, Some("alice@example.COM"), true)
        )
        .await,
        Err(StoreError::AliasExists("email".into()))
    );
    let found = store
        .get_user(&pool.id, &CaseRule::Insensitive.fold("ALICE"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.username, "Alice", "the stored spelling is kept");
    assert!(
        store
            .find_by_alias(&pool.id, "email", "alice@example.com")
            .await
            .unwrap()
            .is_some()
    );
}

/// In a username-attribute pool the email is unique even before verification.
pub async fn username_attribute_pools(store: Arc<dyn Store>) {
    let mut pool = pool_config("us-east-1_Conform02", CaseRule::Insensitive);
    pool.alias_attributes.clear();
    pool.username_attributes = vec!["email".into()];
    store.create_pool(pool.clone()).await.unwrap();
    insert(
        &store,
        &pool,
        &user(&sub(1).to_string(), 1, Some("x@example.com"), false),
    )
    .await
    .unwrap();
    assert_eq!(
        insert(
            &store,
            &pool,
            &user(&sub(2).to_string(), 2, Some("X@example.com"), false)
        )
        .await,
        Err(StoreError::AliasExists("email".into()))
    );
}

/// Updates need the current version and re-index aliases.
pub async fn updates_need_the_current_version(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let mut u = insert(
        &store,
        &pool,
        &user("alice", 1, Some("old@example.com"), true),
    )
    .await
    .unwrap();
    let stale = u.clone();
    u.attributes
        .insert("email".into(), "new@example.com".into());
    let u = store
        .update_user(&pool.id, u.clone(), &UserKeys::for_user(&u, &pool))
        .await
        .unwrap();
    assert_eq!(u.version, 2);
    assert_eq!(
        store
            .update_user(&pool.id, stale.clone(), &UserKeys::for_user(&stale, &pool))
            .await,
        Err(StoreError::VersionConflict)
    );
    assert!(
        store
            .find_by_alias(&pool.id, "email", "old@example.com")
            .await
            .unwrap()
            .is_none(),
        "the old alias is free"
    );
    assert_eq!(
        store
            .find_by_alias(&pool.id, "email", "new@example.com")
            .await
            .unwrap()
            .map(|u| u.version),
        Some(2)
    );
    insert(
        &store,
        &pool,
        &user("bob", 2, Some("old@example.com"), true),
    )
    .await
    .unwrap();
    let ghost = user("ghost", 9, None, false);
    assert_eq!(
        store
            .update_user(&pool.id, ghost.clone(), &UserKeys::for_user(&ghost, &pool))
            .await,
        Err(StoreError::UserNotFound)
    );
}

/// A refused update leaves the stored user exactly as it was.
pub async fn failed_updates_change_nothing(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    insert(
        &store,
        &pool,
        &user("alice", 1, Some("a@example.com"), true),
    )
    .await
    .unwrap();
    let bob = insert(&store, &pool, &user("bob", 2, Some("b@example.com"), true))
        .await
        .unwrap();
    let mut taking = bob.clone();
    taking
        .attributes
        .insert("email".into(), "a@example.com".into());
    taking.attributes.insert("name".into(), "Bob".into());
    assert_eq!(
        store
            .update_user(
                &pool.id,
                taking.clone(),
                &UserKeys::for_user(&taking, &pool)
            )
            .await,
        Err(StoreError::AliasExists("email".into()))
    );
    assert_eq!(store.get_user(&pool.id, "bob").await.unwrap(), Some(bob));
    assert!(
        store
            .find_by_alias(&pool.id, "email", "b@example.com")
            .await
            .unwrap()
            .is_some()
    );
}

/// Deleting a user removes it everywhere.
pub async fn delete_user_cascades(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    insert(
        &store,
        &pool,
        &user("alice", 1, Some("a@example.com"), true),
    )
    .await
    .unwrap();
    store
        .create_group(&pool.id, Group::new("g", None, None, None, 0).unwrap())
        .await
        .unwrap();
    store.add_to_group(&pool.id, "g", "alice").await.unwrap();
    store
        .put_code(&pool.id, code("alice", 1, 100))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f1", "alice", 7))
        .await
        .unwrap();
    store.delete_user(&pool.id, "alice").await.unwrap();
    assert_eq!(store.get_user(&pool.id, "alice").await.unwrap(), None);
    assert!(
        store
            .find_by_alias(&pool.id, "email", "a@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .find_by_sub(&pool.id, &sub(1))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .users_in_group(&pool.id, "g", 10, None)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        store
            .find_family(&pool.id, &[7; 32])
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store.delete_user(&pool.id, "alice").await,
        Err(StoreError::UserNotFound)
    );
    insert(
        &store,
        &pool,
        &user("alice", 1, Some("a@example.com"), true),
    )
    .await
    .unwrap();
    assert_eq!(
        store
            .consume_code(
                &pool.id,
                &CodePurpose::SignUpConfirmation,
                "alice",
                &[1; 32],
                0
            )
            .await,
        Err(StoreError::CodeNotFound)
    );
}

async fn collect(
    store: &Arc<dyn Store>,
    pool: &PoolConfig,
    filter: Option<&str>,
    limit: usize,
) -> Vec<User> {
    let filter = filter.map(|f| Filter::parse(f).unwrap().unwrap());
    let mut token = None;
    let mut out = Vec::new();
    loop {
        let page = store
            .list_users(
                &pool.id,
                &UserQuery {
                    filter: filter.clone(),
                    limit,
                    token,
                },
            )
            .await
            .unwrap();
        assert!(page.items.len() <= limit);
        out.extend(page.items);
        match page.next {
            Some(t) => token = Some(t),
            None => return out,
        }
    }
}

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
            .add_to_group(&pool.id, "g2", &format!("u{i}"))
            .await
            .unwrap();
    }
    store.add_to_group(&pool.id, "g2", "u0").await.unwrap();
    store.add_to_group(&pool.id, "g3", "u0").await.unwrap();
    assert_eq!(
        store.add_to_group(&pool.id, "g2", "nobody").await,
        Err(StoreError::UserNotFound)
    );
    assert_eq!(
        store.add_to_group(&pool.id, "nogroup", "u0").await,
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
        .groups_for_user(&pool.id, "u0", 10, None)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(groups, ["g2", "g3"]);
    store.remove_from_group(&pool.id, "g2", "u0").await.unwrap();
    store.delete_group(&pool.id, "g3").await.unwrap();
    assert!(
        store
            .groups_for_user(&pool.id, "u0", 10, None)
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

fn code(user: &str, hash: u8, expires_at: i64) -> CodeRecord {
    CodeRecord {
        purpose: CodePurpose::SignUpConfirmation,
        user: user.into(),
        code_hash: [hash; 32],
        expires_at,
        attempts_left: 3,
    }
}

fn family(id: &str, user: &str, hash: u8) -> RefreshFamily {
    RefreshFamily {
        id: id.into(),
        user: user.into(),
        client_id: ClientId::parse("client").unwrap(),
        origin_jti: format!("origin-{id}"),
        device_key: None,
        auth_time: 0,
        token_hash: [hash; 32],
        previous: None,
        created: 0,
        expires_at: 1_000_000,
        revoked: false,
        scopes: (hash == 2).then(|| vec!["openid".to_owned(), "rs/read".to_owned()]),
    }
}

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

/// Replay markers.
pub async fn replay_markers(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert!(store.mark_used(&pool.id, &[1; 32], 100).await.unwrap());
    assert!(!store.mark_used(&pool.id, &[1; 32], 100).await.unwrap());
    assert!(store.mark_used(&pool.id, &[2; 32], 10).await.unwrap());
    assert!(store.purge_expired_markers(50).await.unwrap() >= 1);
    assert!(
        !store.mark_used(&pool.id, &[1; 32], 100).await.unwrap(),
        "unexpired markers survive the purge"
    );
}

/// Refresh-token families: lookup by hash, compare-and-swap rotation, revocation.
pub async fn refresh_families(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .create_family(&pool.id, family("f1", "alice", 1))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f2", "alice", 2))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f3", "bob", 3))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_family(&pool.id, family("f1", "alice", 9))
            .await,
        Err(StoreError::VersionConflict)
    );
    assert_eq!(
        store.find_family(&pool.id, &[2; 32]).await.unwrap(),
        Some(family("f2", "alice", 2)),
        "a family round-trips, its OAuth scopes included"
    );
    assert_eq!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into())
    );
    let rotated = store
        .rotate_family(&pool.id, "f1", &[1; 32], [11; 32], 100)
        .await
        .unwrap();
    assert_eq!(rotated.previous, Some(([1; 32], 100)));
    assert_eq!(
        store
            .find_family(&pool.id, &[11; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into())
    );
    assert_eq!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .map(|f| f.id),
        Some("f1".into()),
        "the previous token still finds its family (reuse detection)"
    );
    assert_eq!(
        store
            .rotate_family(&pool.id, "f1", &[1; 32], [12; 32], 101)
            .await,
        Err(StoreError::VersionConflict)
    );
    store
        .rotate_family(&pool.id, "f1", &[11; 32], [13; 32], 102)
        .await
        .unwrap();
    assert!(
        store
            .find_family(&pool.id, &[1; 32])
            .await
            .unwrap()
            .is_none(),
        "only one previous token is remembered"
    );
    store.revoke_family(&pool.id, "f1").await.unwrap();
    assert!(
        store
            .get_family(&pool.id, "f1")
            .await
            .unwrap()
            .is_some_and(|f| f.revoked && f.token_hash == [13; 32])
    );
    assert_eq!(store.get_family(&pool.id, "nope").await, Ok(None));
    assert_eq!(
        store
            .rotate_family(&pool.id, "f1", &[13; 32], [14; 32], 103)
            .await,
        Err(StoreError::FamilyRevoked)
    );
    assert_eq!(
        store.revoke_user_families(&pool.id, "alice").await.unwrap(),
        1
    );
    assert!(
        store
            .find_family(&pool.id, &[3; 32])
            .await
            .unwrap()
            .is_some_and(|f| !f.revoked),
        "other users keep theirs"
    );
    assert_eq!(
        store.revoke_family(&pool.id, "nope").await,
        Err(StoreError::RefreshTokenNotFound)
    );
}

/// Signing keys are stored opaquely: the first insert wins, replacements are conditional.
pub async fn signing_keys(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(store.get_signing_keys(&pool.id).await.unwrap(), None);
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &StoredKeys(vec![]), StoredKeys(vec![9]))
            .await,
        Err(StoreError::VersionConflict),
        "nothing to replace"
    );
    let first = StoredKeys(vec![1, 2, 3]);
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&pool.id, first.clone())
            .await
            .unwrap(),
        first
    );
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&pool.id, StoredKeys(vec![4, 5]))
            .await
            .unwrap(),
        first,
        "a second insert returns the first keys"
    );
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(first.clone())
    );

    let second = StoredKeys(vec![6; 300]);
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &StoredKeys(vec![1, 2]), second.clone())
            .await,
        Err(StoreError::VersionConflict),
        "a prefix is not the record"
    );
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(first.clone())
    );
    store
        .replace_signing_keys(&pool.id, &first, second.clone())
        .await
        .unwrap();
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(second.clone())
    );
    assert_eq!(
        store
            .replace_signing_keys(&pool.id, &first, StoredKeys(vec![7]))
            .await,
        Err(StoreError::VersionConflict),
        "the old record is stale"
    );

    store
        .put_signing_keys(&pool.id, StoredKeys(vec![8]))
        .await
        .unwrap();
    assert_eq!(
        store.get_signing_keys(&pool.id).await.unwrap(),
        Some(StoredKeys(vec![8]))
    );

    let missing = UserPoolId::parse("us-east-1_Missing00").unwrap();
    assert_eq!(
        store
            .insert_signing_keys_if_absent(&missing, first.clone())
            .await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.replace_signing_keys(&missing, &first, second).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_signing_keys(&missing).await,
        Err(StoreError::PoolNotFound)
    );
}

/// 20 services create a pool's first keys at once: one set is stored, and every one of them
/// is handed that set.
pub async fn concurrent_first_signing_keys(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(20, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            store
                .insert_signing_keys_if_absent(&id, StoredKeys(vec![i as u8; 64]))
                .await
                .unwrap()
        })
    })
    .await;
    let stored = store.get_signing_keys(&pool.id).await.unwrap().unwrap();
    assert!(
        results.iter().all(|r| *r == stored),
        "everyone got the winner's keys"
    );
}

/// 20 rotations at once, each re-reading and retrying after a conflict, each adding its own
/// byte to the record: none is lost.
pub async fn concurrent_signing_key_replacements(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .insert_signing_keys_if_absent(&pool.id, StoredKeys(vec![0]))
        .await
        .unwrap();
    race(20, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            loop {
                let current = store.get_signing_keys(&id).await.unwrap().unwrap();
                let mut next = current.0.clone();
                next.push(i as u8 + 1);
                match store
                    .replace_signing_keys(&id, &current, StoredKeys(next))
                    .await
                {
                    Ok(()) => return,
                    Err(StoreError::VersionConflict) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
        })
    })
    .await;
    let mut added = store.get_signing_keys(&pool.id).await.unwrap().unwrap().0;
    assert_eq!(added.first(), Some(&0));
    added.sort_unstable();
    assert_eq!(added, (0..=20).collect::<Vec<u8>>(), "every rotation kept");
}

/// Lockout counters.
pub async fn lockout_counters(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        0
    );
    store.record_failure(&pool.id, "alice", 10).await.unwrap();
    let s = store.record_failure(&pool.id, "alice", 20).await.unwrap();
    assert_eq!((s.failures, s.last_failure), (2, 20));
    store.reset_failures(&pool.id, "alice").await.unwrap();
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        0
    );
}

/// Purging counters by key prefix and age, in every pool, leaves the others.
pub async fn lockout_purge(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let other = pool_config("us-east-1_Conform02", CaseRule::Sensitive);
    store.create_pool(other.clone()).await.unwrap();
    store
        .record_failure(&pool.id, "\u{1}s/old", 10)
        .await
        .unwrap();
    store
        .record_failure(&other.id, "\u{1}s/old2", 20)
        .await
        .unwrap();
    store
        .record_failure(&pool.id, "\u{1}s/new", 100)
        .await
        .unwrap();
    store.record_failure(&pool.id, "alice", 10).await.unwrap();
    assert_eq!(store.purge_failures("\u{1}s/", 50).await, Ok(2));
    assert_eq!(
        store
            .lockout_state(&pool.id, "\u{1}s/old")
            .await
            .unwrap()
            .failures,
        0
    );
    assert_eq!(
        store
            .lockout_state(&other.id, "\u{1}s/old2")
            .await
            .unwrap()
            .failures,
        0
    );
    assert_eq!(
        store
            .lockout_state(&pool.id, "\u{1}s/new")
            .await
            .unwrap()
            .failures,
        1
    );
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        1,
        "another prefix"
    );
    assert_eq!(store.purge_failures("\u{1}s/", 50).await, Ok(0));
}

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

/// Import jobs.
pub async fn import_jobs(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let job = ImportJob {
        id: "import-1".into(),
        name: "j".into(),
        status: "Created".into(),
        created: 0,
        imported: 0,
        skipped: 0,
        failed: 0,
        message: None,
        csv: Some(b"cognito:username\n".to_vec()),
    };
    store.put_import_job(&pool.id, job.clone()).await.unwrap();
    assert_eq!(
        store.get_import_job(&pool.id, "import-1").await.unwrap(),
        job
    );
    assert_eq!(
        store
            .list_import_jobs(&pool.id, 10, None)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        store.get_import_job(&pool.id, "import-2").await,
        Err(StoreError::ImportJobNotFound)
    );
}

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

/// Everything on an unknown pool is `PoolNotFound`.
pub async fn unknown_pool(store: Arc<dyn Store>) {
    let pool = pool_config("us-east-1_Missing00", CaseRule::Sensitive);
    let u = user("alice", 1, None, false);
    assert_eq!(
        insert(&store, &pool, &u).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_user(&pool.id, "alice").await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.list_users(&pool.id, &UserQuery::default()).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.count_users(&pool.id).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.mark_used(&pool.id, &[0; 32], 0).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.record_failure(&pool.id, "alice", 0).await,
        Err(StoreError::PoolNotFound)
    );
}

async fn race<T: Send + 'static>(
    n: usize,
    f: impl Fn(usize) -> tokio::task::JoinHandle<T>,
) -> Vec<T> {
    let handles: Vec<_> = (0..n).map(f).collect();
    let mut out = Vec::with_capacity(n);
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// 50 concurrent inserts of one username: exactly one wins.
pub async fn concurrent_inserts_of_one_username(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(50, |i| {
        let (store, pool) = (store.clone(), pool.clone());
        tokio::spawn(
            async move { insert(&store, &pool, &user("alice", i as u64, None, false)).await },
        )
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::UsernameExists))
    );
    assert_eq!(collect(&store, &pool, None, 60).await.len(), 1);
}

/// 50 concurrent inserts of case variants in a case-insensitive pool: exactly one wins.
pub async fn concurrent_inserts_of_case_variants(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Insensitive).await;
    let results = race(50, |i| {
        let (store, pool) = (store.clone(), pool.clone());
        let name: String = "alice"
            .chars()
            .enumerate()
            .map(|(k, c)| {
                if (i >> k) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        tokio::spawn(
            async move { insert(&store, &pool, &user(&name, i as u64, None, false)).await },
        )
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::UsernameExists))
    );
}

/// 50 concurrent inserts of different users with one verified email alias: exactly one wins.
pub async fn concurrent_inserts_of_one_alias(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(50, |i| {
        let (store, pool) = (store.clone(), pool.clone());
        tokio::spawn(async move {
            insert(
                &store,
                &pool,
                &user(
                    &format!("user{i}"),
                    i as u64,
                    Some("same@example.com"),
                    true,
                ),
            )
            .await
        })
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::AliasExists("email".into())))
    );
    assert_eq!(
        collect(&store, &pool, None, 60).await.len(),
        1,
        "no half-written users"
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

/// 50 concurrent uses of one replay marker: exactly one is first.
pub async fn concurrent_replay_markers(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let results = race(50, |_| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move { store.mark_used(&id, &[7; 32], 100).await.unwrap() })
    })
    .await;
    assert_eq!(results.iter().filter(|first| **first).count(), 1);
}

/// 200 concurrent failure increments lose none.
pub async fn concurrent_lockout_increments(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    race(200, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move { store.record_failure(&id, "alice", i as i64).await.unwrap() })
    })
    .await;
    assert_eq!(
        store
            .lockout_state(&pool.id, "alice")
            .await
            .unwrap()
            .failures,
        200
    );
}

/// 50 concurrent rotations of the same token: exactly one wins.
pub async fn concurrent_rotations(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .create_family(&pool.id, family("f", "alice", 1))
        .await
        .unwrap();
    let results = race(50, |i| {
        let (store, id) = (store.clone(), pool.id.clone());
        tokio::spawn(async move {
            store
                .rotate_family(&id, "f", &[1; 32], [100 + i as u8; 32], 5)
                .await
        })
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter(|r| r.is_err())
            .all(|r| *r == Err(StoreError::VersionConflict))
    );
}
