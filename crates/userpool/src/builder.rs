//! [`ServiceBuilder`]: what a [`Service`] is made of — store, master key, clock, randomness,
//! message sender, triggers, issuer, signing algorithm and backend, region.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use auth_flow_state_machine::{FlowSettings, PhantomKey};
use custom_auth_triggers::TriggerRegistry;
use jwt_tokens::{Algorithm, Backend};
use rand_chacha::ChaCha20Rng;
use userpool_store::Store;

use crate::clock::{Clock, SystemClock};
use crate::code_encryption::CodeEncryptor;
use crate::core::{Core, derive};
use crate::entropy::Entropy;
use crate::error::Result;
use crate::messages::{MessageSender, Outbox};
use crate::seal::Keyring;
use crate::service::{DEFAULT_BASE_URL, Issuer, Service};

/// Builds a [`Service`].
pub struct ServiceBuilder {
    store: Arc<dyn Store>,
    keyring: Keyring,
    clock: Arc<dyn Clock>,
    rng: Option<ChaCha20Rng>,
    sender: Arc<dyn MessageSender>,
    encryptor: Option<Arc<dyn CodeEncryptor>>,
    triggers: HashMap<String, Arc<TriggerRegistry>>,
    #[cfg(feature = "lambda")]
    lambda: Option<custom_auth_triggers::LambdaClient>,
    issuer: Issuer,
    algorithm: Algorithm,
    backend: &'static dyn Backend,
    region: String,
    account_id: String,
    breach_filter: Option<userpool_risk::BreachFilter>,
    risk_scorer: Option<Arc<dyn userpool_risk::RiskScorer>>,
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
            #[cfg(feature = "lambda")]
            lambda: None,
            issuer: Issuer::SelfHosted {
                base_url: DEFAULT_BASE_URL.into(),
            },
            algorithm: Algorithm::RS256,
            backend: jwt_tokens::default_backend(),
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            breach_filter: None,
            risk_scorer: None,
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

    #[cfg(feature = "lambda")]
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

    /// The breached-password list threat protection checks (default: the bundled list, built
    /// on first use). Operators extend it with Have I Been Pwned's SHA-1 lists
    /// ([`userpool_risk::BreachFilter::from_hibp`]).
    #[must_use]
    pub fn breach_filter(mut self, filter: userpool_risk::BreachFilter) -> Self {
        self.breach_filter = Some(filter);
        self
    }

    /// The account-takeover scorer (default: [`userpool_risk::DefaultScorer`]).
    #[must_use]
    pub fn risk_scorer(mut self, scorer: Arc<dyn userpool_risk::RiskScorer>) -> Self {
        self.risk_scorer = Some(scorer);
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
        Ok(Service::compose(Core {
            store: self.store,
            clock: self.clock,
            entropy,
            sender: self.sender,
            encryptor: self.encryptor,
            triggers: RwLock::new(self.triggers),
            #[cfg(feature = "lambda")]
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
            risk: crate::threat::engine::RiskEngine::new(self.breach_filter, self.risk_scorer),
            import_jobs: Default::default(),
        }))
    }
}
