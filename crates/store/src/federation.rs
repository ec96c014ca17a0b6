//! External identity providers of a user pool (OIDC and social) and the links from a
//! provider's user to a pool user (AdminLinkProviderForUser).
//!
//! Uniqueness every backend enforces atomically: a provider name once per pool, an IdP
//! identifier once per pool, and a provider user — `(pool, provider name, provider attribute
//! value)` — linked to at most one pool user. Secrets of the provider details are stored only
//! sealed ([`ProviderRecord::sealed_secrets`]); a record carrying a plaintext secret key in
//! its details is refused ([`Backend`](crate::StoreError::Backend)). Deleting a pool deletes
//! its providers and links; deleting a provider deletes its links; deleting a user
//! ([`UserStore::delete_user`](crate::UserStore::delete_user)) deletes the links to it, in the
//! same atomic step.

use std::collections::BTreeMap;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use user_pool_model::{FoldedUsername, UserPoolId};

use crate::error::{StoreError, StoreResult};
use crate::records::Page;

/// Detail keys that must never be stored in plaintext.
pub const PLAINTEXT_SECRET_KEYS: [&str; 2] = ["client_secret", "private_key"];

/// An identity provider as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRecord {
    /// `ProviderName`, unique in the pool.
    pub name: String,
    /// `ProviderType` (wire name).
    pub provider_type: String,
    /// `ProviderDetails` without the secrets.
    pub details: BTreeMap<String, String>,
    /// The secrets of the details, sealed by the facade, by key.
    pub sealed_secrets: BTreeMap<String, Vec<u8>>,
    /// `AttributeMapping`.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`, each unique in the pool.
    pub idp_identifiers: Vec<String>,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub last_modified: i64,
}

impl ProviderRecord {
    /// [`Backend`](StoreError::Backend) if a secret sits in plaintext in the details.
    pub fn only_sealed(&self) -> StoreResult<()> {
        if PLAINTEXT_SECRET_KEYS
            .iter()
            .any(|k| self.details.contains_key(*k))
        {
            return Err(StoreError::Backend(
                "refusing to store an identity provider secret in plaintext".into(),
            ));
        }
        Ok(())
    }
}

/// A provider user linked to a pool user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderLink {
    /// The provider's name.
    pub provider_name: String,
    /// `ProviderAttributeName` (`Cognito_Subject` for the provider's subject).
    pub attribute_name: String,
    /// `ProviderAttributeValue`: the provider user.
    pub attribute_value: String,
    /// The pool user's folded username.
    pub username: FoldedUsername,
    /// Unix seconds.
    pub created: i64,
}

/// A pool's identity providers and provider-user links.
#[async_trait]
pub trait ProviderStore: Send + Sync {
    /// Creates a provider: [`ProviderExists`](StoreError::ProviderExists) for a taken name,
    /// [`IdpIdentifierExists`](StoreError::IdpIdentifierExists) for a taken identifier,
    /// [`PoolNotFound`](StoreError::PoolNotFound); nothing is written then.
    async fn create_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()>;
    /// A provider by name.
    async fn get_provider(
        &self,
        pool: &UserPoolId,
        name: &str,
    ) -> StoreResult<Option<ProviderRecord>>;
    /// The provider an IdP identifier names.
    async fn provider_by_identifier(
        &self,
        pool: &UserPoolId,
        identifier: &str,
    ) -> StoreResult<Option<ProviderRecord>>;
    /// Replaces an existing provider (same name):
    /// [`ProviderNotFound`](StoreError::ProviderNotFound),
    /// [`IdpIdentifierExists`](StoreError::IdpIdentifierExists) for an identifier another
    /// provider holds.
    async fn put_provider(&self, pool: &UserPoolId, record: ProviderRecord) -> StoreResult<()>;
    /// Deletes a provider and its links ([`ProviderNotFound`](StoreError::ProviderNotFound)).
    async fn delete_provider(&self, pool: &UserPoolId, name: &str) -> StoreResult<()>;
    /// Providers in name order.
    async fn list_providers(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<ProviderRecord>>;
    /// Links a provider user to a pool user:
    /// [`ProviderLinkExists`](StoreError::ProviderLinkExists) if that provider user is linked
    /// already (to anyone), [`ProviderNotFound`](StoreError::ProviderNotFound).
    async fn link_provider_user(&self, pool: &UserPoolId, link: ProviderLink) -> StoreResult<()>;
    /// The link of a provider user.
    async fn find_provider_link(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<Option<ProviderLink>>;
    /// Removes the link of a provider user; whether there was one.
    async fn unlink_provider_user(
        &self,
        pool: &UserPoolId,
        provider_name: &str,
        attribute_value: &str,
    ) -> StoreResult<bool>;
    /// The links to a pool user (folded username), by provider and value.
    async fn provider_links_of(
        &self,
        pool: &UserPoolId,
        username: &FoldedUsername,
    ) -> StoreResult<Vec<ProviderLink>>;
}
