//! What an embedder configures: admin credentials, limits, throttling, the development outbox.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use userpool::Outbox;

use crate::sigv4::AdminCredentials;
use crate::throttle::Category;

/// The adapter's settings. `HttpConfig::default()` refuses every signed (admin) action until
/// credentials are given, allows 1 MiB bodies and 10 s per request, and applies Cognito's
/// default request-rate quotas.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub(crate) admin: AdminAuth,
    pub(crate) body_limit: usize,
    pub(crate) request_timeout: Duration,
    pub(crate) quotas: HashMap<Category, u32>,
    pub(crate) dev_outbox: Option<Arc<Outbox>>,
}

/// How the actions Cognito signs with SigV4 are authenticated.
#[derive(Debug, Clone)]
pub enum AdminAuth {
    /// A valid SigV4 signature by one of these keys (service `cognito-idp`).
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
            quotas: Category::ALL
                .iter()
                .map(|c| (*c, c.default_quota()))
                .collect(),
            dev_outbox: None,
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

    /// Requests per second allowed for one quota category (0 turns it off entirely).
    #[must_use]
    pub fn quota(mut self, category: Category, per_second: u32) -> Self {
        self.quotas.insert(category, per_second);
        self
    }

    /// Serve `GET /_dev/messages` from this outbox (loopback clients only).
    #[must_use]
    pub fn dev_outbox(mut self, outbox: Arc<Outbox>) -> Self {
        self.dev_outbox = Some(outbox);
        self
    }
}
