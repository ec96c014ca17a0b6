//! `ObservedStore`: any store with every call timed and reported to a [`StoreObserver`] — what
//! the server's store-latency metrics read. It changes nothing else: each call goes to the
//! wrapped store once, with its arguments, and its result comes back as it was.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::time::Duration;
//! use user_pool_model::UserPoolId;
//! use userpool_store::{MemoryStore, ObservedStore, Store, StoreError, StoreObserver};
//!
//! #[derive(Default)]
//! struct Seen(Mutex<Vec<(&'static str, bool)>>);
//! impl StoreObserver for Seen {
//!     fn observe(&self, method: &'static str, _took: Duration, error: Option<&StoreError>) {
//!         self.0.lock().unwrap().push((method, error.is_some()));
//!     }
//! }
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let seen = Arc::new(Seen::default());
//! let store: Arc<dyn Store> = Arc::new(ObservedStore::new(Arc::new(MemoryStore::new()), seen.clone()));
//! let missing = UserPoolId::parse("us-east-1_AbCdEf123")?;
//! assert_eq!(store.get_pool(&missing).await, Err(StoreError::PoolNotFound));
//! assert_eq!(*seen.0.lock().unwrap(), [("get_pool", true)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
};
use user_pool_model::{
    AppClient, ClientId, FoldedUsername, Group, PoolConfig, ResourceServer, Sub, User, UserPoolId,
};

use crate::auth_events::{AuthEventRecord, AuthEventRetention, AuthEventStore};
use crate::error::{StoreError, StoreResult};
use crate::federation::{ProviderLink, ProviderRecord, ProviderStore};
use crate::identity::{IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IdentityStore};
use crate::records::{
    CodePurpose, CodeRecord, DomainRecord, ImportJob, LockoutState, Page, RefreshFamily,
    StoredKeys, UserKeys, UserQuery,
};
use crate::traits::{
    ClientStore, CodeStore, DomainStore, GroupStore, ImportJobStore, KeyStore, LockoutStore,
    PoolStore, RefreshTokenStore, ReplayStore, ResourceServerStore, Store, UserStore,
};
use crate::webauthn::{WebAuthnCredential, WebAuthnStore};

/// Told about every call of an [`ObservedStore`], after it returns.
pub trait StoreObserver: Send + Sync + 'static {
    /// `method` (the trait method's name, like `"get_user"`) took `took`, and failed with
    /// `error` (`None`: it succeeded). Runs on the caller's task: keep it short.
    fn observe(&self, method: &'static str, took: Duration, error: Option<&StoreError>);
}

/// A store that times every call to the store it wraps (see the [module docs](self)).
#[derive(Clone)]
pub struct ObservedStore {
    inner: Arc<dyn Store>,
    observer: Arc<dyn StoreObserver>,
}

impl fmt::Debug for ObservedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObservedStore").finish_non_exhaustive()
    }
}

impl ObservedStore {
    /// Wraps `inner`, reporting to `observer`.
    pub fn new(inner: Arc<dyn Store>, observer: Arc<dyn StoreObserver>) -> Self {
        Self { inner, observer }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &Arc<dyn Store> {
        &self.inner
    }
}

/// Implements each store trait for `ObservedStore` (time, forward, report).
macro_rules! observed {
    ($( $trait:ident { $( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )* } )*) => {
        $(
            #[async_trait]
            impl $trait for ObservedStore {
                $(
                    async fn $name(&self $(, $arg: $ty)*) -> $ret {
                        let started = Instant::now();
                        let result = self.inner.$name($($arg),*).await;
                        self.observer
                            .observe(stringify!($name), started.elapsed(), result.as_ref().err());
                        result
                    }
                )*
            }
        )*
    };
}

crate::methods::store_methods!(observed);

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::MemoryStore;

    #[derive(Default)]
    struct Calls(Mutex<Vec<(&'static str, Option<StoreError>)>>);

    impl StoreObserver for Calls {
        fn observe(&self, method: &'static str, _took: Duration, error: Option<&StoreError>) {
            if let Ok(mut calls) = self.0.lock() {
                calls.push((method, error.cloned()));
            }
        }
    }

    #[tokio::test]
    async fn every_call_is_forwarded_once_and_reported_with_its_outcome() {
        let calls = Arc::new(Calls::default());
        let inner: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let store = ObservedStore::new(inner.clone(), calls.clone());
        let pool = PoolConfig::new(UserPoolId::parse("us-east-1_Observe01").expect("id"), "o")
            .expect("pool");
        store.create_pool(pool.clone()).await.expect("create");
        assert_eq!(
            store.create_pool(pool.clone()).await,
            inner.create_pool(pool.clone()).await,
            "the same answer as the wrapped store"
        );
        assert_eq!(store.count_users(&pool.id).await, Ok(0));
        let seen = calls.0.lock().expect("lock").clone();
        let names: Vec<_> = seen.iter().map(|(m, e)| (*m, e.is_some())).collect();
        assert_eq!(
            names,
            [
                ("create_pool", false),
                ("create_pool", true),
                ("count_users", false)
            ]
        );
        assert!(inner.get_pool(&pool.id).await.is_ok(), "written through");
    }
}
