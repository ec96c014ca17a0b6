//! `serve`: the service on the store, the HTTP adapter with health and metrics beside it, one
//! listener (plain or TLS) and optionally a metrics listener, and a graceful stop.
//!
//! SIGTERM or Ctrl-C: `/health/ready` turns 503, the listeners stop accepting, requests in
//! flight get `--shutdown-timeout` to finish (idle keep-alive connections are closed), then
//! the store is closed and the process exits 0.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse as _;
use axum::serve::ListenerExt as _;
use custom_auth_triggers::LambdaClient;
use tokio::sync::watch;
use userpool::{IdentityService, Issuer, MasterKey, Outbox, Service};
use userpool_http::{AdminCredentials, HttpConfig};
use userpool_store::IdentityPools;

use crate::cli::IssuerMode;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::health::{self, Health};
use crate::metrics::{self, Metrics};
use crate::request::{self, Observer};
use crate::{secrets, store, tls};

/// Where the admin credentials came from (for the banner; the secret itself is never shown).
fn admin(settings: &Settings) -> Result<(AdminCredentials, String)> {
    if let Some(pair) = &settings.admin_credentials {
        return Ok((
            secrets::admin_credentials(pair.expose())?,
            "as given (USERPOOL_ADMIN_CREDENTIALS or --admin-credentials)".into(),
        ));
    }
    if let Some(file) = &settings.admin_credentials_file {
        return Ok((
            secrets::admin_credentials_file(file, false)?,
            format!("in {}", file.display()),
        ));
    }
    let file = settings.store.data_dir.join("admin-credentials");
    Ok((
        secrets::admin_credentials_file(&file, true)?,
        format!("in {} (mode 0600)", file.display()),
    ))
}

