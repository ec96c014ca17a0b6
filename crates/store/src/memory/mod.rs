//! `MemoryStore`: everything in process memory, behind one lock per pool.
//!
//! Lookups by username, alias and `sub` are hash-map hits; ListUsers filters are served from
//! ordered per-attribute indexes; every precondition is checked and applied under the pool's
//! lock, so concurrent operations are atomic.

mod auth_events;
mod compact;
mod groups;
mod identities;
mod providers;
mod tokens;
mod users;
mod webauthn;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use std::ops::Bound;

use async_trait::async_trait;
use user_pool_model::{AppClient, ClientId, PoolConfig, ResourceServer, UserPoolId};

use crate::error::{StoreError, StoreResult};
use crate::paging;
use crate::records::{DomainRecord, ImportJob, LockoutState, Page, StoredKeys};
use crate::traits::{
    ClientStore, DomainStore, ImportJobStore, KeyStore, LockoutStore, PoolStore,
    ResourceServerStore,
};

/// Everything of one pool.
struct PoolData {
    config: PoolConfig,
    clients: BTreeMap<String, AppClient>,
    users: users::Users,
    groups: groups::Groups,
    tokens: tokens::Tokens,
    keys: Option<StoredKeys>,
    lockouts: HashMap<String, LockoutState>,
    jobs: BTreeMap<String, ImportJob>,
    resource_servers: BTreeMap<String, ResourceServer>,
    auth_events: auth_events::AuthEvents,
    /// WebAuthn credentials by credential id.
    passkeys: BTreeMap<Vec<u8>, crate::WebAuthnCredential>,
    providers: providers::Providers,
}

/// The in-memory store. Cheap to clone (shared state).
#[derive(Clone, Default)]
pub struct MemoryStore {
    pools: Arc<RwLock<BTreeMap<UserPoolId, Arc<Mutex<PoolData>>>>>,
    /// Domains are unique across pools, so they live beside them.
    domains: Arc<RwLock<BTreeMap<String, DomainRecord>>>,
    /// Identity pools and identities (their own lock: nothing of a user pool is touched).
    identities: Arc<Mutex<identities::Identities>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

fn poisoned<T>(_: T) -> StoreError {
    StoreError::Backend("a lock was poisoned by a panic".into())
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn pool(&self, id: &UserPoolId) -> StoreResult<Arc<Mutex<PoolData>>> {
        self.pools
            .read()
            .map_err(poisoned)?
            .get(id)
            .cloned()
            .ok_or(StoreError::PoolNotFound)
    }

    /// Runs `f` with the pool's data locked.
    fn with_pool<T>(
        &self,
        id: &UserPoolId,
        f: impl FnOnce(&mut PoolData) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let pool = self.pool(id)?;
        let mut guard: MutexGuard<'_, PoolData> = pool.lock().map_err(poisoned)?;
        f(&mut guard)
    }

    /// Runs `f` over every pool (background clean-up).
    fn for_each_pool(&self, mut f: impl FnMut(&mut PoolData) -> usize) -> StoreResult<usize> {
        let pools: Vec<_> = self
            .pools
            .read()
            .map_err(poisoned)?
            .values()
            .cloned()
            .collect();
        let mut total = 0;
        for pool in pools {
            total += f(&mut *pool.lock().map_err(poisoned)?);
        }
        Ok(total)
    }
}

/// Refuses a client whose secret is not sealed, as the SQL stores (which cannot serialize it)
/// do.
fn only_sealed(client: &AppClient) -> StoreResult<()> {
    match client.secret {
        Some(_) => Err(StoreError::Backend(
            "a client secret is stored only sealed".into(),
        )),
        None => Ok(()),
    }
}

/// One page of a map ordered by key, after the key named by `token`.
fn page_of<T: Clone>(
    map: &BTreeMap<String, T>,
    limit: usize,
    token: Option<&str>,
) -> StoreResult<Page<T>> {
    let after: Option<String> = paging::cursor(token)?;
    let size = paging::page_size(limit);
    let rows = match &after {
        Some(k) => map.range::<str, _>((Bound::Excluded(k.as_str()), Bound::Unbounded)),
        None => map.range::<str, _>(..),
    };
    Ok(paging::page(
        rows.take(size + 1).map(|(k, v)| (k, v.clone())),
        size,
    ))
}

#[async_trait]
impl PoolStore for MemoryStore {
    async fn create_pool(&self, pool: PoolConfig) -> StoreResult<()> {
        let mut pools = self.pools.write().map_err(poisoned)?;
        if pools.contains_key(&pool.id) {
            return Err(StoreError::PoolExists);
        }
        let case_rule = pool.case_rule;
        pools.insert(
            pool.id.clone(),
            Arc::new(Mutex::new(PoolData {
                config: pool,
                clients: BTreeMap::new(),
                users: users::Users::new(case_rule),
                groups: groups::Groups::default(),
                tokens: tokens::Tokens::default(),
                keys: None,
                lockouts: HashMap::new(),
                jobs: BTreeMap::new(),
                resource_servers: BTreeMap::new(),
                auth_events: auth_events::AuthEvents::default(),
                passkeys: BTreeMap::new(),
                providers: providers::Providers::default(),
            })),
        );
        Ok(())
    }

