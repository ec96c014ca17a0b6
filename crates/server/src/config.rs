//! Settings: the TOML file (`--config`), overridden by `USERPOOL_*` variables, overridden by
//! flags (clap resolves the last two: a flag beats its `env`), over the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use userpool_http::{IpNet, RateLimits};

use crate::cli::{IssuerMode, LogFormat, ServeArgs, StoreArgs, Switch};
use crate::error::{Error, Result};
use crate::secrets::Secret;

/// The default listen address.
pub const DEFAULT_BIND: &str = "127.0.0.1:9229";

/// The configuration file: every key optional, unknown keys refused (a typo is an error, not
/// a silently ignored setting). Secrets are not accepted inline: name a file instead
/// (`admin_credentials_file`, `master_key_file`, `database_password_file`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// `--bind`.
    pub bind: Option<SocketAddr>,
    /// `--region`.
    pub region: Option<String>,
    /// `--public-url`.
    pub public_url: Option<String>,
    /// `--issuer-mode`.
    pub issuer_mode: Option<IssuerMode>,
    /// `--lambda-endpoint`.
    pub lambda_endpoint: Option<String>,
    /// `--sts-endpoint`.
    pub sts_endpoint: Option<String>,
    /// `--email-from`.
    pub email_from: Option<String>,
    /// `--ses-endpoint`.
    pub ses_endpoint: Option<String>,
    /// `--sms-webhook`.
    pub sms_webhook: Option<String>,
    /// `--sns-endpoint`.
    pub sns_endpoint: Option<String>,
    /// `--dev-outbox`.
    pub dev_outbox: Option<bool>,
    /// `--in-memory`.
    pub in_memory: Option<bool>,
    /// `--admin-credentials-file`.
    pub admin_credentials_file: Option<PathBuf>,
    /// `--rate-limits`.
    pub rate_limits: Option<String>,
    /// `--trusted-proxy`, as a list.
    pub trusted_proxies: Option<Vec<String>>,
    /// `--log-format`.
    pub log_format: Option<LogFormat>,
    /// `--log-level`.
    pub log_level: Option<String>,
    /// `--metrics`.
    pub metrics: Option<Switch>,
    /// `--metrics-bind`.
    pub metrics_bind: Option<SocketAddr>,
    /// `--tls-cert`.
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key`.
    pub tls_key: Option<PathBuf>,
    /// `--shutdown-timeout`, in seconds.
    pub shutdown_timeout: Option<u64>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--database-url`.
    pub database_url: Option<Secret>,
    /// `--database-password-file`.
    pub database_password_file: Option<PathBuf>,
    /// `--database-schema`.
    pub database_schema: Option<String>,
    /// `--master-key-file`.
    pub master_key_file: Option<PathBuf>,
}

impl FileConfig {
    /// Reads and parses `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::ConfigFile {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Self::parse(&text).map_err(|message| Error::ConfigFile {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses TOML text.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
    }

    /// The file `path` names, or an empty configuration.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        path.map_or_else(|| Ok(Self::default()), Self::read)
    }
}

/// Where the data is, resolved.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The database URL (may hold a password: never printed).
    pub database_url: Option<Secret>,
    /// A file holding the database password.
    pub database_password_file: Option<PathBuf>,
    /// The PostgreSQL schema.
    pub database_schema: Option<String>,
    /// The master key file.
    pub master_key_file: PathBuf,
}

impl StoreSettings {
    /// Flags/environment over the file over the defaults.
    pub fn resolve(args: &StoreArgs, file: &FileConfig) -> Self {
        let data_dir = pick(args.data_dir.clone(), file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("userpool-data"));
        let master_key_file = pick(args.master_key_file.clone(), file.master_key_file.clone())
            .unwrap_or_else(|| data_dir.join("master.key"));
        Self {
            database_url: pick(args.database_url.clone(), file.database_url.clone()),
            database_password_file: pick(
                args.database_password_file.clone(),
                file.database_password_file.clone(),
            ),
            database_schema: pick(args.database_schema.clone(), file.database_schema.clone()),
            master_key_file,
            data_dir,
        }
    }
}

