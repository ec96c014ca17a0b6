//! The multi-pool [`Service`], its [`ServiceBuilder`], and the single-pool [`UserPool`] view.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use auth_flow_state_machine::{FlowSettings, PhantomKey};
use custom_auth_triggers::{TriggerKind, TriggerRegistry};
use hkdf::Hkdf;
use jwt_tokens::{Algorithm, Backend, KeySet};
use rand_chacha::ChaCha20Rng;
use sha2::Sha256;
use user_pool_model::{AppClient, ClientId, PoolConfig, User, UserPoolId};
use userpool_store::Store;
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::code_encryption::CodeEncryptor;
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::CachedKeys;
use crate::messages::{MessageSender, Outbox};
use crate::seal::{Keyring, Purpose, Sealer};

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

/// Builds a [`Service`].
pub struct ServiceBuilder {
    store: Arc<dyn Store>,
    keyring: Keyring,
    clock: Arc<dyn Clock>,
    rng: Option<ChaCha20Rng>,
    sender: Arc<dyn MessageSender>,
    encryptor: Option<Arc<dyn CodeEncryptor>>,
    triggers: HashMap<String, Arc<TriggerRegistry>>,
    lambda: Option<custom_auth_triggers::LambdaClient>,
    issuer: Issuer,
    algorithm: Algorithm,
    backend: &'static dyn Backend,
    region: String,
    account_id: String,
}

impl std::fmt::Debug for ServiceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceBuilder")
            .field("issuer", &self.issuer)
            .field("algorithm", &self.algorithm)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl ServiceBuilder {
    /// A builder over `store`, encrypting secrets at rest under `master_key`: a
    /// [`MasterKey`](crate::MasterKey), or a [`Keyring`] while the master key rotates.
    /// Defaults: the system clock, an OS-seeded RNG, an in-memory [`Outbox`], no triggers,
    /// issuer `http://localhost:9229`, RS256, region `us-east-1`, account `000000000000`.
    pub fn new(store: Arc<dyn Store>, master_key: impl Into<Keyring>) -> Self {
        Self {
            store,
            keyring: master_key.into(),
            clock: Arc::new(SystemClock),
            rng: None,
            sender: Arc::new(Outbox::new()),
            encryptor: None,
            triggers: HashMap::new(),
            lambda: None,
            issuer: Issuer::SelfHosted {
                base_url: DEFAULT_BASE_URL.into(),
            },
            algorithm: Algorithm::RS256,
            backend: jwt_tokens::default_backend(),
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
        }
    }

    /// The clock (a [`FixedClock`](crate::FixedClock) in tests).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A seeded generator (tests, reproducible examples); the default is seeded from the OS.
    #[must_use]
    pub fn rng(mut self, rng: ChaCha20Rng) -> Self {
        self.rng = Some(rng);
        self
    }

    /// The message sender.
    #[must_use]
    pub fn sender(mut self, sender: Arc<dyn MessageSender>) -> Self {
        self.sender = sender;
        self
    }

    /// Encrypts the codes handed to pools' `CustomEmailSender` / `CustomSMSSender` triggers.
    /// Without one, those triggers are not run and messages go to the [`MessageSender`].
    #[must_use]
    pub fn code_encryptor(mut self, encryptor: Arc<dyn CodeEncryptor>) -> Self {
        self.encryptor = Some(encryptor);
        self
    }

    /// The triggers of the pool `pool_id`.
    #[must_use]
    pub fn triggers(mut self, pool_id: &str, registry: TriggerRegistry) -> Self {
        self.triggers.insert(pool_id.to_owned(), Arc::new(registry));
        self
    }

    /// Where the function ARNs of pools' `LambdaConfig` are invoked (the Lambda Invoke API:
    /// `lambda.<region>.amazonaws.com`, `sam local start-lambda`, a local shim). Pools without
    /// triggers set in code run their `LambdaConfig` functions through it.
    #[must_use]
    pub fn lambda_client(mut self, client: custom_auth_triggers::LambdaClient) -> Self {
        self.lambda = Some(client);
        self
    }

    /// The issuer mode.
    #[must_use]
    pub fn issuer(mut self, issuer: Issuer) -> Self {
        self.issuer = issuer;
        self
    }

    /// The signing algorithm of new pools' keys (RS256 by default, what Cognito clients
    /// expect; ES256 is smaller and faster).
    #[must_use]
    pub fn signing_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The signature backend.
    #[must_use]
    pub fn signing_backend(mut self, backend: &'static dyn Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The region new pool ids carry.
    #[must_use]
    pub fn region(mut self, region: &str) -> Self {
        self.region = region.to_owned();
        self
    }

    /// The account id in ARNs.
    #[must_use]
    pub fn account_id(mut self, account_id: &str) -> Self {
        self.account_id = account_id.to_owned();
        self
    }

    /// The service.
    pub fn build(self) -> Result<Service> {
        let entropy = match self.rng {
            Some(rng) => Entropy::seeded(rng),
            None => Entropy::from_os()?,
        };
        let phantom = derive(&self.keyring, b"userpool/v1/phantom-users");
        let code_key = derive(&self.keyring, b"userpool/v1/one-time-codes");
        Ok(Service {
            inner: Arc::new(Inner {
                store: self.store,
                clock: self.clock,
                entropy,
                sender: self.sender,
                encryptor: self.encryptor,
                triggers: RwLock::new(self.triggers),
                lambda: self.lambda,
                issuer: self.issuer,
                algorithm: self.algorithm,
                backend: self.backend,
                region: self.region,
                account_id: self.account_id,
                keys: RwLock::new(HashMap::new()),
                settings: FlowSettings::new(PhantomKey::new(*phantom)),
                code_key,
                keyring: self.keyring,
            }),
        })
    }
}

/// A key for keyed hashes and MACs, derived (HKDF) for `label` from the keyring's active key.
pub(crate) fn derive(keyring: &Keyring, label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    let hk = Hkdf::<Sha256>::new(None, keyring.active_key().expose_secret());
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = hk.expand(label, out.as_mut());
    out
}

pub(crate) struct Inner {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) entropy: Entropy,
    pub(crate) sender: Arc<dyn MessageSender>,
    pub(crate) encryptor: Option<Arc<dyn CodeEncryptor>>,
    pub(crate) triggers: RwLock<HashMap<String, Arc<TriggerRegistry>>>,
    pub(crate) lambda: Option<custom_auth_triggers::LambdaClient>,
    pub(crate) issuer: Issuer,
    pub(crate) algorithm: Algorithm,
    pub(crate) backend: &'static dyn Backend,
    pub(crate) region: String,
    pub(crate) account_id: String,
    pub(crate) keys: RwLock<HashMap<String, CachedKeys>>,
    pub(crate) settings: FlowSettings,
    pub(crate) code_key: Zeroizing<[u8; 32]>,
    pub(crate) keyring: Keyring,
}

