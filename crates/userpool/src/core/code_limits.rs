//! Per-user hourly caps on one-time codes: how many are sent (ForgotPassword,
//! ResendConfirmationCode, GetUserAttributeVerificationCode, attribute changes, sign-up) and how
//! many guesses are made across all of them. Without the second cap, re-requesting codes
//! would buy fresh attempts forever. Over a cap: `LimitExceededException`, as Cognito answers.
//!
//! The counters are the store's atomic lockout counters under keys that name the clock hour,
//! so every window is fixed and counted exactly under concurrency (the count is taken before
//! the code is sent or compared). Unknown users hidden by PreventUserExistenceErrors are counted
//! the same way, under what was typed: they reach the caps at the same request as real ones.

use user_pool_model::PoolConfig;

use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};

/// Codes sent to one user in one clock hour.
pub const CODES_SENT_PER_HOUR: u32 = 10;
/// Guesses at one user's codes (all purposes together) in one clock hour.
pub const CODE_GUESSES_PER_HOUR: u32 = 20;

const SENT_PREFIX: &str = "\u{1}codes-sent/";
const GUESS_PREFIX: &str = "\u{1}code-guesses/";
/// Counters are kept two hours after their window opened, then purged.
const COUNTER_LIFETIME: i64 = 2 * 3600;

/// Whom a counter counts: a stored user (by username key) or what an unknown user typed.
pub(crate) enum CodeHolder<'a> {
    /// A user, by the pool's folded username.
    User(&'a str),
    /// An unknown user under PreventUserExistenceErrors, by the login as typed.
    Unknown(&'a str),
}

fn limit_exceeded() -> Error {
    Error::new(
        ErrorKind::LimitExceeded,
        "Attempt limit exceeded, please try after some time.",
    )
}

impl Core {
    fn counter_key(&self, pool: &PoolConfig, prefix: &str, holder: &CodeHolder<'_>) -> String {
        let hour = self.now().div_euclid(3600);
        match holder {
            CodeHolder::User(key) => format!("{prefix}{hour}/u/{key}"),
            CodeHolder::Unknown(login) => {
                format!("{prefix}{hour}/?/{}", pool.case_rule.fold(login))
            }
        }
    }

    async fn charge(&self, pool: &PoolConfig, key: &str, cap: u32) -> Result<()> {
        let state = self
            .store()
            .record_failure(&pool.id, key, self.now())
            .await?;
        if state.failures > cap {
            crate::audit!(warn: pool = %pool.id.as_str(), "hourly code limit reached");
            return Err(limit_exceeded());
        }
        Ok(())
    }

    /// Counts one code about to be sent; `LimitExceededException` over the hourly cap.
    pub(crate) async fn charge_code_sent(
        &self,
        pool: &PoolConfig,
        holder: CodeHolder<'_>,
    ) -> Result<()> {
        let key = self.counter_key(pool, SENT_PREFIX, &holder);
        self.charge(pool, &key, CODES_SENT_PER_HOUR).await
    }

    /// Counts one guess about to be compared; `LimitExceededException` over the hourly cap
    /// (then the guess is not compared at all).
    pub(crate) async fn charge_code_guess(
        &self,
        pool: &PoolConfig,
        holder: CodeHolder<'_>,
    ) -> Result<()> {
        let key = self.counter_key(pool, GUESS_PREFIX, &holder);
        self.charge(pool, &key, CODE_GUESSES_PER_HOUR).await
    }

    /// Purges the counters of windows that ended (part of [`Service::purge_expired`]).
    pub(crate) async fn purge_code_counters(&self) -> Result<usize> {
        let before = self.now() - COUNTER_LIFETIME;
        let mut purged = 0;
        for prefix in [SENT_PREFIX, GUESS_PREFIX] {
            purged += self.store().purge_failures(prefix, before).await?;
        }
        Ok(purged)
    }
}
