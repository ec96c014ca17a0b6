//! The request and response shapes of Cognito Identity's operations (botocore
//! `cognito-identity/2014-06-30/service-2.json`), PascalCase, absent optionals omitted,
//! timestamps as epoch seconds. Required members are checked by the operations (so a missing
//! one is Cognito's `InvalidParameterException`, not a decoding failure); values are parsed by
//! `identity-pool-model`. Tokens travel as [`SecretString`] / [`SecretMap`]; the credentials'
//! secrets leave only through [`Credentials::to_wire_json`].

use std::collections::BTreeMap;

use identity_pool_model::{Credentials, IdentityPool, RoleMappings};
use serde::{Deserialize, Serialize, Serializer};

use crate::wire::{SecretMap, SecretString};

/// CreateIdentityPool's input, and (with `IdentityPoolId`) UpdateIdentityPool's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IdentityPoolRequest {
    /// `IdentityPoolId` (UpdateIdentityPool only).
    pub identity_pool_id: String,
    /// `IdentityPoolName` (required).
    pub identity_pool_name: String,
    /// `AllowUnauthenticatedIdentities` (required).
    pub allow_unauthenticated_identities: Option<bool>,
    /// `AllowClassicFlow`.
    pub allow_classic_flow: Option<bool>,
    /// `SupportedLoginProviders`.
    pub supported_login_providers: BTreeMap<String, String>,
    /// `DeveloperProviderName`.
    pub developer_provider_name: Option<String>,
    /// `OpenIdConnectProviderARNs`.
    #[serde(rename = "OpenIdConnectProviderARNs")]
    pub open_id_connect_provider_arns: Vec<String>,
    /// `CognitoIdentityProviders`.
    pub cognito_identity_providers: Vec<CognitoIdentityProviderRequest>,
    /// `SamlProviderARNs`.
    #[serde(rename = "SamlProviderARNs")]
    pub saml_provider_arns: Vec<String>,
    /// `IdentityPoolTags` (UpdateIdentityPool leaves the tags alone when absent).
    pub identity_pool_tags: Option<BTreeMap<String, String>>,
}

/// One `CognitoIdentityProviders` entry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CognitoIdentityProviderRequest {
    /// `ProviderName`.
    pub provider_name: String,
    /// `ClientId`.
    pub client_id: String,
    /// `ServerSideTokenCheck`.
    pub server_side_token_check: Option<bool>,
}

/// Operations naming only a pool (Describe/DeleteIdentityPool, GetIdentityPoolRoles).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IdentityPoolIdRequest {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
}

/// ListIdentityPools.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListIdentityPoolsRequest {
    /// `MaxResults` (1..=60, required).
    pub max_results: Option<i64>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// One pool of ListIdentityPools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolShortDescription {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `IdentityPoolName`.
    pub identity_pool_name: String,
}

/// ListIdentityPools' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsResponse {
    /// `IdentityPools`.
    pub identity_pools: Vec<IdentityPoolShortDescription>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The `IdentityPool` shape Create/Describe/UpdateIdentityPool answer with.
pub type IdentityPoolResponse = IdentityPool;

/// SetIdentityPoolRoles.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SetIdentityPoolRolesRequest {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `Roles` (required): `authenticated` / `unauthenticated` → role ARN.
    pub roles: Option<BTreeMap<String, String>>,
    /// `RoleMappings`: provider → mapping (read by `identity-pool-model`).
    pub role_mappings: BTreeMap<String, serde_json::Value>,
}

/// GetIdentityPoolRoles' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdentityPoolRolesResponse {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `Roles`.
    pub roles: BTreeMap<String, String>,
    /// `RoleMappings`.
    #[serde(skip_serializing_if = "RoleMappings::is_empty")]
    pub role_mappings: RoleMappings,
}

/// GetId.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetIdRequest {
    /// `AccountId` (accepted, not checked).
    pub account_id: Option<String>,
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `Logins`: provider → token.
    pub logins: Option<SecretMap>,
}

/// An answer carrying only `IdentityId` (GetId).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityIdResponse {
    /// `IdentityId`.
    pub identity_id: String,
}

/// GetOpenIdToken.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetOpenIdTokenRequest {
    /// `IdentityId`.
    pub identity_id: String,
    /// `Logins`.
    pub logins: Option<SecretMap>,
}

/// GetOpenIdToken's and GetOpenIdTokenForDeveloperIdentity's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpenIdTokenResponse {
    /// `IdentityId` (it may differ from the one asked about: a guest identity whose login
    /// belongs to another identity answers with that one).
    pub identity_id: String,
    /// `Token`: the OpenID token.
    pub token: SecretString,
}

/// GetOpenIdTokenForDeveloperIdentity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetOpenIdTokenForDeveloperIdentityRequest {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `IdentityId`: link to this identity instead of finding or creating one.
    pub identity_id: Option<String>,
    /// `Logins` (required): the developer provider → user identifier, and any provider tokens.
    pub logins: Option<SecretMap>,
    /// `PrincipalTags`: session tags for STS.
    pub principal_tags: Option<BTreeMap<String, String>>,
    /// `TokenDuration` in seconds (1..=86400; 15 minutes when absent).
    pub token_duration: Option<i64>,
}

