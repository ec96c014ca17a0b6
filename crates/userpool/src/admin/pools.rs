//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
//! SetUserPoolMfaConfig, GetUserPoolMfaConfig, GetCSVHeader.

use user_pool_model::{
    CaseRule, DeviceConfiguration, MfaConfiguration, PasswordPolicy, PoolConfig, UserPoolId,
};

use userpool_risk::AdvancedSecurityMode;

use crate::admin::Admin;
use crate::admin::pool_delivery;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

fn policy_from_wire(w: &PasswordPolicyType) -> PasswordPolicy {
    let d = PasswordPolicy::default();
    PasswordPolicy {
        minimum_length: w.minimum_length.unwrap_or(d.minimum_length),
        require_uppercase: w.require_uppercase.unwrap_or(false),
        require_lowercase: w.require_lowercase.unwrap_or(false),
        require_numbers: w.require_numbers.unwrap_or(false),
        require_symbols: w.require_symbols.unwrap_or(false),
        password_history_size: w.password_history_size.unwrap_or(0),
        temporary_password_validity_days: w
            .temporary_password_validity_days
            .unwrap_or(d.temporary_password_validity_days),
    }
}

fn policy_to_wire(p: &PasswordPolicy) -> PasswordPolicyType {
    PasswordPolicyType {
        minimum_length: Some(p.minimum_length),
        require_uppercase: Some(p.require_uppercase),
        require_lowercase: Some(p.require_lowercase),
        require_numbers: Some(p.require_numbers),
        require_symbols: Some(p.require_symbols),
        password_history_size: Some(p.password_history_size),
        temporary_password_validity_days: Some(p.temporary_password_validity_days),
    }
}

fn mfa_from_wire(s: Option<&str>) -> Result<MfaConfiguration> {
    match s {
        None | Some("OFF") => Ok(MfaConfiguration::Off),
        Some("ON") => Ok(MfaConfiguration::On),
        Some("OPTIONAL") => Ok(MfaConfiguration::Optional),
        Some(other) => Err(Error::new(
            ErrorKind::InvalidParameter,
            format!(
                "1 validation error detected: Value '{other}' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
            ),
        )),
    }
}

fn mfa_to_wire(m: MfaConfiguration) -> &'static str {
    match m {
        MfaConfiguration::On => "ON",
        MfaConfiguration::Optional => "OPTIONAL",
        _ => "OFF",
    }
}

/// Applies the settable members of `req` to `pool` (CreateUserPool and UpdateUserPool).
fn apply_settings(pool: &mut PoolConfig, req: &UserPoolRequest) -> Result<()> {
    pool.password_policy = req
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .map_or_else(PasswordPolicy::default, policy_from_wire);
    pool.allowed_first_auth_factors = match req
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
    {
        Some(policy) => policy
            .allowed_first_auth_factors
            .iter()
            .map(|f| user_pool_model::AuthFactor::parse(f))
            .collect::<std::result::Result<_, _>>()?,
        None => user_pool_model::default_first_factors(),
    };
    if let Some(tier) = &req.user_pool_tier {
        pool.tier = user_pool_model::PoolTier::parse(tier)?;
    }
    pool.deletion_protection = match req.deletion_protection.as_deref() {
        None | Some("INACTIVE") => false,
        Some("ACTIVE") => true,
        Some(_) => {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "DeletionProtection must be ACTIVE or INACTIVE.",
            ));
        }
    };
    // Like every other setting, an UpdateUserPool without `UserPoolAddOns` turns it off (the
    // risk configurations stay, for when it is turned on again).
    let add_ons = req.user_pool_add_ons.as_ref();
    pool.threat_protection.mode =
        add_ons.map_or(AdvancedSecurityMode::Off, |a| a.advanced_security_mode);
    pool.threat_protection.custom_auth_mode = add_ons
        .and_then(|a| a.advanced_security_additional_flows.as_ref())
        .and_then(|f| f.custom_auth_mode);
    pool_delivery::apply_lambda_config(pool, &req.lambda_config)?;
    pool.email_configuration = req
        .email_configuration
        .as_ref()
        .map(pool_delivery::email_from_wire)
        .transpose()?;
    pool.sms_configuration = req
        .sms_configuration
        .as_ref()
        .map(pool_delivery::sms_from_wire);
    pool.auto_verified_attributes = req.auto_verified_attributes.clone();
    let template = req
        .verification_message_template
        .clone()
        .unwrap_or_default();
    let defaults = user_pool_model::MessageTemplates::default();
    let m = &mut pool.messages;
    m.sms_verification_message = template
        .sms_message
        .or_else(|| req.sms_verification_message.clone())
        .unwrap_or(defaults.sms_verification_message);
    m.email_verification_message = template
        .email_message
        .or_else(|| req.email_verification_message.clone())
        .unwrap_or(defaults.email_verification_message);
    m.email_verification_subject = template
        .email_subject
        .or_else(|| req.email_verification_subject.clone())
        .unwrap_or(defaults.email_verification_subject);
    m.sms_authentication_message = req
        .sms_authentication_message
        .clone()
        .unwrap_or(defaults.sms_authentication_message);
    let admin = req.admin_create_user_config.clone().unwrap_or_default();
    pool.admin_create_user.allow_admin_create_user_only =
        admin.allow_admin_create_user_only.unwrap_or(false);
    let invite = admin.invite_message_template.unwrap_or_default();
    m.invite_email_message = invite
        .email_message
        .unwrap_or(defaults.invite_email_message);
    m.invite_email_subject = invite
        .email_subject
        .unwrap_or(defaults.invite_email_subject);
    m.invite_sms_message = invite.sms_message.unwrap_or(defaults.invite_sms_message);
    pool.mfa = mfa_from_wire(req.mfa_configuration.as_deref())?;
    if pool.mfa != MfaConfiguration::Off
        && !(pool.mfa_factors.sms || pool.mfa_factors.totp || pool.mfa_factors.email)
    {
        // Cognito enables the factors with SetUserPoolMfaConfig; a pool created with MFA on
        // starts with SMS and TOTP.
        pool.mfa_factors.sms = true;
        pool.mfa_factors.totp = true;
    }
    pool.devices = req.device_configuration.map(|d| DeviceConfiguration {
        challenge_required_on_new_device: d.challenge_required_on_new_device,
        device_only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt,
    });
    if let Some(recovery) = &req.account_recovery_setting {
        pool.account_recovery = recovery.recovery_mechanisms.clone();
    }
    pool.attributes_require_verification_before_update = req
        .user_attribute_update_settings
        .clone()
        .unwrap_or_default()
        .attributes_require_verification_before_update;
    pool.validate()?;
    Ok(())
}

