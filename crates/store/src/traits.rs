//! The storage traits: narrow, domain-shaped, object-safe (`Arc<dyn Store>`).

use async_trait::async_trait;
use user_pool_model::{
    AppClient, ClientId, FoldedUsername, Group, PoolConfig, ResourceServer, Sub, User, UserPoolId,
};

use crate::auth_events::AuthEventStore;
use crate::error::StoreResult;
use crate::federation::ProviderStore;
use crate::identity::IdentityPools;
use crate::records::{
    CodePurpose, CodeRecord, DomainRecord, ImportJob, LockoutState, Page, RefreshFamily,
    StoredKeys, UserKeys, UserQuery,
};

/// User pools.
#[async_trait]
pub trait PoolStore: Send + Sync {
    /// Creates a pool; [`PoolExists`](crate::StoreError::PoolExists) if the id is taken.
    async fn create_pool(&self, pool: PoolConfig) -> StoreResult<()>;
    /// A pool's configuration.
    async fn get_pool(&self, id: &UserPoolId) -> StoreResult<PoolConfig>;
    /// Replaces an existing pool's configuration.
    async fn put_pool(&self, pool: PoolConfig) -> StoreResult<()>;
    /// Deletes a pool and everything in it.
    async fn delete_pool(&self, id: &UserPoolId) -> StoreResult<()>;
    /// Pools in id order.
    async fn list_pools(&self, limit: usize, token: Option<&str>) -> StoreResult<Page<PoolConfig>>;
}

/// App clients. A client's secret is stored only sealed ([`AppClient::sealed_secret`]): a
/// client whose [`secret`](AppClient::secret) is set is refused
/// ([`Backend`](crate::StoreError::Backend)), never written in plaintext.
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// Creates a client; [`ClientExists`](crate::StoreError::ClientExists) if the id is taken.
    async fn create_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()>;
    /// A client.
    async fn get_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<AppClient>;
    /// Replaces an existing client.
    async fn put_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()>;
    /// A client found by id alone, with its pool's configuration, in one read (unsigned
    /// operations name only the client; every sign-in step starts here).
    async fn find_client(&self, id: &ClientId) -> StoreResult<Option<(PoolConfig, AppClient)>>;
    /// Deletes a client.
    async fn delete_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<()>;
    /// Clients in id order.
    async fn list_clients(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<AppClient>>;
}

/// Users, unique over their folded username, every alias and `sub`.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a new user (its `version` becomes 1). Fails with
    /// [`UsernameExists`](crate::StoreError::UsernameExists),
    /// [`AliasExists`](crate::StoreError::AliasExists) or
    /// [`SubExists`](crate::StoreError::SubExists), atomically.
    async fn insert_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User>;
    /// Inserts new users (each at version 1) in one atomic step: all of them or none (a user
    /// import commits its rows in batches through this). Any conflict — with a stored user or
    /// between two users of the batch — fails the whole batch with
    /// [`UsernameExists`](crate::StoreError::UsernameExists),
    /// [`AliasExists`](crate::StoreError::AliasExists) or
    /// [`SubExists`](crate::StoreError::SubExists); which user clashed is not said, so a caller
    /// that wants per-user answers inserts that batch again one user at a time.
    async fn insert_users(&self, pool: &UserPoolId, users: &[(User, UserKeys)]) -> StoreResult<()>;
    /// By folded username.
    async fn get_user(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
    ) -> StoreResult<Option<User>>;
    /// By active alias (`attribute`, folded value).
    async fn find_by_alias(
        &self,
        pool: &UserPoolId,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>>;
    /// By `sub`.
    async fn find_by_sub(&self, pool: &UserPoolId, sub: &Sub) -> StoreResult<Option<User>>;
    /// Replaces a user if its stored version equals `user.version`
    /// ([`VersionConflict`](crate::StoreError::VersionConflict) otherwise), re-indexing its
    /// aliases atomically; returns it with the new version.
    async fn update_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User>;
    /// Deletes a user, its group memberships, codes and refresh-token families.
    async fn delete_user(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
    ) -> StoreResult<()>;
    /// ListUsers: filtered, sorted by the filtered attribute (username without a filter), paged
    /// with a token that stays valid under concurrent inserts.
    async fn list_users(&self, pool: &UserPoolId, query: &UserQuery) -> StoreResult<Page<User>>;
    /// How many users the pool holds (DescribeUserPool's `EstimatedNumberOfUsers`).
    async fn count_users(&self, pool: &UserPoolId) -> StoreResult<u64>;
}

