//! Custom sender codes encrypted by AWS KMS `Encrypt` (JSON 1.1, `TrentService.Encrypt`,
//! SigV4 service `kms`) under the pool's `KMSKeyID`, at a configurable endpoint.
//!
//! `request.code` is the base64 `CiphertextBlob` KMS returns, encrypted with the encryption
//! context `{"userpool-id": "<pool id>"}`. This is **not** the AWS Encryption SDK message
//! format Cognito uses: a handler decrypts it with KMS `Decrypt` directly —
//! `kms.decrypt(CiphertextBlob=base64.b64decode(event["request"]["code"]),
//! EncryptionContext={"userpool-id": event["userPoolId"]})["Plaintext"].decode()` in Python —
//! not with the Encryption SDK's `decrypt`.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use userpool::{CodeContext, CodeEncryptor, DeliveryFailure};
use zeroize::Zeroizing;

use crate::aws::{AwsClient, AwsEndpoint};
use crate::error::Error;

/// The encryption context key bound to every code.
pub const ENCRYPTION_CONTEXT_KEY: &str = "userpool-id";

/// Encrypts codes with KMS.
#[derive(Debug, Clone)]
pub struct KmsEncryptor {
    client: AwsClient,
}

impl KmsEncryptor {
    /// An encryptor calling KMS at `endpoint` (e.g. `https://kms.us-east-1.amazonaws.com`),
    /// with a 5-second limit per call.
    pub fn new(endpoint: AwsEndpoint) -> Result<Self, Error> {
        Ok(Self {
            client: AwsClient::new(endpoint, "kms", Duration::from_secs(5))?,
        })
    }

    /// The base64 `CiphertextBlob` of `code` under `context`.
    pub async fn encrypt_code(&self, code: &str, context: &CodeContext) -> Result<String, Error> {
        let body = Zeroizing::new(
            serde_json::to_vec(&json!({
                "KeyId": context.kms_key_id,
                "Plaintext": STANDARD.encode(code.as_bytes()),
                "EncryptionContext": {ENCRYPTION_CONTEXT_KEY: context.pool_id},
            }))
            .map_err(|e| Error::Config(e.to_string()))?,
        );
        let answer = self
            .client
            .post(
                "/",
                &[
                    ("content-type", "application/x-amz-json-1.1"),
                    ("x-amz-target", "TrentService.Encrypt"),
                ],
                body.to_vec(),
            )
            .await?;
        let parsed: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        if !(200..300).contains(&answer.status) {
            let kind = parsed
                .get("__type")
                .and_then(serde_json::Value::as_str)
                .map(|t| t.rsplit('#').next().unwrap_or(t).to_owned())
                .unwrap_or_else(|| "(no error type)".into());
            return Err(Error::Rejected {
                service: "KMS",
                reason: format!("HTTP {} {kind}", answer.status),
            });
        }
        parsed
            .get("CiphertextBlob")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::Rejected {
                service: "KMS",
                reason: "the answer has no CiphertextBlob".into(),
            })
    }
}

#[async_trait]
impl CodeEncryptor for KmsEncryptor {
    async fn encrypt(&self, code: &str, context: &CodeContext) -> Result<String, DeliveryFailure> {
        self.encrypt_code(code, context).await.map_err(Into::into)
    }
}