impl Admin {
    /// The wire shape of a pool.
    pub(crate) async fn user_pool_type(&self, pool: &PoolConfig) -> Result<UserPoolType> {
        let estimated = self.core.store().count_users(&pool.id).await?;
        let domains = self.core.store().pool_domains(&pool.id).await?;
        let m = &pool.messages;
        Ok(UserPoolType {
            id: pool.id.as_str().to_owned(),
            domain: domains
                .iter()
                .find(|d| !d.is_custom())
                .map(|d| d.domain.clone()),
            custom_domain: domains
                .iter()
                .find(|d| d.is_custom())
                .map(|d| d.domain.clone()),
            name: pool.name.clone(),
            arn: pool.id.arn(&self.core.account_id),
            policies: Policies {
                password_policy: Some(policy_to_wire(&pool.password_policy)),
                sign_in_policy: Some(SignInPolicy {
                    allowed_first_auth_factors: pool
                        .allowed_first_auth_factors
                        .iter()
                        .map(|f| f.as_str().to_owned())
                        .collect(),
                }),
            },
            user_pool_tier: pool.tier.as_str().to_owned(),
            deletion_protection: if pool.deletion_protection {
                "ACTIVE"
            } else {
                "INACTIVE"
            }
            .into(),
            lambda_config: pool_delivery::lambda_config_to_wire(pool),
            last_modified_date: pool.modified as f64,
            creation_date: pool.created as f64,
            email_configuration: Some(pool_delivery::email_to_wire(
                pool.email_configuration.as_ref(),
            )),
            sms_configuration: pool
                .sms_configuration
                .as_ref()
                .map(pool_delivery::sms_to_wire),
            schema_attributes: pool.schema.attributes().to_vec(),
            auto_verified_attributes: pool.auto_verified_attributes.clone(),
            alias_attributes: pool.alias_attributes.clone(),
            username_attributes: pool.username_attributes.clone(),
            sms_verification_message: m.sms_verification_message.clone(),
            email_verification_message: m.email_verification_message.clone(),
            email_verification_subject: m.email_verification_subject.clone(),
            verification_message_template: VerificationMessageTemplate {
                sms_message: Some(m.sms_verification_message.clone()),
                email_message: Some(m.email_verification_message.clone()),
                email_subject: Some(m.email_verification_subject.clone()),
                default_email_option: Some("CONFIRM_WITH_CODE".into()),
            },
            sms_authentication_message: m.sms_authentication_message.clone(),
            mfa_configuration: mfa_to_wire(pool.mfa).into(),
            device_configuration: pool.devices.map(|d| DeviceConfigurationType {
                challenge_required_on_new_device: d.challenge_required_on_new_device,
                device_only_remembered_on_user_prompt: d.device_only_remembered_on_user_prompt,
            }),
            estimated_number_of_users: estimated,
            admin_create_user_config: AdminCreateUserConfigType {
                allow_admin_create_user_only: Some(
                    pool.admin_create_user.allow_admin_create_user_only,
                ),
                unused_account_validity_days: Some(
                    pool.password_policy.temporary_password_validity_days,
                ),
                invite_message_template: Some(InviteMessageTemplate {
                    sms_message: Some(m.invite_sms_message.clone()),
                    email_message: Some(m.invite_email_message.clone()),
                    email_subject: Some(m.invite_email_subject.clone()),
                }),
            },
            username_configuration: UsernameConfiguration {
                case_sensitive: pool.case_rule == CaseRule::Sensitive,
            },
            account_recovery_setting: AccountRecoverySetting {
                recovery_mechanisms: pool.account_recovery.clone(),
            },
            user_attribute_update_settings: UserAttributeUpdateSettings {
                attributes_require_verification_before_update: pool
                    .attributes_require_verification_before_update
                    .clone(),
            },
            user_pool_add_ons: UserPoolAddOns {
                advanced_security_mode: pool.threat_protection.mode,
                advanced_security_additional_flows: pool.threat_protection.custom_auth_mode.map(
                    |mode| AdvancedSecurityAdditionalFlows {
                        custom_auth_mode: Some(mode),
                    },
                ),
            },
        })
    }

