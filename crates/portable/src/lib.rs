//! `userpool-portable`: everything a store holds that makes up its pools, as a versioned
//! JSON-lines dump ([`export`]), and back into an empty store of any backend ([`read`],
//! [`import`]). `userpool-server export` / `import` are thin wrappers.
//!
//! # The format (version 1)
//!
//! UTF-8, one JSON object per line. The first line is the [`Header`]:
//!
//! ```text
//! {"format":"userpool-export","version":1,"created":1767225600,"generator":"userpool-portable 0.1.0","secrets":{"sealed_under":"master_key"}}
//! ```
//!
//! `secrets` says how the secrets in the dump are sealed: `{"sealed_under":"master_key"}` (as
//! the source stored them: the dump moves to a server with the same master key), or
//! `{"sealed_under":"passphrase","kdf":"argon2id","memory_kib":65536,"iterations":3,
//! "parallelism":4,"salt":"…","check":"…"}` (a portable dump: sealed under the Argon2id key of
//! a passphrase; `check` is a known text sealed under it, so a wrong passphrase is told at
//! once). Sealing is the service's own (ChaCha20-Poly1305, per-pool keys, each value bound to
//! its owner: see `userpool::reseal`).
//!
//! Then one [`Record`] per line, `kind` naming it, in this order per user pool: `pool` (the
//! whole `PoolConfig`: schema, policies, MFA and risk configuration, messages, triggers,
//! passkeys), `signing_keys`, `client`, `domain` (with its UI customizations),
//! `resource_server`, `group`, `provider` (identity providers), then each `user` (attributes,
//! status, sealed password verifier, MFA settings with the sealed TOTP seed, devices)
//! followed by its `provider_link`s and `webauthn_credential`s, then `membership`s. After the
//! user pools: `identity_keys`, and each `identity_pool` (with roles and role mappings)
//! followed by its `identity` records. The last line is `{"kind":"end","records":N}` with the
//! number of records between the header and it: a dump without it is truncated.
//!
//! Model records (`pool`, `client`, `user`, …) are written as the store's own serde form of
//! the model types (byte strings of those as arrays of numbers); the sealed signing keys as
//! base64. A reader of version 1 refuses other versions and unknown kinds.
//!
//! # Left out
//!
//! State, not configuration: one-time codes, replay markers, sign-in sessions, lockout
//! counters, refresh-token families (users sign in again), auth events (risk history), CSV
//! import jobs. A pool's `EstimatedNumberOfUsers` is recomputed.
//!
//! # Consistency and failure
//!
//! [`export`] reads through the [`Store`](userpool_store::Store) trait a page at a time: not a
//! snapshot of a live store (`userpool-server export` reads SQLite from an online backup, one
//! snapshot; for PostgreSQL, export a quiet server or a restored copy). [`read`] parses and
//! checks the whole dump before [`import`] writes anything, and [`import`] opens and re-seals
//! every secret in memory and checks that the target is empty first; a write that still fails
//! is undone by deleting the pools written (no backend transaction spans an import). The dump
//! is held in memory while it is imported.
//!
//! ```
//! use std::sync::Arc;
//! use userpool::{Keyring, MasterKey};
//! use userpool_portable::{ExportSecrets, export, import, read};
//! use userpool_store::{MemoryStore, PoolStore as _, Store};
//! use user_pool_model::{PoolConfig, UserPoolId};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let source: Arc<dyn Store> = Arc::new(MemoryStore::new());
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "pool")?;
//! source.create_pool(pool).await?;
//!
//! let mut dump = Vec::new();
//! let written = export(source.as_ref(), &mut dump, ExportSecrets::AsStored, 1_767_225_600).await?;
//! assert_eq!(written.describe(), "1 pool");
//!
//! // Into an empty store, for servers with the same master key.
//! let target: Arc<dyn Store> = Arc::new(MemoryStore::new());
//! let key = Keyring::from(MasterKey::new([7; 32]));
//! let read_back = read(&mut dump.as_slice())?;
//! import(target.as_ref(), read_back, key.clone(), None, [1; 32]).await?;
//! assert_eq!(target.list_pools(10, None).await?.items.len(), 1);
//!
//! // Never into a store that holds pools already.
//! let again = import(target.as_ref(), read(&mut dump.as_slice())?, key, None, [1; 32]).await;
//! assert_eq!(
//!     again.unwrap_err().to_string(),
//!     "the target store is not empty (it holds user pool us-east-1_AbCdEf123): import only into an empty store"
//! );
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

mod error;
mod export;
mod format;
mod import;
mod passphrase;

pub use error::{PortableError, Result};
pub use export::{ExportSecrets, Summary, export};
pub use format::{Base64, FORMAT, Header, Identity, Login, Record, Secrets, VERSION};
pub use import::{Dump, import, read};
pub use passphrase::{
    KDF, KdfCosts, KdfSettings, MAX_ITERATIONS, MAX_MEMORY_KIB, MAX_PARALLELISM, Passphrase,
};
