//! Users: one row each, unique over the folded username, `sub` and every alias by the
//! database's own constraints; updates conditional on the version column; ListUsers served by
//! the ordered `up_user_index`.

use std::ops::Bound;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{Any, Row as _, Transaction};
use user_pool_model::{CaseRule, FilterAttribute, FilterOp, FoldedUsername, Sub, User, UserPoolId};
use userpool_store::paging::{self, cursor, page_size};
use userpool_store::{
    INDEXED_ATTRIBUTES, Page, StoreError, StoreResult, UserKeys, UserQuery, UserStore,
    indexed_value,
};

use crate::codec::{from_json, limit_param, to_json};
use crate::failure::{self, OrBackend as _, is_foreign_key_violation};
use crate::store::SqlStore;

/// The columns a user is read from, in order.
const USER_COLUMNS: &str = "u.username, u.sub, u.version, u.data";

/// Rows fetched per round while a status filter scans in username order.
const SCAN_BATCH: usize = 256;

/// Where a page ended.
#[derive(Serialize, Deserialize)]
enum Cursor {
    /// After this folded username.
    Username(String),
    /// After this (indexed value, folded username).
    Index(String, String),
}

/// A user from a row of [`USER_COLUMNS`]: the columns are authoritative for what the database
/// keeps unique or counts (username, `sub`, version).
pub(crate) fn user_of(row: &AnyRow) -> StoreResult<User> {
    let username: String = row.try_get(0).or_backend()?;
    let sub: String = row.try_get(1).or_backend()?;
    let version: i64 = row.try_get(2).or_backend()?;
    let data: String = row.try_get(3).or_backend()?;
    let mut user: User = from_json(&data)?;
    user.username = username;
    user.sub =
        Sub::parse(&sub).map_err(|_| StoreError::Backend("a stored sub is corrupt".into()))?;
    user.version = u64::try_from(version).unwrap_or_default();
    Ok(user)
}

/// The smallest string greater than every string starting with `prefix` (`None`: unbounded).
pub(crate) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if next == 0xD800 {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `(attribute, folded value)` pairs without repeats.
pub(crate) fn distinct_aliases(keys: &UserKeys) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(keys.aliases.len());
    for (a, v) in &keys.aliases {
        if !out.iter().any(|(x, y)| x == a && y == v) {
            out.push((a, v));
        }
    }
    out
}

/// The index rows of `user`.
pub(crate) fn index_entries(user: &User, rule: CaseRule) -> Vec<(&'static str, String)> {
    INDEXED_ATTRIBUTES
        .iter()
        .filter_map(|a| user.attribute(a).map(|v| (*a, indexed_value(rule, a, &v))))
        .collect()
}

/// Writes the alias and index rows of a user inside `tx` (any old ones already removed).
async fn link(
    tx: &mut Transaction<'static, Any>,
    pool: &UserPoolId,
    user: &User,
    keys: &UserKeys,
    rule: CaseRule,
) -> StoreResult<()> {
    for (attribute, value) in distinct_aliases(keys) {
        let done = sqlx::query(
            "INSERT INTO up_aliases (pool, attribute, value_key, username_key) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(pool.as_str())
        .bind(attribute)
        .bind(value)
        .bind(keys.username.as_str())
        .execute(&mut **tx)
        .await
        .or_backend()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::AliasExists(attribute.to_owned()));
        }
    }
    for (attribute, value) in index_entries(user, rule) {
        sqlx::query(
            "INSERT INTO up_user_index (pool, attribute, value, username_key) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(pool.as_str())
        .bind(attribute)
        .bind(value)
        .bind(keys.username.as_str())
        .execute(&mut **tx)
        .await
        .or_backend()?;
    }
    Ok(())
}

impl SqlStore {
    /// One user by a `WHERE` over `u` (and joins), binding `args` in order.
    async fn one_user(
        &self,
        pool: &UserPoolId,
        from_where: &str,
        args: &[&str],
    ) -> StoreResult<Option<User>> {
        let db = self.ready().await?;
        let sql = format!("SELECT {USER_COLUMNS} {from_where}");
        let row = failure::read(|| async {
            let mut q = sqlx::query(&sql).bind(pool.as_str());
            for a in args {
                q = q.bind(*a);
            }
            q.fetch_optional(db).await
        })
        .await?;
        match row {
            Some(row) => user_of(&row).map(Some),
            None => {
                self.pool_exists(pool).await?;
                Ok(None)
            }
        }
    }

