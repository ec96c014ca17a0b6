//! The command line (clap, derive): `serve` (the default), `migrate`, `check`, `rotate-keys`,
//! `export`, `import`, `backup`.
//!
//! Every setting except `--config` is layered: the TOML file (`--config`) is overridden by the
//! `USERPOOL_*` environment variable, which is overridden by the flag. So every field here is
//! an `Option`: `None` means "not given at this layer" and [`crate::Settings`] fills it from
//! the file or the default.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::secrets::Secret;

/// The userpool server: Amazon Cognito's wire protocol (user pools and identity pools) for the
/// AWS CLI, boto3, the AWS SDKs, amazon-cognito-identity-js, Amplify and pycognito, with an
/// endpoint override only.
///
/// Without a command it serves (see `userpool-server serve --help`). Settings come from a TOML
/// file (--config), then USERPOOL_* environment variables, then flags, the later winning.
/// Secrets (admin credentials, master key, database password) are read from files or the
/// environment; none is needed on the command line.
#[derive(Debug, Parser)]
#[command(
    name = "userpool-server",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The serve settings, when no command is named.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Cognito API, the hosted UI, health and metrics (the default).
    Serve(Box<ServeArgs>),
    /// Apply the database's schema migrations, or show which are applied.
    ///
    /// `serve` applies them on start as well; run `migrate apply` first to do it once, before
    /// several instances start.
    Migrate(MigrateArgs),
    /// Check the store: SQLite's `PRAGMA integrity_check`, or PostgreSQL's connectivity, and
    /// the schema version against this build's. Exits 1 when something is wrong.
    Check(StoreCommandArgs),
    /// Replace the signing keys of every pool (or of the pools named with --pool).
    ///
    /// The new keys sign from now on; the old ones stay in the JWKS and keep verifying the
    /// tokens they signed until those expire. Running servers pick the new keys up within a
    /// minute.
    RotateKeys(RotateKeysArgs),
    /// Write every user pool (configuration, clients, domains, resource servers, groups,
    /// identity providers, users with their sealed password verifiers, MFA settings, devices
    /// and passkeys, signing keys) and identity pool to a JSON-lines file.
    ///
    /// Secrets stay sealed under the master key (the dump moves to servers with the same key),
    /// or, with --portable, under a key derived from a passphrase. Codes, sessions, lockout
    /// counters, refresh tokens and auth events are left out. SQLite is read from an online
    /// backup (one snapshot); a PostgreSQL export of a busy server is not one snapshot.
    Export(ExportArgs),
    /// Read a file written by `export` into an empty store (refused if it holds any user pool
    /// or identity pool).
    ///
    /// The whole file is checked first (header, version, every line, the end record) and
    /// every secret opened and sealed again under this server's master key before anything is
    /// written; a write that fails midway is undone.
    Import(ImportArgs),
    /// SQLite: an online backup (VACUUM INTO) into a new data directory, with the master key
    /// and admin credentials beside it (unless --no-keys); restore by starting with
    /// --data-dir on it. PostgreSQL: use pg_dump (see the README).
    Backup(BackupArgs),
    /// Import users from a CSV file into a pool: a user import job (as CreateUserImportJob and
    /// StartUserImportJob run it), with a progress bar on a terminal. Prints the counts and
    /// the refused rows; exits 1 unless the job succeeded. Ctrl-C stops the job after the
    /// batch in progress. Works beside a running server on the same database.
    ///
    /// The file is Cognito's CSV (GetCSVHeader's columns; any order, a subset allowed), plus
    /// an optional `password_hash` column of PHC-format hashes (see the README).
    ImportUsers(ImportUsersArgs),
    /// The rows a user import job refused, with their line and reason (at most 1,000 are
    /// kept; the count covers all).
    ImportErrors(ImportErrorsArgs),
}

