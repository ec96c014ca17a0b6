//! One sign-in request's fixed context: pool, client, caller, origin and what screening
//! decided.

use std::collections::BTreeMap;

use auth_flow_state_machine::{Failures, FlowError};
use user_pool_model::{AppClient, PoolConfig};

use super::risk;
use crate::error::Error;
use crate::hooks::Caller;
use crate::threat::engine::Origin;

/// One sign-in request's fixed context.
pub(crate) struct SignInContext<'a> {
    pub(crate) pool: PoolConfig,
    pub(crate) client: AppClient,
    pub(crate) admin: bool,
    /// The hosted UI's sign-in: it ends in the sign-in cookie, not in API tokens.
    pub(crate) hosted: bool,
    pub(crate) metadata: &'a BTreeMap<String, String>,
    /// An unknown user hidden by PreventUserExistenceErrors: where their failures count.
    pub(crate) unknown: Option<UnknownUser>,
    /// Where the attempt came from (threat protection).
    pub(crate) origin: Origin,
    /// Threat protection demands a second factor.
    pub(crate) require_mfa: bool,
    /// Threat protection's decision for this attempt (`None`: off).
    pub(crate) screened: Option<risk::Screened>,
    /// The password is in the breached list under `BLOCK`: a correct one ends in a reset.
    pub(crate) reset_if_correct: bool,
    /// The pool's passkey relying party for this client (pools that allow `WEB_AUTHN`).
    pub(crate) relying_party: Option<webauthn_rp::RelyingParty>,
    /// The answered session's replay marker, when it is spent with the tokens this step
    /// issues (in one store write) rather than before.
    pub(crate) spends_session: Option<[u8; 32]>,
}

/// What an unknown user typed, under PreventUserExistenceErrors `ENABLED`: the lockout key
/// their failed attempts are counted under (bounded: purged like session counters once the
/// lockout policy has forgotten them) and the failures so far. A phantom thereby locks out
/// after exactly the failures a real user does.
pub(crate) struct UnknownUser {
    pub(super) key: String,
    pub(super) failures: Failures,
}

/// The lockout keys of unknown users' failures start with this (purged by
/// [`Service::purge_expired`]).
pub(crate) const UNKNOWN_FAILURE_PREFIX: &str = "\u{1}unknown/";

impl<'a> SignInContext<'a> {
    /// An API sign-in (`admin` for the Admin* operations).
    pub(crate) fn new(
        pool: PoolConfig,
        client: AppClient,
        admin: bool,
        metadata: &'a BTreeMap<String, String>,
    ) -> Self {
        Self {
            pool,
            client,
            admin,
            hosted: false,
            metadata,
            unknown: None,
            origin: Origin::default(),
            require_mfa: false,
            screened: None,
            reset_if_correct: false,
            relying_party: None,
            spends_session: None,
        }
    }

    /// The same, from `origin`.
    pub(crate) fn from(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }
}

/// No `ClientMetadata` (the sign-ins that have none: MFA setup by session, the hosted UI).
pub(crate) static NO_METADATA: BTreeMap<String, String> = BTreeMap::new();

impl SignInContext<'static> {
    /// The hosted UI's sign-in for `client` of `pool`: the admin password flow, ending in the
    /// sign-in cookie.
    pub(crate) fn hosted(pool: &PoolConfig, client: &AppClient) -> Self {
        Self {
            pool: pool.clone(),
            client: client.clone(),
            admin: true,
            hosted: true,
            metadata: &NO_METADATA,
            unknown: None,
            origin: Origin::admin(None),
            require_mfa: false,
            screened: None,
            reset_if_correct: false,
            relying_party: None,
            spends_session: None,
        }
    }
}

impl SignInContext<'_> {
    pub(crate) fn caller(&self) -> Caller<'_> {
        Caller {
            client_id: self.client.id.as_str(),
            metadata: Some(self.metadata),
        }
    }

    pub(crate) fn flow_error(&self, e: &FlowError) -> Error {
        Error::from_flow(e, self.client.prevent_user_existence_errors)
    }
}
