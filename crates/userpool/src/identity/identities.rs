//! Identities: GetId (public) and the signed administration of identities — DescribeIdentity,
//! ListIdentities, DeleteIdentities, LookupDeveloperIdentity, UnlinkDeveloperIdentity — and
//! UnlinkIdentity (public, proven by the identity's own logins).

use identity_pool_model::{IdentityId, IdentityPool, LoginKey};
use userpool_store::paging::{cursor, page, page_size};
use userpool_store::{IdentityRecord, StoreError};

use super::error::{IdentityError, IdentityErrorKind, IdentityResult};
use super::logins::LoginsKind;
use super::pools::{pool_id, query_limit};
use super::service::IdentityService;
use super::wire::*;

fn describe(identity: &IdentityRecord) -> IdentityDescription {
    let mut logins: Vec<String> = identity.logins.iter().map(|l| l.provider.clone()).collect();
    logins.dedup();
    IdentityDescription {
        identity_id: identity.identity_id.to_string(),
        logins,
        creation_date: identity.created,
        last_modified_date: identity.last_modified,
    }
}

/// The pool's developer provider name.
fn developer_provider(pool: &IdentityPool) -> IdentityResult<&str> {
    pool.developer_provider_name
        .as_deref()
        .ok_or_else(|| IdentityError::invalid("The identity pool has no developer provider."))
}