/// Amazon-Cognito-style user pools: every operation, on any store. Cheap to clone.
///
/// Pools are created through the API ([`Service::create_user_pool`]), as on Cognito's
/// regional endpoint; [`Service::user_pool`] gives a view of one pool for token checks.
#[derive(Clone)]
pub struct Service {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("issuer", &self.inner.issuer)
            .field("region", &self.inner.region)
            .finish_non_exhaustive()
    }
}

pub(crate) fn internal() -> Error {
    Error::new(ErrorKind::InternalError, "Internal server error")
}

impl Service {
    /// A builder (see [`ServiceBuilder::new`]).
    pub fn builder(store: Arc<dyn Store>, master_key: impl Into<Keyring>) -> ServiceBuilder {
        ServiceBuilder::new(store, master_key)
    }

    /// Sets (or replaces) the triggers of pool `pool_id`.
    pub fn set_triggers(&self, pool_id: &str, registry: TriggerRegistry) -> Result<()> {
        self.inner
            .triggers
            .write()
            .map_err(|_| internal())?
            .insert(pool_id.to_owned(), Arc::new(registry));
        Ok(())
    }

    /// A view of one pool.
    pub async fn user_pool(&self, pool_id: &str) -> Result<UserPool> {
        let pool = self.pool(pool_id).await?;
        let keys = self.key_set(&pool.id).await?;
        Ok(UserPool {
            issuer: self.inner.issuer.for_pool(&pool.id),
            id: pool.id,
            keys,
        })
    }

