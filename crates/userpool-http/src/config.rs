//! What an embedder configures: admin credentials, limits, rate limits, the scheme clients
//! reach the service over, trusted proxies, the development outbox.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

pub use ipnet::IpNet;
use userpool::{IdentityService, Outbox};

use crate::limits::RateLimits;
use crate::sigv4::AdminCredentials;

/// The adapter's settings. `HttpConfig::default()` refuses every signed (admin) action until
/// credentials are given, allows 1 MiB bodies and 10 s per request, applies per-source rate
/// limits ([`RateLimits::per_source`]), assumes plain http (cookies without `Secure`) and
/// trusts no proxy.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub(crate) admin: AdminAuth,
    pub(crate) body_limit: usize,
    pub(crate) request_timeout: Duration,
    pub(crate) rate_limits: RateLimits,
    pub(crate) dev_outbox: Option<Arc<Outbox>>,
    pub(crate) https: bool,
    pub(crate) trusted_proxies: Vec<IpNet>,
    pub(crate) identity: Option<IdentityService>,
}

/// How the actions Cognito signs with SigV4 are authenticated.
#[derive(Debug, Clone)]
pub enum AdminAuth {
    /// A valid SigV4 signature by one of these keys (service `cognito-idp`, or
    /// `cognito-identity` for identity-pool actions).
    Credentials(Vec<AdminCredentials>),
    /// No check at all: only for tests and a loopback-only development server.
    Unauthenticated,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            admin: AdminAuth::Credentials(Vec::new()),
            body_limit: 1 << 20,
            request_timeout: Duration::from_secs(10),
            rate_limits: RateLimits::per_source(),
            dev_outbox: None,
            https: false,
            trusted_proxies: Vec::new(),
            identity: None,
        }
    }
}

impl HttpConfig {
    /// Accept signed actions signed by `credentials`.
    #[must_use]
    pub fn admin_credentials(mut self, credentials: Vec<AdminCredentials>) -> Self {
        self.admin = AdminAuth::Credentials(credentials);
        self
    }

    /// How admin actions are authenticated.
    #[must_use]
    pub fn admin_auth(mut self, auth: AdminAuth) -> Self {
        self.admin = auth;
        self
    }

    /// Largest request body (larger ones get `413`).
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Longest a request may take to arrive and be answered.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The request-rate limits.
    #[must_use]
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Whether every request reaches users over https: this listener terminates TLS, or the
    /// service's public URL (in front of a TLS-terminating proxy) is https. Hosted cookies
    /// then carry `Secure` and the `__Host-` prefix; over plain http they carry neither, so
    /// scripted clients (curl, Python requests) keep them on `http://localhost`.
    #[must_use]
    pub fn https(mut self, https: bool) -> Self {
        self.https = https;
        self
    }

    /// Proxies whose `X-Forwarded-For` (the client's address, for rate limits and the dev
    /// outbox) and `X-Forwarded-Proto` (https) are believed. Headers from anyone else are
    /// ignored.
    #[must_use]
    pub fn trusted_proxies(mut self, proxies: Vec<IpNet>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Also serve identity pools on the same listener: `AWSCognitoIdentityService.*` targets
    /// (SigV4 service `cognito-identity` for the actions Cognito signs, with the same
    /// credentials), and the OpenID tokens' keys at `/identity/.well-known/jwks.json` and
    /// `/identity/.well-known/openid-configuration`.
    #[must_use]
    pub fn identity(mut self, identity: IdentityService) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Serve `GET /_dev/messages` from this outbox (loopback clients only).
    #[must_use]
    pub fn dev_outbox(mut self, outbox: Arc<Outbox>) -> Self {
        self.dev_outbox = Some(outbox);
        self
    }

    pub(crate) fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }
}