/// Everything `serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listen address.
    pub bind: SocketAddr,
    /// Region.
    pub region: String,
    /// Public URL, if configured (else derived from the bound address).
    pub public_url: Option<String>,
    /// Issuer mode.
    pub issuer_mode: IssuerMode,
    /// Lambda endpoint.
    pub lambda_endpoint: Option<String>,
    /// STS endpoint.
    pub sts_endpoint: Option<String>,
    /// Message delivery (SMTP / SES, webhook / SNS).
    pub delivery: crate::delivery::DeliverySettings,
    /// Development outbox.
    pub dev_outbox: bool,
    /// In-memory store.
    pub in_memory: bool,
    /// `KEY:SECRET` from the flag or environment (never from the file).
    pub admin_credentials: Option<Secret>,
    /// The admin credentials file.
    pub admin_credentials_file: Option<PathBuf>,
    /// Rate limits.
    pub rate_limits: RateLimits,
    /// Trusted proxies.
    pub trusted_proxies: Vec<IpNet>,
    /// Log format.
    pub log_format: LogFormat,
    /// Log filter, if configured.
    pub log_level: Option<String>,
    /// Whether `/metrics` is served.
    pub metrics: bool,
    /// Where `/metrics` is served, if not on the main listener.
    pub metrics_bind: Option<SocketAddr>,
    /// TLS certificate chain and key.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Drain deadline.
    pub shutdown_timeout: Duration,
    /// Where the data is.
    pub store: StoreSettings,
}

fn pick<T>(flag_or_env: Option<T>, file: Option<T>) -> Option<T> {
    flag_or_env.or(file)
}

