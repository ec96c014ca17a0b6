//! [`IdentityService`] and its builder: what the identity component holds — the store's
//! identity-pool part, the master key (its signing key is sealed under it), a clock and RNG,
//! the deployment's issuers, optionally the user-pool [`Service`] whose ID tokens it verifies
//! in-process, and its outbound HTTP client (STS, OIDC discovery and JWKS) with timeouts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use identity_pool_model::{OidcProviderArn, Settings};
use jwt_tokens::Backend;
use rand_chacha::ChaCha20Rng;
use userpool_store::IdentityPools;

use super::error::{IdentityError, IdentityResult};
use super::keys::IdentityKeys;
use super::oidc::OidcKeys;
use super::sts::CredentialSource;
use crate::clock::{Clock, SystemClock};
use crate::entropy::Entropy;
use crate::seal::MasterKey;
use crate::service::{DEFAULT_BASE_URL, Issuer, Service};

/// The path under the public base URL where the identity service's issuer lives: its JWKS at
/// `/identity/.well-known/jwks.json`, its discovery document at
/// `/identity/.well-known/openid-configuration`.
pub const IDENTITY_PATH: &str = "/identity";

/// The default timeout of every outbound call (STS, discovery, JWKS).
pub const DEFAULT_OUTBOUND_TIMEOUT: Duration = Duration::from_secs(5);

/// Builds an [`IdentityService`].
pub struct IdentityServiceBuilder {
    store: Arc<dyn IdentityPools>,
    master: MasterKey,
    clock: Arc<dyn Clock>,
    rng: Option<ChaCha20Rng>,
    user_pools: Option<Service>,
    region: String,
    account_id: String,
    issuer: Option<String>,
    oidc_client_ids: Vec<(String, Vec<String>)>,
    discovery: BTreeMap<String, String>,
    sts_endpoint: Option<String>,
    timeout: Duration,
    backend: &'static dyn Backend,
}

impl std::fmt::Debug for IdentityServiceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityServiceBuilder")
            .field("region", &self.region)
            .field("issuer", &self.issuer)
            .field("sts_endpoint", &self.sts_endpoint)
            .finish_non_exhaustive()
    }
}

impl IdentityServiceBuilder {
    /// A builder over `store` (an `Arc<dyn Store>` coerces), sealing the service's signing
    /// key under `master_key`. Defaults: the system clock, an OS-seeded RNG, region
    /// `us-east-1`, account `000000000000`, issuer `http://localhost:9229/identity`, no user
    /// pools, no STS (development credentials, logged loudly), 5 s outbound timeout.
    pub fn new(store: Arc<dyn IdentityPools>, master_key: MasterKey) -> Self {
        Self {
            store,
            master: master_key,
            clock: Arc::new(SystemClock),
            rng: None,
            user_pools: None,
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            issuer: None,
            oidc_client_ids: Vec::new(),
            discovery: BTreeMap::new(),
            sts_endpoint: None,
            timeout: DEFAULT_OUTBOUND_TIMEOUT,
            backend: jwt_tokens::default_backend(),
        }
    }

    /// The user-pool service whose pools' ID tokens `Logins` may carry: verified in-process
    /// with the pool's keys, revocation checked for `ServerSideTokenCheck`. Its issuer mode
    /// decides which provider names name its pools (`cognito-idp.<region>.amazonaws.com/<id>`
    /// always; `<host>/<id>` too in `self` mode), and, unless [`Self::issuer`] is called, this
    /// service's own issuer (`<base>/identity` in `self` mode, Cognito's in `aws` mode).
    #[must_use]
    pub fn user_pools(mut self, service: Service) -> Self {
        self.user_pools = Some(service);
        self
    }

