//! Groups and memberships in memory.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use user_pool_model::{FoldedUsername, Group, User, UserPoolId};

use super::{MemoryStore, page_of};
use crate::error::{StoreError, StoreResult};
use crate::paging;
use crate::records::Page;
use crate::traits::GroupStore;

#[derive(Default)]
pub(super) struct Groups {
    groups: BTreeMap<String, Group>,
    /// (group, user) and (user, group), both ordered.
    by_group: BTreeSet<(String, String)>,
    by_user: BTreeSet<(String, String)>,
}

impl Groups {
    pub(super) fn forget_user(&mut self, user: &str) {
        let groups: Vec<String> = self.groups_of(user).cloned().collect();
        for g in groups {
            self.by_group.remove(&(g.clone(), user.to_owned()));
            self.by_user.remove(&(user.to_owned(), g));
        }
    }

    fn groups_of<'a>(&'a self, user: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.by_user
            .range((user.to_owned(), String::new())..)
            .take_while(move |(u, _)| u == user)
            .map(|(_, g)| g)
    }
}

/// A page of the second elements of `(key, x)` pairs after the token.
fn pairs_page<'a>(
    set: &'a BTreeSet<(String, String)>,
    key: &str,
    limit: usize,
    token: Option<&str>,
) -> StoreResult<Page<&'a String>> {
    let after: Option<String> = paging::cursor(token)?;
    let size = paging::page_size(limit);
    let start = (key.to_owned(), after.clone().unwrap_or_default());
    let rows = set
        .range(start..)
        .take_while(|(k, _)| k == key)
        .map(|(_, x)| x)
        .filter(|x| after.as_ref().is_none_or(|a| *x > a))
        .take(size + 1)
        .map(|x| (x, x));
    Ok(paging::page(rows, size))
}

/// A membership change needs both the group and the user.
fn both_exist(p: &super::PoolData, group: &str, username_key: &str) -> StoreResult<()> {
    if !p.groups.groups.contains_key(group) {
        return Err(StoreError::GroupNotFound);
    }
    if !p.users.contains(username_key) {
        return Err(StoreError::UserNotFound);
    }
    Ok(())
}

#[async_trait]
impl GroupStore for MemoryStore {
    async fn create_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            if p.groups.groups.contains_key(&group.name) {
                return Err(StoreError::GroupExists);
            }
            p.groups.groups.insert(group.name.clone(), group);
            Ok(())
        })
    }

    async fn get_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<Group> {
        self.with_pool(pool, |p| {
            p.groups
                .groups
                .get(name)
                .cloned()
                .ok_or(StoreError::GroupNotFound)
        })
    }

    async fn put_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()> {
        self.with_pool(pool, |p| match p.groups.groups.get_mut(&group.name) {
            Some(g) => {
                *g = group;
                Ok(())
            }
            None => Err(StoreError::GroupNotFound),
        })
    }

    async fn delete_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<()> {
        self.with_pool(pool, |p| {
            p.groups
                .groups
                .remove(name)
                .ok_or(StoreError::GroupNotFound)?;
            let members: Vec<String> = p
                .groups
                .by_group
                .range((name.to_owned(), String::new())..)
                .take_while(|(g, _)| g == name)
                .map(|(_, u)| u.clone())
                .collect();
            for u in members {
                p.groups.by_group.remove(&(name.to_owned(), u.clone()));
                p.groups.by_user.remove(&(u, name.to_owned()));
            }
            Ok(())
        })
    }

    async fn list_groups(
        &self,
        pool: &UserPoolId,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<Group>> {
        self.with_pool(pool, |p| page_of(&p.groups.groups, limit, token))
    }

    async fn add_to_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        key: &FoldedUsername,
    ) -> StoreResult<()> {
        let username_key = key.as_str();
        self.with_pool(pool, |p| {
            both_exist(p, group, username_key)?;
            p.groups
                .by_group
                .insert((group.to_owned(), username_key.to_owned()));
            p.groups
                .by_user
                .insert((username_key.to_owned(), group.to_owned()));
            Ok(())
        })
    }

    async fn remove_from_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        key: &FoldedUsername,
    ) -> StoreResult<()> {
        let username_key = key.as_str();
        self.with_pool(pool, |p| {
            both_exist(p, group, username_key)?;
            p.groups
                .by_group
                .remove(&(group.to_owned(), username_key.to_owned()));
            p.groups
                .by_user
                .remove(&(username_key.to_owned(), group.to_owned()));
            Ok(())
        })
    }

    async fn groups_for_user(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<Group>> {
        let username_key = username_key.as_str();
        self.with_pool(pool, |p| {
            if !p.users.contains(username_key) {
                return Err(StoreError::UserNotFound);
            }
            let page = pairs_page(&p.groups.by_user, username_key, limit, token)?;
            let items = page
                .items
                .into_iter()
                .filter_map(|g| p.groups.groups.get(g).cloned())
                .collect();
            Ok(Page {
                items,
                next: page.next,
            })
        })
    }

    async fn users_in_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        limit: usize,
        token: Option<&str>,
    ) -> StoreResult<Page<User>> {
        self.with_pool(pool, |p| {
            if !p.groups.groups.contains_key(group) {
                return Err(StoreError::GroupNotFound);
            }
            let page = pairs_page(&p.groups.by_group, group, limit, token)?;
            let mut items = Vec::with_capacity(page.items.len());
            for u in page.items {
                if let Some(user) = p.users.get(u)? {
                    items.push(user);
                }
            }
            Ok(Page {
                items,
                next: page.next,
            })
        })
    }
}
