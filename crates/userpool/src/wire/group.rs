//! Request and response shapes of the group operations.

use serde::{Deserialize, Serialize};
use user_pool_model::Group;

use super::user::UserType;

/// `CreateGroup`, `UpdateGroup`, `GetGroup`, `DeleteGroup`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `GroupName`.
    pub group_name: String,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoleArn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `Precedence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
}

/// `GroupType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupType {
    /// `GroupName`.
    pub group_name: String,
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `RoleArn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `Precedence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<u32>,
    /// `LastModifiedDate`.
    pub last_modified_date: f64,
    /// `CreationDate`.
    pub creation_date: f64,
}

impl GroupType {
    /// The wire shape of `group` in `pool`.
    pub fn of(group: &Group, pool: &str) -> Self {
        Self {
            group_name: group.name.clone(),
            user_pool_id: pool.to_owned(),
            description: group.description.clone(),
            role_arn: group.role_arn.clone(),
            precedence: group.precedence,
            last_modified_date: group.modified as f64,
            creation_date: group.created as f64,
        }
    }
}

/// `{Group}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupResponse {
    /// The group.
    pub group: GroupType,
}

/// `ListGroups` / `AdminListGroupsForUser` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsResponse {
    /// The page.
    pub groups: Vec<GroupType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AdminAddUserToGroup` / `AdminRemoveUserFromGroup`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupMemberRequest {
    /// `UserPoolId`.
    pub user_pool_id: String,
    /// `Username`.
    pub username: String,
    /// `GroupName`.
    pub group_name: String,
}

/// `ListUsersInGroup` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupResponse {
    /// The page.
    pub users: Vec<UserType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