    /// The issuer (`iss`) of the OpenID tokens this service signs, e.g.
    /// `https://auth.example.com/identity`; its discovery document and JWKS are published at
    /// `<issuer>/.well-known/openid-configuration` and `<issuer>/.well-known/jwks.json` (the
    /// HTTP adapter serves them under [`IDENTITY_PATH`]). Without `/identity` at the end, serve
    /// them there yourself.
    #[must_use]
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.issuer = Some(issuer.trim_end_matches('/').to_owned());
        self
    }

    /// The clock.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A seeded generator (tests); the default is seeded from the OS.
    #[must_use]
    pub fn rng(mut self, rng: ChaCha20Rng) -> Self {
        self.rng = Some(rng);
        self
    }

    /// The region new identity pool and identity ids carry.
    #[must_use]
    pub fn region(mut self, region: &str) -> Self {
        self.region = region.to_owned();
        self
    }

    /// The account in the `identity-pool-arn` claim.
    #[must_use]
    pub fn account_id(mut self, account_id: &str) -> Self {
        self.account_id = account_id.to_owned();
        self
    }

    /// The audiences (IAM's `ClientIDList`) accepted for the IAM OIDC provider `arn`
    /// (`arn:aws:iam::<account>:oidc-provider/<issuer host/path>`); a provider with none
    /// accepts no token.
    #[must_use]
    pub fn oidc_client_ids(mut self, arn: &str, client_ids: Vec<String>) -> Self {
        self.oidc_client_ids.push((arn.to_owned(), client_ids));
        self
    }

    /// Where the discovery document of the OIDC issuer `issuer` is fetched
    /// (`https://<issuer>/.well-known/openid-configuration` unless set here): a mirror, a
    /// proxy, or a loopback test provider.
    #[must_use]
    pub fn oidc_discovery_url(mut self, issuer: &str, url: &str) -> Self {
        self.discovery.insert(issuer.to_owned(), url.to_owned());
        self
    }

    /// The STS endpoint GetCredentialsForIdentity calls `AssumeRoleWithWebIdentity` at
    /// (`https://sts.<region>.amazonaws.com/`, or a local STS). Without one the service mints
    /// local development credentials that no AWS service accepts, and says so in the log.
    #[must_use]
    pub fn sts_endpoint(mut self, url: &str) -> Self {
        self.sts_endpoint = Some(url.to_owned());
        self
    }

    /// The timeout of each outbound call.
    #[must_use]
    pub fn outbound_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The signature backend.
    #[must_use]
    pub fn signing_backend(mut self, backend: &'static dyn Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The service.
    ///
    /// # Errors
    /// `InvalidParameterException` for an issuer, ARN or outbound URL that is not well-formed;
    /// `InternalErrorException` without OS randomness or an HTTP client.
    pub fn build(self) -> IdentityResult<IdentityService> {
        let entropy = match self.rng {
            Some(rng) => Entropy::seeded(rng),
            None => Entropy::from_os().map_err(|_| IdentityError::internal())?,
        };
        let pool_issuer = self.user_pools.as_ref().map(|s| s.core().issuer.clone());
        let issuer = match (&self.issuer, &pool_issuer) {
            (Some(issuer), _) => issuer.clone(),
            (None, Some(Issuer::Aws)) => identity_pool_model::COGNITO_IDENTITY_ISSUER.to_owned(),
            (None, Some(Issuer::SelfHosted { base_url })) => {
                format!("{}{IDENTITY_PATH}", base_url.trim_end_matches('/'))
            }
            (None, None) => format!("{DEFAULT_BASE_URL}{IDENTITY_PATH}"),
        };
        let mut settings = Settings::new().with_identity_issuer(&issuer)?;
        if let Some(Issuer::SelfHosted { base_url: base }) = pool_issuer {
            settings = settings.with_user_pool_issuer_base(base.trim_end_matches('/'))?;
        }
        for (arn, ids) in self.oidc_client_ids {
            settings = settings.with_oidc_client_ids(&OidcProviderArn::parse(&arn)?, ids);
        }
        for url in self.discovery.values().chain(&self.sts_endpoint) {
            check_url(url)?;
        }
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .map_err(|_| IdentityError::internal())?;
        let sts = match self.sts_endpoint {
            Some(endpoint) => CredentialSource::Sts { endpoint },
            None => {
                tracing::warn!(
                    target: "userpool::identity",
                    "NO STS ENDPOINT CONFIGURED: GetCredentialsForIdentity mints LOCAL DEVELOPMENT \
                     credentials that no AWS service accepts (configure sts_endpoint for real ones)"
                );
                CredentialSource::Local
            }
        };
        Ok(IdentityService {
            inner: Arc::new(IdentityInner {
                store: self.store,
                clock: self.clock,
                entropy,
                master: self.master,
                settings,
                user_pools: self.user_pools,
                region: self.region,
                account_id: self.account_id,
                backend: self.backend,
                keys: tokio::sync::OnceCell::new(),
                oidc: OidcKeys::new(http.clone(), self.discovery, self.backend),
                sts,
                http,
            }),
        })
    }
}

/// An outbound URL must be absolute http(s).
fn check_url(url: &str) -> IdentityResult<()> {
    match reqwest::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(()),
        _ => Err(IdentityError::invalid(format!("Not an http(s) URL: {url}"))),
    }
}

