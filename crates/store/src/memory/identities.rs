//! Identity pools and identities in memory, behind one lock: every precondition (a login
//! linked once per pool, an identity id unique across pools) is checked and applied under it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use async_trait::async_trait;
use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, IdentityPoolRoles, LoginKey, RoleMappings,
};

use super::{MemoryStore, page_of, poisoned};
use crate::error::{StoreError, StoreResult};
use crate::identity::{IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IdentityStore};
use crate::paging;
use crate::records::{Page, StoredKeys};

/// One identity pool: its record, its identities by id, and who each login belongs to.
struct PoolEntry {
    record: IdentityPoolRecord,
    identities: BTreeMap<String, IdentityRecord>,
    logins: HashMap<LoginKey, String>,
}

/// Every identity pool, the pool of every identity, and the service's keys.
#[derive(Default)]
pub(super) struct Identities {
    pools: BTreeMap<String, PoolEntry>,
    pool_of: HashMap<String, String>,
    keys: Option<StoredKeys>,
}

impl Identities {
    fn pool(&mut self, id: &IdentityPoolId) -> StoreResult<&mut PoolEntry> {
        self.pools
            .get_mut(id.as_str())
            .ok_or(StoreError::IdentityPoolNotFound)
    }

    /// The pool entry and the identity `id` within it.
    fn identity(&mut self, id: &IdentityId) -> StoreResult<(&mut PoolEntry, String)> {
        let pool = self
            .pool_of
            .get(id.as_str())
            .cloned()
            .ok_or(StoreError::IdentityNotFound)?;
        let entry = self
            .pools
            .get_mut(&pool)
            .ok_or(StoreError::IdentityNotFound)?;
        if !entry.identities.contains_key(id.as_str()) {
            return Err(StoreError::IdentityNotFound);
        }
        Ok((entry, id.as_str().to_owned()))
    }
}

impl MemoryStore {
    fn with_identities<T>(
        &self,
        f: impl FnOnce(&mut Identities) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let mut guard = self.identities.lock().map_err(poisoned)?;
        f(&mut guard)
    }
}

#[async_trait]
impl IdentityPoolStore for MemoryStore {
    async fn create_identity_pool(&self, pool: IdentityPool) -> StoreResult<()> {
        self.with_identities(|d| {
            let key = pool.identity_pool_id.as_str().to_owned();
            if d.pools.contains_key(&key) {
                return Err(StoreError::IdentityPoolExists);
            }
            d.pools.insert(
                key,
                PoolEntry {
                    record: IdentityPoolRecord {
                        pool,
                        roles: IdentityPoolRoles::default(),
                        role_mappings: RoleMappings::default(),
                    },
                    identities: BTreeMap::new(),
                    logins: HashMap::new(),
                },
            );
            Ok(())
        })
    }

    async fn get_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<IdentityPoolRecord> {
        self.with_identities(|d| Ok(d.pool(id)?.record.clone()))
    }

    async fn put_identity_pool(&self, pool: IdentityPool) -> StoreResult<()> {
        self.with_identities(|d| {
            let id = pool.identity_pool_id.clone();
            d.pool(&id)?.record.pool = pool;
            Ok(())
        })
    }

    async fn set_identity_pool_roles(
        &self,
        id: &IdentityPoolId,
        roles: IdentityPoolRoles,
        role_mappings: RoleMappings,
    ) -> StoreResult<()> {
        self.with_identities(|d| {
            let entry = d.pool(id)?;
            entry.record.roles = roles;
            entry.record.role_mappings = role_mappings;
            Ok(())
        })
    }

    async fn delete_identity_pool(&self, id: &IdentityPoolId) -> StoreResult<()> {
        self.with_identities(|d| {
            let entry = d
                .pools
                .remove(id.as_str())
                .ok_or(StoreError::IdentityPoolNotFound)?;
            for identity in entry.identities.keys() {
                d.pool_of.remove(identity);
            }
            Ok(())
        })
    }

