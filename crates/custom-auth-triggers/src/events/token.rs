//! PreTokenGeneration, V1 (`claimsOverrideDetails`) and V2/V3 (`claimsAndScopeOverrideDetails`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ResponseRules, StringMap};

/// `groupConfiguration` (request) and `groupOverrideDetails` (response).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupConfiguration {
    /// Group names (`cognito:groups`).
    #[serde(default)]
    pub groups_to_override: Vec<String>,
    /// Role ARNs (`cognito:roles`).
    #[serde(default)]
    pub iam_roles_to_override: Vec<String>,
    /// `cognito:preferred_role`.
    #[serde(default)]
    pub preferred_role: Option<String>,
}

/// PreTokenGeneration request (`scopes` only in V2/V3).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationRequest {
    /// The user's attributes.
    pub user_attributes: StringMap,
    /// The user's groups and roles.
    pub group_configuration: GroupConfiguration,
    /// The access token's scopes (V2/V3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// `ClientMetadata` of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<StringMap>,
}

/// V1 `claimsOverrideDetails`: ID-token claims (strings only) and groups.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsOverrideDetails {
    /// Claims to add or replace (strings).
    #[serde(default)]
    pub claims_to_add_or_override: Option<StringMap>,
    /// Claims to remove.
    #[serde(default)]
    pub claims_to_suppress: Option<Vec<String>>,
    /// Replaces groups and roles in both tokens.
    #[serde(default)]
    pub group_override_details: Option<GroupConfiguration>,
}

/// V2/V3 per-token customisation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenGeneration {
    /// Claims to add or replace (any JSON value).
    #[serde(default)]
    pub claims_to_add_or_override: Option<Map<String, Value>>,
    /// Claims to remove.
    #[serde(default)]
    pub claims_to_suppress: Option<Vec<String>>,
    /// Scopes to add (access token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_to_add: Option<Vec<String>>,
    /// Scopes to remove (access token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes_to_suppress: Option<Vec<String>>,
}

/// V2/V3 `claimsAndScopeOverrideDetails`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsAndScopeOverrideDetails {
    /// ID-token changes.
    #[serde(default)]
    pub id_token_generation: Option<TokenGeneration>,
    /// Access-token changes.
    #[serde(default)]
    pub access_token_generation: Option<TokenGeneration>,
    /// Replaces groups and roles in both tokens.
    #[serde(default)]
    pub group_override_details: Option<GroupConfiguration>,
}

/// PreTokenGeneration response: V1 or V2/V3 details, whichever the function set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationResponse {
    /// V1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_override_details: Option<ClaimsOverrideDetails>,
    /// V2/V3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
}

impl ResponseRules for PreTokenGenerationResponse {
    fn check(&self) -> Result<(), String> {
        const SCALAR_ONLY: [&str; 4] = [
            "email_verified",
            "phone_number_verified",
            "updated_at",
            "address",
        ];
        let id = self
            .claims_and_scope_override_details
            .as_ref()
            .and_then(|d| d.id_token_generation.as_ref());
        if let Some(claims) = id.and_then(|g| g.claims_to_add_or_override.as_ref())
            && let Some(bad) = SCALAR_ONLY.iter().find(|c| {
                claims
                    .get(**c)
                    .is_some_and(|v| v.is_object() || v.is_array())
            })
        {
            return Err(format!("{bad} cannot take a complex value in the ID token"));
        }
        Ok(())
    }
}
