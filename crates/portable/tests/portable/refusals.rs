//! Every way a dump or a target can be wrong: a typed error, nothing written, no panic.

use std::sync::Arc;

use userpool::{FixedClock, Keyring, MasterKey};
use userpool_portable::{ExportSecrets, KdfCosts, Passphrase, PortableError, export, import, read};
use userpool_store::{FaultyStore, MemoryStore, Store};

use crate::support::*;

const KEY: [u8; 32] = [0x33; 32];

async fn dump(secrets: ExportSecrets<'_>) -> Vec<u8> {
    let clock = Arc::new(FixedClock::new(NOW));
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    populate(&service(store.clone(), KEY, clock.clone()), &clock).await;
    let mut out = Vec::new();
    export(store.as_ref(), &mut out, secrets, NOW)
        .await
        .expect("export");
    out
}

fn key() -> Keyring {
    MasterKey::new(KEY).into()
}

async fn assert_empty(store: &dyn Store) {
    assert!(store.list_pools(10, None).await.unwrap().items.is_empty());
}

fn lines(dump: &[u8]) -> Vec<String> {
    String::from_utf8(dump.to_vec())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn join(lines: &[String]) -> Vec<u8> {
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

fn read_err(bytes: &[u8]) -> String {
    read(&mut &bytes[..]).unwrap_err().to_string()
}

#[tokio::test]
async fn broken_files_are_refused_with_what_is_wrong() {
    let good = dump(ExportSecrets::AsStored).await;
    let all = lines(&good);
    let n = all.len();
    assert_eq!(n, 9, "header, 7 records, end");

    // Cut at every line boundary and inside every line.
    for keep in 1..n {
        let cut = join(&all[..keep]);
        assert_eq!(
            read_err(&cut),
            format!(
                "the dump is truncated: it ends after {} record(s) without its end record",
                keep - 1
            )
        );
    }
    for at in [good.len() / 3, good.len() / 2, good.len() - 5] {
        let e = read(&mut &good[..at]).unwrap_err();
        assert!(matches!(e, PortableError::Truncated { .. }), "{at}: {e}");
    }
    assert_eq!(
        read_err(b""),
        "not a userpool export (the first line is not a userpool-export header)"
    );
    assert_eq!(
        read_err(b"id,name\n1,alice\n"),
        "not a userpool export (the first line is not a userpool-export header)"
    );

    let mut newer = all.clone();
    newer[0] = newer[0].replace("\"version\":1", "\"version\":2");
    assert_eq!(
        read_err(&join(&newer)),
        "unsupported export version 2 (this build reads version 1)"
    );

    let mut garbled = all.clone();
    garbled[3] = garbled[3].replacen('{', "{{", 1);
    let e = read_err(&join(&garbled));
    assert!(e.starts_with("line 4: key must be a string"), "{e}");

    let mut unknown = all.clone();
    unknown[2] = r#"{"kind":"session","id":"x"}"#.into();
    let e = read_err(&join(&unknown));
    assert!(e.starts_with("line 3: unknown variant `session`"), "{e}");

    let mut miscounted = all.clone();
    miscounted[n - 1] = r#"{"kind":"end","records":6}"#.into();
    assert_eq!(
        read_err(&join(&miscounted)),
        "the dump's end record counts 6 record(s) but the dump holds 7"
    );

    let mut trailing = all.clone();
    trailing.push(r#"{"kind":"end","records":0}"#.into());
    assert_eq!(
        read_err(&join(&trailing)),
        format!("line {}: a line after the end record", n + 1)
    );

    // A membership of a user the dump does not hold.
    let membership = all
        .iter()
        .position(|l| l.contains("\"kind\":\"membership\""))
        .unwrap();
    let mut dangling = all.clone();
    dangling[membership] =
        dangling[membership].replace("\"username\":\"alice\"", "\"username\":\"bob\"");
    assert_eq!(
        read_err(&join(&dangling)),
        format!(
            "line {}: membership names user bob, which no earlier line holds",
            membership + 1
        )
    );
    // A record of a pool no earlier line holds.
    let mut orphan = all.clone();
    orphan.remove(1);
    let e = read_err(&join(&orphan));
    assert!(e.contains("which no earlier line holds"), "{e}");

    let target: Arc<dyn Store> = Arc::new(MemoryStore::new());
    assert_empty(target.as_ref()).await;
}

#[tokio::test]
async fn a_non_empty_target_is_refused() {
    let good = dump(ExportSecrets::AsStored).await;
    let target: Arc<dyn Store> = Arc::new(MemoryStore::new());
    import(
        target.as_ref(),
        read(&mut good.as_slice()).unwrap(),
        key(),
        None,
        [1; 32],
    )
    .await
    .expect("first import");
    let pool = target.list_pools(10, None).await.unwrap().items[0]
        .id
        .clone();
    let again = import(
        target.as_ref(),
        read(&mut good.as_slice()).unwrap(),
        key(),
        None,
        [1; 32],
    )
    .await
    .unwrap_err();
    assert_eq!(
        again.to_string(),
        format!(
            "the target store is not empty (it holds user pool {}): import only into an empty store",
            pool.as_str()
        )
    );
}

#[tokio::test]
async fn secrets_that_do_not_open_are_refused_before_anything_is_written() {
    let good = dump(ExportSecrets::AsStored).await;
    let target: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let other: Keyring = MasterKey::new([0x44; 32]).into();
    let e = import(
        target.as_ref(),
        read(&mut good.as_slice()).unwrap(),
        other,
        None,
        [1; 32],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, PortableError::Unsealable { key: "the target's master key", record } if record.starts_with("signing keys of ")),
        "{e}"
    );
    assert_empty(target.as_ref()).await;

    // A tampered verifier.
    let mut all = lines(&good);
    let user = all
        .iter()
        .position(|l| l.contains("\"kind\":\"user\""))
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&all[user]).unwrap();
    let byte = &mut value["user"]["password"]["verifier"][20];
    *byte = serde_json::json!((byte.as_u64().unwrap() + 1) % 256);
    all[user] = value.to_string();
    let e = import(
        target.as_ref(),
        read(&mut &join(&all)[..]).unwrap(),
        key(),
        None,
        [1; 32],
    )
    .await
    .unwrap_err();
    assert!(
        e.to_string().starts_with("the secrets of user alice in ")
            && e.to_string()
                .ends_with(" do not open under the target's master key"),
        "{e}"
    );
    assert_empty(target.as_ref()).await;
}

#[tokio::test]
async fn passphrases_are_checked() {
    let passphrase = Passphrase::new("right").unwrap();
    let portable = dump(ExportSecrets::Portable {
        source: key(),
        passphrase: &passphrase,
        costs: KdfCosts {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        },
        seed: [9; 32],
    })
    .await;
    let plain = dump(ExportSecrets::AsStored).await;
    let target: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let wrong = Passphrase::new("wrong").unwrap();
    for (bytes, given, expected) in [
        (
            &portable,
            None,
            "the dump is portable: its secrets are sealed under a passphrase (give it with --portable)",
        ),
        (
            &portable,
            Some(&wrong),
            "the passphrase does not open this dump",
        ),
        (
            &plain,
            Some(&passphrase),
            "the dump is not portable: its secrets are sealed under the source's master key (import it without --portable, with that master key)",
        ),
    ] {
        let e = import(
            target.as_ref(),
            read(&mut bytes.as_slice()).unwrap(),
            key(),
            given,
            [1; 32],
        )
        .await
        .unwrap_err();
        assert_eq!(e.to_string(), expected);
    }
    assert_empty(target.as_ref()).await;
    // A portable export needs the source's key to open what it re-seals.
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let clock = Arc::new(FixedClock::new(NOW));
    populate(&service(store.clone(), KEY, clock.clone()), &clock).await;
    let e = export(
        store.as_ref(),
        &mut Vec::new(),
        ExportSecrets::Portable {
            source: MasterKey::new([0x55; 32]).into(),
            passphrase: &passphrase,
            costs: KdfCosts {
                memory_kib: 64,
                iterations: 1,
                parallelism: 1,
            },
            seed: [9; 32],
        },
        NOW,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            &e,
            PortableError::Unsealable {
                key: "the source's master key",
                ..
            }
        ),
        "{e}"
    );
}

#[tokio::test]
async fn a_write_that_fails_midway_is_undone() {
    let good = dump(ExportSecrets::AsStored).await;
    let faulty = FaultyStore::new(MemoryStore::new());
    let faults = faulty.faults();
    let target: Arc<dyn Store> = Arc::new(faulty);
    faults.fail("add_to_group");
    let e = import(
        target.as_ref(),
        read(&mut good.as_slice()).unwrap(),
        key(),
        None,
        [1; 32],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, PortableError::Import { line: 8, record, .. } if record.starts_with("membership of alice in admins")),
        "{e}"
    );
    assert!(e.to_string().ends_with("; nothing was kept"), "{e}");
    assert_empty(target.as_ref()).await;
}
