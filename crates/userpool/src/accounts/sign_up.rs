//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use custom_auth_triggers::events::{PostConfirmationRequest, PreSignUpRequest, StringMap};
use custom_auth_triggers::{PostConfirmation, PreSignUp, TriggerSource};
use user_pool_model::{
    Attribute, PasswordRecord, PoolConfig, PreventUserExistenceErrors, Sub, User, UserStatus,
    check_not_alias_shaped, is_valid_email, is_valid_phone, validate_username,
};
use userpool_store::{CodePurpose, StoreError, UserKeys};

use userpool_risk::EventType;

use crate::accounts::Accounts;
use crate::core::codes::{Destination, sign_up_destination};
use crate::core::{Core, missing};
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::{Caller, trigger_attributes};
use crate::messages::MessageKind;
use crate::threat::engine::Origin;
use crate::wire::*;

/// Sign-up confirmation codes live 24 hours.
const SIGN_UP_CODE_SECONDS: i64 = 24 * 3600;

pub(super) fn attribute_map(attrs: &[Attribute]) -> StringMap {
    attrs
        .iter()
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

/// The internal username and extra attributes for what the caller typed: username-attribute
/// pools take an email or phone number and name the user by a fresh UUID (its `sub`).
pub(super) fn resolve_username(
    pool: &PoolConfig,
    typed: &str,
    sub: &Sub,
) -> Result<(String, Option<Attribute>)> {
    validate_username(typed)?;
    if pool.username_attributes.is_empty() {
        check_not_alias_shaped(typed, &pool.alias_attributes)?;
        return Ok((typed.to_owned(), None));
    }
    let allows = |a: &str| pool.username_attributes.iter().any(|x| x == a);
    if allows("email") && is_valid_email(typed) {
        return Ok((sub.to_string(), Some(Attribute::new("email", typed))));
    }
    if allows("phone_number") && is_valid_phone(typed) {
        return Ok((sub.to_string(), Some(Attribute::new("phone_number", typed))));
    }
    let what = if allows("email") {
        "an email"
    } else {
        "a phone number"
    };
    Err(Error::new(
        ErrorKind::InvalidParameter,
        format!("Username should be {what}."),
    ))
}

/// Every required attribute is present.
pub(super) fn check_required(pool: &PoolConfig, user: &User) -> Result<()> {
    if let Some(missing) = pool
        .schema
        .required()
        .find(|a| !user.attributes.contains_key(&a.name))
    {
        return Err(Error::new(
            ErrorKind::InvalidParameter,
            format!(
                "Attributes did not conform to the schema: {}: The attribute is required",
                missing.name
            ),
        ));
    }
    Ok(())
}

impl Accounts {
    /// SignUp.
    pub async fn sign_up(&self, req: SignUpRequest) -> Result<SignUpResponse> {
        let (pool, client) = self.core.client(&req.client_id).await?;
        if pool.admin_create_user.allow_admin_create_user_only {
            return Err(Error::new(
                ErrorKind::NotAuthorized,
                "SignUp is not permitted for this user pool",
            ));
        }
        if req.username.is_empty() {
            return Err(missing("username"));
        }
        if req.password.is_empty() {
            return Err(missing("password"));
        }
        client.check_secret_hash(
            &req.username,
            req.secret_hash.as_ref().map(SecretString::expose_secret),
        )?;
        let sub = self.core.entropy.with(Sub::generate)?;
        let (username, from_username) = resolve_username(&pool, &req.username, &sub)?;
        pool.password_policy.check(req.password.expose_secret())?;
        client
            .attribute_permissions
            .check_write(&pool.schema, &req.user_attributes, true)?;
        let mut user = User::new(&username, sub, UserStatus::Unconfirmed, self.core.now());
        for a in req.user_attributes.iter().chain(from_username.as_ref()) {
            user.attributes.insert(a.name.clone(), a.value.clone());
        }
        check_required(&pool, &user)?;
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        let request = PreSignUpRequest {
            user_attributes: user.attributes.clone(),
            validation_data: Some(attribute_map(&req.validation_data)).filter(|m| !m.is_empty()),
            client_metadata: caller.metadata(),
        };
        if let Some(answer) = self
            .core
            .run_trigger::<PreSignUp>(
                &pool,
                TriggerSource::PreSignUpSignUp,
                &username,
                &caller,
                request,
            )
            .await?
        {
            if answer.auto_confirm_user {
                user.status = UserStatus::Confirmed;
            }
            if answer.auto_verify_email && user.attributes.contains_key("email") {
                user.attributes
                    .insert("email_verified".into(), "true".into());
            }
            if answer.auto_verify_phone && user.attributes.contains_key("phone_number") {
                user.attributes
                    .insert("phone_number_verified".into(), "true".into());
            }
        }
        let origin = Origin::public(&client, req.user_context_data.as_ref());
        let user_key = pool.case_rule.username_key(&user.username);
        let breached = self
            .core
            .check_new_password(
                &pool,
                &req.client_id,
                &user_key,
                EventType::SignUp,
                &origin,
                req.password.expose_secret(),
            )
            .await?;
        user.password =
            Some(
                self.core
                    .password_record(&pool, &user, req.password.expose_secret(), None)?,
            );
        let keys = UserKeys::for_user(&user, &pool);
        let user = self
            .core
            .store()
            .insert_user(&pool.id, user, &keys)
            .await
            .map_err(|e| match e {
                StoreError::AliasExists(attribute) if !pool.username_attributes.is_empty() => {
                    Error::new(
                        ErrorKind::UsernameExists,
                        format!("An account with the given {attribute} already exists."),
                    )
                }
                other => Error::from(other),
            })?;
        crate::audit!(operation = "SignUp", pool = %pool.id.as_str(), client = %client.id.as_str(), sub = %user.sub);
        self.core
            .record_account_event(&pool, &user_key, EventType::SignUp, true, breached, &origin)
            .await?;
        tracing::info!(target: "userpool::metrics", counter = "sign_up", pool = %pool.id.as_str());
        let confirmed = user.status == UserStatus::Confirmed;
        let code_delivery_details = match sign_up_destination(&pool, &user) {
            Some(destination) if !confirmed => Some(
                self.core
                    .issue_code(
                        &pool,
                        &user,
                        CodePurpose::SignUpConfirmation,
                        SIGN_UP_CODE_SECONDS,
                        &destination,
                        MessageKind::SignUp,
                        &caller,
                    )
                    .await?,
            ),
            _ => None,
        };
        Ok(SignUpResponse {
            user_confirmed: confirmed,
            user_sub: user.sub.to_string(),
            code_delivery_details,
        })
    }

    /// ConfirmSignUp.
    pub async fn confirm_sign_up(&self, req: ConfirmSignUpRequest) -> Result<Empty> {
        let (pool, client) = self.core.client(&req.client_id).await?;
        client.check_secret_hash(
            &req.username,
            req.secret_hash.as_ref().map(SecretString::expose_secret),
        )?;
        let prevent = client.prevent_user_existence_errors;
        let Some(mut user) = self.core.find_user(&pool, &req.username).await? else {
            if prevent == PreventUserExistenceErrors::Enabled {
                return Err(self
                    .core
                    .consume_phantom_code(
                        &pool,
                        &CodePurpose::SignUpConfirmation,
                        &req.username,
                        req.confirmation_code.expose_secret(),
                    )
                    .await);
            }
            return Err(Error::new(ErrorKind::UserNotFound, "User does not exist."));
        };
        user.status = user.status.confirm_sign_up()?;
        self.core
            .consume_code(
                &pool,
                &CodePurpose::SignUpConfirmation,
                &user,
                req.confirmation_code.expose_secret(),
            )
            .await?;
        if let Some(destination) = sign_up_destination(&pool, &user) {
            user.attributes
                .insert(format!("{}_verified", destination.attribute), "true".into());
        }
        let user = self
            .save_claiming_aliases(&pool, user, req.force_alias_creation)
            .await?;
        crate::audit!(operation = "ConfirmSignUp", pool = %pool.id.as_str(), sub = %user.sub);
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        self.post_confirmation(
            &pool,
            &user,
            TriggerSource::PostConfirmationConfirmSignUp,
            &caller,
        )
        .await?;
        Ok(Empty {})
    }

    /// Saves `user`; an alias another user holds is taken over with `force` (the other user's
    /// attribute becomes unverified), else `AliasExistsException`.
    pub(crate) async fn save_claiming_aliases(
        &self,
        pool: &PoolConfig,
        user: User,
        force: bool,
    ) -> Result<User> {
        match self.core.save_user(pool, user.clone()).await {
            Err(e) if e.kind() == ErrorKind::AliasExists && force => {
                for (attribute, value) in user.active_aliases(&pool.alias_attributes) {
                    let folded = pool.case_rule.fold_alias(&attribute, &value);
                    if let Some(mut holder) = self
                        .core
                        .store()
                        .find_by_alias(&pool.id, &attribute, &folded)
                        .await?
                        .filter(|h| h.sub != user.sub)
                    {
                        holder
                            .attributes
                            .insert(format!("{attribute}_verified"), "false".into());
                        self.core.save_user(pool, holder).await?;
                    }
                }
                self.core.save_user(pool, user).await
            }
            other => other,
        }
    }

    /// Runs PostConfirmation; a failure is reported after the confirmation stands, as on
    /// Cognito.
    pub(crate) async fn post_confirmation(
        &self,
        pool: &PoolConfig,
        user: &User,
        source: TriggerSource,
        caller: &Caller<'_>,
    ) -> Result<()> {
        let request = PostConfirmationRequest {
            user_attributes: trigger_attributes(user),
            client_metadata: caller.metadata(),
        };
        self.core
            .run_trigger::<PostConfirmation>(pool, source, &user.username, caller, request)
            .await
            .map(|_| ())
    }

    /// ResendConfirmationCode.
    pub async fn resend_confirmation_code(
        &self,
        req: ClientUserRequest,
    ) -> Result<CodeDeliveryResponse> {
        crate::audit::event("ResendConfirmationCode");
        let (pool, client) = self.core.client(&req.client_id).await?;
        client.check_secret_hash(
            &req.username,
            req.secret_hash.as_ref().map(SecretString::expose_secret),
        )?;
        let Some(user) = self.core.find_user(&pool, &req.username).await? else {
            return match client.prevent_user_existence_errors {
                PreventUserExistenceErrors::Enabled => {
                    self.core
                        .phantom_code(
                            &pool,
                            CodePurpose::SignUpConfirmation,
                            &req.username,
                            SIGN_UP_CODE_SECONDS,
                        )
                        .await?;
                    Ok(CodeDeliveryResponse {
                        code_delivery_details: simulated_delivery(&pool),
                    })
                }
                _ => Err(Error::new(
                    ErrorKind::UserNotFound,
                    "Username/client id combination not found.",
                )),
            };
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "User is already confirmed.",
            ));
        }
        let destination = sign_up_destination(&pool, &user).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidParameter,
                "Cannot resend codes. Auto verification not turned on.",
            )
        })?;
        let caller = Caller {
            client_id: client.id.as_str(),
            metadata: Some(&req.client_metadata),
        };
        let details = self
            .core
            .issue_code(
                &pool,
                &user,
                CodePurpose::SignUpConfirmation,
                SIGN_UP_CODE_SECONDS,
                &destination,
                MessageKind::ResendCode,
                &caller,
            )
            .await?;
        Ok(CodeDeliveryResponse {
            code_delivery_details: details,
        })
    }

    /// AdminConfirmSignUp (does not verify attributes).
    pub async fn admin_confirm_sign_up(&self, req: AdminUserRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut user = self.core.require_user(&pool, &req.username).await?;
        user.status = user.status.confirm_sign_up()?;
        let user = self.core.save_user(&pool, user).await?;
        crate::audit!(operation = "AdminConfirmSignUp", pool = %pool.id.as_str(), sub = %user.sub);
        let caller = Caller {
            client_id: "",
            metadata: Some(&req.client_metadata),
        };
        self.post_confirmation(
            &pool,
            &user,
            TriggerSource::PostConfirmationConfirmSignUp,
            &caller,
        )
        .await?;
        Ok(Empty {})
    }
}

