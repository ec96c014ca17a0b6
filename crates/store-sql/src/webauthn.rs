//! WebAuthn credentials: `up_webauthn`, keyed by pool and credential id (hex), cascading
//! with their user.

use async_trait::async_trait;
use sqlx::Row as _;
use user_pool_model::{FoldedUsername, UserPoolId};
use userpool_store::{StoreError, StoreResult, WebAuthnCredential, WebAuthnStore};

use crate::codec::{from_json, to_json};
use crate::failure;
use crate::store::SqlStore;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[async_trait]
impl WebAuthnStore for SqlStore {
    async fn insert_webauthn_credential(
        &self,
        pool: &UserPoolId,
        credential: WebAuthnCredential,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let data = to_json(&credential)?;
        let id = hex(&credential.credential_id);
        let inserted = failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "INSERT INTO up_webauthn (pool, credential_id, username_key, created, sign_count, backed_up, data) \
                     SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS \
                     (SELECT 1 FROM up_users WHERE pool = $1 AND username_key = $3)",
                )
                .bind(pool.as_str())
                .bind(id.as_str())
                .bind(credential.username_key.as_str())
                .bind(credential.created)
                .bind(i64::from(credential.sign_count))
                .bind(i64::from(credential.backed_up))
                .bind(data.as_str())
                .execute(db)
                .await,
                Some(StoreError::WebAuthnCredentialExists),
            )
            .map(|r| r.rows_affected())
        })
        .await?;
        match inserted {
            0 => Err(StoreError::UserNotFound),
            _ => Ok(()),
        }
    }

    async fn list_webauthn_credentials(
        &self,
        pool: &UserPoolId,
        key: &FoldedUsername,
    ) -> StoreResult<Vec<WebAuthnCredential>> {
        let username_key = key.as_str();
        let db = self.ready().await?;
        let rows = failure::read(|| async {
            sqlx::query(
                "SELECT data, sign_count, backed_up FROM up_webauthn \
                 WHERE pool = $1 AND username_key = $2 ORDER BY created, credential_id",
            )
            .bind(pool.as_str())
            .bind(username_key)
            .fetch_all(db)
            .await
        })
        .await?;
        rows.iter()
            .map(|row| {
                let data: String = row.try_get(0).map_err(|e| failure::backend(&e))?;
                let count: i64 = row.try_get(1).map_err(|e| failure::backend(&e))?;
                let backed_up: i64 = row.try_get(2).map_err(|e| failure::backend(&e))?;
                let mut c: WebAuthnCredential = from_json(&data)?;
                c.sign_count = u32::try_from(count)
                    .map_err(|_| StoreError::Backend("stored counter out of range".into()))?;
                c.backed_up = backed_up != 0;
                Ok(c)
            })
            .collect()
    }

    async fn update_webauthn_counter(
        &self,
        pool: &UserPoolId,
        credential_id: &[u8],
        expected: u32,
        sign_count: u32,
        backed_up: bool,
    ) -> StoreResult<()> {
        let db = self.writer().await?;
        let id = hex(credential_id);
        let updated = failure::retry_write(|| async {
            failure::written(
                sqlx::query(
                    "UPDATE up_webauthn SET sign_count = $3, backed_up = $4 \
                     WHERE pool = $1 AND credential_id = $2 AND sign_count = $5",
                )
                .bind(pool.as_str())
                .bind(id.as_str())
                .bind(i64::from(sign_count))
                .bind(i64::from(backed_up))
                .bind(i64::from(expected))
                .execute(db)
                .await,
                None,
            )
            .map(|r| r.rows_affected())
        })
        .await?;
        if updated > 0 {
            return Ok(());
        }
        let exists: Option<i64> = failure::read(|| async {
            sqlx::query_scalar(
                "SELECT sign_count FROM up_webauthn WHERE pool = $1 AND credential_id = $2",
            )
            .bind(pool.as_str())
            .bind(id.as_str())
            .fetch_optional(db)
            .await
        })
        .await?;
        Err(match exists {
            Some(_) => StoreError::VersionConflict,
            None => StoreError::WebAuthnCredentialNotFound,
        })
    }

    async fn delete_webauthn_credential(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        credential_id: &[u8],
    ) -> StoreResult<()> {
        let username_key = username_key.as_str();
        self.execute_one(
            "DELETE FROM up_webauthn WHERE pool = $1 AND username_key = $2 AND credential_id = $3",
            &[pool.as_str(), username_key, &hex(credential_id)],
            StoreError::WebAuthnCredentialNotFound,
        )
        .await
    }
}
