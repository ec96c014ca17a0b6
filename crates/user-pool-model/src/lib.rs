//! The Cognito user-pool domain every other crate speaks: pool configuration, app clients,
//! users and their statuses, groups, resource servers, the attribute schema — and the pure rules
//! over them, with Cognito's messages: attribute, username and password validation,
//! `SECRET_HASH`, the ListUsers filter language and the CSV import format. No I/O.
//!
//! ```
//! use user_pool_model::{Attribute, PoolConfig, UserPoolId, Filter, validate_attribute};
//!
//! let pool = PoolConfig::new(UserPoolId::parse("us-east-1_AbCdEf123")?, "My pool")?;
//! assert_eq!(pool.id.pool_name(), "AbCdEf123");
//! assert!(pool.password_policy.check("Passw0rd!").is_ok());
//! assert_eq!(
//!     pool.password_policy.check("password").unwrap_err().to_string(),
//!     "Password did not conform with policy: Password must have uppercase characters"
//! );
//! assert_eq!(
//!     validate_attribute(&pool.schema, &Attribute::new("email", "not-an-email")).unwrap_err().to_string(),
//!     "Invalid email address format."
//! );
//! assert_eq!(Filter::parse(r#"custom:x = "1""#).unwrap_err().to_string(), "Invalid search attribute: custom:x");
//! # Ok::<(), user_pool_model::Error>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod attributes;
mod client;
pub mod csv_import;
mod delivery;
mod error;
mod filter;
mod group;
mod ids;
mod password;
mod pool;
mod redirect_url;
mod schema;
mod sign_in_policy;
mod standard_attribute;
mod threat_protection;
mod user;
mod username;

pub use attributes::{
    Attribute, AttributePermissions, is_valid_email, is_valid_phone, validate_attribute,
};
pub use client::{
    AppClient, AuthFlow, PreventUserExistenceErrors, RefreshTokenRotation, TokenValidity,
    ValidityUnit, secret_hash,
};
pub use delivery::{
    ARN_PATTERN, CustomSenderLambda, EmailConfiguration, EmailSendingAccount, MAX_STRING_TYPE_LEN,
    SmsConfiguration, is_valid_arn,
};
pub use error::{Error, Result};
pub use filter::{Filter, FilterAttribute, FilterOp, MAX_FILTER_LEN};
pub use group::{Group, MAX_GROUPS_PER_USER, ResourceServer, ResourceServerScope, role_claims};
pub use ids::{ClientId, ClientSecret, Sub, UserPoolId};
pub use password::{MAX_PASSWORD_LEN, PasswordPolicy, SYMBOLS};
pub use pool::{
    AdminCreateUserConfig, DeviceConfiguration, MessageTemplates, MfaConfiguration, MfaFactors,
    PoolConfig, RecoveryOption, TRIGGERS,
};
pub use redirect_url::{MAX_REDIRECT_URL_LEN, check_registered_url};
pub use schema::{
    AttributeDataType, MAX_ATTRIBUTE_VALUE_LEN, MAX_CUSTOM_ATTRIBUTES, NumberConstraints,
    STANDARD_ATTRIBUTES, Schema, SchemaAttribute, StringConstraints,
};
pub use sign_in_policy::{AuthFactor, PoolTier, WebAuthnConfig, default_first_factors};
pub use standard_attribute::StandardAttribute;
pub use threat_protection::{StoredRiskConfiguration, ThreatProtection};
pub use user::{Device, MfaMethod, MfaSettings, PasswordRecord, User, UserStatus};
pub use username::{
    CaseRule, FoldedUsername, MAX_USERNAME_LEN, check_not_alias_shaped, validate_username,
};
