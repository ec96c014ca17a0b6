//! Load bench: N concurrent HTTP clients (reqwest, keep-alive) against `userpool-http` on
//! loopback, on the memory store, SQLite and PostgreSQL — USER_SRP_AUTH (both steps, the
//! client's SRP math done with `userpool::SrpSignIn` and timed apart), USER_PASSWORD_AUTH,
//! REFRESH_TOKEN_AUTH and GetUser — at 1, 2, 4, 16 and 64 clients, plus the same operation
//! on the `Service` directly (one client) and an open-loop run paced at 80 % of saturation.
//!
//! ```sh
//! nice -n 10 cargo bench -p userpool-benches --bench load
//! USERPOOL_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     nice -n 10 cargo bench -p userpool-benches --bench load           # adds PostgreSQL
//! LOAD_SOAK_SECONDS=600 LOAD_STORES=sqlite \
//!     nice -n 10 cargo bench -p userpool-benches --bench load           # soak: VmRSS curve
//! LOAD_TARGET_URL=http://127.0.0.1:5000 LOAD_TARGET_NAME=moto \
//!     nice -n 10 cargo bench -p userpool-benches --bench load           # an external endpoint
//! ```
//!
//! The server runs in this process (the router `userpool-server` serves, rate limits off,
//! admin actions SigV4-signed), so the facade and HTTP rows share one `Service` and store and
//! the soak's VmRSS is the server's (with the client's). Client and server share the
//! machine's cores: the `cpu%` and `client%` columns say how much went to the client's SRP
//! math. Environment (defaults in brackets): `LOAD_SECONDS` [2] per cell, `LOAD_WARMUP_MS`
//! [300], `LOAD_STORES` [memory,sqlite,postgres], `LOAD_OPS` [srp,password,refresh,getuser],
//! `LOAD_CONCURRENCY` [1,2,4,16,64], `LOAD_PACED` [1], `LOAD_SERVER_THREADS` /
//! `LOAD_CLIENT_THREADS` [2], `LOAD_NODELAY` [1: TCP_NODELAY as the server sets it], `LOAD_SOAK_SECONDS` (soak instead of the matrix, on the first
//! store), `LOAD_SOAK_CLIENTS` [16], `LOAD_SOAK_SAMPLE` [10 s], `LOAD_QUIET_WAIT` [0 s: before
//! each cell, wait up to this long for other processes to leave the cores idle — the
//! `others%` column shows what they took during the cell]. External mode:
//! `LOAD_TARGET_URL`, `LOAD_TARGET_NAME`, `LOAD_ADMIN` [load:load, KEY:SECRET for SigV4],
//! `LOAD_REGION` [us-east-1]; there `LOAD_OPS` defaults to password and `LOAD_CONCURRENCY`
//! to 1,16.

use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Runtime;
use userpool::{MasterKey, Service};
use userpool_benches::load_client::{
    BenchPool, Op, Session, Transport, create_pool, sign_in_session,
};
use userpool_benches::load_report::{Mode, Row, print_client_math, print_header, print_row};
use userpool_benches::load_run::{Cell, run_cell, soak, vm_rss_kib, wait_quiet};
use userpool_benches::sigv4::Signer;
use userpool_store::{MemoryStore, Store};
use userpool_store_sql::SqlStoreOptions;

const ADMIN_KEY: &str = "load-admin";
const ADMIN_SECRET: &str = "load-admin-secret";