/// Runs the server until SIGTERM or Ctrl-C. `metrics` is the registry the logging layer
/// counts into (`None`: metrics off).
pub async fn serve(settings: Settings, metrics: Option<Arc<Metrics>>) -> Result<()> {
    secrets::private_dir(&settings.store.data_dir)?;
    let (admin, secret_location) = admin(&settings)?;
    let master_key = if settings.in_memory {
        MasterKey::new(rand::random())
    } else {
        secrets::master_key(&settings.store.master_key_file, true)?
    };
    let tls_config = match &settings.tls {
        Some((cert, key)) => Some(tls::server_config(cert, key)?),
        None => None,
    };
    let opened = store::open(&settings.store, settings.in_memory).await?;

    let listener = tokio::net::TcpListener::bind(settings.bind)
        .await
        .map_err(Error::io(format!("cannot listen on {}", settings.bind)))?;
    let local = listener
        .local_addr()
        .map_err(Error::io("no local address"))?;
    let scheme = if tls_config.is_some() {
        "https"
    } else {
        "http"
    };
    // Listening on every interface: this host reaches it on loopback (and the default issuer
    // names a reachable address, not 0.0.0.0; set the public URL for other hosts).
    let mut reachable = local;
    if local.ip().is_unspecified() {
        reachable.set_ip(match local {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let endpoint = format!("{scheme}://{reachable}");
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| endpoint.clone());

    // Messages are kept only for the development outbox (bounded); otherwise dropped, said.
    let outbox = Arc::new(Outbox::new());
    let (sender, delivery_queue) = crate::delivery::sender(
        &settings.delivery,
        &settings.region,
        settings.dev_outbox.then(|| outbox.clone()),
    )?;
    // With metrics on, every store call is timed (`userpool_store_duration_seconds`).
    let store: Arc<dyn userpool_store::Store> = match &metrics {
        Some(m) => Arc::new(userpool_store::ObservedStore::new(
            opened.store.clone(),
            m.clone(),
        )),
        None => opened.store.clone(),
    };
    let identity_store: Arc<dyn IdentityPools> = store.clone();
    let mut builder = Service::builder(store, master_key.clone())
        .region(&settings.region)
        .sender(sender)
        .issuer(match settings.issuer_mode {
            IssuerMode::Aws => Issuer::Aws,
            IssuerMode::SelfHosted => Issuer::SelfHosted {
                base_url: public_url.clone(),
            },
        });
    if let Some(url) = &settings.lambda_endpoint {
        builder = builder.lambda_client(
            LambdaClient::new(url.clone(), settings.region.clone(), None)
                .map_err(|e| Error::Config(format!("lambda endpoint: {e}")))?,
        );
    }
    let service = builder.build()?;
    let mut identity = IdentityService::builder(identity_store, master_key)
        .region(&settings.region)
        .user_pools(service.clone());
    if let Some(sts) = &settings.sts_endpoint {
        identity = identity.sts_endpoint(sts);
    }
    let identity = identity
        .build()
        .map_err(|e| Error::Config(format!("identity pools: {e}")))?;
    let mut config = HttpConfig::default()
        .admin_credentials(vec![admin.clone()])
        .identity(identity)
        .rate_limits(settings.rate_limits.clone())
        .trusted_proxies(settings.trusted_proxies.clone())
        .https(settings.https());
    if settings.dev_outbox {
        tracing::warn!(
            "DEV OUTBOX ON: GET /_dev/messages serves every code and temporary password to loopback clients"
        );
        config = config.dev_outbox(outbox);
    }

    // Expired codes and session markers are purged every minute, off the request path.
    let maintenance = service.clone();
    let purge = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = maintenance.purge_expired().await {
                tracing::warn!(error = %e, "purging expired records failed");
            }
        }
    });

    let health = Health::new(opened.sql.clone());
    let mut app: Router =
        health::routes(health.clone()).merge(userpool_http::router_with::<()>(service, config));
    let metrics_app = metrics.clone().map(|m| {
        Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let m = m.clone();
                async move {
                    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], m.render()).into_response()
                }
            }),
        )
    });
    let observer = Observer {
        metrics: metrics.clone(),
    };
    let mut separate_metrics = None;
    if let Some(metrics_app) = metrics_app {
        match settings.metrics_bind {
            Some(addr) => separate_metrics = Some((addr, metrics_app)),
            None => app = app.merge(metrics_app),
        }
    }
    let app = app.layer(axum::middleware::from_fn_with_state(
        observer.clone(),
        request::observe,
    ));

    let (stop_tx, stop) = watch::channel(false);
    let metrics_server = match separate_metrics {
        Some((addr, metrics_app)) => {
            let l = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(Error::io(format!("cannot listen on {addr} for metrics")))?;
            let bound = l.local_addr().map_err(Error::io("no local address"))?;
            println!("metrics on http://{bound}/metrics");
            let app = metrics_app.layer(axum::middleware::from_fn_with_state(
                observer,
                request::observe,
            ));
            let stop = stop.clone();
            Some(tokio::spawn(async move {
                axum::serve(l, app)
                    .with_graceful_shutdown(stopped(stop))
                    .await
            }))
        }
        None => None,
    };

    banner(
        &settings,
        &endpoint,
        &public_url,
        &admin,
        &secret_location,
        &opened.description,
    );

    let signals = tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let draining = {
        let health = health.clone();
        let mut stop = stop.clone();
        let deadline = settings.shutdown_timeout;
        async move {
            let _ = stop.wait_for(|s| *s).await;
            health.start_draining();
            tracing::info!(
                seconds = deadline.as_secs(),
                "shutting down: finishing requests in flight"
            );
            tokio::time::sleep(deadline).await;
        }
    };
    let make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let served = match tls_config {
        Some(config) => {
            let listener = tls::TlsListener::new(listener, config, stop.clone())
                .map_err(Error::io("TLS listener"))?
                .tap_io(|_| ());
            let server =
                axum::serve(listener, make_service).with_graceful_shutdown(stopped(stop.clone()));
            tokio::select! {
                r = server.into_future() => r.map(|()| true),
                () = draining => Ok(false),
            }
        }
        None => {
            // Answers go out as soon as written (no Nagle wait behind a delayed ACK).
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let server =
                axum::serve(listener, make_service).with_graceful_shutdown(stopped(stop.clone()));
            tokio::select! {
                r = server.into_future() => r.map(|()| true),
                () = draining => Ok(false),
            }
        }
    };
    signals.abort();
    purge.abort();
    if let Some(m) = metrics_server {
        m.abort();
    }
    match served {
        Ok(true) => tracing::info!("every request in flight was answered"),
        Ok(false) => tracing::warn!("the drain deadline passed with requests still in flight"),
        Err(e) => tracing::error!(error = %e, "the listener failed"),
    }
    if let Some(queue) = &delivery_queue {
        // Messages already accepted are sent (or retried until their attempts run out).
        queue.shutdown().await;
    }
    if let Some(sql) = &opened.sql {
        sql.close().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves when `stop` turns true.
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C"),
        () = terminate => tracing::info!("SIGTERM"),
    }
}

/// What a person starting the server wants to know, on stdout.
fn banner(
    settings: &Settings,
    endpoint: &str,
    public_url: &str,
    admin: &AdminCredentials,
    secret_location: &str,
    storage: &str,
) {
    let region = &settings.region;
    let key = admin.access_key_id();
    println!(
        "userpool listening on {endpoint} (region {region}, storage: {storage}, bound to {})",
        settings.bind
    );
    println!(
        "admin credentials (SigV4, for Admin* and pool actions): key {key} (secret: {secret_location})"
    );
    println!("health:    {endpoint}/health/live  {endpoint}/health/ready");
    if settings.metrics && settings.metrics_bind.is_none() {
        println!("metrics:   {endpoint}/metrics");
    }
    println!();
    println!(
        "AWS CLI:   AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY=<secret> aws cognito-idp list-user-pools --max-results 10 --endpoint-url {endpoint} --region {region}"
    );
    println!(
        "boto3:     boto3.client('cognito-idp', endpoint_url='{endpoint}', region_name='{region}', aws_access_key_id='{key}', aws_secret_access_key='<secret>')"
    );
    println!("acij:      new CognitoUserPool({{ UserPoolId, ClientId, endpoint: '{endpoint}' }})");
    println!(
        "identity:  aws cognito-identity list-identity-pools --max-results 10 --endpoint-url {endpoint}   (OpenID keys: {public_url}/identity/.well-known/jwks.json)"
    );
    if settings.dev_outbox {
        println!("codes:     curl '{endpoint}/_dev/messages?pool_id=<pool>&username=<user>'");
    }
}
