//! The userpool server: Cognito's wire protocol on a loopback port, for the AWS CLI, boto3,
//! the AWS SDKs, amazon-cognito-identity-js, Amplify and pycognito (endpoint override only).
//!
//! ```sh
//! cargo run --release --example server -- [--port 9229] [--region us-east-1]
//!     [--admin-credentials KEY:SECRET] [--issuer-mode self|aws] [--lambda-endpoint URL]
//!     [--dev-outbox] [--data-dir DIR] [--database-url URL] [--database-schema NAME] [--master-key-file PATH]
//!     [--public-url URL] [--in-memory] [--rate-limits off|default|cognito]
//!     [--trusted-proxy CIDR]... [--sts-endpoint URL]
//! ```
//!
//! Rate limits (`--rate-limits`): `default` keeps one bucket per client IP, per username of
//! credential and code operations, per app client and per access key (the numbers are in
//! `userpool_http::RateLimits`); `cognito` applies Cognito's account-wide quotas; `off` none.
//! `--trusted-proxy CIDR` (repeatable) names proxies whose `X-Forwarded-For` and
//! `X-Forwarded-Proto` are believed. An https `--public-url` makes hosted cookies `Secure`.
//!
//! Messages: with `--dev-outbox`, codes are kept (bounded) for `GET /_dev/messages`; without
//! it nothing is kept and messages are dropped with a warning (no sender is configured).
//!
//! Identity pools (`cognito-identity`) are served on the same port: their OpenID tokens'
//! issuer is `<public URL>/identity` (JWKS at `/identity/.well-known/jwks.json`), and
//! GetCredentialsForIdentity calls `AssumeRoleWithWebIdentity` at `--sts-endpoint` (without
//! one it mints local development credentials and says so in the log).
//!
//! Storage: by default a SQLite database, `userpool-data/userpool.db` (WAL, created on first
//! start, migrated on every start). `--database-url postgres://…` shares one PostgreSQL
//! database between several servers; `--in-memory` keeps nothing.
//!
//! What is sealed at rest (SRP verifiers, TOTP seeds, signing keys, client secrets, sessions)
//! is sealed under the master key in `DATA_DIR/master.key` (32 random bytes as hex, mode 0600,
//! created on first start) or the file `--master-key-file` names. Servers sharing a database
//! share that file and a `--public-url` (the issuer of their tokens). The server refuses to
//! start when the master-key file or the generated `DATA_DIR/admin-credentials` may be read or
//! written by anyone but its owner (mode `& 0o077` not 0).

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use custom_auth_triggers::LambdaClient;
use rand::RngExt as _;
use userpool::{IdentityService, Issuer, MasterKey, MessageSender, NoDelivery, Outbox, Service};
use userpool_http::{AdminCredentials, HttpConfig, IpNet, RateLimits};
use userpool_store::{IdentityPools, MemoryStore, Store};
use userpool_store_sql::{Engine, SqlStoreOptions};
use zeroize::Zeroizing;

#[derive(Debug)]
struct Options {
    port: u16,
    region: String,
    admin: Option<AdminCredentials>,
    aws_issuer: bool,
    lambda_endpoint: Option<String>,
    dev_outbox: bool,
    data_dir: std::path::PathBuf,
    database_url: Option<String>,
    database_schema: Option<String>,
    master_key_file: Option<std::path::PathBuf>,
    public_url: Option<String>,
    in_memory: bool,
    rate_limits: RateLimits,
    trusted_proxies: Vec<IpNet>,
    sts_endpoint: Option<String>,
}

