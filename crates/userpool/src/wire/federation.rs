//! Request and response shapes of the identity-provider operations and provider links.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `CreateIdentityProvider`, `UpdateIdentityProvider`, `DescribeIdentityProvider`,
/// `DeleteIdentityProvider`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IdentityProviderRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ProviderName`.
    pub provider_name: String,
    /// `ProviderType` (create).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_type: Option<String>,
    /// `ProviderDetails` (may hold secrets; never logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_details: Option<BTreeMap<String, String>>,
    /// `AttributeMapping`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    /// `IdpIdentifiers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_identifiers: Option<Vec<String>>,
}

/// `IdentityProviderType`. `ProviderDetails` secrets are masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderType {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ProviderName`.
    pub provider_name: String,
    /// `ProviderType`.
    pub provider_type: String,
    /// `ProviderDetails`.
    pub provider_details: BTreeMap<String, String>,
    /// `AttributeMapping`.
    pub attribute_mapping: BTreeMap<String, String>,
    /// `IdpIdentifiers`.
    pub idp_identifiers: Vec<String>,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
}

/// `{ IdentityProvider }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderResponse {
    /// `IdentityProvider`.
    pub identity_provider: IdentityProviderType,
}

/// `ListIdentityProviders`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListIdentityProvidersRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `MaxResults` (1–60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_results: Option<u32>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `ProviderDescription`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderDescription {
    /// `ProviderName`.
    pub provider_name: String,
    /// `ProviderType`.
    pub provider_type: String,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
}

/// `ListIdentityProviders` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersResponse {
    /// `Providers`.
    pub providers: Vec<ProviderDescription>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `GetIdentityProviderByIdentifier`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetIdentityProviderByIdentifierRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `IdpIdentifier`.
    pub idp_identifier: String,
}

/// `GetSigningCertificate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetSigningCertificateRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
}

/// `{ Certificate }`: the pool's SAML signing certificate, base64 DER.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSigningCertificateResponse {
    /// `Certificate`.
    pub certificate: String,
}

/// `ProviderUserIdentifierType`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ProviderUserIdentifier {
    /// `ProviderName` (`Cognito` for the pool's own users).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    /// `ProviderAttributeName` (`Cognito_Subject` for the provider's subject).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_attribute_name: Option<String>,
    /// `ProviderAttributeValue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_attribute_value: Option<String>,
}

/// `AdminLinkProviderForUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminLinkProviderForUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `DestinationUser`: `{ProviderName: "Cognito", ProviderAttributeValue: <username>}`.
    pub destination_user: ProviderUserIdentifier,
    /// `SourceUser`: the provider user.
    pub source_user: ProviderUserIdentifier,
}

/// `AdminDisableProviderForUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AdminDisableProviderForUserRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `User`: the provider user.
    pub user: ProviderUserIdentifier,
}

/// What `/oauth2/authorize` does when it may send the browser to an identity provider.
#[derive(Debug)]
pub enum FederatedAuthorize {
    /// What the hosted domain does without a provider (sign-in page, redirect, error page).
    Hosted(super::AuthorizeOutcome),
    /// `302` to the provider; the browser-binding cookie of pool `pool_id` is set with
    /// `binding` for `max_age` seconds.
    Provider {
        /// The provider's authorization URL with our request.
        location: String,
        /// The pool (names the cookie).
        pool_id: String,
        /// The cookie value.
        binding: super::SecretString,
        /// The cookie's `Max-Age`.
        max_age: i64,
    },
}

/// What `/oauth2/idpresponse` does. `Debug` hides the redirect's parameters (a code).
pub enum IdpResponseOutcome {
    /// `302` to the app (a code, or an error), with the hosted sign-in cookie when a user
    /// signed in; the binding cookie of `pool_id` is cleared.
    Redirect {
        /// The app's redirect URI with its parameters.
        location: String,
        /// The pool.
        pool_id: String,
        /// The hosted UI's sign-in cookie to set.
        session: Option<super::HostedSession>,
    },
    /// Nothing may go to an app: the error page with this code.
    ErrorPage(String),
}

impl std::fmt::Debug for IdpResponseOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Redirect {
                location, pool_id, ..
            } => f
                .debug_struct("Redirect")
                .field(
                    "location",
                    &location.split(['?', '#']).next().unwrap_or_default(),
                )
                .field("pool_id", pool_id)
                .finish_non_exhaustive(),
            Self::ErrorPage(code) => f.debug_tuple("ErrorPage").field(code).finish(),
        }
    }
}
