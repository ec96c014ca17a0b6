//! The userpool server: Cognito's wire protocol on a loopback port, for the AWS CLI, boto3,
//! the AWS SDKs, amazon-cognito-identity-js, Amplify and pycognito (endpoint override only).
//!
//! ```sh
//! cargo run --release --example server -- [--port 9229] [--region us-east-1]
//!     [--admin-credentials KEY:SECRET] [--issuer-mode self|aws] [--lambda-endpoint URL]
//!     [--dev-outbox] [--data-dir DIR] [--database-url URL]
//! ```
//!
//! Storage is in memory for now (the SQLite and PostgreSQL backends are an open issue):
//! `--data-dir` and `--database-url` are refused with that explanation rather than ignored.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;

use custom_auth_triggers::LambdaClient;
use rand::RngExt as _;
use userpool::{Issuer, MasterKey, Outbox, Service};
use userpool_http::{AdminCredentials, HttpConfig};
use userpool_store::MemoryStore;

#[derive(Debug)]
struct Options {
    port: u16,
    region: String,
    admin: Option<AdminCredentials>,
    aws_issuer: bool,
    lambda_endpoint: Option<String>,
    dev_outbox: bool,
}

fn usage() -> &'static str {
    "usage: server [--port N] [--region R] [--admin-credentials KEY:SECRET] [--issuer-mode self|aws] [--lambda-endpoint URL] [--dev-outbox]"
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        port: 9229,
        region: "us-east-1".into(),
        admin: None,
        aws_issuer: false,
        lambda_endpoint: None,
        dev_outbox: false,
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
            "--data-dir" | "--database-url" => {
                return Err(format!(
                    "{flag}: the SQLite and PostgreSQL backends are not built yet; this server keeps everything in memory"
                ));
            }
            "--help" | "-h" => return Err(usage().into()),
            other => return Err(format!("unknown flag {other}\n{}", usage())),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
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

    let endpoint = format!("http://127.0.0.1:{}", options.port);
    let admin = options.admin.clone().unwrap_or_else(|| {
        let mut rng = rand::rng();
        let secret: String = (0..40)
            .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.random_range(0..36)]))
            .collect();
        AdminCredentials::new("AKIDLOCALUSERPOOL", secret)
    });
    // The secret is never printed or logged: a generated one goes to a file only its owner
    // can read; one given on the command line is the operator's already.
    let secret_location = if options.admin.is_some() {
        "as given on the command line".to_owned()
    } else {
        write_secret(&admin)?
    };
    let admin_pair = format!("key {} (secret: {secret_location})", admin.access_key_id());
    let outbox = Arc::new(Outbox::new());
    let mut builder =
        Service::builder(Arc::new(MemoryStore::new()), MasterKey::new(rand::random()))
            .region(&options.region)
            .sender(outbox.clone())
            .issuer(if options.aws_issuer {
                Issuer::Aws
            } else {
                Issuer::SelfHosted {
                    base_url: endpoint.clone(),
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
    let mut config = HttpConfig::default().admin_credentials(vec![admin.clone()]);
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
        "userpool listening on {endpoint} (region {}, storage: in memory)",
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

/// Writes a generated admin key pair to `userpool-data/admin-credentials` (mode 0600, in a
/// 0700 directory) as `KEY:SECRET`; returns where.
fn write_secret(admin: &AdminCredentials) -> Result<String, Box<dyn Error>> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let dir = std::path::Path::new("userpool-data");
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join("admin-credentials");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?;
    writeln!(
        file,
        "{}:{}",
        admin.access_key_id(),
        admin.secret_access_key()
    )?;
    Ok(format!("in {} (mode 0600)", path.display()))
}
