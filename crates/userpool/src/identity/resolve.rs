//! Which identity a request is about: one identity per (pool, login), stable. Logins are
//! linked under their provider name and subject; several logins presented together are one
//! identity (linked implicitly, as Cognito does); a login already linked to another identity
//! is `ResourceConflictException`. Our own OpenID tokens (the developer flow's
//! `cognito-identity.amazonaws.com` login) are never linked: they prove the identity they
//! name.

use std::collections::BTreeSet;

use identity_pool_model::{
    IdentityId, IdentityPool, IdentityPoolId, LoginKey, Principal, Provider,
};
use userpool_store::{IdentityRecord, StoreError};

use super::error::{IdentityError, IdentityErrorKind, IdentityResult};
use super::service::IdentityService;

/// Most logins linked to one identity ("The number of linked logins is limited to 20",
/// MergeDeveloperIdentities).
pub const MAX_LINKED_LOGINS: usize = 20;

/// How many times a lost race (a login linked meanwhile) is looked at again.
const ATTEMPTS: usize = 4;

/// Whether a request may link new logins to an identity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Linking {
    /// Public operations: one of the logins presented must already be the identity's (a
    /// guest identity takes any).
    Proven,
    /// GetOpenIdTokenForDeveloperIdentity, signed by the developer's backend: new logins may
    /// be linked to any identity of the pool.
    Trusted,
}

/// The login keys a principal is linked under, and the identities our own tokens name.
fn keys_of(principal: &Principal) -> (Vec<LoginKey>, BTreeSet<String>) {
    let mut keys = Vec::new();
    let mut proven = BTreeSet::new();
    for login in principal.logins() {
        match login.provider() {
            Provider::CognitoIdentity(_) => {
                proven.insert(login.subject().to_owned());
            }
            _ => keys.push(login.key()),
        }
    }
    (keys, proven)
}

fn logins_mismatch() -> IdentityError {
    identity_pool_model::Error::LoginsMismatch.into()
}

fn too_many_logins() -> IdentityError {
    IdentityError::new(
        IdentityErrorKind::LimitExceeded,
        format!("The number of linked logins is limited to {MAX_LINKED_LOGINS}."),
    )
}

/// The developer login among `keys`, if any.
fn developer_key<'a>(pool: &IdentityPool, keys: &'a [LoginKey]) -> Option<&'a LoginKey> {
    let dev = pool.developer_provider_name.as_deref()?;
    keys.iter().find(|k| k.provider == dev)
}

impl IdentityService {
    /// An identity by its wire id: `InvalidParameterException` if malformed,
    /// `ResourceNotFoundException` if unknown.
    pub(crate) async fn named_identity(&self, id: &str) -> IdentityResult<IdentityRecord> {
        if id.is_empty() {
            return Err(IdentityError::missing("identityId"));
        }
        let parsed = IdentityId::parse(id)?;
        self.store()
            .get_identity(&parsed)
            .await
            .map_err(|e| IdentityError::from_store(&e))?
            .ok_or_else(|| IdentityError::identity_not_found(id))
    }

    /// Whether `principal` proves `identity`: one of its logins is linked to it, or one of our
    /// own tokens names it.
    pub(crate) async fn proves(
        &self,
        pool: &IdentityPool,
        identity: &IdentityRecord,
        principal: &Principal,
    ) -> IdentityResult<bool> {
        let (keys, proven) = keys_of(principal);
        if proven.contains(identity.identity_id.as_str()) {
            return Ok(true);
        }
        let owners = self.owners(&pool.identity_pool_id, &keys).await?;
        Ok(owners
            .iter()
            .flatten()
            .any(|o| o.identity_id == identity.identity_id))
    }

    /// A new identity with `keys` (none: a guest).
    async fn create_identity(
        &self,
        pool: &IdentityPoolId,
        keys: &[LoginKey],
        now: i64,
    ) -> Result<IdentityRecord, StoreError> {
        let id = self
            .inner
            .entropy
            .with(|rng| IdentityId::generate(pool.region(), rng))
            .map_err(|_| StoreError::Backend("no randomness".into()))?
            .map_err(|_| StoreError::Backend("bad region".into()))?;
        let record = IdentityRecord {
            identity_id: id,
            identity_pool_id: pool.clone(),
            logins: keys.to_vec(),
            created: now,
            last_modified: now,
            disabled: false,
        };
        self.store().create_identity(record.clone()).await?;
        crate::audit!(operation = "CreateIdentity", pool = %pool, identity = %record.identity_id, logins = keys.len(), "identity created");
        Ok(record)
    }

