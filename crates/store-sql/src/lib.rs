//! userpool's durable stores: [`SqlStore`] on SQLite (embedded, one WAL file, nothing to
//! install) or PostgreSQL (many service instances sharing one database), through `sqlx`.
//!
//! * The schema is embedded and migrated on start: versioned, forward-only, under a lock so
//!   instances starting together apply each step once ([`SqlStore::schema_version`]).
//! * Atomicity comes from the database: unique constraints over the folded username, `sub`
//!   and every alias; updates conditional on a version column; codes, replay markers and
//!   refresh-token rotations consumed by single conditional statements; lockout counters
//!   incremented by one upsert.
//! * Secrets arrive sealed or hashed by the facade and are stored as they are.
//! * Identity pools (migration 6) beside the user pools: a login is linked to one identity per
//!   pool by the primary key of its row, so concurrent GetIds for one login make one identity.
//! * A failed precondition is the same typed [`StoreError`](userpool_store::StoreError) every
//!   backend reports; a database failure is `StoreError::Backend` (fail closed). Reads are
//!   retried on a fresh connection after a dropped one; a write is run again (from the start,
//!   at most three times) only when PostgreSQL aborted and rolled it back as a serialization
//!   failure or deadlock victim, never after a failure that may have left it committed.
//! * SQLite runs without memory-mapped I/O, so a failing disk is an error, not a `SIGBUS`;
//!   every PostgreSQL statement runs under a `statement_timeout`
//!   ([`SqlStoreOptions::statement_timeout`], 10 s by default).
//!
//! One crate for both engines, through sqlx's `Any` driver: the two dialects differ here only
//! in column types and collation (the migration is one template), so every statement is
//! written once and a fix cannot reach one engine and miss the other. The price is `Any`'s
//! value conversion and no compile-time query checking; the conformance suite runs on both.
//!
//! On PostgreSQL-compatible distributed engines: the SQL is plain (upserts, `RETURNING`,
//! row-value comparisons, composite foreign keys with `ON DELETE CASCADE`), but CockroachDB
//! would need two changes, both in the migration step: it has no `pg_advisory_xact_lock`
//! (concurrent first starts would need a lock row instead) and it runs several schema changes
//! in one transaction with restrictions; its `COLLATE "C"` support should be checked too. Not
//! tested here.
//!
//! ```
//! use std::sync::Arc;
//! use user_pool_model::{PoolConfig, Sub, User, UserPoolId, UserStatus};
//! use userpool_store::{Store, StoreError, UserKeys};
//! use userpool_store_sql::SqlStore;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store: Arc<dyn Store> = Arc::new(SqlStore::connect("sqlite::memory:").await?);
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "pool")?;
//! store.create_pool(pool.clone()).await?;
//! let alice = User::new("alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
//! store.insert_user(&pool.id, alice.clone(), &UserKeys::for_user(&alice, &pool)).await?;
//! let again = User::new("alice", Sub::from_bytes([2; 16]), UserStatus::Confirmed, 0);
//! assert_eq!(
//!     store.insert_user(&pool.id, again.clone(), &UserKeys::for_user(&again, &pool)).await,
//!     Err(StoreError::UsernameExists)
//! );
//! let key = pool.case_rule.username_key("alice");
//! assert_eq!(store.get_user(&pool.id, &key).await?.map(|u| u.version), Some(1));
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
mod bulk;
mod codec;
mod failure;
mod family_writes;
mod groups;
mod identities;
mod migrate;
mod pool_records;
mod providers;
mod refold;
mod store;
mod tokens;
mod users;
mod webauthn;

pub use store::{DEFAULT_STATEMENT_TIMEOUT, Engine, SqlStore, SqlStoreOptions};
