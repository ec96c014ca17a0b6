//! `MemoryStore` at 1,000,000 users: ListUsers `email ^= "user12"` (first page), lookup by
//! alias, and resident memory per user (8 attributes and a password record each: a 16-byte
//! salt and a 432-byte sealed verifier, as the facade stores them), measured from the
//! process's RSS.
//!
//! ```sh
//! cargo bench -p userpool-benches --bench store
//! ```

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::Criterion;
use user_pool_model::{CaseRule, Filter, PasswordRecord, PoolConfig, UserPoolId};
use userpool_benches::{criterion_dir, human, median_ns, population_user};
use userpool_store::{MemoryStore, PoolStore, Store, UserKeys, UserQuery, UserStore};

const USERS: u64 = 1_000_000;

/// Polls a future that `MemoryStore` completes without waiting.
fn ready<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Resident set size in bytes (Linux), 0 elsewhere.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u64>().ok())
        })
        .map_or(0, |pages| pages * 4096)
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(50)
        .configure_from_args();
    let mut pool = PoolConfig::new(
        UserPoolId::parse("us-east-1_Bench0001").expect("id"),
        "bench",
    )
    .expect("pool");
    pool.case_rule = CaseRule::Insensitive;
    pool.alias_attributes = vec!["email".into()];
    let store = MemoryStore::new();
    ready(store.create_pool(pool.clone())).expect("pool");
    let before = rss();
    let start = std::time::Instant::now();
    for i in 0..USERS {
        let mut u = population_user(i);
        u.password = Some(PasswordRecord {
            salt: (i..i + 16).map(|b| b as u8).collect(),
            verifier: (0..432u64).map(|b| (b * 7 + i) as u8).collect(),
            set_at: 1_700_000_000,
            expires_at: None,
        });
        let keys = UserKeys::for_user(&u, &pool);
        ready(store.insert_user(&pool.id, u, &keys)).expect("insert");
    }
    let loaded = start.elapsed();
    let per_user = (rss().saturating_sub(before)) as f64 / USERS as f64;
    let store: &dyn Store = &store;

    let query = UserQuery {
        filter: Filter::parse(r#"email ^= "user12""#).expect("filter"),
        limit: 60,
        token: None,
    };
    c.benchmark_group("store_1m")
        .bench_function("list_users_email_prefix_first_page", |b| {
            b.iter(|| {
                let page = ready(store.list_users(&pool.id, black_box(&query))).expect("list");
                assert_eq!(page.items.len(), 60);
                page
            })
        });
    let mut i = 0u64;
    c.benchmark_group("store_1m")
        .bench_function("find_by_alias", |b| {
            b.iter(|| {
                i = (i + 7919) % USERS;
                let email = format!("user{i}@example.com");
                ready(store.find_by_alias(&pool.id, "email", black_box(&email)))
                    .expect("find")
                    .expect("user")
            })
        });
    c.benchmark_group("store_1m")
        .bench_function("get_user", |b| {
            b.iter(|| {
                i = (i + 7919) % USERS;
                let name = CaseRule::Sensitive.username_key(&format!("user{i}"));
                ready(store.get_user(&pool.id, black_box(&name)))
                    .expect("get")
                    .expect("user")
            })
        });
    c.final_summary();
    println!("\nMemoryStore with {USERS} users (8 attributes each), loaded in {loaded:?}");
    for (name, target) in [
        ("list_users_email_prefix_first_page", "< 1 ms"),
        ("find_by_alias", "< 2 µs"),
        ("get_user", ""),
    ] {
        if let Some(ns) = median_ns("store_1m", name) {
            println!("  {name:<38} median {:>10}   target {target}", human(ns));
        }
    }
    println!("  resident memory per user               {per_user:>10.0} B   target < 2048 B");
}