/// A plausible delivery for a user that does not exist (PreventUserExistenceErrors).
pub(crate) fn simulated_delivery(pool: &PoolConfig) -> CodeDeliveryDetails {
    let phone_first = pool
        .auto_verified_attributes
        .iter()
        .any(|a| a == "phone_number")
        && !pool.auto_verified_attributes.iter().any(|a| a == "email");
    if phone_first {
        Destination::sms("+10000000000").details()
    } else {
        Destination::email("x@x").details()
    }
}

impl Core {
    /// A new SRP verifier for `user` and `password`, sealed, as a password record.
    pub(crate) fn password_record(
        &self,
        pool: &PoolConfig,
        user: &User,
        password: &str,
        expires_at: Option<i64>,
    ) -> Result<PasswordRecord> {
        let (salt, verifier) = self.entropy.with(|rng| {
            srp::generate_verifier(
                pool.id.pool_name(),
                &user.username,
                &srp::Password::new(password),
                rng,
            )
        })?;
        Ok(PasswordRecord {
            salt: salt.as_bytes().to_vec(),
            verifier: self.seal_verifier(&pool.id, user, &verifier)?,
            set_at: self.now(),
            expires_at,
        })
    }

    /// Saves a changed user (conditional on its version), mapping conflicts. A user who has a
    /// password keeps no imported password hash.
    pub(crate) async fn save_user(&self, pool: &PoolConfig, mut user: User) -> Result<User> {
        user.modified = self.now();
        if user.password.is_some() {
            user.imported_password_hash = None;
        }
        let keys = UserKeys::for_user(&user, pool);
        self.store()
            .update_user(&pool.id, user, &keys)
            .await
            .map_err(Error::from)
    }
}
