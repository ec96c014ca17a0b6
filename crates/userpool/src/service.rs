//! The multi-pool [`Service`] — a thin composition of its components (sign-in, tokens,
//! accounts, administration, the hosted domain) over one shared core — and the single-pool
//! [`UserPool`] view.

use std::sync::Arc;

use custom_auth_triggers::TriggerRegistry;
use jwt_tokens::KeySet;
use user_pool_model::UserPoolId;
use userpool_store::Store;

use crate::accounts::Accounts;
use crate::admin::Admin;
use crate::builder::ServiceBuilder;
use crate::core::{Core, internal};
use crate::error::Result;
use crate::federation::Federation;
use crate::hosted::Hosted;
use crate::seal::Keyring;
use crate::sign_in::SignIn;
use crate::threat::ThreatProtection;
use crate::tokens::Tokens;

/// The public base URL a service assumes when none is configured (the `server` example's).
pub const DEFAULT_BASE_URL: &str = "http://localhost:9229";

/// Where tokens say they come from (`iss`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// `iss` = the public base URL + `/{poolId}` (discovery and JWKS are served there).
    SelfHosted {
        /// e.g. `https://auth.example.com` (no trailing slash needed).
        base_url: String,
    },
    /// `iss` = `https://cognito-idp.{region}.amazonaws.com/{poolId}`, for verifiers that
    /// hard-code AWS's format.
    Aws,
}

impl Issuer {
    /// The `iss` of `pool`'s tokens.
    pub fn for_pool(&self, pool: &UserPoolId) -> String {
        match self {
            Self::SelfHosted { base_url } => {
                format!("{}/{}", base_url.trim_end_matches('/'), pool.as_str())
            }
            Self::Aws => format!(
                "https://cognito-idp.{}.amazonaws.com/{}",
                pool.region(),
                pool.as_str()
            ),
        }
    }
}

/// Amazon-Cognito-style user pools: every operation, on any store. Cheap to clone.
///
/// The operations are grouped by component, one method per Cognito action:
/// [`Service::sign_in`] (InitiateAuth, RespondToAuthChallenge, software tokens),
/// [`Service::tokens`] (refresh, sign-out, revocation, token checks), [`Service::accounts`]
/// (sign-up, confirmation, passwords, attributes, devices, MFA preferences and the Admin*
/// user actions), [`Service::admin`] (pools, clients, groups, resource servers, import jobs,
/// domains, UI customization) and [`Service::hosted`] (the OAuth 2.0 endpoints and the hosted
/// UI). [`Service::user_pool`] gives a view of one pool for token checks.
#[derive(Clone)]
pub struct Service {
    core: Arc<Core>,
    sign_in: Arc<SignIn>,
    tokens: Arc<Tokens>,
    accounts: Arc<Accounts>,
    passkeys: Arc<crate::Passkeys>,
    admin: Arc<Admin>,
    hosted: Arc<Hosted>,
    threat_protection: Arc<ThreatProtection>,
    federation: Arc<Federation>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("issuer", &self.core.issuer)
            .field("region", &self.core.region)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// Wires the components over `core`.
    pub(crate) fn compose(core: Core) -> Self {
        let core = Arc::new(core);
        let tokens = Arc::new(Tokens::new(core.clone()));
        let accounts = Arc::new(Accounts::new(core.clone(), tokens.clone()));
        let sign_in = Arc::new(SignIn::new(core.clone(), tokens.clone()));
        let admin = Arc::new(Admin::new(core.clone()));
        let passkeys = Arc::new(crate::Passkeys::new(core.clone(), tokens.clone()));
        let hosted = Arc::new(Hosted::new(
            core.clone(),
            sign_in.clone(),
            tokens.clone(),
            accounts.clone(),
            passkeys.clone(),
        ));
        let threat_protection = Arc::new(ThreatProtection::new(core.clone()));
        let federation = Arc::new(Federation::new(
            core.clone(),
            hosted.clone(),
            accounts.clone(),
        ));
        Self {
            core,
            sign_in,
            tokens,
            accounts,
            passkeys,
            admin,
            hosted,
            threat_protection,
            federation,
        }
    }

    /// Passkeys: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
    /// ListWebAuthnCredentials, DeleteWebAuthnCredential, GetUserAuthFactors.
    pub fn passkeys(&self) -> &crate::Passkeys {
        &self.passkeys
    }

    /// Sign-in: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
    /// AdminRespondToAuthChallenge, AssociateSoftwareToken, VerifySoftwareToken.
    pub fn sign_in(&self) -> &SignIn {
        &self.sign_in
    }

    /// Tokens: GetTokensFromRefreshToken, GlobalSignOut, AdminUserGlobalSignOut,
    /// RevokeToken, and the checks on presented tokens.
    pub fn tokens(&self) -> &Tokens {
        &self.tokens
    }

