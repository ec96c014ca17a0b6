//! Bulk insertion of new users: one transaction, multi-row statements. User-import jobs commit
//! their rows through it; so do the benches that need a million users.

use sqlx::{Any, Transaction};
use user_pool_model::{User, UserPoolId};
use userpool_store::{StoreError, StoreResult, UserKeys};

use crate::codec::to_json;
use crate::failure::{self, OrBackend as _};
use crate::store::{Engine, SqlStore};
use crate::users::{distinct_aliases, index_entries};

/// Bound parameters per statement (PostgreSQL allows 65,535; SQLite 32,766).
const PARAMS_PER_STATEMENT: usize = 30_000;

/// One bound value.
enum Param {
    Text(String),
    Int(i64),
}

/// `INSERT INTO {head} VALUES (…), (…)` for `rows`, in as few statements as the parameter
/// limit allows; a unique violation becomes `conflict`.
///
/// SQLite gets anonymous `?` placeholders: resolving `$N` names costs SQLite a scan of every
/// parameter per bind, which is quadratic at tens of thousands of parameters.
async fn insert_rows(
    tx: &mut Transaction<'static, Any>,
    engine: Engine,
    head: &str,
    rows: &[Vec<Param>],
    conflict: &StoreError,
) -> StoreResult<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let per_statement = (PARAMS_PER_STATEMENT / width.max(1)).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut sql = format!("INSERT INTO {head} VALUES ");
        for (r, row) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..row.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                match engine {
                    Engine::Sqlite => sql.push('?'),
                    _ => sql.push_str(&format!("${}", r * width + c + 1)),
                }
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for p in row {
                q = match p {
                    Param::Text(t) => q.bind(t.as_str()),
                    Param::Int(i) => q.bind(*i),
                };
            }
        }
        failure::written(q.execute(&mut **tx).await, Some(conflict.clone()))?;
    }
    Ok(())
}

impl SqlStore {
    /// [`UserStore::insert_users`](userpool_store::UserStore::insert_users): one transaction,
    /// multi-row statements. A taken username or `sub` fails the batch with
    /// [`UsernameExists`](StoreError::UsernameExists), a taken alias with
    /// [`AliasExists`](StoreError::AliasExists) (`"alias"`: which row is not named).
    pub(crate) async fn insert_batch(
        &self,
        pool: &UserPoolId,
        users: &[(User, UserKeys)],
    ) -> StoreResult<()> {
        let rule = self.case_rule(pool).await?;
        let p = pool.as_str();
        let mut user_rows = Vec::with_capacity(users.len());
        let mut alias_rows = Vec::new();
        let mut index_rows = Vec::new();
        for (user, keys) in users {
            let mut user = user.clone();
            user.version = 1;
            user_rows.push(vec![
                Param::Text(p.to_owned()),
                Param::Text(keys.username.clone().into_string()),
                Param::Text(user.username.clone()),
                Param::Text(user.sub.to_string()),
                Param::Int(1),
                Param::Text(to_json(&user)?),
            ]);
            for (attribute, value) in distinct_aliases(keys) {
                alias_rows.push(vec![
                    Param::Text(p.to_owned()),
                    Param::Text(attribute.to_owned()),
                    Param::Text(value.to_owned()),
                    Param::Text(keys.username.clone().into_string()),
                ]);
            }
            for (attribute, value) in index_entries(&user, rule) {
                index_rows.push(vec![
                    Param::Text(p.to_owned()),
                    Param::Text(attribute.to_owned()),
                    Param::Text(value),
                    Param::Text(keys.username.clone().into_string()),
                ]);
            }
        }
        let db = self.writer().await?;
        failure::retry_write(|| async {
            let mut tx = db.begin().await.or_backend()?;
            insert_rows(
                &mut tx,
                self.engine,
                "up_users (pool, username_key, username, sub, version, data)",
                &user_rows,
                &StoreError::UsernameExists,
            )
            .await?;
            insert_rows(
                &mut tx,
                self.engine,
                "up_aliases (pool, attribute, value_key, username_key)",
                &alias_rows,
                &StoreError::AliasExists("alias".into()),
            )
            .await?;
            insert_rows(
                &mut tx,
                self.engine,
                "up_user_index (pool, attribute, value, username_key)",
                &index_rows,
                &StoreError::Backend("duplicate index entry".into()),
            )
            .await?;
            tx.commit().await.or_backend()
        })
        .await
    }
}