/// `import-users`.
#[derive(Debug, Args)]
pub struct ImportUsersArgs {
    /// The CSV file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The pool to import into.
    #[arg(long, value_name = "POOL_ID")]
    pub pool: String,
    /// The job's name (default: the file's name).
    #[arg(long, value_name = "NAME")]
    pub job_name: Option<String>,
    /// How many refused rows to print at the end.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub show_errors: usize,
    /// Which store, and the master key (imported password hashes are sealed under it).
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// `import-errors`.
#[derive(Debug, Args)]
pub struct ImportErrorsArgs {
    /// The pool.
    #[arg(long, value_name = "POOL_ID")]
    pub pool: String,
    /// The job (`import-…`, from import-users or ListUserImportJobs).
    #[arg(long, value_name = "JOB_ID")]
    pub job: String,
    /// Which store.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (created mode 0600; refused if it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Seal the secrets under a passphrase instead of the master key: a file (mode 0600)
    /// holding it, or `env` to read it from USERPOOL_PORTABLE_PASSPHRASE.
    #[arg(long, value_name = "PASSPHRASE_FILE")]
    pub portable: Option<PathBuf>,
    /// Which store, and (with --portable) the master key its secrets are sealed under.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file `export` wrote.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The dump is portable: its passphrase, from a file (mode 0600) or `env` for
    /// USERPOOL_PORTABLE_PASSPHRASE. Secrets are sealed again under this server's master key.
    #[arg(long, value_name = "PASSPHRASE_FILE")]
    pub portable: Option<PathBuf>,
    /// Which store, and the master key of the servers that will use it.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The data directory to create (mode 0700; refused unless missing or empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Copy only the database, not the master key and admin credentials (keep those apart;
    /// the backup does not open without the master key).
    #[arg(long)]
    pub no_keys: bool,
    /// Which store.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// `migrate apply` or `migrate status`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// apply (the default) or status.
    #[arg(value_enum, default_value_t = MigrateAction::Apply)]
    pub action: MigrateAction,
    /// Which store.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// What `migrate` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateAction {
    /// Apply every migration the database lacks (under the migration lock).
    Apply,
    /// List the migrations this build knows and which are applied; exits 1 if any is not.
    Status,
}

/// `rotate-keys`.
#[derive(Debug, Args)]
pub struct RotateKeysArgs {
    /// Rotate only this pool's keys (repeatable). Default: every pool.
    #[arg(long = "pool", value_name = "POOL_ID")]
    pub pools: Vec<String>,
    /// Which store, and the master key its secrets are sealed under.
    #[command(flatten)]
    pub common: StoreCommandArgs,
}

/// What the data commands share: the configuration file and where the data is.
#[derive(Debug, Args)]
pub struct StoreCommandArgs {
    /// A TOML configuration file (see userpool.toml); its keys are overridden by USERPOOL_*
    /// variables and flags.
    #[arg(long, short = 'c', env = "USERPOOL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the data is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Where the data is: a SQLite database in the data directory (the default) or PostgreSQL.
#[derive(Debug, Default, Args)]
pub struct StoreArgs {
    /// Directory for the SQLite database, the generated master key and admin credentials
    /// (created mode 0700) [default: userpool-data].
    #[arg(long, env = "USERPOOL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://user@host:5432/db) shared by several servers, or
    /// sqlite:PATH. Default: SQLite at DATA_DIR/userpool.db. Prefer the environment variable
    /// if the URL holds a password.
    #[arg(
        long,
        env = "USERPOOL_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<Secret>,
    /// A file (mode 0600) holding the PostgreSQL password, put into the database URL.
    #[arg(long, env = "USERPOOL_DATABASE_PASSWORD_FILE", value_name = "PATH")]
    pub database_password_file: Option<PathBuf>,
    /// PostgreSQL only: keep every table in this schema (letters, digits and _).
    #[arg(long, env = "USERPOOL_DATABASE_SCHEMA", value_name = "NAME")]
    pub database_schema: Option<String>,
    /// The master key file (64 hex digits, mode 0600) that seals secrets at rest. Default:
    /// DATA_DIR/master.key, generated on first start. Servers sharing a database share it.
    #[arg(long, env = "USERPOOL_MASTER_KEY_FILE", value_name = "PATH")]
    pub master_key_file: Option<PathBuf>,
}

/// `serve`.
#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// A TOML configuration file (see userpool.toml); its keys are overridden by USERPOOL_*
    /// variables and flags.
    #[arg(long, short = 'c', env = "USERPOOL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:9229; the container uses 0.0.0.0:9229].
    #[arg(long, env = "USERPOOL_BIND", value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Port to listen on (replaces the port of --bind; kept from the example server).
    #[arg(long, env = "USERPOOL_PORT", value_name = "N")]
    pub port: Option<u16>,
    /// The AWS region the service answers as [default: us-east-1].
    #[arg(long, env = "USERPOOL_REGION", value_name = "REGION")]
    pub region: Option<String>,
    /// The URL clients reach this service at (the tokens' issuer in self mode). An https URL
    /// makes hosted-UI cookies Secure. Default: http://BIND, or https://BIND with TLS.
    #[arg(long, env = "USERPOOL_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Token issuer: self (PUBLIC_URL/POOL_ID) or aws (cognito-idp.REGION.amazonaws.com)
    /// [default: self].
    #[arg(long, env = "USERPOOL_ISSUER_MODE", value_enum, value_name = "MODE")]
    pub issuer_mode: Option<IssuerMode>,
    /// Lambda Invoke endpoint for pools' Lambda triggers (a local Lambda emulator).
    #[arg(long, env = "USERPOOL_LAMBDA_ENDPOINT", value_name = "URL")]
    pub lambda_endpoint: Option<String>,
    /// STS endpoint for GetCredentialsForIdentity; without one, local development credentials
    /// are minted (and the log says so).
    #[arg(long, env = "USERPOOL_STS_ENDPOINT", value_name = "URL")]
    pub sts_endpoint: Option<String>,
    /// Send email over SMTP: smtp://USER:PASS@HOST:PORT (STARTTLS) or smtps://… (implicit
    /// TLS); plain smtp only to a loopback host. Prefer the environment for the password.
    #[arg(
        long,
        env = "USERPOOL_SMTP_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub smtp_url: Option<Secret>,
    /// The default From address of email (a pool's EmailConfiguration.From wins).
    #[arg(long, env = "USERPOOL_EMAIL_FROM", value_name = "ADDR")]
    pub email_from: Option<String>,
    /// Send email with Amazon SES v2 SendEmail at this endpoint (SigV4 with AWS_ACCESS_KEY_ID
    /// and AWS_SECRET_ACCESS_KEY from the environment).
    #[arg(long, env = "USERPOOL_SES_ENDPOINT", value_name = "URL")]
    pub ses_endpoint: Option<String>,
    /// Send SMS as a signed JSON POST to this URL (secret: USERPOOL_SMS_WEBHOOK_SECRET).
    #[arg(long, env = "USERPOOL_SMS_WEBHOOK", value_name = "URL")]
    pub sms_webhook: Option<String>,
    /// The HMAC secret of --sms-webhook.
    #[arg(
        long,
        env = "USERPOOL_SMS_WEBHOOK_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub sms_webhook_secret: Option<Secret>,
    /// Send SMS with Amazon SNS Publish at this endpoint (SigV4 as for --ses-endpoint).
    #[arg(long, env = "USERPOOL_SNS_ENDPOINT", value_name = "URL")]
    pub sns_endpoint: Option<String>,
    /// Keep sent codes for GET /_dev/messages (loopback clients only). Development only.
    #[arg(long, env = "USERPOOL_DEV_OUTBOX", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub dev_outbox: Option<bool>,
    /// Keep nothing: an in-memory store and a random master key.
    #[arg(long, env = "USERPOOL_IN_MEMORY", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub in_memory: Option<bool>,
    /// Admin key pair KEY:SECRET for SigV4-signed actions. Prefer USERPOOL_ADMIN_CREDENTIALS
    /// or --admin-credentials-file; default: generated into DATA_DIR/admin-credentials.
    #[arg(
        long,
        env = "USERPOOL_ADMIN_CREDENTIALS",
        hide_env_values = true,
        value_name = "KEY:SECRET"
    )]
    pub admin_credentials: Option<Secret>,
    /// A file (mode 0600) holding the admin key pair as KEY:SECRET.
    #[arg(long, env = "USERPOOL_ADMIN_CREDENTIALS_FILE", value_name = "PATH")]
    pub admin_credentials_file: Option<PathBuf>,
    /// Request-rate limits: default (per client IP, username, app client and access key),
    /// cognito (Cognito's account-wide quotas) or off.
    #[arg(long, env = "USERPOOL_RATE_LIMITS", value_name = "PROFILE")]
    pub rate_limits: Option<String>,
    /// A proxy (CIDR, repeatable; comma-separated in the environment) whose X-Forwarded-For
    /// and X-Forwarded-Proto are believed.
    #[arg(
        long = "trusted-proxy",
        env = "USERPOOL_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "CIDR"
    )]
    pub trusted_proxies: Vec<String>,
    /// Log format on stderr [default: text].
    #[arg(long, env = "USERPOOL_LOG_FORMAT", value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Log filter (tracing's EnvFilter syntax: info, warn,userpool::audit=info, …)
    /// [default: RUST_LOG, else info].
    #[arg(long, env = "USERPOOL_LOG_LEVEL", value_name = "FILTER")]
    pub log_level: Option<String>,
    /// Serve Prometheus metrics at /metrics [default: on].
    #[arg(long, env = "USERPOOL_METRICS", value_enum, value_name = "ON|OFF")]
    pub metrics: Option<Switch>,
    /// Serve /metrics on this address instead of the main listener (which then has none).
    #[arg(long, env = "USERPOOL_METRICS_BIND", value_name = "ADDR")]
    pub metrics_bind: Option<SocketAddr>,
    /// TLS certificate chain (PEM); with --tls-key the listener speaks https only.
    #[arg(
        long,
        env = "USERPOOL_TLS_CERT",
        value_name = "PATH",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM, PKCS#8, PKCS#1 or SEC1).
    #[arg(
        long,
        env = "USERPOOL_TLS_KEY",
        value_name = "PATH",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C [default: 20].
    #[arg(long, env = "USERPOOL_SHUTDOWN_TIMEOUT", value_name = "SECONDS")]
    pub shutdown_timeout: Option<u64>,
    /// Where the data is.
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Whose URL tokens name as their issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IssuerMode {
    /// `PUBLIC_URL/POOL_ID` (discovery and JWKS served here).
    #[value(name = "self")]
    #[serde(rename = "self")]
    SelfHosted,
    /// `https://cognito-idp.REGION.amazonaws.com/POOL_ID`, for verifiers that hard-code it.
    Aws,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (fields, span fields, timestamp).
    Json,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}
