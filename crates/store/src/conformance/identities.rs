//! Identity pools and identities: one identity per (pool, login), atomically.

use std::sync::Arc;

use identity_pool_model::{
    AmbiguousRoleResolution, IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey,
    RoleMapping, RoleMappings,
};

use super::race;
use crate::{IdentityRecord, Store, StoreError, StoredKeys};

const POOL: &str = "us-east-1:00000000-0000-4000-8000-0000000000a1";
const OTHER_POOL: &str = "us-east-1:00000000-0000-4000-8000-0000000000b2";

fn pool_id(s: &str) -> IdentityPoolId {
    IdentityPoolId::parse(s).unwrap()
}

fn identity_id(n: u64) -> IdentityId {
    IdentityId::parse(&format!("us-east-1:00000000-0000-4000-8000-{n:012x}")).unwrap()
}

fn login(provider: &str, subject: &str) -> LoginKey {
    LoginKey {
        provider: provider.into(),
        subject: subject.into(),
    }
}

fn identity(pool: &str, n: u64, logins: Vec<LoginKey>) -> IdentityRecord {
    IdentityRecord {
        identity_id: identity_id(n),
        identity_pool_id: pool_id(pool),
        logins,
        created: 1_700_000_000,
        last_modified: 1_700_000_000,
        disabled: false,
    }
}

async fn new_identity_pool(store: &Arc<dyn Store>, id: &str, name: &str) -> IdentityPool {
    let pool = IdentityPool::new(pool_id(id), name, true).unwrap();
    store.create_identity_pool(pool.clone()).await.unwrap();
    pool
}

/// Identity pools: create, read, replace the configuration and the roles independently,
/// list in pages, delete (with their identities).
pub async fn identity_pools(store: Arc<dyn Store>) {
    let mut pool = new_identity_pool(&store, POOL, "first").await;
    assert_eq!(
        store.create_identity_pool(pool.clone()).await,
        Err(StoreError::IdentityPoolExists)
    );
    let got = store
        .get_identity_pool(&pool.identity_pool_id)
        .await
        .unwrap();
    assert_eq!(got.pool, pool);
    assert_eq!(got.roles, IdentityPoolRoles::default());
    assert!(got.role_mappings.is_empty());

    let roles = IdentityPoolRoles::parse([
        ("authenticated", "arn:aws:iam::123456789012:role/Auth"),
        ("unauthenticated", "arn:aws:iam::123456789012:role/Guest"),
    ])
    .unwrap();
    let mappings = RoleMappings::new([(
        "accounts.google.com".to_owned(),
        RoleMapping::Token {
            ambiguous_role_resolution: AmbiguousRoleResolution::Deny,
        },
    )])
    .unwrap();
    store
        .set_identity_pool_roles(&pool.identity_pool_id, roles.clone(), mappings.clone())
        .await
        .unwrap();
    pool.allow_classic_flow = true;
    pool.identity_pool_name = "renamed".into();
    store.put_identity_pool(pool.clone()).await.unwrap();
    let got = store
        .get_identity_pool(&pool.identity_pool_id)
        .await
        .unwrap();
    assert_eq!(
        (got.pool, got.roles, got.role_mappings),
        (pool.clone(), roles, mappings),
        "the configuration and the roles are kept apart"
    );

    let second = new_identity_pool(&store, OTHER_POOL, "second").await;
    let first_page = store.list_identity_pools(1, None).await.unwrap();
    assert_eq!(first_page.items, [pool.clone()]);
    let rest = store
        .list_identity_pools(1, first_page.next.as_deref())
        .await
        .unwrap();
    assert_eq!((rest.items, rest.next), (vec![second.clone()], None));
    assert_eq!(
        store.list_identity_pools(10, Some("garbage")).await,
        Err(StoreError::InvalidPaginationToken)
    );

    store
        .create_identity(identity(POOL, 1, vec![login("p", "s")]))
        .await
        .unwrap();
    store
        .delete_identity_pool(&pool.identity_pool_id)
        .await
        .unwrap();
    assert_eq!(
        store.get_identity_pool(&pool.identity_pool_id).await,
        Err(StoreError::IdentityPoolNotFound)
    );
    assert_eq!(store.get_identity(&identity_id(1)).await, Ok(None));
    assert_eq!(
        store.delete_identity_pool(&pool.identity_pool_id).await,
        Err(StoreError::IdentityPoolNotFound)
    );
    for missing in [
        store.put_identity_pool(pool.clone()).await,
        store
            .set_identity_pool_roles(
                &pool.identity_pool_id,
                IdentityPoolRoles::default(),
                RoleMappings::default(),
            )
            .await,
        store.create_identity(identity(POOL, 2, vec![])).await,
    ] {
        assert_eq!(missing, Err(StoreError::IdentityPoolNotFound));
    }
    assert_eq!(
        store
            .list_identities(&pool.identity_pool_id, false, 10, None)
            .await,
        Err(StoreError::IdentityPoolNotFound)
    );
    assert_eq!(
        store
            .find_identity_by_login(&pool.identity_pool_id, &login("p", "s"))
            .await,
        Err(StoreError::IdentityPoolNotFound)
    );
}

