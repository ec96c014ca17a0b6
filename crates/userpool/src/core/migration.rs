//! UserMigration: a user that does not exist here is looked up in the system being left
//! behind — at sign-in with a password (`UserMigration_Authentication`, which also proves
//! the password) and at ForgotPassword (`UserMigration_ForgotPassword`).

use custom_auth_triggers::events::UserMigrationRequest;
use custom_auth_triggers::{TriggerSource, UserMigration};
use user_pool_model::{
    Attribute, MfaMethod, PoolConfig, Sub, User, UserStatus, validate_attribute,
};
use userpool_store::{StoreError, UserKeys};

use crate::core::Core;
use crate::error::Result;
use crate::hooks::Caller;

impl Core {
    /// Runs UserMigration for `login`; the migrated user, stored, or `None` when the pool has
    /// no such trigger or the function found nobody (no attributes returned).
    pub(crate) async fn migrate_user(
        &self,
        pool: &PoolConfig,
        login: &str,
        password: Option<&str>,
        source: TriggerSource,
        caller: &Caller<'_>,
    ) -> Result<Option<User>> {
        let request = UserMigrationRequest {
            password: password.map(str::to_owned),
            validation_data: None,
            client_metadata: caller.metadata(),
        };
        let Some(answer) = self
            .run_trigger::<UserMigration>(pool, source, login, caller, request)
            .await?
        else {
            return Ok(None);
        };
        if answer.user_attributes.is_empty() {
            return Ok(None);
        }
        let sub = self.entropy.with(Sub::generate)?;
        let username = if pool.username_attributes.is_empty() {
            login.to_owned()
        } else {
            sub.to_string()
        };
        user_pool_model::validate_username(&username)?;
        let status = match answer.final_user_status.as_deref() {
            Some("CONFIRMED") => UserStatus::Confirmed,
            _ => UserStatus::ResetRequired,
        };
        let mut user = User::new(&username, sub, status, self.now());
        for (name, value) in &answer.user_attributes {
            if matches!(name.as_str(), "sub" | "username") {
                continue;
            }
            validate_attribute(&pool.schema, &Attribute::new(name.clone(), value.clone()))?;
            user.attributes.insert(name.clone(), value.clone());
        }
        if answer.enable_sms_mfa == Some(true) && user.attributes.contains_key("phone_number") {
            user.mfa.enabled.push(MfaMethod::SmsMfa);
        }
        if let Some(password) = password {
            user.password = Some(self.password_record(pool, &user, password, None)?);
        }
        let keys = UserKeys::for_user(&user, pool);
        let user = match self.store().insert_user(&pool.id, user, &keys).await {
            Ok(user) => user,
            // Migrated concurrently by another request: use that record.
            Err(StoreError::UsernameExists) => {
                return self.find_user(pool, login).await;
            }
            Err(e) => return Err(crate::Error::from(e)),
        };
        crate::audit!(operation = "UserMigration", pool = %pool.id.as_str(), sub = %user.sub, source = ?source);
        Ok(Some(user))
    }
}
