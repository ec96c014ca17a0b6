//! The accounts component: what users do to their own account (and administrators to
//! users' accounts).

mod admin_create;
pub(crate) mod attributes;
pub(crate) mod devices;
pub(crate) mod passwords;
pub(crate) mod sign_up;

use std::sync::Arc;

use crate::core::Core;
use crate::tokens::Tokens;

/// Accounts: sign-up and confirmation, password changes and resets, attributes and their verification, devices, MFA preferences, ListUsers, and the Admin* actions on users.
pub struct Accounts {
    core: Arc<Core>,
    tokens: Arc<Tokens>,
}

impl Accounts {
    pub(crate) fn new(core: Arc<Core>, tokens: Arc<Tokens>) -> Self {
        Self { core, tokens }
    }
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts").finish_non_exhaustive()
    }
}
