//! The federation component: external OpenID Connect and social identity providers of a pool
//! (CreateIdentityProvider and friends), provider-user links (AdminLinkProviderForUser,
//! AdminDisableProviderForUser) and the hosted sign-in through a provider
//! (`/oauth2/authorize?identity_provider=…` → provider → `/oauth2/idpresponse` → the app).
//!
//! The protocol is `userpool-federation`'s (sans-IO); this component makes the outbound calls
//! (token, user-info, discovery and JWKS endpoints: timeouts, no redirects followed, bounded
//! answers, key sets cached per `jwks_uri` and refetched once for an unknown `kid`), keeps
//! the provider secrets sealed at rest and the flow state sealed in `state`, bound to the
//! browser by a cookie and single use through a replay marker.

pub(crate) mod flow;
pub(crate) mod links;
pub(crate) mod outbound;
pub(crate) mod providers;
pub(crate) mod saml;
pub(crate) mod saml_logout;
pub(crate) mod users;

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::core::Core;
use crate::hosted::Hosted;

/// Federation: identity providers, provider links, and sign-in through a provider.
pub struct Federation {
    core: Arc<Core>,
    hosted: Arc<Hosted>,
    accounts: Arc<Accounts>,
    outbound: outbound::Outbound,
}

impl Federation {
    pub(crate) fn new(core: Arc<Core>, hosted: Arc<Hosted>, accounts: Arc<Accounts>) -> Self {
        let outbound = outbound::Outbound::new(core.backend);
        Self {
            core,
            hosted,
            accounts,
            outbound,
        }
    }
}

impl std::fmt::Debug for Federation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Federation").finish_non_exhaustive()
    }
}
