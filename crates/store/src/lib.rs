//! userpool's storage contract.
//!
//! * Narrow, domain-shaped async traits ([`UserStore`], [`CodeStore`], …), object-safe, and
//!   [`Store`], everything at once (`Arc<dyn Store>`).
//! * Atomicity is part of the contract: a failed precondition (taken username or alias, stale
//!   version, used code or marker, lost rotation race) is a typed [`StoreError`], never a
//!   silent overwrite; a backend failure is [`StoreError::Backend`].
//! * [`MemoryStore`], and (feature `conformance`) the suite every backend must pass; (feature
//!   `faults`) `FaultyStore`, any store with failures injected on demand; [`ObservedStore`],
//!   any store with every call timed (for metrics).
//! * External identity providers of a pool and provider-user links ([`ProviderStore`]): one
//!   pool user per provider user, atomically.
//! * Identity pools beside the user pools ([`IdentityPoolStore`], [`IdentityStore`]): one
//!   identity per (identity pool, login), atomically.
//!
//! ```
//! use std::sync::Arc;
//! use user_pool_model::{PoolConfig, Sub, User, UserPoolId, UserStatus};
//! use userpool_store::{MemoryStore, Store, StoreError, UserKeys};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "pool")?;
//! let id = pool.id.clone();
//! store.create_pool(pool.clone()).await?;
//! let alice = User::new("alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
//! store.insert_user(&id, alice.clone(), &UserKeys::for_user(&alice, &pool)).await?;
//! let again = User::new("alice", Sub::from_bytes([2; 16]), UserStatus::Confirmed, 0);
//! assert_eq!(
//!     store.insert_user(&id, again.clone(), &UserKeys::for_user(&again, &pool)).await,
//!     Err(StoreError::UsernameExists)
//! );
//! // Lookups take the folded key, made by the pool's case rule.
//! let key = pool.case_rule.username_key("alice");
//! assert_eq!(store.get_user(&id, &key).await?.map(|u| u.version), Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod auth_events;
#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
#[cfg(feature = "faults")]
mod faults;
mod federation;
mod identity;
mod memory;
mod methods;
mod observed;
pub mod paging;
mod records;
mod traits;
mod webauthn;

pub use auth_events::{AuthEventRecord, AuthEventRetention, AuthEventStore};
pub use error::{StoreError, StoreResult};
#[cfg(feature = "faults")]
pub use faults::{Faults, FaultyStore};
pub use federation::{PLAINTEXT_SECRET_KEYS, ProviderLink, ProviderRecord, ProviderStore};
pub use identity::{
    IdentityPoolRecord, IdentityPoolStore, IdentityPools, IdentityRecord, IdentityStore,
};
pub use memory::MemoryStore;
pub use observed::{ObservedStore, StoreObserver};
pub use records::{
    CodePurpose, CodeRecord, DomainRecord, INDEXED_ATTRIBUTES, ImportJob, LockoutState, Page,
    RefreshFamily, StoredKeys, UiCustomization, UserKeys, UserQuery, indexed_value,
};
pub use traits::{
    ClientStore, CodeStore, DomainStore, GroupStore, ImportJobStore, KeyStore, LockoutStore,
    PoolStore, RefreshTokenStore, ReplayStore, ResourceServerStore, Store, UserStore,
};
pub use webauthn::{WebAuthnCredential, WebAuthnStore};
