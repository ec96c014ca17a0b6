//! Migration 5: every stored key re-folded with the current [`CaseRule::fold`].
//!
//! Until version 4 a username key was the name lower-cased with `str::to_lowercase`
//! (case-insensitive pools) or kept verbatim (case-sensitive pools), and so were alias keys
//! and the `email` / `preferred_username` index values. The one folding now is NFC, plus full
//! Unicode case folding in case-insensitive pools, so `Straße` and a decomposed `Café` get new
//! keys. This step runs once, inside the migration transaction and under the migration lock
//! ([`crate::migrate`]), and is recorded in the ledger like the SQL steps.
//!
//! For each pool, users whose username, `email` or `preferred_username` folds differently
//! than before (ASCII names never do) are re-keyed: their alias, index and membership rows
//! are removed, the user row, its refresh-token families and its failure counters move to the
//! new key, and the derived rows are written again from the user's record. A re-keyed user's
//! outstanding one-time codes are dropped rather than moved: the facade's code hash is keyed
//! by the username key, so they could never match again (a guess now answers "request a code
//! again" instead of costing attempts). Keys move
//! through a temporary form (`U+0002` and the old key; stored names cannot hold control
//! characters), so users whose old and new keys overlap are moved in any order.
//!
//! **Collisions fail closed.** Two stored users that the new folding makes one (say `straße`
//! and `strasse` in a case-insensitive pool, or the NFC and NFD spellings of one name) cannot
//! both keep their accounts under one key, and choosing one would hand the other's sign-in to
//! it. The step then stops with [`StoreError::FoldCollision`], naming the pool but no user; the
//! transaction rolls back, so the database stays at version 4, unchanged, and every instance
//! refuses to start. The operator tells the users apart with the previous release (deletes or
//! renames one of them; ListUsers sorted by username shows them side by side) and starts this
//! one again.

use sqlx::{AnyConnection, Row as _};
use user_pool_model::{CaseRule, PoolConfig, User};
use userpool_store::{StoreError, StoreResult, UserKeys};

use crate::codec::{from_json, limit_param};
use crate::failure::{OrBackend as _, is_unique_violation};
use crate::users::{distinct_aliases, index_entries, user_of};

/// Users read per round while a pool is scanned.
const SCAN_BATCH: usize = 500;

/// The attributes whose stored keys or index values were folded (phone numbers never were).
const FOLDED_ATTRIBUTES: [&str; 2] = ["email", "preferred_username"];

/// Tables whose rows belong to a user by `username_key`, without a foreign key to it, and
/// move with the user.
const OWNED_TABLES: [&str; 2] = ["up_families", "up_lockouts"];

/// How keys were folded up to schema version 4.
fn legacy_fold(rule: CaseRule, value: &str) -> String {
    match rule {
        CaseRule::Sensitive => value.to_owned(),
        CaseRule::Insensitive => value.to_lowercase(),
    }
}

/// Whether anything stored for `user` was folded differently from how it folds now.
fn needs_refold(user: &User, rule: CaseRule) -> bool {
    legacy_fold(rule, &user.username) != rule.fold(&user.username)
        || FOLDED_ATTRIBUTES.iter().any(|a| {
            user.attributes
                .get(*a)
                .is_some_and(|v| legacy_fold(rule, v) != rule.fold(v))
        })
}

/// The temporary key a user passes through.
fn in_transit(old_key: &str) -> String {
    format!("\u{2}{old_key}")
}

/// One user to re-key.
struct Move {
    old_key: String,
    user: User,
    keys: UserKeys,
    groups: Vec<String>,
}

/// Re-folds every pool's keys.
pub(crate) async fn run(conn: &mut AnyConnection) -> StoreResult<()> {
    let pools: Vec<(String, String)> = sqlx::query("SELECT id, data FROM up_pools ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .or_backend()?
        .iter()
        .map(|r| Ok((r.try_get(0).or_backend()?, r.try_get(1).or_backend()?)))
        .collect::<StoreResult<_>>()?;
    for (id, data) in pools {
        let config: PoolConfig = from_json(&data)?;
        let moved = refold_pool(conn, &id, &config).await?;
        if moved > 0 {
            tracing::info!(target: "userpool_store_sql", pool = %id, users = moved, "re-folded stored user keys");
        }
    }
    Ok(())
}

/// The users of a pool whose keys change.
async fn changed_users(
    conn: &mut AnyConnection,
    pool: &str,
    config: &PoolConfig,
) -> StoreResult<Vec<Move>> {
    let mut out = Vec::new();
    // Stored names are never empty, so every key sorts after "".
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT u.username, u.sub, u.version, u.data, u.username_key FROM up_users u \
             WHERE u.pool = $1 AND u.username_key > $2 \
             ORDER BY u.username_key LIMIT $3",
        )
        .bind(pool)
        .bind(after.as_str())
        .bind(limit_param(SCAN_BATCH))
        .fetch_all(&mut *conn)
        .await
        .or_backend()?;
        let exhausted = rows.len() < SCAN_BATCH;
        for row in &rows {
            let old_key: String = row.try_get(4).or_backend()?;
            let user = user_of(row)?;
            if needs_refold(&user, config.case_rule) {
                out.push(Move {
                    keys: UserKeys::for_user(&user, config),
                    old_key: old_key.clone(),
                    user,
                    groups: Vec::new(),
                });
            }
            after = old_key;
        }
        if exhausted {
            return Ok(out);
        }
    }
}

