//! Users in memory: hash maps for O(1) lookup by username, alias and `sub`, and ordered
//! per-attribute indexes that serve ListUsers' `=` and `^=` without a scan.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use user_pool_model::{CaseRule, FilterAttribute, FilterOp, FoldedUsername, Sub, User, UserPoolId};

use super::MemoryStore;
use super::compact::CompactUser;
use crate::error::{StoreError, StoreResult};
use crate::paging;
use crate::records::{INDEXED_ATTRIBUTES, Page, UserKeys, UserQuery, indexed_value};
use crate::traits::UserStore;

pub(super) struct Users {
    case_rule: CaseRule,
    records: HashMap<u32, CompactUser>,
    next_id: u32,
    by_username: HashMap<Box<str>, u32>,
    /// `"<attribute>\0<folded value>"` → id.
    by_alias: HashMap<Box<str>, u32>,
    by_sub: HashMap<Sub, u32>,
    order: BTreeMap<Box<str>, u32>,
    index: HashMap<&'static str, BTreeSet<(Box<str>, u32)>>,
}

/// Attributes that can be sign-in aliases.
const ALIAS_ATTRIBUTES: [&str; 3] = ["email", "phone_number", "preferred_username"];

fn alias_key(attribute: &str, value: &str) -> Box<str> {
    format!("{attribute}\u{0}{value}").into_boxed_str()
}

/// Where a page ended.
#[derive(Serialize, Deserialize)]
enum Cursor {
    /// After this folded username.
    Username(String),
    /// After this (comparison value, id) in an attribute index.
    Index(String, u32),
}

impl Users {
    pub(super) fn new(case_rule: CaseRule) -> Self {
        Self {
            case_rule,
            records: HashMap::new(),
            next_id: 0,
            by_username: HashMap::new(),
            by_alias: HashMap::new(),
            by_sub: HashMap::new(),
            order: BTreeMap::new(),
            index: INDEXED_ATTRIBUTES
                .iter()
                .map(|a| (*a, BTreeSet::new()))
                .collect(),
        }
    }

    /// The form an attribute value is indexed and compared under.
    fn compared(&self, attribute: &str, value: &str) -> String {
        indexed_value(self.case_rule, attribute, value)
    }

    fn index_entries(&self, user: &User) -> Vec<(&'static str, String)> {
        INDEXED_ATTRIBUTES
            .iter()
            .filter_map(|a| user.attribute(a).map(|v| (*a, self.compared(a, &v))))
            .collect()
    }

    fn check_aliases(&self, keys: &UserKeys, owner: Option<u32>) -> StoreResult<()> {
        for (attribute, value) in &keys.aliases {
            if let Some(holder) = self.by_alias.get(&alias_key(attribute, value))
                && Some(*holder) != owner
            {
                return Err(StoreError::AliasExists(attribute.clone()));
            }
        }
        Ok(())
    }

    fn link(&mut self, id: u32, user: &User, keys: &UserKeys) -> StoreResult<()> {
        let packed = CompactUser::pack(user)?;
        for (attribute, value) in self.index_entries(user) {
            if let Some(set) = self.index.get_mut(attribute) {
                set.insert((value.into_boxed_str(), id));
            }
        }
        for (attribute, value) in &keys.aliases {
            self.by_alias.insert(alias_key(attribute, value), id);
        }
        self.records.insert(id, packed);
        Ok(())
    }

    /// Removes a record and every index entry and alias pointing at it (aliases are derived
    /// from the attributes they come from, so none is missed).
    fn unlink(&mut self, id: u32) -> StoreResult<Option<User>> {
        let Some(packed) = self.records.remove(&id) else {
            return Ok(None);
        };
        let user = packed.unpack()?;
        for (attribute, value) in self.index_entries(&user) {
            if let Some(set) = self.index.get_mut(attribute) {
                set.remove(&(value.into_boxed_str(), id));
            }
        }
        for attribute in ALIAS_ATTRIBUTES {
            if let Some(value) = user.attributes.get(attribute) {
                let key = alias_key(attribute, &self.case_rule.fold_alias(attribute, value));
                if self.by_alias.get(&key) == Some(&id) {
                    self.by_alias.remove(&key);
                }
            }
        }
        Ok(Some(user))
    }

