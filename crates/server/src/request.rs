//! Every request: a request id (echoed from `x-request-id` / `X-Amzn-Trace-Id` when the caller
//! sent a usable one, else a new UUID) in the `x-amzn-RequestId` answer header; a tracing span
//! with the id, operation, pool and client; one log line when it is answered; its metrics.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;
use userpool_http::{IDENTITY_OPERATIONS, OPERATIONS};

use crate::metrics::{FACTS, Metrics, RequestFacts};

/// What the middleware needs.
#[derive(Debug, Clone)]
pub struct Observer {
    /// Where requests are counted, when metrics are on.
    pub metrics: Option<Arc<Metrics>>,
}

/// Longest request id echoed back.
const MAX_ID: usize = 200;

/// The caller's request id, if it sent a usable one (printable ASCII without spaces or quotes,
/// at most [`MAX_ID`] bytes), else a new one.
pub fn request_id(headers: &axum::http::HeaderMap) -> String {
    ["x-request-id", "x-amzn-trace-id"]
        .iter()
        .filter_map(|name| headers.get(*name))
        .filter_map(|v| v.to_str().ok())
        .find(|v| {
            !v.is_empty()
                && v.len() <= MAX_ID
                && v.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
        })
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

/// The operation a request is counted under: the `X-Amz-Target` action of a JSON call (only
/// actions the adapter knows, so labels stay bounded), else the matched route.
pub fn operation(request: &Request, matched: Option<&MatchedPath>) -> String {
    let path = matched.map_or("unmatched", MatchedPath::as_str);
    if path != "/" {
        return path.trim_start_matches('/').to_owned();
    }
    let action = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split_once('.'))
        .map(|(_, action)| action);
    match action {
        Some(a) if OPERATIONS.contains(&a) || IDENTITY_OPERATIONS.contains(&a) => a.to_owned(),
        _ => "unknown".into(),
    }
}

/// Whether a route is a probe or a scrape (logged at debug, not info).
fn is_probe(operation: &str) -> bool {
    operation.starts_with("health/") || operation == "metrics"
}

/// The middleware.
pub async fn observe(State(observer): State<Observer>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(request.headers());
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let operation = operation(&request, matched.as_ref());
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        operation = %operation,
        pool = tracing::field::Empty,
        client = tracing::field::Empty,
    );
    let facts = Arc::new(RequestFacts::default());
    let mut response = FACTS
        .scope(facts.clone(), next.run(request))
        .instrument(span.clone())
        .await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-amzn-requestid", v);
    }
    let status = response.status();
    let outcome = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| {
            if status.is_success() || status.is_redirection() {
                "Success".into()
            } else {
                format!("HTTP{}", status.as_u16())
            }
        });
    let took = started.elapsed();
    if let Some(m) = &observer.metrics {
        m.request(&operation, &outcome, took);
    }
    if let Ok(pool) = facts.pool.lock()
        && let Some(pool) = pool.as_deref()
    {
        span.record("pool", pool);
    }
    if let Ok(client) = facts.client.lock()
        && let Some(client) = client.as_deref()
    {
        span.record("client", client);
    }
    let millis = took.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if is_probe(&operation) {
            tracing::debug!(status = status.as_u16(), %outcome, millis, "answered");
        } else {
            tracing::info!(status = status.as_u16(), %outcome, millis, "answered");
        }
    });
    response
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    #[test]
    fn a_usable_caller_id_is_echoed_and_anything_else_replaced() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-amzn-trace-id",
            HeaderValue::from_static("Root=1-5759e988-bd862e3fe1be46a994272793"),
        );
        assert_eq!(request_id(&h), "Root=1-5759e988-bd862e3fe1be46a994272793");
        h.insert("x-request-id", HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&h), "abc-123", "x-request-id first");
        let mut bad = HeaderMap::new();
        bad.insert("x-request-id", HeaderValue::from_static("has space"));
        let fresh = request_id(&bad);
        assert!(uuid::Uuid::parse_str(&fresh).is_ok(), "{fresh}");
        bad.insert(
            "x-request-id",
            HeaderValue::from_str(&"a".repeat(201)).expect("header"),
        );
        assert_ne!(request_id(&bad).len(), 201);
    }
}