    async fn get_pool(&self, id: &UserPoolId) -> StoreResult<PoolConfig> {
        self.with_pool(id, |p| Ok(p.config.clone()))
    }

    async fn put_pool(&self, pool: PoolConfig) -> StoreResult<()> {
        self.with_pool(&pool.id.clone(), |p| {
            // The case rule and sign-in attributes are immutable after creation.
            let mut pool = pool;
            pool.case_rule = p.config.case_rule;
            pool.username_attributes
                .clone_from(&p.config.username_attributes);
            pool.alias_attributes.clone_from(&p.config.alias_attributes);
            p.config = pool;
            Ok(())
        })
    }

    async fn delete_pool(&self, id: &UserPoolId) -> StoreResult<()> {
        // Lock order everywhere: pools, then domains.
        let mut pools = self.pools.write().map_err(poisoned)?;
        pools.remove(id).ok_or(StoreError::PoolNotFound)?;
        self.domains
            .write()
            .map_err(poisoned)?
            .retain(|_, d| d.pool != *id);
        Ok(())
    }

    async fn list_pools(&self, limit: usize, token: Option<&str>) -> StoreResult<Page<PoolConfig>> {
        let pools: BTreeMap<String, Arc<Mutex<PoolData>>> = self
            .pools
            .read()
            .map_err(poisoned)?
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect();
        let page = page_of(&pools, limit, token)?;
        let mut items = Vec::with_capacity(page.items.len());
        for p in page.items {
            items.push(p.lock().map_err(poisoned)?.config.clone());
        }
        Ok(Page {
            items,
            next: page.next,
        })
    }
}

#[async_trait]
impl ClientStore for MemoryStore {
    async fn create_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()> {
        only_sealed(&client)?;
        self.with_pool(pool, |p| {
            if p.clients.contains_key(client.id.as_str()) {
                return Err(StoreError::ClientExists);
            }
            p.clients.insert(client.id.as_str().to_owned(), client);
            Ok(())
        })
    }

    async fn get_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<AppClient> {
        self.with_pool(pool, |p| {
            p.clients
                .get(id.as_str())
                .cloned()
                .ok_or(StoreError::ClientNotFound)
        })
    }

    async fn put_client(&self, pool: &UserPoolId, client: AppClient) -> StoreResult<()> {
        only_sealed(&client)?;
        self.with_pool(pool, |p| match p.clients.get_mut(client.id.as_str()) {
            Some(existing) => {
                *existing = client;
                Ok(())
            }
            None => Err(StoreError::ClientNotFound),
        })
    }

    async fn find_client(&self, id: &ClientId) -> StoreResult<Option<(PoolConfig, AppClient)>> {
        let pools: Vec<_> = self
            .pools
            .read()
            .map_err(poisoned)?
            .values()
            .map(Arc::clone)
            .collect();
        for data in pools {
            let data = data.lock().map_err(poisoned)?;
            if let Some(client) = data.clients.get(id.as_str()) {
                return Ok(Some((data.config.clone(), client.clone())));
            }
        }
        Ok(None)
    }

    async fn delete_client(&self, pool: &UserPoolId, id: &ClientId) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.clients
                .remove(id.as_str())
                .map(|_| ())
                .ok_or(StoreError::ClientNotFound)
        })
    }

    async fn list_clients(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<AppClient>> {
        self.with_pool(pool, |p| page_of(&p.clients, limit, token))
    }
}

#[async_trait]
impl KeyStore for MemoryStore {
    async fn put_signing_keys(&self, pool: &UserPoolId, keys: StoredKeys) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.keys = Some(keys);
            Ok(())
        })
    }

    async fn get_signing_keys(&self, pool: &UserPoolId) -> StoreResult<Option<StoredKeys>> {
        self.with_pool(pool, |p| Ok(p.keys.clone()))
    }

    async fn insert_signing_keys_if_absent(
        &self,
        pool: &UserPoolId,
        keys: StoredKeys,
    ) -> StoreResult<StoredKeys> {
        self.with_pool(pool, |p| Ok(p.keys.get_or_insert(keys).clone()))
    }

    async fn replace_signing_keys(
        &self,
        pool: &UserPoolId,
        expected: &StoredKeys,
        keys: StoredKeys,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| match &mut p.keys {
            Some(current) if current == expected => {
                *current = keys;
                Ok(())
            }
            _ => Err(StoreError::VersionConflict),
        })
    }
}

