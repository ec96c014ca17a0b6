//! Users: uniqueness over the folded username, every alias and `sub`; versioned updates;
//! deletion; concurrent inserts; one Unicode folding.

use std::sync::Arc;

use user_pool_model::{CaseRule, Group};

use super::{code, collect, family, insert, key, new_pool, pool_config, race, sub, user};
use crate::{CodePurpose, Store, StoreError, UserKeys};

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
            .get_user(&pool.id, &key("alice"))
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
        store.get_user(&pool.id, &key("Alice")).await.unwrap(),
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
        .get_user(&pool.id, &CaseRule::Insensitive.username_key("ALICE"))
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
    assert_eq!(
        store.get_user(&pool.id, &key("bob")).await.unwrap(),
        Some(bob)
    );
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
    store
        .add_to_group(&pool.id, "g", &key("alice"))
        .await
        .unwrap();
    store
        .put_code(&pool.id, code("alice", 1, 100))
        .await
        .unwrap();
    store
        .create_family(&pool.id, family("f1", "alice", 7))
        .await
        .unwrap();
    store.delete_user(&pool.id, &key("alice")).await.unwrap();
    assert_eq!(store.get_user(&pool.id, &key("alice")).await.unwrap(), None);
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
        store.delete_user(&pool.id, &key("alice")).await,
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

/// One folding everywhere: in a case-insensitive pool `Straße`, `strasse` and `STRASSE` are
/// one user (full Unicode case folding), in a case-sensitive pool they are three; in both,
/// precomposed and decomposed spellings (NFC / NFD) are one user; aliases and ListUsers'
/// filters fold the same way.
pub async fn unicode_folding(store: Arc<dyn Store>) {
    let insensitive = new_pool(&store, CaseRule::Insensitive).await;
    let sensitive = pool_config("us-east-1_Conform02", CaseRule::Sensitive);
    store.create_pool(sensitive.clone()).await.unwrap();
    let nfc = "Caf\u{e9}";
    let nfd = "Cafe\u{301}";

    insert(
        &store,
        &insensitive,
        &user("Straße", 1, Some("Jo@Straße.de"), true),
    )
    .await
    .unwrap();
    for (n, twin) in [(2, "strasse"), (3, "STRASSE"), (4, "STRA\u{1E9E}E")] {
        assert_eq!(
            insert(&store, &insensitive, &user(twin, n, None, false)).await,
            Err(StoreError::UsernameExists),
            "{twin} is Straße in a case-insensitive pool"
        );
    }
    assert_eq!(
        insert(
            &store,
            &insensitive,
            &user("jo", 5, Some("JO@STRASSE.DE"), true)
        )
        .await,
        Err(StoreError::AliasExists("email".into()))
    );
    let found = store
        .get_user(
            &insensitive.id,
            &insensitive.case_rule.username_key("STRASSE"),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.username, "Straße", "the stored spelling is kept");
    assert_eq!(
        store
            .find_by_alias(
                &insensitive.id,
                "email",
                &insensitive.case_rule.fold_alias("email", "jo@strasse.de")
            )
            .await
            .unwrap()
            .map(|u| u.username),
        Some("Straße".into())
    );
    for filter in [
        r#"username = "STRASSE""#,
        r#"username ^= "strass""#,
        r#"email = "JO@STRASSE.DE""#,
        r#"email ^= "jo@strass""#,
    ] {
        assert_eq!(
            collect(&store, &insensitive, Some(filter), 10).await.len(),
            1,
            "{filter}"
        );
    }
    insert(&store, &insensitive, &user(nfc, 6, None, false))
        .await
        .unwrap();
    assert_eq!(
        insert(
            &store,
            &insensitive,
            &user(&nfd.to_uppercase(), 7, None, false)
        )
        .await,
        Err(StoreError::UsernameExists)
    );

    for (n, name) in [(1, "Straße"), (2, "strasse"), (3, "STRASSE")] {
        insert(&store, &sensitive, &user(name, n, None, false))
            .await
            .unwrap_or_else(|e| panic!("{name} is its own user in a case-sensitive pool: {e}"));
    }
    insert(&store, &sensitive, &user(nfd, 4, None, false))
        .await
        .unwrap();
    assert_eq!(
        insert(&store, &sensitive, &user(nfc, 5, None, false)).await,
        Err(StoreError::UsernameExists),
        "NFC and NFD spellings are one user in a case-sensitive pool too"
    );
    assert_eq!(
        store
            .get_user(&sensitive.id, &sensitive.case_rule.username_key(nfc))
            .await
            .unwrap()
            .map(|u| u.username),
        Some(nfd.to_owned()),
        "found by either spelling, stored as given"
    );
    assert_eq!(
        collect(
            &store,
            &sensitive,
            Some(&format!(r#"username = "{nfc}""#)),
            10
        )
        .await
        .len(),
        1
    );
}