/// Groups and memberships.
#[async_trait]
pub trait GroupStore: Send + Sync {
    /// Creates a group.
    async fn create_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()>;
    /// A group.
    async fn get_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<Group>;
    /// Replaces an existing group.
    async fn put_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()>;
    /// Deletes a group and its memberships.
    async fn delete_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<()>;
    /// Groups in name order.
    async fn list_groups(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<Group>>;
    /// Adds a user to a group (idempotent).
    async fn add_to_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        username_key: &FoldedUsername,
    ) -> StoreResult<()>;
    /// Removes a user from a group (idempotent).
    async fn remove_from_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        username_key: &FoldedUsername,
    ) -> StoreResult<()>;
    /// A user's groups, by name.
    async fn groups_for_user(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<Group>>;
    /// A group's users, by username.
    async fn users_in_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<User>>;
}

/// One-time codes: one live code per (purpose, user); single use; expiry; attempt limit.
#[async_trait]
pub trait CodeStore: Send + Sync {
    /// Stores a code, replacing any live one of the same purpose for the user.
    async fn put_code(&self, pool: &UserPoolId, code: CodeRecord) -> StoreResult<()>;
    /// Consumes the code if `candidate_hash` matches, atomically: exactly one of many
    /// concurrent correct attempts succeeds.
    ///
    /// Every guess at a live code takes one of its attempts as it is compared, in the same
    /// atomic step, so however many guesses race, at most `attempts_left` are ever compared:
    /// a wrong one is [`CodeMismatch`](crate::StoreError::CodeMismatch) while attempts remain
    /// and [`TooManyAttempts`](crate::StoreError::TooManyAttempts) when it took the last (the
    /// code is then gone); a guess at a used, burned or never-issued code (or one stored with
    /// no attempts) is [`CodeNotFound`](crate::StoreError::CodeNotFound), an expired one
    /// [`CodeExpired`](crate::StoreError::CodeExpired).
    async fn consume_code(
        &self,
        pool: &UserPoolId,
        purpose: &CodePurpose,
        user: &str,
        candidate_hash: &[u8; 32],
        now: i64,
    ) -> StoreResult<()>;
    /// Removes expired codes; returns how many.
    async fn purge_expired_codes(&self, now: i64) -> StoreResult<usize>;
}

/// Replay markers for single-use sealed blobs (`Session`, `SECRET_BLOCK`).
#[async_trait]
pub trait ReplayStore: Send + Sync {
    /// Records `marker`; `true` the first time, `false` if it was already used.
    async fn mark_used(
        &self,
        pool: &UserPoolId,
        marker: &[u8; 32],
        expires_at: i64,
    ) -> StoreResult<bool>;
    /// Removes markers past their expiry; returns how many.
    async fn purge_expired_markers(&self, now: i64) -> StoreResult<usize>;
}

/// Refresh-token families, stored as hashes.
#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    /// Creates a family.
    async fn create_family(&self, pool: &UserPoolId, family: RefreshFamily) -> StoreResult<()>;
    /// Creates a family and marks `marker` used until `marker_expires_at`
    /// ([`ReplayStore::mark_used`]) in one atomic write: `Ok(false)`, creating nothing, when
    /// the marker was used already. A sign-in that ends in tokens spends its single-use
    /// session this way: one commit instead of two.
    async fn create_family_spending(
        &self,
        pool: &UserPoolId,
        family: RefreshFamily,
        marker: &[u8; 32],
        marker_expires_at: i64,
    ) -> StoreResult<bool>;
    /// The family whose current or previous token hashes to `hash`.
    async fn find_family(
        &self,
        pool: &UserPoolId,
        hash: &[u8; 32],
    ) -> StoreResult<Option<RefreshFamily>>;
    /// A family by id (the `origin_jti` of the tokens it minted).
    async fn get_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<Option<RefreshFamily>>;
    /// Replaces the current token if it still is `expected`, remembering it as previous;
    /// [`VersionConflict`](crate::StoreError::VersionConflict) if another rotation won.
    async fn rotate_family(
        &self,
        pool: &UserPoolId,
        id: &str,
        expected: &[u8; 32],
        new_hash: [u8; 32],
        now: i64,
    ) -> StoreResult<RefreshFamily>;
    /// Revokes one family.
    async fn revoke_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<()>;
    /// Revokes every family of a user; returns how many were live.
    async fn revoke_user_families(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
    ) -> StoreResult<usize>;
}

