//! GetUser, AdminGetUser, UpdateUserAttributes, AdminUpdateUserAttributes,
//! DeleteUserAttributes, AdminDeleteUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUser, AdminDeleteUser, AdminDisableUser, AdminEnableUser,
//! ListUsers.

use user_pool_model::{
    Attribute, AttributePermissions, Filter, MfaMethod, PoolConfig, User, validate_attribute,
};
use userpool_store::{CodePurpose, UserQuery};

use crate::accounts::Accounts;
use crate::core::codes::Destination;
use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::hooks::Caller;
use crate::messages::MessageKind;
use crate::tokens::Authorized;
use crate::wire::*;

/// Attribute verification codes live 24 hours.
const ATTRIBUTE_CODE_SECONDS: i64 = 24 * 3600;

fn mfa_name(m: MfaMethod) -> String {
    match m {
        MfaMethod::SmsMfa => "SMS_MFA",
        MfaMethod::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
        _ => "EMAIL_OTP",
    }
    .to_owned()
}

fn get_user_response(
    user: &User,
    permissions: &AttributePermissions,
    admin: bool,
) -> GetUserResponse {
    GetUserResponse {
        username: user.username.clone(),
        user_attributes: user_attributes(user, |n| admin || permissions.can_read(n)),
        user_create_date: admin.then_some(user.created as f64),
        user_last_modified_date: admin.then_some(user.modified as f64),
        enabled: admin.then_some(user.enabled),
        user_status: admin.then(|| user.status.as_str().to_owned()),
        mfa_options: mfa_options(user),
        preferred_mfa_setting: user.mfa.preferred.map(mfa_name),
        user_mfa_setting_list: user.mfa.enabled.iter().copied().map(mfa_name).collect(),
    }
}

/// Applies an attribute update: a blank value deletes; a changed email / phone number is no
/// longer verified unless the same (admin) update verifies it — or, when the pool lists it in
/// `AttributesRequireVerificationBeforeUpdate` and the current value is verified, the new
/// value waits in `pending_attributes` while the old one stays active. Returns the contact
/// attributes whose new value needs a verification code.
fn apply_attributes(
    pool: &PoolConfig,
    user: &mut User,
    attrs: &[Attribute],
    admin: bool,
) -> Vec<String> {
    let mut changed = Vec::new();
    for a in attrs {
        if a.value.is_empty() {
            user.attributes.remove(&a.name);
            user.pending_attributes.remove(&a.name);
            continue;
        }
        if !matches!(a.name.as_str(), "email" | "phone_number") {
            user.attributes.insert(a.name.clone(), a.value.clone());
            continue;
        }
        let flag = format!("{}_verified", a.name);
        let verified_by_request = attrs.iter().any(|x| x.name == flag);
        if user.attributes.get(&a.name) == Some(&a.value) {
            // Back to the active value: nothing waits any more.
            user.pending_attributes.remove(&a.name);
            continue;
        }
        let keep_original = pool
            .attributes_require_verification_before_update
            .contains(&a.name)
            && user.is_verified(&a.name)
            && !(admin && verified_by_request);
        if keep_original {
            user.pending_attributes
                .insert(a.name.clone(), a.value.clone());
        } else {
            user.attributes.insert(a.name.clone(), a.value.clone());
            user.pending_attributes.remove(&a.name);
            if !verified_by_request {
                user.attributes.insert(flag, "false".into());
            }
        }
        changed.push(a.name.clone());
    }
    changed
}

/// Where a verification code for `name` goes: the value waiting for verification, else the
/// active one.
fn verification_destination(user: &User, name: &str) -> Option<Destination> {
    user.pending_attributes
        .get(name)
        .or_else(|| user.attributes.get(name))
        .and_then(|v| Destination::for_attribute(name, v))
}

/// Removes attributes (and any value of theirs waiting for verification).
fn remove_attributes(user: &mut User, names: &[String]) {
    for name in names {
        user.attributes.remove(name);
        user.pending_attributes.remove(name);
    }
}

fn check_deletable(pool: &PoolConfig, names: &[String]) -> Result<()> {
    for name in names {
        let def = pool.schema.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidParameter,
                format!("Invalid attribute name: {name}"),
            )
        })?;
        if def.required || name == "sub" {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("Cannot delete the required attribute {name}"),
            ));
        }
        if !def.mutable {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("Cannot modify the non-mutable attribute {name}"),
            ));
        }
    }
    Ok(())
}

impl Accounts {
    /// The permissions of the client an access token was issued to.
    async fn token_permissions(&self, auth: &Authorized) -> AttributePermissions {
        self.core
            .pool_client(&auth.pool, &auth.client_id)
            .await
            .map(|c| c.attribute_permissions)
            .unwrap_or_default()
    }

