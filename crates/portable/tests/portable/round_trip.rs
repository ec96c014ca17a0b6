//! Dumps that move: SQLite → PostgreSQL under one master key, and memory → memory under a
//! passphrase to a service with another master key.

use std::sync::Arc;

use userpool::{FixedClock, Keyring, MasterKey};
use userpool_portable::{ExportSecrets, KdfCosts, Passphrase, export, import, read};
use userpool_store::{MemoryStore, Store};
use userpool_store_sql::SqlStoreOptions;

use crate::support::*;

const KEY: [u8; 32] = [0x11; 32];

/// Cheap Argon2 costs: the tests are about the format, not the work factor.
const CHEAP: KdfCosts = KdfCosts {
    memory_kib: 256,
    iterations: 1,
    parallelism: 1,
};

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

async fn sqlite() -> Arc<dyn Store> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("portable-sqlite");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{}.db", unique("source")));
    Arc::new(
        SqlStoreOptions::new(format!("sqlite:{}", path.display()))
            .connect()
            .await
            .expect("sqlite"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_to_postgres_keeps_passwords_totp_groups_and_secrets() {
    let Ok(url) = std::env::var("USERPOOL_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED: USERPOOL_TEST_POSTGRES_URL is not set, so the SQLite → PostgreSQL round trip did not run"
        );
        return;
    };
    let clock = Arc::new(FixedClock::new(NOW));
    let source_store = sqlite().await;
    let source_service = service(source_store.clone(), KEY, clock.clone());
    let source = populate(&source_service, &clock).await;

    let mut dump = Vec::new();
    let written = export(
        source_store.as_ref(),
        &mut dump,
        ExportSecrets::AsStored,
        NOW,
    )
    .await
    .expect("export");
    assert_eq!(
        written.describe(),
        "2 client, 1 group, 1 membership, 1 pool, 1 signing_keys, 1 user"
    );
    let text = String::from_utf8(dump.clone()).expect("utf-8");
    assert!(text.starts_with(
        r#"{"format":"userpool-export","version":1,"created":1767225600,"generator":"userpool-portable 0.1.0","secrets":{"sealed_under":"master_key"}}"#
    ));
    assert!(
        text.ends_with("{\"kind\":\"end\",\"records\":7}\n"),
        "{text}"
    );
    assert!(
        !text.contains(&source.confidential.1),
        "no secret in plaintext"
    );

    let target_store: Arc<dyn Store> = Arc::new(
        SqlStoreOptions::new(url)
            .schema(unique("up_t_portable"))
            .connect()
            .await
            .expect("postgres"),
    );
    let read_back = read(&mut dump.as_slice()).expect("read");
    assert_eq!(read_back.summary.counts, written.counts);
    let imported = import(
        target_store.as_ref(),
        read_back,
        Keyring::from(MasterKey::new(KEY)),
        None,
        [5; 32],
    )
    .await
    .expect("import");
    assert_eq!(imported.records, 7);
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);

    let target = service(target_store.clone(), KEY, clock.clone());
    assert_everything_moved(&target, &clock, &source).await;

    // Same JWKS: tokens the source signed verify on the target.
    let before = source_service.user_pool(&source.pool).await.expect("pool");
    let after = target.user_pool(&source.pool).await.expect("pool");
    assert_eq!(before.jwks().to_json(), after.jwks().to_json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_stored_round_trip_in_memory() {
    let clock = Arc::new(FixedClock::new(NOW));
    let source_store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let source = populate(&service(source_store.clone(), KEY, clock.clone()), &clock).await;
    let mut dump = Vec::new();
    export(
        source_store.as_ref(),
        &mut dump,
        ExportSecrets::AsStored,
        NOW,
    )
    .await
    .expect("export");
    let target_store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    import(
        target_store.as_ref(),
        read(&mut dump.as_slice()).expect("read"),
        MasterKey::new(KEY).into(),
        None,
        [5; 32],
    )
    .await
    .expect("import");
    let target = service(target_store, KEY, clock.clone());
    assert_everything_moved(&target, &clock, &source).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portable_dump_moves_to_a_service_with_another_master_key() {
    let clock = Arc::new(FixedClock::new(NOW));
    let source_store = sqlite().await;
    let source = populate(&service(source_store.clone(), KEY, clock.clone()), &clock).await;
    let passphrase = Passphrase::new("a long and private passphrase\n").expect("passphrase");
    let mut dump = Vec::new();
    export(
        source_store.as_ref(),
        &mut dump,
        ExportSecrets::Portable {
            source: MasterKey::new(KEY).into(),
            passphrase: &passphrase,
            costs: CHEAP,
            seed: [3; 32],
        },
        NOW,
    )
    .await
    .expect("export");
    let header = String::from_utf8(dump.clone()).expect("utf-8");
    let header = header.lines().next().expect("header");
    assert!(
        header.contains(
            r#""secrets":{"sealed_under":"passphrase","kdf":"argon2id","memory_kib":256,"iterations":1,"parallelism":1,"salt":"#
        ),
        "{header}"
    );

    let other_key = [0x22; 32];
    let target_store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    import(
        target_store.as_ref(),
        read(&mut dump.as_slice()).expect("read"),
        MasterKey::new(other_key).into(),
        Some(&Passphrase::new("a long and private passphrase").expect("passphrase")),
        [6; 32],
    )
    .await
    .expect("import");
    let target = service(target_store, other_key, clock.clone());
    assert_everything_moved(&target, &clock, &source).await;
}
