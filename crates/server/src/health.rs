//! `GET /health/live` (the process answers) and `GET /health/ready` (the store is reachable
//! and at this build's schema, the master key is loaded, and the server is not draining):
//! 200 or 503 with a small JSON body naming no secret. Neither is rate limited.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use userpool_store_sql::SqlStore;

use crate::store;

/// What the probes look at.
#[derive(Debug)]
pub struct Health {
    sql: Option<SqlStore>,
    draining: AtomicBool,
}

impl Health {
    /// Probes for a server on `sql` (`None`: in memory).
    pub fn new(sql: Option<SqlStore>) -> Arc<Self> {
        Arc::new(Self {
            sql,
            draining: AtomicBool::new(false),
        })
    }

    /// From now on `/health/ready` answers 503 (`"draining"`): shutting down.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }
}

/// The two routes.
pub fn routes(health: Arc<Health>) -> axum::Router {
    axum::Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .with_state(health)
}

async fn live() -> Response {
    Json(json!({ "status": "live" })).into_response()
}

async fn ready(State(health): State<Arc<Health>>) -> Response {
    let draining = health.draining.load(Ordering::SeqCst);
    let store = store::readiness(health.sql.as_ref()).await;
    let ready = store.is_ready() && !draining;
    let body = json!({
        "status": if ready { "ready" } else if draining { "draining" } else { "not ready" },
        "store": store.store,
        "schema_version": store.schema_version,
        "expected_schema_version": store.expected_schema_version,
        "master_key": "loaded",
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}