/// Identities: a login belongs to one identity per pool (another pool may have its own),
/// linking is all or nothing, unlinking the last login disables, deletion frees the logins.
pub async fn identities_unique_per_login(store: Arc<dyn Store>) {
    let pool = new_identity_pool(&store, POOL, "p").await.identity_pool_id;
    let other = new_identity_pool(&store, OTHER_POOL, "o")
        .await
        .identity_pool_id;
    let alice = login(
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_X",
        "alice-sub",
    );
    let dev = login("login.example.app", "alice@example.com");

    // Logins in any order are kept sorted and without repeats.
    store
        .create_identity(identity(
            POOL,
            1,
            vec![dev.clone(), alice.clone(), dev.clone()],
        ))
        .await
        .unwrap();
    let one = store.get_identity(&identity_id(1)).await.unwrap().unwrap();
    assert_eq!(one.logins, [alice.clone(), dev.clone()]);
    assert_eq!(one.identity_pool_id, pool);
    assert_eq!(
        store.find_identity_by_login(&pool, &dev).await.unwrap(),
        Some(one.clone())
    );
    assert_eq!(
        store.find_identity_by_login(&other, &dev).await.unwrap(),
        None
    );

    // A second identity with a taken login is not written at all.
    let carol = login("accounts.google.com", "carol");
    assert_eq!(
        store
            .create_identity(identity(POOL, 2, vec![carol.clone(), alice.clone()]))
            .await,
        Err(StoreError::LoginLinked)
    );
    assert_eq!(store.get_identity(&identity_id(2)).await, Ok(None));
    assert_eq!(store.find_identity_by_login(&pool, &carol).await, Ok(None));
    assert_eq!(
        store.create_identity(identity(OTHER_POOL, 1, vec![])).await,
        Err(StoreError::IdentityExists),
        "identity ids are unique across pools"
    );
    store
        .create_identity(identity(OTHER_POOL, 3, vec![alice.clone()]))
        .await
        .expect("another pool has its own identities");

    // Linking: all or nothing; a login of this identity again is fine.
    store
        .create_identity(identity(POOL, 4, vec![]))
        .await
        .unwrap();
    assert_eq!(
        store
            .link_logins(
                &identity_id(4),
                &[carol.clone(), alice.clone()],
                1_700_000_100
            )
            .await,
        Err(StoreError::LoginLinked)
    );
    assert_eq!(store.find_identity_by_login(&pool, &carol).await, Ok(None));
    let linked = store
        .link_logins(&identity_id(4), std::slice::from_ref(&carol), 1_700_000_100)
        .await
        .unwrap();
    assert_eq!(
        (linked.logins.clone(), linked.last_modified),
        (vec![carol.clone()], 1_700_000_100)
    );
    let again = store
        .link_logins(&identity_id(4), std::slice::from_ref(&carol), 1_700_000_200)
        .await
        .unwrap();
    assert_eq!(again.logins, std::slice::from_ref(&carol));
    assert_eq!(
        store.link_logins(&identity_id(9), &[], 1).await,
        Err(StoreError::IdentityNotFound)
    );

    // Unlinking the last login disables; linking again enables.
    let gone = store
        .unlink_logins(
            &identity_id(4),
            &[carol.clone(), dev.clone()],
            1_700_000_300,
        )
        .await
        .unwrap();
    assert!(gone.logins.is_empty() && gone.disabled);
    assert_eq!(store.find_identity_by_login(&pool, &carol).await, Ok(None));
    assert_eq!(
        store
            .find_identity_by_login(&pool, &dev)
            .await
            .unwrap()
            .map(|i| i.identity_id),
        Some(identity_id(1)),
        "another identity's login is not unlinked"
    );
    let guest = store.create_identity(identity(POOL, 5, vec![])).await;
    assert_eq!(guest, Ok(()));
    let all = store.list_identities(&pool, false, 2, None).await.unwrap();
    assert_eq!(
        all.items
            .iter()
            .map(|i| i.identity_id.clone())
            .collect::<Vec<_>>(),
        [identity_id(1), identity_id(4)]
    );
    let rest = store
        .list_identities(&pool, false, 2, all.next.as_deref())
        .await
        .unwrap();
    assert_eq!(
        (
            rest.items
                .iter()
                .map(|i| i.identity_id.clone())
                .collect::<Vec<_>>(),
            rest.next
        ),
        (vec![identity_id(5)], None)
    );
    let shown = store.list_identities(&pool, true, 10, None).await.unwrap();
    assert_eq!(
        shown
            .items
            .iter()
            .map(|i| i.identity_id.clone())
            .collect::<Vec<_>>(),
        [identity_id(1), identity_id(5)],
        "a guest is not disabled; an identity that lost its logins is"
    );
    let back = store
        .link_logins(&identity_id(4), std::slice::from_ref(&carol), 1_700_000_400)
        .await
        .unwrap();
    assert!(!back.disabled);

    // Deleting frees the logins.
    store.delete_identity(&identity_id(1)).await.unwrap();
    assert_eq!(
        store.delete_identity(&identity_id(1)).await,
        Err(StoreError::IdentityNotFound)
    );
    assert_eq!(store.find_identity_by_login(&pool, &alice).await, Ok(None));
    store
        .create_identity(identity(POOL, 6, vec![alice.clone()]))
        .await
        .expect("the login is free again");
}