fn usage() -> &'static str {
    "usage: server [--port N] [--region R] [--admin-credentials KEY:SECRET] [--issuer-mode self|aws] [--lambda-endpoint URL] [--dev-outbox] [--data-dir DIR] [--database-url URL] [--database-schema NAME] [--master-key-file PATH] [--public-url URL] [--in-memory] [--rate-limits off|default|cognito] [--trusted-proxy CIDR]... [--sts-endpoint URL]"
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        port: 9229,
        region: "us-east-1".into(),
        admin: None,
        aws_issuer: false,
        lambda_endpoint: None,
        dev_outbox: false,
        data_dir: "userpool-data".into(),
        database_url: None,
        database_schema: None,
        master_key_file: None,
        public_url: None,
        in_memory: false,
        rate_limits: RateLimits::per_source(),
        trusted_proxies: Vec::new(),
        sts_endpoint: None,
    };
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--port" => {
                o.port = value()?
                    .parse()
                    .map_err(|_| "--port needs a number".to_owned())?
            }
            "--region" => o.region = value()?,
            "--admin-credentials" => {
                o.admin = Some(
                    AdminCredentials::parse(&value()?)
                        .ok_or("--admin-credentials takes KEY:SECRET")?,
                );
            }
            "--issuer-mode" => {
                o.aws_issuer = match value()?.as_str() {
                    "self" => false,
                    "aws" => true,
                    _ => return Err("--issuer-mode is self or aws".into()),
                }
            }
            "--lambda-endpoint" => o.lambda_endpoint = Some(value()?),
            "--dev-outbox" => o.dev_outbox = true,
            "--data-dir" => o.data_dir = value()?.into(),
            "--database-url" => o.database_url = Some(value()?),
            "--database-schema" => o.database_schema = Some(value()?),
            "--master-key-file" => o.master_key_file = Some(value()?.into()),
            "--public-url" => o.public_url = Some(value()?.trim_end_matches('/').to_owned()),
            "--in-memory" => o.in_memory = true,
            "--rate-limits" => o.rate_limits = value()?.parse()?,
            "--trusted-proxy" => o.trusted_proxies.push(
                value()?
                    .parse()
                    .map_err(|_| "--trusted-proxy takes a CIDR (10.0.0.0/8)".to_owned())?,
            ),
            "--sts-endpoint" => o.sts_endpoint = Some(value()?),
            "--help" | "-h" => return Err(usage().into()),
            other => return Err(format!("unknown flag {other}\n{}", usage())),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() {
    let options = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    if let Err(e) = serve(options).await {
        eprintln!("userpool server: {e}");
        std::process::exit(1);
    }
}

async fn serve(options: Options) -> Result<(), Box<dyn Error>> {
    let endpoint = format!("http://127.0.0.1:{}", options.port);
    let public_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| endpoint.clone());
    private_dir(&options.data_dir)?;
    let admin = match options.admin.clone() {
        Some(given) => given,
        None => admin_credentials(&options.data_dir)?,
    };
    // The secret is never printed or logged: a generated one goes to a file only its owner
    // can read; one given on the command line is the operator's already.
    let secret_location = if options.admin.is_some() {
        "as given on the command line".to_owned()
    } else {
        format!(
            "in {} (mode 0600)",
            options.data_dir.join("admin-credentials").display()
        )
    };
    let admin_pair = format!("key {} (secret: {secret_location})", admin.access_key_id());
    let (store, storage): (Arc<dyn Store>, String) = if options.in_memory {
        (Arc::new(MemoryStore::new()), "in memory".into())
    } else {
        let (url, what) = match &options.database_url {
            // The URL may hold a password: it is never printed.
            Some(url) => (url.clone(), format!("{:?} database", Engine::of_url(url)?)),
            None => {
                let path = options.data_dir.join("userpool.db");
                (
                    format!("sqlite:{}", path.display()),
                    format!("SQLite at {}", path.display()),
                )
            }
        };
        let mut sql = SqlStoreOptions::new(url);
        if let Some(schema) = &options.database_schema {
            sql = sql.schema(schema.clone());
        }
        let store = sql.connect().await?;
        (Arc::new(store), what)
    };
    let master_key = if options.in_memory {
        MasterKey::new(rand::random())
    } else {
        master_key(
            &options
                .master_key_file
                .clone()
                .unwrap_or_else(|| options.data_dir.join("master.key")),
        )?
    };
    // Messages are kept only for the development outbox (bounded); otherwise dropped, said.
    let outbox = Arc::new(Outbox::new());
    let sender: Arc<dyn MessageSender> = if options.dev_outbox {
        outbox.clone()
    } else {
        tracing::warn!(
            "no message sender is configured: codes are not delivered (use --dev-outbox for development)"
        );
        Arc::new(NoDelivery)
    };
    let identity_store: Arc<dyn IdentityPools> = store.clone();
    let identity_key = master_key.clone();
    let mut builder = Service::builder(store, master_key)
        .region(&options.region)
        .sender(sender)
        .issuer(if options.aws_issuer {
            Issuer::Aws
        } else {
            Issuer::SelfHosted {
                base_url: public_url.clone(),
            }
        });
    if let Some(url) = &options.lambda_endpoint {
        builder = builder.lambda_client(LambdaClient::new(
            url.clone(),
            options.region.clone(),
            None,
        )?);
    }
    let service = builder.build()?;
    // Identity pools beside the user pools: same store, master key, region and listener.
    let mut identity = IdentityService::builder(identity_store, identity_key)
        .region(&options.region)
        .user_pools(service.clone());
    if let Some(sts) = &options.sts_endpoint {
        identity = identity.sts_endpoint(sts);
    }
    let identity = identity.build()?;
    let mut config = HttpConfig::default()
        .admin_credentials(vec![admin.clone()])
        .identity(identity)
        .rate_limits(options.rate_limits.clone())
        .trusted_proxies(options.trusted_proxies.clone())
        .https(public_url.starts_with("https://"));
    if options.dev_outbox {
        tracing::warn!(
            "DEV OUTBOX ON: GET /_dev/messages serves every code and temporary password to loopback clients"
        );
        config = config.dev_outbox(outbox);
    }
    // Expired codes and session markers are purged every minute, off the request path.
    let maintenance = service.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = maintenance.purge_expired().await {
                tracing::warn!(error = %e, "purging expired records failed");
            }
        }
    });
    let app: axum::Router = userpool_http::router_with(service, config);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;

    println!(
        "userpool listening on {endpoint} (region {}, storage: {storage})",
        options.region
    );
    println!("admin credentials (SigV4, for Admin* and pool actions): {admin_pair}");
    println!();
    println!(
        "AWS CLI:   AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY=<secret> aws cognito-idp list-user-pools --max-results 10 --endpoint-url {endpoint} --region {}",
        admin.access_key_id(),
        options.region
    );
    println!(
        "boto3:     boto3.client('cognito-idp', endpoint_url='{endpoint}', region_name='{}', aws_access_key_id='{}', aws_secret_access_key='<secret>')",
        options.region,
        admin.access_key_id()
    );
    println!("acij:      new CognitoUserPool({{ UserPoolId, ClientId, endpoint: '{endpoint}' }})");
    println!(
        "identity:  aws cognito-identity list-identity-pools --max-results 10 --endpoint-url {endpoint}   (OpenID keys: {public_url}/identity/.well-known/jwks.json)"
    );
    if options.dev_outbox {
        println!("codes:     curl '{endpoint}/_dev/messages?pool_id=<pool>&username=<user>'");
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    })
    .await?;
    Ok(())
}

