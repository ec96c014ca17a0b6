//! Identity providers and provider-user links.

use std::collections::BTreeMap;
use std::sync::Arc;

use user_pool_model::{CaseRule, UserPoolId};

use super::{key, new_pool, pool_config};
use crate::{ProviderLink, ProviderRecord, Store, StoreError};

fn provider(name: &str, identifiers: &[&str]) -> ProviderRecord {
    ProviderRecord {
        name: name.into(),
        provider_type: "OIDC".into(),
        details: BTreeMap::from([
            ("client_id".to_owned(), "rp".to_owned()),
            ("oidc_issuer".to_owned(), "https://idp.example".to_owned()),
        ]),
        sealed_secrets: BTreeMap::from([("client_secret".to_owned(), vec![1, 2, 3])]),
        attribute_mapping: BTreeMap::from([("email".to_owned(), "email".to_owned())]),
        idp_identifiers: identifiers.iter().map(|s| (*s).to_owned()).collect(),
        created: 10,
        last_modified: 10,
    }
}

fn link(provider: &str, value: &str, username: &str) -> ProviderLink {
    ProviderLink {
        provider_name: provider.into(),
        attribute_name: "Cognito_Subject".into(),
        attribute_value: value.into(),
        username: key(username),
        created: 20,
    }
}

/// Providers: unique names and identifiers per pool, found by identifier, replaced, listed
/// in pages, deleted with their links and their pool; plaintext secrets refused.
pub async fn identity_providers(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let id = &pool.id;
    let corp = provider("corp", &["corp.example", "corp"]);
    store.create_provider(id, corp.clone()).await.unwrap();
    assert_eq!(
        store.create_provider(id, provider("corp", &[])).await,
        Err(StoreError::ProviderExists)
    );
    assert_eq!(
        store
            .create_provider(id, provider("other", &["corp"]))
            .await,
        Err(StoreError::IdpIdentifierExists)
    );
    assert_eq!(
        store.get_provider(id, "other").await.unwrap(),
        None,
        "nothing written"
    );
    let mut leaky = provider("leaky", &[]);
    leaky.details.insert("client_secret".into(), "plain".into());
    assert!(matches!(
        store.create_provider(id, leaky).await,
        Err(StoreError::Backend(_))
    ));
    let missing = UserPoolId::parse("us-east-1_Missing00").unwrap();
    assert_eq!(
        store.create_provider(&missing, provider("x", &[])).await,
        Err(StoreError::PoolNotFound)
    );
    assert_eq!(
        store.get_provider(id, "corp").await.unwrap(),
        Some(corp.clone())
    );
    assert_eq!(
        store
            .provider_by_identifier(id, "corp.example")
            .await
            .unwrap(),
        Some(corp.clone())
    );
    assert_eq!(
        store.provider_by_identifier(id, "nope").await.unwrap(),
        None
    );

    // The same name and identifier in another pool are fine.
    let other = pool_config("us-east-1_Conform02", CaseRule::Sensitive);
    store.create_pool(other.clone()).await.unwrap();
    store
        .create_provider(&other.id, provider("corp", &["corp"]))
        .await
        .unwrap();

    let mut updated = corp.clone();
    updated.idp_identifiers = vec!["corp2".into()];
    updated.last_modified = 11;
    store.put_provider(id, updated.clone()).await.unwrap();
    assert_eq!(
        store.provider_by_identifier(id, "corp").await.unwrap(),
        None
    );
    assert_eq!(
        store.put_provider(id, provider("ghost", &[])).await,
        Err(StoreError::ProviderNotFound)
    );
    store
        .create_provider(id, provider("b", &["bee"]))
        .await
        .unwrap();
    let mut steal = updated.clone();
    steal.idp_identifiers = vec!["bee".into()];
    assert_eq!(
        store.put_provider(id, steal).await,
        Err(StoreError::IdpIdentifierExists)
    );
    for n in ["c", "d"] {
        store.create_provider(id, provider(n, &[])).await.unwrap();
    }
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = store.list_providers(id, 3, token.as_deref()).await.unwrap();
        assert!(page.items.len() <= 3);
        names.extend(page.items.into_iter().map(|p| p.name));
        match page.next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(names, ["b", "c", "corp", "d"]);

    store
        .link_provider_user(id, link("corp", "s1", "alice"))
        .await
        .unwrap();
    store.delete_provider(id, "corp").await.unwrap();
    assert_eq!(
        store.delete_provider(id, "corp").await,
        Err(StoreError::ProviderNotFound)
    );
    assert_eq!(
        store.find_provider_link(id, "corp", "s1").await.unwrap(),
        None,
        "links go with their provider"
    );
    store.delete_pool(&other.id).await.unwrap();
    assert_eq!(
        store.get_provider(&other.id, "corp").await,
        Err(StoreError::PoolNotFound)
    );
}