/// 50 concurrent GetIds for one new login — each looks the login up and, finding nothing,
/// creates an identity with it, looking up again when it lost — make exactly one identity.
pub async fn concurrent_get_ids_make_one_identity(store: Arc<dyn Store>) {
    let pool = new_identity_pool(&store, POOL, "p").await.identity_pool_id;
    let results = race(50, |i| {
        let store = Arc::clone(&store);
        let pool = pool.clone();
        tokio::spawn(async move {
            let key = login("accounts.google.com", "one-user");
            for _ in 0..3 {
                if let Some(found) = store.find_identity_by_login(&pool, &key).await.unwrap() {
                    return found.identity_id;
                }
                let mine = identity(POOL, 100 + i as u64, vec![key.clone()]);
                match store.create_identity(mine.clone()).await {
                    Ok(()) => return mine.identity_id,
                    Err(StoreError::LoginLinked) => continue,
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            panic!("no identity after three rounds");
        })
    })
    .await;
    let first = results.first().cloned().unwrap();
    assert!(results.iter().all(|r| *r == first), "{results:?}");
    let listed = store.list_identities(&pool, false, 60, None).await.unwrap();
    assert_eq!(
        listed
            .items
            .iter()
            .map(|i| i.identity_id.clone())
            .collect::<Vec<_>>(),
        [first],
        "no orphan identity was left behind"
    );
}

/// Concurrent links of one login to 20 different identities: exactly one wins.
pub async fn concurrent_links_of_one_login(store: Arc<dyn Store>) {
    let pool = new_identity_pool(&store, POOL, "p").await.identity_pool_id;
    for n in 0..20 {
        store
            .create_identity(identity(POOL, n, vec![]))
            .await
            .unwrap();
    }
    let results = race(20, |i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .link_logins(&identity_id(i as u64), &[login("p", "shared")], 1)
                .await
        })
    })
    .await;
    let won: Vec<_> = results.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .all(|r| r.is_ok() || *r == Err(StoreError::LoginLinked))
    );
    let owner = store
        .find_identity_by_login(&pool, &login("p", "shared"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(Some(&owner), won.first().and_then(|r| r.as_ref().ok()));
}

/// The identity service's keys: the first set stored wins, concurrently too.
pub async fn identity_keys(store: Arc<dyn Store>) {
    assert_eq!(store.get_identity_keys().await, Ok(None));
    let results = race(8, |i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .create_identity_keys(StoredKeys(vec![u8::try_from(i).unwrap(); 4]))
                .await
                .unwrap()
        })
    })
    .await;
    let winner = results.first().cloned().unwrap();
    assert!(results.iter().all(|r| *r == winner));
    assert_eq!(store.get_identity_keys().await, Ok(Some(winner.clone())));
    assert_eq!(
        store.create_identity_keys(StoredKeys(vec![9; 4])).await,
        Ok(winner)
    );
}