    /// Up to `n` users in username order strictly after / from `start`, below `end`.
    async fn users_by_name(
        &self,
        pool: &UserPoolId,
        start: Bound<&str>,
        end: Option<&str>,
        n: usize,
    ) -> StoreResult<Vec<(String, User)>> {
        let db = self.ready().await?;
        let (op, from) = match start {
            Bound::Included(s) => (">=", s),
            Bound::Excluded(s) => (">", s),
            Bound::Unbounded => (">=", ""),
        };
        let end_clause = if end.is_some() {
            "AND u.username_key < $4"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.username_key FROM up_users u \
             WHERE u.pool = $1 AND u.username_key {op} $2 {end_clause} \
             ORDER BY u.username_key LIMIT $3"
        );
        let rows = failure::read(|| async {
            let mut q = sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(from)
                .bind(limit_param(n));
            if let Some(end) = end {
                q = q.bind(end);
            }
            q.fetch_all(db).await
        })
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>(4).or_backend()?, user_of(r)?)))
            .collect()
    }

    /// Up to `n` users from the attribute index, in (value, username) order.
    async fn users_by_index(
        &self,
        pool: &UserPoolId,
        attribute: &str,
        after: Option<(&str, &str)>,
        from: &str,
        end: Option<&str>,
        n: usize,
    ) -> StoreResult<Vec<((String, String), User)>> {
        let db = self.ready().await?;
        // Without a cursor the page starts at (from, ""), before every username.
        let end_clause = if end.is_some() {
            "AND i.value < $6"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {USER_COLUMNS}, i.value, i.username_key \
             FROM up_user_index i JOIN up_users u \
               ON u.pool = i.pool AND u.username_key = i.username_key \
             WHERE i.pool = $1 AND i.attribute = $2 \
               AND (i.value, i.username_key) > ($4, $5) {end_clause} \
             ORDER BY i.value, i.username_key LIMIT $3"
        );
        let rows = failure::read(|| async {
            let (v, k) = after.unwrap_or((from, ""));
            let mut q = sqlx::query(&sql)
                .bind(pool.as_str())
                .bind(attribute)
                .bind(limit_param(n))
                .bind(v)
                .bind(k);
            if let Some(end) = end {
                q = q.bind(end);
            }
            q.fetch_all(db).await
        })
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    (
                        r.try_get::<String, _>(4).or_backend()?,
                        r.try_get::<String, _>(5).or_backend()?,
                    ),
                    user_of(r)?,
                ))
            })
            .collect()
    }

    async fn list(&self, pool: &UserPoolId, query: &UserQuery) -> StoreResult<Page<User>> {
        let rule = self.case_rule(pool).await?;
        let size = page_size(query.limit);
        let position: Option<Cursor> = cursor(query.token.as_deref())?;
        let mut out: Vec<(Cursor, User)> = Vec::with_capacity(size + 1);
        match &query.filter {
            None => {
                let start = match &position {
                    None => Bound::Unbounded,
                    Some(Cursor::Username(u)) => Bound::Excluded(u.as_str()),
                    Some(Cursor::Index(..)) => return Err(StoreError::InvalidPaginationToken),
                };
                for (key, u) in self.users_by_name(pool, start, None, size + 1).await? {
                    out.push((Cursor::Username(key), u));
                }
            }
            Some(f) if f.attribute == FilterAttribute::Username && f.op == FilterOp::Equals => {
                let key = rule.username_key(&f.value);
                if position.is_none()
                    && let Some(u) = self.get_user(pool, &key).await?
                {
                    out.push((Cursor::Username(key.into_string()), u));
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
                // A username prefix is a key range; a status filter scans in username order.
                let prefix =
                    (f.attribute == FilterAttribute::Username).then(|| rule.fold(&f.value));
                let end = prefix.as_deref().and_then(prefix_end);
                let mut from = match (position, &prefix) {
                    (Some(Cursor::Username(u)), _) => Some(u),
                    (Some(Cursor::Index(..)), _) => return Err(StoreError::InvalidPaginationToken),
                    (None, _) => None,
                };
                loop {
                    let start = match (&from, &prefix) {
                        (Some(u), _) => Bound::Excluded(u.as_str()),
                        (None, Some(p)) => Bound::Included(p.as_str()),
                        (None, None) => Bound::Unbounded,
                    };
                    let batch = self
                        .users_by_name(pool, start, end.as_deref(), SCAN_BATCH)
                        .await?;
                    let exhausted = batch.len() < SCAN_BATCH;
                    for (key, u) in batch {
                        from = Some(key.clone());
                        if f.matches(&u, rule) && out.len() <= size {
                            out.push((Cursor::Username(key), u));
                        }
                    }
                    if exhausted || out.len() > size {
                        break;
                    }
                }
            }
            Some(f) => {
                let attribute = f
                    .attribute
                    .attribute_name()
                    .ok_or(StoreError::InvalidPaginationToken)?;
                let value = indexed_value(rule, attribute, &f.value);
                let end = match f.op {
                    FilterOp::Equals => None,
                    FilterOp::StartsWith => prefix_end(&value),
                };
                let mut after = match position {
                    Some(Cursor::Index(v, k)) => Some((v, k)),
                    Some(Cursor::Username(_)) => return Err(StoreError::InvalidPaginationToken),
                    None => None,
                };
                loop {
                    let batch = self
                        .users_by_index(
                            pool,
                            attribute,
                            after.as_ref().map(|(v, k)| (v.as_str(), k.as_str())),
                            &value,
                            end.as_deref(),
                            size + 1,
                        )
                        .await?;
                    let exhausted = batch.len() <= size;
                    let mut stop = false;
                    for ((v, k), u) in batch {
                        let hit = match f.op {
                            FilterOp::Equals => v == value,
                            FilterOp::StartsWith => v.starts_with(value.as_str()),
                        };
                        if !hit {
                            stop = true;
                            break;
                        }
                        after = Some((v.clone(), k.clone()));
                        if f.matches(&u, rule) {
                            out.push((Cursor::Index(v, k), u));
                            if out.len() > size {
                                stop = true;
                                break;
                            }
                        }
                    }
                    if stop || exhausted {
                        break;
                    }
                }
            }
        }
        Ok(paging::page(out, size))
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn insert_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        failure::retry_write(|| self.insert_user_once(pool, user.clone(), keys)).await
    }

    async fn insert_users(&self, pool: &UserPoolId, users: &[(User, UserKeys)]) -> StoreResult<()> {
        self.insert_batch(pool, users).await
    }

    async fn get_user(&self, pool: &UserPoolId, key: &FoldedUsername) -> StoreResult<Option<User>> {
        let username_key = key.as_str();
        self.one_user(
            pool,
            "FROM up_users u WHERE u.pool = $1 AND u.username_key = $2",
            &[username_key],
        )
        .await
    }

    async fn find_by_alias(
        &self,
        pool: &UserPoolId,
        attribute: &str,
        value_key: &str,
    ) -> StoreResult<Option<User>> {
        self.one_user(
            pool,
            "FROM up_aliases a JOIN up_users u \
               ON u.pool = a.pool AND u.username_key = a.username_key \
             WHERE a.pool = $1 AND a.attribute = $2 AND a.value_key = $3",
            &[attribute, value_key],
        )
        .await
    }

    async fn find_by_sub(&self, pool: &UserPoolId, sub: &Sub) -> StoreResult<Option<User>> {
        self.one_user(
            pool,
            "FROM up_users u WHERE u.pool = $1 AND u.sub = $2",
            &[&sub.to_string()],
        )
        .await
    }

    async fn update_user(
        &self,
        pool: &UserPoolId,
        user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        failure::retry_write(|| self.update_user_once(pool, user.clone(), keys)).await
    }

    async fn delete_user(&self, pool: &UserPoolId, key: &FoldedUsername) -> StoreResult<()> {
        let username_key = key.as_str();
        failure::retry_write(|| self.delete_user_once(pool, username_key)).await
    }

    async fn list_users(&self, pool: &UserPoolId, query: &UserQuery) -> StoreResult<Page<User>> {
        self.list(pool, query).await
    }

    async fn count_users(&self, pool: &UserPoolId) -> StoreResult<u64> {
        let db = self.writer().await?;
        let n: i64 = failure::read(|| async {
            sqlx::query_scalar("SELECT COUNT(*) FROM up_users WHERE pool = $1")
                .bind(pool.as_str())
                .fetch_one(db)
                .await
        })
        .await?;
        if n == 0 {
            self.pool_exists(pool).await?;
        }
        Ok(u64::try_from(n).unwrap_or_default())
    }
}

