//! The machinery every component shares: the store, the clock, randomness, the master
//! keyring and what is derived from it, signing keys, triggers and the message sender — and
//! the lookups every operation starts from (pool, client, user). Components reach it
//! through their `core` field; none of it is public API.

pub(crate) mod code_limits;
pub(crate) mod codes;
pub(crate) mod custom_sender;
pub(crate) mod migration;
pub(crate) mod scopes;
pub(crate) mod user_update;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use auth_flow_state_machine::FlowSettings;
use custom_auth_triggers::TriggerRegistry;
use hkdf::Hkdf;
use jwt_tokens::{Algorithm, Backend};
use sha2::Sha256;
use user_pool_model::{AppClient, ClientId, PoolConfig, User, UserPoolId};
use userpool_store::Store;
use zeroize::Zeroizing;

use crate::clock::Clock;
use crate::code_encryption::CodeEncryptor;
use crate::entropy::Entropy;
use crate::error::{Error, ErrorKind, Result};
use crate::keys::CachedKeys;
use crate::messages::MessageSender;
use crate::seal::{Keyring, Purpose, Sealer};
use crate::service::Issuer;

/// A key for keyed hashes and MACs, derived (HKDF) for `label` from the keyring's active key.
pub(crate) fn derive(keyring: &Keyring, label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    let hk = Hkdf::<Sha256>::new(None, keyring.active_key().expose_secret());
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = hk.expand(label, out.as_mut());
    out
}

/// The shared machinery (see the module docs).
pub(crate) struct Core {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) entropy: Entropy,
    pub(crate) sender: Arc<dyn MessageSender>,
    pub(crate) encryptor: Option<Arc<dyn CodeEncryptor>>,
    pub(crate) triggers: RwLock<HashMap<String, Arc<TriggerRegistry>>>,
    #[cfg(feature = "lambda")]
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
    pub(crate) risk: crate::threat::engine::RiskEngine,
    /// The user-import jobs this service runs.
    pub(crate) import_jobs: crate::admin::import_worker::RunningJobs,
}

pub(crate) fn internal() -> Error {
    Error::new(ErrorKind::InternalError, "Internal server error")
}

impl Core {
    /// The clock's current time (unix seconds).
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub(crate) fn sealer(&self, pool: &UserPoolId, purpose: Purpose) -> Sealer {
        Sealer::with_keyring(&self.keyring, purpose, pool.as_str())
    }

    /// The pool's triggers: those set in code, else its `LambdaConfig` (with the custom
    /// senders' functions) through the Lambda client, if one is configured.
    pub(crate) fn registry(&self, pool: &PoolConfig) -> Option<Arc<TriggerRegistry>> {
        if let Some(set) = self
            .triggers
            .read()
            .ok()
            .and_then(|t| t.get(pool.id.as_str()).cloned())
        {
            return Some(set);
        }
        self.lambda_registry(pool)
    }

    /// The registry of `pool`'s `LambdaConfig` (and custom senders) through the Lambda client.
    #[cfg(feature = "lambda")]
    fn lambda_registry(&self, pool: &PoolConfig) -> Option<Arc<TriggerRegistry>> {
        use custom_auth_triggers::TriggerKind;
        let lambda = self.lambda.as_ref()?;
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

    /// Without the `lambda` feature no function is invoked: a pool's `LambdaConfig` is kept
    /// and returned, but runs only as triggers set in code.
    #[cfg(not(feature = "lambda"))]
    fn lambda_registry(&self, _pool: &PoolConfig) -> Option<Arc<TriggerRegistry>> {
        None
    }

    /// A pool by its wire id.
    pub(crate) async fn pool(&self, id: &str) -> Result<PoolConfig> {
        let id = UserPoolId::parse(id)?;
        self.store().get_pool(&id).await.map_err(Error::from)
    }

    /// A client by id, with its pool (unsigned operations name only the client).
    pub(crate) async fn client(&self, id: &str) -> Result<(PoolConfig, AppClient)> {
        let client_id = ClientId::parse(id)?;
        let (pool, client) = self.store().find_client(&client_id).await?.ok_or_else(|| {
            Error::new(
                ErrorKind::ResourceNotFound,
                format!("User pool client {id} does not exist."),
            )
        })?;
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
                other => Error::from(other),
            })?;
        self.opened_client(&pool.id, client).await
    }

    /// Resolves what a user typed (username, or a sign-in alias) to the user.
    pub(crate) async fn find_user(&self, pool: &PoolConfig, login: &str) -> Result<Option<User>> {
        let store = self.store();
        let key = pool.case_rule.username_key(login);
        if let Some(user) = store.get_user(&pool.id, &key).await? {
            return Ok(Some(user));
        }
        for attribute in pool
            .username_attributes
            .iter()
            .chain(&pool.alias_attributes)
        {
            let value = pool.case_rule.fold_alias(attribute, login);
            if let Some(user) = store.find_by_alias(&pool.id, attribute, &value).await? {
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
