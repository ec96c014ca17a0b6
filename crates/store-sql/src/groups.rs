//! Groups and memberships; a membership row references its group and its user, so deleting
//! either removes it in the same statement (ON DELETE CASCADE).

use async_trait::async_trait;
use sqlx::Row as _;
use user_pool_model::{FoldedUsername, Group, User, UserPoolId};
use userpool_store::paging::{self, cursor, page_size};
use userpool_store::{GroupStore, Page, StoreError, StoreResult, UserStore as _};

use crate::codec::{from_json, limit_param, to_json};
use crate::failure::{self, OrBackend as _, is_foreign_key_violation};
use crate::store::SqlStore;

impl SqlStore {
    /// Why a membership change found nothing to do: a missing group or user (or pool).
    async fn membership_precondition(
        &self,
        pool: &UserPoolId,
        group: &str,
        username_key: &FoldedUsername,
    ) -> StoreResult<()> {
        self.get_group(pool, group).await?;
        if self.get_user(pool, username_key).await?.is_none() {
            return Err(StoreError::UserNotFound);
        }
        Ok(())
    }

    /// A page of one membership column for a fixed other column, after the token.
    async fn membership_page(
        &self,
        sql: &str,
        pool: &UserPoolId,
        key: &str,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<(Vec<sqlx::any::AnyRow>, usize)> {
        let db = self.ready().await?;
        let after: Option<String> = cursor(after)?;
        let size = page_size(limit);
        let rows = failure::read(|| async {
            sqlx::query(sql)
                .bind(pool.as_str())
                .bind(key)
                .bind(after.clone().unwrap_or_default())
                .bind(limit_param(size + 1))
                .fetch_all(db)
                .await
        })
        .await?;
        Ok((rows, size))
    }
}

/// A page from an over-fetch of rows whose column `key_at` is the position.
fn page_from<T>(
    rows: &[sqlx::any::AnyRow],
    size: usize,
    key_at: usize,
    item: impl Fn(&sqlx::any::AnyRow) -> StoreResult<T>,
) -> StoreResult<Page<T>> {
    let rows = rows
        .iter()
        .map(|row| Ok((row.try_get::<String, _>(key_at).or_backend()?, item(row)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(paging::page(rows, size))
}

#[async_trait]
impl GroupStore for SqlStore {
    async fn create_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()> {
        let data = to_json(&group)?;
        self.insert_keyed(
            "up_groups",
            "name",
            pool,
            &group.name,
            data,
            StoreError::GroupExists,
        )
        .await
    }

    async fn get_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<Group> {
        match self.data_of("up_groups", "name", pool, name).await? {
            Some(d) => from_json(&d),
            None => {
                self.pool_exists(pool).await?;
                Err(StoreError::GroupNotFound)
            }
        }
    }

    async fn put_group(&self, pool: &UserPoolId, group: Group) -> StoreResult<()> {
        let data = to_json(&group)?;
        self.replace_keyed(
            "up_groups",
            "name",
            pool,
            &group.name,
            data,
            StoreError::GroupNotFound,
        )
        .await
    }

    async fn delete_group(&self, pool: &UserPoolId, name: &str) -> StoreResult<()> {
        // Its memberships go with it (ON DELETE CASCADE).
        self.delete_keyed("up_groups", "name", pool, name, StoreError::GroupNotFound)
            .await
    }

    async fn list_groups(
        &self,
        pool: &UserPoolId,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<Group>> {
        let (rows, size) = self
            .membership_page(
                "SELECT name, data FROM up_groups WHERE pool = $1 AND $2 = $2 AND name > $3 \
                 ORDER BY name LIMIT $4",
                pool,
                "",
                limit,
                after,
            )
            .await?;
        if rows.is_empty() {
            self.pool_exists(pool).await?;
        }
        page_from(&rows, size, 0, |r| {
            from_json(&r.try_get::<String, _>(1).or_backend()?)
        })
    }

    async fn add_to_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        key: &FoldedUsername,
    ) -> StoreResult<()> {
        let username_key = key.as_str();
        let db = self.writer().await?;
        failure::retry_write(|| async {
            match sqlx::query(
                "INSERT INTO up_memberships (pool, group_name, username_key) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(pool.as_str())
            .bind(group)
            .bind(username_key)
            .execute(db)
            .await
            {
                Ok(_) => Ok(()),
                Err(e) if is_foreign_key_violation(&e) => {
                    self.membership_precondition(pool, group, key).await?;
                    Err(failure::backend(&e))
                }
                Err(e) => Err(failure::backend(&e)),
            }
        })
        .await
    }

    async fn remove_from_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        key: &FoldedUsername,
    ) -> StoreResult<()> {
        let username_key = key.as_str();
        let changed = self.execute_text(
            "DELETE FROM up_memberships WHERE pool = $1 AND group_name = $2 AND username_key = $3", &[pool.as_str(), group, username_key]).await?;
        if changed == 0 {
            self.membership_precondition(pool, group, key).await?;
        }
        Ok(())
    }

    async fn groups_for_user(
        &self,
        pool: &UserPoolId,
        username_key: &FoldedUsername,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<Group>> {
        let username_key = username_key.as_str();
        // One statement: the user's row, joined to its memberships. No row: no such user; one
        // row without a group: a user in no group (after the cursor).
        let (rows, size) = self
            .membership_page(
                "SELECT g.name, g.data FROM up_users u \
                 LEFT JOIN up_memberships m \
                   ON m.pool = u.pool AND m.username_key = u.username_key AND m.group_name > $3 \
                 LEFT JOIN up_groups g ON g.pool = m.pool AND g.name = m.group_name \
                 WHERE u.pool = $1 AND u.username_key = $2 \
                 ORDER BY m.group_name LIMIT $4",
                pool,
                username_key,
                limit,
                after,
            )
            .await?;
        if rows.is_empty() {
            self.pool_exists(pool).await?;
            return Err(StoreError::UserNotFound);
        }
        let mut groups = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(name) = row.try_get::<Option<String>, _>(0).or_backend()? {
                let data: String = row.try_get(1).or_backend()?;
                groups.push((name, from_json(&data)?));
            }
        }
        Ok(paging::page(groups, size))
    }

    async fn users_in_group(
        &self,
        pool: &UserPoolId,
        group: &str,
        limit: usize,
        after: Option<&str>,
    ) -> StoreResult<Page<User>> {
        let (rows, size) = self
            .membership_page(
                "SELECT u.username, u.sub, u.version, u.data, m.username_key \
                 FROM up_memberships m JOIN up_users u \
                   ON u.pool = m.pool AND u.username_key = m.username_key \
                 WHERE m.pool = $1 AND m.group_name = $2 AND m.username_key > $3 \
                 ORDER BY m.username_key LIMIT $4",
                pool,
                group,
                limit,
                after,
            )
            .await?;
        if rows.is_empty() {
            self.get_group(pool, group).await?;
        }
        page_from(&rows, size, 4, crate::users::user_of)
    }
}