    /// The identities `keys` are linked to, by key.
    async fn owners(
        &self,
        pool: &IdentityPoolId,
        keys: &[LoginKey],
    ) -> IdentityResult<Vec<Option<IdentityRecord>>> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.push(
                self.store()
                    .find_identity_by_login(pool, key)
                    .await
                    .map_err(|e| IdentityError::from_store(&e))?,
            );
        }
        Ok(out)
    }

    /// A login linked elsewhere: `DeveloperUserAlreadyRegisteredException` when it is the
    /// developer's user, `ResourceConflictException` otherwise.
    fn conflict(
        pool: &IdentityPool,
        keys: &[LoginKey],
        owners: &[Option<IdentityRecord>],
        me: Option<&IdentityId>,
    ) -> IdentityError {
        let dev = developer_key(pool, keys);
        let dev_elsewhere = keys
            .iter()
            .zip(owners)
            .any(|(k, o)| Some(k) == dev && o.as_ref().is_some_and(|o| Some(&o.identity_id) != me));
        if dev_elsewhere {
            IdentityError::new(
                IdentityErrorKind::DeveloperUserAlreadyRegistered,
                "This developer user identifier is already registered with Cognito.",
            )
        } else {
            IdentityError::login_linked()
        }
    }

    /// GetId (and the developer flow without `IdentityId`): the identity the logins are
    /// linked to — linking those not yet linked — or a new one; a new guest identity for no
    /// logins. Concurrent calls for one new login agree on one identity.
    pub(crate) async fn find_or_create(
        &self,
        pool: &IdentityPool,
        principal: &Principal,
        now: i64,
    ) -> IdentityResult<IdentityRecord> {
        let (keys, proven) = keys_of(principal);
        if let Some(id) = proven.first() {
            let named = self.named_identity(id).await?;
            if named.identity_pool_id != pool.identity_pool_id {
                return Err(logins_mismatch());
            }
            return self
                .resolve_named(pool, named, principal, Linking::Proven, now)
                .await;
        }
        let pool_id = &pool.identity_pool_id;
        if keys.is_empty() {
            return self
                .create_identity(pool_id, &[], now)
                .await
                .map_err(|e| IdentityError::from_store(&e));
        }
        if keys.len() > MAX_LINKED_LOGINS {
            return Err(too_many_logins());
        }
        for _ in 0..ATTEMPTS {
            let owners = self.owners(pool_id, &keys).await?;
            let distinct: BTreeSet<&str> = owners
                .iter()
                .flatten()
                .map(|o| o.identity_id.as_str())
                .collect();
            let outcome = match (distinct.len(), owners.iter().flatten().next()) {
                (0, _) => self.create_identity(pool_id, &keys, now).await,
                (1, Some(owner)) => {
                    let unlinked = unlinked(&keys, &owners);
                    if unlinked.is_empty() {
                        return Ok(owner.clone());
                    }
                    if owner.logins.len() + unlinked.len() > MAX_LINKED_LOGINS {
                        return Err(too_many_logins());
                    }
                    self.store()
                        .link_logins(&owner.identity_id, &unlinked, now)
                        .await
                }
                _ => return Err(Self::conflict(pool, &keys, &owners, None)),
            };
            match outcome {
                Ok(identity) => return Ok(identity),
                // Another request linked one of the logins meanwhile: look again.
                Err(StoreError::LoginLinked | StoreError::IdentityNotFound) => continue,
                Err(e) => return Err(IdentityError::from_store(&e)),
            }
        }
        Err(IdentityError::new(
            IdentityErrorKind::ConcurrentModification,
            "The logins were linked by concurrent requests; retry.",
        ))
    }

    /// An operation naming `identity` with `principal`'s logins: the identity itself (its new
    /// logins linked), or — for a guest identity whose logins belong to another identity — that
    /// identity (GetOpenIdToken: "the IdentityId returned may not match the one passed on
    /// input").
    pub(crate) async fn resolve_named(
        &self,
        pool: &IdentityPool,
        identity: IdentityRecord,
        principal: &Principal,
        linking: Linking,
        now: i64,
    ) -> IdentityResult<IdentityRecord> {
        let id = identity.identity_id.clone();
        if identity.disabled {
            return Err(IdentityError::forbidden(id.as_str()));
        }
        let (keys, proven) = keys_of(principal);
        if proven.iter().any(|p| p != id.as_str()) {
            return Err(logins_mismatch());
        }
        if !principal.is_authenticated() {
            return if identity.logins.is_empty() {
                Ok(identity)
            } else {
                Err(IdentityError::forbidden(id.as_str()))
            };
        }
        let pool_id = &pool.identity_pool_id;
        let owners = self.owners(pool_id, &keys).await?;
        let elsewhere: BTreeSet<&IdentityId> = owners
            .iter()
            .flatten()
            .map(|o| &o.identity_id)
            .filter(|o| **o != id)
            .collect();
        if !elsewhere.is_empty() {
            let guest = identity.logins.is_empty() && proven.is_empty();
            if guest && linking == Linking::Proven && elsewhere.len() == 1 {
                // A guest signing in to an account that has its identity already.
                return Box::pin(self.find_or_create(pool, principal, now)).await;
            }
            return Err(Self::conflict(pool, &keys, &owners, Some(&id)));
        }
        let unlinked = unlinked(&keys, &owners);
        let known = keys.len() - unlinked.len();
        if linking == Linking::Proven
            && proven.is_empty()
            && known == 0
            && !identity.logins.is_empty()
        {
            return Err(logins_mismatch());
        }
        if unlinked.is_empty() {
            return Ok(identity);
        }
        if identity.logins.len() + unlinked.len() > MAX_LINKED_LOGINS {
            return Err(too_many_logins());
        }
        self.store()
            .link_logins(&id, &unlinked, now)
            .await
            .map_err(|e| match e {
                StoreError::LoginLinked => Self::conflict(pool, &keys, &owners, Some(&id)),
                other => IdentityError::from_store(&other),
            })
    }
}

/// The keys no identity has yet.
fn unlinked(keys: &[LoginKey], owners: &[Option<IdentityRecord>]) -> Vec<LoginKey> {
    keys.iter()
        .zip(owners)
        .filter(|(_, o)| o.is_none())
        .map(|(k, _)| k.clone())
        .collect()
}
