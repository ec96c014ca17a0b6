//! `FaultyStore`: any [`Store`] with failures injected on demand (feature `faults`), so tests
//! can make the facade's checks (revocation, lockout, codes, refresh) meet a store error and
//! show that they fail closed.
//!
//! Every trait method of the wrapped store is counted by name (the trait method's name, like
//! `"revoke_user_families"`); a [`Faults`] handle, shared by the store and its clones and
//! changeable while requests run, says which calls fail instead of reaching the store: every
//! call of a method, its next few calls, its n-th call from now, or the n-th call of any
//! method. A failed call returns [`FaultyStore::injected`] (a [`StoreError::Backend`]) and
//! changes nothing.
//!
//! ```
//! use std::sync::Arc;
//! use user_pool_model::{PoolConfig, UserPoolId};
//! use userpool_store::{FaultyStore, MemoryStore, Store, StoreError};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let faulty = FaultyStore::new(MemoryStore::new());
//! let faults = faulty.faults();
//! let store: Arc<dyn Store> = Arc::new(faulty);
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "pool")?;
//! store.create_pool(pool.clone()).await?;
//!
//! faults.fail("lockout_state");
//! assert_eq!(
//!     store.lockout_state(&pool.id, "alice").await,
//!     Err(FaultyStore::<MemoryStore>::injected("lockout_state"))
//! );
//! assert!(store.record_failure(&pool.id, "alice", 1).await.is_ok(), "other methods work");
//!
//! faults.clear();
//! faults.fail_nth("get_pool", 2);
//! assert!(store.get_pool(&pool.id).await.is_ok());
//! assert!(matches!(store.get_pool(&pool.id).await, Err(StoreError::Backend(_))));
//! assert!(store.get_pool(&pool.id).await.is_ok());
//! assert_eq!(faults.calls("get_pool"), 3);
//! assert_eq!(faults.injected(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use user_pool_model::{
    AppClient, ClientId, FoldedUsername, Group, PoolConfig, ResourceServer, Sub, User, UserPoolId,
};

use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
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

/// When a fault fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// Every matching call.
    Always,
    /// The next this-many matching calls.
    Next(u64),
    /// The matching call with this count (calls of the method, or of any method).
    Call(u64),
}

#[derive(Debug, Clone)]
struct Rule {
    /// The method, or `None` for any.
    method: Option<String>,
    trigger: Trigger,
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<Rule>,
    calls: HashMap<&'static str, u64>,
    all_calls: u64,
    injected: u64,
}

impl State {
    /// Counts a call of `method`; whether it fails.
    fn call(&mut self, method: &'static str) -> bool {
        let count = self.calls.entry(method).or_default();
        *count += 1;
        let count = *count;
        self.all_calls += 1;
        let all = self.all_calls;
        let hit = self.rules.iter_mut().find_map(|rule| {
            let count = match &rule.method {
                Some(m) if m == method => count,
                Some(_) => return None,
                None => all,
            };
            match &mut rule.trigger {
                Trigger::Always => Some(()),
                Trigger::Call(n) if *n == count => Some(()),
                Trigger::Next(left) if *left > 0 => {
                    *left -= 1;
                    Some(())
                }
                _ => None,
            }
        });
        if hit.is_some() {
            self.injected += 1;
        }
        hit.is_some()
    }
}

/// The run-time switchboard of a [`FaultyStore`]: cheap to clone, shared with the store and
/// every clone of it, safe to change from any thread while calls are in flight.
///
/// `method` is the name of a store trait method (`"consume_code"`, `"rotate_family"`, …;
/// [`FaultyStore::METHODS`] lists them). Debug builds panic on a name that is not one, so a
/// typo cannot make a test pass by injecting nothing.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<State>>);

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Faults")
            .field("rules", &state.rules)
            .field("injected", &state.injected)
            .finish_non_exhaustive()
    }
}

impl Faults {
    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn add(&self, method: Option<&str>, trigger: Trigger) {
        if let Some(m) = method {
            debug_assert!(
                FaultyStore::<()>::METHODS.contains(&m),
                "FaultyStore: no store method is named {m:?}"
            );
        }
        self.with(|s| {
            s.rules.push(Rule {
                method: method.map(str::to_owned),
                trigger,
            })
        });
    }

    /// Every call of `method` fails, from now until [`Faults::clear`].
    pub fn fail(&self, method: &str) {
        self.add(Some(method), Trigger::Always);
    }

    /// The next `count` calls of `method` fail; later ones go through.
    pub fn fail_next(&self, method: &str, count: u64) {
        self.add(Some(method), Trigger::Next(count));
    }

    /// The `n`-th call of `method` from now (1: the next one) fails, and only it.
    pub fn fail_nth(&self, method: &str, n: u64) {
        let at = self.calls(method).saturating_add(n);
        self.add(Some(method), Trigger::Call(at));
    }

