//! The custom sender triggers' code encryption: Cognito never hands `CustomEmailSender` /
//! `CustomSMSSender` a code in clear; a [`CodeEncryptor`] (KMS `Encrypt`, or a key shared with
//! the function — see the `userpool-delivery` crate) makes `request.code`.

use async_trait::async_trait;

use crate::messages::DeliveryFailure;

/// What a code is encrypted for.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeContext {
    /// The pool (bound into the ciphertext: the KMS encryption context `userpool-id`, or the
    /// AEAD's associated data).
    pub pool_id: String,
    /// The pool's `LambdaConfig.KMSKeyID`.
    pub kms_key_id: String,
}

impl CodeContext {
    /// A context for `pool_id` under `kms_key_id`.
    pub fn new(pool_id: impl Into<String>, kms_key_id: impl Into<String>) -> Self {
        Self {
            pool_id: pool_id.into(),
            kms_key_id: kms_key_id.into(),
        }
    }
}

/// Encrypts a code (or temporary password) for a custom sender trigger. Implementations must
/// not log the code.
#[async_trait]
pub trait CodeEncryptor: Send + Sync {
    /// The text `request.code` carries (base64 of the ciphertext).
    async fn encrypt(&self, code: &str, context: &CodeContext) -> Result<String, DeliveryFailure>;
}
