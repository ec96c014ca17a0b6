//! Prometheus metrics (`prometheus-client`: the Prometheus project's own Rust client, with an
//! explicit registry instead of a process-global recorder, typed label sets, and OpenMetrics
//! text), fed by the request middleware and by a tracing layer that reads the facade's
//! counters (`userpool::metrics`) and audit events (`userpool::audit`), so the facade needs no
//! metrics code of its own.
//!
//! The same layer notes each request's pool and app client (from the audit events) for the
//! request's log line ([`RequestFacts`]).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer};

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TokenLabels {
    pool: String,
    grant: String,
}

fn latency_histogram() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabels, Histogram, fn() -> Histogram>,
    sign_ins: Family<PoolLabels, Counter>,
    sign_ups: Family<PoolLabels, Counter>,
    failures: Family<PoolLabels, Counter>,
    lockouts: Family<PoolLabels, Counter>,
    throttled: Counter,
    tokens: Family<TokenLabels, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every metric, registered and at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("userpool");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "requests",
            "Requests by operation (X-Amz-Target action or route) and outcome (Success or the error __type)",
            requests.clone(),
        );
        let latency: Family<OperationLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "request_duration_seconds",
            "Time to answer, by operation",
            latency.clone(),
        );
        let sign_ins = Family::<PoolLabels, Counter>::default();
        registry.register("sign_ins", "Successful sign-ins, by pool", sign_ins.clone());
        let sign_ups = Family::<PoolLabels, Counter>::default();
        registry.register("sign_ups", "Sign-ups, by pool", sign_ups.clone());
        let failures = Family::<PoolLabels, Counter>::default();
        registry.register(
            "sign_in_failures",
            "Failed authentication steps (wrong password or proof, unknown user, …), by pool",
            failures.clone(),
        );
        let lockouts = Family::<PoolLabels, Counter>::default();
        registry.register(
            "lockouts",
            "Sign-ins refused because the user's password attempts were exceeded, by pool",
            lockouts.clone(),
        );
        let throttled = Counter::default();
        registry.register(
            "throttled",
            "Requests refused by a rate limit (TooManyRequestsException)",
            throttled.clone(),
        );
        let tokens = Family::<TokenLabels, Counter>::default();
        registry.register(
            "tokens_issued",
            "Token sets issued, by pool and grant (sign_in, refresh, oauth2_token)",
            tokens.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            sign_ins,
            sign_ups,
            failures,
            lockouts,
            throttled,
            tokens,
        }
    }

    /// Counts one answered request.
    pub fn request(&self, operation: &str, outcome: &str, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                operation: operation.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc();
        self.latency
            .get_or_create(&OperationLabels {
                operation: operation.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    /// The Prometheus (OpenMetrics) text exposition.
    pub fn render(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            text.clear();
            let _ = writeln!(text, "# encoding failed");
        }
        text
    }

    fn pool_counter(family: &Family<PoolLabels, Counter>, pool: Option<&str>) {
        family
            .get_or_create(&PoolLabels {
                pool: pool.unwrap_or("").to_owned(),
            })
            .inc();
    }

    fn tokens(&self, pool: Option<&str>, grant: &str) {
        self.tokens
            .get_or_create(&TokenLabels {
                pool: pool.unwrap_or("").to_owned(),
                grant: grant.to_owned(),
            })
            .inc();
    }
}

/// What the facade's events said about the request they happened in.
#[derive(Debug, Default)]
pub struct RequestFacts {
    /// The pool, once an event named it.
    pub pool: Mutex<Option<String>>,
    /// The app client, once an event named it.
    pub client: Mutex<Option<String>>,
}

tokio::task_local! {
    /// The facts of the request being handled on this task.
    pub static FACTS: Arc<RequestFacts>;
}

/// The fields of a facade event this layer reads.
#[derive(Default)]
struct Fields {
    counter: Option<String>,
    pool: Option<String>,
    client: Option<String>,
    operation: Option<String>,
    outcome: Option<String>,
    error: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.set(field, format!("{value:?}"));
    }
}

impl Fields {
    fn set(&mut self, field: &Field, value: String) {
        let slot = match field.name() {
            "counter" => &mut self.counter,
            "pool" => &mut self.pool,
            "client" => &mut self.client,
            "operation" => &mut self.operation,
            "outcome" => &mut self.outcome,
            "error" => &mut self.error,
            _ => return,
        };
        *slot = Some(value);
    }
}