pub(crate) struct IdentityInner {
    pub(crate) store: Arc<dyn IdentityPools>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) entropy: Entropy,
    pub(crate) master: MasterKey,
    pub(crate) settings: Settings,
    pub(crate) user_pools: Option<Service>,
    pub(crate) region: String,
    pub(crate) account_id: String,
    pub(crate) backend: &'static dyn Backend,
    pub(crate) keys: tokio::sync::OnceCell<Arc<IdentityKeys>>,
    pub(crate) oidc: OidcKeys,
    pub(crate) sts: CredentialSource,
    pub(crate) http: reqwest::Client,
}

/// Amazon-Cognito-style identity pools (`cognito-identity`): one async method per action,
/// on the same store as the user pools or alone. Cheap to clone.
#[derive(Clone)]
pub struct IdentityService {
    pub(crate) inner: Arc<IdentityInner>,
}

impl std::fmt::Debug for IdentityService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityService")
            .field("issuer", &self.inner.settings.identity_issuer())
            .field("region", &self.inner.region)
            .finish_non_exhaustive()
    }
}

impl IdentityService {
    /// A builder.
    pub fn builder(store: Arc<dyn IdentityPools>, master_key: MasterKey) -> IdentityServiceBuilder {
        IdentityServiceBuilder::new(store, master_key)
    }

    /// The region ids carry (and signed requests must be scoped to).
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The issuer of the OpenID tokens.
    pub fn issuer(&self) -> &str {
        self.inner.settings.identity_issuer()
    }

    /// The service clock's time (unix seconds).
    pub fn now(&self) -> i64 {
        self.inner.clock.now()
    }

    pub(crate) fn store(&self) -> &dyn IdentityPools {
        self.inner.store.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use rand_core::SeedableRng as _;
    use userpool_store::MemoryStore;

    use super::*;

    fn builder() -> IdentityServiceBuilder {
        IdentityService::builder(Arc::new(MemoryStore::new()), MasterKey::new([1; 32]))
            .rng(ChaCha20Rng::seed_from_u64(1))
    }

    #[test]
    fn issuers_and_outbound_urls_are_checked_when_built() {
        let default = builder().build().expect("defaults");
        assert_eq!(default.issuer(), "http://localhost:9229/identity");
        assert_eq!(
            builder()
                .issuer("https://id.example.com/identity/")
                .build()
                .expect("ok")
                .issuer(),
            "https://id.example.com/identity"
        );
        let refused = |b: IdentityServiceBuilder| b.build().expect_err("refused").to_string();
        assert_eq!(
            refused(builder().issuer("id.example.com")),
            "InvalidParameterException: Invalid issuer: id.example.com"
        );
        assert_eq!(
            refused(builder().sts_endpoint("sts.amazonaws.com")),
            "InvalidParameterException: Not an http(s) URL: sts.amazonaws.com"
        );
        assert_eq!(
            refused(builder().oidc_discovery_url("https://a.example", "file:///etc/passwd")),
            "InvalidParameterException: Not an http(s) URL: file:///etc/passwd"
        );
        assert!(
            refused(builder().oidc_client_ids("arn:aws:iam::1:oidc-provider/x", vec![]))
                .starts_with("InvalidParameterException: 1 validation error detected")
        );
        assert!(
            builder()
                .sts_endpoint("https://sts.us-east-1.amazonaws.com/")
                .oidc_client_ids(
                    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
                    vec!["sts.amazonaws.com".into()]
                )
                .build()
                .is_ok()
        );
    }

    #[test]
    fn the_user_pools_issuer_mode_decides_ours() {
        let service = |issuer: Issuer| {
            Service::builder(Arc::new(MemoryStore::new()), MasterKey::new([1; 32]))
                .issuer(issuer)
                .rng(ChaCha20Rng::seed_from_u64(2))
                .build()
                .expect("service")
        };
        let aws = builder()
            .user_pools(service(Issuer::Aws))
            .build()
            .expect("aws");
        assert_eq!(aws.issuer(), "https://cognito-identity.amazonaws.com");
        let hosted = builder()
            .user_pools(service(Issuer::SelfHosted {
                base_url: "https://auth.example.com/".into(),
            }))
            .build()
            .expect("self");
        assert_eq!(hosted.issuer(), "https://auth.example.com/identity");
        assert!(
            hosted
                .inner
                .settings
                .user_pool_provider("auth.example.com/us-east-1_AbC123")
                .is_some(),
            "self-hosted pools are providers under their own host"
        );
    }
}