/// GetCredentialsForIdentity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetCredentialsForIdentityRequest {
    /// `IdentityId`.
    pub identity_id: String,
    /// `Logins`.
    pub logins: Option<SecretMap>,
    /// `CustomRoleArn`.
    pub custom_role_arn: Option<String>,
}

/// GetCredentialsForIdentity's answer.
#[derive(Debug, PartialEq, Eq)]
pub struct GetCredentialsForIdentityResponse {
    /// `IdentityId`.
    pub identity_id: String,
    /// `Credentials`.
    pub credentials: Credentials,
}

impl Serialize for GetCredentialsForIdentityResponse {
    /// The one place the credentials' secrets are written out (the wire answer).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::json!({
            "IdentityId": self.identity_id,
            "Credentials": self.credentials.to_wire_json(),
        })
        .serialize(serializer)
    }
}

/// Operations naming one identity (DescribeIdentity).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct IdentityIdRequest {
    /// `IdentityId`.
    pub identity_id: String,
}

/// `IdentityDescription`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityDescription {
    /// `IdentityId`.
    pub identity_id: String,
    /// `Logins`: the provider names linked.
    pub logins: Vec<String>,
    /// `CreationDate`, epoch seconds.
    pub creation_date: i64,
    /// `LastModifiedDate`, epoch seconds.
    pub last_modified_date: i64,
}

/// ListIdentities.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListIdentitiesRequest {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `MaxResults` (1..=60, required).
    pub max_results: Option<i64>,
    /// `NextToken`.
    pub next_token: Option<String>,
    /// `HideDisabled`.
    pub hide_disabled: Option<bool>,
}

/// ListIdentities' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesResponse {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `Identities`.
    pub identities: Vec<IdentityDescription>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// DeleteIdentities.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteIdentitiesRequest {
    /// `IdentityIdsToDelete` (1..=60).
    pub identity_ids_to_delete: Vec<String>,
}

/// One identity DeleteIdentities could not delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnprocessedIdentityId {
    /// `IdentityId`.
    pub identity_id: String,
    /// `ErrorCode`: `AccessDenied` or `InternalServerError`.
    pub error_code: String,
}

/// DeleteIdentities' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesResponse {
    /// `UnprocessedIdentityIds`.
    pub unprocessed_identity_ids: Vec<UnprocessedIdentityId>,
}

/// UnlinkIdentity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UnlinkIdentityRequest {
    /// `IdentityId`.
    pub identity_id: String,
    /// `Logins`: proof of the identity (required).
    pub logins: Option<SecretMap>,
    /// `LoginsToRemove`: provider names (required).
    pub logins_to_remove: Option<Vec<String>>,
}

/// UnlinkDeveloperIdentity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UnlinkDeveloperIdentityRequest {
    /// `IdentityId`.
    pub identity_id: String,
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `DeveloperProviderName`.
    pub developer_provider_name: String,
    /// `DeveloperUserIdentifier`.
    pub developer_user_identifier: String,
}

/// LookupDeveloperIdentity.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LookupDeveloperIdentityRequest {
    /// `IdentityPoolId`.
    pub identity_pool_id: String,
    /// `IdentityId`.
    pub identity_id: Option<String>,
    /// `DeveloperUserIdentifier`.
    pub developer_user_identifier: Option<String>,
    /// `MaxResults` (1..=60).
    pub max_results: Option<i64>,
    /// `NextToken`.
    pub next_token: Option<String>,
}

/// LookupDeveloperIdentity's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupDeveloperIdentityResponse {
    /// `IdentityId`.
    pub identity_id: String,
    /// `DeveloperUserIdentifierList`.
    pub developer_user_identifier_list: Vec<String>,
    /// `NextToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// An empty answer (`{}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IdentityEmpty {}

#[cfg(test)]
mod tests {
    use identity_pool_model::{SecretKey, SessionToken};

    use super::*;

    #[test]
    fn credentials_are_written_in_cognitos_shape_and_never_debugged() {
        let answer = GetCredentialsForIdentityResponse {
            identity_id: "us-east-1:0a".into(),
            credentials: Credentials {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_key: SecretKey::new("s3cr3t"),
                session_token: SessionToken::new("t0ken"),
                expiration: 1_790_003_600,
            },
        };
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            serde_json::json!({"IdentityId": "us-east-1:0a", "Credentials": {
                "AccessKeyId": "ASIAEXAMPLE", "SecretKey": "s3cr3t",
                "SessionToken": "t0ken", "Expiration": 1_790_003_600}})
        );
        let shown = format!("{answer:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("t0ken"));
    }

    #[test]
    fn requests_read_the_wire_names() {
        let r: IdentityPoolRequest = crate::wire::decode(
            br#"{"IdentityPoolName":"p","AllowUnauthenticatedIdentities":true,
                 "OpenIdConnectProviderARNs":["arn"],"SamlProviderARNs":[],
                 "CognitoIdentityProviders":[{"ProviderName":"n","ClientId":"c","ServerSideTokenCheck":true}]}"#,
        )
        .unwrap();
        assert_eq!(r.open_id_connect_provider_arns, ["arn"]);
        assert_eq!(
            r.cognito_identity_providers[0].server_side_token_check,
            Some(true)
        );
        let g: GetIdRequest =
            crate::wire::decode(br#"{"IdentityPoolId":"x","Logins":{"k":"tok"}}"#).unwrap();
        assert!(!format!("{g:?}").contains("tok"));
    }
}
