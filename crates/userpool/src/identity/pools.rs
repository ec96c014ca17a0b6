//! Identity pools and their roles: Create/Describe/Update/Delete/ListIdentityPools,
//! Set/GetIdentityPoolRoles (SigV4-signed on Cognito).

use std::collections::BTreeMap;

use identity_pool_model::{
    CognitoIdentityProvider, IdentityPool, IdentityPoolId, IdentityPoolRoles, OidcProviderArn,
    RoleMapping, RoleMappings, SamlProviderArn,
};
use userpool_store::{IdentityPoolRecord, StoreError};

use super::error::{IdentityError, IdentityResult};
use super::service::IdentityService;
use super::wire::*;

/// Most items one listing page returns (`QueryLimit`, 1..=60).
pub const MAX_QUERY_LIMIT: usize = 60;

/// `MaxResults` (`QueryLimit`: 1..=60), required or not.
pub(crate) fn query_limit(value: Option<i64>, required: bool) -> IdentityResult<usize> {
    let Some(n) = value else {
        return if required {
            Err(IdentityError::missing("maxResults"))
        } else {
            Ok(MAX_QUERY_LIMIT)
        };
    };
    let constraint = if n < 1 {
        "Member must have value greater than or equal to 1"
    } else if n > 60 {
        "Member must have value less than or equal to 60"
    } else {
        return usize::try_from(n).map_err(|_| IdentityError::internal());
    };
    Err(IdentityError::invalid(format!(
        "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: {constraint}"
    )))
}

/// An identity pool id from a request (required).
pub(crate) fn pool_id(id: &str) -> IdentityResult<IdentityPoolId> {
    if id.is_empty() {
        return Err(IdentityError::missing("identityPoolId"));
    }
    Ok(IdentityPoolId::parse(id)?)
}

impl IdentityService {
    /// A pool with its roles; `ResourceNotFoundException: IdentityPool '<id>' not found.`
    pub(crate) async fn pool_record(
        &self,
        id: &IdentityPoolId,
    ) -> IdentityResult<IdentityPoolRecord> {
        self.store()
            .get_identity_pool(id)
            .await
            .map_err(|e| match e {
                StoreError::IdentityPoolNotFound => IdentityError::pool_not_found(id.as_str()),
                other => IdentityError::from_store(&other),
            })
    }

    /// The pool a request describes, validated.
    fn pool_from(
        &self,
        req: IdentityPoolRequest,
        id: IdentityPoolId,
        kept_tags: Option<BTreeMap<String, String>>,
    ) -> IdentityResult<IdentityPool> {
        if req.identity_pool_name.is_empty() {
            return Err(IdentityError::missing("identityPoolName"));
        }
        let allow = req
            .allow_unauthenticated_identities
            .ok_or_else(|| IdentityError::missing("allowUnauthenticatedIdentities"))?;
        let mut pool = IdentityPool::new(id, &req.identity_pool_name, allow)?;
        pool.allow_classic_flow = req.allow_classic_flow.unwrap_or(false);
        pool.supported_login_providers = req.supported_login_providers;
        pool.developer_provider_name = req.developer_provider_name;
        pool.open_id_connect_provider_arns = req
            .open_id_connect_provider_arns
            .iter()
            .map(|a| OidcProviderArn::parse(a))
            .collect::<Result<_, _>>()?;
        pool.saml_provider_arns = req
            .saml_provider_arns
            .iter()
            .map(|a| SamlProviderArn::parse(a))
            .collect::<Result<_, _>>()?;
        pool.cognito_identity_providers = req
            .cognito_identity_providers
            .into_iter()
            .map(|p| CognitoIdentityProvider {
                provider_name: p.provider_name,
                client_id: p.client_id,
                server_side_token_check: p.server_side_token_check.unwrap_or(false),
            })
            .collect();
        pool.identity_pool_tags = req.identity_pool_tags.or(kept_tags).unwrap_or_default();
        pool.validate(&self.inner.settings)?;
        Ok(pool)
    }