struct Config {
    seconds: f64,
    warmup: Duration,
    stores: Vec<String>,
    ops: Vec<Op>,
    concurrency: Vec<usize>,
    paced: bool,
    soak_seconds: u64,
    soak_clients: usize,
    soak_sample: u64,
    quiet_wait: Duration,
    target: Option<String>,
    region: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    env(name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

impl Config {
    fn from_env() -> Self {
        let target = env("LOAD_TARGET_URL");
        let external = target.is_some();
        let ops = env("LOAD_OPS").unwrap_or_else(|| {
            if external {
                "password"
            } else {
                "srp,password,refresh,getuser"
            }
            .into()
        });
        let concurrency = env("LOAD_CONCURRENCY")
            .unwrap_or_else(|| if external { "1,16" } else { "1,2,4,16,64" }.into());
        Self {
            seconds: env_num("LOAD_SECONDS", 2.0),
            warmup: Duration::from_millis(env_num("LOAD_WARMUP_MS", 300)),
            stores: env("LOAD_STORES")
                .unwrap_or_else(|| "memory,sqlite,postgres".into())
                .split(',')
                .map(|s| s.trim().to_owned())
                .collect(),
            ops: ops.split(',').filter_map(Op::parse).collect(),
            concurrency: concurrency
                .split(',')
                .filter_map(|c| c.trim().parse().ok())
                .filter(|c| *c > 0)
                .collect(),
            paced: env_num("LOAD_PACED", 1) != 0,
            soak_seconds: env_num("LOAD_SOAK_SECONDS", 0),
            soak_clients: env_num("LOAD_SOAK_CLIENTS", 16),
            soak_sample: env_num("LOAD_SOAK_SAMPLE", 10).max(1),
            quiet_wait: Duration::from_secs(env_num("LOAD_QUIET_WAIT", 0)),
            target,
            region: env("LOAD_REGION").unwrap_or_else(|| "us-east-1".into()),
        }
    }

    fn users(&self) -> usize {
        let most = self.concurrency.iter().copied().max().unwrap_or(1);
        most.max(if self.soak_seconds > 0 {
            self.soak_clients
        } else {
            1
        })
    }

    fn window(&self) -> Duration {
        Duration::from_secs_f64(self.seconds.max(0.1))
    }
}

/// The machine's 1/5/15-minute load averages (other work on the cores skews the numbers).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn runtime(threads: usize) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The store named `name`, opened on `rt`, and what to clean up afterwards.
enum Opened {
    Memory,
    Sqlite(std::path::PathBuf),
    Postgres(String, String),
}

fn open_store(rt: &Runtime, name: &str) -> Option<(Arc<dyn Store>, Opened)> {
    match name {
        "memory" => Some((Arc::new(MemoryStore::new()), Opened::Memory)),
        "sqlite" => {
            let dir = std::env::temp_dir().join(format!("userpool-load-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("a temp dir");
            let url = format!("sqlite:{}", dir.join("load.db").display());
            let store = rt
                .block_on(SqlStoreOptions::new(url).connect())
                .expect("SQLite opens");
            Some((Arc::new(store), Opened::Sqlite(dir)))
        }
        "postgres" => {
            let Some(url) =
                env("USERPOOL_TEST_POSTGRES_URL").or_else(|| env("USERPOOL_BENCH_POSTGRES_URL"))
            else {
                println!("postgres skipped: set USERPOOL_TEST_POSTGRES_URL to include it");
                return None;
            };
            let schema = format!("up_load_{}", std::process::id());
            let store = rt
                .block_on(
                    SqlStoreOptions::new(url.clone())
                        .schema(schema.clone())
                        .connect(),
                )
                .expect("PostgreSQL opens");
            Some((Arc::new(store), Opened::Postgres(url, schema)))
        }
        other => {
            println!("unknown store {other:?} skipped (memory, sqlite, postgres)");
            None
        }
    }
}

fn clean_up(rt: &Runtime, opened: Opened) {
    match opened {
        Opened::Memory => {}
        Opened::Sqlite(dir) => {
            let _ = std::fs::remove_dir_all(dir);
        }
        Opened::Postgres(url, schema) => rt.block_on(async {
            use sqlx::Executor as _;
            sqlx::any::install_default_drivers();
            if let Ok(pool) = sqlx::AnyPool::connect(&url).await {
                let _ = pool
                    .execute(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE").as_str())
                    .await;
            }
        }),
    }
}

/// The service and `userpool-http` router on 127.0.0.1:0 inside `rt`; returns the service,
/// the endpoint and the server task.
fn serve(
    rt: &Runtime,
    store: Arc<dyn Store>,
    region: &str,
) -> (Service, String, tokio::task::JoinHandle<()>) {
    let service = Service::builder(store, MasterKey::new([7; 32]))
        .region(region)
        .build()
        .expect("the service builds");
    let config = userpool_http::HttpConfig::default()
        .admin_credentials(vec![userpool_http::AdminCredentials::new(
            ADMIN_KEY,
            ADMIN_SECRET,
        )])
        .rate_limits(userpool_http::RateLimits::off());
    let app: axum::Router = userpool_http::router_with(service.clone(), config);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    // As `userpool-server` serves (TCP_NODELAY on each connection); `LOAD_NODELAY=0` for
    // the kernel's default.
    let nodelay = env_num("LOAD_NODELAY", 1u8) == 1;
    let task = rt.spawn(async move {
        use axum::serve::ListenerExt as _;
        let listener = listener.tap_io(move |tcp| {
            if nodelay {
                let _ = tcp.set_nodelay(true);
            }
        });
        let _ = axum::serve(listener, app).await;
    });
    (service, url, task)
}

/// Creates the pool and users through `transport` and signs every session in.
fn prepare(rt: &Runtime, transport: &Transport, cfg: &Config) -> (BenchPool, Vec<Session>) {
    rt.block_on(async {
        let pool = create_pool(transport, cfg.users())
            .await
            .unwrap_or_else(|e| panic!("setting up the bench pool failed: {e}"));
        let mut sessions = Vec::new();
        for username in &pool.users {
            let mut session = Session {
                username: username.clone(),
                refresh_token: String::new(),
                access_token: String::new(),
            };
            sign_in_session(transport, &pool, &mut session)
                .await
                .unwrap_or_else(|e| panic!("the first sign-in of {username} failed: {e}"));
            sessions.push(session);
        }
        (pool, sessions)
    })
}

/// The matrix for one target: per operation the facade (when given), each concurrency, and
/// the paced cell.
#[allow(clippy::too_many_arguments)]
fn matrix(
    cfg: &Config,
    name: &str,
    client_rt: &Runtime,
    facade: Option<(&Runtime, Service)>,
    transport: Arc<Transport>,
    pool: Arc<BenchPool>,
    sessions: &mut [Session],
    rows: &mut Vec<Row>,
) {
    let mut seed = 1;
    let mut cell = |rt: &Runtime, transport: Arc<Transport>, op, mode, sessions: &mut [Session]| {
        let (clients, pace) = match mode {
            Mode::Facade => (1, None),
            Mode::Http(n) => (n, None),
            Mode::Paced(n, rate) => (n, Some(rate)),
        };
        let c = Cell {
            op,
            clients,
            warmup: cfg.warmup,
            window: cfg.window(),
            pace,
        };
        // With LOAD_QUIET_WAIT, a cell during which other processes took more than a
        // quarter of a core is printed, marked, and run again (up to 3 times).
        let mut attempt = 0;
        let row = loop {
            attempt += 1;
            seed += 1;
            if !cfg.quiet_wait.is_zero() {
                wait_quiet(cfg.quiet_wait);
            }
            let stats = rt.block_on(run_cell(transport.clone(), pool.clone(), sessions, c, seed));
            let row = Row {
                store: name.to_owned(),
                op,
                mode,
                stats,
            };
            if cfg.quiet_wait.is_zero() || attempt >= 3 || row.stats.others_share() < 0.25 {
                break row;
            }
            print!("(disturbed, run again) ");
            print_row(&row);
        };
        print_row(&row);
        let rate = row.stats.rate();
        rows.push(row);
        rate
    };
    for &op in &cfg.ops {
        if let Some((rt, service)) = &facade {
            let t = Arc::new(Transport::Facade(service.clone()));
            cell(rt, t, op, Mode::Facade, sessions);
        }
        let mut saturation: f64 = 0.0;
        for &n in &cfg.concurrency {
            let rate = cell(client_rt, transport.clone(), op, Mode::Http(n), sessions);
            saturation = saturation.max(rate);
        }
        let clients = cfg.concurrency.iter().copied().max().unwrap_or(1);
        if cfg.paced && saturation > 0.0 {
            let mode = Mode::Paced(clients, saturation * 0.8);
            cell(client_rt, transport.clone(), op, mode, sessions);
        }
    }
}

fn soak_run(
    cfg: &Config,
    name: &str,
    client_rt: &Runtime,
    t: Arc<Transport>,
    pool: BenchPool,
    sessions: &[Session],
) {
    println!(
        "\nSoak on {name}: {} clients cycling {:?} for {} s, sampling every {} s",
        cfg.soak_clients,
        cfg.ops.iter().map(|o| o.name()).collect::<Vec<_>>(),
        cfg.soak_seconds,
        cfg.soak_sample
    );
    let curve = client_rt.block_on(soak(
        t,
        Arc::new(pool),
        sessions,
        &cfg.ops,
        cfg.soak_clients,
        Duration::from_secs(cfg.soak_seconds),
        Duration::from_secs(cfg.soak_sample),
    ));
    let first = curve.get(1).or_else(|| curve.first()).map_or(0, |c| c.1);
    let last = curve.last().map_or(0, |c| c.1);
    let peak = curve.iter().map(|c| c.1).max().unwrap_or(0);
    println!(
        "VmRSS: first sample {:.1} MiB, last {:.1} MiB, peak {:.1} MiB ({:+.1} MiB first → last)",
        first as f64 / 1024.0,
        last as f64 / 1024.0,
        peak as f64 / 1024.0,
        (last as f64 - first as f64) / 1024.0
    );
}

fn main() {
    let cfg = Config::from_env();
    let server_rt = runtime(env_num("LOAD_SERVER_THREADS", 2));
    let client_rt = runtime(env_num("LOAD_CLIENT_THREADS", 2));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "load bench: {cores} cores shared by client and server; {} s per cell after {} ms \
         warm-up; VmRSS at start {:.1} MiB; load average {}",
        cfg.seconds,
        cfg.warmup.as_millis(),
        vm_rss_kib().unwrap_or(0) as f64 / 1024.0,
        load_average()
    );
    let mut rows = Vec::new();
    if let Some(url) = &cfg.target {
        let name = env("LOAD_TARGET_NAME").unwrap_or_else(|| url.clone());
        let admin = env("LOAD_ADMIN").unwrap_or_else(|| "load:load".into());
        let signer = Signer::parse(&admin, &cfg.region);
        let transport = Arc::new(Transport::http(url, signer));
        let (pool, mut sessions) = prepare(&client_rt, &transport, &cfg);
        if cfg.soak_seconds > 0 {
            soak_run(&cfg, &name, &client_rt, transport, pool, &sessions);
            return;
        }
        print_header();
        let pool = Arc::new(pool);
        #[rustfmt::skip]
        matrix(&cfg, &name, &client_rt, None, transport, pool, &mut sessions, &mut rows);
    } else {
        let signer = Signer::parse(&format!("{ADMIN_KEY}:{ADMIN_SECRET}"), &cfg.region);
        let mut header_printed = false;
        for store_name in &cfg.stores {
            let Some((store, opened)) = open_store(&server_rt, store_name) else {
                continue;
            };
            println!("{store_name}: load average {}", load_average());
            let (service, url, task) = serve(&server_rt, store, &cfg.region);
            let transport = Arc::new(Transport::http(&url, signer.clone()));
            let (pool, mut sessions) = prepare(&client_rt, &transport, &cfg);
            if cfg.soak_seconds > 0 {
                // As `userpool-server` does: expired codes and markers purged every minute.
                let maintenance = service;
                let purge = server_rt.spawn(async move {
                    let mut tick = tokio::time::interval(Duration::from_secs(60));
                    loop {
                        tick.tick().await;
                        let _ = maintenance.purge_expired().await;
                    }
                });
                soak_run(&cfg, store_name, &client_rt, transport, pool, &sessions);
                purge.abort();
                task.abort();
                clean_up(&server_rt, opened);
                return;
            }
            if !header_printed {
                print_header();
                header_printed = true;
            }
            let pool = Arc::new(pool);
            let facade = Some((&server_rt, service));
            #[rustfmt::skip]
            matrix(&cfg, store_name, &client_rt, facade, transport, pool, &mut sessions, &mut rows);
            task.abort();
            clean_up(&server_rt, opened);
        }
    }
    userpool_benches::load_report::print_summary(&rows);
    print_client_math(&rows);
    println!("load average at the end: {}", load_average());
}
