#![doc = include_str!("../README.md")]
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

mod arn;
mod claims;
mod credentials;
mod error;
mod ids;
mod login;
mod logins;
mod openid;
mod pool;
mod provider;
mod resolve;
mod roles;
pub mod sts;

pub use arn::{ARN_LEN, OidcProviderArn, RoleArn, SamlProviderArn};
pub use claims::ClaimsMap;
pub use credentials::{Credentials, SecretKey, SessionToken};
pub use error::{Error, Result};
pub use ids::{IdentityId, IdentityPoolId, MAX_ID_LEN};
pub use login::{Login, LoginChecker, LoginKey, MAX_DEVELOPER_USER_IDENTIFIER_LEN, Principal};
pub use logins::{LoginToken, Logins, MAX_LOGIN_TOKEN_LEN, MAX_LOGINS, MAX_PROVIDER_NAME_LEN};
pub use openid::{
    DEFAULT_DEVELOPER_TOKEN_SECONDS, IDENTITY_POOL_ARN_CLAIM, MAX_PRINCIPAL_TAGS,
    MAX_TOKEN_DURATION_SECONDS, OPEN_ID_TOKEN_SECONDS, OpenIdTokenParams, PrincipalTags,
    TAGS_CLAIM, TokenDuration, open_id_token_claims,
};
pub use pool::{CognitoIdentityProvider, IdentityPool, MAX_SUPPORTED_LOGIN_PROVIDERS, MAX_TAGS};
pub use provider::{COGNITO_IDENTITY_ISSUER, Provider, Settings, SocialProvider, UserPoolProvider};
pub use resolve::{first_matching_rule, mapped_login, resolve_role, rule_matches};
pub use roles::{
    AmbiguousRoleResolution, IdentityPoolRoles, MAX_ROLE_MAPPINGS, MAX_RULES, MappingRule,
    MatchType, RoleMapping, RoleMappings,
};