impl Settings {
    /// Resolves `serve`'s settings: flag, else environment (both in `args`), else file, else
    /// default.
    pub fn resolve(args: &ServeArgs, file: &FileConfig) -> Result<Self> {
        let mut bind = pick(args.bind, file.bind)
            .or_else(|| DEFAULT_BIND.parse().ok())
            .ok_or_else(|| Error::Config("no listen address".into()))?;
        if let Some(port) = args.port {
            bind.set_port(port);
        }
        let rate_limits = match pick(args.rate_limits.clone(), file.rate_limits.clone()) {
            Some(profile) => profile.parse().map_err(|e: &str| Error::Config(e.into()))?,
            None => RateLimits::per_source(),
        };
        let proxies = if args.trusted_proxies.is_empty() {
            file.trusted_proxies.clone().unwrap_or_default()
        } else {
            args.trusted_proxies.clone()
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| {
                p.trim().parse().map_err(|_| {
                    Error::Config(format!("trusted proxy {p:?} is not a CIDR (10.0.0.0/8)"))
                })
            })
            .collect::<Result<Vec<IpNet>>>()?;
        let tls = match (
            pick(args.tls_cert.clone(), file.tls_cert.clone()),
            pick(args.tls_key.clone(), file.tls_key.clone()),
        ) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => {
                return Err(Error::Config(
                    "tls_cert and tls_key go together: give both or neither".into(),
                ));
            }
        };
        let public_url = pick(args.public_url.clone(), file.public_url.clone())
            .map(|u| u.trim_end_matches('/').to_owned());
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(Error::Config(format!(
                "public URL {url:?} must start with http:// or https://"
            )));
        }
        Ok(Self {
            bind,
            region: pick(args.region.clone(), file.region.clone())
                .unwrap_or_else(|| "us-east-1".into()),
            public_url,
            issuer_mode: pick(args.issuer_mode, file.issuer_mode).unwrap_or(IssuerMode::SelfHosted),
            lambda_endpoint: pick(args.lambda_endpoint.clone(), file.lambda_endpoint.clone()),
            sts_endpoint: pick(args.sts_endpoint.clone(), file.sts_endpoint.clone()),
            delivery: crate::delivery::DeliverySettings {
                smtp_url: args.smtp_url.clone(),
                email_from: pick(args.email_from.clone(), file.email_from.clone()),
                ses_endpoint: pick(args.ses_endpoint.clone(), file.ses_endpoint.clone()),
                sms_webhook: pick(args.sms_webhook.clone(), file.sms_webhook.clone()),
                sms_webhook_secret: args.sms_webhook_secret.clone(),
                sns_endpoint: pick(args.sns_endpoint.clone(), file.sns_endpoint.clone()),
            },
            dev_outbox: pick(args.dev_outbox, file.dev_outbox).unwrap_or(false),
            in_memory: pick(args.in_memory, file.in_memory).unwrap_or(false),
            admin_credentials: args.admin_credentials.clone(),
            admin_credentials_file: pick(
                args.admin_credentials_file.clone(),
                file.admin_credentials_file.clone(),
            ),
            rate_limits,
            trusted_proxies,
            log_format: pick(args.log_format, file.log_format).unwrap_or(LogFormat::Text),
            log_level: pick(args.log_level.clone(), file.log_level.clone()),
            metrics: pick(args.metrics, file.metrics).unwrap_or(Switch::On) == Switch::On,
            metrics_bind: pick(args.metrics_bind, file.metrics_bind),
            tls,
            shutdown_timeout: Duration::from_secs(
                pick(args.shutdown_timeout, file.shutdown_timeout).unwrap_or(20),
            ),
            store: StoreSettings::resolve(&args.store, file),
        })
    }

    /// Whether clients reach the service over https (TLS here, or an https public URL in
    /// front of a TLS-terminating proxy): hosted cookies are then `Secure`.
    pub fn https(&self) -> bool {
        self.tls.is_some()
            || self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::cli::Cli;

    fn serve_args(argv: &[&str]) -> ServeArgs {
        let cli =
            Cli::try_parse_from(std::iter::once("userpool-server").chain(argv.iter().copied()))
                .expect("parses");
        match cli.command {
            Some(crate::cli::Command::Serve(args)) => *args,
            None => cli.serve,
            Some(other) => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn the_sample_file_parses_and_every_key_is_known() {
        let sample = include_str!("../userpool.toml");
        // Every commented key, uncommented, still parses (a key the struct lacks would fail).
        let uncommented: String = sample
            .lines()
            .filter_map(|l| l.strip_prefix("# ").filter(|l| l.contains(" = ")))
            .map(|l| format!("{l}\n"))
            .collect();
        let file = FileConfig::parse(&uncommented).expect("uncommented sample parses");
        assert_eq!(file.region.as_deref(), Some("us-east-1"));
        assert!(FileConfig::parse(sample).is_ok());
    }

    #[test]
    fn unknown_keys_and_inline_secrets_are_refused() {
        let e = FileConfig::parse("bnid = \"0.0.0.0:1\"").expect_err("typo");
        assert!(e.contains("unknown field `bnid`"), "{e}");
        let e = FileConfig::parse("admin_credentials = \"K:S\"").expect_err("inline secret");
        assert!(e.contains("unknown field `admin_credentials`"), "{e}");
    }

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let file = FileConfig::parse(
            "bind = \"127.0.0.2:1000\"\nregion = \"eu-west-1\"\nrate_limits = \"off\"\n",
        )
        .expect("parses");
        let s = Settings::resolve(&serve_args(&["--region", "ap-northeast-1"]), &file)
            .expect("resolves");
        assert_eq!(s.bind.to_string(), "127.0.0.2:1000");
        assert_eq!(s.region, "ap-northeast-1");
        let s = Settings::resolve(&serve_args(&["--port", "4000"]), &file).expect("resolves");
        assert_eq!(s.bind.to_string(), "127.0.0.2:4000");
        let s = Settings::resolve(&serve_args(&[]), &FileConfig::default()).expect("resolves");
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(
            s.store.master_key_file,
            Path::new("userpool-data/master.key")
        );
        assert!(s.metrics && !s.dev_outbox && !s.https());
    }

    #[test]
    fn secret_settings_are_redacted_in_debug() {
        let file =
            FileConfig::parse("database_url = \"postgres://u:hunter2@db/x\"").expect("parses");
        let s = Settings::resolve(
            &serve_args(&["--admin-credentials", "AKID:sekrit-value"]),
            &file,
        )
        .expect("resolves");
        let shown = format!("{s:?} {file:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("sekrit-value"),
            "{shown}"
        );
        assert_eq!(
            s.store.database_url.as_ref().map(Secret::expose),
            Some("postgres://u:hunter2@db/x")
        );
    }

    #[test]
    fn bad_values_are_named() {
        let e = Settings::resolve(
            &serve_args(&["--rate-limits", "lots"]),
            &FileConfig::default(),
        )
        .expect_err("bad profile");
        assert_eq!(e.to_string(), "rate limits must be off, default or cognito");
        let e = Settings::resolve(
            &serve_args(&["--trusted-proxy", "nope"]),
            &FileConfig::default(),
        )
        .expect_err("bad cidr");
        assert_eq!(
            e.to_string(),
            "trusted proxy \"nope\" is not a CIDR (10.0.0.0/8)"
        );
        let file = FileConfig::parse("tls_cert = \"c.pem\"").expect("parses");
        let e = Settings::resolve(&serve_args(&[]), &file).expect_err("half TLS");
        assert_eq!(
            e.to_string(),
            "tls_cert and tls_key go together: give both or neither"
        );
    }

    #[test]
    fn every_subcommand_has_help() {
        use clap::CommandFactory as _;
        let mut cmd = Cli::command();
        cmd.build();
        for sub in ["serve", "migrate", "check", "rotate-keys"] {
            let help = cmd
                .find_subcommand_mut(sub)
                .map(|c| c.render_long_help().to_string())
                .expect(sub);
            assert!(help.contains("--config"), "{sub}: {help}");
        }
        Cli::command().debug_assert();
    }
}
