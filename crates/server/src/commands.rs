//! The store commands: `migrate`, `check`, `rotate-keys` (`export`, `import` and `backup` are in
//! [`crate::data`]). Each prints what it did on stdout and
//! fails (exit 1) with a message on stderr.

use userpool::Service;
use userpool::wire::ListRequest;
use userpool_store_sql::{Engine, SqlStore};

use crate::cli::{MigrateAction, MigrateArgs, RotateKeysArgs, StoreCommandArgs};
use crate::config::{FileConfig, StoreSettings};
use crate::error::{Error, Result};
use crate::{secrets, store};

pub(crate) fn settings(common: &StoreCommandArgs) -> Result<StoreSettings> {
    let file = FileConfig::load(common.config.as_deref())?;
    Ok(StoreSettings::resolve(&common.store, &file))
}

/// Runs `work` with a [`Service`] over the store the settings name (the master key read, the
/// store opened without migrating), then closes a SQL store's connections whatever `work`
/// returned.
pub(crate) async fn with_service<T>(
    common: &StoreCommandArgs,
    work: impl AsyncFnOnce(&Service) -> Result<T>,
) -> Result<T> {
    let settings = settings(common)?;
    let master_key = secrets::master_key(&settings.master_key_file, false)?;
    let opened = store::open(&settings, false).await?;
    let service = Service::builder(opened.store.clone(), master_key).build()?;
    let outcome = work(&service).await;
    if let Some(sql) = &opened.sql {
        sql.close().await;
    }
    outcome
}

/// `migrate apply` / `migrate status`.
pub async fn migrate(args: &MigrateArgs) -> Result<()> {
    let settings = settings(&args.common)?;
    let (options, _, description) = store::sql_options(&settings)?;
    let sql = options.connect_lazy()?;
    let latest = SqlStore::latest_schema_version();
    let outcome = match args.action {
        MigrateAction::Apply => {
            let before = sql.applied_migrations().await?.last().copied().unwrap_or(0);
            let now = sql.schema_version().await?;
            if now == before {
                println!("{description}: schema at version {now}, nothing to apply");
            } else {
                println!("{description}: schema migrated from version {before} to {now}");
            }
            Ok(())
        }
        MigrateAction::Status => {
            let applied = sql.applied_migrations().await?;
            println!("{description}:");
            let mut pending = 0;
            for (version, name) in SqlStore::known_migrations() {
                let state = if applied.contains(&version) {
                    "applied"
                } else {
                    pending += 1;
                    "pending"
                };
                println!("  {version:>4}  {name:<20} {state}");
            }
            let newer: Vec<_> = applied.iter().filter(|v| **v > latest).collect();
            if !newer.is_empty() {
                Err(Error::CheckFailed(format!(
                    "the database has migrations this build does not know ({newer:?}): use a newer userpool-server"
                )))
            } else if pending > 0 {
                Err(Error::CheckFailed(format!(
                    "{pending} migration(s) pending: run `userpool-server migrate apply`"
                )))
            } else {
                Ok(())
            }
        }
    };
    sql.close().await;
    outcome
}

/// `check`: SQLite's integrity check, or PostgreSQL's connectivity, and the schema version.
pub async fn check(args: &StoreCommandArgs) -> Result<()> {
    let settings = settings(args)?;
    let (options, engine, description) = store::sql_options(&settings)?;
    let sql = options.connect_lazy()?;
    let outcome = async {
        let applied = sql.applied_migrations().await?;
        let version = applied.last().copied().unwrap_or(0);
        let latest = SqlStore::latest_schema_version();
        let integrity = match engine {
            Engine::Sqlite if version > 0 => sql.integrity_check().await?,
            Engine::Sqlite => "ok (empty database)".into(),
            _ => "ok (connected)".into(),
        };
        println!(
            "{description}: integrity {integrity}; schema version {version} (this build: {latest})"
        );
        if !integrity.starts_with("ok") {
            return Err(Error::CheckFailed(format!(
                "integrity check failed: {integrity}"
            )));
        }
        if version != latest {
            return Err(Error::CheckFailed(format!(
                "schema version {version}, expected {latest}: run `userpool-server migrate apply`"
            )));
        }
        Ok(())
    }
    .await;
    sql.close().await;
    outcome
}

/// `rotate-keys`: new signing keys for every pool, or the pools named.
pub async fn rotate_keys(args: &RotateKeysArgs) -> Result<()> {
    with_service(&args.common, async |service| {
        let pools = if args.pools.is_empty() {
            let mut pools = Vec::new();
            let mut next_token = None;
            loop {
                let page = service
                    .admin()
                    .list_user_pools(ListRequest {
                        max_results: Some(60),
                        next_token,
                        ..ListRequest::default()
                    })
                    .await?;
                pools.extend(page.user_pools.into_iter().map(|p| p.id));
                next_token = page.next_token;
                if next_token.is_none() {
                    break pools;
                }
            }
        } else {
            args.pools.clone()
        };
        for pool in &pools {
            let rotation = service.admin().rotate_signing_keys(pool).await?;
            println!(
                "{pool}: new keys {} (ID tokens) and {} (access tokens); retired {:?} verify until {}",
                rotation.id_token_kid,
                rotation.access_token_kid,
                rotation.retired_kids,
                rotation.retired_until
            );
        }
        println!("rotated the signing keys of {} pool(s)", pools.len());
        Ok(())
    })
    .await
}
