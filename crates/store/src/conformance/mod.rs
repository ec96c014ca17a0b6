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

use std::sync::Arc;

use user_pool_model::{
    CaseRule, ClientId, Filter, FoldedUsername, PoolConfig, Sub, User, UserPoolId, UserStatus,
};

use crate::{CodePurpose, CodeRecord, RefreshFamily, Store, StoreError, UserKeys, UserQuery};

mod auth_events;
mod bulk_users;
mod clients;
mod codes;
mod domains;
mod groups;
mod identities;
mod import_jobs;
mod keys;
mod lockouts;
mod pools;
mod providers;
mod refresh;
mod replay;
mod resource_servers;
mod user_listing;
mod users;
mod webauthn;

pub use auth_events::*;
pub use bulk_users::*;
pub use clients::*;
pub use codes::*;
pub use domains::*;
pub use groups::*;
pub use identities::*;
pub use import_jobs::*;
pub use keys::*;
pub use lockouts::*;
pub use pools::*;
pub use providers::*;
pub use refresh::*;
pub use replay::*;
pub use resource_servers::*;
pub use user_listing::*;
pub use users::*;
pub use webauthn::*;

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
            concurrent_inserts_of_one_alias, concurrent_code_consumption, concurrent_wrong_guesses_are_bounded,
            codes_without_attempts_are_dead, unicode_folding, concurrent_replay_markers,
            concurrent_lockout_increments, concurrent_rotations, families_spending_a_marker, identity_pools,
            identities_unique_per_login, concurrent_get_ids_make_one_identity,
            concurrent_links_of_one_login, identity_keys, auth_events, webauthn_credentials,
            identity_providers, provider_links, concurrent_links_of_one_provider_user,
            deleted_users_lose_their_provider_links, user_batches_are_all_or_nothing);
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

/// A username's key as the facade makes it in a case-sensitive pool.
fn key(name: &str) -> FoldedUsername {
    CaseRule::Sensitive.username_key(name)
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
        user: key(user),
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
