//! A whole sign-in through the facade on each store: USER_SRP_AUTH (InitiateAuth +
//! RespondToAuthChallenge) and REFRESH_TOKEN_AUTH on `MemoryStore`, SQLite and (when
//! `USERPOOL_BENCH_POSTGRES_URL` is set) PostgreSQL, with the SQL statements each sends and
//! its ratio to `MemoryStore` in the same run. Server time only: the client's SRP work runs
//! between the timed calls.
//!
//! ```sh
//! cargo bench -p userpool-benches --bench signin_sql
//! USERPOOL_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p userpool-benches --bench signin_sql
//! ```
//!
//! SQLite runs with the server's settings (WAL, `synchronous=FULL`: every commit is on disk);
//! PostgreSQL with its defaults (`synchronous_commit=on`), in a fresh schema dropped after.

use std::sync::Arc;

use criterion::Criterion;
use user_pool_model::{ClientId, UserPoolId};
use userpool_benches::facade::Fixture;
use userpool_benches::statements;
use userpool_benches::{criterion_dir, human, median_ns, ratio};
use userpool_store::Store;
use userpool_store_sql::SqlStoreOptions;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Measures one store: statements per operation, then criterion's medians — of the sign-in,
/// the refresh, and single store reads (where the SQL share goes).
fn engine(c: &mut Criterion, name: &str, store: Arc<dyn Store>, mut f: Fixture) -> (f64, f64) {
    // Warm: the pool's signing keys, caches, prepared statements.
    for _ in 0..3 {
        f.sign_in();
        f.refresh();
    }
    // Over ten of each: a connection opened (and set up) on the way counts a tenth.
    let (sign_in, _) =
        statements::count(|| (0..10).map(|_| f.sign_in()).sum::<std::time::Duration>());
    let (refresh, _) =
        statements::count(|| (0..10).map(|_| f.refresh()).sum::<std::time::Duration>());
    let (sign_in, refresh) = (sign_in as f64 / 10.0, refresh as f64 / 10.0);
    let group = format!("signin_sql_{name}");
    c.benchmark_group(&group)
        .bench_function("srp_sign_in", |b| {
            b.iter_custom(|n| (0..n).map(|_| f.sign_in()).sum())
        });
    c.benchmark_group(&group).bench_function("refresh", |b| {
        b.iter_custom(|n| (0..n).map(|_| f.refresh()).sum())
    });
    let pool = UserPoolId::parse(&f.pool).expect("pool id");
    let client = ClientId::parse(&f.client).expect("client id");
    c.benchmark_group(&group).bench_function("read_user", |b| {
        b.iter(|| {
            f.runtime
                .block_on(store.get_user(
                    &pool,
                    &user_pool_model::CaseRule::Sensitive.username_key("alice"),
                ))
                .expect("user")
        })
    });
    c.benchmark_group(&group)
        .bench_function("read_client_and_pool", |b| {
            b.iter(|| {
                f.runtime
                    .block_on(store.find_client(&client))
                    .expect("client")
            })
        });
    c.benchmark_group(&group)
        .bench_function("read_lockout", |b| {
            b.iter(|| {
                f.runtime
                    .block_on(store.lockout_state(&pool, "alice"))
                    .expect("lockout")
            })
        });
    (sign_in, refresh)
}

fn main() {
    statements::install();
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(40)
        .configure_from_args();
    let memory: Arc<dyn Store> = Arc::new(userpool_store::MemoryStore::new());
    let f = Fixture::new(runtime(), memory.clone());
    let mut rows = vec![("memory", engine(&mut c, "memory", memory, f))];

    let dir = criterion_dir().join("signin-sql-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let rt = runtime();
    let sqlite = rt
        .block_on(
            SqlStoreOptions::new(format!("sqlite:{}", dir.join("bench.db").display())).connect(),
        )
        .expect("sqlite");
    let store: Arc<dyn Store> = Arc::new(sqlite);
    let f = Fixture::new(rt, store.clone());
    rows.push(("sqlite", engine(&mut c, "sqlite", store, f)));

    let schema = format!("up_signin_{}", std::process::id());
    let postgres_url = std::env::var("USERPOOL_BENCH_POSTGRES_URL").ok();
    match &postgres_url {
        Some(url) => {
            let rt = runtime();
            let pg = rt
                .block_on(
                    SqlStoreOptions::new(url.clone())
                        .schema(schema.clone())
                        .connect(),
                )
                .expect("postgres");
            let store: Arc<dyn Store> = Arc::new(pg);
            let f = Fixture::new(rt, store.clone());
            rows.push(("postgres", engine(&mut c, "postgres", store, f)));
        }
        None => println!("PostgreSQL skipped: set USERPOOL_BENCH_POSTGRES_URL to measure it"),
    }
    c.final_summary();

    let get = |e: &str, f: &str| median_ns(&format!("signin_sql_{e}"), f).unwrap_or(f64::NAN);
    let (mem_in, mem_refresh) = (get("memory", "srp_sign_in"), get("memory", "refresh"));
    println!("\nA sign-in through the facade per store (criterion medians, same run)");
    println!(
        "{:<9} {:>12} {:>10} {:>11} {:>12} {:>10} {:>11}",
        "store", "SRP sign-in", "/memory", "statements", "refresh", "/memory", "statements"
    );
    for (e, (s_in, s_refresh)) in rows {
        let (sign_in, refresh) = (get(e, "srp_sign_in"), get(e, "refresh"));
        println!(
            "{e:<9} {:>12} {:>10} {:>11.1} {:>12} {:>10} {:>11.1}",
            human(sign_in),
            ratio(sign_in, mem_in),
            s_in,
            human(refresh),
            ratio(refresh, mem_refresh),
            s_refresh
        );
    }
    println!("target: SQLite and PostgreSQL ≤ 1.25× memory for both");
    println!("\nOne store read (median): user by name, client with its pool, lockout counter");
    for e in ["memory", "sqlite", "postgres"] {
        let (user, client, lockout) = (
            get(e, "read_user"),
            get(e, "read_client_and_pool"),
            get(e, "read_lockout"),
        );
        if user.is_nan() {
            continue;
        }
        println!(
            "{e:<9} {:>12} {:>12} {:>12}",
            human(user),
            human(client),
            human(lockout)
        );
    }

    if let Some(url) = postgres_url {
        runtime().block_on(async {
            use sqlx::Executor as _;
            sqlx::any::install_default_drivers();
            if let Ok(pool) = sqlx::AnyPool::connect(&url).await {
                let _ = pool
                    .execute(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE").as_str())
                    .await;
            }
        });
    }
}
