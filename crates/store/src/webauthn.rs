//! Passkeys: WebAuthn credentials, unique per pool by credential id, each owned by one user
//! and gone with that user.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use user_pool_model::{FoldedUsername, UserPoolId};

use crate::error::StoreResult;

/// A registered WebAuthn credential (CompleteWebAuthnRegistration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebAuthnCredential {
    /// The owner's username key (folded by the pool's case rule).
    pub username_key: FoldedUsername,
    /// The credential id (raw bytes).
    pub credential_id: Vec<u8>,
    /// The COSE public key.
    pub public_key: Vec<u8>,
    /// The last signature counter seen.
    pub sign_count: u32,
    /// `FriendlyCredentialName`.
    pub friendly_name: String,
    /// `RelyingPartyId` at registration.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment` (`platform` / `cross-platform`).
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub transports: Vec<String>,
    /// The authenticator model.
    pub aaguid: Vec<u8>,
    /// BE at registration: a synced passkey.
    pub backup_eligible: bool,
    /// BS, as last reported.
    pub backed_up: bool,
    /// Created (unix seconds).
    pub created: i64,
}

/// WebAuthn credentials.
#[async_trait]
pub trait WebAuthnStore: Send + Sync {
    /// Adds one; [`WebAuthnCredentialExists`](crate::StoreError::WebAuthnCredentialExists) if
    /// the credential id is registered in the pool (to anyone),
    /// [`UserNotFound`](crate::StoreError::UserNotFound) without its owner.
    async fn insert_webauthn_credential(
        &self,
        pool: &UserPoolId,
        credential: WebAuthnCredential,
    ) -> StoreResult<()>;
    /// A user's credentials, oldest first.
    async fn list_webauthn_credentials(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
    ) -> StoreResult<Vec<WebAuthnCredential>>;
    /// Stores a new signature counter and backup state if the stored counter is still
    /// `expected` ([`VersionConflict`](crate::StoreError::VersionConflict) otherwise: another
    /// sign-in used the credential meanwhile).
    async fn update_webauthn_counter(
        &self,
        pool: &UserPoolId,
        credential_id: &[u8],
        expected: u32,
        sign_count: u32,
        backed_up: bool,
    ) -> StoreResult<()>;
    /// Deletes one of the user's credentials
    /// ([`WebAuthnCredentialNotFound`](crate::StoreError::WebAuthnCredentialNotFound)).
    async fn delete_webauthn_credential(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        credential_id: &[u8],
    ) -> StoreResult<()>;
}