    pub(super) fn insert(&mut self, mut user: User, keys: &UserKeys) -> StoreResult<User> {
        if self.by_username.contains_key(keys.username.as_str()) {
            return Err(StoreError::UsernameExists);
        }
        if self.by_sub.contains_key(&user.sub) {
            return Err(StoreError::SubExists);
        }
        self.check_aliases(keys, None)?;
        let id = self.next_id;
        self.next_id = self
            .next_id
            .checked_add(1)
            .ok_or_else(|| StoreError::Backend("user id space exhausted".into()))?;
        user.version = 1;
        self.link(id, &user, keys)?;
        self.by_username
            .insert(Box::from(keys.username.as_str()), id);
        self.order.insert(Box::from(keys.username.as_str()), id);
        self.by_sub.insert(user.sub, id);
        Ok(user)
    }

    /// Inserts every user or, at the first that cannot be, takes back those inserted before it.
    fn insert_all(&mut self, users: &[(User, UserKeys)]) -> StoreResult<()> {
        for (done, (user, keys)) in users.iter().enumerate() {
            if let Err(e) = self.insert(user.clone(), keys) {
                for (_, keys) in users.iter().take(done) {
                    self.remove(keys.username.as_str())?;
                }
                return Err(e);
            }
        }
        Ok(())
    }

    pub(super) fn update(&mut self, mut user: User, keys: &UserKeys) -> StoreResult<User> {
        let id = *self
            .by_username
            .get(keys.username.as_str())
            .ok_or(StoreError::UserNotFound)?;
        let stored = self
            .records
            .get(&id)
            .ok_or(StoreError::UserNotFound)?
            .unpack()?;
        if stored.version != user.version {
            return Err(StoreError::VersionConflict);
        }
        self.check_aliases(keys, Some(id))?;
        user.sub = stored.sub;
        user.username = stored.username;
        user.version = stored.version.saturating_add(1);
        // Pack first: if that fails nothing has changed.
        CompactUser::pack(&user)?;
        self.unlink(id)?;
        self.link(id, &user, keys)?;
        Ok(user)
    }

    pub(super) fn remove(&mut self, username_key: &str) -> StoreResult<User> {
        let id = self
            .by_username
            .remove(username_key)
            .ok_or(StoreError::UserNotFound)?;
        self.order.remove(username_key);
        let user = self.unlink(id)?.ok_or(StoreError::UserNotFound)?;
        self.by_sub.remove(&user.sub);
        Ok(user)
    }

    fn record(&self, id: u32) -> StoreResult<Option<User>> {
        self.records.get(&id).map(CompactUser::unpack).transpose()
    }

    pub(super) fn get(&self, username_key: &str) -> StoreResult<Option<User>> {
        self.by_username
            .get(username_key)
            .map_or(Ok(None), |id| self.record(*id))
    }

    pub(super) fn contains(&self, username_key: &str) -> bool {
        self.by_username.contains_key(username_key)
    }

    fn by_alias(&self, attribute: &str, value_key: &str) -> StoreResult<Option<User>> {
        self.by_alias
            .get(&alias_key(attribute, value_key))
            .map_or(Ok(None), |id| self.record(*id))
    }

    fn by_sub(&self, sub: &Sub) -> StoreResult<Option<User>> {
        self.by_sub.get(sub).map_or(Ok(None), |id| self.record(*id))
    }