/// Creates `dir` (mode 0700) if it is missing.
fn private_dir(dir: &std::path::Path) -> Result<(), Box<dyn Error>> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    Ok(())
}

/// Writes `contents` to a new file only its owner can read; `false` if it already exists.
fn create_private(path: &std::path::Path, contents: &str) -> Result<bool, Box<dyn Error>> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(mut file) => {
            file.write_all(contents.as_bytes())?;
            file.sync_all()?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The contents of a secret file, refused (with a message that quotes none of it) unless only
/// its owner may read or write it: mode `& 0o077` must be 0, checked on the opened file.
fn read_private(path: &std::path::Path) -> Result<Zeroizing<String>, Box<dyn Error>> {
    use std::io::Read as _;
    use std::os::unix::fs::PermissionsExt as _;
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mode = file.metadata()?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} is readable or writable by group or others (mode {mode:04o}); it holds a secret: \
             make it private with `chmod 600 {}`",
            path.display(),
            path.display()
        )
        .into());
    }
    let mut text = Zeroizing::new(String::new());
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// The admin key pair in `DIR/admin-credentials` (`KEY:SECRET`), generated on first start.
fn admin_credentials(dir: &std::path::Path) -> Result<AdminCredentials, Box<dyn Error>> {
    let path = dir.join("admin-credentials");
    let mut rng = rand::rng();
    let secret: Zeroizing<String> = Zeroizing::new(
        (0..40)
            .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
            .collect(),
    );
    create_private(
        &path,
        &Zeroizing::new(format!("AKIDLOCALUSERPOOL:{}\n", secret.as_str())),
    )?;
    let text = read_private(&path)?;
    AdminCredentials::parse(text.trim())
        .ok_or_else(|| format!("{} does not hold KEY:SECRET", path.display()).into())
}

/// The master key in `path` (64 hex digits), generated on first start.
fn master_key(path: &std::path::Path) -> Result<MasterKey, Box<dyn Error>> {
    let fresh = Zeroizing::new(rand::random::<[u8; 32]>());
    let hex: Zeroizing<String> = Zeroizing::new(fresh.iter().map(|b| format!("{b:02x}")).collect());
    if create_private(path, &Zeroizing::new(format!("{}\n", hex.as_str())))? {
        tracing::info!(path = %path.display(), "generated a new master key");
    }
    let text = read_private(path)?;
    let text = text.trim();
    let malformed = || format!("{} does not hold 64 hex digits", path.display());
    if text.len() != 64 || !text.is_ascii() {
        return Err(malformed().into());
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| malformed())?;
    }
    Ok(MasterKey::new(*key))
}