/// The tracing layer that turns the facade's events into metrics and request facts. Install
/// it unfiltered by the log level (see [`crate::logging`]): metrics must not depend on it.
#[derive(Debug, Clone)]
pub struct FacadeEvents {
    metrics: Option<Arc<Metrics>>,
}

impl FacadeEvents {
    /// The layer, counting into `metrics` (or only noting request facts, without).
    pub fn new(metrics: Option<Arc<Metrics>>) -> Self {
        Self { metrics }
    }

    /// The targets this layer reads.
    pub fn targets() -> tracing_subscriber::filter::Targets {
        tracing_subscriber::filter::Targets::new()
            .with_target("userpool::metrics", tracing::Level::TRACE)
            .with_target("userpool::audit", tracing::Level::TRACE)
    }
}

impl<S: tracing::Subscriber> Layer<S> for FacadeEvents {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let target = meta.target();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let _ = FACTS.try_with(|facts| {
            if let Some(pool) = &fields.pool
                && let Ok(mut slot) = facts.pool.lock()
            {
                slot.get_or_insert_with(|| pool.clone());
            }
            if let Some(client) = &fields.client
                && let Ok(mut slot) = facts.client.lock()
            {
                slot.get_or_insert_with(|| client.clone());
            }
        });
        let Some(m) = &self.metrics else { return };
        let pool = fields.pool.as_deref();
        match (target, fields.counter.as_deref()) {
            ("userpool::metrics", Some("sign_in")) => {
                Metrics::pool_counter(&m.sign_ins, pool);
                // The hosted UI's sign-in issues a code; its tokens come from /oauth2/token.
                if !meta.module_path().is_some_and(|p| p.contains("hosted")) {
                    m.tokens(pool, "sign_in");
                }
            }
            ("userpool::metrics", Some("sign_up")) => Metrics::pool_counter(&m.sign_ups, pool),
            ("userpool::metrics", Some("token_refresh")) => m.tokens(pool, "refresh"),
            ("userpool::metrics", Some("throttled")) => {
                m.throttled.inc();
            }
            ("userpool::audit", _) => {
                if fields.outcome.as_deref() == Some("failure") {
                    Metrics::pool_counter(&m.failures, pool);
                    if fields
                        .error
                        .as_deref()
                        .is_some_and(|e| e.contains("PasswordAttemptsExceeded"))
                    {
                        Metrics::pool_counter(&m.lockouts, pool);
                    }
                }
                if fields.operation.as_deref() == Some("Token") {
                    m.tokens(pool, "oauth2_token");
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    #[test]
    fn facade_events_become_metrics_and_request_facts() {
        let metrics = Arc::new(Metrics::new());
        let subscriber = tracing_subscriber::registry()
            .with(FacadeEvents::new(Some(metrics.clone())).with_filter(FacadeEvents::targets()));
        let facts = Arc::new(RequestFacts::default());
        tracing::subscriber::with_default(subscriber, || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            runtime.block_on(FACTS.scope(facts.clone(), async {
                tracing::info!(target: "userpool::audit", operation = "InitiateAuth", pool = %"us-east-1_A", client = %"c1");
                tracing::info!(target: "userpool::metrics", counter = "sign_in", pool = %"us-east-1_A");
                tracing::info!(target: "userpool::metrics", counter = "sign_up", pool = %"us-east-1_A");
                tracing::info!(target: "userpool::audit", pool = %"us-east-1_A", outcome = "failure", error = ?"PasswordAttemptsExceeded { until: 9 }");
                tracing::info!(target: "userpool::metrics", counter = "throttled", action = %"SignUp");
            }));
        });
        metrics.request("InitiateAuth", "Success", Duration::from_millis(3));
        let text = metrics.render();
        for line in [
            "userpool_sign_ins_total{pool=\"us-east-1_A\"} 1",
            "userpool_sign_ups_total{pool=\"us-east-1_A\"} 1",
            "userpool_sign_in_failures_total{pool=\"us-east-1_A\"} 1",
            "userpool_lockouts_total{pool=\"us-east-1_A\"} 1",
            "userpool_throttled_total 1",
            "userpool_tokens_issued_total{pool=\"us-east-1_A\",grant=\"sign_in\"} 1",
            "userpool_requests_total{operation=\"InitiateAuth\",outcome=\"Success\"} 1",
            "userpool_request_duration_seconds_count{operation=\"InitiateAuth\"} 1",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        assert_eq!(
            facts.pool.lock().expect("lock").as_deref(),
            Some("us-east-1_A")
        );
        assert_eq!(facts.client.lock().expect("lock").as_deref(), Some("c1"));
    }
}
