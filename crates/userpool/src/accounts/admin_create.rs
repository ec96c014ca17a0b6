//! AdminCreateUser: an invited user with a temporary password.

use custom_auth_triggers::events::PreSignUpRequest;
use custom_auth_triggers::{PreSignUp, TriggerSource};
use rand::RngExt as _;
use user_pool_model::{PoolConfig, Sub, User, UserStatus, validate_attribute};
use userpool_store::{StoreError, UserKeys};
use zeroize::Zeroizing;

use super::sign_up::{attribute_map, check_required, resolve_username};
use crate::accounts::Accounts;
use crate::core::codes::Destination;
use crate::core::{Core, missing};
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::Caller;
use crate::messages::MessageKind;
use crate::wire::*;

/// A temporary password that satisfies `pool`'s policy.
fn temporary_password(core: &Core, pool: &PoolConfig) -> Result<Zeroizing<String>> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let length = usize::from(pool.password_policy.minimum_length).max(12);
    core.entropy.with(|rng| {
        let mut password = Zeroizing::new(String::from("Aa1^"));
        while password.len() < length {
            let i = rng.random_range(0..ALPHABET.len());
            password.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'x')));
        }
        password
    })
}

impl Accounts {
    /// AdminCreateUser: a `FORCE_CHANGE_PASSWORD` user with a temporary password and an
    /// invitation (or, with `MessageAction: RESEND`, a new temporary password for an invited
    /// user).
    pub async fn admin_create_user(
        &self,
        req: AdminCreateUserRequest,
    ) -> Result<AdminCreateUserResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        if req.username.is_empty() {
            return Err(missing("username"));
        }
        let suppress = match req.message_action.as_deref() {
            None | Some("RESEND") => false,
            Some("SUPPRESS") => true,
            Some(other) => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!(
                        "1 validation error detected: Value '{other}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]"
                    ),
                ));
            }
        };
        let temporary = match &req.temporary_password {
            Some(p) => {
                pool.password_policy.check(p.expose_secret())?;
                Zeroizing::new(p.expose_secret().to_owned())
            }
            None => temporary_password(&self.core, &pool)?,
        };
        let expires = self.core.now()
            + i64::from(pool.password_policy.temporary_password_validity_days) * 86_400;
        let caller = Caller {
            client_id: "",
            metadata: Some(&req.client_metadata),
        };
        let user = if req.message_action.as_deref() == Some("RESEND") {
            let mut user = self.core.require_user(&pool, &req.username).await?;
            if user.status != UserStatus::ForceChangePassword {
                return Err(Error::new(
                    ErrorKind::UnsupportedUserState,
                    "User is not in FORCE_CHANGE_PASSWORD state.",
                ));
            }
            user.password =
                Some(
                    self.core
                        .password_record(&pool, &user, &temporary, Some(expires))?,
                );
            self.core.save_user(&pool, user).await?
        } else {
            let sub = self.core.entropy.with(Sub::generate)?;
            let (username, from_username) = resolve_username(&pool, &req.username, &sub)?;
            let mut user = User::new(
                &username,
                sub,
                UserStatus::ForceChangePassword,
                self.core.now(),
            );
            for a in req.user_attributes.iter().chain(from_username.as_ref()) {
                validate_attribute(&pool.schema, a)?;
                if a.name == "sub" {
                    continue;
                }
                user.attributes.insert(a.name.clone(), a.value.clone());
            }
            for flag in ["email", "phone_number"] {
                if user.is_verified(flag) && !user.attributes.contains_key(flag) {
                    return Err(Error::new(
                        ErrorKind::InvalidParameter,
                        format!("{flag}_verified is true but {flag} is missing."),
                    ));
                }
            }
            check_required(&pool, &user)?;
            let request = PreSignUpRequest {
                user_attributes: user.attributes.clone(),
                validation_data: Some(attribute_map(&req.validation_data))
                    .filter(|m| !m.is_empty()),
                client_metadata: caller.metadata(),
            };
            self.core
                .run_trigger::<PreSignUp>(
                    &pool,
                    TriggerSource::PreSignUpAdminCreateUser,
                    &username,
                    &caller,
                    request,
                )
                .await?;
            user.password =
                Some(
                    self.core
                        .password_record(&pool, &user, &temporary, Some(expires))?,
                );
            let keys = UserKeys::for_user(&user, &pool);
            match self
                .core
                .store()
                .insert_user(&pool.id, user.clone(), &keys)
                .await
            {
                Ok(user) => user,
                Err(StoreError::AliasExists(_)) if req.force_alias_creation => {
                    let mut plain = user.clone();
                    for (attribute, _) in user.active_aliases(&pool.alias_attributes) {
                        plain
                            .attributes
                            .insert(format!("{attribute}_verified"), "false".into());
                    }
                    let keys = UserKeys::for_user(&plain, &pool);
                    let inserted = self
                        .core
                        .store()
                        .insert_user(&pool.id, plain, &keys)
                        .await?;
                    let mut claimed = inserted.clone();
                    claimed.attributes = user.attributes.clone();
                    self.save_claiming_aliases(&pool, claimed, true).await?
                }
                Err(StoreError::AliasExists(attribute)) if !pool.username_attributes.is_empty() => {
                    return Err(Error::new(
                        ErrorKind::UsernameExists,
                        format!("An account with the given {attribute} already exists."),
                    ));
                }
                Err(e) => return Err(Error::from(e)),
            }
        };
        crate::audit!(operation = "AdminCreateUser", pool = %pool.id.as_str(), sub = %user.sub);
        if !suppress {
            let mediums = if req.desired_delivery_mediums.is_empty() {
                vec!["SMS".to_owned()]
            } else {
                req.desired_delivery_mediums.clone()
            };
            for medium in mediums {
                let destination = match medium.as_str() {
                    "EMAIL" => user.attributes.get("email").map(|v| Destination::email(v)),
                    "SMS" => user
                        .attributes
                        .get("phone_number")
                        .map(|v| Destination::sms(v)),
                    other => {
                        return Err(Error::new(
                            ErrorKind::InvalidParameter,
                            format!("Invalid delivery medium {other}"),
                        ));
                    }
                };
                if let Some(destination) = destination {
                    self.core
                        .deliver(
                            &pool,
                            &user,
                            &temporary,
                            Some(&req.username),
                            &destination,
                            MessageKind::AdminCreateUser,
                            &caller,
                        )
                        .await?;
                }
            }
        }
        Ok(AdminCreateUserResponse {
            user: UserType::of(&user),
        })
    }
}
