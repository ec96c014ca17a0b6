//! AdminLinkProviderForUser and AdminDisableProviderForUser.

use userpool_federation::{
    COGNITO_PROVIDER, COGNITO_SUBJECT, Identity, add_identity, federated_username, remove_identity,
};
use userpool_store::{ProviderLink, StoreError};

use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::federation::Federation;
use crate::wire::*;

/// The most provider identities linked to one user (Cognito's documented limit).
pub const MAX_LINKS_PER_USER: usize = 5;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidParameter, message)
}

/// The provider user a `ProviderUserIdentifier` names: provider and subject. Only
/// `Cognito_Subject` is supported as the attribute (links by other mapped attributes are not).
fn source(user: &ProviderUserIdentifier, member: &str) -> Result<(String, String)> {
    let provider = user
        .provider_name
        .clone()
        .ok_or_else(|| missing(&format!("{member}.providerName")))?;
    if provider == COGNITO_PROVIDER {
        return Err(invalid(format!(
            "{member} must name an external identity provider."
        )));
    }
    match user.provider_attribute_name.as_deref() {
        Some(COGNITO_SUBJECT) => {}
        Some(_) => {
            return Err(invalid(format!(
                "Only {COGNITO_SUBJECT} is supported as the ProviderAttributeName."
            )));
        }
        None => return Err(missing(&format!("{member}.providerAttributeName"))),
    }
    let value = user
        .provider_attribute_value
        .clone()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(&format!("{member}.providerAttributeValue")))?;
    Ok((provider, value))
}

impl Federation {
    /// AdminLinkProviderForUser: the provider user signs in as the destination (native) user
    /// from now on; the link shows in the user's `identities`.
    pub async fn admin_link_provider_for_user(
        &self,
        req: AdminLinkProviderForUserRequest,
    ) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        if req.destination_user.provider_name.as_deref() != Some(COGNITO_PROVIDER) {
            return Err(invalid("DestinationUser.ProviderName must be Cognito."));
        }
        let username = req
            .destination_user
            .provider_attribute_value
            .clone()
            .ok_or_else(|| missing("destinationUser.providerAttributeValue"))?;
        let (provider_name, value) = source(&req.source_user, "SourceUser")?;
        let provider = self.core.provider(&pool, &provider_name).await?;
        let mut user = self.core.require_user(&pool, &username).await?;
        if user.status == user_pool_model::UserStatus::ExternalProvider {
            return Err(invalid(
                "The destination user must be a native user of the pool.",
            ));
        }
        let key = pool.case_rule.username_key(&user.username);
        let store = self.core.store();
        let links = store.provider_links_of(&pool.id, &key).await?;
        if links.len() >= MAX_LINKS_PER_USER {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "The user has the most linked identities allowed.",
            ));
        }
        // (?) A provider user who signed in already has a user of their own; Cognito refuses
        // to link them (the federated user would have to be deleted first).
        let federated = pool
            .case_rule
            .username_key(&federated_username(&provider_name, &value));
        if store.get_user(&pool.id, &federated).await?.is_some() {
            return Err(Error::new(
                ErrorKind::AliasExists,
                "An account with the given provider user already exists.",
            ));
        }
        let now = self.core.now();
        store
            .link_provider_user(
                &pool.id,
                ProviderLink {
                    provider_name: provider_name.clone(),
                    attribute_name: COGNITO_SUBJECT.to_owned(),
                    attribute_value: value.clone(),
                    username: key,
                    created: now,
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::ProviderLinkExists => Error::new(
                    ErrorKind::AliasExists,
                    "The provider user is already linked to a user.",
                ),
                other => Error::from(other),
            })?;
        // A SAML identity's issuer is its IdP's entity id (from the metadata; `null` if the
        // metadata cannot be read now).
        let issuer = if provider.provider_type == userpool_federation::ProviderType::Saml {
            self.idp_metadata(&provider, self.core.now())
                .await
                .ok()
                .map(|m| m.entity_id.clone())
        } else {
            None
        };
        let identities = add_identity(
            user.attributes.get("identities").map(String::as_str),
            &Identity {
                user_id: value,
                provider_name: provider_name.clone(),
                provider_type: provider.provider_type,
                issuer,
                primary: false,
                date_created_ms: now.saturating_mul(1000),
            },
        );
        user.attributes.insert("identities".into(), identities);
        self.core.save_user(&pool, user).await?;
        crate::audit!(operation = "AdminLinkProviderForUser", pool = %pool.id.as_str(), provider = %provider_name);
        Ok(Empty {})
    }

    /// AdminDisableProviderForUser: removes the provider user's link (and its `identities`
    /// entry), or disables the federated user it signed in as.
    pub async fn admin_disable_provider_for_user(
        &self,
        req: AdminDisableProviderForUserRequest,
    ) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let (provider_name, value) = source(&req.user, "User")?;
        let store = self.core.store();
        if let Some(link) = store
            .find_provider_link(&pool.id, &provider_name, &value)
            .await?
        {
            store
                .unlink_provider_user(&pool.id, &provider_name, &value)
                .await?;
            if let Some(mut user) = store.get_user(&pool.id, &link.username).await? {
                match user
                    .attributes
                    .get("identities")
                    .map(|c| remove_identity(c, &provider_name, &value))
                {
                    Some(Some(rest)) => {
                        user.attributes.insert("identities".into(), rest);
                    }
                    Some(None) => {
                        user.attributes.remove("identities");
                    }
                    None => {}
                }
                self.core.save_user(&pool, user).await?;
            }
        } else {
            let key = pool
                .case_rule
                .username_key(&federated_username(&provider_name, &value));
            let mut user = store
                .get_user(&pool.id, &key)
                .await?
                .ok_or_else(|| Error::new(ErrorKind::UserNotFound, "User does not exist."))?;
            user.enabled = false;
            user.session_epoch = user.session_epoch.saturating_add(1);
            self.core.save_user(&pool, user).await?;
            store.revoke_user_families(&pool.id, &key).await?;
        }
        crate::audit!(operation = "AdminDisableProviderForUser", pool = %pool.id.as_str(), provider = %provider_name);
        Ok(Empty {})
    }
}
