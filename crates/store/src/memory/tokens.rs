//! One-time codes, replay markers and refresh-token families in memory.

use std::collections::HashMap;

use async_trait::async_trait;
use subtle::ConstantTimeEq;
use user_pool_model::{FoldedUsername, UserPoolId};

use super::MemoryStore;
use crate::error::{StoreError, StoreResult};
use crate::records::{CodePurpose, CodeRecord, RefreshFamily};
use crate::traits::{CodeStore, RefreshTokenStore, ReplayStore};

#[derive(Default)]
pub(super) struct Tokens {
    codes: HashMap<(CodePurpose, String), CodeRecord>,
    markers: HashMap<[u8; 32], i64>,
    families: HashMap<String, RefreshFamily>,
    by_hash: HashMap<[u8; 32], String>,
}

impl Tokens {
    fn create_family(&mut self, family: RefreshFamily) -> StoreResult<()> {
        if self.families.contains_key(&family.id) || self.by_hash.contains_key(&family.token_hash) {
            return Err(StoreError::VersionConflict);
        }
        self.by_hash.insert(family.token_hash, family.id.clone());
        self.families.insert(family.id.clone(), family);
        Ok(())
    }

    pub(super) fn forget_user(&mut self, user: &str) {
        self.codes.retain(|(_, u), _| u != user);
        let ids: Vec<String> = self
            .families
            .values()
            .filter(|f| f.user == user)
            .map(|f| f.id.clone())
            .collect();
        for id in ids {
            if let Some(f) = self.families.remove(&id) {
                self.by_hash.remove(&f.token_hash);
                if let Some((prev, _)) = f.previous {
                    self.by_hash.remove(&prev);
                }
            }
        }
    }
}

#[async_trait]
impl CodeStore for MemoryStore {
    async fn put_code(&self, pool: &UserPoolId, code: CodeRecord) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.tokens
                .codes
                .insert((code.purpose.clone(), code.user.clone()), code);
            Ok(())
        })
    }

    async fn consume_code(
        &self,
        pool: &UserPoolId,
        purpose: &CodePurpose,
        user: &str,
        candidate_hash: &[u8; 32],
        now: i64,
    ) -> StoreResult<()> {
        // The whole guess (attempt taken, hashes compared, code removed) runs under the pool's
        // lock, so racing guesses are compared one after another against the count the
        // previous one left.
        self.with_pool(pool, |p| {
            let key = (purpose.clone(), user.to_owned());
            let record = p
                .tokens
                .codes
                .get_mut(&key)
                .ok_or(StoreError::CodeNotFound)?;
            if now > record.expires_at {
                p.tokens.codes.remove(&key);
                return Err(StoreError::CodeExpired);
            }
            if record.attempts_left == 0 {
                // Stored without attempts: it can never be used.
                p.tokens.codes.remove(&key);
                return Err(StoreError::CodeNotFound);
            }
            if bool::from(record.code_hash.ct_eq(candidate_hash)) {
                p.tokens.codes.remove(&key);
                return Ok(());
            }
            record.attempts_left = record.attempts_left.saturating_sub(1);
            if record.attempts_left == 0 {
                p.tokens.codes.remove(&key);
                return Err(StoreError::TooManyAttempts);
            }
            Err(StoreError::CodeMismatch)
        })
    }

    async fn purge_expired_codes(&self, now: i64) -> StoreResult<usize> {
        self.for_each_pool(|p| {
            let before = p.tokens.codes.len();
            p.tokens.codes.retain(|_, c| c.expires_at >= now);
            before - p.tokens.codes.len()
        })
    }
}

#[async_trait]
impl ReplayStore for MemoryStore {
    async fn mark_used(
        &self,
        pool: &UserPoolId,
        marker: &[u8; 32],
        expires_at: i64,
    ) -> StoreResult<bool> {
        self.with_pool(pool, |p| {
            Ok(p.tokens.markers.insert(*marker, expires_at).is_none())
        })
    }

    async fn purge_expired_markers(&self, now: i64) -> StoreResult<usize> {
        self.for_each_pool(|p| {
            let before = p.tokens.markers.len();
            p.tokens.markers.retain(|_, t| *t >= now);
            before - p.tokens.markers.len()
        })
    }
}

#[async_trait]
impl RefreshTokenStore for MemoryStore {
    async fn create_family(&self, pool: &UserPoolId, family: RefreshFamily) -> StoreResult<()> {
        self.with_pool(pool, |p| p.tokens.create_family(family))
    }

    async fn create_family_spending(
        &self,
        pool: &UserPoolId,
        family: RefreshFamily,
        marker: &[u8; 32],
        marker_expires_at: i64,
    ) -> StoreResult<bool> {
        self.with_pool(pool, |p| {
            if p.tokens.markers.contains_key(marker) {
                return Ok(false);
            }
            p.tokens.create_family(family)?;
            p.tokens.markers.insert(*marker, marker_expires_at);
            Ok(true)
        })
    }

    async fn find_family(
        &self,
        pool: &UserPoolId,
        hash: &[u8; 32],
    ) -> StoreResult<Option<RefreshFamily>> {
        self.with_pool(pool, |p| {
            Ok(p.tokens
                .by_hash
                .get(hash)
                .and_then(|id| p.tokens.families.get(id))
                .cloned())
        })
    }

    async fn get_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<Option<RefreshFamily>> {
        self.with_pool(pool, |p| Ok(p.tokens.families.get(id).cloned()))
    }

    async fn rotate_family(
        &self,
        pool: &UserPoolId,
        id: &str,
        expected: &[u8; 32],
        new_hash: [u8; 32],
        now: i64,
    ) -> StoreResult<RefreshFamily> {
        self.with_pool(pool, |p| {
            if p.tokens.by_hash.contains_key(&new_hash) {
                return Err(StoreError::VersionConflict);
            }
            let family = p
                .tokens
                .families
                .get_mut(id)
                .ok_or(StoreError::RefreshTokenNotFound)?;
            if family.revoked {
                return Err(StoreError::FamilyRevoked);
            }
            if !bool::from(family.token_hash.ct_eq(expected)) {
                return Err(StoreError::VersionConflict);
            }
            if let Some((old, _)) = family.previous.take() {
                p.tokens.by_hash.remove(&old);
            }
            family.previous = Some((family.token_hash, now));
            family.token_hash = new_hash;
            p.tokens.by_hash.insert(new_hash, id.to_owned());
            Ok(family.clone())
        })
    }

    async fn revoke_family(&self, pool: &UserPoolId, id: &str) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            let family = p
                .tokens
                .families
                .get_mut(id)
                .ok_or(StoreError::RefreshTokenNotFound)?;
            family.revoked = true;
            Ok(())
        })
    }

    async fn revoke_user_families(
        &self,
        pool: &UserPoolId,
        user: &FoldedUsername,
    ) -> StoreResult<usize> {
        self.with_pool(pool, |p| {
            let mut n = 0;
            for f in p
                .tokens
                .families
                .values_mut()
                .filter(|f| f.user == *user && !f.revoked)
            {
                f.revoked = true;
                n += 1;
            }
            Ok(n)
        })
    }
}