    async fn list_identity_pools(
        &self,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityPool>> {
        self.with_identities(|d| {
            let pools: BTreeMap<String, IdentityPool> = d
                .pools
                .iter()
                .map(|(k, v)| (k.clone(), v.record.pool.clone()))
                .collect();
            page_of(&pools, limit, token)
        })
    }

    async fn get_identity_keys(&self) -> StoreResult<Option<StoredKeys>> {
        self.with_identities(|d| Ok(d.keys.clone()))
    }

    async fn create_identity_keys(&self, keys: StoredKeys) -> StoreResult<StoredKeys> {
        self.with_identities(|d| Ok(d.keys.get_or_insert(keys).clone()))
    }
}

#[async_trait]
impl IdentityStore for MemoryStore {
    async fn create_identity(&self, identity: IdentityRecord) -> StoreResult<()> {
        self.with_identities(|d| {
            let id = identity.identity_id.as_str().to_owned();
            let pool = identity.identity_pool_id.as_str().to_owned();
            if d.pool_of.contains_key(&id) {
                return Err(StoreError::IdentityExists);
            }
            let entry = d.pool(&identity.identity_pool_id)?;
            if identity.logins.iter().any(|l| entry.logins.contains_key(l)) {
                return Err(StoreError::LoginLinked);
            }
            let mut identity = identity;
            identity.logins.sort();
            identity.logins.dedup();
            for login in &identity.logins {
                entry.logins.insert(login.clone(), id.clone());
            }
            entry.identities.insert(id.clone(), identity);
            d.pool_of.insert(id, pool);
            Ok(())
        })
    }

    async fn get_identity(&self, id: &IdentityId) -> StoreResult<Option<IdentityRecord>> {
        self.with_identities(|d| match d.identity(id) {
            Ok((entry, key)) => Ok(entry.identities.get(&key).cloned()),
            Err(StoreError::IdentityNotFound) => Ok(None),
            Err(e) => Err(e),
        })
    }

    async fn find_identity_by_login(
        &self,
        pool: &IdentityPoolId,
        login: &LoginKey,
    ) -> StoreResult<Option<IdentityRecord>> {
        self.with_identities(|d| {
            let entry = d.pool(pool)?;
            Ok(entry
                .logins
                .get(login)
                .and_then(|id| entry.identities.get(id))
                .cloned())
        })
    }

    async fn link_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        self.with_identities(|d| {
            let (entry, key) = d.identity(id)?;
            if logins
                .iter()
                .any(|l| entry.logins.get(l).is_some_and(|owner| *owner != key))
            {
                return Err(StoreError::LoginLinked);
            }
            for login in logins {
                entry.logins.insert(login.clone(), key.clone());
            }
            let identity = entry
                .identities
                .get_mut(&key)
                .ok_or(StoreError::IdentityNotFound)?;
            identity.logins.extend(logins.iter().cloned());
            identity.logins.sort();
            identity.logins.dedup();
            identity.last_modified = now;
            identity.disabled = false;
            Ok(identity.clone())
        })
    }

    async fn unlink_logins(
        &self,
        id: &IdentityId,
        logins: &[LoginKey],
        now: i64,
    ) -> StoreResult<IdentityRecord> {
        self.with_identities(|d| {
            let (entry, key) = d.identity(id)?;
            let identity = entry
                .identities
                .get_mut(&key)
                .ok_or(StoreError::IdentityNotFound)?;
            let before = identity.logins.len();
            identity.logins.retain(|l| !logins.contains(l));
            if identity.logins.len() < before && identity.logins.is_empty() {
                identity.disabled = true;
            }
            identity.last_modified = now;
            let identity = identity.clone();
            for login in logins {
                if entry.logins.get(login) == Some(&key) {
                    entry.logins.remove(login);
                }
            }
            Ok(identity)
        })
    }

    async fn delete_identity(&self, id: &IdentityId) -> StoreResult<()> {
        self.with_identities(|d| {
            let (entry, key) = d.identity(id)?;
            if let Some(identity) = entry.identities.remove(&key) {
                for login in &identity.logins {
                    entry.logins.remove(login);
                }
            }
            d.pool_of.remove(&key);
            Ok(())
        })
    }

    async fn list_identities(
        &self,
        pool: &IdentityPoolId,
        hide_disabled: bool,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<IdentityRecord>> {
        self.with_identities(|d| {
            let entry = d.pool(pool)?;
            let after: Option<String> = paging::cursor(token)?;
            let size = paging::page_size(limit);
            let start = match &after {
                Some(a) => Bound::Excluded(a.as_str()),
                None => Bound::Unbounded,
            };
            let rows = entry
                .identities
                .range::<str, _>((start, Bound::Unbounded))
                .filter(|(_, v)| !(hide_disabled && v.disabled))
                .take(size + 1)
                .map(|(k, v)| (k.clone(), v.clone()));
            Ok(paging::page(rows, size))
        })
    }
}
