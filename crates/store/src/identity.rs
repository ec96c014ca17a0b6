//! Identity pools (Cognito `cognito-identity`): their records and the two traits that keep
//! them — pools with their roles, and identities with the logins linked to them.
//!
//! The uniqueness that matters is one identity per (identity pool, login): a login (provider
//! name and the user's subject there) belongs to at most one identity, enforced by every
//! backend atomically, so any number of concurrent `GetId`s for one new login make exactly
//! one identity. Identity ids are unique across pools (operations such as
//! GetCredentialsForIdentity name the identity alone).

use async_trait::async_trait;
use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
};

use crate::error::StoreResult;
use crate::records::{Page, StoredKeys};

/// An identity pool as stored: its configuration and, set apart (SetIdentityPoolRoles and
/// UpdateIdentityPool never overwrite each other), its roles and role mappings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPoolRecord {
    /// The configuration (CreateIdentityPool / UpdateIdentityPool).
    pub pool: IdentityPool,
    /// The default roles.
    pub roles: IdentityPoolRoles,
    /// The role mappings.
    pub role_mappings: RoleMappings,
}

/// An identity: its id, its pool, the logins linked to it (in order) and its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRecord {
    /// The id (`<region>:<uuid>`), unique across pools.
    pub identity_id: IdentityId,
    /// Its pool.
    pub identity_pool_id: IdentityPoolId,
    /// Linked logins, sorted; empty for a guest (unauthenticated) identity.
    pub logins: Vec<LoginKey>,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds of the last link or unlink.
    pub last_modified: i64,
    /// Its last login was unlinked: the identity is inaccessible ("Removing the last linked
    /// login will make this identity inaccessible", UnlinkIdentity).
    pub disabled: bool,
}

/// Identity pools and the identity service's own signing keys.
#[async_trait]
pub trait IdentityPoolStore: Send + Sync {
    /// Creates a pool with no roles;
    /// [`IdentityPoolExists`](crate::StoreError::IdentityPoolExists) if the id is taken.
    async fn create_identity_pool(&self, pool: IdentityPool) -> StoreResult<()>;
    /// A pool with its roles ([`IdentityPoolNotFound`](crate::StoreError::IdentityPoolNotFound)).
    async fn get_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<IdentityPoolRecord>;
    /// Replaces an existing pool's configuration (its roles stay).
    async fn put_identity_pool(&self, pool: IdentityPool) -> StoreResult<()>;
    /// Replaces an existing pool's roles and role mappings (its configuration stays).
    async fn set_identity_pool_roles(
        &self,
        id: &IdentityPoolId,
        roles: IdentityPoolRoles,
        role_mappings: RoleMappings,
    ) -> StoreResult<()>;
    /// Deletes a pool, its identities and their logins.
    async fn delete_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<()>;
    /// Pools in id order.
    async fn list_identity_pools(
        &self,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityPool>>;
    /// The identity service's signing keys (sealed by the facade), if stored.
    async fn get_identity_keys(&self) -> StoreResult<Option<StoredKeys>>;
    /// Stores the identity service's keys unless some are stored already, atomically, and
    /// returns what is stored: of several instances starting at once, one set wins and every
    /// instance uses it.
    async fn create_identity_keys(&self, keys: StoredKeys) -> StoreResult<StoredKeys>;
}

/// Identities and their linked logins, one identity per (pool, login).
#[async_trait]
pub trait IdentityStore: Send + Sync {
    /// Creates an identity with its logins, atomically: nothing is written if one of the
    /// logins is linked already ([`LoginLinked`](crate::StoreError::LoginLinked)), the id is
    /// taken ([`IdentityExists`](crate::StoreError::IdentityExists)) or the pool is gone
    /// ([`IdentityPoolNotFound`](crate::StoreError::IdentityPoolNotFound)).
    async fn create_identity(&self, identity: IdentityRecord) -> StoreResult<()>;
    /// An identity by id, in any pool.
    async fn get_identity(&self, id: &IdentityId) -> StoreResult<Option<IdentityRecord>>;
    /// The identity a login is linked to in `pool`.
    async fn find_identity_by_login(
        &self,
        pool: &IdentityPoolId,
        login: &LoginKey,
    ) -> StoreResult<Option<IdentityRecord>>;
    /// Links logins to an existing identity, atomically: all or none; a login linked to this
    /// identity already is fine, one linked to another identity is
    /// [`LoginLinked`](crate::StoreError::LoginLinked). The identity is enabled again and its
    /// `last_modified` set to `now`. [`IdentityNotFound`](crate::StoreError::IdentityNotFound)
    /// for an unknown id.
    async fn link_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord>;
    /// Unlinks those of `logins` linked to the identity (others are ignored); an identity that
    /// loses its last login this way becomes disabled. `last_modified` becomes `now`.
    async fn unlink_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord>;
    /// Deletes an identity and its logins ([`IdentityNotFound`](crate::StoreError::IdentityNotFound)).
    async fn delete_identity(&self, id: &IdentityId) -> StoreResult<()>;
    /// A pool's identities in id order, without the disabled ones if `hide_disabled`.
    async fn list_identities(
        &self,
        pool: &IdentityPoolId,
        hide_disabled: bool,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityRecord>>;
}

/// Everything identity pools need; implemented for any type that implements both parts, and
/// part of [`Store`](crate::Store), so an `Arc<dyn Store>` coerces to `Arc<dyn IdentityPools>`.
pub trait IdentityPools: IdentityPoolStore + IdentityStore {}

impl<T: IdentityPoolStore + IdentityStore + ?Sized> IdentityPools for T {}