/// The user writes, each one transaction that [`failure::retry_write`] may run again whole.
impl SqlStore {
    async fn insert_user_once(
        &self,
        pool: &UserPoolId,
        mut user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        let rule = self.case_rule(pool).await?;
        user.version = 1;
        let data = to_json(&user)?;
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        let inserted = sqlx::query(
            "INSERT INTO up_users (pool, username_key, username, sub, version, data) \
             VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT DO NOTHING",
        )
        .bind(pool.as_str())
        .bind(keys.username.as_str())
        .bind(user.username.as_str())
        .bind(user.sub.to_string())
        .bind(data)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                let taken: Option<i64> = sqlx::query_scalar(
                    "SELECT 1 FROM up_users WHERE pool = $1 AND username_key = $2",
                )
                .bind(pool.as_str())
                .bind(keys.username.as_str())
                .fetch_optional(&mut *tx)
                .await
                .or_backend()?;
                return Err(if taken.is_some() {
                    StoreError::UsernameExists
                } else {
                    StoreError::SubExists
                });
            }
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::PoolNotFound),
            Err(e) => return Err(failure::backend(&e)),
        }
        link(&mut tx, pool, &user, keys, rule).await?;
        tx.commit().await.or_backend()?;
        Ok(user)
    }

    async fn update_user_once(
        &self,
        pool: &UserPoolId,
        mut user: User,
        keys: &UserKeys,
    ) -> StoreResult<User> {
        let rule = self.case_rule(pool).await?;
        let expected = i64::try_from(user.version).map_err(|_| StoreError::VersionConflict)?;
        let data = to_json(&user)?;
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        let row = sqlx::query(
            "UPDATE up_users SET data = $4, version = version + 1 \
             WHERE pool = $1 AND username_key = $2 AND version = $3 \
             RETURNING username, sub, version",
        )
        .bind(pool.as_str())
        .bind(keys.username.as_str())
        .bind(expected)
        .bind(data)
        .fetch_optional(&mut *tx)
        .await
        .or_backend()?;
        let Some(row) = row else {
            drop(tx);
            return match self.get_user(pool, &keys.username).await? {
                Some(_) => Err(StoreError::VersionConflict),
                None => Err(StoreError::UserNotFound),
            };
        };
        user.username = row.try_get(0).or_backend()?;
        user.sub = Sub::parse(&row.try_get::<String, _>(1).or_backend()?)
            .map_err(|_| StoreError::Backend("a stored sub is corrupt".into()))?;
        user.version = u64::try_from(row.try_get::<i64, _>(2).or_backend()?).unwrap_or_default();
        for table in ["up_aliases", "up_user_index"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE pool = $1 AND username_key = $2"
            ))
            .bind(pool.as_str())
            .bind(keys.username.as_str())
            .execute(&mut *tx)
            .await
            .or_backend()?;
        }
        link(&mut tx, pool, &user, keys, rule).await?;
        tx.commit().await.or_backend()?;
        Ok(user)
    }

    async fn delete_user_once(&self, pool: &UserPoolId, username_key: &str) -> StoreResult<()> {
        let db = self.writer().await?;
        let mut tx = db.begin().await.or_backend()?;
        // Aliases, index rows and memberships go with the row (ON DELETE CASCADE).
        let done = sqlx::query("DELETE FROM up_users WHERE pool = $1 AND username_key = $2")
            .bind(pool.as_str())
            .bind(username_key)
            .execute(&mut *tx)
            .await
            .or_backend()?;
        if done.rows_affected() == 0 {
            drop(tx);
            self.pool_exists(pool).await?;
            return Err(StoreError::UserNotFound);
        }
        for table in ["up_codes", "up_families", "up_lockouts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE pool = $1 AND username_key = $2"
            ))
            .bind(pool.as_str())
            .bind(username_key)
            .execute(&mut *tx)
            .await
            .or_backend()?;
        }
        // Links to the user go too: a provider user must not sign in as a later user who
        // takes the name.
        sqlx::query("DELETE FROM up_provider_links WHERE pool = $1 AND username = $2")
            .bind(pool.as_str())
            .bind(username_key)
            .execute(&mut *tx)
            .await
            .or_backend()?;
        tx.commit().await.or_backend()
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_ends_bound_every_extension() {
        assert_eq!(prefix_end("abc").as_deref(), Some("abd"));
        assert_eq!(prefix_end(""), None);
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{D7FF}").as_deref(), Some("\u{E000}"));
        for s in ["abc", "abc\u{10FFFF}\u{10FFFF}", "abcz"] {
            assert!(s < prefix_end("abc").unwrap().as_str());
        }
    }
}
