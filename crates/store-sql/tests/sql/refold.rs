//! Migration 5: a database whose keys were folded the old way (`to_lowercase`, or verbatim)
//! is re-keyed with the one folding, and users that the new folding makes one stop the
//! migration without changing anything.

use std::sync::Arc;

use sqlx::{AnyPool, Executor as _};
use user_pool_model::{
    CaseRule, FoldedUsername, Group, PoolConfig, Sub, User, UserPoolId, UserStatus,
};
use userpool_store::{
    CodePurpose, CodeRecord, CodeStore as _, GroupStore as _, LockoutStore as _, PoolStore as _,
    RefreshFamily, RefreshTokenStore as _, Store, StoreError, UserKeys, UserQuery, UserStore as _,
};
use userpool_store_sql::{SqlStore, SqlStoreOptions};

use crate::backend;

/// Where a test database lives.
enum Target {
    Sqlite(String),
    Postgres(String, String),
}

impl Target {
    fn sqlite() -> Self {
        Self::Sqlite(format!("sqlite:{}", backend::sqlite_path().display()))
    }

    fn postgres() -> Option<Self> {
        backend::postgres_url().map(|url| Self::Postgres(url, backend::unique("up_t")))
    }

    async fn open(&self) -> Result<SqlStore, StoreError> {
        match self {
            Self::Sqlite(url) => SqlStore::connect(url).await,
            Self::Postgres(url, schema) => {
                SqlStoreOptions::new(url.clone())
                    .schema(schema.clone())
                    .max_connections(2)
                    .connect()
                    .await
            }
        }
    }

    /// A plain connection pool onto the same tables.
    async fn raw(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        match self {
            Self::Sqlite(url) => AnyPool::connect(url).await.unwrap(),
            Self::Postgres(url, schema) => {
                let schema = schema.clone();
                sqlx::any::AnyPoolOptions::new()
                    .max_connections(1)
                    .after_connect(move |conn, _| {
                        let schema = schema.clone();
                        Box::pin(async move {
                            conn.execute(format!("SET search_path TO \"{schema}\"").as_str())
                                .await
                                .map(drop)
                        })
                    })
                    .connect(url)
                    .await
                    .unwrap()
            }
        }
    }
}

fn legacy(rule: CaseRule, value: &str) -> String {
    match rule {
        CaseRule::Sensitive => value.to_owned(),
        CaseRule::Insensitive => value.to_lowercase(),
    }
}

/// The keys version 4 stored for `user`.
fn legacy_keys(user: &User, pool: &PoolConfig) -> UserKeys {
    let keys = UserKeys::for_user(user, pool);
    UserKeys {
        username: FoldedUsername::from_stored(legacy(pool.case_rule, &user.username)),
        aliases: keys
            .aliases
            .into_iter()
            .map(|(a, _)| {
                let v = &user.attributes[&a];
                let folded = if a == "phone_number" {
                    v.clone()
                } else {
                    legacy(pool.case_rule, v)
                };
                (a, folded)
            })
            .collect(),
    }
}

fn pool(id: &str, rule: CaseRule) -> PoolConfig {
    let mut p = PoolConfig::new(UserPoolId::parse(id).unwrap(), "refold").unwrap();
    p.case_rule = rule;
    p.alias_attributes = vec!["email".into()];
    p
}

fn user(name: &str, n: u8, email: Option<&str>) -> User {
    let mut u = User::new(name, Sub::from_bytes([n; 16]), UserStatus::Confirmed, 0);
    if let Some(e) = email {
        u.attributes.insert("email".into(), e.into());
        u.attributes.insert("email_verified".into(), "true".into());
    }
    u
}

/// Stores `user` the way version 4 did: legacy keys and legacy index values.
async fn insert_legacy(store: &SqlStore, raw: &AnyPool, pool: &PoolConfig, user: &User) {
    let keys = legacy_keys(user, pool);
    store
        .insert_user(&pool.id, user.clone(), &keys)
        .await
        .unwrap();
    if let Some(email) = user.attributes.get("email") {
        sqlx::query(
            "UPDATE up_user_index SET value = $1 \
             WHERE pool = $2 AND attribute = 'email' AND username_key = $3",
        )
        .bind(legacy(pool.case_rule, email))
        .bind(pool.id.as_str())
        .bind(keys.username.as_str())
        .execute(raw)
        .await
        .unwrap();
    }
}

