//! Request and response shapes of the user pool domain operations.

use serde::{Deserialize, Serialize};

/// `CustomDomainConfigType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomDomainConfigType {
    /// The ACM certificate of a custom domain.
    pub certificate_arn: String,
}

/// CreateUserPoolDomain, UpdateUserPoolDomain and DeleteUserPoolDomain input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserPoolDomainRequest {
    /// A prefix (`myprefix`) or a fully-qualified custom domain (`auth.example.com`).
    pub domain: String,
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// Required for a custom domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfigType>,
    /// 1 (hosted UI classic, the default) or 2 (managed login).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<u8>,
}

/// CreateUserPoolDomain and UpdateUserPoolDomain output.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainResponse {
    /// For a custom domain: the host its DNS alias must point to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_domain: Option<String>,
    /// `ManagedLoginVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<u8>,
}

/// DescribeUserPoolDomain input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeUserPoolDomainRequest {
    /// The prefix or custom domain.
    pub domain: String,
}

/// DescribeUserPoolDomain output (an empty description for an unknown domain, as Cognito
/// answers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainResponse {
    /// `DomainDescription`.
    pub domain_description: DomainDescriptionType,
}

/// `DomainDescriptionType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescriptionType {
    /// `UserPoolId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `AWSAccountId`.
    #[serde(rename = "AWSAccountId", skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    /// `Domain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `CloudFrontDistribution`: the host serving the domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_distribution: Option<String>,
    /// `Status` (`ACTIVE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `CustomDomainConfig`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfigType>,
    /// `ManagedLoginVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<u8>,
}

/// SetUICustomization input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SetUiCustomizationRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId`; absent or `ALL` for every client of the pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// `CSS`.
    #[serde(rename = "CSS", skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    /// `ImageFile`: the logo (PNG or JPEG, at most 100 KB), base64 as the JSON protocol
    /// carries blobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_file: Option<String>,
}

/// GetUICustomization input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetUiCustomizationRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId`; absent or `ALL` for the pool-wide customization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// `UICustomizationType`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UiCustomizationType {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `ClientId` (`ALL` for the pool-wide one).
    pub client_id: String,
    /// Where the logo is served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// `CSS`.
    #[serde(rename = "CSS", skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    /// `CSSVersion`: changes with every update.
    #[serde(rename = "CSSVersion", skip_serializing_if = "Option::is_none")]
    pub css_version: Option<String>,
    /// `CreationDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<i64>,
    /// `LastModifiedDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<i64>,
}

/// SetUICustomization and GetUICustomization output.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UiCustomizationResponse {
    /// `UICustomization`.
    #[serde(rename = "UICustomization")]
    pub ui_customization: UiCustomizationType,
}
