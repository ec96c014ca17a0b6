//! Request-rate limits that protect instead of locking everyone out.
//!
//! The default profile ([`RateLimits::per_source`]) keeps one token bucket per *source*: the
//! client's IP address (behind a proxy the operator trusts, the address it forwarded), the
//! username a credential or code operation names (folded, and the same whether or not the
//! user exists), the app client, and — for signed actions, charged only after the signature
//! verified — the access key. One noisy caller exhausts only its own buckets. Cognito's own
//! account-wide quotas per category are a profile too ([`RateLimits::cognito`]), and limits
//! can be switched off ([`RateLimits::off`]).
//!
//! Default per-source rates (requests per second, burst of twice that):
//!
//! | category | per IP | per username | per app client | per access key |
//! |---|---|---|---|---|
//! | UserAuthentication | 200 | 50 | 2,000 | 1,000 |
//! | UserCreation | 200 | 10 | 2,000 | 1,000 |
//! | UserAccountRecovery | 50 | 5 | 500 | 500 |
//! | UserRead | 500 | — | 5,000 | 1,000 |
//! | UserUpdate | 200 | — | 2,000 | 1,000 |
//! | UserList | 100 | — | — | 500 |
//! | UserGroup | 100 | — | — | 500 |
//! | UserPoolResource | 100 | — | — | 500 |
//! | UserToken | 300 | — | 3,000 | 1,000 |
//!
//! Generous enough for one developer's test suite from one IP (hundreds of sign-ups and
//! sign-ins a second); lockout and the facade's hourly code caps do the fine-grained
//! protection of single accounts.

mod category;
mod limiter;
mod probe;

use std::collections::HashMap;
use std::str::FromStr;

pub use category::Category;
pub(crate) use limiter::{Limiter, Scope};
pub(crate) use probe::named;

/// A token bucket's rate: `per_second` refill, `burst` capacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub(crate) per_second: f64,
    pub(crate) burst: f64,
}

impl Rate {
    /// `per_second` requests a second, with bursts of up to `burst`.
    pub fn new(per_second: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_second),
            burst: f64::from(burst.max(1)),
        }
    }

    /// `per_second` requests a second, bursts of one second's worth.
    pub fn per_second(per_second: u32) -> Self {
        Self::new(per_second, per_second)
    }
}

/// Which kind of source a bucket counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SourceKind {
    Ip,
    Username,
    Client,
    AccessKey,
    Account,
}

/// The request-rate limits of a router (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    rates: HashMap<(SourceKind, Category), Rate>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::per_source()
    }
}

impl RateLimits {
    /// No limits at all.
    pub fn off() -> Self {
        Self {
            rates: HashMap::new(),
        }
    }

    /// Per-source limits (the default; numbers in the module docs).
    pub fn per_source() -> Self {
        use Category::*;
        /// One row of the table in the module docs.
        struct Row(Category, u32, Option<u32>, Option<u32>, u32);
        let table = [
            Row(UserAuthentication, 200, Some(50), Some(2_000), 1_000),
            Row(UserCreation, 200, Some(10), Some(2_000), 1_000),
            Row(UserAccountRecovery, 50, Some(5), Some(500), 500),
            Row(UserRead, 500, None, Some(5_000), 1_000),
            Row(UserUpdate, 200, None, Some(2_000), 1_000),
            Row(UserList, 100, None, None, 500),
            Row(UserGroup, 100, None, None, 500),
            Row(UserPoolResource, 100, None, None, 500),
            Row(UserToken, 300, None, Some(3_000), 1_000),
        ];
        let mut limits = Self::off();
        for Row(category, ip, username, client, key) in table {
            limits = limits.per_ip(category, Rate::new(ip, ip * 2));
            if let Some(u) = username {
                limits = limits.per_username(category, Rate::new(u, u * 2));
            }
            if let Some(c) = client {
                limits = limits.per_client(category, Rate::new(c, c * 2));
            }
            limits = limits.per_access_key(category, Rate::new(key, key * 2));
        }
        limits
    }

    /// Cognito's account-wide default quotas per category (one bucket for everyone; signed
    /// actions are charged after their signature verified).
    pub fn cognito() -> Self {
        Category::ALL.iter().fold(Self::off(), |l, c| {
            l.account(*c, Rate::per_second(c.default_quota()))
        })
    }

    fn with(mut self, kind: SourceKind, category: Category, rate: Rate) -> Self {
        self.rates.insert((kind, category), rate);
        self
    }

    /// Sets the per-IP rate of `category`.
    #[must_use]
    pub fn per_ip(self, category: Category, rate: Rate) -> Self {
        self.with(SourceKind::Ip, category, rate)
    }

    /// Sets the per-username rate of `category` (credential and code operations).
    #[must_use]
    pub fn per_username(self, category: Category, rate: Rate) -> Self {
        self.with(SourceKind::Username, category, rate)
    }

    /// Sets the per-app-client rate of `category`.
    #[must_use]
    pub fn per_client(self, category: Category, rate: Rate) -> Self {
        self.with(SourceKind::Client, category, rate)
    }

    /// Sets the per-access-key rate of `category` (signed actions, after verification).
    #[must_use]
    pub fn per_access_key(self, category: Category, rate: Rate) -> Self {
        self.with(SourceKind::AccessKey, category, rate)
    }

    /// Sets one bucket for every caller of `category` (Cognito's account-wide quota).
    #[must_use]
    pub fn account(self, category: Category, rate: Rate) -> Self {
        self.with(SourceKind::Account, category, rate)
    }

    pub(crate) fn rate(&self, kind: SourceKind, category: Category) -> Option<Rate> {
        self.rates.get(&(kind, category)).copied()
    }
}

/// `off`, `default` (per source) or `cognito`, as the server's `--rate-limits` takes it.
impl FromStr for RateLimits {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "off" => Ok(Self::off()),
            "default" | "per-source" => Ok(Self::per_source()),
            "cognito" => Ok(Self::cognito()),
            _ => Err("rate limits must be off, default or cognito"),
        }
    }
}