    fn list(&self, query: &UserQuery) -> StoreResult<Page<User>> {
        let size = paging::page_size(query.limit);
        let cursor: Option<Cursor> = paging::cursor(query.token.as_deref())?;
        let rule = self.case_rule;
        let mut out: Vec<(Cursor, User)> = Vec::with_capacity(size + 1);
        let by_username_from = |start: Bound<String>| {
            self.order
                .range::<str, _>((start.as_ref().map(String::as_str), Bound::Unbounded))
        };
        match &query.filter {
            None => {
                let start = match cursor {
                    None => Bound::Unbounded,
                    Some(Cursor::Username(u)) => Bound::Excluded(u),
                    Some(Cursor::Index(..)) => return Err(StoreError::InvalidPaginationToken),
                };
                for (key, id) in by_username_from(start).take(size + 1) {
                    if let Some(u) = self.record(*id)? {
                        out.push((Cursor::Username(key.to_string()), u));
                    }
                }
            }
            Some(f) if f.attribute == FilterAttribute::Username && f.op == FilterOp::Equals => {
                if cursor.is_none()
                    && let Some(u) = self.get(&rule.fold(&f.value))?
                {
                    out.push((Cursor::Username(rule.fold(&f.value)), u));
                }
            }
            Some(f)
                if matches!(
                    f.attribute,
                    FilterAttribute::Username
                        | FilterAttribute::UserStatus
                        | FilterAttribute::Status
                ) =>
            {
                let prefix =
                    (f.attribute == FilterAttribute::Username).then(|| rule.fold(&f.value));
                let start = match (cursor, &prefix) {
                    (Some(Cursor::Username(u)), _) => Bound::Excluded(u),
                    (Some(Cursor::Index(..)), _) => return Err(StoreError::InvalidPaginationToken),
                    (None, Some(p)) => Bound::Included(p.clone()),
                    (None, None) => Bound::Unbounded,
                };
                for (key, id) in by_username_from(start) {
                    if prefix
                        .as_ref()
                        .is_some_and(|p| !key.starts_with(p.as_str()))
                    {
                        break;
                    }
                    if let Some(u) = self.record(*id)?
                        && f.matches(&u, rule)
                    {
                        out.push((Cursor::Username(key.to_string()), u));
                        if out.len() > size {
                            break;
                        }
                    }
                }
            }
            Some(f) => {
                let attribute = f
                    .attribute
                    .attribute_name()
                    .ok_or(StoreError::InvalidPaginationToken)?;
                let value = self.compared(attribute, &f.value);
                let set = self
                    .index
                    .get(attribute)
                    .ok_or_else(|| StoreError::Backend("missing index".into()))?;
                let start = match cursor {
                    Some(Cursor::Index(v, id)) => Bound::Excluded((v.into_boxed_str(), id)),
                    Some(Cursor::Username(_)) => return Err(StoreError::InvalidPaginationToken),
                    None => Bound::Included((value.clone().into_boxed_str(), 0)),
                };
                for (v, id) in set.range((start, Bound::Unbounded)) {
                    let hit = match f.op {
                        FilterOp::Equals => **v == *value,
                        FilterOp::StartsWith => v.starts_with(value.as_str()),
                    };
                    if !hit {
                        break;
                    }
                    if let Some(u) = self.record(*id)?
                        && f.matches(&u, rule)
                    {
                        out.push((Cursor::Index(v.to_string(), *id), u));
                        if out.len() > size {
                            break;
                        }
                    }
                }
            }
        }
        Ok(paging::page(out, size))
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn insert_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        self.with_pool(pool, |p| p.users.insert(user, keys))
    }

    async fn insert_users(&self, pool: &UserPoolId, users: &[(User, UserKeys)]) -> StoreResult<()> {
        self.with_pool(pool, |p| p.users.insert_all(users))
    }

    async fn get_user(&self, pool: &UserPoolId, key: &FoldedUsername) -> StoreResult<Option<User>> {
        let username_key = key.as_str();
        self.with_pool(pool, |p| p.users.get(username_key))
    }

    async fn find_by_alias(
        &self,
        pool: &UserPoolId,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>> {
        self.with_pool(pool, |p| p.users.by_alias(attribute, value_key))
    }

    async fn find_by_sub(&self, pool: &UserPoolId, sub: &Sub) -> StoreResult<Option<User>> {
        self.with_pool(pool, |p| p.users.by_sub(sub))
    }

    async fn update_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        self.with_pool(pool, |p| p.users.update(user, keys))
    }

    async fn delete_user(&self, pool: &UserPoolId, key: &FoldedUsername) -> StoreResult<()> {
        let username_key = key.as_str();
        self.with_pool(pool, |p| {
            p.users.remove(username_key)?;
            p.groups.forget_user(username_key);
            p.tokens.forget_user(username_key);
            p.lockouts.remove(username_key);
            p.auth_events.forget_user(username_key);
            p.passkeys.retain(|_, c| c.username_key != username_key);
            p.providers.forget_user(username_key);
            Ok(())
        })
    }

    async fn list_users(&self, pool: &UserPoolId, query: &UserQuery) -> StoreResult<Page<User>> {
        self.with_pool(pool, |p| p.users.list(query))
    }

    async fn count_users(&self, pool: &UserPoolId) -> StoreResult<u64> {
        self.with_pool(pool, |p| Ok(p.users.records.len() as u64))
    }
}