/// Links: one pool user per provider user, found both ways, removed once.
pub async fn provider_links(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let id = &pool.id;
    store
        .create_provider(id, provider("corp", &[]))
        .await
        .unwrap();
    store
        .create_provider(id, provider("Google", &[]))
        .await
        .unwrap();
    let a = link("corp", "s1", "alice");
    store.link_provider_user(id, a.clone()).await.unwrap();
    assert_eq!(
        store
            .link_provider_user(id, link("corp", "s1", "bob"))
            .await,
        Err(StoreError::ProviderLinkExists)
    );
    assert_eq!(
        store
            .link_provider_user(id, link("ghost", "s1", "bob"))
            .await,
        Err(StoreError::ProviderNotFound)
    );
    // The same subject at another provider is another provider user.
    store
        .link_provider_user(id, link("Google", "s1", "alice"))
        .await
        .unwrap();
    assert_eq!(
        store.find_provider_link(id, "corp", "s1").await.unwrap(),
        Some(a.clone())
    );
    let mut of_alice = store.provider_links_of(id, &key("alice")).await.unwrap();
    of_alice.sort_by(|x, y| x.provider_name.cmp(&y.provider_name));
    assert_eq!(of_alice.len(), 2);
    assert_eq!(of_alice[1], a);
    assert!(
        store
            .provider_links_of(id, &key("bob"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.unlink_provider_user(id, "corp", "s1").await.unwrap());
    assert!(!store.unlink_provider_user(id, "corp", "s1").await.unwrap());
    store
        .link_provider_user(id, link("corp", "s1", "bob"))
        .await
        .unwrap();
}

/// Deleting a pool user deletes the links to it (and only those): a later user of the same
/// name is not reached through them, and the provider user can be linked again.
pub async fn deleted_users_lose_their_provider_links(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    let id = &pool.id;
    for name in ["corp", "Google"] {
        store
            .create_provider(id, provider(name, &[]))
            .await
            .unwrap();
    }
    for (n, name) in [(1, "alice"), (2, "bob")] {
        super::insert(&store, &pool, &super::user(name, n, None, false))
            .await
            .unwrap();
    }
    store
        .link_provider_user(id, link("corp", "s1", "alice"))
        .await
        .unwrap();
    store
        .link_provider_user(id, link("Google", "g1", "alice"))
        .await
        .unwrap();
    let b = link("corp", "s2", "bob");
    store.link_provider_user(id, b.clone()).await.unwrap();

    store.delete_user(id, &key("alice")).await.unwrap();
    assert_eq!(
        store.find_provider_link(id, "corp", "s1").await.unwrap(),
        None,
        "links go with their user"
    );
    assert_eq!(
        store.find_provider_link(id, "Google", "g1").await.unwrap(),
        None
    );
    assert!(
        store
            .provider_links_of(id, &key("alice"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.find_provider_link(id, "corp", "s2").await.unwrap(),
        Some(b),
        "other users keep theirs"
    );
    // A new alice starts without links; the provider user can be linked again.
    super::insert(&store, &pool, &super::user("alice", 3, None, false))
        .await
        .unwrap();
    assert!(
        store
            .provider_links_of(id, &key("alice"))
            .await
            .unwrap()
            .is_empty()
    );
    store
        .link_provider_user(id, link("corp", "s1", "bob"))
        .await
        .unwrap();
}

/// Concurrent links of one provider user: exactly one wins.
pub async fn concurrent_links_of_one_provider_user(store: Arc<dyn Store>) {
    let pool = new_pool(&store, CaseRule::Sensitive).await;
    store
        .create_provider(&pool.id, provider("corp", &[]))
        .await
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let (store, id) = (Arc::clone(&store), pool.id.clone());
            tokio::spawn(async move {
                store
                    .link_provider_user(&id, link("corp", "same", &format!("user{n}")))
                    .await
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => won += 1,
            Err(e) => assert_eq!(e, StoreError::ProviderLinkExists),
        }
    }
    assert_eq!(won, 1);
}