/// Takes the database back to schema version 4 (migration 5 changes no table).
async fn back_to_version_4(raw: &AnyPool) {
    // Migrations 6 (identity pools), 7 (auth events), 8 (WebAuthn) and 9 (identity providers)
    // come after; undone too, so 5 to 9 run again.
    for table in [
        "up_webauthn",
        "up_auth_events",
        "up_provider_links",
        "up_idp_identifiers",
        "up_identity_providers",
        "up_identity_logins",
        "up_identities",
        "up_identity_pools",
        "up_identity_keys",
    ] {
        raw.execute(format!("DROP TABLE {table}").as_str())
            .await
            .unwrap();
    }
    raw.execute("DELETE FROM up_schema_migrations WHERE version >= 5")
        .await
        .unwrap();
}

async fn stored_keys(raw: &AnyPool, pool: &PoolConfig) -> Vec<String> {
    sqlx::query_scalar("SELECT username_key FROM up_users WHERE pool = $1 ORDER BY username_key")
        .bind(pool.id.as_str())
        .fetch_all(raw)
        .await
        .unwrap()
}

async fn legacy_users_are_found_by_the_new_folding(target: Target) {
    let store = target.open().await.unwrap();
    let raw = target.raw().await;
    let ci = pool("us-east-1_Refold001", CaseRule::Insensitive);
    let cs = pool("us-east-1_Refold002", CaseRule::Sensitive);
    for p in [&ci, &cs] {
        store.create_pool(p.clone()).await.unwrap();
    }
    let strasse = user("Straße", 1, Some("Jo@Straße.de"));
    insert_legacy(&store, &raw, &ci, &strasse).await;
    insert_legacy(&store, &raw, &ci, &user("İstanbul", 2, None)).await;
    insert_legacy(&store, &raw, &ci, &user("ΟΔΟΣ", 3, None)).await;
    insert_legacy(
        &store,
        &raw,
        &ci,
        &user("alice", 4, Some("Alice@Example.com")),
    )
    .await;
    insert_legacy(&store, &raw, &cs, &user("Cafe\u{301}", 5, None)).await;
    // What hangs off Straße's old key.
    let old = "straße";
    store
        .create_group(&ci.id, Group::new("g", None, None, None, 0).unwrap())
        .await
        .unwrap();
    let old_key = FoldedUsername::from_stored(old.to_owned());
    store.add_to_group(&ci.id, "g", &old_key).await.unwrap();
    let code = CodeRecord {
        purpose: CodePurpose::PasswordReset,
        user: old.into(),
        code_hash: [7; 32],
        expires_at: 100,
        attempts_left: 5,
    };
    store.put_code(&ci.id, code).await.unwrap();
    store
        .create_family(
            &ci.id,
            RefreshFamily {
                id: "f".into(),
                user: old_key.clone(),
                client_id: user_pool_model::ClientId::parse("client").unwrap(),
                origin_jti: "o".into(),
                device_key: None,
                auth_time: 0,
                token_hash: [8; 32],
                previous: None,
                created: 0,
                expires_at: 100,
                revoked: false,
                scopes: None,
            },
        )
        .await
        .unwrap();
    for at in [1, 2] {
        store.record_failure(&ci.id, old, at).await.unwrap();
    }
    store.close().await;
    back_to_version_4(&raw).await;

    let store: Arc<dyn Store> = Arc::new(target.open().await.unwrap());
    let ci_fold = |s: &str| ci.case_rule.username_key(s);
    for (login, name) in [
        ("STRASSE", "Straße"),
        ("strasse", "Straße"),
        ("Straße", "Straße"),
        ("İSTANBUL", "İstanbul"),
        ("οδος", "ΟΔΟΣ"),
        ("ΟΔΟΣ", "ΟΔΟΣ"),
        ("ALICE", "alice"),
    ] {
        assert_eq!(
            store
                .get_user(&ci.id, &ci_fold(login))
                .await
                .unwrap()
                .map(|u| u.username),
            Some(name.to_owned()),
            "{login}"
        );
    }
    assert_eq!(
        store
            .get_user(&cs.id, &cs.case_rule.username_key("Caf\u{e9}"))
            .await
            .unwrap()
            .map(|u| u.username),
        Some("Cafe\u{301}".to_owned()),
        "an NFD name is found by its NFC spelling"
    );
    let key = ci_fold("Straße");
    assert_eq!(
        store
            .find_by_alias(
                &ci.id,
                "email",
                &ci.case_rule.fold_alias("email", "JO@STRASSE.DE")
            )
            .await
            .unwrap()
            .map(|u| u.username),
        Some("Straße".into())
    );
    let by_email = store
        .list_users(
            &ci.id,
            &UserQuery {
                filter: user_pool_model::Filter::parse(r#"email = "jo@strasse.de""#).unwrap(),
                limit: 10,
                token: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(by_email.items.len(), 1, "the index was re-folded");
    assert_eq!(
        store
            .groups_for_user(&ci.id, &key, 10, None)
            .await
            .unwrap()
            .items
            .len(),
        1,
        "memberships follow the user"
    );
    assert_eq!(store.lockout_state(&ci.id, &key).await.unwrap().failures, 2);
    assert_eq!(store.revoke_user_families(&ci.id, &key).await, Ok(1));
    for user_key in [key.as_str(), old] {
        assert_eq!(
            store
                .consume_code(&ci.id, &CodePurpose::PasswordReset, user_key, &[7; 32], 50)
                .await,
            Err(StoreError::CodeNotFound),
            "a code hashed under the old key is dropped ({user_key})"
        );
    }
    assert_eq!(
        stored_keys(&raw, &ci).await,
        ["alice", "i\u{307}stanbul", "strasse", "οδοσ"]
    );
    // Unchanged ASCII users keep everything; a new Strasse is refused.
    let twin = user("STRASSE", 9, None);
    assert_eq!(
        store
            .insert_user(&ci.id, twin.clone(), &UserKeys::for_user(&twin, &ci))
            .await,
        Err(StoreError::UsernameExists)
    );
}

async fn colliding_users_stop_the_migration(target: Target) {
    let store = target.open().await.unwrap();
    let raw = target.raw().await;
    let ci = pool("us-east-1_Refold003", CaseRule::Insensitive);
    store.create_pool(ci.clone()).await.unwrap();
    insert_legacy(&store, &raw, &ci, &user("Straße", 1, None)).await;
    insert_legacy(&store, &raw, &ci, &user("strasse", 2, None)).await;
    store.close().await;
    back_to_version_4(&raw).await;
    assert_eq!(
        target.open().await.map(drop),
        Err(StoreError::FoldCollision {
            pool: ci.id.to_string(),
            what: "username"
        })
    );
    let version: i64 = sqlx::query_scalar("SELECT MAX(version) FROM up_schema_migrations")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(version, 4, "left at the previous version");
    assert_eq!(
        stored_keys(&raw, &ci).await,
        ["strasse", "straße"],
        "and unchanged"
    );
    // Told apart (here: one deleted), the next start migrates.
    raw.execute("DELETE FROM up_users WHERE username_key = 'strasse'")
        .await
        .unwrap();
    assert_eq!(target.open().await.unwrap().schema_version().await, Ok(9));
    assert_eq!(stored_keys(&raw, &ci).await, ["strasse"]);
}

async fn colliding_aliases_stop_the_migration(target: Target) {
    let store = target.open().await.unwrap();
    let raw = target.raw().await;
    let ci = pool("us-east-1_Refold004", CaseRule::Insensitive);
    store.create_pool(ci.clone()).await.unwrap();
    insert_legacy(&store, &raw, &ci, &user("jo", 1, Some("jo@straße.de"))).await;
    insert_legacy(&store, &raw, &ci, &user("joe", 2, Some("JO@STRASSE.DE"))).await;
    store.close().await;
    back_to_version_4(&raw).await;
    assert_eq!(
        target.open().await.map(drop),
        Err(StoreError::FoldCollision {
            pool: ci.id.to_string(),
            what: "alias"
        })
    );
}

#[tokio::test]
async fn sqlite_legacy_users_are_found_by_the_new_folding() {
    legacy_users_are_found_by_the_new_folding(Target::sqlite()).await;
}

#[tokio::test]
async fn postgres_legacy_users_are_found_by_the_new_folding() {
    if let Some(target) = Target::postgres() {
        legacy_users_are_found_by_the_new_folding(target).await;
    }
}

#[tokio::test]
async fn sqlite_colliding_users_stop_the_migration() {
    colliding_users_stop_the_migration(Target::sqlite()).await;
}

#[tokio::test]
async fn postgres_colliding_users_stop_the_migration() {
    if let Some(target) = Target::postgres() {
        colliding_users_stop_the_migration(target).await;
    }
}

#[tokio::test]
async fn sqlite_colliding_aliases_stop_the_migration() {
    colliding_aliases_stop_the_migration(Target::sqlite()).await;
}

#[tokio::test]
async fn postgres_colliding_aliases_stop_the_migration() {
    if let Some(target) = Target::postgres() {
        colliding_aliases_stop_the_migration(target).await;
    }
}