/// Encrypted signing keys: one opaque record per pool (its active and retired keys).
///
/// Several services may share a store: the first keys are created with
/// [`insert_signing_keys_if_absent`](KeyStore::insert_signing_keys_if_absent), so of two
/// services racing to create them one wins and both use the winner's, and replaced with
/// [`replace_signing_keys`](KeyStore::replace_signing_keys), so of two concurrent rotations
/// the second builds on the first's record instead of overwriting it.
#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Stores a pool's keys unconditionally (imports, repairs; services use the two
    /// conditional writes below).
    async fn put_signing_keys(&self, pool: &UserPoolId, keys: StoredKeys) -> StoreResult<()>;
    /// A pool's keys, if any were stored.
    async fn get_signing_keys(&self, pool: &UserPoolId) -> StoreResult<Option<StoredKeys>>;
    /// Stores `keys` if the pool has none yet, atomically, and returns the pool's keys:
    /// `keys` if they were stored, the ones already there otherwise. Of concurrent calls,
    /// exactly one stores its keys and every call returns them.
    async fn insert_signing_keys_if_absent(
        &self,
        pool: &UserPoolId,
        keys: StoredKeys,
    ) -> StoreResult<StoredKeys>;
    /// Replaces the pool's keys with `keys` if they still are `expected` (byte for byte),
    /// atomically; [`VersionConflict`](crate::StoreError::VersionConflict) if they changed
    /// (or there are none).
    async fn replace_signing_keys(
        &self,
        pool: &UserPoolId,
        expected: &StoredKeys,
        keys: StoredKeys,
    ) -> StoreResult<()>;
}

/// Failed-attempt counters.
#[async_trait]
pub trait LockoutStore: Send + Sync {
    /// Adds one failure atomically; returns the new state.
    async fn record_failure(
        &self,
        pool: &UserPoolId,
        user: &str,
        now: i64,
    ) -> StoreResult<LockoutState>;
    /// The current state.
    async fn lockout_state(&self, pool: &UserPoolId, user: &str) -> StoreResult<LockoutState>;
    /// Clears the counter (successful sign-in).
    async fn reset_failures(&self, pool: &UserPoolId, user: &str) -> StoreResult<()>;
    /// Removes, in every pool, the counters whose key starts with `prefix` and whose last
    /// failure is before `before` (counters of things that expire, like auth sessions);
    /// returns how many.
    async fn purge_failures(&self, prefix: &str, before: i64) -> StoreResult<usize>;
}

/// CSV import jobs.
#[async_trait]
pub trait ImportJobStore: Send + Sync {
    /// Creates or replaces a job.
    async fn put_import_job(&self, pool: &UserPoolId, job: ImportJob) -> StoreResult<()>;
    /// A job.
    async fn get_import_job(&self, pool: &UserPoolId, id: &str) -> StoreResult<ImportJob>;
    /// Jobs in id order.
    async fn list_import_jobs(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ImportJob>>;
}

/// Resource servers (custom OAuth scopes).
#[async_trait]
pub trait ResourceServerStore: Send + Sync {
    /// Creates one; [`ResourceServerExists`](crate::StoreError::ResourceServerExists) if the
    /// identifier is taken.
    async fn create_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()>;
    /// One by identifier.
    async fn get_resource_server(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<ResourceServer>;
    /// Replaces an existing one.
    async fn put_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()>;
    /// Deletes one.
    async fn delete_resource_server(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<()>;
    /// In identifier order.
    async fn list_resource_servers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ResourceServer>>;
}

/// User pool domains, unique across pools.
#[async_trait]
pub trait DomainStore: Send + Sync {
    /// Creates one; [`DomainExists`](crate::StoreError::DomainExists) if the name is taken,
    /// [`PoolNotFound`](crate::StoreError::PoolNotFound) if its pool is not there.
    async fn create_domain(&self, record: DomainRecord) -> StoreResult<()>;
    /// One by name.
    async fn get_domain(&self, domain: &str) -> StoreResult<Option<DomainRecord>>;
    /// Replaces an existing one ([`DomainNotFound`](crate::StoreError::DomainNotFound)).
    async fn put_domain(&self, record: DomainRecord) -> StoreResult<()>;
    /// Deletes one ([`DomainNotFound`](crate::StoreError::DomainNotFound)).
    async fn delete_domain(&self, domain: &str) -> StoreResult<()>;
    /// A pool's domains, by name.
    async fn pool_domains(&self, pool: &UserPoolId) -> StoreResult<Vec<DomainRecord>>;
}

/// Everything a pool needs, and the identity pools beside them; implemented for any type that
/// implements every part.
pub trait Store:
    PoolStore
    + ClientStore
    + UserStore
    + GroupStore
    + CodeStore
    + ReplayStore
    + RefreshTokenStore
    + KeyStore
    + LockoutStore
    + ImportJobStore
    + ResourceServerStore
    + DomainStore
    + ProviderStore
    + IdentityPools
    + AuthEventStore
    + crate::WebAuthnStore
{
}

impl<T> Store for T where
    T: PoolStore
        + ClientStore
        + UserStore
        + GroupStore
        + CodeStore
        + ReplayStore
        + RefreshTokenStore
        + KeyStore
        + LockoutStore
        + ImportJobStore
        + ResourceServerStore
        + DomainStore
        + ProviderStore
        + IdentityPools
        + AuthEventStore
        + crate::WebAuthnStore
{
}