    /// CreateUserPool: a new pool with its own signing keys.
    pub async fn create_user_pool(&self, req: UserPoolRequest) -> Result<UserPoolResponse> {
        let id = self
            .core
            .entropy
            .with(|rng| UserPoolId::generate(&self.core.region, rng))??;
        let mut pool = PoolConfig::new(id, &req.pool_name)?;
        pool.username_attributes = req.username_attributes.clone();
        pool.alias_attributes = req.alias_attributes.clone();
        pool.case_rule = match req.username_configuration {
            Some(UsernameConfiguration {
                case_sensitive: false,
            }) => CaseRule::Insensitive,
            _ => CaseRule::Sensitive,
        };
        pool = pool.with_schema(&req.schema)?;
        apply_settings(&mut pool, &req)?;
        let now = self.core.now();
        pool.created = now;
        pool.modified = now;
        self.core.store().create_pool(pool.clone()).await?;
        if let Err(e) = self.core.create_keys(&pool.id).await {
            // Nothing half-made: a pool without keys is removed again.
            let _ = self.core.store().delete_pool(&pool.id).await;
            return Err(e);
        }
        crate::audit!(operation = "CreateUserPool", pool = %pool.id.as_str());
        Ok(UserPoolResponse {
            user_pool: self.user_pool_type(&pool).await?,
        })
    }

    /// DescribeUserPool.
    pub async fn describe_user_pool(&self, req: UserPoolIdRequest) -> Result<UserPoolResponse> {
        crate::audit::event("DescribeUserPool");
        let pool = self.core.pool(&req.user_pool_id).await?;
        Ok(UserPoolResponse {
            user_pool: self.user_pool_type(&pool).await?,
        })
    }

    /// UpdateUserPool: replaces the settable configuration (omitted members return to their
    /// defaults, as on Cognito); schema and sign-in attributes cannot change.
    pub async fn update_user_pool(&self, req: UserPoolRequest) -> Result<Empty> {
        let mut pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let factors = pool.mfa_factors;
        apply_settings(&mut pool, &req)?;
        pool.mfa_factors = if pool.mfa == MfaConfiguration::Off {
            factors
        } else {
            pool.mfa_factors
        };
        pool.modified = self.core.now();
        self.core.store().put_pool(pool.clone()).await?;
        crate::audit!(operation = "UpdateUserPool", pool = %pool.id.as_str());
        Ok(Empty {})
    }

