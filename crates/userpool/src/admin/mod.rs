//! The administration component: everything a pool is made of.

pub(crate) mod clients;
pub(crate) mod domains;
pub(crate) mod groups;
pub(crate) mod import_jobs;
pub(crate) mod import_worker;
pub(crate) mod pool_delivery;
pub(crate) mod pools;
pub(crate) mod resources;
pub(crate) mod ui;

use std::sync::Arc;

use crate::core::Core;

/// Administration: pools, app clients, groups and memberships, resource servers, user-import jobs, domains, UI customization.
pub struct Admin {
    core: Arc<Core>,
}

impl Admin {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Replaces pool `pool_id`'s signing keys (a userpool extension; Cognito rotates its own):
    /// new ID and access keys sign from now on; the keys they replace stay in the JWKS and
    /// keep verifying the tokens they signed for the longest token lifetime of the pool's
    /// clients plus [`crate::KEY_CACHE_SECONDS`], then are dropped. Every service sharing the
    /// store picks the new keys up within [`crate::KEY_CACHE_SECONDS`].
    ///
    /// `ResourceNotFoundException` for an unknown pool; `LimitExceededException` when the
    /// retired keys still live would make the JWKS longer than
    /// [`jwt_tokens::MAX_JWKS_KEYS`] (rotate again once older ones expired);
    /// `ConcurrentModificationException` if other rotations kept changing the keys.
    pub async fn rotate_signing_keys(
        &self,
        pool_id: &str,
    ) -> crate::Result<crate::SigningKeyRotation> {
        self.core.rotate_signing_keys(pool_id).await
    }
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin").finish_non_exhaustive()
    }
}
