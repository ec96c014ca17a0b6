//! The pool user a provider identity signs in as: a linked native user (links win), else the
//! federated user `<ProviderName>_<subject>` — created on the first sign-in (status
//! `EXTERNAL_PROVIDER`, group `<poolId>_<ProviderName>`, PreSignUp with
//! `PreSignUp_ExternalProvider`, then PostConfirmation), its mapped attributes refreshed on
//! later ones.

use custom_auth_triggers::events::PreSignUpRequest;
use custom_auth_triggers::{PreSignUp, TriggerSource};
use serde_json::{Map, Value};
use user_pool_model::{Group, PoolConfig, Sub, User, UserStatus};
use userpool_federation::{Identity, federated_username, identities_attribute, provider_group};
use userpool_store::{StoreError, UserKeys};

use crate::error::{Error, ErrorKind, Result};
use crate::federation::Federation;
use crate::federation::providers::Provider;
use crate::hooks::Caller;

/// The mapped attributes the pool can hold (its schema's, never `sub` or `identities`).
fn storable(pool: &PoolConfig, mapped: Vec<(String, String)>) -> Vec<(String, String)> {
    mapped
        .into_iter()
        .filter(|(name, value)| {
            name != "sub"
                && name != "identities"
                && pool.schema.get(name).is_some()
                && value.chars().count() <= 2048
        })
        .collect()
}

impl Federation {
    /// The user `claims` (from `provider`) sign in as.
    pub(crate) async fn federated_user(
        &self,
        pool: &PoolConfig,
        provider: &Provider,
        claims: &Map<String, Value>,
        caller: &Caller<'_>,
    ) -> Result<User> {
        let subject = userpool_federation::subject(&provider.mapping, claims).map_err(|_| {
            Error::new(
                ErrorKind::InvalidParameter,
                "The identity provider did not name the user.",
            )
        })?;
        let store = self.core.store();
        let name = &provider.record.name;
        if let Some(link) = store
            .find_provider_link(&pool.id, name, &subject)
            .await
            .map_err(|e| self.core.store_error(&e))?
            && let Some(user) = store
                .get_user(&pool.id, &link.username)
                .await
                .map_err(|e| self.core.store_error(&e))?
        {
            return Ok(user);
        }
        let mapped = storable(pool, provider.mapping.apply(claims));
        let username = federated_username(name, &subject);
        let key = pool.case_rule.fold(&username);
        if let Some(user) = store
            .get_user(&pool.id, &key)
            .await
            .map_err(|e| self.core.store_error(&e))?
        {
            return self.refresh_attributes(pool, user, mapped).await;
        }
        self.create_federated_user(pool, provider, &subject, &username, mapped, caller)
            .await
    }

    async fn refresh_attributes(
        &self,
        pool: &PoolConfig,
        mut user: User,
        mapped: Vec<(String, String)>,
    ) -> Result<User> {
        let changed = mapped
            .iter()
            .any(|(k, v)| user.attributes.get(k) != Some(v));
        if !changed {
            return Ok(user);
        }
        for (k, v) in mapped {
            user.attributes.insert(k, v);
        }
        self.core.save_user(pool, user).await
    }

    async fn create_federated_user(
        &self,
        pool: &PoolConfig,
        provider: &Provider,
        subject: &str,
        username: &str,
        mapped: Vec<(String, String)>,
        caller: &Caller<'_>,
    ) -> Result<User> {
        let now = self.core.now();
        let sub = self.core.entropy.with(Sub::generate)?;
        let mut user = User::new(username, sub, UserStatus::ExternalProvider, now);
        for (k, v) in mapped {
            user.attributes.insert(k, v);
        }
        user.attributes.insert(
            "identities".into(),
            identities_attribute(&[Identity {
                user_id: subject.to_owned(),
                provider_name: provider.record.name.clone(),
                provider_type: provider.provider_type,
                issuer: None,
                primary: true,
                date_created_ms: now.saturating_mul(1000),
            }]),
        );
        let request = PreSignUpRequest {
            user_attributes: user.attributes.clone(),
            validation_data: None,
            client_metadata: caller.metadata(),
        };
        self.core
            .run_trigger::<PreSignUp>(
                pool,
                TriggerSource::PreSignUpExternalProvider,
                username,
                caller,
                request,
            )
            .await?;
        let store = self.core.store();
        let inserted = match store
            .insert_user(&pool.id, user.clone(), &UserKeys::for_user(&user, pool))
            .await
        {
            Ok(u) => u,
            // A concurrent first sign-in of the same provider user won.
            Err(StoreError::UsernameExists) => {
                return store
                    .get_user(&pool.id, &pool.case_rule.fold(username))
                    .await
                    .map_err(|e| self.core.store_error(&e))?
                    .ok_or_else(crate::core::internal);
            }
            // A native user holds the alias: the federated user keeps it unverified, so it
            // is no sign-in alias (link the two with AdminLinkProviderForUser instead).
            Err(StoreError::AliasExists(_)) => {
                for (attribute, _) in user.active_aliases(&pool.alias_attributes) {
                    user.attributes
                        .insert(format!("{attribute}_verified"), "false".into());
                }
                store
                    .insert_user(&pool.id, user.clone(), &UserKeys::for_user(&user, pool))
                    .await
                    .map_err(|e| self.core.store_error(&e))?
            }
            Err(e) => return Err(self.core.store_error(&e)),
        };
        let group = provider_group(pool.id.as_str(), &provider.record.name);
        if let Ok(g) = Group::new(&group, None, None, None, now) {
            match store.create_group(&pool.id, g).await {
                Ok(()) | Err(StoreError::GroupExists) => {}
                Err(e) => return Err(self.core.store_error(&e)),
            }
            store
                .add_to_group(&pool.id, &group, &pool.case_rule.fold(username))
                .await
                .map_err(|e| self.core.store_error(&e))?;
        }
        tracing::info!(target: "userpool::audit", operation = "FederatedSignUp", pool = %pool.id.as_str(), provider = %provider.record.name, sub = %inserted.sub);
        // (?) Cognito's trigger source for a federated user's PostConfirmation is
        // unconfirmed; ConfirmSignUp's is used. Its failure does not undo the sign-up.
        if let Err(e) = self
            .accounts
            .post_confirmation(
                pool,
                &inserted,
                TriggerSource::PostConfirmationConfirmSignUp,
                caller,
            )
            .await
        {
            tracing::warn!(target: "userpool::federation", error = %e, "PostConfirmation failed after a federated sign-up");
        }
        Ok(inserted)
    }
}
