//! `userpool-store-sql` on SQLite and on PostgreSQL, each holding 1,000,000 users: ListUsers
//! `email ^= "user12"` (first page), a refresh-token rotation, and the store's share of a
//! sign-up and of a full USER_SRP_AUTH sign-in through the facade (that store's facade time
//! minus `MemoryStore`'s in the same run: everything else — SRP, RS256, sealing — is equal).
//!
//! ```sh
//! cargo bench -p userpool-benches --bench store_sql
//! USERPOOL_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p userpool-benches --bench store_sql       # adds PostgreSQL
//! ```
//!
//! SQLite runs with the server's settings (WAL, `synchronous=FULL`: every commit is on disk).
//! PostgreSQL gets a fresh schema, dropped afterwards.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::Criterion;
use user_pool_model::{CaseRule, Filter, PoolConfig, User, UserPoolId};
use userpool_benches::facade::Fixture;
use userpool_benches::{criterion_dir, human, median_ns, population_user};
use userpool_store::UserStore as _;
use userpool_store::{PoolStore as _, RefreshFamily, RefreshTokenStore as _, UserKeys, UserQuery};
use userpool_store_sql::SqlStoreOptions;

const USERS: u64 = 1_000_000;
const BATCH: u64 = 20_000;

fn hash(n: u64) -> [u8; 32] {
    let mut h = [0u8; 32];
    h[..8].copy_from_slice(&n.to_be_bytes());
    h[31] = 1;
    h
}

/// One engine's run: loads the users, then its four measurements.
fn engine(c: &mut Criterion, name: &str, options: SqlStoreOptions) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let store = runtime
        .block_on(options.connect())
        .expect("the store opens");
    let mut pool = PoolConfig::new(
        UserPoolId::parse("us-east-1_Bench0001").expect("id"),
        "bench",
    )
    .expect("pool");
    pool.case_rule = CaseRule::Insensitive;
    pool.alias_attributes = vec!["email".into()];
    runtime
        .block_on(store.create_pool(pool.clone()))
        .expect("pool");
    let start = Instant::now();
    for first in (0..USERS).step_by(BATCH as usize) {
        let batch: Vec<(User, UserKeys)> = (first..(first + BATCH).min(USERS))
            .map(|i| {
                let u = population_user(i);
                let keys = UserKeys::for_user(&u, &pool);
                (u, keys)
            })
            .collect();
        runtime
            .block_on(store.insert_users(&pool.id, &batch))
            .expect("load");
    }
    println!("{name}: {USERS} users loaded in {:?}", start.elapsed());
    let group = format!("store_sql_{name}");

    let query = UserQuery {
        filter: Filter::parse(r#"email ^= "user12""#).expect("filter"),
        limit: 60,
        token: None,
    };
    c.benchmark_group(&group)
        .bench_function("list_users_email_prefix_first_page", |b| {
            b.iter(|| {
                let page = runtime
                    .block_on(store.list_users(&pool.id, black_box(&query)))
                    .expect("list");
                assert_eq!(page.items.len(), 60);
                page
            })
        });

    runtime
        .block_on(
            store.create_family(
                &pool.id,
                RefreshFamily {
                    id: "bench-family".into(),
                    user: CaseRule::Sensitive.username_key("user1"),
                    client_id: user_pool_model::ClientId::parse("1example23456789abcdefghij")
                        .expect("client id"),
                    origin_jti: "origin".into(),
                    device_key: None,
                    auth_time: 0,
                    token_hash: hash(0),
                    previous: None,
                    created: 0,
                    expires_at: i64::MAX,
                    revoked: false,
                    scopes: None,
                },
            ),
        )
        .expect("family");
    let mut n = 0u64;
    c.benchmark_group(&group)
        .bench_function("refresh_rotation", |b| {
            b.iter(|| {
                let found = runtime
                    .block_on(store.find_family(&pool.id, &hash(n)))
                    .expect("find")
                    .expect("family");
                runtime
                    .block_on(store.rotate_family(&pool.id, &found.id, &hash(n), hash(n + 1), 0))
                    .expect("rotate");
                n += 1;
            })
        });

    let store: Arc<dyn userpool_store::Store> = Arc::new(store);
    let mut f = Fixture::new(runtime, store);
    c.benchmark_group(&group)
        .bench_function("facade_sign_up", |b| {
            b.iter_custom(|iterations| (0..iterations).map(|_| f.sign_up()).sum())
        });
    c.benchmark_group(&group)
        .bench_function("facade_sign_in", |b| {
            b.iter_custom(|iterations| (0..iterations).map(|_| f.sign_in()).sum())
        });
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .configure_from_args();

    let mut memory = Fixture::in_memory();
    c.benchmark_group("store_sql_memory")
        .bench_function("facade_sign_up", |b| {
            b.iter_custom(|iterations| (0..iterations).map(|_| memory.sign_up()).sum())
        });
    c.benchmark_group("store_sql_memory")
        .bench_function("facade_sign_in", |b| {
            b.iter_custom(|iterations| (0..iterations).map(|_| memory.sign_in()).sum())
        });

    let dir = criterion_dir().join("store-sql-bench");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    let sqlite = SqlStoreOptions::new(format!("sqlite:{}", dir.join("bench.db").display()));
    engine(&mut c, "sqlite", sqlite);
    let mut engines = vec!["sqlite"];
    let schema = format!("up_bench_{}", std::process::id());
    let postgres_url = std::env::var("USERPOOL_BENCH_POSTGRES_URL").ok();
    match &postgres_url {
        Some(url) => {
            engine(
                &mut c,
                "postgres",
                SqlStoreOptions::new(url.clone()).schema(schema.clone()),
            );
            engines.push("postgres");
        }
        None => println!(
            "PostgreSQL skipped: set USERPOOL_BENCH_POSTGRES_URL to measure it in the same run"
        ),
    }
    c.final_summary();

    let memory_up = median_ns("store_sql_memory", "facade_sign_up").unwrap_or(0.0);
    let memory_in = median_ns("store_sql_memory", "facade_sign_in").unwrap_or(0.0);
    println!(
        "\nMemoryStore facade: sign-up {}, sign-in {}",
        human(memory_up),
        human(memory_in)
    );
    println!(
        "{:<9} {:>14} {:>14} {:>26} {:>30}",
        "engine", "ListUsers ^=", "rotation", "sign-up: store part", "sign-in: store part (share)"
    );
    for e in engines {
        let group = format!("store_sql_{e}");
        let get = |f: &str| median_ns(&group, f).unwrap_or(f64::NAN);
        let (list, rot, up, sign_in) = (
            get("list_users_email_prefix_first_page"),
            get("refresh_rotation"),
            get("facade_sign_up"),
            get("facade_sign_in"),
        );
        let store_in = (sign_in - memory_in).max(0.0);
        println!(
            "{e:<9} {:>14} {:>14} {:>26} {:>30}",
            human(list),
            human(rot),
            format!("{} of {}", human((up - memory_up).max(0.0)), human(up)),
            format!(
                "{} of {} ({:.1} %)",
                human(store_in),
                human(sign_in),
                100.0 * store_in / sign_in
            ),
        );
    }
    println!("target: ListUsers ^= first page < 5 ms (p50) with 1,000,000 users");

    if let Some(url) = postgres_url {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
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
