//! `userpool-server`: the userpool service as a binary operators deploy — Amazon Cognito's
//! wire protocol (user pools and identity pools) on one port, SQLite by default, PostgreSQL
//! for several instances.
//!
//! * [`cli`]: the command line (clap): `serve` (default), `migrate apply|status`, `check`,
//!   `rotate-keys`, `export`, `import`, `backup`, each with `--help`.
//! * [`config`]: settings from a TOML file (`--config`, unknown keys refused), `USERPOOL_*`
//!   environment variables and flags, later ones winning; `userpool.toml` is the sample.
//! * [`secrets`]: the master key, admin credentials and database password, from private
//!   files (mode 0600) or the environment — never needed on the command line.
//! * [`store`]: opening SQLite, PostgreSQL or memory; what readiness asks of it.
//! * [`serve`](mod@serve): the service, the HTTP adapter, [`health`] (`/health/live`,
//!   `/health/ready`), [`metrics`] (`/metrics`, Prometheus), per-request spans ([`request`]),
//!   [`tls`], and a graceful stop on SIGTERM / Ctrl-C.
//! * [`commands`]: `migrate`, `check`, `rotate-keys`; [`data`]: `export`, `import` (the
//!   `userpool-portable` crate's dump) and `backup` (SQLite's `VACUUM INTO`).
//! * [`logging`]: text or JSON logs on stderr.
//!
//! ```
//! use clap::Parser as _;
//! use userpool_server::{Cli, FileConfig, Settings};
//!
//! let file = FileConfig::parse("bind = \"0.0.0.0:9229\"\nregion = \"eu-west-1\"").unwrap();
//! let cli = Cli::try_parse_from(["userpool-server", "--region", "ap-northeast-1"]).unwrap();
//! let settings = Settings::resolve(&cli.serve, &file).unwrap();
//! assert_eq!(settings.bind.to_string(), "0.0.0.0:9229"); // from the file
//! assert_eq!(settings.region, "ap-northeast-1"); // the flag wins
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable
    )
)]

mod active_users;
pub mod cli;
pub mod commands;
pub mod config;
pub mod data;
pub mod delivery;
mod error;
pub mod health;
pub mod logging;
pub mod metrics;
pub mod request;
pub mod secrets;
pub mod serve;
pub mod store;
pub mod tls;
pub mod user_import;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;

pub use cli::{Cli, Command};
pub use config::{FileConfig, Settings, StoreSettings};
pub use error::{Error, Result};

/// Runs the command `args` name (the process's arguments, program name first) and returns the
/// exit code: 0, 1 when the command failed (the reason on stderr), 2 for a usage error.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("userpool-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("userpool-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        None => serve_command(&cli.serve).await,
        Some(Command::Serve(args)) => serve_command(&args).await,
        Some(Command::Migrate(args)) => {
            logging::init_quiet();
            commands::migrate(&args).await
        }
        Some(Command::Check(args)) => {
            logging::init_quiet();
            commands::check(&args).await
        }
        Some(Command::RotateKeys(args)) => {
            logging::init_quiet();
            commands::rotate_keys(&args).await
        }
        Some(Command::Export(args)) => {
            logging::init_quiet();
            data::export(&args).await
        }
        Some(Command::Import(args)) => {
            logging::init_quiet();
            data::import(&args).await
        }
        Some(Command::Backup(args)) => {
            logging::init_quiet();
            data::backup(&args).await
        }
        Some(Command::ImportUsers(args)) => {
            logging::init_quiet();
            user_import::import_users(&args).await
        }
        Some(Command::ImportErrors(args)) => {
            logging::init_quiet();
            user_import::import_errors(&args).await
        }
    }
}

async fn serve_command(args: &cli::ServeArgs) -> Result<()> {
    let file = FileConfig::load(args.config.as_deref())?;
    let settings = Settings::resolve(args, &file)?;
    let metrics = settings.metrics.then(|| Arc::new(metrics::Metrics::new()));
    logging::init(
        settings.log_format,
        settings.log_level.as_deref(),
        metrics.clone(),
    )?;
    serve::serve(settings, metrics).await
}
