//! Opening the store the settings name (SQLite in the data directory by default, PostgreSQL,
//! or memory), and what `/health/ready` asks of it.

use std::sync::Arc;
use std::time::Duration;

use userpool_store::{MemoryStore, Store};
use userpool_store_sql::{Engine, SqlStore, SqlStoreOptions};

use crate::config::StoreSettings;
use crate::error::Result;
use crate::secrets;

/// How long a readiness probe waits for the database.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// An open store.
#[derive(Clone)]
pub struct OpenStore {
    /// For the service.
    pub store: Arc<dyn Store>,
    /// The SQL store behind it (closed on shutdown, asked by the readiness probe); `None` in
    /// memory.
    pub sql: Option<SqlStore>,
    /// For the banner: the engine and, for SQLite, the path (never a URL: it may hold a
    /// password).
    pub description: String,
}

impl std::fmt::Debug for OpenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenStore")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

/// The options and description of the SQL store `settings` name.
pub fn sql_options(settings: &StoreSettings) -> Result<(SqlStoreOptions, Engine, String)> {
    let (url, description) = match &settings.database_url {
        Some(url) => {
            let url = url.expose();
            let engine = Engine::of_url(url)?;
            let url = match &settings.database_password_file {
                Some(file) => secrets::with_password(url, file)?.to_string(),
                None => url.to_owned(),
            };
            (url, format!("{engine:?} database"))
        }
        None => {
            secrets::private_dir(&settings.data_dir)?;
            let path = settings.data_dir.join("userpool.db");
            (
                format!("sqlite:{}", path.display()),
                format!("SQLite at {}", path.display()),
            )
        }
    };
    let engine = Engine::of_url(&url)?;
    let mut options = SqlStoreOptions::new(url);
    if let Some(schema) = &settings.database_schema {
        options = options.schema(schema.clone());
    }
    Ok((options, engine, description))
}

/// Opens the store. SQLite is opened and migrated now (a file that will not open is an
/// error); PostgreSQL is tried now but may be unreachable: the server then starts anyway,
/// `/health/ready` answers 503, and the first operation that reaches it migrates it.
pub async fn open(settings: &StoreSettings, in_memory: bool) -> Result<OpenStore> {
    if in_memory {
        return Ok(OpenStore {
            store: Arc::new(MemoryStore::new()),
            sql: None,
            description: "in memory".into(),
        });
    }
    let (options, engine, description) = sql_options(settings)?;
    let sql = match engine {
        Engine::Sqlite => options.connect().await?,
        _ => {
            let sql = options.connect_lazy()?;
            match tokio::time::timeout(Duration::from_secs(5), sql.schema_version()).await {
                Ok(Ok(version)) => tracing::info!(version, "database schema is current"),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the database is unreachable; /health/ready answers 503 until it is reachable")
                }
                Err(_) => tracing::warn!(
                    "the database did not answer in 5 s; /health/ready answers 503 until it does"
                ),
            }
            sql
        }
    };
    Ok(OpenStore {
        store: Arc::new(sql.clone()),
        sql: Some(sql),
        description,
    })
}

/// What the readiness probe found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Readiness {
    /// `"ok"`, or why the store cannot be used (no secrets: the store's own message).
    pub store: String,
    /// The schema version, when the store answered.
    pub schema_version: Option<i64>,
    /// The version this build expects.
    pub expected_schema_version: Option<i64>,
}

impl Readiness {
    /// Whether the store answered and is at this build's schema.
    pub fn is_ready(&self) -> bool {
        self.store == "ok" && self.schema_version == self.expected_schema_version
    }
}

/// Asks the store (within [`PROBE_TIMEOUT`]) whether it is reachable and migrated; an SQL
/// store that was not migrated yet is migrated by the asking.
pub async fn readiness(sql: Option<&SqlStore>) -> Readiness {
    let Some(sql) = sql else {
        return Readiness {
            store: "ok".into(),
            schema_version: None,
            expected_schema_version: None,
        };
    };
    let expected = Some(SqlStore::latest_schema_version());
    match tokio::time::timeout(PROBE_TIMEOUT, sql.schema_version()).await {
        Ok(Ok(version)) => Readiness {
            store: "ok".into(),
            schema_version: Some(version),
            expected_schema_version: expected,
        },
        Ok(Err(_)) => Readiness {
            store: "unreachable".into(),
            schema_version: None,
            expected_schema_version: expected,
        },
        Err(_) => Readiness {
            store: "timed out".into(),
            schema_version: None,
            expected_schema_version: expected,
        },
    }
}
