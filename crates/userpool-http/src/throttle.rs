//! Request-rate quotas per category, as Cognito applies them per account and region
//! (default rates from Cognito's quotas page), answered with `TooManyRequestsException`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Cognito's quota categories.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Sign-in and challenge answers.
    UserAuthentication,
    /// SignUp, AdminCreateUser, confirmation.
    UserCreation,
    /// ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode.
    UserAccountRecovery,
    /// GetUser, AdminGetUser, device and group reads of one user.
    UserRead,
    /// Attribute, password, MFA, device and status changes.
    UserUpdate,
    /// ListUsers, ListUsersInGroup.
    UserList,
    /// Group management.
    UserGroup,
    /// Pools, clients, resource servers, import jobs.
    UserPoolResource,
    /// Token refresh and revocation.
    UserToken,
}

impl Category {
    /// Every category.
    pub const ALL: [Self; 9] = [
        Self::UserAuthentication,
        Self::UserCreation,
        Self::UserAccountRecovery,
        Self::UserRead,
        Self::UserUpdate,
        Self::UserList,
        Self::UserGroup,
        Self::UserPoolResource,
        Self::UserToken,
    ];

    /// Cognito's default requests per second.
    pub fn default_quota(self) -> u32 {
        match self {
            Self::UserAuthentication => 120,
            Self::UserCreation => 50,
            Self::UserAccountRecovery => 30,
            Self::UserRead => 120,
            Self::UserUpdate => 25,
            Self::UserList => 30,
            Self::UserGroup => 25,
            Self::UserPoolResource => 15,
            Self::UserToken => 120,
        }
    }
}

/// Token buckets, one per category: capacity and refill are the per-second quota.
#[derive(Debug)]
pub(crate) struct Throttle {
    buckets: Mutex<HashMap<Category, (f64, Instant)>>,
    quotas: HashMap<Category, u32>,
}

impl Throttle {
    pub(crate) fn new(quotas: HashMap<Category, u32>) -> Self {
        Self {
            buckets: Mutex::new(HashMap::new()),
            quotas,
        }
    }

    /// Takes one request's token; `false` when the category is over its rate.
    pub(crate) fn admit(&self, category: Category) -> bool {
        let quota = f64::from(self.quotas.get(&category).copied().unwrap_or(0));
        let Ok(mut buckets) = self.buckets.lock() else {
            return false;
        };
        let now = Instant::now();
        let (tokens, last) = buckets.entry(category).or_insert((quota, now));
        let refilled = (*tokens + now.duration_since(*last).as_secs_f64() * quota).min(quota);
        *last = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            true
        } else {
            *tokens = refilled;
            false
        }
    }
}