    /// GetUser.
    pub async fn get_user(&self, req: AccessTokenRequest) -> Result<GetUserResponse> {
        crate::audit::event("GetUser");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let permissions = self.token_permissions(&auth).await;
        Ok(get_user_response(&auth.user, &permissions, false))
    }

    /// AdminGetUser.
    pub async fn admin_get_user(&self, req: AdminUserRequest) -> Result<GetUserResponse> {
        crate::audit::event("AdminGetUser");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        Ok(get_user_response(
            &user,
            &AttributePermissions::default(),
            true,
        ))
    }

    /// UpdateUserAttributes: the token's client must be allowed to write each attribute; a
    /// changed auto-verified email / phone number gets a verification code.
    pub async fn update_user_attributes(
        &self,
        req: UpdateUserAttributesRequest,
    ) -> Result<UpdateUserAttributesResponse> {
        let auth = self.tokens.authorize(&req.access_token).await?;
        let permissions = self.token_permissions(&auth).await;
        permissions.check_write(&auth.pool.schema, &req.user_attributes, false)?;
        let (user, changed) = self
            .core
            .modify_user(&auth.pool, auth.user.clone(), |user| {
                Ok(apply_attributes(
                    &auth.pool,
                    user,
                    &req.user_attributes,
                    false,
                ))
            })
            .await?;
        crate::audit!(operation = "UpdateUserAttributes", pool = %auth.pool.id.as_str(), sub = %user.sub);
        let caller = Caller {
            client_id: &auth.client_id,
            metadata: Some(&req.client_metadata),
        };
        let mut details = Vec::new();
        for name in changed {
            let auto = auth.pool.auto_verified_attributes.contains(&name);
            if let (true, Some(destination)) = (auto, verification_destination(&user, &name)) {
                details.push(
                    self.core
                        .issue_code(
                            &auth.pool,
                            &user,
                            CodePurpose::AttributeVerification(name.clone()),
                            ATTRIBUTE_CODE_SECONDS,
                            &destination,
                            MessageKind::UpdateUserAttribute,
                            &caller,
                        )
                        .await?,
                );
            }
        }
        Ok(UpdateUserAttributesResponse {
            code_delivery_details_list: details,
        })
    }