    /// Accounts: sign-up and confirmation, passwords, attributes, devices, MFA preferences,
    /// ListUsers and the Admin* actions on users.
    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }

    /// Administration: pools, clients, groups, resource servers, import jobs, domains, UI
    /// customization, signing-key rotation.
    pub fn admin(&self) -> &Admin {
        &self.admin
    }

    /// The hosted domain: `/oauth2/*` and the hosted UI's page steps.
    pub fn hosted(&self) -> &Hosted {
        &self.hosted
    }

    /// Threat protection: SetRiskConfiguration, DescribeRiskConfiguration,
    /// AdminListUserAuthEvents, AdminUpdateAuthEventFeedback, UpdateAuthEventFeedback.
    pub fn threat_protection(&self) -> &ThreatProtection {
        &self.threat_protection
    }

    /// Federation: CreateIdentityProvider and the other identity-provider actions,
    /// AdminLinkProviderForUser, AdminDisableProviderForUser, and sign-in through a provider
    /// (`/oauth2/authorize?identity_provider=…`, `/oauth2/idpresponse`).
    pub fn federation(&self) -> &Federation {
        &self.federation
    }

    /// A builder.
    pub fn builder(store: Arc<dyn Store>, master_key: impl Into<Keyring>) -> ServiceBuilder {
        ServiceBuilder::new(store, master_key)
    }

    /// Sets (or replaces) the triggers of pool `pool_id`.
    pub fn set_triggers(&self, pool_id: &str, registry: TriggerRegistry) -> Result<()> {
        self.core
            .triggers
            .write()
            .map_err(|_| internal())?
            .insert(pool_id.to_owned(), Arc::new(registry));
        Ok(())
    }

    /// A view of one pool.
    pub async fn user_pool(&self, pool_id: &str) -> Result<UserPool> {
        let pool = self.core.pool(pool_id).await?;
        let keys = self.core.key_set(&pool.id).await?;
        Ok(UserPool {
            issuer: self.core.issuer.for_pool(&pool.id),
            id: pool.id,
            keys,
        })
    }

    /// The region pool ids carry (and signed requests must be scoped to).
    pub fn region(&self) -> &str {
        &self.core.region
    }

    /// The service clock's current time (unix seconds); adapters check request signatures
    /// against it.
    pub fn now(&self) -> i64 {
        self.core.clock.now()
    }

    /// Removes expired one-time codes, session replay markers and forgotten counters (see
    /// [`Purged`](crate::Purged)). Embedders run it periodically (the server: every minute).
    pub async fn purge_expired(&self) -> Result<crate::Purged> {
        self.core.purge_expired().await
    }

    pub(crate) fn core(&self) -> &Arc<Core> {
        &self.core
    }
}

/// One pool as its relying parties see it: issuer and signing keys, as they were when
/// [`Service::user_pool`] was called (ask again after [`Admin::rotate_signing_keys`](crate::Admin::rotate_signing_keys); the
/// HTTP adapter does for every JWKS request).
#[derive(Clone)]
pub struct UserPool {
    id: UserPoolId,
    issuer: String,
    keys: Arc<KeySet>,
}

impl std::fmt::Debug for UserPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPool")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

impl UserPool {
    /// The pool id.
    pub fn id(&self) -> &UserPoolId {
        &self.id
    }

    /// The `iss` of its tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The JWKS document (`/.well-known/jwks.json`).
    pub fn jwks(&self) -> jwt_tokens::Jwks {
        self.keys.jwks()
    }

    /// Verifies an ID token issued to `client_id` at `now`.
    pub fn verify_id_token(
        &self,
        token: &str,
        client_id: &str,
        now: i64,
    ) -> jwt_tokens::Result<jwt_tokens::Claims> {
        let validation = jwt_tokens::Validation::id_token(self.issuer.clone(), client_id);
        self.keys.verify(token, &validation, now)
    }

    /// Verifies a token's signature only — header rules, exact `kid`, `alg` bound to the key —
    /// at `now` (a retired key stops verifying after its time), and returns its claims
    /// unchecked, for a caller that checks them by its own rules (an identity pool checks
    /// `iss`, `aud`, `token_use` and expiry itself, with Cognito Identity's messages).
    pub fn verify_signature(
        &self,
        token: &str,
        now: i64,
    ) -> jwt_tokens::Result<serde_json::Map<String, serde_json::Value>> {
        let jws = self.keys.verifier().verify_jws(token, now)?;
        jwt_tokens::strict_json::parse_object(&jws.payload)
            .ok_or(jwt_tokens::Error::Json(jwt_tokens::Segment::Payload))
    }

    /// Verifies an access token's signature and claims at `now` (not its revocation: the
    /// service checks that on its own operations).
    pub fn verify_access_token(
        &self,
        token: &str,
        now: i64,
    ) -> jwt_tokens::Result<jwt_tokens::Claims> {
        let validation = jwt_tokens::Validation::access_token(self.issuer.clone()).any_client();
        self.keys.verify(token, &validation, now)
    }
}
