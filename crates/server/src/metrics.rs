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
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer};
use userpool_store::{StoreError, StoreObserver};

use crate::active_users::ActiveUsers;

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

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabels {
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TriggerLabels {
    trigger: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TriggerFailureLabels {
    trigger: String,
    exception: String,
}

fn store_histogram() -> Histogram {
    // 10 µs … ~2.6 s: a memory-store call is microseconds, a SQL one a fraction of a millisecond.
    Histogram::new(exponential_buckets(0.000_01, 4.0, 10))
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
    store_latency: Family<MethodLabels, Histogram, fn() -> Histogram>,
    store_errors: Family<MethodLabels, Counter>,
    trigger_latency: Family<TriggerLabels, Histogram, fn() -> Histogram>,
    trigger_failures: Family<TriggerFailureLabels, Counter>,
    daily_active: Family<PoolLabels, Gauge>,
    monthly_active: Family<PoolLabels, Gauge>,
    active: ActiveUsers,
    clock: fn() -> i64,
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
        let store_latency: Family<MethodLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(store_histogram);
        registry.register(
            "store_duration_seconds",
            "Time of each store call, by store method (get_user, update_user, …)",
            store_latency.clone(),
        );
        let store_errors = Family::<MethodLabels, Counter>::default();
        registry.register(
            "store_errors",
            "Store calls that failed in the backend (not answers such as a missing user), by method",
            store_errors.clone(),
        );
        let trigger_latency: Family<TriggerLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "trigger_duration_seconds",
            "Time of each trigger (Lambda) invocation, by trigger",
            trigger_latency.clone(),
        );
        let trigger_failures = Family::<TriggerFailureLabels, Counter>::default();
        registry.register(
            "trigger_failures",
            "Trigger invocations that failed, by trigger and the exception the caller got",
            trigger_failures.clone(),
        );
        let daily_active = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "daily_active_users",
            "Users with a successful sign-in or token refresh today (UTC), by pool, counted by this process since it started",
            daily_active.clone(),
        );
        let monthly_active = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "monthly_active_users",
            "Users with a successful sign-in or token refresh in the last 30 days (UTC), by pool, counted by this process since it started",
            monthly_active.clone(),
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
            store_latency,
            store_errors,
            trigger_latency,
            trigger_failures,
            daily_active,
            monthly_active,
            active: ActiveUsers::default(),
            clock: unix_now,
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

    /// Metrics whose active-user gauges read `clock` (Unix seconds) instead of the system's.
    pub fn with_clock(clock: fn() -> i64) -> Self {
        Self {
            clock,
            ..Self::new()
        }
    }

    /// The Prometheus (OpenMetrics) text exposition (active users as of the clock's now).
    pub fn render(&self) -> String {
        let now = (self.clock)();
        self.daily_active.clear();
        self.monthly_active.clear();
        for (pool, counts) in self.active.counts(now) {
            let labels = PoolLabels { pool };
            let gauge = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            self.daily_active
                .get_or_create(&labels)
                .set(gauge(counts.daily));
            self.monthly_active
                .get_or_create(&labels)
                .set(gauge(counts.monthly));
        }
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

    fn note_active(&self, pool: Option<&str>, sub: Option<&str>) {
        if let (Some(pool), Some(sub)) = (pool, sub) {
            self.active.note(pool, sub, (self.clock)());
        }
    }

    fn trigger(&self, trigger: &str, outcome: &str, seconds: Option<f64>) {
        if let Some(seconds) = seconds {
            self.trigger_latency
                .get_or_create(&TriggerLabels {
                    trigger: trigger.to_owned(),
                })
                .observe(seconds);
        }
        if outcome != "Success" {
            self.trigger_failures
                .get_or_create(&TriggerFailureLabels {
                    trigger: trigger.to_owned(),
                    exception: outcome.to_owned(),
                })
                .inc();
        }
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

impl StoreObserver for Metrics {
    fn observe(&self, method: &'static str, took: Duration, error: Option<&StoreError>) {
        let labels = MethodLabels {
            method: method.to_owned(),
        };
        self.store_latency
            .get_or_create(&labels)
            .observe(took.as_secs_f64());
        if matches!(error, Some(StoreError::Backend(_))) {
            self.store_errors.get_or_create(&labels).inc();
        }
    }
}

/// The current Unix time in seconds (the server's clock, for the active-user gauges).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
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
    sub: Option<String>,
    trigger: Option<String>,
    seconds: Option<f64>,
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "seconds" {
            self.seconds = Some(value);
        }
    }

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
            "sub" => &mut self.sub,
            "trigger" => &mut self.trigger,
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
            .with_target(userpool::AUDIT_TARGET, tracing::Level::TRACE)
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
                m.note_active(pool, fields.sub.as_deref());
                // The hosted UI's sign-in issues a code; its tokens come from /oauth2/token.
                if !meta.module_path().is_some_and(|p| p.contains("hosted")) {
                    m.tokens(pool, "sign_in");
                }
            }
            ("userpool::metrics", Some("sign_up")) => Metrics::pool_counter(&m.sign_ups, pool),
            ("userpool::metrics", Some("token_refresh")) => {
                m.tokens(pool, "refresh");
                m.note_active(pool, fields.sub.as_deref());
            }
            ("userpool::metrics", Some("trigger")) => m.trigger(
                fields.trigger.as_deref().unwrap_or(""),
                fields.outcome.as_deref().unwrap_or(""),
                fields.seconds,
            ),
            ("userpool::metrics", Some("throttled")) => {
                m.throttled.inc();
            }
            (userpool::AUDIT_TARGET, _) => {
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
        let metrics = Arc::new(Metrics::with_clock(|| 1_767_225_600));
        let subscriber = tracing_subscriber::registry()
            .with(FacadeEvents::new(Some(metrics.clone())).with_filter(FacadeEvents::targets()));
        let facts = Arc::new(RequestFacts::default());
        tracing::subscriber::with_default(subscriber, || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            runtime.block_on(FACTS.scope(facts.clone(), async {
                userpool::audit!(operation = "InitiateAuth", pool = %"us-east-1_A", client = %"c1");
                tracing::info!(target: "userpool::metrics", counter = "sign_in", pool = %"us-east-1_A", sub = %"s-1");
                tracing::info!(target: "userpool::metrics", counter = "token_refresh", pool = %"us-east-1_A", sub = %"s-2");
                tracing::info!(target: "userpool::metrics", counter = "token_refresh", pool = %"us-east-1_A", sub = %"s-1");
                tracing::debug!(target: "userpool::metrics", counter = "trigger", trigger = "PreSignUp", pool = %"us-east-1_A", outcome = "Success", seconds = 0.002);
                tracing::debug!(target: "userpool::metrics", counter = "trigger", trigger = "PreSignUp", pool = %"us-east-1_A", outcome = "UserLambdaValidationException", seconds = 0.004);
                tracing::info!(target: "userpool::metrics", counter = "sign_up", pool = %"us-east-1_A");
                userpool::audit!(pool = %"us-east-1_A", outcome = "failure", error = ?"PasswordAttemptsExceeded { until: 9 }");
                tracing::info!(target: "userpool::metrics", counter = "throttled", action = %"SignUp");
            }));
        });
        metrics.request("InitiateAuth", "Success", Duration::from_millis(3));
        metrics.observe("get_user", Duration::from_micros(40), None);
        metrics.observe(
            "get_user",
            Duration::from_micros(50),
            Some(&StoreError::UserNotFound),
        );
        metrics.observe(
            "update_user",
            Duration::from_millis(2),
            Some(&StoreError::Backend("database error 08006".into())),
        );
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
            "userpool_tokens_issued_total{pool=\"us-east-1_A\",grant=\"refresh\"} 2",
            "userpool_daily_active_users{pool=\"us-east-1_A\"} 2",
            "userpool_monthly_active_users{pool=\"us-east-1_A\"} 2",
            "userpool_trigger_duration_seconds_count{trigger=\"PreSignUp\"} 2",
            "userpool_trigger_failures_total{trigger=\"PreSignUp\",exception=\"UserLambdaValidationException\"} 1",
            "userpool_store_duration_seconds_count{method=\"get_user\"} 2",
            "userpool_store_errors_total{method=\"update_user\"} 1",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        assert!(
            !text.contains("userpool_store_errors_total{method=\"get_user\"}"),
            "a missing user is an answer, not a store error:\n{text}"
        );
        assert_eq!(
            facts.pool.lock().expect("lock").as_deref(),
            Some("us-east-1_A")
        );
        assert_eq!(facts.client.lock().expect("lock").as_deref(), Some("c1"));
    }
}