    /// AdminUpdateUserAttributes (may set the verified flags).
    pub async fn admin_update_user_attributes(
        &self,
        req: AdminUpdateUserAttributesRequest,
    ) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        for a in &req.user_attributes {
            validate_attribute(&pool.schema, a)?;
            if a.name == "sub" || pool.schema.get(&a.name).is_some_and(|d| !d.mutable) {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!("Cannot modify the non-mutable attribute {}", a.name),
                ));
            }
        }
        let (user, _) = self
            .core
            .modify_user(&pool, user, |user| {
                Ok(apply_attributes(&pool, user, &req.user_attributes, true))
            })
            .await?;
        crate::audit!(operation = "AdminUpdateUserAttributes", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(Empty {})
    }

    /// DeleteUserAttributes.
    pub async fn delete_user_attributes(&self, req: DeleteUserAttributesRequest) -> Result<Empty> {
        crate::audit::event("DeleteUserAttributes");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let permissions = self.token_permissions(&auth).await;
        check_deletable(&auth.pool, &req.user_attribute_names)?;
        if let Some(name) = req
            .user_attribute_names
            .iter()
            .find(|n| !permissions.can_write(&auth.pool.schema, n))
        {
            return Err(Error::new(
                ErrorKind::NotAuthorized,
                format!("A client attempted to write unauthorized attribute {name}"),
            ));
        }
        self.core
            .modify_user(&auth.pool, auth.user.clone(), |user| {
                remove_attributes(user, &req.user_attribute_names);
                Ok(())
            })
            .await?;
        Ok(Empty {})
    }

    /// AdminDeleteUserAttributes.
    pub async fn admin_delete_user_attributes(
        &self,
        req: AdminDeleteUserAttributesRequest,
    ) -> Result<Empty> {
        crate::audit::event("AdminDeleteUserAttributes");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        check_deletable(&pool, &req.user_attribute_names)?;
        self.core
            .modify_user(&pool, user, |user| {
                remove_attributes(user, &req.user_attribute_names);
                Ok(())
            })
            .await?;
        Ok(Empty {})
    }

    /// GetUserAttributeVerificationCode.
    pub async fn get_user_attribute_verification_code(
        &self,
        req: GetUserAttributeVerificationCodeRequest,
    ) -> Result<CodeDeliveryResponse> {
        crate::audit::event("GetUserAttributeVerificationCode");
        let auth = self.tokens.authorize(&req.access_token).await?;
        let destination =
            verification_destination(&auth.user, &req.attribute_name).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidParameter,
                    "Invalid attribute name or the attribute has no value.",
                )
            })?;
        let caller = Caller {
            client_id: &auth.client_id,
            metadata: Some(&req.client_metadata),
        };
        let details = self
            .core
            .issue_code(
                &auth.pool,
                &auth.user,
                CodePurpose::AttributeVerification(req.attribute_name.clone()),
                ATTRIBUTE_CODE_SECONDS,
                &destination,
                MessageKind::VerifyUserAttribute,
                &caller,
            )
            .await?;
        Ok(CodeDeliveryResponse {
            code_delivery_details: details,
        })
    }

    /// VerifyUserAttribute.
    pub async fn verify_user_attribute(&self, req: VerifyUserAttributeRequest) -> Result<Empty> {
        crate::audit::event("VerifyUserAttribute");
        let auth = self.tokens.authorize(&req.access_token).await?;
        if req.code.is_empty() {
            return Err(missing("code"));
        }
        self.core
            .consume_code(
                &auth.pool,
                &CodePurpose::AttributeVerification(req.attribute_name.clone()),
                &auth.user,
                req.code.expose_secret(),
            )
            .await?;
        // The verified value becomes the active one (a value waiting for verification
        // replaces the old one only now; its alias must still be free).
        let name = req.attribute_name.clone();
        self.core
            .modify_user(&auth.pool, auth.user.clone(), |user| {
                if let Some(value) = user.pending_attributes.remove(&name) {
                    user.attributes.insert(name.clone(), value);
                }
                user.attributes
                    .insert(format!("{name}_verified"), "true".into());
                Ok(())
            })
            .await?;
        Ok(Empty {})
    }

    /// DeleteUser.
    pub async fn delete_user(&self, req: AccessTokenRequest) -> Result<Empty> {
        crate::audit::event("DeleteUser");
        let auth = self.tokens.authorize(&req.access_token).await?;
        self.remove_user(&auth.pool, &auth.user).await
    }

    /// AdminDeleteUser.
    pub async fn admin_delete_user(&self, req: AdminUserRequest) -> Result<Empty> {
        crate::audit::event("AdminDeleteUser");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        self.remove_user(&pool, &user).await
    }

    async fn remove_user(&self, pool: &PoolConfig, user: &User) -> Result<Empty> {
        self.core
            .store()
            .delete_user(&pool.id, &pool.case_rule.username_key(&user.username))
            .await?;
        crate::audit!(operation = "DeleteUser", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(Empty {})
    }

    /// AdminDisableUser: the user can no longer sign in or refresh, and every token issued
    /// to them stops working on the user APIs.
    pub async fn admin_disable_user(&self, req: AdminUserRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut user = self.core.require_user(&pool, &req.username).await?;
        user.enabled = false;
        let user = self.core.save_user(&pool, user).await?;
        self.tokens.sign_out_everywhere(&pool, &user).await?;
        crate::audit!(operation = "AdminDisableUser", pool = %pool.id.as_str(), sub = %user.sub);
        Ok(Empty {})
    }

    /// AdminEnableUser (revoked tokens stay revoked).
    pub async fn admin_enable_user(&self, req: AdminUserRequest) -> Result<Empty> {
        crate::audit::event("AdminEnableUser");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut user = self.core.require_user(&pool, &req.username).await?;
        user.enabled = true;
        self.core.save_user(&pool, user).await?;
        Ok(Empty {})
    }

    /// ListUsers.
    pub async fn list_users(&self, req: ListUsersRequest) -> Result<ListUsersResponse> {
        crate::audit::event("ListUsers");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let limit = match req.limit {
            None | Some(0) => 60,
            Some(v @ 1..=60) => usize::try_from(v).unwrap_or(60),
            Some(v) => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!(
                        "1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"
                    ),
                ));
            }
        };
        let filter = Filter::parse(req.filter.as_deref().unwrap_or(""))?;
        let query = UserQuery {
            filter,
            limit,
            token: req.pagination_token.clone(),
        };
        let page = self
            .core
            .store()
            .list_users(&pool.id, &query)
            .await
            .map_err(|e| match e {
                userpool_store::StoreError::InvalidPaginationToken => {
                    Error::new(ErrorKind::InvalidParameter, "Invalid pagination token.")
                }
                other => Error::from(other),
            })?;
        let users = page
            .items
            .iter()
            .map(|u| match &req.attributes_to_get {
                Some(names) => UserType::with_attributes(
                    u,
                    user_attributes(u, |n| names.iter().any(|x| x == n)),
                ),
                None => UserType::of(u),
            })
            .collect();
        Ok(ListUsersResponse {
            users,
            pagination_token: page.next,
        })
    }
}
