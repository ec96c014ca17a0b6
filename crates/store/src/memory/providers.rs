//! Identity providers and provider-user links in memory, under the pool's lock.

use std::collections::BTreeMap;

use async_trait::async_trait;
use user_pool_model::{FoldedUsername, UserPoolId};

use super::{MemoryStore, page_of};
use crate::error::{StoreError, StoreResult};
use crate::federation::{ProviderLink, ProviderRecord, ProviderStore};
use crate::records::Page;

/// One pool's providers by name, and links by (provider, attribute value).
#[derive(Default)]
pub(super) struct Providers {
    by_name: BTreeMap<String, ProviderRecord>,
    links: BTreeMap<(String, String), ProviderLink>,
}

impl Providers {
    /// `IdpIdentifierExists` if another provider than `name` holds one of `identifiers`.
    fn identifiers_free(&self, name: &str, identifiers: &[String]) -> StoreResult<()> {
        let taken = self
            .by_name
            .values()
            .filter(|p| p.name != name)
            .any(|p| p.idp_identifiers.iter().any(|i| identifiers.contains(i)));
        if taken {
            Err(StoreError::IdpIdentifierExists)
        } else {
            Ok(())
        }
    }

    /// Drops the links to a deleted pool user (folded username).
    pub(super) fn forget_user(&mut self, username_key: &str) {
        self.links.retain(|_, l| l.username != username_key);
    }
}

#[async_trait]
impl ProviderStore for MemoryStore {
    async fn create_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()> {
        record.only_sealed()?;
        self.with_pool(pool, |p| {
            let providers = &mut p.providers;
            if providers.by_name.contains_key(&record.name) {
                return Err(StoreError::ProviderExists);
            }
            providers.identifiers_free(&record.name, &record.idp_identifiers)?;
            providers.by_name.insert(record.name.clone(), record);
            Ok(())
        })
    }

    async fn get_provider(
        &self,
        pool: &UserPoolId,
        name: &str,
    ) -> StoreResult<Option<ProviderRecord>> {
        self.with_pool(pool, |p| Ok(p.providers.by_name.get(name).cloned()))
    }

    async fn provider_by_identifier(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<Option<ProviderRecord>> {
        self.with_pool(pool, |p| {
            Ok(p.providers
                .by_name
                .values()
                .find(|r| r.idp_identifiers.iter().any(|i| i == identifier))
                .cloned())
        })
    }

    async fn put_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()> {
        record.only_sealed()?;
        self.with_pool(pool, |p| {
            let providers = &mut p.providers;
            if !providers.by_name.contains_key(&record.name) {
                return Err(StoreError::ProviderNotFound);
            }
            providers.identifiers_free(&record.name, &record.idp_identifiers)?;
            providers.by_name.insert(record.name.clone(), record);
            Ok(())
        })
    }

    async fn delete_provider(&self, pool: &UserPoolId, name: &str) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.providers
                .by_name
                .remove(name)
                .ok_or(StoreError::ProviderNotFound)?;
            p.providers
                .links
                .retain(|(provider, _), _| provider != name);
            Ok(())
        })
    }

    async fn list_providers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ProviderRecord>> {
        self.with_pool(pool, |p| page_of(&p.providers.by_name, limit, token))
    }

    async fn link_provider_user(&self, pool: &UserPoolId, link: ProviderLink) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            if !p.providers.by_name.contains_key(&link.provider_name) {
                return Err(StoreError::ProviderNotFound);
            }
            let key = (link.provider_name.clone(), link.attribute_value.clone());
            if p.providers.links.contains_key(&key) {
                return Err(StoreError::ProviderLinkExists);
            }
            p.providers.links.insert(key, link);
            Ok(())
        })
    }

    async fn find_provider_link(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<Option<ProviderLink>> {
        self.with_pool(pool, |p| {
            Ok(p.providers
                .links
                .get(&(provider_name.to_owned(), attribute_value.to_owned()))
                .cloned())
        })
    }

    async fn unlink_provider_user(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<bool> {
        self.with_pool(pool, |p| {
            Ok(p.providers
                .links
                .remove(&(provider_name.to_owned(), attribute_value.to_owned()))
                .is_some())
        })
    }

    async fn provider_links_of(
        &self,
        pool: &UserPoolId,
        username: &FoldedUsername,
    ) -> StoreResult<Vec<ProviderLink>> {
        let username = username.as_str();
        self.with_pool(pool, |p| {
            Ok(p.providers
                .links
                .values()
                .filter(|l| l.username == username)
                .cloned()
                .collect())
        })
    }
}
