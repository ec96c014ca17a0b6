//! WebAuthn credentials in memory.

use async_trait::async_trait;
use user_pool_model::{FoldedUsername, UserPoolId};

use super::MemoryStore;
use crate::error::{StoreError, StoreResult};
use crate::webauthn::{WebAuthnCredential, WebAuthnStore};

#[async_trait]
impl WebAuthnStore for MemoryStore {
    async fn insert_webauthn_credential(
        &self,
        pool: &UserPoolId,
        credential: WebAuthnCredential,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            if p.users.get(&credential.username_key)?.is_none() {
                return Err(StoreError::UserNotFound);
            }
            if p.passkeys.contains_key(&credential.credential_id) {
                return Err(StoreError::WebAuthnCredentialExists);
            }
            p.passkeys
                .insert(credential.credential_id.clone(), credential);
            Ok(())
        })
    }

    async fn list_webauthn_credentials(
        &self,
        pool: &UserPoolId,
        key: &FoldedUsername,
    ) -> StoreResult<Vec<WebAuthnCredential>> {
        let username_key = key.as_str();
        self.with_pool(pool, |p| {
            let mut out: Vec<WebAuthnCredential> = p
                .passkeys
                .values()
                .filter(|c| c.username_key == username_key)
                .cloned()
                .collect();
            out.sort_by(|a, b| (a.created, &a.credential_id).cmp(&(b.created, &b.credential_id)));
            Ok(out)
        })
    }

    async fn update_webauthn_counter(
        &self,
        pool: &UserPoolId,
        credential_id: &[u8],
        expected: u32,
        sign_count: u32,
        backed_up: bool,
    ) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            let c = p
                .passkeys
                .get_mut(credential_id)
                .ok_or(StoreError::WebAuthnCredentialNotFound)?;
            if c.sign_count != expected {
                return Err(StoreError::VersionConflict);
            }
            c.sign_count = sign_count;
            c.backed_up = backed_up;
            Ok(())
        })
    }

    async fn delete_webauthn_credential(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        credential_id: &[u8],
    ) -> StoreResult<()> {
        let username_key = username_key.as_str();
        self.with_pool(pool, |p| {
            match p.passkeys.get(credential_id) {
                Some(c) if c.username_key == username_key => {}
                _ => return Err(StoreError::WebAuthnCredentialNotFound),
            }
            p.passkeys.remove(credential_id);
            Ok(())
        })
    }
}
