//! Changing a stored user under concurrency: every update is conditional on the version that
//! was read, and a lost race is retried — re-read, re-apply the same change, write again — a
//! bounded number of times with a random pause (cooperative yields), so two clients changing
//! different attributes of one user both succeed. Only when the bound is exhausted does the
//! caller see `ConcurrentModificationException`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use user_pool_model::{PoolConfig, User};
use userpool_store::{StoreError, UserKeys};

use crate::core::Core;
use crate::error::{Error, ErrorKind, Result};

/// Writes tried before a change gives up. Every round of a race has a winner (the store's
/// write is a compare-and-swap on the version), so N concurrent writers of one user finish
/// within N rounds; the bound only stops a pathological storm.
pub(crate) const MAX_WRITE_ATTEMPTS: u32 = 64;

impl Core {
    /// Applies `change` to `user` and stores it; on a version conflict re-reads the user and
    /// applies `change` again (it must be a pure function of the user it is given). Returns
    /// the stored user and what `change` returned on the write that won.
    pub(crate) async fn modify_user<T>(
        &self,
        pool: &PoolConfig,
        user: User,
        mut change: impl FnMut(&mut User) -> Result<T>,
    ) -> Result<(User, T)> {
        let key = pool.case_rule.username_key(&user.username);
        let mut current = user;
        for attempt in 0..MAX_WRITE_ATTEMPTS {
            let mut next = current.clone();
            let out = change(&mut next)?;
            next.modified = self.now();
            if next.password.is_some() {
                // A password replaces an imported hash for good.
                next.imported_password_hash = None;
            }
            let keys = UserKeys::for_user(&next, pool);
            match self.store().update_user(&pool.id, next, &keys).await {
                Ok(stored) => return Ok((stored, out)),
                Err(StoreError::VersionConflict) => {
                    let pause = self
                        .entropy
                        .with(|rng| rand::RngExt::random_range(rng, 0..=attempt.min(8) * 2))?;
                    for _ in 0..pause {
                        YieldNow(false).await;
                    }
                    current = self
                        .store()
                        .get_user(&pool.id, &key)
                        .await?
                        .ok_or_else(|| {
                            Error::new(ErrorKind::UserNotFound, "User does not exist.")
                        })?;
                }
                Err(e) => return Err(Error::from(e)),
            }
        }
        crate::audit!(warn: pool = %pool.id.as_str(), attempts = MAX_WRITE_ATTEMPTS, "user update lost every race");
        Err(Error::from(StoreError::VersionConflict))
    }
}

/// Gives the executor one turn (runtime-agnostic, so the facade needs no runtime).
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
