//! The pool user a provider identity signs in as: a linked native user (links win), else the
//! federated user `<ProviderName>_<subject>` — created on the first sign-in (status
//! `EXTERNAL_PROVIDER`, group `<poolId>_<ProviderName>`, PreSignUp with
//! `PreSignUp_ExternalProvider`, then PostConfirmation), its mapped attributes refreshed on
//! later ones. A first sign-in that lacks an attribute the pool's schema requires fails
//! (`attributes required: [...]`, to the app as `invalid_request`) before anything is written.

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

/// `attributes required: [name, email]` (in the schema's order) when the pool's schema
/// requires attributes the mapping did not supply; checked before PreSignUp, so nothing is
/// written. Cognito's text for one attribute is `attributes required: [email]`; the form for
/// several is assumed.
fn required_present(pool: &PoolConfig, user: &User) -> Result<()> {
    let absent: Vec<&str> = pool
        .schema
        .required()
        .map(|a| a.name.as_str())
        .filter(|name| user.attributes.get(*name).is_none_or(String::is_empty))
        .collect();
    if absent.is_empty() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidParameter,
            format!("attributes required: [{}]", absent.join(", ")),
        ))
    }
}

impl Federation {
    /// The user `claims` (from `provider`) sign in as.
    pub(crate) async fn federated_user(
        &self,
        pool: &PoolConfig,
        provider: &Provider,
        claims: &Map<String, Value>,
        issuer: Option<&str>,
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
        if let Some(link) = store.find_provider_link(&pool.id, name, &subject).await?
            && let Some(user) = store.get_user(&pool.id, &link.username).await?
        {
            return Ok(user);
        }
        let mapped = storable(pool, provider.mapping.apply(claims));
        let username = federated_username(name, &subject);
        let key = pool.case_rule.username_key(&username);
        if let Some(user) = store.get_user(&pool.id, &key).await? {
            return self.refresh_attributes(pool, user, mapped).await;
        }
        self.create_federated_user(
            pool,
            provider,
            (&subject, issuer),
            &username,
            mapped,
            caller,
        )
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
        (subject, issuer): (&str, Option<&str>),
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
        required_present(pool, &user)?;
        user.attributes.insert(
            "identities".into(),
            identities_attribute(&[Identity {
                user_id: subject.to_owned(),
                provider_name: provider.record.name.clone(),
                provider_type: provider.provider_type,
                issuer: issuer.map(str::to_owned),
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
                    .get_user(&pool.id, &pool.case_rule.username_key(username))
                    .await?
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
                    .await?
            }
            Err(e) => return Err(Error::from(e)),
        };
        let group = provider_group(pool.id.as_str(), &provider.record.name);
        if let Ok(g) = Group::new(&group, None, None, None, now) {
            match store.create_group(&pool.id, g).await {
                Ok(()) | Err(StoreError::GroupExists) => {}
                Err(e) => return Err(Error::from(e)),
            }
            store
                .add_to_group(&pool.id, &group, &pool.case_rule.username_key(username))
                .await?;
        }
        crate::audit!(operation = "FederatedSignUp", pool = %pool.id.as_str(), provider = %provider.record.name, sub = %inserted.sub);
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

#[cfg(test)]
mod tests {
    use user_pool_model::{AttributeDataType, Schema, SchemaAttribute, UserPoolId};

    use super::*;

    fn required(name: &str) -> SchemaAttribute {
        SchemaAttribute {
            name: name.into(),
            attribute_data_type: AttributeDataType::String,
            developer_only_attribute: false,
            mutable: true,
            required: true,
            number_attribute_constraints: None,
            string_attribute_constraints: None,
        }
    }

    #[test]
    fn required_attributes_are_named_in_the_schemas_order() {
        let mut pool =
            PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123").unwrap(), "p").unwrap();
        pool.schema = Schema::new(&[required("name"), required("email")]).unwrap();
        let mut user = User::new(
            "corp_a",
            Sub::from_bytes([1; 16]),
            UserStatus::ExternalProvider,
            0,
        );
        let message = |u: &User| required_present(&pool, u).map_err(|e| e.message().to_owned());
        assert_eq!(
            message(&user),
            Err("attributes required: [name, email]".to_owned())
        );
        user.attributes.insert("name".into(), "A".into());
        user.attributes.insert("email".into(), String::new());
        assert_eq!(
            message(&user),
            Err("attributes required: [email]".to_owned())
        );
        user.attributes
            .insert("email".into(), "a@example.com".into());
        assert_eq!(message(&user), Ok(()));
    }
}
