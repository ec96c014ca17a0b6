//! ForgotPassword, ConfirmForgotPassword, ChangePassword, AdminSetUserPassword,
//! AdminResetUserPassword.

use custom_auth_triggers::TriggerSource;
use user_pool_model::{PoolConfig, PreventUserExistenceErrors, User};
use userpool_store::CodePurpose;

use userpool_risk::{EventFilter, EventType};

use crate::accounts::Accounts;
use crate::accounts::sign_up::simulated_delivery;
use crate::core::codes::Destination;
use crate::core::missing;
use crate::error::{Error, ErrorKind, INCORRECT_CREDENTIALS, Result};
use crate::hooks::Caller;
use crate::messages::MessageKind;
use crate::threat::engine::Origin;
use crate::wire::*;

/// Password-reset codes live one hour.
const RESET_CODE_SECONDS: i64 = 3600;

/// Where a reset code goes: the pool's recovery mechanisms in priority order, among
/// verified attributes.
fn recovery_destination(pool: &PoolConfig, user: &User) -> Option<Destination> {
    let mut options = pool.account_recovery.clone();
    options.sort_by_key(|o| o.priority);
    options.iter().find_map(|o| match o.name.as_str() {
        "verified_email" if user.is_verified("email") => {
            user.attributes.get("email").map(|v| Destination::email(v))
        }
        "verified_phone_number" if user.is_verified("phone_number") => user
            .attributes
            .get("phone_number")
            .map(|v| Destination::sms(v)),
        _ => None,
    })
}

fn no_recovery() -> Error {
    Error::new(
        ErrorKind::InvalidParameter,
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    )
}

