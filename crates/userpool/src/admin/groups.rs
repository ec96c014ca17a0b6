//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use user_pool_model::{Group, MAX_GROUPS_PER_USER, PoolConfig};
use userpool_store::StoreError;

use crate::admin::Admin;
use crate::admin::pools::page_limit;
use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

impl Admin {
    fn group_error(&self, e: StoreError) -> Error {
        match e {
            StoreError::GroupNotFound => {
                Error::new(ErrorKind::ResourceNotFound, "Group not found.")
            }
            StoreError::InvalidPaginationToken => {
                Error::new(ErrorKind::InvalidParameter, "Invalid pagination token.")
            }
            other => Error::from(other),
        }
    }

    async fn group(&self, pool: &PoolConfig, name: &str) -> Result<Group> {
        if name.is_empty() {
            return Err(missing("groupName"));
        }
        self.core
            .store()
            .get_group(&pool.id, name)
            .await
            .map_err(|e| self.group_error(e))
    }

    /// CreateGroup.
    pub async fn create_group(&self, req: GroupRequest) -> Result<GroupResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let group = Group::new(
            &req.group_name,
            req.description.clone(),
            req.role_arn.clone(),
            req.precedence,
            self.core.now(),
        )?;
        self.core
            .store()
            .create_group(&pool.id, group.clone())
            .await
            .map_err(|e| self.group_error(e))?;
        crate::audit!(operation = "CreateGroup", pool = %pool.id.as_str(), group = %group.name);
        Ok(GroupResponse {
            group: GroupType::of(&group, pool.id.as_str()),
        })
    }

    /// GetGroup.
    pub async fn get_group(&self, req: GroupRequest) -> Result<GroupResponse> {
        crate::audit::event("GetGroup");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let group = self.group(&pool, &req.group_name).await?;
        Ok(GroupResponse {
            group: GroupType::of(&group, pool.id.as_str()),
        })
    }

    /// UpdateGroup: the members given replace the stored ones.
    pub async fn update_group(&self, req: GroupRequest) -> Result<GroupResponse> {
        crate::audit::event("UpdateGroup");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut group = self.group(&pool, &req.group_name).await?;
        let checked = Group::new(
            &group.name,
            req.description
                .clone()
                .or_else(|| group.description.clone()),
            req.role_arn.clone().or_else(|| group.role_arn.clone()),
            req.precedence.or(group.precedence),
            group.created,
        )?;
        group.description = checked.description;
        group.role_arn = checked.role_arn;
        group.precedence = checked.precedence;
        group.modified = self.core.now();
        self.core
            .store()
            .put_group(&pool.id, group.clone())
            .await
            .map_err(|e| self.group_error(e))?;
        Ok(GroupResponse {
            group: GroupType::of(&group, pool.id.as_str()),
        })
    }

    /// DeleteGroup.
    pub async fn delete_group(&self, req: GroupRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let group = self.group(&pool, &req.group_name).await?;
        self.core
            .store()
            .delete_group(&pool.id, &group.name)
            .await
            .map_err(|e| self.group_error(e))?;
        crate::audit!(operation = "DeleteGroup", pool = %pool.id.as_str(), group = %group.name);
        Ok(Empty {})
    }

    /// ListGroups.
    pub async fn list_groups(&self, req: ListRequest) -> Result<ListGroupsResponse> {
        crate::audit::event("ListGroups");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.limit, "limit", false)?;
        let page = self
            .core
            .store()
            .list_groups(&pool.id, limit, req.next_token.as_deref())
            .await
            .map_err(|e| self.group_error(e))?;
        Ok(ListGroupsResponse {
            groups: page
                .items
                .iter()
                .map(|g| GroupType::of(g, pool.id.as_str()))
                .collect(),
            next_token: page.next,
        })
    }

    /// AdminAddUserToGroup (at most 100 groups per user).
    pub async fn admin_add_user_to_group(&self, req: GroupMemberRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        let group = self.group(&pool, &req.group_name).await?;
        let key = pool.case_rule.username_key(&user.username);
        let current = self
            .core
            .store()
            .groups_for_user(&pool.id, &key, MAX_GROUPS_PER_USER + 1, None)
            .await
            .map_err(|e| self.group_error(e))?
            .items;
        if current.len() >= MAX_GROUPS_PER_USER && !current.iter().any(|g| g.name == group.name) {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "A user can be a member of at most 100 groups.",
            ));
        }
        self.core
            .store()
            .add_to_group(&pool.id, &group.name, &key)
            .await
            .map_err(|e| self.group_error(e))?;
        crate::audit!(operation = "AdminAddUserToGroup", pool = %pool.id.as_str(), group = %group.name, sub = %user.sub);
        Ok(Empty {})
    }

    /// AdminRemoveUserFromGroup.
    pub async fn admin_remove_user_from_group(&self, req: GroupMemberRequest) -> Result<Empty> {
        crate::audit::event("AdminRemoveUserFromGroup");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let user = self.core.require_user(&pool, &req.username).await?;
        let group = self.group(&pool, &req.group_name).await?;
        self.core
            .store()
            .remove_from_group(
                &pool.id,
                &group.name,
                &pool.case_rule.username_key(&user.username),
            )
            .await
            .map_err(|e| self.group_error(e))?;
        Ok(Empty {})
    }

    /// AdminListGroupsForUser.
    pub async fn admin_list_groups_for_user(&self, req: ListRequest) -> Result<ListGroupsResponse> {
        crate::audit::event("AdminListGroupsForUser");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .core
            .require_user(&pool, req.username.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.limit, "limit", false)?;
        let page = self
            .core
            .store()
            .groups_for_user(
                &pool.id,
                &pool.case_rule.username_key(&user.username),
                limit,
                req.next_token.as_deref(),
            )
            .await
            .map_err(|e| self.group_error(e))?;
        Ok(ListGroupsResponse {
            groups: page
                .items
                .iter()
                .map(|g| GroupType::of(g, pool.id.as_str()))
                .collect(),
            next_token: page.next,
        })
    }

    /// ListUsersInGroup.
    pub async fn list_users_in_group(&self, req: ListRequest) -> Result<ListUsersInGroupResponse> {
        crate::audit::event("ListUsersInGroup");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let group = self
            .group(&pool, req.group_name.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.limit, "limit", false)?;
        let page = self
            .core
            .store()
            .users_in_group(&pool.id, &group.name, limit, req.next_token.as_deref())
            .await
            .map_err(|e| self.group_error(e))?;
        Ok(ListUsersInGroupResponse {
            users: page.items.iter().map(UserType::of).collect(),
            next_token: page.next,
        })
    }
}