#[async_trait]
impl LockoutStore for MemoryStore {
    async fn record_failure(
        &self,
        pool: &UserPoolId,
        user: &str,
        now: i64,
    ) -> StoreResult<LockoutState> {
        self.with_pool(pool, |p| {
            let state = p.lockouts.entry(user.to_owned()).or_default();
            state.failures = state.failures.saturating_add(1);
            state.last_failure = now;
            Ok(*state)
        })
    }

    async fn lockout_state(&self, pool: &UserPoolId, user: &str) -> StoreResult<LockoutState> {
        self.with_pool(pool, |p| {
            Ok(p.lockouts.get(user).copied().unwrap_or_default())
        })
    }

    async fn reset_failures(&self, pool: &UserPoolId, user: &str) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.lockouts.remove(user);
            Ok(())
        })
    }

    async fn purge_failures(&self, prefix: &str, before: i64) -> StoreResult<usize> {
        self.for_each_pool(|p| {
            let n = p.lockouts.len();
            p.lockouts
                .retain(|key, state| !(key.starts_with(prefix) && state.last_failure < before));
            n - p.lockouts.len()
        })
    }
}

#[async_trait]
impl ImportJobStore for MemoryStore {
    async fn put_import_job(&self, pool: &UserPoolId, job: ImportJob) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.jobs.insert(job.id.clone(), job);
            Ok(())
        })
    }

    async fn get_import_job(&self, pool: &UserPoolId, id: &str) -> StoreResult<ImportJob> {
        self.with_pool(pool, |p| {
            p.jobs.get(id).cloned().ok_or(StoreError::ImportJobNotFound)
        })
    }

    async fn list_import_jobs(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ImportJob>> {
        self.with_pool(pool, |p| page_of(&p.jobs, limit, token))
    }
}

#[async_trait]
impl ResourceServerStore for MemoryStore {
    async fn create_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            if p.resource_servers.contains_key(&server.identifier) {
                return Err(StoreError::ResourceServerExists);
            }
            p.resource_servers.insert(server.identifier.clone(), server);
            Ok(())
        })
    }

    async fn get_resource_server(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<ResourceServer> {
        self.with_pool(pool, |p| {
            p.resource_servers
                .get(identifier)
                .cloned()
                .ok_or(StoreError::ResourceServerNotFound)
        })
    }

    async fn put_resource_server(
        &self,
        pool: &UserPoolId,
        server: ResourceServer,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            match p.resource_servers.get_mut(&server.identifier) {
                Some(existing) => {
                    *existing = server;
                    Ok(())
                }
                None => Err(StoreError::ResourceServerNotFound),
            }
        })
    }

    async fn delete_resource_server(&self, pool: &UserPoolId, identifier: &str) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.resource_servers
                .remove(identifier)
                .map(|_| ())
                .ok_or(StoreError::ResourceServerNotFound)
        })
    }

    async fn list_resource_servers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ResourceServer>> {
        self.with_pool(pool, |p| page_of(&p.resource_servers, limit, token))
    }
}

#[async_trait]
impl DomainStore for MemoryStore {
    async fn create_domain(&self, record: DomainRecord) -> StoreResult<()> {
        let pools = self.pools.read().map_err(poisoned)?;
        if !pools.contains_key(&record.pool) {
            return Err(StoreError::PoolNotFound);
        }
        let mut domains = self.domains.write().map_err(poisoned)?;
        if domains.contains_key(&record.domain) {
            return Err(StoreError::DomainExists);
        }
        domains.insert(record.domain.clone(), record);
        Ok(())
    }

    async fn get_domain(&self, domain: &str) -> StoreResult<Option<DomainRecord>> {
        Ok(self.domains.read().map_err(poisoned)?.get(domain).cloned())
    }

    async fn put_domain(&self, record: DomainRecord) -> StoreResult<()> {
        match self
            .domains
            .write()
            .map_err(poisoned)?
            .get_mut(&record.domain)
        {
            Some(existing) => {
                *existing = record;
                Ok(())
            }
            None => Err(StoreError::DomainNotFound),
        }
    }

    async fn delete_domain(&self, domain: &str) -> StoreResult<()> {
        self.domains
            .write()
            .map_err(poisoned)?
            .remove(domain)
            .map(|_| ())
            .ok_or(StoreError::DomainNotFound)
    }

    async fn pool_domains(&self, pool: &UserPoolId) -> StoreResult<Vec<DomainRecord>> {
        let pools = self.pools.read().map_err(poisoned)?;
        if !pools.contains_key(pool) {
            return Err(StoreError::PoolNotFound);
        }
        Ok(self
            .domains
            .read()
            .map_err(poisoned)?
            .values()
            .filter(|d| d.pool == *pool)
            .cloned()
            .collect())
    }
}
