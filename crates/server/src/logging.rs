//! Logs on stderr, text or JSON, filtered by `--log-level` (else `RUST_LOG`, else `info`);
//! the facade-events layer (metrics, request facts) beside them, unfiltered by the level.

use std::sync::Arc;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::cli::LogFormat;
use crate::error::{Error, Result};
use crate::metrics::{FacadeEvents, Metrics};

/// Installs the process's subscriber.
pub fn init(format: LogFormat, level: Option<&str>, metrics: Option<Arc<Metrics>>) -> Result<()> {
    let filter = match level {
        Some(level) => EnvFilter::try_new(level)
            .map_err(|e| Error::Config(format!("log level {level:?}: {e}")))?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    let logs = match format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .boxed(),
    };
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(FacadeEvents::new(metrics).with_filter(FacadeEvents::targets()))
        .try_init()
        .map_err(|e| Error::Config(format!("cannot install logging: {e}")))
}

/// Logs for the data commands: warnings and errors on stderr, text.
pub fn init_quiet() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .try_init();
}