    /// The `n`-th store call from now (1: the next one), whatever its method, fails.
    pub fn fail_nth_call(&self, n: u64) {
        let at = self.with(|s| s.all_calls).saturating_add(n);
        self.add(None, Trigger::Call(at));
    }

    /// Every call of every method fails, from now until [`Faults::clear`].
    pub fn fail_all(&self) {
        self.add(None, Trigger::Always);
    }

    /// Removes every fault (the counts go on).
    pub fn clear(&self) {
        self.with(|s| s.rules.clear());
    }

    /// How many times `method` was called so far, failed calls included.
    pub fn calls(&self, method: &str) -> u64 {
        self.with(|s| s.calls.get(method).copied().unwrap_or_default())
    }

    /// How many calls have been failed so far.
    pub fn injected(&self) -> u64 {
        self.with(|s| s.injected)
    }

    fn check(&self, method: &'static str) -> StoreResult<()> {
        if self.with(|s| s.call(method)) {
            Err(FaultyStore::<()>::injected(method))
        } else {
            Ok(())
        }
    }
}

/// A [`Store`] that forwards every call to `S` unless its [`Faults`] say the call fails.
/// Cheap to clone when `S` is (clones share the faults).
#[derive(Clone)]
pub struct FaultyStore<S> {
    inner: S,
    faults: Faults,
}

impl<S> fmt::Debug for FaultyStore<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultyStore")
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

impl<S> FaultyStore<S> {
    /// Wraps `inner`, with no faults yet.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            faults: Faults::default(),
        }
    }

    /// The handle that configures this store's faults (shared: keep it, hand the store on).
    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// The wrapped store, to read or set up state without faults or counting.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The error an injected fault in `method` returns.
    pub fn injected(method: &str) -> StoreError {
        StoreError::Backend(format!("injected fault in {method}"))
    }
}

/// Implements each store trait for `FaultyStore<S>` (check, then forward) and lists the
/// method names.
macro_rules! faulty {
    ($( $trait:ident { $( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty; )* } )*) => {
        impl<S> FaultyStore<S> {
            /// The names of the store trait methods faults can name.
            pub const METHODS: &'static [&'static str] = &[$($(stringify!($name)),*),*];
        }
        $(
            #[async_trait]
            impl<S: Store> $trait for FaultyStore<S> {
                $(
                    async fn $name(&self $(, $arg: $ty)*) -> $ret {
                        self.faults.check(stringify!($name))?;
                        self.inner.$name($($arg),*).await
                    }
                )*
            }
        )*
    };
}

crate::methods::store_methods!(faulty);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;

    fn pool() -> PoolConfig {
        PoolConfig::new(UserPoolId::parse("us-east-1_Faulty001").expect("id"), "f").expect("pool")
    }

    #[tokio::test]
    async fn faults_fire_when_and_where_they_are_told() {
        let store = FaultyStore::new(MemoryStore::new());
        let faults = store.faults();
        let p = pool();
        store.create_pool(p.clone()).await.expect("pool");
        let err = || Err(FaultyStore::<MemoryStore>::injected("mark_used"));

        faults.fail_next("mark_used", 2);
        assert_eq!(store.mark_used(&p.id, &[1; 32], 9).await, err());
        assert_eq!(store.mark_used(&p.id, &[1; 32], 9).await, err());
        assert_eq!(
            store.mark_used(&p.id, &[1; 32], 9).await,
            Ok(true),
            "nothing was written before"
        );
        assert_eq!(faults.calls("mark_used"), 3);

        faults.fail_nth_call(2);
        assert!(store.get_pool(&p.id).await.is_ok());
        assert!(matches!(
            store.count_users(&p.id).await,
            Err(StoreError::Backend(_))
        ));
        assert!(store.count_users(&p.id).await.is_ok());

        faults.fail_all();
        assert!(store.get_pool(&p.id).await.is_err());
        assert!(
            store.inner().get_pool(&p.id).await.is_ok(),
            "the inner store is untouched"
        );
        faults.clear();
        assert!(store.get_pool(&p.id).await.is_ok());
        assert_eq!(faults.injected(), 4);
        assert_eq!(FaultyStore::<()>::METHODS.len(), 94);
    }

    #[tokio::test]
    async fn faults_are_shared_across_clones_and_threads() {
        let store = Arc::new(FaultyStore::new(MemoryStore::new()));
        store.create_pool(pool()).await.expect("pool");
        store.faults().fail("get_pool");
        let id = pool().id;
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (store, id) = (Arc::clone(&store), id.clone());
                tokio::spawn(async move { store.get_pool(&id).await })
            })
            .collect();
        for t in tasks {
            assert!(t.await.expect("task").is_err());
        }
        assert_eq!(store.faults().injected(), 8);
    }

    #[test]
    #[should_panic(expected = "no store method is named")]
    #[cfg(debug_assertions)]
    fn a_misspelt_method_is_caught() {
        Faults::default().fail("revoke_user_family");
    }
}