    /// CreateIdentityPool.
    pub async fn create_identity_pool(
        &self,
        req: IdentityPoolRequest,
    ) -> IdentityResult<IdentityPoolResponse> {
        let region = &self.inner.region;
        let id = self
            .inner
            .entropy
            .with(|rng| IdentityPoolId::generate(region, rng))
            .map_err(|_| IdentityError::internal())??;
        let pool = self.pool_from(req, id, None)?;
        self.store()
            .create_identity_pool(pool.clone())
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        crate::audit!(operation = "CreateIdentityPool", pool = %pool.identity_pool_id);
        Ok(pool)
    }

    /// DescribeIdentityPool.
    pub async fn describe_identity_pool(
        &self,
        req: IdentityPoolIdRequest,
    ) -> IdentityResult<IdentityPoolResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        Ok(self.pool_record(&id).await?.pool)
    }

    /// UpdateIdentityPool: the whole configuration is replaced (tags only when given); a
    /// developer provider name, once set, never changes.
    pub async fn update_identity_pool(
        &self,
        req: IdentityPoolRequest,
    ) -> IdentityResult<IdentityPoolResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let existing = self.pool_record(&id).await?.pool;
        let next = self.pool_from(req, id, Some(existing.identity_pool_tags.clone()))?;
        existing.check_update(&next)?;
        self.store()
            .put_identity_pool(next.clone())
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        crate::audit!(operation = "UpdateIdentityPool", pool = %next.identity_pool_id);
        Ok(next)
    }

    /// DeleteIdentityPool: the pool, its identities and their logins.
    pub async fn delete_identity_pool(
        &self,
        req: IdentityPoolIdRequest,
    ) -> IdentityResult<IdentityEmpty> {
        let id = pool_id(&req.identity_pool_id)?;
        self.store()
            .delete_identity_pool(&id)
            .await
            .map_err(|e| match e {
                StoreError::IdentityPoolNotFound => IdentityError::pool_not_found(id.as_str()),
                other => IdentityError::from_store(&other),
            })?;
        crate::audit!(operation = "DeleteIdentityPool", pool = %id);
        Ok(IdentityEmpty {})
    }

    /// ListIdentityPools.
    pub async fn list_identity_pools(
        &self,
        req: ListIdentityPoolsRequest,
    ) -> IdentityResult<ListIdentityPoolsResponse> {
        let limit = query_limit(req.max_results, true)?;
        let page = self
            .store()
            .list_identity_pools(limit, req.next_token.as_deref())
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        Ok(ListIdentityPoolsResponse {
            identity_pools: page
                .items
                .into_iter()
                .map(|p| IdentityPoolShortDescription {
                    identity_pool_id: p.identity_pool_id.to_string(),
                    identity_pool_name: p.identity_pool_name,
                })
                .collect(),
            next_token: page.next,
        })
    }

    /// SetIdentityPoolRoles: the default roles and the role mappings (each key one of the
    /// pool's providers, `<user pool provider>:<client id>` included).
    pub async fn set_identity_pool_roles(
        &self,
        req: SetIdentityPoolRolesRequest,
    ) -> IdentityResult<IdentityEmpty> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let roles = req.roles.ok_or_else(|| IdentityError::missing("roles"))?;
        let roles = IdentityPoolRoles::parse(roles.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        let mappings = req
            .role_mappings
            .into_iter()
            .map(|(key, value)| {
                serde_json::from_value::<RoleMapping>(value)
                    .map(|m| (key, m))
                    .map_err(|e| IdentityError::invalid(e.to_string()))
            })
            .collect::<IdentityResult<Vec<_>>>()?;
        let mappings = RoleMappings::new(mappings)?;
        mappings.validate_for(&record.pool, &self.inner.settings)?;
        self.store()
            .set_identity_pool_roles(&id, roles, mappings)
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        crate::audit!(operation = "SetIdentityPoolRoles", pool = %id);
        Ok(IdentityEmpty {})
    }

    /// GetIdentityPoolRoles.
    pub async fn get_identity_pool_roles(
        &self,
        req: IdentityPoolIdRequest,
    ) -> IdentityResult<GetIdentityPoolRolesResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let roles = [
            ("authenticated", record.roles.authenticated),
            ("unauthenticated", record.roles.unauthenticated),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|arn| (k.to_owned(), arn.to_string())))
        .collect();
        Ok(GetIdentityPoolRolesResponse {
            identity_pool_id: id.to_string(),
            roles,
            role_mappings: record.role_mappings,
        })
    }
}
