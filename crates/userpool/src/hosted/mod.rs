//! The hosted-domain component (spec §9): the OAuth 2.0 / OIDC endpoints and the hosted UI.
//!
//! Authorization codes carry their own record, sealed under the pool's key for the client
//! (ChaCha20-Poly1305), so nothing is stored when one is issued; a replay marker makes each
//! one redeemable once, and the refresh-token family of its tokens has an id derived from the
//! code, so a second redemption can revoke them.

pub(crate) mod authorize;
pub(crate) mod csrf;
pub(crate) mod pages;
pub(crate) mod passwordless;
pub(crate) mod session;
pub(crate) mod token_endpoint;

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::core::Core;
use crate::passkeys::Passkeys;
use crate::sign_in::SignIn;
use crate::tokens::Tokens;

/// The hosted domain: `/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`, and the steps of the hosted UI pages (which run sign-in, sign-up and recovery through the other components).
pub struct Hosted {
    core: Arc<Core>,
    sign_in: Arc<SignIn>,
    tokens: Arc<Tokens>,
    accounts: Arc<Accounts>,
    passkeys: Arc<Passkeys>,
}

impl Hosted {
    pub(crate) fn new(
        core: Arc<Core>,
        sign_in: Arc<SignIn>,
        tokens: Arc<Tokens>,
        accounts: Arc<Accounts>,
        passkeys: Arc<Passkeys>,
    ) -> Self {
        Self {
            core,
            sign_in,
            tokens,
            accounts,
            passkeys,
        }
    }
}

impl std::fmt::Debug for Hosted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hosted").finish_non_exhaustive()
    }
}