impl Accounts {
    /// ForgotPassword.
    pub async fn forgot_password(&self, req: ClientUserRequest) -> Result<CodeDeliveryResponse> {
        let (pool, client) = self.core.client(&req.client_id).await?;
        client.check_secret_hash(
            &req.username,
            req.secret_hash.as_ref().map(SecretString::expose_secret),
        )?;
        let hidden = client.prevent_user_existence_errors == PreventUserExistenceErrors::Enabled;
        let simulated = || {
            Ok(CodeDeliveryResponse {
                code_delivery_details: simulated_delivery(&pool),
            })
        };
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        let found = match self.core.find_user(&pool, &req.username).await? {
            Some(user) => Some(user),
            None => {
                self.core
                    .migrate_user(
                        &pool,
                        &req.username,
                        None,
                        TriggerSource::UserMigrationForgotPassword,
                        &caller,
                    )
                    .await?
            }
        };
        let user = match found {
            Some(user) if user.enabled => user,
            _ if hidden => {
                self.core
                    .phantom_code(
                        &pool,
                        CodePurpose::PasswordReset,
                        &req.username,
                        RESET_CODE_SECONDS,
                    )
                    .await?;
                return simulated();
            }
            Some(_) => return Err(Error::new(ErrorKind::NotAuthorized, "User is disabled.")),
            None => {
                return Err(Error::new(
                    ErrorKind::UserNotFound,
                    "Username/client id combination not found.",
                ));
            }
        };
        let Some(destination) = recovery_destination(&pool, &user) else {
            if !hidden {
                return Err(no_recovery());
            }
            self.core
                .phantom_code(
                    &pool,
                    CodePurpose::PasswordReset,
                    &req.username,
                    RESET_CODE_SECONDS,
                )
                .await?;
            return simulated();
        };
        let details = self
            .core
            .issue_code(
                &pool,
                &user,
                CodePurpose::PasswordReset,
                RESET_CODE_SECONDS,
                &destination,
                MessageKind::ForgotPassword,
                &caller,
            )
            .await?;
        crate::audit!(operation = "ForgotPassword", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(CodeDeliveryResponse {
            code_delivery_details: details,
        })
    }

    /// ConfirmForgotPassword: a new password; the user is `CONFIRMED` afterwards.
    pub async fn confirm_forgot_password(
        &self,
        req: ConfirmForgotPasswordRequest,
    ) -> Result<Empty> {
        let (pool, client) = self.core.client(&req.client_id).await?;
        client.check_secret_hash(
            &req.username,
            req.secret_hash.as_ref().map(SecretString::expose_secret),
        )?;
        if req.password.is_empty() {
            return Err(missing("password"));
        }
        let hidden = client.prevent_user_existence_errors == PreventUserExistenceErrors::Enabled;
        let user = match self.core.find_user(&pool, &req.username).await? {
            Some(user) if user.enabled || !hidden => user,
            _ if hidden => {
                return Err(self
                    .core
                    .consume_phantom_code(
                        &pool,
                        &CodePurpose::PasswordReset,
                        &req.username,
                        req.confirmation_code.expose_secret(),
                    )
                    .await);
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::UserNotFound,
                    "Username/client id combination not found.",
                ));
            }
        };
        pool.password_policy.check(req.password.expose_secret())?;
        let origin = Origin::public(&client, req.user_context_data.as_ref());
        let user_key = pool.case_rule.username_key(&user.username);
        let breached = self
            .core
            .check_new_password(
                &pool,
                client.id.as_str(),
                &user_key,
                EventType::ForgotPassword,
                &origin,
                req.password.expose_secret(),
            )
            .await?;
        let status = user.status.forgot_password_confirmed()?;
        self.core
            .consume_code(
                &pool,
                &CodePurpose::PasswordReset,
                &user,
                req.confirmation_code.expose_secret(),
            )
            .await?;
        let mut changed = user.clone();
        changed.status = status;
        changed.password =
            Some(
                self.core
                    .password_record(&pool, &user, req.password.expose_secret(), None)?,
            );
        // A reset ends the hosted UI's sign-in sessions of the old password.
        changed.session_epoch = changed.session_epoch.wrapping_add(1);
        let user = self.core.save_user(&pool, changed).await?;
        let _ = self
            .core
            .store()
            .reset_failures(&pool.id, &pool.case_rule.username_key(&user.username))
            .await;
        crate::audit!(operation = "ConfirmForgotPassword", pool = %pool.id.as_str(), sub = %user.sub);
        self.core
            .record_account_event(
                &pool,
                &user_key,
                EventType::ForgotPassword,
                true,
                breached,
                &origin,
            )
            .await?;
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        self.post_confirmation(
            &pool,
            &user,
            TriggerSource::PostConfirmationConfirmForgotPassword,
            &caller,
        )
        .await?;
        Ok(Empty {})
    }

    /// ChangePassword: the previous password must match (a wrong one counts toward lockout).
    pub async fn change_password(&self, req: ChangePasswordRequest) -> Result<Empty> {
        let auth = self.tokens.authorize(&req.access_token).await?;
        let (pool, user) = (&auth.pool, &auth.user);
        if req.proposed_password.is_empty() {
            return Err(missing("proposedPassword"));
        }
        let key = pool.case_rule.username_key(&user.username);
        let locked = {
            let state = self.core.store().lockout_state(&pool.id, &key).await?;
            let failures = auth_flow_state_machine::Failures {
                count: state.failures,
                last: state.last_failure,
            };
            self.core
                .settings
                .lockout
                .check(failures, self.core.now())
                .is_err()
        };
        if locked {
            return Err(Error::new(
                ErrorKind::NotAuthorized,
                "Password attempts exceeded",
            ));
        }
        let matches = match (
            self.core.open_verifier(&pool.id, user)?,
            user.password.as_ref(),
        ) {
            (Some(verifier), Some(record)) => srp::verify_password(
                pool.id.pool_name(),
                &user.username,
                &srp::Password::new(req.previous_password.expose_secret()),
                &srp::Salt::from_bytes(record.salt.clone()),
                &verifier,
            ),
            _ => false,
        };
        if !matches {
            self.core
                .store()
                .record_failure(&pool.id, &key, self.core.now())
                .await?;
            return Err(Error::new(ErrorKind::NotAuthorized, INCORRECT_CREDENTIALS));
        }
        pool.password_policy
            .check(req.proposed_password.expose_secret())?;
        let origin = Origin::caller();
        let breached = self
            .core
            .check_new_password(
                pool,
                auth.client_id.as_str(),
                &key,
                EventType::PasswordChange,
                &origin,
                req.proposed_password.expose_secret(),
            )
            .await?;
        let mut changed = user.clone();
        changed.password = Some(self.core.password_record(
            pool,
            user,
            req.proposed_password.expose_secret(),
            None,
        )?);
        self.core.save_user(pool, changed).await?;
        self.core.store().reset_failures(&pool.id, &key).await?;
        crate::audit!(operation = "ChangePassword", pool = %pool.id.as_str(), sub = %user.sub);
        self.core
            .record_account_event(
                pool,
                &key,
                EventType::PasswordChange,
                true,
                breached,
                &origin,
            )
            .await?;
        Ok(Empty {})
    }

    /// AdminSetUserPassword: permanent (`CONFIRMED`) or temporary (`FORCE_CHANGE_PASSWORD`).
    pub async fn admin_set_user_password(&self, req: AdminSetUserPasswordRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        if req.password.is_empty() {
            return Err(missing("password"));
        }
        pool.password_policy.check(req.password.expose_secret())?;
        self.core.compromised(
            &pool,
            "",
            EventFilter::PasswordChange,
            req.password.expose_secret(),
        )?;
        let expires = (!req.permanent).then(|| {
            self.core.now()
                + i64::from(pool.password_policy.temporary_password_validity_days) * 86_400
        });
        let mut changed = user.clone();
        changed.status = user.status.admin_set_password(req.permanent);
        changed.password =
            Some(
                self.core
                    .password_record(&pool, &user, req.password.expose_secret(), expires)?,
            );
        changed.session_epoch = changed.session_epoch.wrapping_add(1);
        self.core.save_user(&pool, changed).await?;
        crate::audit!(operation = "AdminSetUserPassword", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(Empty {})
    }

    /// AdminResetUserPassword: `RESET_REQUIRED`, and a reset code to a verified channel.
    pub async fn admin_reset_user_password(&self, req: AdminUserRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        let status = user.status.admin_reset_password()?;
        let destination = recovery_destination(&pool, &user);
        let mut changed = user.clone();
        changed.status = status;
        let user = self.core.save_user(&pool, changed).await?;
        self.tokens.sign_out_everywhere(&pool, &user).await?;
        if let Some(destination) = destination {
            let caller = Caller {
                client_id: "",
                metadata: Some(&req.client_metadata),
            };
            self.core
                .issue_code(
                    &pool,
                    &user,
                    CodePurpose::PasswordReset,
                    RESET_CODE_SECONDS,
                    &destination,
                    MessageKind::ForgotPassword,
                    &caller,
                )
                .await?;
        }
        crate::audit!(operation = "AdminResetUserPassword", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(Empty {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use user_pool_model::{Sub, UserPoolId, UserStatus};

    #[test]
    fn recovery_prefers_the_configured_order_among_verified_channels() {
        let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123").unwrap(), "p").unwrap();
        let mut user = User::new("alice", Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
        user.attributes
            .insert("email".into(), "a@example.com".into());
        user.attributes
            .insert("phone_number".into(), "+14155550100".into());
        assert!(
            recovery_destination(&pool, &user).is_none(),
            "nothing verified"
        );
        user.attributes
            .insert("phone_number_verified".into(), "true".into());
        assert_eq!(
            recovery_destination(&pool, &user).map(|d| d.attribute),
            Some("phone_number")
        );
        user.attributes
            .insert("email_verified".into(), "true".into());
        assert_eq!(
            recovery_destination(&pool, &user).map(|d| d.attribute),
            Some("email")
        );
    }
}