impl IdentityService {
    /// GetId: the identity the logins are linked to (created the first time), or a new guest
    /// identity without logins when the pool allows guests.
    pub async fn get_id(&self, req: GetIdRequest) -> IdentityResult<IdentityIdResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let logins = self.parse_logins(req.logins.as_ref())?;
        let now = self.now();
        let principal = self
            .authenticate(&record.pool, &logins, LoginsKind::Tokens, now)
            .await?;
        let identity = self.find_or_create(&record.pool, &principal, now).await?;
        crate::audit!(operation = "GetId", pool = %id, identity = %identity.identity_id, authenticated = principal.is_authenticated());
        Ok(IdentityIdResponse {
            identity_id: identity.identity_id.to_string(),
        })
    }

    /// DescribeIdentity.
    pub async fn describe_identity(
        &self,
        req: IdentityIdRequest,
    ) -> IdentityResult<IdentityDescription> {
        Ok(describe(&self.named_identity(&req.identity_id).await?))
    }

    /// ListIdentities.
    pub async fn list_identities(
        &self,
        req: ListIdentitiesRequest,
    ) -> IdentityResult<ListIdentitiesResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let limit = query_limit(req.max_results, true)?;
        let listed = self
            .store()
            .list_identities(
                &id,
                req.hide_disabled.unwrap_or(false),
                limit,
                req.next_token.as_deref(),
            )
            .await
            .map_err(|e| match e {
                StoreError::IdentityPoolNotFound => IdentityError::pool_not_found(id.as_str()),
                other => IdentityError::from_store(&other),
            })?;
        Ok(ListIdentitiesResponse {
            identity_pool_id: id.to_string(),
            identities: listed.items.iter().map(describe).collect(),
            next_token: listed.next,
        })
    }

    /// DeleteIdentities: 1..=60 identities; unknown ones are nothing to delete, store
    /// failures come back as `InternalServerError` entries.
    pub async fn delete_identities(
        &self,
        req: DeleteIdentitiesRequest,
    ) -> IdentityResult<DeleteIdentitiesResponse> {
        let n = req.identity_ids_to_delete.len();
        if !(1..=60).contains(&n) {
            let constraint = if n == 0 {
                "Member must have length greater than or equal to 1"
            } else {
                "Member must have length less than or equal to 60"
            };
            return Err(IdentityError::invalid(format!(
                "1 validation error detected: Value at 'identityIdsToDelete' failed to satisfy constraint: {constraint}"
            )));
        }
        let ids = req
            .identity_ids_to_delete
            .iter()
            .map(|id| IdentityId::parse(id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut unprocessed = Vec::new();
        for id in ids {
            match self.store().delete_identity(&id).await {
                Ok(()) => {
                    crate::audit!(operation = "DeleteIdentities", identity = %id);
                }
                Err(StoreError::IdentityNotFound) => {}
                Err(e) => {
                    let _ = IdentityError::from_store(&e);
                    unprocessed.push(UnprocessedIdentityId {
                        identity_id: id.to_string(),
                        error_code: "InternalServerError".into(),
                    });
                }
            }
        }
        Ok(DeleteIdentitiesResponse {
            unprocessed_identity_ids: unprocessed,
        })
    }

    /// UnlinkIdentity: removes the logins of the providers in `LoginsToRemove` from an
    /// identity whose own logins are presented; losing its last login disables it.
    pub async fn unlink_identity(
        &self,
        req: UnlinkIdentityRequest,
    ) -> IdentityResult<IdentityEmpty> {
        let identity = self.named_identity(&req.identity_id).await?;
        let record = self.pool_record(&identity.identity_pool_id).await?;
        let remove = req
            .logins_to_remove
            .ok_or_else(|| IdentityError::missing("loginsToRemove"))?;
        let logins = self.parse_logins(req.logins.as_ref())?;
        if logins.is_empty() {
            return Err(IdentityError::forbidden(identity.identity_id.as_str()));
        }
        let now = self.now();
        let principal = self
            .authenticate(&record.pool, &logins, LoginsKind::Tokens, now)
            .await?;
        // The logins must prove the identity; nothing is linked here.
        if identity.disabled {
            return Err(IdentityError::forbidden(identity.identity_id.as_str()));
        }
        if !self.proves(&record.pool, &identity, &principal).await? {
            return Err(identity_pool_model::Error::LoginsMismatch.into());
        }
        let developer = record.pool.developer_provider_name.as_deref();
        if remove.iter().any(|p| Some(p.as_str()) == developer) {
            return Err(IdentityError::invalid(
                "Developer identities are unlinked with UnlinkDeveloperIdentity.",
            ));
        }
        let keys: Vec<LoginKey> = identity
            .logins
            .iter()
            .filter(|l| remove.contains(&l.provider))
            .cloned()
            .collect();
        self.store()
            .unlink_logins(&identity.identity_id, &keys, now)
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        crate::audit!(operation = "UnlinkIdentity", identity = %identity.identity_id, removed = keys.len());
        Ok(IdentityEmpty {})
    }

    /// UnlinkDeveloperIdentity.
    pub async fn unlink_developer_identity(
        &self,
        req: UnlinkDeveloperIdentityRequest,
    ) -> IdentityResult<IdentityEmpty> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let identity = self.named_identity(&req.identity_id).await?;
        if identity.identity_pool_id != id {
            return Err(IdentityError::identity_not_found(&req.identity_id));
        }
        if developer_provider(&record.pool)? != req.developer_provider_name {
            return Err(IdentityError::invalid(
                "The developer provider name is not the identity pool's.",
            ));
        }
        let key = LoginKey {
            provider: req.developer_provider_name,
            subject: req.developer_user_identifier,
        };
        if !identity.logins.contains(&key) {
            return Err(IdentityError::new(
                IdentityErrorKind::ResourceConflict,
                "The developer user identifier is not linked to this identity.",
            ));
        }
        self.store()
            .unlink_logins(&identity.identity_id, &[key], self.now())
            .await
            .map_err(|e| IdentityError::from_store(&e))?;
        crate::audit!(operation = "UnlinkDeveloperIdentity", identity = %identity.identity_id);
        Ok(IdentityEmpty {})
    }

    /// LookupDeveloperIdentity: the identity of a developer user identifier, or the developer
    /// user identifiers of an identity; both given, they must agree
    /// (`ResourceConflictException` otherwise).
    pub async fn lookup_developer_identity(
        &self,
        req: LookupDeveloperIdentityRequest,
    ) -> IdentityResult<LookupDeveloperIdentityResponse> {
        let id = pool_id(&req.identity_pool_id)?;
        let record = self.pool_record(&id).await?;
        let provider = developer_provider(&record.pool)?;
        let size = page_size(query_limit(req.max_results, false)?);
        let by_user = match req.developer_user_identifier.as_deref() {
            Some(user) => Some(
                self.store()
                    .find_identity_by_login(
                        &id,
                        &LoginKey {
                            provider: provider.to_owned(),
                            subject: user.to_owned(),
                        },
                    )
                    .await
                    .map_err(|e| IdentityError::from_store(&e))?
                    .ok_or_else(|| {
                        IdentityError::new(
                            IdentityErrorKind::ResourceNotFound,
                            "The developer user identifier is not registered.",
                        )
                    })?,
            ),
            None => None,
        };
        let identity = match (req.identity_id.as_deref(), by_user) {
            (Some(named), Some(found)) if found.identity_id.as_str() != named => {
                return Err(IdentityError::new(
                    IdentityErrorKind::ResourceConflict,
                    "The developer user identifier is not linked to this identity.",
                ));
            }
            (_, Some(found)) => found,
            (Some(named), None) => {
                let identity = self.named_identity(named).await?;
                if identity.identity_pool_id != id {
                    return Err(IdentityError::identity_not_found(named));
                }
                identity
            }
            (None, None) => {
                return Err(IdentityError::invalid(
                    "Either IdentityId or DeveloperUserIdentifier must be given.",
                ));
            }
        };
        let after: Option<String> =
            cursor(req.next_token.as_deref()).map_err(|e| IdentityError::from_store(&e))?;
        let rows = identity
            .logins
            .iter()
            .filter(|l| l.provider == provider)
            .filter(|l| after.as_ref().is_none_or(|a| l.subject > *a))
            .take(size + 1)
            .map(|l| (l.subject.clone(), l.subject.clone()));
        let listed = page(rows, size);
        Ok(LookupDeveloperIdentityResponse {
            identity_id: identity.identity_id.to_string(),
            developer_user_identifier_list: listed.items,
            next_token: listed.next,
        })
    }
}