    /// DeleteUserPool (refused while deletion protection is active).
    pub async fn delete_user_pool(&self, req: UserPoolIdRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        if pool.deletion_protection {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
            ));
        }
        self.core.store().delete_pool(&pool.id).await?;
        self.core.forget_keys(&pool.id);
        crate::audit!(operation = "DeleteUserPool", pool = %pool.id.as_str());
        Ok(Empty {})
    }

    /// ListUserPools (`MaxResults` 1..60 required).
    pub async fn list_user_pools(&self, req: ListRequest) -> Result<ListUserPoolsResponse> {
        crate::audit::event("ListUserPools");
        let limit = page_limit(req.max_results, "maxResults", true)?;
        let page = self
            .core
            .store()
            .list_pools(limit, req.next_token.as_deref())
            .await?;
        Ok(ListUserPoolsResponse {
            user_pools: page
                .items
                .iter()
                .map(|p| UserPoolDescription {
                    id: p.id.as_str().to_owned(),
                    name: p.name.clone(),
                    lambda_config: pool_delivery::lambda_config_to_wire(p),
                    last_modified_date: p.modified as f64,
                    creation_date: p.created as f64,
                })
                .collect(),
            next_token: page.next,
        })
    }

    /// SetUserPoolMfaConfig.
    pub async fn set_user_pool_mfa_config(
        &self,
        req: UserPoolMfaConfig,
    ) -> Result<UserPoolMfaConfig> {
        crate::audit::event("SetUserPoolMfaConfig");
        let mut pool = self.core.pool(&req.user_pool_id).await?;
        if let Some(sms) = &req.sms_mfa_configuration {
            pool.mfa_factors.sms = true;
            if let Some(m) = &sms.sms_authentication_message {
                pool.messages.sms_authentication_message = m.clone();
            }
        }
        if let Some(t) = req.software_token_mfa_configuration {
            pool.mfa_factors.totp = t.enabled;
        }
        if req.email_mfa_configuration.is_some() {
            pool.mfa_factors.email = true;
        }
        if req.mfa_configuration.is_some() {
            pool.mfa = mfa_from_wire(req.mfa_configuration.as_deref())?;
        }
        if let Some(w) = &req.web_authn_configuration {
            let required = match w.user_verification.as_deref() {
                None | Some("preferred") => false,
                Some("required") => true,
                Some(other) => {
                    return Err(Error::new(
                        ErrorKind::InvalidParameter,
                        format!(
                            "1 validation error detected: Value '{other}' at 'webAuthnConfiguration.userVerification' failed to satisfy constraint: Member must satisfy enum value set: [required, preferred]"
                        ),
                    ));
                }
            };
            pool.web_authn = user_pool_model::WebAuthnConfig {
                relying_party_id: w.relying_party_id.clone(),
                user_verification_required: required,
                factor_configuration: w.factor_configuration.clone(),
            };
        }
        pool.validate()?;
        pool.modified = self.core.now();
        self.core.store().put_pool(pool.clone()).await?;
        Ok(mfa_config_of(&pool))
    }

    /// GetUserPoolMfaConfig.
    pub async fn get_user_pool_mfa_config(
        &self,
        req: UserPoolIdRequest,
    ) -> Result<UserPoolMfaConfig> {
        crate::audit::event("GetUserPoolMfaConfig");
        let pool = self.core.pool(&req.user_pool_id).await?;
        Ok(mfa_config_of(&pool))
    }

    /// GetCSVHeader.
    pub async fn get_csv_header(&self, req: UserPoolIdRequest) -> Result<CsvHeaderResponse> {
        crate::audit::event("GetCSVHeader");
        let pool = self.core.pool(&req.user_pool_id).await?;
        Ok(CsvHeaderResponse {
            user_pool_id: pool.id.as_str().to_owned(),
            csv_header: user_pool_model::csv_import::csv_header(&pool.schema),
        })
    }
}

fn mfa_config_of(pool: &PoolConfig) -> UserPoolMfaConfig {
    UserPoolMfaConfig {
        user_pool_id: String::new(),
        sms_mfa_configuration: pool.mfa_factors.sms.then(|| SmsMfaConfiguration {
            sms_authentication_message: Some(pool.messages.sms_authentication_message.clone()),
        }),
        software_token_mfa_configuration: Some(SoftwareTokenMfaConfiguration {
            enabled: pool.mfa_factors.totp,
        }),
        email_mfa_configuration: pool.mfa_factors.email.then(EmailMfaConfiguration::default),
        mfa_configuration: Some(mfa_to_wire(pool.mfa).into()),
        web_authn_configuration: Some(WebAuthnConfiguration {
            relying_party_id: pool.web_authn.relying_party_id.clone(),
            user_verification: Some(
                if pool.web_authn.user_verification_required {
                    "required"
                } else {
                    "preferred"
                }
                .into(),
            ),
            factor_configuration: pool.web_authn.factor_configuration.clone(),
        }),
    }
}

/// A listing's page size: `1..=60`, or absent (60) when `optional`.
pub(crate) fn page_limit(value: Option<i64>, member: &str, required: bool) -> Result<usize> {
    match value {
        None if !required => Ok(60),
        Some(v @ 1..=60) => Ok(usize::try_from(v).unwrap_or(60)),
        other => Err(Error::new(
            ErrorKind::InvalidParameter,
            format!(
                "1 validation error detected: Value '{}' at '{member}' failed to satisfy constraint: Member must have value between 1 and 60",
                other.map_or_else(|| "null".to_owned(), |v| v.to_string())
            ),
        )),
    }
}