async fn exec(conn: &mut AnyConnection, sql: &str, args: &[&str]) -> StoreResult<u64> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(*a);
    }
    Ok(q.execute(&mut *conn).await.or_backend()?.rows_affected())
}

/// Re-keys the users of one pool whose keys change; returns how many.
async fn refold_pool(
    conn: &mut AnyConnection,
    pool: &str,
    config: &PoolConfig,
) -> StoreResult<usize> {
    let mut moves = changed_users(conn, pool, config).await?;
    let collision = |what| StoreError::FoldCollision {
        pool: pool.to_owned(),
        what,
    };
    // Out of the way: derived rows removed (memberships remembered), keys in transit.
    for m in &mut moves {
        m.groups = sqlx::query_scalar(
            "SELECT group_name FROM up_memberships WHERE pool = $1 AND username_key = $2",
        )
        .bind(pool)
        .bind(m.old_key.as_str())
        .fetch_all(&mut *conn)
        .await
        .or_backend()?;
        for table in ["up_memberships", "up_aliases", "up_user_index"] {
            exec(
                conn,
                &format!("DELETE FROM {table} WHERE pool = $1 AND username_key = $2"),
                &[pool, &m.old_key],
            )
            .await?;
        }
        if m.keys.username.as_str() != m.old_key {
            exec(
                conn,
                "DELETE FROM up_codes WHERE pool = $1 AND username_key = $2",
                &[pool, &m.old_key],
            )
            .await?;
            let transit = in_transit(&m.old_key);
            for table in ["up_users"].iter().chain(&OWNED_TABLES) {
                exec(
                    conn,
                    &format!(
                        "UPDATE {table} SET username_key = $3 WHERE pool = $1 AND username_key = $2"
                    ),
                    &[pool, &m.old_key, &transit],
                )
                .await?;
            }
        }
    }
    // Into place: a taken key is a collision.
    for m in &moves {
        if m.keys.username.as_str() == m.old_key {
            continue;
        }
        let transit = in_transit(&m.old_key);
        let new_key = m.keys.username.as_str();
        match sqlx::query(
            "UPDATE up_users SET username_key = $3 WHERE pool = $1 AND username_key = $2",
        )
        .bind(pool)
        .bind(transit.as_str())
        .bind(new_key)
        .execute(&mut *conn)
        .await
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(collision("username")),
            Err(e) => return Err(crate::failure::backend(&e)),
        }
        // Codes and counters left at the new key belonged to no user (the user row was free):
        // the moving user's own replace them.
        for table in ["up_codes", "up_lockouts"] {
            exec(
                conn,
                &format!("DELETE FROM {table} WHERE pool = $1 AND username_key = $2"),
                &[pool, new_key],
            )
            .await?;
        }
        for table in OWNED_TABLES {
            exec(
                conn,
                &format!(
                    "UPDATE {table} SET username_key = $3 WHERE pool = $1 AND username_key = $2"
                ),
                &[pool, &transit, new_key],
            )
            .await?;
        }
    }
    // The derived rows again, from each user's record.
    for m in &moves {
        let key = m.keys.username.as_str();
        for (attribute, value) in distinct_aliases(&m.keys) {
            let added = exec(
                conn,
                "INSERT INTO up_aliases (pool, attribute, value_key, username_key) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[pool, attribute, value, key],
            )
            .await?;
            if added == 0 {
                return Err(collision("alias"));
            }
        }
        for (attribute, value) in index_entries(&m.user, config.case_rule) {
            exec(
                conn,
                "INSERT INTO up_user_index (pool, attribute, value, username_key) \
                 VALUES ($1, $2, $3, $4)",
                &[pool, attribute, &value, key],
            )
            .await?;
        }
        for group in &m.groups {
            exec(
                conn,
                "INSERT INTO up_memberships (pool, group_name, username_key) VALUES ($1, $2, $3)",
                &[pool, group, key],
            )
            .await?;
        }
    }
    Ok(moves.len())
}

#[cfg(test)]
mod tests {
    use user_pool_model::{Sub, UserStatus};

    use super::*;

    #[test]
    fn only_names_that_fold_differently_are_moved() {
        let user = |name: &str, email: &str| {
            let mut u = User::new(name, Sub::from_bytes([1; 16]), UserStatus::Confirmed, 0);
            u.attributes.insert("email".into(), email.into());
            u.attributes
                .insert("phone_number".into(), "+15555550100".into());
            u
        };
        let ci = CaseRule::Insensitive;
        assert!(!needs_refold(&user("Alice", "Alice@Example.com"), ci));
        assert!(
            !needs_refold(&user("İstanbul", "a@b.co"), ci),
            "to_lowercase agreed"
        );
        assert!(needs_refold(&user("Straße", "a@b.co"), ci));
        assert!(needs_refold(&user("alice", "jo@straße.de"), ci));
        assert!(needs_refold(&user("ΟΔΟΣ", "a@b.co"), ci), "final sigma");
        assert!(!needs_refold(
            &user("Straße", "Jo@Straße.de"),
            CaseRule::Sensitive
        ));
        assert!(needs_refold(
            &user("Cafe\u{301}", "a@b.co"),
            CaseRule::Sensitive
        ));
        assert_eq!(in_transit("a"), "\u{2}a");
    }
}