    /// The region pool ids carry (and signed requests must be scoped to).
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The service clock's current time (unix seconds); adapters check request signatures
    /// against it.
    pub fn now(&self) -> i64 {
        self.inner.clock.now()
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    pub(crate) fn sealer(&self, pool: &UserPoolId, purpose: Purpose) -> Sealer {
        Sealer::with_keyring(&self.inner.keyring, purpose, pool.as_str())
    }

    /// The pool's triggers: those set in code, else its `LambdaConfig` (with the custom
    /// senders' functions) through the Lambda client, if one is configured.
    pub(crate) fn registry(&self, pool: &PoolConfig) -> Option<Arc<TriggerRegistry>> {
        if let Some(set) = self
            .inner
            .triggers
            .read()
            .ok()
            .and_then(|t| t.get(pool.id.as_str()).cloned())
        {
            return Some(set);
        }
        let lambda = self.inner.lambda.as_ref()?;
        let mut functions = pool.lambda_config.clone();
        for (kind, sender) in [
            (TriggerKind::CustomEmailSender, &pool.custom_email_sender),
            (TriggerKind::CustomSmsSender, &pool.custom_sms_sender),
        ] {
            if let Some(sender) = sender {
                functions.insert(kind.name().to_owned(), sender.lambda_arn.clone());
            }
        }
        if functions.is_empty() {
            return None;
        }
        TriggerRegistry::from_lambda_config(&functions, lambda)
            .ok()
            .map(Arc::new)
    }

    /// A pool by its wire id.
    pub(crate) async fn pool(&self, id: &str) -> Result<PoolConfig> {
        let id = UserPoolId::parse(id)?;
        self.store()
            .get_pool(&id)
            .await
            .map_err(|e| self.store_error(&e))
    }

    /// A client by id, with its pool (unsigned operations name only the client).
    pub(crate) async fn client(&self, id: &str) -> Result<(PoolConfig, AppClient)> {
        let client_id = ClientId::parse(id)?;
        let (pool_id, client) = self
            .store()
            .find_client(&client_id)
            .await
            .map_err(|e| self.store_error(&e))?
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::ResourceNotFound,
                    format!("User pool client {id} does not exist."),
                )
            })?;
        let pool = self
            .store()
            .get_pool(&pool_id)
            .await
            .map_err(|e| self.store_error(&e))?;
        let client = self.opened_client(&pool.id, client).await?;
        Ok((pool, client))
    }

    /// A pool's client, for admin operations that name both.
    pub(crate) async fn pool_client(&self, pool: &PoolConfig, id: &str) -> Result<AppClient> {
        let client_id = ClientId::parse(id)?;
        let client = self
            .store()
            .get_client(&pool.id, &client_id)
            .await
            .map_err(|e| match e {
                userpool_store::StoreError::ClientNotFound => Error::new(
                    ErrorKind::ResourceNotFound,
                    format!("User pool client {id} does not exist."),
                ),
                other => self.store_error(&other),
            })?;
        self.opened_client(&pool.id, client).await
    }

    /// A store failure, users reported LEGACY-style (callers that know the client map
    /// missing users themselves).
    pub(crate) fn store_error(&self, e: &userpool_store::StoreError) -> Error {
        if let userpool_store::StoreError::Backend(detail) = e {
            tracing::error!(target: "userpool::store", error = %detail, "store backend failure");
        }
        Error::from_store(e, user_pool_model::PreventUserExistenceErrors::Legacy)
    }

    /// Resolves what a user typed (username, or a sign-in alias) to the user.
    pub(crate) async fn find_user(&self, pool: &PoolConfig, login: &str) -> Result<Option<User>> {
        let store = self.store();
        let key = pool.case_rule.fold(login);
        if let Some(user) = store
            .get_user(&pool.id, &key)
            .await
            .map_err(|e| self.store_error(&e))?
        {
            return Ok(Some(user));
        }
        for attribute in pool
            .username_attributes
            .iter()
            .chain(&pool.alias_attributes)
        {
            let value = pool.case_rule.fold_alias(attribute, login);
            if let Some(user) = store
                .find_by_alias(&pool.id, attribute, &value)
                .await
                .map_err(|e| self.store_error(&e))?
            {
                return Ok(Some(user));
            }
        }
        Ok(None)
    }

    /// Like [`Service::find_user`], or `UserNotFoundException: User does not exist.` (admin
    /// operations, which PreventUserExistenceErrors does not cover).
    pub(crate) async fn require_user(&self, pool: &PoolConfig, login: &str) -> Result<User> {
        if login.is_empty() {
            return Err(missing("username"));
        }
        self.find_user(pool, login)
            .await?
            .ok_or_else(|| Error::new(ErrorKind::UserNotFound, "User does not exist."))
    }
}

/// `InvalidParameterException` for a missing required member.
pub(crate) fn missing(member: &str) -> Error {
    Error::new(
        ErrorKind::InvalidParameter,
        format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ),
    )
}

/// One pool as its relying parties see it: issuer and signing keys, as they were when
/// [`Service::user_pool`] was called (ask again after [`Service::rotate_signing_keys`]; the
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
